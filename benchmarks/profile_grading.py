#!/usr/bin/env python3
"""Where does the time of one sandboxed submission go? A split by phase, in one grading process.

Builds a class like `bench_grading.py` (two in three right), records the set in the gradebook,
then grades ``--size`` submissions one after another (``jobs=1``, in this process) with timers
around each phase, and prints the mean wall time per submission of:

- the kernel's launch (a new bubblewrap sandbox and Python, or a fork from the warm parent) and
  the wait until it answers (``kernel_info``);
- each cell the kernel runs (the student's cells and the read-only set-up cells), the slowest
  named;
- the judge: its fork, the set-up cells it runs, and each test (answers handed over + test run);
- the kernel's end and clean-up;
- the CPU time of the grading process itself (nbgrader, alliancekit-grade), per submission;
- nbgrader's own work around the notebook (reading, checksums, writing, the gradebook) and what
  ``alliancekit-grade`` does after it (sanitising, notes, reading the scores).

The first submission (the warm parents' start) is left out of the means. Wall times on a shared
machine: the load average is printed.

    python benchmarks/profile_grading.py --assignment ex02-patterns --size 6 [--warm-kernels]
"""
from __future__ import annotations

import argparse
import collections
import functools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_grading import make_class  # noqa: E402

TIMES: dict = collections.defaultdict(float)
FIRST: dict = {}  # TIMES after the first submission, which started the warm parents
WALLS: list = []


def _timed(owner, name: str, label) -> None:
    """Wrap ``owner.name`` (a function or coroutine function) to add its wall time to TIMES."""
    import inspect

    original = getattr(owner, name)
    if inspect.iscoroutinefunction(original):
        @functools.wraps(original)
        async def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return await original(*args, **kwargs)
            finally:
                TIMES[label(args) if callable(label) else label] += time.perf_counter() - start
    else:
        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                TIMES[label(args) if callable(label) else label] += time.perf_counter() - start
    setattr(owner, name, wrapper)


def _cell_label(args) -> str:
    from alliancekit.grading.metadata import nbgrader_of

    execute, cell = args[0], args[1]
    grade_id = nbgrader_of(cell).get("grade_id") if cell.cell_type == "code" else None
    kind = execute._ak_trusted.get(grade_id, (None,))[0] if grade_id else None
    if cell.cell_type != "code":
        return "cells: markdown (nothing runs)"
    if kind == "test":
        return "judge: tests (answers handed over + test run)"
    first = (cell.source.strip().splitlines() or [""])[0][:40]
    return f"kernel: cell {grade_id or first!s}"


def _instrument() -> None:
    from nbclient import NotebookClient
    from nbgrader.apps import NbGraderAPI

    from alliancekit import grading
    from alliancekit.grading import judging, sandbox, warmkernel

    _timed(NotebookClient, "async_start_new_kernel", "kernel: launch (sandbox or fork)")
    # nbclient's sync wrappers were bound to the original coroutines: time them, not those
    _timed(NotebookClient, "start_new_kernel_client", "kernel: start until it answers")
    _timed(NotebookClient, "_cleanup_kernel", "kernel: shut down (nbclient)")
    _timed(judging.JudgedExecute, "preprocess_cell", _cell_label)
    _timed(judging.JudgedExecute, "_ak_run_setup", "judge: set-up cells (inside cells above)")
    _timed(judging, "fork_judge", "judge: fork")
    _timed(sandbox.SandboxKernelManager, "remove_box", "kernel: end and clean-up")
    _timed(warmkernel.WarmKernelManager, "remove_box", "kernel: end and clean-up")
    _timed(judging.JudgedExecute, "preprocess", "TOTAL: notebook executed (Execute)")
    _timed(NbGraderAPI, "autograde", "TOTAL: nbgrader autograde")
    _timed(grading, "_grade_and_read", "TOTAL: alliancekit-grade, one submission")
    timed = grading._grade_and_read

    def one(*args, **kwargs):
        start = time.perf_counter()
        try:
            return timed(*args, **kwargs)
        finally:
            WALLS.append(time.perf_counter() - start)
            if len(WALLS) == 1:
                FIRST.update(TIMES)

    grading._grade_and_read = one


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default="ex02-patterns")
    parser.add_argument("--size", type=int, default=6, help="submissions (the first is left out)")
    parser.add_argument("--timeout", type=int, default=60)
    parser.add_argument("--warm-kernels", action="store_true",
                        help="as root, kernels forked from a warm parent")
    args = parser.parse_args(argv)
    from alliancekit import grading

    with tempfile.TemporaryDirectory(prefix="ak-profile-grading-") as scratch:
        course = Path(scratch)
        students = make_class(course, args.assignment, args.size + 1, args.warm_kernels)
        grading.grade_assignment(args.assignment, course, students=students[:1],
                                 timeout=args.timeout, progress=False)
        _instrument()
        load = os.getloadavg()[0]
        before = os.times()
        grading.grade_assignment(args.assignment, course, students=students[1:], jobs=1,
                                 timeout=args.timeout, progress=False)
        after = os.times()
    # CPU of this process (nbgrader and alliancekit-grade), and of the processes it waited for
    # (sandboxes started per kernel; a parent's sandbox is killed at the end, not waited for, so
    # warm kernels' and judges' CPU is not in it)
    cpu = sum(after[:2]) - sum(before[:2])
    waited = sum(after[2:4]) - sum(before[2:4])
    n = len(WALLS) - 1
    print(f"profile_grading: {args.assignment}, {n} submissions timed after a first one, kernels "
          f"{'warm (as root)' if args.warm_kernels else 'cold'}, load average {load:.2f} before, "
          f"{os.getloadavg()[0]:.2f} after; mean wall per submission "
          f"{statistics.mean(WALLS[1:]):.2f} s (first: {WALLS[0]:.2f} s); CPU per submission: "
          f"grading process {cpu / (n + 1):.2f} s, processes it waited for "
          f"{waited / (n + 1):.2f} s")
    for label in TIMES:
        TIMES[label] -= FIRST.get(label, 0.0)
    for label, seconds in sorted(TIMES.items(), key=lambda item: -item[1]):
        print(f"  {seconds / n:6.3f} s  {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
