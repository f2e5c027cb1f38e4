"""Red team: a function answer that records the judge's calls can never show their arguments.

The judge checks a function question by calling the student's function, in the student's
kernel, with the tests' arguments, hidden tests' included. A red-team submission (this round)
wrapped its ``share_alive`` (ex02 Q1) to keep every call's arguments, and printed them from a
later answer cell: the hidden tests' frames reached the feedback page. Now a test that calls a
function runs after the submission's last cell of its own (`alliancekit.grading.judging`), so no
cell of the submission runs after a call.

Two submissions of ex02-patterns, graded in the sandbox, both the worked solution with a
recording ``share_alive``, a print of what it recorded in every later answer cell, and an output
of the Q1 cell that a hook redraws (a display update) with the count of calls after every cell the
kernel runs, and during each call:

- ``recorder``: as the set is laid out;
- ``trailing``: with one more cell of its own after the closing summary (it too prints), so that
  the summary runs before the put-off tests, and must be run again after them;
- ``raiser``: the worked solution, whose ``share_alive`` raises, when the grader calls it, an
  assertion and a ``NameError`` whose texts carry the arguments, shaped to read as the checks'
  own messages (a failed test's message can reach the feedback page).

Feedback pages are made for all three: none shows an argument of a call.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from feedback_support import worked
from nbgrader.apps import NbGraderAPI

from alliancekit import grading
from alliancekit.grading import sandbox

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore:.*not in session")]

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "ex02-patterns"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"

if sandbox.sandbox_problem() and not os.environ.get("CI"):
    pytest.skip(f"no grading sandbox here: {sandbox.sandbox_problem()}", allow_module_level=True)

RECORD = """
import sys as _sys
from IPython.display import display as _display, update_display as _update
_calls = []  # the grader's calls only (through its in-kernel hand-over), not the notebook's own
_own_share_alive = share_alive
def share_alive(frame, t):
    if _sys._getframe(1).f_code.co_filename.endswith("_inkernel.py"):
        _calls.append((len(frame), t))
        _update(f"REDRAWN {len(_calls)}", display_id="ak-record")
    return _own_share_alive(frame, t)
_display("REDRAWN 0", display_id="ak-record")  # redrawn with the calls, whenever it can be
get_ipython().events.register(
    "post_run_cell", lambda *_: _update(f"REDRAWN {len(_calls)}", display_id="ak-record"))
"""
SHOW = '\nprint("RECORDED", len(_calls), _calls)\n'
RAISE = """
import sys as _sys
_own_share_alive = share_alive
_raised = [0]
def share_alive(frame, t):
    if _sys._getframe(1).f_code.co_filename.endswith("_inkernel.py"):
        _raised[0] += 1
        name = f"ARGS_{len(frame)}_{str(t).replace('.', '_')}"
        if _raised[0] % 2:
            raise AssertionError(f"ARGS {len(frame)} {t} should be a float")
        raise NameError(f"name {name!r} is not defined")
    return _own_share_alive(frame, t)
"""


def _gid(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def _student(trailing: bool, raising: bool = False) -> nbformat.NotebookNode:
    nb = worked(ASSIGNMENT)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("solution") or meta.get("grade"):
            continue
        if raising:
            cell.source += RAISE if _gid(cell) == "q1-answer" else ""
        else:
            cell.source += RECORD if _gid(cell) == "q1-answer" else SHOW
    if trailing:
        nb.cells.append(nbformat.v4.new_code_cell(SHOW.strip()))
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = tmp_path_factory.mktemp("call-order")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions" / ASSIGNMENT, course / "solutions" / ASSIGNMENT)
    students = {"recorder": _student(False), "trailing": _student(True),
                "raiser": _student(False, raising=True)}
    for name, nb in students.items():
        folder = course / "submitted" / name / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / NOTEBOOK)
    results = grading.grade_assignment(ASSIGNMENT, course, jobs=1, progress=False)
    notebooks = {r.student: nbformat.read(course / "autograded" / r.student / ASSIGNMENT /
                                          NOTEBOOK, as_version=4) for r in results}
    api = NbGraderAPI(config=grading._load_config(course))
    pages = {}
    for r in results:
        done = api.generate_feedback(ASSIGNMENT, r.student)
        assert done["success"], done["error"]
        pages[r.student] = (course / "feedback" / r.student / ASSIGNMENT /
                            f"{ASSIGNMENT}.html").read_text(encoding="utf-8")
    return {r.student: r for r in results}, notebooks, pages


def _printed(nb: nbformat.NotebookNode) -> list[str]:
    return [o.get("text", "") for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if o.get("output_type") == "stream"]


@pytest.mark.parametrize("student", ["recorder", "trailing"])
def test_no_cell_of_the_submission_runs_after_a_call_to_its_function(graded, student):
    records = re.findall(r"RECORDED (\d+)", "".join(_printed(graded[1][student])))
    assert records, "the answer cells did not print what they recorded"
    assert set(records) == {"0"}, records


@pytest.mark.parametrize("student", ["recorder", "trailing"])
def test_no_output_of_the_submission_is_redrawn_after_a_call(graded, student):
    outputs = json.dumps([c.get("outputs", []) for c in graded[1][student].cells])
    redrawn = re.findall(r"REDRAWN (\d+)", outputs)
    assert redrawn, "the Q1 cell did not show its display"
    assert set(redrawn) == {"0"}, redrawn


@pytest.mark.parametrize("student", ["recorder", "trailing"])
def test_the_put_off_tests_still_score_the_worked_function(graded, student):
    result = graded[0][student]
    assert (result.status, result.auto_score) == ("graded", result.auto_max)


@pytest.mark.parametrize("student", ["recorder", "trailing", "raiser"])
def test_no_feedback_page_shows_an_argument_of_a_call(graded, student):
    page = graded[2][student]
    assert "Score" in page
    assert not re.search(r"RECORDED [1-9]|REDRAWN [1-9]|ARGS[ _]\d", page)


def test_the_raisers_function_was_called_and_failed_its_tests(graded):
    result = graded[0]["raiser"]
    assert result.status == "graded" and result.auto_score < result.auto_max
    q1 = next(c for c in graded[1]["raiser"].cells if _gid(c) == "q1-tests")
    assert "ARGS" in json.dumps(q1.outputs)  # the instructor's view keeps the error's text


def test_a_summary_that_ran_before_the_put_off_tests_is_run_again(graded):
    nb = graded[1]["trailing"]
    [summary] = [c for c in nb.cells if _gid(c) == "summary"]
    text = "".join(o.get("text", "") for o in summary.outputs)
    assert re.search(r"(\d+) of \1 checks pass", text), text
