"""What a feedback page shows, for the tests that read one (test_grading_feedback, test_exercises).

`hidden_lines` lists the lines of a set's hidden tests that a student never has; `page_text` is a
page's visible text. A line of the first found in the second is hidden test code that leaked.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def page_text(html: str) -> str:
    """The visible text of a page, with runs of white space collapsed."""
    parser = _Text()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def worked(assignment: str) -> nbformat.NotebookNode:
    """The released notebook with every answer cell filled in as the worked solution fills it."""
    nb = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and not meta.get("grade"):
            # whole marker lines, indented ones too (inside a function's body)
            cell.source = re.sub(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*(\n|$)", "",
                                 cell.source, flags=re.M)
    student = nbformat.read(ROOT / "exercises" / assignment / f"{assignment}.ipynb", as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in student.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers and cell.metadata["nbgrader"].get("solution"):
            cell.source = answers[gid]
    return student


def hidden_lines(assignment: str) -> list[str]:
    """Lines of the set's hidden tests that appear nowhere in what the student has or sent.

    (A hidden test may repeat a line of the worked answer, which a student who answered well
    submitted and so rightly sees again in the feedback.)
    """
    nb = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    student = nbformat.read(ROOT / "exercises" / assignment / f"{assignment}.ipynb", as_version=4)
    visible = " ".join(" ".join(c.source.split()) for c in [*student.cells,
                                                              *worked(assignment).cells])
    lines = []
    for cell in nb.cells:
        for block in re.findall(r"BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", cell.source,
                                flags=re.S):
            for line in block.splitlines():
                line = " ".join(line.split())
                if len(line) >= 8 and line not in visible:
                    lines.append(line)
    return lines
