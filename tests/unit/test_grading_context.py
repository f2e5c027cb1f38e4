"""The grading wing's context objects (alliancekit.grading.context), and how they are handed on.

A grading run is one frozen record every worker receives; a grading process holds the gradebook
lock and the notes; a submission carries its owner's variant and where its notes go. Nothing here
runs a notebook.
"""
from __future__ import annotations

import copy
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliancekit import variants
from alliancekit.grading.context import (
    VARIANT_VARIABLES,
    GradingProcess,
    GradingRun,
    Notes,
    Submission,
)

_texts = st.text(min_size=1, max_size=20)


def _run(tmp_path, **change) -> GradingRun:
    from alliancekit.grading.sandbox import Limits

    return GradingRun(**{"course": str(tmp_path), "timeout": None, "unsafe": False,
                         "limits": Limits(), "gradebook_wait": 60.0, **change})


# ---- notes ----------------------------------------------------------------------------------
@given(st.lists(_texts, max_size=12))
def test_notes_are_taken_once_each_in_the_order_first_noted(texts):
    notes = Notes()
    for text in texts:
        notes.add("ann", text)
    assert notes.take("ann") == list(dict.fromkeys(texts))


def test_taking_notes_forgets_them():
    notes = Notes()
    notes.add("ann", "huge output cut short")
    notes.take("ann")
    assert notes.take("ann") == []


def test_one_students_notes_never_reach_another():
    notes = Notes()
    notes.add("ann", "over its memory limit")
    assert notes.take("bob") == [] and notes.take("ann") == ["over its memory limit"]


# ---- a submission ---------------------------------------------------------------------------
def test_a_submission_is_read_from_nbgraders_resources():
    found = Submission.of({"nbgrader": {"assignment": "ex01-theory", "student": "ann",
                                        "notebook": "ex01-theory"}})
    assert (found.assignment, found.student, found.variant) == ("ex01-theory", "ann", ())


@pytest.mark.parametrize("resources", [None, {}, {"nbgrader": None}])
def test_resources_without_nbgrader_make_an_anonymous_submission(resources):
    assert (Submission.of(resources).assignment, Submission.of(resources).student) == ("", "")


def test_a_submissions_notes_go_to_the_notes_it_was_given_under_its_owner():
    shared = Notes()
    Submission.of({"nbgrader": {"student": "ann"}}, notes=shared).note("huge output cut short")
    assert shared.take("ann") == ["huge output cut short"]


def test_without_shared_notes_each_submission_keeps_its_own():
    first, second = Submission(student="ann"), Submission(student="ann")
    first.note("a")
    assert second.notes.take("ann") == [] and first.notes.take("ann") == ["a"]


_env = st.dictionaries(st.sampled_from(["HOME", "PATH", "LANG", *VARIANT_VARIABLES]), _texts)


@given(grader=_env, owner=st.dictionaries(st.sampled_from(VARIANT_VARIABLES), _texts))
def test_an_unsandboxed_kernel_gets_the_owners_variant_and_none_of_the_graders(grader, owner):
    env = Submission(variant=tuple(sorted(owner.items()))).kernel_environment(grader)
    assert {k: v for k, v in env.items() if k in VARIANT_VARIABLES} == owner
    assert {k: v for k, v in env.items() if k not in VARIANT_VARIABLES} == {
        k: v for k, v in grader.items() if k not in VARIANT_VARIABLES}


def test_an_unsandboxed_kernel_does_not_take_itself_for_a_live_notebook():
    # a grader run from a notebook cell inherits the notebook's session name; its kernels must
    # still draw their charts' pictures for the graded notebook and the feedback
    env = Submission().kernel_environment({"PATH": "/usr/bin", "JPY_SESSION_NAME": "/a.ipynb"})
    assert env == {"PATH": "/usr/bin"}


def test_the_variant_variables_are_the_ones_the_variants_module_reads():
    assert set(VARIANT_VARIABLES) == {variants.KEY_VARIABLE, variants.OVERRIDES_VARIABLE}


def test_a_submission_cannot_be_changed_once_made():
    with pytest.raises(AttributeError):
        Submission(student="ann").student = "bob"


# ---- a grading run and a grading process ----------------------------------------------------
def test_a_grading_run_travels_to_worker_processes_unchanged(tmp_path):
    run = _run(tmp_path, timeout=8.0, variant_secret="/secret")
    again = pickle.loads(pickle.dumps(run))
    assert again == run and hash(again) == hash(run)  # the worker's cache finds it


def test_the_grading_process_is_shared_not_copied_by_the_configuration():
    process = GradingProcess()
    assert copy.deepcopy({"process": process})["process"] is process


def test_without_a_lock_holding_and_letting_go_do_nothing():
    process = GradingProcess()
    with process.locked():
        process.unlock()
        process.relock()


def test_letting_go_releases_the_gradebook_lock_however_often_it_was_taken(tmp_path):
    from filelock import FileLock

    lock = FileLock(str(tmp_path / "gradebook.db.lock"), timeout=0.1)
    process = GradingProcess(lock=lock)
    with process.locked(), process.locked():
        assert lock.is_locked
        process.unlock()  # while a notebook executes, other processes may save their scores
        assert not lock.is_locked
        process.relock()
    assert not lock.is_locked


# ---- how the context is handed to nbgrader's Execute ----------------------------------------
def test_the_grading_configuration_hands_the_process_to_every_execute_nbgrader_makes(tmp_path):
    from alliancekit import grading
    from alliancekit.grading import judging, sandbox

    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    process = GradingProcess()
    config = grading._grading_config(_run(tmp_path), process)
    assert judging.JudgedExecute(config=config).process is process
    assert sandbox.GradingExecute(config=config).process is process


def test_an_execute_made_without_a_process_keeps_each_submissions_notes_to_itself():
    from alliancekit.grading import sandbox

    execute = sandbox.GradingExecute()
    resources = {"nbgrader": {"assignment": "ex01-theory", "student": "ann"}}
    assert execute.submission_of(resources).notes is not execute.submission_of(resources).notes


def test_the_kernel_manager_is_told_which_submission_it_runs():
    from alliancekit.grading import judging

    execute = judging.JudgedExecute()
    execute.submission = Submission(student="ann")
    execute.kernel_name = "python3"
    assert execute.create_kernel_manager().submission is execute.submission
