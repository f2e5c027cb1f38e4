"""The robust grading command (`alliancekit-grade`, alliancekit/grading/__init__.py) on crafted
submissions.

One temporary course holds ex01-theory and a class of students, each with one kind of damage:
wrong answers, a syntax error, an infinite loop, ``os._exit(1)``, an edited test cell, deleted
cells, a huge printed output. The class is graded once with two worker processes; each test then
checks one student's outcome. A second grading of one student checks that no stale score survives.
Grading is sandboxed (the default) wherever bubblewrap works, and always in CI; elsewhere it runs
with ``unsafe=True`` so that these checks of nbgrader's repairs still run.
"""
from __future__ import annotations

import hashlib
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
ASSIGNMENT = "ex01-theory"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
# Seconds per cell: small, so the infinite loop costs little, but above a busy CI machine's
# slowest honest cell (with 3 s, the syntax student once lost a second question in CI).
CELL_TIMEOUT = 8
UNSAFE = bool(sandbox.sandbox_problem()) and not os.environ.get("CI")


POINTS = ex01.points()
AUTO_MAX = sum(POINTS.values())  # autograded points of ex01-theory


def _student(answers: dict[str, str], edit=None) -> nbformat.NotebookNode:
    """The released notebook with answer cells filled in, then optionally damaged by ``edit``."""
    nb = ex01.student(answers)
    if edit is not None:
        edit(nb)
    return nb


def _tamper(nb):
    for cell in nb.cells:
        if ex01.gid(cell) == "q4-tests":
            cell.source = "pass  # the student made the test always pass"


def _delete_cells(nb):
    nb.cells = [c for c in nb.cells if ex01.gid(c) not in {"q5-answer", "q1-tests"}]


def _class() -> dict[str, nbformat.NotebookNode]:
    good = ex01.solution_answers()
    wrong = dict(good, **{"q4-answer": ex01.wrong_q4()})
    syntax = dict(good, **{"q1-answer": "margin_q1 = float(  # unfinished"})
    loop = dict(good, **{"q2-answer": "while True:\n    pass\n" + good["q2-answer"]})
    dead = dict(good, **{"q3-answer": "import os\nos._exit(1)"})
    noisy = dict(good, **{"q1-answer": good["q1-answer"] + "\nprint('spam\\n' * 500_000)\n"})
    tampered = dict(good, **{"q4-answer": ex01.wrong_q4()})
    return {
        "perfect": _student(good),
        "blank": _student({}),
        "wrong": _student(wrong),
        "syntax": _student(syntax),
        "loop": _student(loop),
        "dead": _student(dead),
        "noisy": _student(noisy),
        "tampered": _student(tampered, _tamper),
        "deleted": _student(good, _delete_cells),
        "stale": _student(good),  # graded perfect first, then resubmitted with os._exit below
    }


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A course root with ex01-theory's source and student versions, and a class of submissions."""
    root = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", root)
    shutil.copytree(ROOT / "solutions" / ASSIGNMENT, root / "solutions" / ASSIGNMENT)
    shutil.copytree(ROOT / "exercises" / ASSIGNMENT, root / "exercises" / ASSIGNMENT)
    for student, nb in _class().items():
        folder = root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / NOTEBOOK)
    return root


@pytest.fixture(scope="module")
def graded(course):
    """Grade the stale student alone first (a perfect score), then sabotage and grade everyone."""
    first = grading.grade_assignment(ASSIGNMENT, course, students=["stale"],
                                     timeout=CELL_TIMEOUT, progress=False, unsafe=UNSAFE)
    stale_nb = _student(ex01.solution_answers(), None)
    for cell in stale_nb.cells:
        if ex01.gid(cell) == "q1-answer":
            cell.source = "import os\nos._exit(1)"
    nbformat.write(stale_nb, course / "submitted" / "stale" / ASSIGNMENT / NOTEBOOK)
    before = _digest(course / "submitted")
    results = grading.grade_assignment(ASSIGNMENT, course, jobs=2, timeout=CELL_TIMEOUT,
                                       progress=False, unsafe=UNSAFE)
    after = _digest(course / "submitted")
    return {"first": first[0], "results": {r.student: r for r in results},
            "submitted_unchanged": before == after}


