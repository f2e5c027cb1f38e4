"""Grade a whole class with nbgrader, so that no single bad submission can derail the run.

``alliancekit-grade ASSIGNMENT`` is a thin wrapper on nbgrader's own Python API
(`nbgrader.apps.NbGraderAPI.autograde`, one call per student). nbgrader does all the grading:
sanitising, restoring read-only and tampered test cells from the gradebook (``OverwriteCells``),
putting deleted grade cells back (``OverwriteCells.add_missing_cells``), executing with a per-cell
timeout (``Execute.timeout``), truncating huge outputs (``LimitOutput``) and saving the scores. This
module adds only what nbgrader leaves to the instructor:

- **Every submission is attempted.** One failure (a kernel killed by ``os._exit``, a kernel that
  cannot be interrupted, a notebook that cannot be read) never stops the others.
- **No stale score.** When nbgrader fails on a submission it deletes that student's autograded copy
  but leaves the scores of any *earlier* autograde run in the gradebook. Here every autograded
  (test-cell) score of a failed submission is set to 0 and flagged for manual grading, and the
  student is reported as ``needs attention`` with the reason. Manual scores an instructor already
  gave are left alone, as nbgrader itself does.
- **Parallel grading with a consistent gradebook.** With ``--jobs N`` the students are shared among
  N worker processes, each calling nbgrader's autograde in the same course directory (each student
  has their own ``autograded/<student>/`` folder). SQLite is not safe for concurrent writers, so
  every process holds an exclusive file lock (``gradebook.db.lock`` beside the database, ``fcntl``)
  for the whole life of each nbgrader ``Gradebook`` session. nbgrader opens those sessions briefly
  (before executing a notebook, and again to save the scores), so the slow part, executing the
  notebooks, runs in parallel while database access is strictly one process at a time.
- **A progress bar** (tqdm), **a summary table** at the end, a CSV report
  (``autograded/grading-report-<assignment>.csv``), and notes on what nbgrader repaired: test cells
  that were edited (and restored), grade cells that were deleted (and put back), cells that ran out
  of time.

Student files in ``submitted/`` are only read, never written. The exit status is 0 when every
submission was graded, 1 when at least one needs attention, and 2 for bad input.

References
----------
nbgrader documentation, https://nbgrader.readthedocs.io (0.9.6); issues jupyter/nbgrader#1682 and
#1941 (deleted or re-typed grade cells).
"""
from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

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
# The gradebook lock: one process at a time inside any nbgrader Gradebook session
# --------------------------------------------------------------------------------------------
_LOCK = {"path": None, "depth": 0, "handle": None}


try:
    import fcntl  # noqa: F401 (POSIX only)

    _HAVE_FCNTL = True
except ImportError:  # Windows: grading runs in one process, which needs no lock
    _HAVE_FCNTL = False


def _lock_path(db_url: str) -> str | None:
    prefix = "sqlite:///"
    if not _HAVE_FCNTL or not db_url.startswith(prefix):
        return None  # a server database (e.g. PostgreSQL) handles concurrent writers itself
    return db_url[len(prefix):] + ".lock"


def _acquire() -> None:
    if _LOCK["path"] is None:
        return
    if _LOCK["depth"] == 0:
        import fcntl

        handle = open(_LOCK["path"], "a")  # noqa: SIM115 (kept open while the lock is held)
        fcntl.flock(handle, fcntl.LOCK_EX)
        _LOCK["handle"] = handle
    _LOCK["depth"] += 1


def _release(force: bool = False) -> None:
    if _LOCK["path"] is None or _LOCK["depth"] == 0:
        return
    _LOCK["depth"] = 0 if force else _LOCK["depth"] - 1
    if _LOCK["depth"] == 0 and _LOCK["handle"] is not None:
        import fcntl

        fcntl.flock(_LOCK["handle"], fcntl.LOCK_UN)
        _LOCK["handle"].close()
        _LOCK["handle"] = None


