"""Time executing the whole course against a baseline that only starts kernels and imports.

Course: every ``course/*.ipynb`` run top to bottom, each in a fresh kernel with its folder as the
working directory (as ``tests/integration/test_lessons.py`` does). Baseline: the same number of
throw-away notebooks, each in a fresh kernel, with one cell that imports what the lessons
import (alliancekit and its modules, which bring numpy, pandas, networkx, altair, vl-convert and
ipywidgets). Both run one notebook at a time.

Prints each lesson's time, the two totals and their ratio. Goal (issue 4): course <= 1.5x the
baseline. The machine is shared: compare the two totals from the same run only.

    python benchmarks/bench_course.py [--repeat 1]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "integration"))

import nbrun  # noqa: E402

GOAL_RATIO = 1.5
IMPORTS = ("import alliancekit as ak\n"
           "from alliancekit import cases, cohesion, networks, landscape, strategies, charts, "
           "widgets\n")


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each (best is kept)")
    args = parser.parse_args()
    nbrun.patch_nbclient()
    lessons = sorted((ROOT / "course").glob("[0-9][0-9]-*.ipynb"))  # lessons, not the pages
    if not lessons:
        sys.exit("no notebooks in course/")
    print(f"bench_course: {len(lessons)} lessons, {os.cpu_count()} cores, best of {args.repeat}")
    course = 0.0
    for path in lessons:
        best = min(timed(lambda p=path: nbrun.run_notebook(p)) for _ in range(args.repeat))
        course += best
        print(f"  {path.stem:<22} {best:6.2f} s")
    baseline = 0.0
    for _ in lessons:
        baseline += min(timed(lambda: nbrun.run_source([IMPORTS], cwd=ROOT / "course"))
                        for _ in range(args.repeat))
    ratio = course / baseline
    print(f"baseline (kernel + imports) x {len(lessons)}: {baseline:6.2f} s")
    print(f"course, executed:                 {course:6.2f} s")
    verdict = "met" if ratio <= GOAL_RATIO else "NOT met"
    print(f"ratio {ratio:.2f} (goal <= {GOAL_RATIO}: {verdict})")


if __name__ == "__main__":
    main()
