"""How long `import alliancekit` takes, against `import pandas` alone.

Each statement runs in a fresh Python subprocess (so nothing is cached in memory), several times;
the script prints the median wall-clock time of each and their ratio. It also times the first load
of the case data (pandas import plus reading and checking the tables), for information.

    python benchmarks/bench_import.py            # 9 runs each
    python benchmarks/bench_import.py --runs 15
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

STATEMENTS = {
    "python (empty)": "pass",
    "import alliancekit": "import alliancekit",
    "import pandas": "import pandas",
    "first data load": "from alliancekit import cases; cases.case('europe_1872_1918')",
}


def time_statement(statement: str, runs: int) -> float:
    """Median seconds to start a fresh interpreter and run ``statement``."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=9, help="fresh subprocesses per statement (>= 1)")
    args = p.parse_args(argv)
    if args.runs < 1:
        p.error("--runs must be at least 1")
    medians = {label: time_statement(stmt, args.runs) for label, stmt in STATEMENTS.items()}
    for label, seconds in medians.items():
        print(f"{label:<22} {seconds * 1000:8.1f} ms  (median of {args.runs} fresh processes)")
    ak, pd_ = medians["import alliancekit"], medians["import pandas"]
    print(f"ratio import alliancekit / import pandas: {ak / pd_:.2f}")
    base = medians["python (empty)"]
    print(f"net of interpreter start-up ({base * 1000:.1f} ms): alliancekit "
          f"{(ak - base) * 1000:.1f} ms, pandas {(pd_ - base) * 1000:.1f} ms, "
          f"ratio {(ak - base) / max(pd_ - base, 1e-9):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