def _install_gradebook_lock(db_url: str) -> None:
    """Make every nbgrader ``Gradebook`` hold the file lock from creation until ``close()``."""
    from nbgrader.api import Gradebook

    _LOCK["path"] = _lock_path(db_url)
    if getattr(Gradebook, "_alliancekit_locked", False):
        return
    original_init, original_close = Gradebook.__init__, Gradebook.close

    def __init__(self, *args, **kwargs):
        _acquire()
        self._alliancekit_holds_lock = True
        try:
            original_init(self, *args, **kwargs)
        except BaseException:
            self._alliancekit_holds_lock = False
            _release()
            raise

    def close(self):
        try:
            original_close(self)
        finally:
            if getattr(self, "_alliancekit_holds_lock", False):
                self._alliancekit_holds_lock = False
                _release()

    Gradebook.__init__ = __init__
    Gradebook.close = close
    Gradebook._alliancekit_locked = True


# --------------------------------------------------------------------------------------------
# Configuration and input checks
# --------------------------------------------------------------------------------------------
def _load_config(course: Path, timeout: float | None):
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    if (course / "nbgrader_config.py").exists():
        config.merge(PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config())
    config.CourseDirectory.root = str(course)
    if timeout is not None:
        config.Execute.timeout = int(timeout)
    return config


def _make_api(course: Path, timeout: float | None):
    from nbgrader.apps import NbGraderAPI

    api = NbGraderAPI(config=_load_config(course, timeout))
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
    config = _load_config(course, None)
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
_WORKER: dict = {}


def _worker_init(course: str, timeout: float | None) -> None:
    import warnings

    # nbgrader 0.9.6 triggers harmless SQLAlchemy autoflush warnings while creating submissions.
    warnings.filterwarnings("ignore", message=".*not in session.*")
    os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    api = _make_api(Path(course), timeout)
    _install_gradebook_lock(api.coursedir.db_url)
    _WORKER.update(api=api, course=course)


def _last_error_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for line in reversed(lines):
        if "Error" in line or "Exception" in line:
            return line[:300]
    return lines[-1][:300] if lines else "unknown error"


