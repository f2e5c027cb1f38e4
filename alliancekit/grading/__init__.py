"""Grade a whole class with nbgrader, safely: every submission sandboxed, every score bounded.

``alliancekit-grade ASSIGNMENT`` is a thin wrapper on nbgrader's own Python API
(`nbgrader.apps.NbGraderAPI.autograde`, one call per student). nbgrader does all the grading:
sanitising, restoring read-only and tampered test cells from the gradebook (``OverwriteCells`` and
its checksums), putting deleted grade cells back (``OverwriteCells.add_missing_cells``), executing
with a per-cell timeout (``Execute.timeout``), truncating long outputs (``LimitOutput``) and saving
the scores (``SaveAutoGrades``). This module adds what nbgrader leaves to the instructor:

- **A sandbox per submission.** nbgrader runs student code with the grader's rights. Here each
  submission's kernel runs in a bubblewrap sandbox (`alliancekit.grading.sandbox`): it sees a
  private copy of its own folder, a read-only library and Python, a private ``/tmp``, no network,
  no gradebook, no ``solutions/`` and no other student; memory, processes, file size and time are
  limited, and nothing it starts outlives its grading. Where no sandbox can be made, the command
  refuses unless told ``unsafe=True`` (``--unsafe-trust-submissions``).
- **Verdicts from a trusted judge.** No test cell runs in the student's kernel. The tests (hidden
  ones included) and the read-only set-up cells run in a second sandbox, the judge, which has
  never run student code; it receives the answers the test reads as plain data and calls the
  student's functions through the grader (`alliancekit.grading.judging`). The judge's outputs
  are what nbgrader scores.
- **Scores from the grading process only, within the points.** nbgrader's ``SaveAutoGrades`` runs
  here, not in the sandbox; afterwards every autograded score is clamped to ``[0, points]``.
- **Every submission is attempted.** One failure (a dead kernel, a kernel that cannot be
  interrupted, a file that is not a notebook, a busy gradebook) never stops the others, and each
  "needs attention" row says what happened in words.
- **No stale score.** When nbgrader fails on a submission it deletes that student's autograded copy
  but leaves the scores of any *earlier* autograde run in the gradebook. Here every autograded
  (test-cell) score of a failed submission is set to 0 and flagged for manual grading. Manual scores
  an instructor already gave are left alone, as nbgrader itself does.
- **Parallel grading with a consistent gradebook.** With ``--jobs N`` the students are shared among
  N worker processes. SQLite takes one writer at a time, so every process holds a file lock
  (``gradebook.db.lock`` beside the database, via the ``filelock`` library) while nbgrader reads or
  writes the gradebook for a student, and lets go of it while the notebook executes. A lock that
  cannot be had in ``gradebook_wait`` seconds, or an SQLite "database is locked", is retried and
  then reported as a busy gradebook.
- **A progress bar** (tqdm), **a summary table**, a CSV report
  (``autograded/grading-report-<assignment>.csv``; a regrade of some students keeps the other
  rows), and notes on what nbgrader repaired and what the sandbox saw.

Student files in ``submitted/`` are only read, never written. The exit status is 0 when every
submission was graded, 1 when at least one needs attention, and 2 for bad input or when no sandbox
can be made.

References
----------
nbgrader documentation, https://nbgrader.readthedocs.io (0.9.6); issues jupyter/nbgrader#1682 and
#1941 (deleted or re-typed grade cells).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from alliancekit._env import put_on_path
from alliancekit.grading.context import GradingProcess, GradingRun
from alliancekit.grading.results import _write_report, busy, failure_reason, summary_table

# The sandbox, the judge, nbgrader and filelock are imported inside the functions that use them:
# they import jupyter_client and nbgrader, which reading a report or the results does not need.

__all__ = ["GradeResult", "grade_assignment", "summary_table", "main", "CourseError"]


class CourseError(ValueError):
    """Bad input: the course directory, the assignment or the students asked for."""


@dataclass(frozen=True)
class GradeResult:
    """What happened to one student's submission.

    Attributes
    ----------
    student : str
        The student id (the folder name under ``submitted/``).
    status : str
        ``"graded"`` or ``"needs attention"``.
    score : float
        Total score now in the gradebook (autograded plus any manual scores), in points.
    max_score : float
        Maximum possible score of the assignment, in points.
    auto_score, auto_max : float
        Score and maximum on the autograded test cells only.
    needs_manual_grade : bool
        Whether nbgrader still wants a person to grade something (written answers always do).
    notes : tuple of str
        Plain-language notes: why it needs attention, what nbgrader repaired.
    seconds : float
        Wall-clock time nbgrader spent on this submission.
    """

    student: str
    status: str
    score: float
    max_score: float
    auto_score: float
    auto_max: float
    needs_manual_grade: bool
    notes: tuple = field(default_factory=tuple)
    seconds: float = 0.0


# --------------------------------------------------------------------------------------------
# Configuration and input checks
# --------------------------------------------------------------------------------------------
def _load_config(course: Path):
    """The course's nbgrader configuration (``nbgrader_config.py``), rooted at ``course``."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    if (course / "nbgrader_config.py").exists():
        config.merge(PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config())
    config.CourseDirectory.root = str(course)
    return config


