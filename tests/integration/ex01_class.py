"""Building blocks for crafted ex01-theory submissions, shared by the grading tests.

Everything is read from the set's own notebooks, so the tests follow the set when it changes:
the points of each autograded cell, the worked answers, and a released notebook filled in.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "ex01-theory"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"


def _solution() -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "solutions" / ASSIGNMENT / NOTEBOOK, as_version=4)


def gid(cell) -> str | None:
    """The nbgrader grade id of ``cell``, or None for a cell nbgrader does not track."""
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def points() -> dict[str, float]:
    """Points of each autograded test cell of the set, read from its source notebook."""
    return {c.metadata["nbgrader"]["grade_id"]: float(c.metadata["nbgrader"]["points"])
            for c in _solution().cells if c.cell_type == "code"
            and c.metadata.get("nbgrader", {}).get("grade")
            and not c.metadata["nbgrader"].get("solution")}


def wrong_q4() -> str:
    """An answer to Q4 (one letter of a-d) that is not the worked solution's."""
    source = next(c.source for c in _solution().cells if gid(c) == "q4-answer")
    right = re.search(r'answer_q4 = "(\w)"', source).group(1)
    return f'answer_q4 = "{next(x for x in "abcd" if x != right)}"'


def solution_answers() -> dict[str, str]:
    """Answer-cell sources of the worked solution by grade id (what a diligent student types)."""
    answers = {}
    for cell in _solution().cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and not meta.get("grade"):
            answers[meta["grade_id"]] = (cell.source.replace("### BEGIN SOLUTION\n", "")
                                         .replace("### END SOLUTION\n", ""))
    return answers


def student(answers: dict[str, str]) -> nbformat.NotebookNode:
    """The released notebook with the answer cells named in ``answers`` filled in."""
    nb = nbformat.read(ROOT / "exercises" / ASSIGNMENT / NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if gid(cell) in answers:
            cell.source = answers[gid(cell)]
    return nb
