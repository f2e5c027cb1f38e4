"""The grading run's outputs for people: the CSV report and the summary table."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alliancekit.grading import GradeResult

__all__ = ["summary_table"]

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