def _grading_config(run: GradingRun, process: GradingProcess | None = None):
    """The course's configuration with this run's preprocessors, limits and grading process."""
    from nbgrader.converters import Autograde

    from alliancekit.grading import judging, metadata, sandbox
    from alliancekit.grading.budget import CapNotebookOutputs
    from alliancekit.grading.variantgrading import with_variants

    config = _load_config(Path(run.course))
    if run.variant_secret:
        config.Variants.secret_file = run.variant_secret
    if run.timeout is not None:
        config.Execute.timeout = int(run.timeout)
    execute = with_variants(sandbox.GradingExecute if run.unsafe else judging.JudgedExecute)
    default = Autograde.class_traits()["autograde_preprocessors"].default()
    chain = []
    for p in config.Autograde.get("autograde_preprocessors", default):
        if getattr(p, "__name__", str(p).rsplit(".", 1)[-1]) == "Execute":
            chain += [execute, CapNotebookOutputs]  # the notebook's byte budget, right after
        else:
            chain.append(p)
    metadata.use_in(config, chain)  # nbgrader's chains, its metadata check made cheaper
    limits = run.limits
    config.GradingExecute.seconds = float(limits.seconds)
    config.GradingExecute.output_kb = int(limits.output_kb)
    if process is not None:
        config.GradingExecute.process = process  # the lock and the notes, handed to each Execute
    config.CapNotebookOutputs.max_bytes = int(limits.output_mb * 1024 ** 2)
    for name in ("memory_mb", "processes", "file_mb", "disk_mb", "open_files", "seconds",
                 "output_mb"):
        setattr(config.SandboxKernelManager, name, getattr(limits, name))
    config.SandboxKernelManager.course_root = run.course
    return config


def _make_api(course: Path):
    """nbgrader's API on the course's own configuration (no grading preprocessors)."""
    return _api(_load_config(course))


def _api(config):
    from nbgrader.apps import NbGraderAPI

    api = NbGraderAPI(config=config)
    api.log.setLevel("WARNING")
    return api


def _check_inputs(assignment: str, course: Path, students) -> tuple[Path, list[str]]:
    course = Path(course).expanduser()
    if not course.is_dir():
        raise CourseError(f"course_dir {str(course)!r} does not exist or is not a directory; "
                          "give the folder that holds nbgrader_config.py")
    course = course.resolve()
    if not (course / "nbgrader_config.py").exists():
        raise CourseError(f"course_dir {str(course)!r} has no nbgrader_config.py; give the course "
                          "root (the repository root, or a copy of it)")
    config = _load_config(course)
    source = course / config.CourseDirectory.get("source_directory", "source")
    submitted = course / config.CourseDirectory.get("submitted_directory", "submitted")
    known = sorted(p.name for p in source.iterdir() if p.is_dir()) if source.is_dir() else []
    if assignment not in known:
        raise CourseError(f"assignment {assignment!r} is unknown in {source}; "
                          f"choose one of: {', '.join(known) or '(none found)'}")
    found = sorted(p.parent.name for p in submitted.glob(f"*/{assignment}") if p.is_dir())
    if students:
        missing = sorted(set(students) - set(found))
        if missing:
            raise CourseError(f"students {missing} have no submission in "
                              f"{submitted}/<student>/{assignment}; found: {found or 'none'}")
        found = sorted(set(students))
    if not found:
        raise CourseError(f"assignment {assignment!r} has no submissions in "
                          f"{submitted}/<student>/{assignment}; collect them first "
                          "(nbgrader collect, or nbgrader zip_collect for an LMS export)")
    return course, found