def _grade_one(assignment: str, student: str) -> dict:
    api = _WORKER["api"]
    start = time.perf_counter()
    try:
        result = api.autograde(assignment, student, force=True, create=True)
    except Exception as exc:  # nbgrader reports its own errors; this is a last resort
        result = {"success": False, "error": f"{type(exc).__name__}: {exc}"}
    finally:
        _release(force=True)  # never carry a lock from one student to the next
    return {
        "student": student,
        "success": bool(result.get("success")),
        "error": result.get("error", ""),
        "log": result.get("log", ""),
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

    coursedir = api.coursedir
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

        def graded_cells(nb):
            cells = {}
            for cell in nb.cells:
                meta = cell.metadata.get("nbgrader", {})
                if meta.get("grade_id") and (meta.get("grade") or meta.get("solution")):
                    cells.setdefault(meta["grade_id"], (cell, meta))
            return cells

        wanted, got = graded_cells(source), graded_cells(submitted)
        missing = [gid for gid, (_, meta) in wanted.items() if meta.get("grade") and gid not in got]
        if missing:
            notes.append(f"deleted grade cells put back: {', '.join(missing)}")
        edited = []
        for gid, (cell, meta) in wanted.items():
            if meta.get("grade") and not meta.get("solution") and gid in got:
                visible = cell.source.split("### BEGIN HIDDEN TESTS")[0].rstrip()
                if got[gid][0].source.split("### BEGIN HIDDEN TESTS")[0].rstrip() != visible:
                    edited.append(gid)
        if edited:
            notes.append(f"edited test cells restored: {', '.join(edited)}")
        graded_path = autograded_dir / name
        if graded_path.exists():
            graded = nbformat.read(str(graded_path), as_version=4)
            timed_out = [cell.metadata.get("nbgrader", {}).get("grade_id", f"cell {i}")
                         for i, cell in enumerate(graded.cells)
                         if cell.cell_type == "code" and any(
                             out.get("ename") == "CellTimeoutError" for out in cell.outputs)]
            if timed_out:
                notes.append(f"timed out (scored as failed): {', '.join(timed_out)}")
            truncated = [cell.metadata.get("nbgrader", {}).get("grade_id", f"cell {i}")
                         for i, cell in enumerate(graded.cells)
                         if cell.cell_type == "code" and any(
                             "Output truncated" in str(out.get("text", ""))
                             for out in cell.outputs)]
            if truncated:
                notes.append(f"huge output cut short: {', '.join(truncated)}")
    return notes


def _failure_reason(outcome: dict) -> str:
    text = outcome["error"] + "\n" + outcome["log"]
    if "DeadKernelError" in text or "Kernel died" in text:
        return "the kernel died while running this notebook (e.g. os._exit or a crash)"
    if "UnresponsiveKernelError" in text or "became unresponsive" in text:
        return "the kernel could not be interrupted (e.g. a loop that ignores Ctrl-C)"
    if "NotJSONError" in text or "Notebook does not appear to be JSON" in text:
        return "the notebook file is not valid JSON"
    return _last_error_line(outcome["error"] or outcome["log"])


# --------------------------------------------------------------------------------------------
# The whole class
# --------------------------------------------------------------------------------------------
def grade_assignment(assignment: str, course_dir: str | os.PathLike = ".", *, students=None,
                     jobs: int = 1, timeout: float | None = None, progress: bool = True,
                     report: str | os.PathLike | None = None) -> list[GradeResult]:
    """Autograde every submission of one assignment with nbgrader, robustly.

    Parameters
    ----------
    assignment : str
        The nbgrader assignment name, e.g. ``"ex01-theory"``; must be a folder of the source
        directory (``solutions/``).
    course_dir : path, default "."
        The course root holding ``nbgrader_config.py``, ``solutions/`` and ``submitted/``.
    students : iterable of str, optional
        Grade only these students (default: everyone with a folder
        ``submitted/<student>/<assignment>``).
    jobs : int, default 1
        Worker processes grading at once (at most one per core is sensible).
    timeout : float, optional
        Per-cell execution limit in seconds; default ``Execute.timeout`` from the config (60 s).
    progress : bool, default True
        Show a tqdm progress bar on stderr.
    report : path, optional
        Where to write the CSV report; default ``autograded/grading-report-<assignment>.csv``.

    Returns
    -------
    list of GradeResult
        One per student, sorted by student id.

    Raises
    ------
    CourseError
        If the course directory, the assignment or a requested student does not exist, or there is
        nothing to grade.
    ValueError
        If ``jobs`` is not a positive integer or ``timeout`` is not positive.
    """
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a positive whole number of processes, got {jobs!r}")
    if jobs > 1 and not _HAVE_FCNTL:
        raise ValueError("jobs > 1 needs fcntl file locks (Linux, macOS) to keep the gradebook "
                         "consistent; use jobs=1 on this system")
    if timeout is not None and not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds per cell, got {timeout!r}")
    students = list(students) if students is not None else None
    course, todo = _check_inputs(assignment, Path(course_dir), students)
    os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")

    _worker_init(str(course), timeout)  # this process: the API, the lock, the main gradebook
    api = _WORKER["api"]
    _ensure_in_gradebook(api, assignment)

    from tqdm.auto import tqdm

    jobs = min(jobs, len(todo))
    outcomes = []
    bar = tqdm(total=len(todo), desc=f"grading {assignment}", unit="submission",
               disable=not progress, file=sys.stderr)
    try:
        if jobs == 1:
            for student in todo:
                outcomes.append(_grade_one(assignment, student))
                bar.update(1)
        else:
            import multiprocessing

            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(jobs, mp_context=context, initializer=_worker_init,
                                     initargs=(str(course), timeout)) as pool:
                futures = {pool.submit(_grade_one, assignment, s): s for s in todo}
                for future in as_completed(futures):
                    try:
                        outcomes.append(future.result())
                    except Exception as exc:  # a worker process itself died
                        outcomes.append({"student": futures[future], "success": False,
                                         "error": f"{type(exc).__name__}: {exc}", "log": "",
                                         "seconds": 0.0})
                    bar.update(1)
    finally:
        bar.close()

    results = []
    for outcome in sorted(outcomes, key=lambda o: o["student"]):
        student = outcome["student"]
        notes = _repairs(course, api, assignment, student)
        if outcome["success"]:
            status = "graded"
        else:
            _zero_autograded_scores(api, assignment, student)
            status = "needs attention"
            notes.insert(0, "autograding failed, autograded tests set to 0: "
                         + _failure_reason(outcome))
        scores = _read_scores(api, assignment, student)
        results.append(GradeResult(student=student, status=status, notes=tuple(notes),
                                   seconds=round(outcome["seconds"], 2), **scores))
    _write_report(results, Path(report) if report else
                  course / "autograded" / f"grading-report-{assignment}.csv")
    return results


def _write_report(results: list[GradeResult], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "status", "score", "max_score", "auto_score", "auto_max",
                         "needs_manual_grade", "seconds", "notes"])
        for r in results:
            writer.writerow([r.student, r.status, r.score, r.max_score, r.auto_score, r.auto_max,
                             r.needs_manual_grade, r.seconds, "; ".join(r.notes)])


