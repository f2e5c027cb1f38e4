"""Item analysis (`alliancekit-grade report`) on a crafted class of 40 whose answers are known.

The gradebook is seeded directly: five questions, where every student gets Q1 right, nobody scores
on Q2, and Q3-Q5 rise with each student's (made-up) ability.
"""
from __future__ import annotations

import csv
import re

import pytest

from alliancekit import grading
from alliancekit.grading import itemanalysis

pytestmark = pytest.mark.filterwarnings("ignore:.*not in session")  # nbgrader 0.9.6 + SQLAlchemy

ASSIGNMENT = "ex99-crafted"
POINTS = {"q1-tests": 2, "q2-tests": 2, "q3-tests": 1, "q4-tests": 1, "q5-answer": 3}
GUIDE = """# Instructor guide (crafted)

| set | objective | what the lesson asks | graded items |
|---|---|---|---|
| ex99-crafted | LO1 | recall the basics | Q1 (auto, 2) |
| ex99-crafted | LO2 | compute the hard thing | Q2 (auto, 2), Q3 (auto, 1) |
| ex99-crafted | LO3 | argue a case | Q4 (auto, 1), Q5 (written, 3) |
"""


def _crafted_points(ability: float) -> dict[str, float]:
    return {"q1-tests": 2, "q2-tests": 0, "q3-tests": float(ability > 0.3),
            "q4-tests": float(ability > 0.6), "q5-answer": float(round(3 * ability))}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    from nbgrader.api import Gradebook

    root = tmp_path_factory.mktemp("itemanalysis")
    (root / "INSTRUCTORS.md").write_text(GUIDE, encoding="utf-8")
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        gradebook.add_assignment(ASSIGNMENT)
        gradebook.add_notebook(ASSIGNMENT, ASSIGNMENT)
        for cell, points in POINTS.items():
            kind = "markdown" if cell.endswith("answer") else "code"
            gradebook.add_grade_cell(cell, ASSIGNMENT, ASSIGNMENT, max_score=points,
                                     cell_type=kind)
        for k in range(40):
            student = f"s{k:02d}"
            gradebook.add_student(student)
            gradebook.add_submission(ASSIGNMENT, student)
            for cell, score in _crafted_points(k / 39).items():
                grade = gradebook.find_grade(cell, ASSIGNMENT, ASSIGNMENT, student)
                if cell.endswith("answer"):
                    grade.manual_score = score
                else:
                    grade.auto_score = score
            gradebook.db.commit()
    return root


@pytest.fixture(scope="module")
def report(course):
    code = grading.main(["report", ASSIGNMENT, "--course", str(course)])
    assert code == 0
    rows = list(csv.DictReader(open(course / "reports" / f"item-analysis-{ASSIGNMENT}.csv",
                                    encoding="utf-8")))
    page = (course / "reports" / f"item-analysis-{ASSIGNMENT}.html").read_text(encoding="utf-8")
    return {row["question"]: row for row in rows}, page


def test_the_gradebook_is_read_per_question(course):
    scores, points = itemanalysis.read_scores(ASSIGNMENT, course)
    assert scores.shape == (40, 5)
    assert points == {"Q1": 2, "Q2": 2, "Q3": 1, "Q4": 1, "Q5": 3}
    assert scores["Q5"].max() == 3 and scores["Q1"].min() == 2


def test_the_question_everyone_gets_right_is_flagged_with_discrimination_undefined(report):
    rows, _ = report
    assert rows["Q1"]["warning"].startswith("too easy")
    assert float(rows["Q1"]["full_marks_share"]) == 1.0
    assert rows["Q1"]["discrimination"] == ""
    assert rows["Q1"]["discrimination_text"].startswith("undefined")


def test_the_question_nobody_gets_is_flagged_too_hard(report):
    rows, _ = report
    assert rows["Q2"]["warning"].startswith("too hard")
    assert float(rows["Q2"]["mean"]) == 0.0
    assert rows["Q2"]["discrimination_text"].startswith("undefined")


def test_only_those_two_questions_are_flagged_easy_or_hard(report):
    rows, _ = report
    flagged = {q for q, row in rows.items() if re.search(r"too (easy|hard)", row["warning"])}
    assert flagged == {"Q1", "Q2"}


def test_questions_that_rise_with_ability_discriminate(report):
    rows, _ = report
    for question in ("Q3", "Q4", "Q5"):
        assert float(rows[question]["discrimination"]) > 0.5, rows[question]
        assert rows[question]["warning"] == ""


def test_each_question_names_its_learning_objective(report):
    rows, _ = report
    assert rows["Q1"]["objectives"] == "LO1: recall the basics"
    assert rows["Q3"]["objectives"] == "LO2: compute the hard thing"
    assert rows["Q5"]["objectives"] == "LO3: argue a case"


def test_the_page_draws_two_charts_offline_and_never_says_nan(report):
    _, page = report
    assert page.count("<svg") == 2
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org", "")
    assert "https://" not in page
    assert not re.search(r"\bnan\b", page, re.IGNORECASE)
    assert "undefined: every student scored the same" in page


def test_a_missing_assignment_is_a_clear_error(course, capsys):
    assert grading.main(["report", "ex00-none", "--course", str(course)]) == 2
    err = capsys.readouterr().err
    assert "'ex00-none' is not in the gradebook" in err and ASSIGNMENT in err


def test_a_course_without_a_gradebook_is_a_clear_error(tmp_path, capsys):
    assert grading.main(["report", ASSIGNMENT, "--course", str(tmp_path)]) == 2
    assert "no gradebook" in capsys.readouterr().err
