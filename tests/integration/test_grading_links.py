"""Submissions carrying links or special files are refused before nbgrader ever touches them.

nbgrader's autograde copies a submission folder with the grader's rights and follows links, so a
link beside the notebook would bring the course's secrets into the graded copy (and from there
into feedback), a link to ``/dev/zero`` would fill the disk, and a notebook or folder that is a
link would be graded as its target. `alliancekit-grade` checks ``submitted/<student>/<set>``
without following anything and refuses such a submission, scoring it 0 and saying why.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import ex01_class as ex01
import nbformat
import pytest

from alliancekit import grading
from alliancekit.grading import sandbox

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore:.*not in session")]

ROOT = Path(__file__).resolve().parents[2]
SET, NOTEBOOK = ex01.ASSIGNMENT, ex01.NOTEBOOK
UNSAFE = bool(sandbox.sandbox_problem()) and not os.environ.get("CI")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = tmp_path_factory.mktemp("links")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions" / SET, course / "solutions" / SET)
    shutil.copytree(ROOT / "exercises" / SET, course / "exercises" / SET)
    secret = course / "secret.txt"
    secret.write_text("the hidden tests would be here")
    honest = ex01.student(ex01.solution_answers())
    for name in ("honest", "beside", "zero", "aliased", "fifo"):
        folder = course / "submitted" / name / SET
        folder.mkdir(parents=True)
        if name != "aliased":
            nbformat.write(honest, folder / NOTEBOOK)
    (course / "submitted" / "beside" / SET / "notes.txt").symlink_to(secret)
    (course / "submitted" / "zero" / SET / "data.csv").symlink_to("/dev/zero")
    (course / "submitted" / "aliased" / SET / NOTEBOOK).symlink_to(
        course / "submitted" / "honest" / SET / NOTEBOOK)
    os.mkfifo(course / "submitted" / "fifo" / SET / "pipe")
    (course / "submitted" / "borrowed").symlink_to(course / "submitted" / "honest")
    results = grading.grade_assignment(SET, course, jobs=2, progress=False, unsafe=UNSAFE)
    return course, {r.student: r for r in results}


def test_an_honest_submission_beside_them_keeps_every_point(graded):
    _, results = graded
    assert results["honest"].auto_score == results["honest"].auto_max > 0


@pytest.mark.parametrize("student,why", [("beside", "link"), ("zero", "link"),
                                         ("aliased", "link"), ("fifo", "FIFO"),
                                         ("borrowed", "link")])
def test_a_submission_with_a_link_or_special_file_is_refused_with_zero(graded, student, why):
    _, results = graded
    result = results[student]
    assert result.status == "needs attention"
    assert result.auto_score == 0
    assert any(why in note for note in result.notes), result.notes


@pytest.mark.parametrize("student", ["beside", "zero", "aliased", "fifo", "borrowed"])
def test_nothing_of_a_refused_submission_is_copied_into_autograded(graded, student):
    course, _ = graded
    assert not (course / "autograded" / student / SET).exists()
