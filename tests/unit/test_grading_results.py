"""What a grading run tells people (alliancekit.grading.results): failures said in words, the
summary table and the CSV report. Pure functions of the outcomes; no notebook runs."""
from __future__ import annotations

import csv

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliancekit.grading import GradeResult
from alliancekit.grading.results import (
    _last_error_line,
    _write_report,
    busy,
    failure_reason,
    summary_table,
)


def _outcome(error: str = "", log: str = "", **more) -> dict:
    return {"error": error, "log": log, **more}


def _row(student: str, score: float, status: str = "graded", notes=()) -> GradeResult:
    return GradeResult(student=student, status=status, score=score, max_score=15,
                       auto_score=score, auto_max=9, needs_manual_grade=False, notes=tuple(notes))


# ---- failures in words ----------------------------------------------------------------------
def test_a_busy_gradebook_is_reported_as_busy_never_as_a_schema_problem():
    reason = failure_reason(_outcome(
        "sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) database is locked",
        "The database may need to be upgraded: run `nbgrader db upgrade`", attempts=3))
    assert "gradebook was busy" in reason and "3 attempts" in reason
    assert "upgrade" not in reason


def test_one_attempt_is_said_in_the_singular():
    assert "1 attempt;" in failure_reason(_outcome("database is locked", attempts=1))


def test_a_failure_without_a_traceback_still_says_what_happened():
    reason = failure_reason(_outcome("", "see the above traceback"))
    assert reason and "see the above traceback" not in reason


@pytest.mark.parametrize("error, says", [
    ("nbclient.exceptions.DeadKernelError: Kernel died", "the kernel died"),
    ("UnresponsiveKernelError: the kernel became unresponsive", "could not be interrupted"),
    ("NotJSONError: Notebook does not appear to be JSON", "not a notebook"),
    ("nbformat.ValidationError: 'cells' is a required property", "not a valid notebook"),
    ("RuntimeError: Kernel didn't respond in 60 seconds", "did not start"),
    ("SandboxError: bubblewrap exited before starting the kernel", "bubblewrap exited"),
    ("Refused: a symbolic link in the submission", "Refused: a symbolic link"),
    ("the grading worker process died (BrokenProcessPool: gone)", "worker process died"),
    ("KeyError: 'cells'", "nbgrader failed: KeyError"),
])
def test_each_kind_of_failure_is_said_in_words(error, says):
    assert says in failure_reason(_outcome(error))


def test_a_submission_stopped_by_the_wall_clock_says_so_before_anything_else():
    outcome = _outcome("DeadKernelError: Kernel died",
                       notes=["stopped after the wall-clock limit of 600 s per submission"])
    assert failure_reason(outcome).startswith("the submission was stopped after the wall-clock")


@pytest.mark.parametrize("text, is_busy", [
    ("(sqlite3.OperationalError) database is locked", True),
    ("Timeout: the gradebook lock /course/gradebook.db.lock was busy", True),
    ("Timeout: the kernel did not answer", False),
    ("a file named x.lock", False),
])
def test_a_busy_gradebook_is_told_from_other_timeouts(text, is_busy):
    assert busy(text) is is_busy


def test_the_last_line_naming_an_error_is_the_reason_and_is_kept_short():
    text = "Traceback\n  File x\nValueError: first\nsome context\nKeyError: " + "k" * 400 + "\n"
    assert _last_error_line(text) == ("KeyError: " + "k" * 400)[:300]


def test_without_an_error_line_the_last_line_is_the_reason():
    assert _last_error_line("starting\nstopped early\n") == "stopped early"
    assert _last_error_line("") == "nbgrader gave no reason"


# ---- the summary table and the report -------------------------------------------------------
_statuses = st.lists(st.sampled_from(["graded", "needs attention"]), max_size=8)


@given(_statuses)
def test_the_summary_counts_every_submission_once(statuses):
    results = [_row(f"s{i}", 5, status) for i, status in enumerate(statuses)]
    last = summary_table(results).splitlines()[-1]
    attention = statuses.count("needs attention")
    assert last == (f"{len(statuses)} submissions: {len(statuses) - attention} graded, "
                    f"{attention} need attention")


def test_the_summary_has_a_row_per_student_with_auto_and_total_scores():
    table = summary_table([_row("ann", 9, notes=["huge output cut short"])]).splitlines()
    assert table[2].split()[:5] == ["ann", "graded", "9/9", "9/15", "no"]
    assert table[2].endswith("huge output cut short")


def test_a_regrade_of_some_students_keeps_the_other_rows_of_the_report(tmp_path):
    report = tmp_path / "report.csv"
    _write_report([_row("ann", 9), _row("bob", 5)], report)
    _write_report([_row("bob", 7)], report)
    lines = report.read_text().splitlines()
    assert [line.split(",")[:3] for line in lines[1:]] == [["ann", "graded", "9"],
                                                          ["bob", "graded", "7"]]


def test_a_report_of_another_shape_is_replaced_not_mixed_in(tmp_path):
    report = tmp_path / "report.csv"
    report.write_text("name,points\nzed,3\n")
    _write_report([_row("ann", 9)], report)
    with open(report, newline="") as handle:
        assert [row[0] for row in csv.reader(handle)] == ["student", "ann"]
