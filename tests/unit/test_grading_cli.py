"""``alliancekit-grade``'s arguments and configuration, checked before anything is graded.

Bad arguments are refused with the parameter's name and what is allowed; the course, assignment
and students asked for are checked against the folders; the grading configuration puts the
sandboxed Execute, the output budget, the limits and the grading process where nbgrader finds
them. No notebook runs here.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from alliancekit import grading
from alliancekit.grading import CourseError
from alliancekit.grading.context import GradingProcess, GradingRun
from alliancekit.grading.sandbox import Limits

SET = "ex01-theory"


@pytest.fixture
def course(tmp_path) -> Path:
    """A course with one assignment and two submissions (no notebooks: nothing is graded)."""
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.source_directory = 'solutions'\n")
    (tmp_path / "solutions" / SET).mkdir(parents=True)
    for student in ("ann", "bob"):
        (tmp_path / "submitted" / student / SET).mkdir(parents=True)
    return tmp_path


def _run(course: Path, **change) -> GradingRun:
    return GradingRun(**{"course": str(course), "timeout": None, "unsafe": False,
                         "limits": Limits(), "gradebook_wait": 60.0, **change})


# ---- the arguments --------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "2"])
def test_jobs_must_be_a_positive_whole_number(course, bad):
    with pytest.raises(ValueError, match="jobs must be a positive whole number"):
        grading.grade_assignment(SET, course, jobs=bad, progress=False)


@pytest.mark.parametrize("name", ["timeout", "gradebook_wait"])
@pytest.mark.parametrize("bad", [0, -5.0])
def test_times_must_be_positive_seconds(course, name, bad):
    with pytest.raises(ValueError, match=f"{name} must be a positive number of seconds"):
        grading.grade_assignment(SET, course, progress=False, **{name: bad})


@pytest.mark.parametrize("flag", ["--max-seconds", "--memory-mb", "--output-mb"])
def test_the_command_refuses_a_limit_that_is_not_positive(course, flag, capsys):
    assert grading.main([SET, "--course", str(course), flag, "0", "--no-progress"]) == 2
    assert "must be positive" in capsys.readouterr().err


# ---- the course, the assignment, the students -----------------------------------------------
def test_a_course_folder_that_does_not_exist_is_named(tmp_path):
    with pytest.raises(CourseError, match="course_dir .* does not exist"):
        grading._check_inputs(SET, tmp_path / "nowhere", None)


def test_a_folder_without_nbgrader_config_is_not_a_course(tmp_path):
    with pytest.raises(CourseError, match="has no nbgrader_config.py"):
        grading._check_inputs(SET, tmp_path, None)


def test_an_unknown_assignment_lists_the_known_ones(course):
    with pytest.raises(CourseError, match=f"choose one of: {SET}"):
        grading._check_inputs("ex09-nothing", course, None)


def test_a_student_without_a_submission_is_named_with_those_found(course):
    with pytest.raises(CourseError, match=r"students \['cyd'\].*found: \['ann', 'bob'\]"):
        grading._check_inputs(SET, course, ["ann", "cyd"])


def test_everyone_with_a_submission_is_graded_unless_some_are_asked_for(course):
    assert grading._check_inputs(SET, course, None)[1] == ["ann", "bob"]
    assert grading._check_inputs(SET, course, ["bob", "bob"])[1] == ["bob"]


def test_an_assignment_without_submissions_says_to_collect_first(course):
    (course / "solutions" / "ex02-patterns").mkdir()
    with pytest.raises(CourseError, match="collect them first"):
        grading._check_inputs("ex02-patterns", course, None)


# ---- the grading configuration --------------------------------------------------------------
def _chain(config) -> list[str]:
    return [getattr(p, "__name__", str(p).rsplit(".", 1)[-1])
            for p in config.Autograde.autograde_preprocessors]


def test_the_judge_runs_the_tests_and_the_output_budget_follows_it(course):
    chain = _chain(grading._grading_config(_run(course)))
    at = chain.index("JudgedExecute")
    assert chain[at + 1] == "CapNotebookOutputs" and "Execute" not in chain


def test_unsafe_grading_runs_the_submission_without_the_judge(course):
    chain = _chain(grading._grading_config(_run(course, unsafe=True)))
    assert "GradingExecute" in chain and "JudgedExecute" not in chain


def test_nbgraders_metadata_check_is_the_once_compiled_one_in_both_chains(course):
    from alliancekit.grading import metadata

    config = grading._grading_config(_run(course))
    for chain in (config.Autograde.sanitize_preprocessors,
                  config.Autograde.autograde_preprocessors):
        assert metadata.CheckCellMetadata in chain


def test_the_limits_reach_the_sandbox_and_the_execute(course):
    limits = Limits(memory_mb=512, processes=8, seconds=30.0, output_kb=64, output_mb=1.0)
    config = grading._grading_config(_run(course, limits=limits, timeout=8.0))
    assert config.SandboxKernelManager.memory_mb == 512
    assert config.SandboxKernelManager.processes == 8
    assert config.GradingExecute.seconds == 30.0 and config.GradingExecute.output_kb == 64
    assert config.CapNotebookOutputs.max_bytes == 1024 ** 2
    assert config.Execute.timeout == 8
    assert config.SandboxKernelManager.course_root == str(course)


def test_the_run_secret_overrides_the_configured_one(course):
    config = grading._grading_config(_run(course, variant_secret="/keys/secret"))
    assert config.Variants.secret_file == "/keys/secret"


def test_the_process_is_configured_only_when_given(course):
    process = GradingProcess()
    assert grading._grading_config(_run(course), process).GradingExecute.process is process
    assert "process" not in grading._grading_config(_run(course)).GradingExecute


def test_the_course_configuration_alone_has_no_grading_preprocessors(course):
    config = grading._load_config(course)
    assert config.CourseDirectory.root == str(course)
    assert "autograde_preprocessors" not in config.Autograde


def test_the_gradebook_lock_lies_beside_an_sqlite_database_only(tmp_path):
    lock = grading._gradebook_lock(f"sqlite:///{tmp_path}/gradebook.db?timeout=5", wait=0.1)
    assert lock.lock_file == f"{tmp_path}/gradebook.db.lock"
    assert grading._gradebook_lock("postgresql://host/course", wait=0.1) is None