def _ensure_in_gradebook(api, assignment: str) -> None:
    """Record the assignment's cells in the gradebook if an earlier step has not (no file changes).

    nbgrader restores test cells from the gradebook, so it must know the assignment. When it does
    not, nbgrader's generate_assignment is run with its output sent to a scratch folder, so that the
    committed student versions are not touched.
    """
    import tempfile

    with api.gradebook as gb:
        try:
            known = bool(gb.find_assignment(assignment).notebooks)
        except Exception:  # nbgrader.api.MissingEntry
            known = False
    if known:
        return
    with tempfile.TemporaryDirectory() as scratch:
        coursedir = api.coursedir
        saved = coursedir.release_directory
        coursedir.release_directory = scratch
        try:
            result = api.generate_assignment(assignment, force=True, create=True)
        finally:
            coursedir.release_directory = saved
    if not result["success"]:
        raise CourseError(f"nbgrader could not record assignment {assignment!r} in the gradebook:\n"
                          f"{result.get('error', '')}")


# --------------------------------------------------------------------------------------------
# Grading one submission (runs in a worker process, or in this one when jobs == 1)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class _Worker:
    """One grading process's means: nbgrader's API on the run's configuration, its process."""

    api: object  # nbgrader.apps.NbGraderAPI
    process: GradingProcess
    #: this process's gradebook engines (`alliancekit.grading.engines`)
    engines: dict = field(default_factory=dict)


def _gradebook_lock(db_url: str, wait: float):
    """The file lock that serialises gradebook access among grading processes (None: no need)."""
    from filelock import FileLock

    prefix = "sqlite:///"
    if not db_url.startswith(prefix):
        return None  # a server database (e.g. PostgreSQL) handles concurrent writers itself
    path = db_url[len(prefix):].split("?")[0]
    import inspect

    keep = ({"preserve_lock_file": True}
            if "preserve_lock_file" in inspect.signature(FileLock.__init__).parameters else {})
    return FileLock(path + ".lock", timeout=wait, **keep)  # kept: other programs may lock it


def _make_worker(run: GradingRun) -> _Worker:
    """The API, the gradebook lock and the notes of a grading process (this one, or a worker)."""
    import warnings

    from nbgrader.coursedir import CourseDirectory

    # nbgrader 0.9.6 triggers harmless SQLAlchemy autoflush warnings while creating submissions.
    warnings.filterwarnings("ignore", message=".*not in session.*")
    put_on_path()  # nbgrader shells out to alembic (once: it checks PATH first)
    db_url = CourseDirectory(config=_load_config(Path(run.course))).db_url
    process = GradingProcess(lock=_gradebook_lock(db_url, run.gradebook_wait))
    return _Worker(api=_api(_grading_config(run, process)), process=process)


@lru_cache(maxsize=1)
def _pool_worker(run: GradingRun) -> _Worker:
    """A worker process's `_Worker`, made once by the pool's initializer for its one run."""
    return _make_worker(run)


def _grade_in_pool(run: GradingRun, assignment: str, student: str) -> dict:
    return _grade_and_read(_pool_worker(run), assignment, student)


