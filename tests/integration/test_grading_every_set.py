"""Every graded set, graded by `alliancekit-grade` in its sandbox and trusted judge, as a class is.

A diligent student hands in the released notebook with every answer cell filled in as the worked
solution fills it; the judge must give that submission every autograded point of the set (a
blank copy scoring nothing is checked on ex01 in test_grading.py). Sets with per-student variants
are graded with variants switched on, so the diligent student works and is graded on a keyed
variant of their own (the public variant is graded in test_grading.py and test_exercises.py).
This pins the promise that the judge scores each set exactly as the worked solutions' own tests
do, set by set, so a change to a set or to the judge cannot quietly cost honest students points.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest

from alliancekit import grading, variants
from alliancekit.grading import sandbox

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore:.*not in session")]

ROOT = Path(__file__).resolve().parents[2]
SETS = sorted(p.name for p in (ROOT / "solutions").iterdir() if (p / f"{p.name}.ipynb").exists())
UNSAFE = bool(sandbox.sandbox_problem()) and not os.environ.get("CI")
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def _meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def _answers(assignment: str) -> dict[str, str]:
    """The worked solution's answer cells by grade id, without nbgrader's solution markers."""
    nb = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    return {_meta(c)["grade_id"]: "\n".join(line for line in c.source.split("\n")
                                            if line.strip() not in MARKERS)
            for c in nb.cells if c.cell_type == "code" and _meta(c).get("solution")
            and not _meta(c).get("grade")}


def _submission(assignment: str, answers: dict[str, str]) -> nbformat.NotebookNode:
    nb = nbformat.read(ROOT / "exercises" / assignment / f"{assignment}.ipynb", as_version=4)
    for cell in nb.cells:
        if _meta(cell).get("grade_id") in answers:
            cell.source = answers[_meta(cell)["grade_id"]]
    return nb


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("every-set")
    secret = tmp_path_factory.mktemp("instructor") / "variant-secret"
    secret.write_text(variants.new_secret())
    (root / "nbgrader_config.py").write_text(
        (ROOT / "nbgrader_config.py").read_text()
        + f"\nc.Variants.secret_file = {str(secret)!r}\nc.Variants.sets = {variants.sets()!r}\n")
    for assignment in SETS:
        shutil.copytree(ROOT / "solutions" / assignment, root / "solutions" / assignment)
        shutil.copytree(ROOT / "exercises" / assignment, root / "exercises" / assignment)
        folder = root / "submitted" / "diligent" / assignment
        folder.mkdir(parents=True)
        released = _submission(assignment, _answers(assignment))
        nbformat.write(released, folder / f"{assignment}.ipynb")
    return root


@pytest.mark.parametrize("assignment", SETS)
def test_the_worked_solution_scores_every_autograded_point(course, assignment):
    (diligent,) = grading.grade_assignment(assignment, course, progress=False, unsafe=UNSAFE)
    assert diligent.auto_max > 0
    assert diligent.auto_score == diligent.auto_max, (assignment, diligent.notes)
