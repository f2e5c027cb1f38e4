"""The grading run's outputs for people: the CSV report, the summary table, failures in words."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alliancekit.grading import GradeResult

__all__ = ["summary_table", "failure_reason"]

_REPORT_HEADER = ["student", "status", "score", "max_score", "auto_score", "auto_max",
                  "needs_manual_grade", "seconds", "notes"]


def _write_report(results: list["GradeResult"], path: Path) -> None:
    """Write the CSV report, keeping the rows of students not graded in this run."""
    from alliancekit.grading.collect import shown
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = {}
    if path.exists():
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            if next(reader, None) == _REPORT_HEADER:
                rows = {row[0]: row for row in reader if row}
    for r in results:  # ids and notes are the student's text: no formula, no control character
        rows[r.student] = [shown(r.student, spreadsheet=True), r.status, r.score, r.max_score,
                           r.auto_score, r.auto_max, r.needs_manual_grade, r.seconds,
                           shown("; ".join(r.notes), spreadsheet=True)]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(_REPORT_HEADER)
        for student in sorted(rows):
            writer.writerow(rows[student])


def summary_table(results: list["GradeResult"]) -> str:
    """A plain-text table: one row per student, then a line of totals."""
    from alliancekit.grading.collect import shown
    header = ("student", "status", "auto", "total", "manual?", "secs", "notes")
    rows = [(shown(r.student), r.status, f"{r.auto_score:g}/{r.auto_max:g}",
             f"{r.score:g}/{r.max_score:g}", "yes" if r.needs_manual_grade else "no",
             f"{r.seconds:.1f}", shown("; ".join(r.notes)) or "-") for r in results]
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows, strict=True)]
    widths[-1] = len(header[-1])  # notes run on freely
    line = "  ".join("{:<%d}" % w for w in widths)
    out = [line.format(*header), line.format(*("-" * w for w in widths))]
    out += [line.format(*row) for row in rows]
    attention = sum(r.status != "graded" for r in results)
    out.append(f"{len(results)} submissions: {len(results) - attention} graded, "
               f"{attention} need attention")
    return "\n".join(out)


def _last_error_line(text: str) -> str:
    """The last line of ``text`` that names an error (or its last line), at most 300 characters."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()
             and "see the above traceback" not in line.lower()]
    for line in reversed(lines):
        if "Error" in line or "Exception" in line:
            return line[:300]
    return lines[-1][:300] if lines else "nbgrader gave no reason"


def busy(text: str) -> bool:
    """Whether nbgrader's error text says the gradebook was busy (SQLite's or our file lock)."""
    return "database is locked" in text or ("Timeout" in text and ".lock" in text)


def failure_reason(outcome: dict) -> str:
    """Say in words why nbgrader could not grade a submission.

    Parameters
    ----------
    outcome : dict
        One student's grading outcome: ``error`` and ``log`` (nbgrader's text), and optionally
        ``notes`` (the grader's) and ``attempts`` (how many times it was tried).

    Returns
    -------
    str
        One sentence for the instructor.
    """
    text = outcome["error"] + "\n" + outcome["log"]
    wall = [n for n in outcome.get("notes", ()) if "wall-clock limit" in n]
    if wall:
        return f"the submission was {wall[0]}; its kernel was killed"
    if busy(text):
        tries = outcome.get("attempts", 1)
        return (f"the gradebook was busy (locked by another program or grading run) through "
                f"{tries} attempt{'s' if tries > 1 else ''}; close Formgrader or other nbgrader "
                "commands and grade this student again")
    if "DeadKernelError" in text or "Kernel died" in text or "kernel died" in text.lower():
        return "the kernel died while running this notebook (e.g. os._exit, a crash or a limit)"
    if "UnresponsiveKernelError" in text or "became unresponsive" in text:
        return "the kernel could not be interrupted (e.g. a loop that ignores Ctrl-C)"
    if "NotJSONError" in text or "Notebook does not appear to be JSON" in text:
        return "the submitted file is not a notebook (not valid notebook JSON)"
    if "NotebookValidationError" in text or "ValidationError" in text:
        return "the submitted file is not a valid notebook (nbformat validation failed)"
    if "Kernel didn't respond" in text or "Kernel died before replying" in text:
        return "the sandboxed kernel did not start (see the log with --no-progress)"
    if "SandboxError" in text or outcome["error"].startswith("Refused: "):
        return _last_error_line(text)
    if "grading worker process died" in text:
        return _last_error_line(outcome["error"])
    return "nbgrader failed: " + _last_error_line(outcome["error"] or outcome["log"])
