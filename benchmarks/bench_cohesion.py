"""Time the vectorised cohesion ensemble against a plain Python loop doing the same maths.

Prints: the time of 10,000 runs x 100 years (arrays only, and with the tidy DataFrame), the time of
one explorer-sized call (200 runs x 40 years), and the speed-up over a pure-Python loop. The loop is
timed on a subset (LOOP_RUNS runs x 100 years) and scaled linearly to 10,000 runs, which is fair
because its cost is exactly proportional to the number of runs.

Goals (issue 3): at least 100x faster than the loop; the ensemble in <= 50 ms on 2 cores.
Issue 24: the arrays ensemble back to <= 10 ms, best of the timed calls (at least 7). The machine
is shared: the load average is printed, and a loaded machine inflates every figure.

    python benchmarks/bench_cohesion.py
"""
from __future__ import annotations

import math
import os
import random
import statistics
import time

import numpy as np

from alliancekit import cohesion

RUNS, YEARS, LOOP_RUNS = 10_000, 100, 200
DRIVERS = {"T": 0.5, "A": 0.5, "I": 0.2, "R": 0.2, "L": 0.1, "H": 0.1, "X": 0.05}
SHOCKS = [(1930, "X", 0.5), (1931, "X", 0.5), (1950, "L", 0.5), (1960, "doubt", 0.5)]
YEAR_RANGE = range(1900, 1900 + YEARS)


def best_of(fn, repeat=7):
    fn()                                        # warm up (imports, first-touch of memory)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def python_loop(runs, seed=0):
    """The same equations, one run and one year at a time, in plain Python (no numpy)."""
    p = cohesion.CohesionParams()
    rng = random.Random(seed)
    first = YEAR_RANGE[0]
    order = cohesion.DRIVERS
    beta = dict(zip(order, p.beta_vector(), strict=True))
    base = [dict(DRIVERS) for _ in YEAR_RANGE]
    pulse = [0.0] * YEARS                       # doubt added by shocks: eta dX_t + Z_t
    for year, driver, size in SHOCKS:
        t = year - first
        if driver == "doubt":
            pulse[t] += size
        else:
            before = base[t].get(driver, 0.0)
            base[t][driver] = min(1.0, before + size)
            if driver == "X":
                pulse[t] += p.eta * (base[t][driver] - before)
    offset_sd = p.driver_sd * math.sqrt(sum(b * b for b in beta.values()))
    half_width = p.noise * math.sqrt(3.0)      # uniform noise with standard deviation p.noise
    index = [p.beta0 + sum(beta[k] * d.get(k, 0.0) for k in order) for d in base]
    out = []
    for _ in range(runs):
        offset = rng.gauss(0, 1) * offset_sd
        target = [1 / (1 + math.exp(-(z + offset))) for z in index]
        c, d, pr, below, gone = target[0], 0.0, target[0], 0, False
        path = [(c, d, pr, gone)]
        for t in range(1, YEARS):
            c_new = (c + p.alpha * (target[t] - c) - p.gamma * d * c
                     + rng.uniform(-half_width, half_width))
            c_new = min(1.0, max(0.0, c_new))
            d_new = d + p.delta * max(0.0, p.theta - c) + pulse[t] - p.rho * d
            d_new = min(1.0, max(0.0, d_new))
            pr = pr + p.lam * (c - pr)
            below = below + 1 if c_new < p.c_min else 0
            gone = gone or below >= p.k_years
            c, d = c_new, d_new
            path.append((c, d, pr, gone))
        out.append(path)
    return out


def main():
    arrays = lambda: cohesion.simulate_paths(drivers=DRIVERS, years=YEAR_RANGE, shocks=SHOCKS,  # noqa: E731
                                             runs=RUNS, seed=1)
    frame = lambda: cohesion.simulate(drivers=DRIVERS, years=YEAR_RANGE, shocks=SHOCKS,  # noqa: E731
                                      runs=RUNS, seed=1)
    widget = lambda: cohesion.simulate(drivers=DRIVERS, years=range(1920, 1960), shocks=SHOCKS,  # noqa: E731
                                       runs=200, seed=1, gamma=0.5)
    # Interleave the contenders in rounds, so that load from other processes hits them alike.
    # Within a round each numpy variant runs three times back to back (a widget calls it over
    # and over, so warm memory is the case that matters); the minimum over rounds is reported.
    times = {"arrays": [], "frame": [], "loop": []}
    python_loop(10)
    for _ in range(5):
        for name, fn, repeat in (("arrays", arrays, 3), ("frame", frame, 3),
                                 ("loop", lambda: python_loop(LOOP_RUNS), 1)):
            for _ in range(repeat):
                start = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - start)
    a_best, a_med = min(times["arrays"]), statistics.median(times["arrays"])
    f_best, f_med = min(times["frame"]), statistics.median(times["frame"])
    l_best = min(times["loop"])
    w_best, w_med = best_of(widget, repeat=20)
    loop_full = l_best * RUNS / LOOP_RUNS
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; numpy runs "
          "single-threaded here")
    print(f"cohesion ensemble, {RUNS:,} runs x {YEARS} years (numpy {np.__version__}):")
    print(f"  arrays (simulate_paths):       best {a_best * 1e3:7.1f} ms, "
          f"median {a_med * 1e3:7.1f} ms")
    print(f"  tidy frame (simulate):         best {f_best * 1e3:7.1f} ms, "
          f"median {f_med * 1e3:7.1f} ms")
    print(f"  plain Python loop:             {l_best * 1e3:7.1f} ms for {LOOP_RUNS} runs, scaled x"
          f"{RUNS // LOOP_RUNS} to {loop_full:7.2f} s for {RUNS:,} runs")
    print(f"  speed-up (loop / arrays):      {loop_full / a_best:7.0f}x   (goal >= 100x)")
    print(f"  speed-up (loop / tidy frame):  {loop_full / f_best:7.0f}x")
    print(f"  goal <= 50 ms for the ensemble: arrays {'met' if a_best <= 0.05 else 'NOT met'}, "
          f"tidy frame {'met' if f_best <= 0.05 else 'NOT met'}")
    print(f"  goal <= 10 ms for the arrays (issue 24, best of {len(times['arrays'])}): "
          f"{'met' if a_best <= 0.010 else 'NOT met'}")
    print(f"explorer call, 200 runs x 40 years (tidy frame): best {w_best * 1e3:.2f} ms, "
          f"median {w_med * 1e3:.2f} ms")
    try:
        scen = lambda: cohesion.simulate("little_entente", runs=200, seed=1, gamma=0.5)  # noqa: E731
        s_best, s_med = best_of(scen, repeat=20)
        print(f"explorer call, little_entente scenario, 200 runs: best {s_best * 1e3:.2f} ms, "
              f"median {s_med * 1e3:.2f} ms")
    except Exception as exc:  # the case data may not be built yet
        print(f"(scenario timing skipped: {type(exc).__name__}: {exc})")


if __name__ == "__main__":
    main()