def test_a_perfect_submission_gets_every_autograded_point(graded):
    r = graded["results"]["perfect"]
    assert (r.status, r.auto_score, r.auto_max) == ("graded", AUTO_MAX, AUTO_MAX)


def test_the_untouched_student_version_gets_zero(graded):
    r = graded["results"]["blank"]
    assert (r.status, r.auto_score) == ("graded", 0.0)


def test_a_wrong_answer_loses_only_its_points(graded):
    r = graded["results"]["wrong"]
    assert r.auto_score == AUTO_MAX - POINTS["q4-tests"]


def test_a_syntax_error_fails_only_its_question(graded):
    r = graded["results"]["syntax"]
    assert (r.status, r.auto_score) == ("graded", AUTO_MAX - POINTS["q1-tests"]), r.notes


def test_an_infinite_loop_times_out_and_costs_only_its_question(graded):
    r = graded["results"]["loop"]
    assert (r.status, r.auto_score) == ("graded", AUTO_MAX - POINTS["q2-tests"])
    assert any("timed out" in note and "q2-answer" in note for note in r.notes)


def test_a_kernel_killed_by_os_exit_needs_attention_with_zero(graded):
    r = graded["results"]["dead"]
    assert r.status == "needs attention"
    assert r.auto_score == 0.0 and r.needs_manual_grade
    assert "kernel died" in r.notes[0]


def test_a_huge_printed_output_is_truncated_and_graded(graded, course):
    r = graded["results"]["noisy"]
    assert (r.status, r.auto_score) == ("graded", AUTO_MAX)
    nb = nbformat.read(course / "autograded" / "noisy" / ASSIGNMENT / NOTEBOOK, as_version=4)
    lines = sum(out.get("text", "").count("\n") for cell in nb.cells if cell.cell_type == "code"
                for out in cell.outputs)
    assert lines < 1000
    assert any("huge output cut short: q1-answer" in note for note in r.notes)


def test_an_edited_test_cell_is_restored_and_then_fails(graded):
    r = graded["results"]["tampered"]
    assert r.auto_score == AUTO_MAX - POINTS["q4-tests"]
    assert any("edited test cells restored: q4-tests" in note for note in r.notes)


def test_deleted_cells_are_put_back_and_the_rest_is_graded(graded):
    r = graded["results"]["deleted"]
    # q1-tests was deleted but is put back (and passes); q5's answer cell is gone, so Q5 fails.
    assert (r.status, r.auto_score) == ("graded", AUTO_MAX - POINTS["q5-tests"])
    assert any("put back: q1-tests" in note for note in r.notes)


def test_no_stale_score_survives_a_failed_regrade(graded):
    assert graded["first"].auto_score == AUTO_MAX
    r = graded["results"]["stale"]
    assert (r.status, r.auto_score) == ("needs attention", 0.0)


def test_every_student_is_graded_and_reported(graded, course):
    assert set(graded["results"]) == set(_class())
    report = (course / "autograded" / f"grading-report-{ASSIGNMENT}.csv").read_text()
    assert all(student in report for student in _class())


def test_parallel_grading_leaves_one_complete_submission_per_student(graded, course):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "alliancekit") as gb:
        submissions = gb.assignment_submissions(ASSIGNMENT)
        per_student = {s.student.id: len(s.notebooks[0].grades) for s in submissions}
        cells = len(gb.find_notebook(ASSIGNMENT, ASSIGNMENT).grade_cells)
    assert sorted(per_student) == sorted(_class())
    assert set(per_student.values()) == {cells}


def test_student_submissions_are_never_modified(graded):
    assert graded["submitted_unchanged"]


def test_the_summary_table_names_each_student_and_counts_failures(graded):
    table = grading.summary_table(sorted(graded["results"].values(), key=lambda r: r.student))
    assert "dead" in table and "needs attention" in table
    assert table.splitlines()[-1].endswith("2 need attention")