def _grade_and_read(worker: _Worker, assignment: str, student: str) -> dict:
    """Autograde one submission, then check and read its scores in the same process, so that
    with ``--jobs`` the workers do that in parallel too; the outcome carries its `GradeResult`."""
    from alliancekit.grading.engines import shared_engines
    from alliancekit.grading.variantgrading import shown_inputs_notes

    with shared_engines(worker.engines):
        outcome = _grade_one(worker, assignment, student)
        outcome["notes"] = outcome.get("notes", []) + shown_inputs_notes(worker.api, assignment,
                                                                          student)
        outcome["result"] = _result(Path(worker.api.coursedir.root), worker, assignment, outcome)
    return outcome


def _grade_one(worker: _Worker, assignment: str, student: str) -> dict:
    from filelock import Timeout

    from alliancekit.grading.collect import check_submitted

    api, process = worker.api, worker.process
    start, attempts = time.perf_counter(), 0
    refused = check_submitted(Path(api.coursedir.root), assignment, student)
    if refused:  # never handed to nbgrader, which would follow its links with our rights
        return {"student": student, "success": False, "log": "", "notes": [], "attempts": 0,
                "error": "Refused: " + "; ".join(refused), "seconds": 0.0}
    while True:
        attempts += 1
        process.notes.take(student)  # none left from an earlier attempt
        try:
            with process.locked():
                result = api.autograde(assignment, student, force=True, create=True)
        except Timeout:
            result = {"success": False, "error": "Timeout: the gradebook lock "
                      f"{process.lock.lock_file} was busy", "log": ""}
        except Exception as exc:  # nbgrader reports its own errors; this is a last resort
            result = {"success": False, "error": f"{type(exc).__name__}: {exc}", "log": ""}
        finally:
            process.unlock()  # never carry a lock from one student to the next
        text = f"{result.get('error', '')}\n{result.get('log', '')}"
        if result.get("success") or not busy(text) or attempts >= 3:
            break
        time.sleep(1.0 * attempts)
    # Formgrader, feedback and JupyterLab read autograded/: no markup from the submission that
    # could run script stays in it (alliancekit.grading.sanitise; issue 20, item 2)
    from alliancekit.grading.sanitise import sanitise_autograded
    from alliancekit.grading.variantview import show_owner_inputs

    shown_safe = show_owner_inputs(api, assignment, student)  # issue 21: inputs for Formgrader
    shown_safe += sanitise_autograded(api.coursedir, assignment, student)
    return {
        "student": student,
        "success": bool(result.get("success")),
        "error": result.get("error", "") or "",
        "log": result.get("log", "") or "",
        "notes": process.notes.take(student) + shown_safe,
        "attempts": attempts,
        "seconds": time.perf_counter() - start,
    }


# --------------------------------------------------------------------------------------------
# After grading: zero stale scores, read the gradebook, describe what nbgrader repaired
# --------------------------------------------------------------------------------------------
def _is_autograded(grade, submitted_notebook) -> bool:
    """A grade on a test cell (code, not an answer cell), i.e. one nbgrader scores by running it."""
    answers = {cell.name for cell in submitted_notebook.notebook.solution_cells}
    return grade.cell.cell_type == "code" and grade.name not in answers


