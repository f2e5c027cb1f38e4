"""The judge's set-up cells follow the set's order, whatever the submission did with them.

`alliancekit.grading.lockedcells`: a deleted read-only set-up cell is put back from the gradebook
after the nearest cell before it in the set; a moved one is named; and the judge runs each set-up
cell before the first test that follows it in the set, never out of the set's order.
"""
import os

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from alliancekit.grading import envpipe, sandbox
from alliancekit.grading.lockedcells import NOTICE, SetupOrder, restore_missing

ORDER = ["setup", "q1-text", "q1-inputs", "q1-answer", "q1-tests", "q2-answer", "q2-tests",
         "summary"]
TRUSTED = {"setup": ("setup", "import math"), "q1-inputs": ("setup", "q1 = 3"),
           "q1-tests": ("test", "assert a1 == q1"), "q2-tests": ("test", "assert a2 == q1"),
           "summary": ("setup", "print('done')")}


def _cell(grade_id: str):
    kind = TRUSTED.get(grade_id, ("answer",))[0]
    cell = (new_markdown_cell("text") if grade_id.endswith("-text")
            else new_code_cell("x = 1" if kind == "answer" else TRUSTED[grade_id][1]))
    cell.metadata["nbgrader"] = {"grade_id": grade_id, "locked": kind != "answer",
                                 "grade": kind == "test", "solution": kind == "answer"}
    return cell


def _notebook(ids):
    return new_notebook(cells=[_cell(g) for g in ids])


def _ids(nb):
    return [c.metadata["nbgrader"]["grade_id"] for c in nb.cells]


def test_a_deleted_input_cell_is_put_back_after_the_cell_before_it_with_the_gradebooks_source():
    nb = _notebook([g for g in ORDER if g != "q1-inputs"])
    restored, moved = restore_missing(nb, TRUSTED, ORDER)
    assert (restored, moved) == (["q1-inputs"], [])
    assert _ids(nb) == ORDER
    back = nb.cells[ORDER.index("q1-inputs")]
    assert back.source == NOTICE + "q1 = 3" and back.metadata["nbgrader"]["locked"]
    nbformat.validate(nb)


def test_a_deleted_first_cell_goes_first_and_an_untouched_notebook_is_left_alone():
    nb = _notebook(ORDER[1:])
    assert restore_missing(nb, TRUSTED, ORDER) == (["setup"], [])
    assert _ids(nb) == ORDER
    assert restore_missing(nb, TRUSTED, ORDER) == ([], [])


def test_set_up_cells_moved_past_a_test_are_named():
    nb = _notebook(["q1-text", "q1-answer", "q1-tests", "q2-answer", "q2-tests", "summary",
                    "setup", "q1-inputs"])
    assert restore_missing(nb, TRUSTED, ORDER) == ([], ["setup", "q1-inputs"])


def test_the_judge_runs_set_up_cells_in_the_sets_order_whatever_the_notebooks():
    plan = SetupOrder(TRUSTED, ORDER)
    # the notebook has the set-up and input cells last: the tests still get them first
    assert plan.before_test("q1-tests") == ["setup", "q1-inputs"]
    assert plan.before_test("q2-tests") == []
    assert plan.at_cell("setup") == [] and plan.at_cell("q1-inputs") == []
    assert plan.at_cell("summary") == ["summary"]
    assert plan.rest() == []


def test_a_set_up_cell_moved_before_its_tests_waits_for_them():
    plan = SetupOrder(TRUSTED, ORDER)
    assert plan.at_cell("summary") == []          # q1-tests and q2-tests have not run yet
    assert plan.at_cell("setup") == ["setup"]
    assert plan.before_test("q1-tests") == ["q1-inputs"]
    assert plan.before_test("q2-tests") == []
    assert plan.rest() == ["summary"]


def test_the_sandbox_environment_never_appears_on_bubblewraps_command_line(tmp_path):
    secret = "ab" * 32
    opened: list = []
    args = sandbox._bwrap_args(tmp_path, sandbox.Limits(), uid=None, ipc_host=False,
                               extra_env={"ALLIANCEKIT_VARIANT_KEY": secret}, opened=opened)
    try:
        assert not any(secret in a for a in args) and "--setenv" not in args
        assert args[args.index("--args") + 1] == str(opened[0])
        data = os.read(opened[0], 1 << 16)
        assert b"--setenv\0ALLIANCEKIT_VARIANT_KEY\0" + secret.encode() + b"\0" in data
    finally:
        for fd in opened:
            os.close(fd)


def test_an_environment_value_with_a_nul_byte_is_refused():
    import pytest

    with pytest.raises(ValueError, match="NUL"):
        envpipe.env_pipe({"A": "x\0--bind / /"})
