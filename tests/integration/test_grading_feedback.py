"""Feedback pages never show hidden-test code, even when a hidden test fails.

A temporary course holds ex01-theory. One student submits the worked solution; a second gives a
Q1 answer rounded to three decimals, which passes the visible test and fails the hidden one (so
its traceback would quote the hidden line). Both are graded with ``alliancekit-grade`` and their
feedback made with nbgrader's ``generate_feedback`` as configured in ``nbgrader_config.py``. A
page rendered with nbgrader's default preprocessors shows that the hidden code would otherwise
leak. Every set's feedback pages, for a worked and an untouched submission, are checked for hidden
lines in test_exercises.py (its nbgrader round trip makes them).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from feedback_support import hidden_lines as _hidden_lines
from feedback_support import page_text as _text
from feedback_support import worked as _worked

from alliancekit import grading
from alliancekit.grading import sandbox

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore:.*not in session")]

ROOT = Path(__file__).resolve().parents[2]
SETS = sorted(p.name for p in (ROOT / "solutions").iterdir() if (p / f"{p.name}.ipynb").exists())
UNSAFE = bool(sandbox.sandbox_problem()) and not __import__("os").environ.get("CI")


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("feedback")
    shutil.copy(ROOT / "nbgrader_config.py", root)
    assignment = "ex01-theory"
    shutil.copytree(ROOT / "solutions" / assignment, root / "solutions" / assignment)
    folder = root / "submitted" / "perfect" / assignment
    folder.mkdir(parents=True)
    nbformat.write(_worked(assignment), folder / f"{assignment}.ipynb")
    rounded = _worked("ex01-theory")
    for cell in rounded.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q1-answer":
            cell.source = cell.source.replace("margin_q1 = float(calc_q1.margin)",
                                              "margin_q1 = round(float(calc_q1.margin), 3)")
    folder = root / "submitted" / "rounded" / "ex01-theory"
    folder.mkdir(parents=True)
    nbformat.write(rounded, folder / "ex01-theory.ipynb")
    return root


@pytest.fixture(scope="module")
def pages(course) -> dict:
    from nbgrader.apps import NbGraderAPI

    api = NbGraderAPI(config=grading._load_config(course))
    out = {}
    assignment = "ex01-theory"
    for r in grading.grade_assignment(assignment, course, progress=False, jobs=1, timeout=60,
                                      unsafe=UNSAFE):
        done = api.generate_feedback(assignment, r.student)
        assert done["success"], done["error"]
        html = course / "feedback" / r.student / assignment / f"{assignment}.html"
        out[(assignment, r.student)] = {"html": html.read_text(encoding="utf-8"), "result": r}
    return out


def test_every_set_has_hidden_tests_to_hide():
    assert all(_hidden_lines(assignment) for assignment in SETS)


def test_the_rounded_answer_passes_the_visible_test_and_fails_the_hidden_one(pages):
    r = pages[("ex01-theory", "rounded")]["result"]
    assert r.auto_score == r.auto_max - 2  # Q1's two points
    page = _text(pages[("ex01-theory", "rounded")]["html"])
    assert "Q1: correct, all visible checks pass" in page


def test_the_worked_solutions_feedback_shows_no_hidden_test_line(pages):
    text = _text(pages[("ex01-theory", "perfect")]["html"])
    assert [line for line in _hidden_lines("ex01-theory") if line in text] == []
    assert "hidden tests ran here" in text


def test_a_failing_hidden_test_shows_its_failure_but_not_its_code(pages):
    text = _text(pages[("ex01-theory", "rounded")]["html"])
    assert [line for line in _hidden_lines("ex01-theory") if line in text] == []
    assert "AssertionError" in text and "hidden tests' code is not shown" in text


def test_without_the_filter_the_failing_hidden_test_would_leak(course, pages):
    from nbgrader.apps import NbGraderAPI

    config = grading._load_config(course)
    config.GenerateFeedback.preprocessors = [
        "nbgrader.preprocessors.GetGrades", "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor"]
    config.CourseDirectory.feedback_directory = "feedback-unfiltered"
    assert NbGraderAPI(config=config).generate_feedback("ex01-theory", "rounded")["success"]
    html = (course / "feedback-unfiltered" / "rounded" / "ex01-theory"
            / "ex01-theory.html").read_text(encoding="utf-8")
    assert "assert close(margin_q1, _ref.margin, 1e-9)" in _text(html)


@pytest.fixture(scope="module")
def explorer_page(tmp_path_factory) -> str:
    """Feedback for a submission that also shows an explorer (one set, one student)."""
    from nbgrader.apps import NbGraderAPI

    assignment = "ex06-small-powers"
    root = tmp_path_factory.mktemp("feedback-explorer")
    shutil.copy(ROOT / "nbgrader_config.py", root)
    shutil.copytree(ROOT / "solutions" / assignment, root / "solutions" / assignment)
    notebook = _worked(assignment)
    notebook.cells.append(nbformat.v4.new_code_cell(
        "from alliancekit import widgets\nwidgets.portfolio_explorer()"))
    folder = root / "submitted" / "explorer" / assignment
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / f"{assignment}.ipynb")
    grading.grade_assignment(assignment, root, progress=False, jobs=1, timeout=60, unsafe=UNSAFE)
    done = NbGraderAPI(config=grading._load_config(root)).generate_feedback(assignment, "explorer")
    assert done["success"], done["error"]
    return (root / "feedback" / "explorer" / assignment / f"{assignment}.html").read_text(
        encoding="utf-8")


def test_an_explorer_in_a_submission_reaches_the_feedback_as_its_snapshot(explorer_page):
    """Autograde runs the explorer where no browser draws it, so the kernel writes the static
    snapshot (summary, figure captions, data table). The feedback keeps its words and table; the
    grading sanitiser drops the inline SVG, as it drops all markup able to carry script from a
    submission (alliancekit/grading/sanitise.py)."""
    text = _text(explorer_page)
    assert "Small-state strategies under a common shock" in text
    assert "Best: single patron" in text                 # the snapshot's summary and caption
    assert "Data table" in text