def test_the_command_exits_1_when_a_submission_needs_attention(graded, course, capsys):
    unsafe = ["--unsafe-trust-submissions"] if UNSAFE else []
    code = grading.main([ASSIGNMENT, "--course", str(course), "--student", "dead", *unsafe,
                         "--timeout", str(CELL_TIMEOUT), "--no-progress"])
    assert code == 1
    assert "needs attention" in capsys.readouterr().out


def test_an_unknown_assignment_is_a_clear_error(course, capsys):
    assert grading.main(["ex99-nothing", "--course", str(course)]) == 2
    err = capsys.readouterr().err
    assert "ex99-nothing" in err and "ex01-theory" in err


def test_a_missing_course_directory_is_a_clear_error(tmp_path, capsys):
    assert grading.main([ASSIGNMENT, "--course", str(tmp_path / "nowhere")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_a_folder_without_nbgrader_config_is_a_clear_error(tmp_path, capsys):
    assert grading.main([ASSIGNMENT, "--course", str(tmp_path)]) == 2
    assert "nbgrader_config.py" in capsys.readouterr().err


def test_an_unknown_student_is_a_clear_error(course):
    with pytest.raises(grading.CourseError, match="nobody"):
        grading.grade_assignment(ASSIGNMENT, course, students=["nobody"], progress=False)


@pytest.mark.parametrize("jobs", [0, -1, 1.5, True])
def test_jobs_must_be_a_positive_whole_number(course, jobs):
    with pytest.raises(ValueError, match="jobs"):
        grading.grade_assignment(ASSIGNMENT, course, jobs=jobs, progress=False)


def test_the_gradebook_lock_is_a_file_lock_beside_the_database(course):
    import fcntl

    from filelock import Timeout

    api = grading._make_api(course)
    lock = grading._gradebook_lock(api.coursedir.db_url, wait=0.2)
    assert lock.lock_file == str(course / "gradebook.db.lock")
    with open(lock.lock_file, "a") as other:  # another program holds it ...
        fcntl.flock(other, fcntl.LOCK_EX)
        with pytest.raises(Timeout):  # ... so grading waits, then reports a busy gradebook
            lock.acquire()
        fcntl.flock(other, fcntl.LOCK_UN)
    with lock:
        assert lock.is_locked


def test_without_a_sandbox_grading_is_refused_with_the_safe_ways_and_the_unsafe_flag(
        course, monkeypatch, capsys):
    monkeypatch.setattr(sandbox, "sandbox_problem", lambda: "bubblewrap (bwrap) is not installed.")
    with pytest.raises(sandbox.SandboxError, match="refusing to grade without a sandbox"):
        grading.grade_assignment(ASSIGNMENT, course, students=["perfect"], progress=False)
    assert grading.main([ASSIGNMENT, "--course", str(course), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "bwrap" in err and "--unsafe-trust-submissions" in err


def test_a_course_inside_the_sandboxs_read_only_folders_is_refused(tmp_path):
    import sys

    with pytest.raises(sandbox.SandboxError, match="lies inside"):
        sandbox.check_course_hidden(Path(sys.prefix) / "course")
    sandbox.check_course_hidden(tmp_path)  # a course elsewhere is fine


def test_a_score_above_the_cells_points_is_clamped(graded, course):
    from nbgrader.api import Gradebook

    db = f"sqlite:///{course / 'gradebook.db'}"
    with Gradebook(db, "alliancekit") as gb:
        grade = gb.find_grade("q1-tests", ASSIGNMENT, ASSIGNMENT, "perfect")
        grade.auto_score = 50.0
        gb.db.commit()
    api = grading._make_api(course)
    assert grading._clamp_scores(api, ASSIGNMENT, "perfect") == ["q1-tests"]
    with Gradebook(db, "alliancekit") as gb:
        assert gb.find_grade("q1-tests", ASSIGNMENT, ASSIGNMENT, "perfect").score == 2.0
