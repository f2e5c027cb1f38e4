#!/usr/bin/env python3
"""How much does sandboxed autograding cost on top of just running the notebooks?

For each exercise set asked for (default ex01-theory and ex02-patterns) and a class of N
submissions (default 30, a mix of right and wrong answers):

1. bare: execute each submission with nbclient, one after another (the floor: kernel start-up plus
   the notebook's own code, no sandbox, no grading);
2. `alliancekit-grade`, 1 process, sandboxed (the default): nbgrader's autograde per student with
   the student's kernel in a bubblewrap sandbox (as root, by default, forked per submission from a
   parent that imported the library once; ``--warm-kernels`` sets that explicitly) and every
   test run by the trusted judge (a second sandbox, fed the answers as plain data,
   a judge forked per submission from such a parent); per-submission time and its ratio to bare;
3. the same with ``unsafe=True`` (no sandbox, tests in the student's kernel), to show what the
   sandbox and the judge cost together (left out with ``--skip-unsafe``);
4. `alliancekit-grade`, J processes (default 2, one per core), sandboxed: the wall time for the
   class, and the time projected for a class of 100 on J cores (wall / N * 100), or measured with
   ``--size 100``.

Goals (issue 9): sandbox overhead <= 1.3x per submission; a class of 100 graded in <= 2 minutes
on 2 cores. The load average is printed before and after, since the machine is shared.

    python benchmarks/bench_grading.py                     # ex01 and ex02, 30 submissions
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


def make_class(course: Path, assignment: str, size: int, warm: bool = False) -> list[str]:
    """Copy the course files and write ``size`` submissions: 2 in 3 right, the rest blank.

    ``warm``: kernels forked from a warm parent (``c.JudgedExecute.warm_kernels = True``).
    """
    import nbformat

    shutil.copy(ROOT / "nbgrader_config.py", course)
    if warm:
        with open(course / "nbgrader_config.py", "a", encoding="utf-8") as config:
            config.write("\nc.JudgedExecute.warm_kernels = True\n")
    shutil.copytree(ROOT / "solutions" / assignment, course / "solutions" / assignment)
    solution = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", 4)
    answers = {}
    for cell in solution.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and not meta.get("grade"):
            answers[meta["grade_id"]] = cell.source  # the markers are comments; keep indents
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


def run_set(assignment: str, size: int, jobs: int, timeout: int, unsafe_run: bool = True,
            warm: bool = False) -> None:
    from alliancekit import grading
    from alliancekit.grading import sandbox

    with tempfile.TemporaryDirectory(prefix="ak-bench-grading-") as scratch:
        course = Path(scratch)
        students = make_class(course, assignment, size, warm)
        # record the assignment in the gradebook once, outside the timings
        grading.grade_assignment(assignment, course, students=students[:1], timeout=timeout,
                                 progress=False)
        load_before = os.getloadavg()
        bare_times = bare(course, assignment, students, timeout)

        start = time.perf_counter()
        serial = grading.grade_assignment(assignment, course, jobs=1, timeout=timeout,
                                          progress=False)
        serial_wall = time.perf_counter() - start

        unsafe, unsafe_wall = [], float("nan")
        if unsafe_run:
            start = time.perf_counter()
            unsafe = grading.grade_assignment(assignment, course, jobs=1, timeout=timeout,
                                              progress=False, unsafe=True)
            unsafe_wall = time.perf_counter() - start

        start = time.perf_counter()
        parallel = grading.grade_assignment(assignment, course, jobs=jobs, timeout=timeout,
                                            progress=False)
        parallel_wall = time.perf_counter() - start
        load_after = os.getloadavg()

    n = len(students)
    bare_mean = statistics.mean(bare_times)
    grade_mean = serial_wall / n
    projected_100 = parallel_wall / n * 100
    attention = sum(r.status != "graded" for r in serial + unsafe + parallel)
    right = [k for k, student in enumerate(students) if k % 3 != 2]
    full = {r.student for r in serial if r.auto_score == r.auto_max}
    full_right = sum(students[k] in full for k in right)
    from alliancekit.grading.judging import JudgedExecute

    default = JudgedExecute.class_traits()["warm_kernels"].default_value
    warm = sandbox._as_root() and (warm or default)
    print(f"bench_grading: {assignment}, class of {n}, {os.cpu_count()} cores visible, "
          f"kernels {'forked from a warm parent' if warm else 'in a new sandbox each'}, "
          f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after")
    print(f"  bare nbclient execution          : {bare_mean:6.2f} s per submission "
          f"(median {statistics.median(bare_times):.2f}, total {sum(bare_times):.1f} s)")
    print(f"  alliancekit-grade, 1 process     : {grade_mean:6.2f} s per submission "
          f"(total {serial_wall:.1f} s), sandboxed")
    print(f"  ... without sandbox (--unsafe)   : {unsafe_wall / n:6.2f} s per submission "
          f"(total {unsafe_wall:.1f} s)")
    print(f"  sandboxed grading vs bare        : {grade_mean / bare_mean:6.2f}x  (goal <= 1.30x)")
    print(f"  sandboxed vs unsandboxed grading : {serial_wall / unsafe_wall:6.2f}x")
    print(f"  alliancekit-grade, {jobs} procs      : {parallel_wall:6.1f} s for the class "
          f"({parallel_wall / n:.2f} s per submission, speed-up "
          f"{serial_wall / parallel_wall:.2f}x), sandboxed")
    label = "measured" if n == 100 else "projected"
    print(f"  class of 100 on {jobs} procs       : {projected_100:6.1f} s {label} "
          f"(goal <= 120 s)")
    print(f"  submissions needing attention    : {attention} (expected 0)")
    print(f"  right answers with full marks    : {full_right} of {len(right)} (judge)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", action="append", dest="assignments",
                        help="exercise set (repeatable; default ex01-theory and ex02-patterns)")
    parser.add_argument("--size", type=int, default=30, help="submissions in the class (>= 30)")
    parser.add_argument("--jobs", type=int, default=2, help="processes for the parallel run")
    parser.add_argument("--timeout", type=int, default=60, help="per-cell timeout, seconds")
    parser.add_argument("--skip-unsafe", action="store_true",
                        help="leave out the run without a sandbox (saves a quarter of the time)")
    parser.add_argument("--warm-kernels", action="store_true",
                        help="as root, kernels forked from a warm parent, set explicitly "
                             "(c.JudgedExecute.warm_kernels = True, the default as root)")
    args = parser.parse_args(argv)
    for assignment in args.assignments or ["ex01-theory", "ex02-patterns"]:
        run_set(assignment, args.size, args.jobs, args.timeout, not args.skip_unsafe,
                args.warm_kernels)
    return 0


if __name__ == "__main__":
    sys.exit(main())