def summary_table(results: list[GradeResult]) -> str:
    """A plain-text table: one row per student, then a line of totals."""
    header = ("student", "status", "auto", "total", "manual?", "secs", "notes")
    rows = [(r.student, r.status, f"{r.auto_score:g}/{r.auto_max:g}",
             f"{r.score:g}/{r.max_score:g}", "yes" if r.needs_manual_grade else "no",
             f"{r.seconds:.1f}", "; ".join(r.notes) or "-") for r in results]
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows, strict=True)]
    widths[-1] = len(header[-1])  # notes run on freely
    line = "  ".join("{:<%d}" % w for w in widths)
    out = [line.format(*header), line.format(*("-" * w for w in widths))]
    out += [line.format(*row) for row in rows]
    attention = sum(r.status != "graded" for r in results)
    out.append(f"{len(results)} submissions: {len(results) - attention} graded, "
               f"{attention} need attention")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``alliancekit-grade ASSIGNMENT [--course DIR] [--jobs N] ...``."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["report"]:  # item analysis: alliancekit-grade report ASSIGNMENT (own module)
        from alliancekit.itemanalysis import main as report
        return report(argv[1:])
    parser = argparse.ArgumentParser(
        prog="alliancekit-grade",
        description="Autograde every submission of an assignment with nbgrader, robustly: "
                    "failures are reported and zeroed (never a stale score), the rest are graded.")
    parser.add_argument("assignment", help="assignment name, e.g. ex01-theory")
    parser.add_argument("--course", default=".", help="course root holding nbgrader_config.py "
                        "(default: the current directory)")
    parser.add_argument("--student", action="append", dest="students", metavar="ID",
                        help="grade only this student (repeatable)")
    parser.add_argument("--jobs", "-j", type=int, default=1,
                        help="worker processes (default 1; use the number of cores)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="per-cell time limit in seconds (default: nbgrader_config.py, 60)")
    parser.add_argument("--report", default=None, help="CSV report path (default: "
                        "autograded/grading-report-ASSIGNMENT.csv)")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    args = parser.parse_args(argv)
    try:
        results = grade_assignment(args.assignment, args.course, students=args.students,
                                   jobs=args.jobs, timeout=args.timeout,
                                   progress=not args.no_progress, report=args.report)
    except (CourseError, ValueError) as exc:
        print(f"alliancekit-grade: error: {exc}", file=sys.stderr)
        return 2
    print(summary_table(results))
    return 0 if all(r.status == "graded" for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