def _zero_autograded_scores(api, assignment: str, student: str) -> None:
    """Give a failed submission 0 on every autograded test and flag it, replacing stale scores."""
    with api.gradebook as gb:
        gb.update_or_create_student(student)
        submission = gb.update_or_create_submission(assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                if _is_autograded(grade, notebook):
                    grade.auto_score = 0.0
                    grade.needs_manual_grade = True
        gb.db.commit()


def _read_scores(api, assignment: str, student: str) -> dict:
    with api.gradebook as gb:
        submission = gb.find_submission(assignment, student)
        auto_score = auto_max = 0.0
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                if _is_autograded(grade, notebook):
                    auto_score += grade.score or 0.0
                    auto_max += grade.max_score or 0.0
        return {
            "score": float(submission.score or 0.0),
            "max_score": float(submission.max_score or 0.0),
            "auto_score": auto_score,
            "auto_max": auto_max,
            "needs_manual_grade": bool(submission.needs_manual_grade),
        }


def _repairs(course: Path, api, assignment: str, student: str) -> list[str]:
    """Notes on edited test cells, deleted grade cells and timed-out cells (read-only checks)."""
    import nbformat

    from alliancekit.grading.metadata import HIDDEN_TESTS, grade_id, graded_cells, visible_tests

    coursedir = api.coursedir
    hidden = api.config.ClearHiddenTests.get("begin_test_delimeter", HIDDEN_TESTS)
    notes = []
    source_dir = Path(coursedir.format_path(coursedir.source_directory, ".", assignment))
    submitted_dir = Path(coursedir.format_path(coursedir.submitted_directory, student, assignment))
    autograded_dir = Path(
        coursedir.format_path(coursedir.autograded_directory, student, assignment))
    for source_path in sorted(source_dir.glob("*.ipynb")):
        name = source_path.name
        sub_path = submitted_dir / name
        if not sub_path.exists():
            notes.append(f"{name} was not submitted")
            continue
        try:
            submitted = nbformat.read(str(sub_path), as_version=4)
        except Exception as exc:  # unreadable JSON: nbgrader fails too; say why
            notes.append(f"{name} cannot be read ({type(exc).__name__})")
            continue
        source = nbformat.read(str(source_path), as_version=4)
        wanted, got = graded_cells(source.cells), graded_cells(submitted.cells)
        missing = [gid for gid, (_, meta) in wanted.items() if meta.get("grade") and gid not in got]
        if missing:
            notes.append(f"deleted grade cells put back: {', '.join(missing)}")
        edited = []
        for gid, (cell, meta) in wanted.items():
            if meta.get("grade") and not meta.get("solution") and gid in got:
                if (visible_tests(got[gid][0].source, hidden)
                        != visible_tests(cell.source, hidden)):
                    edited.append(gid)
        if edited:
            notes.append(f"edited test cells restored: {', '.join(edited)}")
        graded_path = autograded_dir / name
        if graded_path.exists():
            graded = nbformat.read(str(graded_path), as_version=4)
            timed_out = [grade_id(cell, f"cell {i}") for i, cell in enumerate(graded.cells)
                         if cell.cell_type == "code" and any(
                             out.get("ename") == "CellTimeoutError" for out in cell.outputs)]
            if timed_out:
                notes.append(f"timed out (scored as failed): {', '.join(timed_out)}")
            truncated = [grade_id(cell, f"cell {i}") for i, cell in enumerate(graded.cells)
                         if cell.cell_type == "code" and any(
                             "Output truncated" in str(out.get("text", ""))
                             or "... output cut:" in str(out.get("text", ""))
                             for out in cell.outputs)]
            if truncated:
                notes.append(f"huge output cut short: {', '.join(truncated)}")
    return notes


# --------------------------------------------------------------------------------------------
# The whole class
# --------------------------------------------------------------------------------------------
def grade_assignment(assignment: str, course_dir: str | os.PathLike = ".", *, students=None,
                     jobs: int = 1, timeout: float | None = None, progress: bool = True,
                     report: str | os.PathLike | None = None, unsafe: bool = False,
                     limits=None, gradebook_wait: float = 60.0,
                     variant_secret: str | os.PathLike | None = None) -> list[GradeResult]:
    """Autograde every submission of one assignment with nbgrader, each in its own sandbox.

    Parameters
    ----------
    assignment : str
        The nbgrader assignment name, e.g. ``"ex01-theory"``; must be a folder of the source
        directory (``solutions/``).
    course_dir : path, default "."
        The course root holding ``nbgrader_config.py``, ``solutions/`` and ``submitted/``.
    students : iterable of str, optional
        Grade only these students (default: everyone with a folder
        ``submitted/<student>/<assignment>``). The report keeps the other students' rows.
    jobs : int, default 1
        Worker processes grading at once (at most one per core is sensible).
    timeout : float, optional
        Per-cell execution limit in seconds; default ``Execute.timeout`` from the config (60 s).
    progress : bool, default True
        Show a tqdm progress bar on stderr.
    report : path, optional
        Where to write the CSV report; default ``autograded/grading-report-<assignment>.csv``.
    unsafe : bool, default False
        Run submissions with the grader's own rights, without a sandbox or kernel resets (for
        trusted work only, or where no sandbox can be made). Prints a warning.
    limits : alliancekit.grading.sandbox.Limits, optional
        Memory, processes, file size, disk, open files, wall-clock seconds per submission and
        output kept per cell (default ``Limits()``: 2 GiB, 64, 64 MiB, 256 MiB, 512, 600 s,
        256 KiB).
    gradebook_wait : float, default 60
        Seconds to wait for the gradebook lock before a student's grading is retried (three
        attempts in all) and then reported as a busy gradebook.

    Returns
    -------
    list of GradeResult
        One per student graded now, sorted by student id.

    Raises
    ------
    CourseError
        If the course directory, the assignment or a requested student does not exist, or there is
        nothing to grade.
    alliancekit.grading.sandbox.SandboxError
        If no sandbox can be made here (and ``unsafe`` is False), or the course lies inside a
        folder the sandbox must show.
    ValueError
        If ``jobs`` is not a positive integer, or ``timeout`` or ``gradebook_wait`` not positive.
    """
    from alliancekit.grading import judging, sandbox

    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a positive whole number of processes, got {jobs!r}")
    if timeout is not None and not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds per cell, got {timeout!r}")
    if not gradebook_wait > 0:
        raise ValueError(f"gradebook_wait must be a positive number of seconds, "
                         f"got {gradebook_wait!r}")
    students = list(students) if students is not None else None
    course, todo = _check_inputs(assignment, Path(course_dir), students)
    if unsafe:
        print(UNSAFE_WARNING, file=sys.stderr)
    else:
        problem = sandbox.sandbox_problem()
        if problem:
            raise sandbox.SandboxError(
                f"refusing to grade without a sandbox: {problem}. To run the submissions with "
                "your own rights anyway (trusted work only), add --unsafe-trust-submissions.")
        sandbox.check_course_hidden(course)
        from alliancekit.grading import collect
        from alliancekit.grading import limits as hard

        collect.check_exchange_hidden(_load_config(course))
        bound = limits or sandbox.Limits()
        hard.prepare_run(bound.memory_mb, bound.processes, bound.disk_mb)
        _precompile_library()
    run = GradingRun(course=str(course), timeout=timeout, unsafe=bool(unsafe),
                     limits=limits or sandbox.Limits(), gradebook_wait=float(gradebook_wait),
                     variant_secret=str(variant_secret or ""))
    from alliancekit.grading.variantgrading import check_ready, shown_inputs_notes

    check_ready(_grading_config(run), assignment)  # a clear error before any grading

    worker = _make_worker(run)  # this process: the API, the lock, the main gradebook
    api = worker.api
    with worker.process.locked():
        _ensure_in_gradebook(api, assignment)

    from tqdm.auto import tqdm

    jobs = min(jobs, len(todo))
    outcomes = []
    bar = tqdm(total=len(todo), desc=f"grading {assignment}", unit="submission",
               disable=not progress, file=sys.stderr)
    try:
        if jobs == 1:
            for student in todo:
                outcomes.append(_grade_and_read(worker, assignment, student))
                bar.update(1)
        else:
            import multiprocessing

            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(jobs, mp_context=context, initializer=_pool_worker,
                                     initargs=(run,)) as pool:
                futures = {pool.submit(_grade_in_pool, run, assignment, s): s for s in todo}
                for future in as_completed(futures):
                    try:
                        outcomes.append(future.result())
                    except Exception as exc:  # a worker process itself died
                        outcomes.append({"student": futures[future], "success": False,
                                         "error": f"the grading worker process died "
                                                  f"({type(exc).__name__}: {exc})",
                                         "log": "", "seconds": 0.0})
                    bar.update(1)
    finally:
        bar.close()
        judging.stop_judges()  # this process's judges' parent (a worker's stops at its exit)
        from alliancekit.grading.warmkernel import stop_kernels

        stop_kernels()  # and its kernels' parent

    results = []
    for outcome in sorted(outcomes, key=lambda o: o["student"]):
        if "result" not in outcome:  # its worker process died before it could read the scores
            outcome["notes"] = outcome.get("notes", []) + shown_inputs_notes(
                api, assignment, outcome["student"])
            outcome["result"] = _result(course, worker, assignment, outcome)
        results.append(outcome["result"])
    _write_report(results, Path(report) if report else
                  course / "autograded" / f"grading-report-{assignment}.csv")
    return results


UNSAFE_WARNING = """
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!! alliancekit-grade --unsafe-trust-submissions: NO SANDBOX.                                 !!
!! Every submission runs with YOUR rights: it can read solutions/ and the hidden tests,      !!
!! rewrite the gradebook, other students' work and the library, and fake its own score.      !!
!! Use this only for work you trust. Grade untrusted work on Linux with bubblewrap, in a     !!
!! Linux container, or on the course JupyterHub.                                              !!
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
"""


def _precompile_library() -> None:
    """Byte-compile alliancekit, so that the sandbox's read-only copy costs nothing at import."""
    import compileall

    import alliancekit

    folder = Path(alliancekit.__file__).resolve().parent
    if os.access(folder, os.W_OK):
        compileall.compile_dir(str(folder), quiet=1, workers=1)


def _clamp_scores(api, assignment: str, student: str) -> list[str]:
    """Keep every autograded score within [0, the cell's points]; say which were out of range."""
    clamped = []
    with api.gradebook as gb:
        submission = gb.find_submission(assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                points = float(grade.max_score or 0.0)
                score = grade.auto_score
                if score is None or 0.0 <= float(score) <= points:
                    continue
                grade.auto_score = min(max(float(score), 0.0), points)
                clamped.append(grade.name)
        if clamped:
            gb.db.commit()
    return clamped


def _suspicious(course: Path, api, assignment: str, student: str) -> list[str]:
    import nbformat

    from alliancekit.grading import sandbox

    coursedir = api.coursedir
    folder = Path(coursedir.format_path(coursedir.submitted_directory, student, assignment))
    words: list[str] = []
    for path in sorted(folder.glob("*.ipynb")):
        try:
            nb = nbformat.read(str(path), as_version=4)
        except Exception:  # unreadable: nbgrader reports it
            continue
        words += [w for w in sandbox.suspicious_code(nb) if w not in words]
    return words


def _record(worker: _Worker, assignment: str, outcome: dict, notes: list) -> tuple:
    """Under the gradebook lock: clamp or zero the scores, then read them."""
    api, student = worker.api, outcome["student"]
    status = "graded"
    with worker.process.locked():
        if outcome["success"]:
            clamped = _clamp_scores(api, assignment, student)
            if clamped:
                status = "needs attention"
                notes.insert(0, "scores outside the cells' points were clamped: "
                             + ", ".join(clamped))
        else:
            _zero_autograded_scores(api, assignment, student)
            status = "needs attention"
            notes.insert(0, "autograding failed, autograded tests set to 0: "
                         + failure_reason(outcome))
        scores = _read_scores(api, assignment, student)
    return status, notes, scores


def _result(course: Path, worker: _Worker, assignment: str, outcome: dict) -> GradeResult:
    api, student = worker.api, outcome["student"]
    notes = _repairs(course, api, assignment, student)
    notes += [n for n in outcome.get("notes", ()) if n not in notes
              and "wall-clock limit" not in n and not (n.startswith("huge output") and any(
                  m.startswith("huge output") for m in notes))]
    from filelock import Timeout

    status = "graded"
    for attempt in range(3):
        try:
            status, notes, scores = _record(worker, assignment, outcome, list(notes))
            break
        except Timeout:
            time.sleep(1.0 + attempt)
    else:
        nan = float("nan")
        return GradeResult(student=student, status="needs attention", score=nan, max_score=nan,
                           auto_score=nan, auto_max=nan, needs_manual_grade=True,
                           seconds=round(outcome["seconds"], 2),
                           notes=("the gradebook stayed busy (locked by another program), so "
                                  "this student's scores could not be checked or read; grade "
                                  "them again", *notes))
    if any(n.startswith(("over its memory limit", "its kernel tampered")) for n in notes):
        status = "needs attention"
    words = _suspicious(course, api, assignment, student)
    if words and outcome["success"]:  # information only: the judge decided the score
        notes.append("for information, its code uses " + ", ".join(words[:6]) + " (a word "
                     "match, not a safety check)")
    return GradeResult(student=student, status=status, notes=tuple(notes),
                       seconds=round(outcome["seconds"], 2), **scores)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``alliancekit-grade ASSIGNMENT [--course DIR] [--jobs N] ...``."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["report"]:  # item analysis: alliancekit-grade report ASSIGNMENT (own module)
        from alliancekit.grading.itemanalysis import main as report
        return report(argv[1:])
    if argv[:1] == ["key"]:  # alliancekit-grade key STUDENT: a student's variant key
        from alliancekit.grading.variantgrading import main as key
        return key(argv[1:])
    if argv[:1] == ["collect"]:  # alliancekit-grade collect SET: checked nbgrader collect
        from alliancekit.grading.collect import main as collect
        return collect(argv[1:])
    from alliancekit.grading import sandbox

    parser = argparse.ArgumentParser(
        prog="alliancekit-grade",
        description="Autograde every submission of an assignment with nbgrader, each in its own "
                    "sandbox: failures are reported and zeroed (never a stale score), scores stay "
                    "within each cell's points, the rest are graded.")
    parser.add_argument("assignment", help="assignment name, e.g. ex01-theory")
    parser.add_argument("--course", default=".", help="course root holding nbgrader_config.py "
                        "(default: the current directory)")
    parser.add_argument("--student", action="append", dest="students", metavar="ID",
                        help="grade only this student (repeatable); the report keeps the others")
    parser.add_argument("--jobs", "-j", type=int, default=1,
                        help="worker processes (default 1; use the number of cores)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="per-cell time limit in seconds (default: nbgrader_config.py, 60)")
    parser.add_argument("--max-seconds", type=float, default=sandbox.Limits.seconds,
                        help="wall-clock limit per submission in seconds (default %(default)g)")
    parser.add_argument("--memory-mb", type=int, default=sandbox.Limits.memory_mb,
                        help="memory of a whole submission (all its processes, tmpfs and "
                             "shared memory) in MiB, through a cgroup; where none can be made, "
                             "per process (default %(default)d)")
    parser.add_argument("--output-mb", type=float, default=sandbox.Limits.output_mb,
                        help="output kept per graded notebook in MiB, display updates included "
                             "(default %(default)g)")
    parser.add_argument("--report", default=None, help="CSV report path (default: "
                        "autograded/grading-report-ASSIGNMENT.csv)")
    parser.add_argument("--unsafe-trust-submissions", action="store_true",
                        help="run submissions WITHOUT a sandbox, with your own rights (trusted "
                             "work only; needed where bubblewrap is unavailable)")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    parser.add_argument("--variant-secret", metavar="FILE", default=None, help="course secret "
                        "for sets graded by variant (default: c.Variants.secret_file)")
    args = parser.parse_args(argv)
    try:
        if not args.max_seconds > 0 or not args.memory_mb > 0 or not args.output_mb > 0:
            raise ValueError("--max-seconds, --memory-mb and --output-mb must be positive")
        limits = sandbox.Limits(seconds=args.max_seconds, memory_mb=args.memory_mb,
                                output_mb=args.output_mb)
        results = grade_assignment(args.assignment, args.course, students=args.students,
                                   jobs=args.jobs, timeout=args.timeout,
                                   progress=not args.no_progress, report=args.report,
                                   unsafe=args.unsafe_trust_submissions, limits=limits,
                                   variant_secret=args.variant_secret)
    except (CourseError, ValueError, sandbox.SandboxError) as exc:
        print(f"alliancekit-grade: error: {exc}", file=sys.stderr)
        return 2
    print(summary_table(results))
    return 0 if all(r.status == "graded" for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
