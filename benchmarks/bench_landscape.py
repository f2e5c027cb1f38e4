"""Time the exact landscape minimum (Axelrod & Bennett 1993) for n = 17 and n = 20.

Prints, for random seeded inputs:
- the best of a few timings of ``landscape.global_minimum`` (all 2**(n-1) configurations,
  vectorised with numpy);
- the time of a plain Python loop over configurations computing the same energies, measured on
  a subset of configurations and scaled to all of them (said so in the output), and the ratio;
- that both give the same minimum on the subset.

Run:  .venv/bin/python benchmarks/bench_landscape.py
"""
from __future__ import annotations

import itertools
import time

import numpy as np

from alliancekit import landscape as L

SUBSET = 3_000  # configurations timed in the plain Python loop
REPEATS = 5


def random_inputs(n: int, seed: int):
    rng = np.random.default_rng(seed)
    sizes = rng.uniform(0.05, 1.0, n)
    p = rng.normal(size=(n, n))
    p = (p + p.T) / 2
    np.fill_diagonal(p, 0.0)
    return sizes, p


def python_loop_energies(sizes, p, codes):
    """The energies of the given configuration codes, one configuration and one pair at a time."""
    n = len(sizes)
    s = [float(v) for v in sizes]
    pp = [[float(v) for v in row] for row in p]
    pairs = list(itertools.combinations(range(n), 2))
    out = []
    for code in codes:
        x = [0] + [(code >> k) & 1 for k in range(n - 1)]
        e = 0.0
        for i, j in pairs:
            if x[i] != x[j]:
                e += s[i] * s[j] * pp[i][j]
        out.append(e)
    return out


def main() -> None:
    print("Exact landscape minimum: numpy enumeration vs a plain Python loop")
    for n in (17, 20):
        sizes, p = random_inputs(n, seed=n)
        total = 2 ** (n - 1)
        times = []
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            m = L.global_minimum(sizes, p)
            times.append(time.perf_counter() - t0)
        fast = min(times)

        codes = range(SUBSET)
        t0 = time.perf_counter()
        slow_subset = python_loop_energies(sizes, p, codes)
        loop_subset = time.perf_counter() - t0
        loop_scaled = loop_subset * total / SUBSET
        agree = np.allclose(slow_subset, L.energies(sizes, p)[:SUBSET], rtol=1e-9, atol=1e-9)

        print(f"n = {n}: {total:,} configurations")
        print(f"  numpy global_minimum: {fast * 1000:8.1f} ms (best of {REPEATS}); "
              f"minimum energy {m.energy:.4f}, {m.n_minima} minimum(s)")
        print(f"  plain Python loop:    {loop_subset * 1000:8.1f} ms for {SUBSET:,} "
              f"configurations, scaled x{total / SUBSET:,.0f} to all: ~{loop_scaled:.1f} s "
              "(estimate, not run)")
        print(f"  ratio (scaled loop / numpy): ~{loop_scaled / fast:,.0f}x; "
              f"energies agree on the subset: {agree}")


if __name__ == "__main__":
    main()
