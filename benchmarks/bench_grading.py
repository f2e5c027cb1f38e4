#!/usr/bin/env python3
"""How much does robust autograding cost on top of just running the notebooks?

For one exercise set and a class of N submissions (default 30, a mix of right and wrong answers):

1. bare: execute each submission with nbclient, one after another (the floor: kernel start-up plus
   the notebook's own code);
2. autograde, 1 process: `alliancekit.grading.grade_assignment(..., jobs=1)`, i.e. nbgrader's
   autograde per student plus our checks; per-submission time and its ratio to bare;
3. autograde, J processes (default 2, one per core): the wall time for the class, and the time
   projected for a class of 100 on J cores (wall / N * 100), or measured with ``--size 100``.

Goals (issue 5): overhead <= 1.3x per submission; a class of 100 graded in <= 2 minutes on 2 cores.

    python benchmarks/bench_grading.py                     # ex01-theory, 30 submissions
    python benchmarks/bench_grading.py --assignment ex04-little-entente --size 100
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")


def make_class(course: Path, assignment: str, size: int) -> list[str]:
    """Copy the course files and write ``size`` submissions: 2 in 3 right, the rest blank."""
    import nbformat

    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions" / assignment, course / "solutions" / assignment)
    solution = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", 4)
    answers = {}
    for cell in solution.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and not meta.get("grade"):
            answers[meta["grade_id"]] = (cell.source.replace("### BEGIN SOLUTION\n", "")
                                         .replace("### END SOLUTION\n", ""))
    students = []
    for k in range(size):
        nb = nbformat.read(ROOT / "exercises" / assignment / f"{assignment}.ipynb", 4)
        if k % 3 != 2:
            for cell in nb.cells:
                gid = cell.metadata.get("nbgrader", {}).get("grade_id")
                if gid in answers:
                    cell.source = answers[gid]
        student = f"s{k:03d}"
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{assignment}.ipynb")
        students.append(student)
    return students


def bare(course: Path, assignment: str, students: list[str], timeout: int) -> list[float]:
    import nbformat
    from nbclient import NotebookClient

    times = []
    for student in students:
        path = course / "submitted" / student / assignment / f"{assignment}.ipynb"
        nb = nbformat.read(path, 4)
        start = time.perf_counter()
        NotebookClient(nb, timeout=timeout, allow_errors=True, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default="ex01-theory")
    parser.add_argument("--size", type=int, default=30, help="submissions in the class (>= 30)")
    parser.add_argument("--jobs", type=int, default=2, help="processes for the parallel run")
    parser.add_argument("--timeout", type=int, default=60, help="per-cell timeout, seconds")
    args = parser.parse_args(argv)

    from alliancekit import grading

    with tempfile.TemporaryDirectory(prefix="ak-bench-grading-") as scratch:
        course = Path(scratch)
        students = make_class(course, args.assignment, args.size)
        # record the assignment in the gradebook once, outside the timings
        grading.grade_assignment(args.assignment, course, students=students[:1],
                                 timeout=args.timeout, progress=False)

        bare_times = bare(course, args.assignment, students, args.timeout)

        start = time.perf_counter()
        serial = grading.grade_assignment(args.assignment, course, jobs=1, timeout=args.timeout,
                                          progress=False)
        serial_wall = time.perf_counter() - start

        start = time.perf_counter()
        parallel = grading.grade_assignment(args.assignment, course, jobs=args.jobs,
                                            timeout=args.timeout, progress=False)
        parallel_wall = time.perf_counter() - start

    n = len(students)
    bare_mean = statistics.mean(bare_times)
    grade_mean = serial_wall / n
    ratio = grade_mean / bare_mean
    projected_100 = parallel_wall / n * 100
    attention = sum(r.status != "graded" for r in serial + parallel)
    print(f"bench_grading: {args.assignment}, class of {n}, {os.cpu_count()} cores visible")
    print(f"  bare nbclient execution     : {bare_mean:6.2f} s per submission "
          f"(median {statistics.median(bare_times):.2f}, total {sum(bare_times):.1f} s)")
    print(f"  alliancekit-grade, 1 process: {grade_mean:6.2f} s per submission "
          f"(total {serial_wall:.1f} s)")
    print(f"  overhead per submission     : {ratio:6.2f}x  (goal <= 1.30x)")
    speed_up = serial_wall / parallel_wall
    print(f"  alliancekit-grade, {args.jobs} procs : {parallel_wall:6.1f} s for the class "
          f"({parallel_wall / n:.2f} s per submission, speed-up {speed_up:.2f}x)")
    label = "measured" if n == 100 else "projected"
    print(f"  class of 100 on {args.jobs} procs  : {projected_100:6.1f} s {label} (goal <= 120 s)")
    print(f"  submissions needing attention: {attention} (expected 0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
