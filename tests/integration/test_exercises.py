"""The graded exercise sets: one source of truth (solutions/), generated student versions
(exercises/), and nbgrader's whole command-line round trip in a temporary course directory.

- exercises/ is exactly what nbgrader generates from solutions/, and nothing from a solution
  region, a written model answer or a hidden test leaks into it;
- every set mixes autograded tests and written answers, and every learning objective of its lesson
  is assessed by a graded item listed in INSTRUCTORS.md's coverage table;
- validation passes on solutions/ and fails (inverted) on exercises/;
- autograding gives the worked solutions full marks and the untouched student versions zero;
- feedback HTML is produced with the charts drawn (an inline SVG), and grades export to CSV.
"""
from __future__ import annotations

import base64
import csv
import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliancekit import checks
from alliancekit.checks import check

pytestmark = pytest.mark.filterwarnings("ignore:.*not in session")  # nbgrader 0.9.6 + SQLAlchemy

ROOT = Path(__file__).resolve().parents[2]
ALL_SETS = ["ex01-theory", "ex02-patterns", "ex03-europe", "ex04-little-entente", "ex05-erosion",
            "ex06-small-powers", "ex07-managing", "ex09-evidence", "ex10-landscape"]
#: Every set is tested: a missing one fails `test_every_set_has_its_solution_notebook` (it is never
#: dropped from the parametrised tests without a word).
SETS = ALL_SETS
#: The lesson each set goes with: exNN-... goes with course/NN-*.ipynb (10-landscape-1936 for
#: ex10-landscape).
LESSONS = {name: next((ROOT / "course").glob(f"{name[2:4]}-*.ipynb"),
                      ROOT / "course" / f"{name[2:]}.ipynb") for name in ALL_SETS}


@pytest.mark.parametrize("name", ALL_SETS)
def test_every_set_has_its_solution_notebook(name):
    assert (ROOT / "solutions" / name / f"{name}.ipynb").is_file()


def _source(name: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "solutions" / name / f"{name}.ipynb", as_version=4)


def _student(name: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "exercises" / name / f"{name}.ipynb", as_version=4)


def _meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def _secret_lines(nb) -> list[str]:
    """Substantial lines a student must never see: solution regions, model answers, hidden tests.

    A line counts as leaked when the same line (stripped) appears in the student version.
    """
    secrets = []
    for cell in nb.cells:
        meta = _meta(cell)
        text = cell.source
        regions = re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", text, re.S)
        regions += re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", text, re.S)
        if cell.cell_type == "markdown" and meta.get("solution"):
            regions.append(text)
        for region in regions:
            secrets += [line.strip() for line in region.splitlines() if len(line.strip()) >= 12]
    return secrets


def _load_generator():
    spec = importlib.util.spec_from_file_location("generate_exercises",
                                                  ROOT / "scripts" / "generate_exercises.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------------------------
# The self-check learners see (alliancekit.checks)
# --------------------------------------------------------------------------------------------
def test_a_passing_check_prints_one_line_with_the_word_pass(capsys):
    with check("Q1"):
        assert 1 + 1 == 2
    assert capsys.readouterr().out.strip() == "[PASS] Q1: correct, all visible checks pass."


def test_a_failing_check_raises_a_short_framed_block_with_reason_and_hint(capsys):
    with pytest.raises(checks.CheckFailed) as failed:
        with check("Q2", hint="reread section 2"):
            raise AssertionError("a reason")
    lines = failed.value._render_traceback_()
    assert lines[0].startswith("+---") and lines[-1].startswith("+---")  # a frame, not one line
    assert lines[1] == "| [NOT YET] Q2"
    assert "what is wrong: a reason" in lines[2] and "hint: reread section 2" in lines[3]
    assert isinstance(failed.value, AssertionError)  # nbgrader and plain pytest see a failure
    assert capsys.readouterr().out == ""  # the block is the whole message: nothing printed twice


def test_pass_and_fail_differ_in_word_and_shape_without_emoji():
    with pytest.raises(checks.CheckFailed) as failed:
        check("Q1", lambda: (_ for _ in ()).throw(AssertionError("no")))
    shown = failed.value.render()
    passed = "[PASS] Q1: correct, all visible checks pass."
    assert "[PASS]" not in shown and "[NOT YET]" in shown
    assert len(shown.splitlines()) >= 4 and len(passed.splitlines()) == 1
    assert all(ord(ch) < 0x2000 for ch in shown + passed)  # readable without an emoji font


def test_an_unanswered_question_says_not_answered_yet():
    with pytest.raises(checks.NotAnswered) as missing:
        check("Q3", lambda: undefined_answer)  # noqa: F821
    assert "[NOT ANSWERED YET] Q3" in missing.value.render()
    with pytest.raises(checks.NotAnswered) as stub:
        with check("Q4"):
            raise NotImplementedError()
    assert "raise NotImplementedError()" in stub.value.render()


def test_the_summary_counts_passes_and_names_the_rest(capsys):
    checks.start()
    check("Q1", lambda: None)
    with pytest.raises(checks.CheckFailed):
        check("Q2", lambda: 1 / 0)
    with pytest.raises(checks.NotAnswered):
        check("Q3", lambda: undefined_answer)  # noqa: F821
    line = checks.summary("Q1", "Q2", "Q3", "Q4")
    assert line == ("1 of 4 checks pass; not yet: Q2; not answered yet: Q3; not run yet: Q4.")
    with pytest.raises(ValueError, match="name the set's questions"):
        checks.summary()


@pytest.mark.parametrize("bad", ["", "  ", None, 3])
def test_check_needs_a_question_label(bad):
    with pytest.raises(ValueError, match="question"):
        check(bad)


@given(st.floats(-1e6, 1e6, allow_nan=False), st.integers(0, 6))
def test_a_digest_ignores_differences_smaller_than_its_rounding(x, decimals):
    assert checks.matches(round(x, decimals), checks.digest(x, decimals), decimals)


def test_a_digest_normalises_case_spaces_and_set_order_but_not_list_order():
    assert checks.digest("  Neoclassical   REALISM ") == checks.digest("neoclassical realism")
    assert checks.digest({"b", "a"}) == checks.digest({"a", "b"})
    assert checks.digest(["a", "b"]) != checks.digest(["b", "a"])
    assert not checks.matches(object(), checks.digest("a"))  # a wrong type is just "no"


# --------------------------------------------------------------------------------------------
# Static checks (fast)
# --------------------------------------------------------------------------------------------
def test_there_is_an_exercise_set_for_each_lesson_01_to_07():
    missing = [name for name in ALL_SETS if name not in SETS]
    assert not missing, f"no solutions/<name>/<name>.ipynb yet for {missing}"


def test_solutions_are_committed_without_outputs():
    for name in SETS:
        for cell in _source(name).cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, (name, _meta(cell))


@pytest.mark.parametrize("name", SETS)
def test_each_set_mixes_autograded_tests_and_a_written_answer(name):
    cells = [_meta(c) for c in _source(name).cells]
    tests = [m for m in cells if m.get("grade") and not m.get("solution")]
    written = [m for m in cells if m.get("grade") and m.get("solution")]
    assert len(tests) >= 3 and all(m.get("points", 0) > 0 for m in tests)
    assert written and all(m.get("points", 0) > 0 for m in written)


@pytest.mark.parametrize("name", SETS)
def test_nothing_secret_leaks_into_the_student_version(name):
    student_lines = {line.strip() for c in _student(name).cells for line in c.source.splitlines()}
    leaked = [line for line in _secret_lines(_source(name)) if line in student_lines]
    assert not leaked, f"solution or hidden-test text in exercises/{name}: {leaked[:3]}"


@pytest.mark.parametrize("name", SETS)
def test_every_test_cell_uses_the_friendly_self_check(name):
    for cell in _student(name).cells:
        meta = _meta(cell)
        if meta.get("grade") and not meta.get("solution"):
            assert "with check(" in cell.source or "check(" in cell.source, meta["grade_id"]


def test_exercises_are_exactly_what_nbgrader_generates_from_solutions(capsys):
    generator = _load_generator()
    code = generator.main(["--check"])
    assert code == 0, capsys.readouterr().err




def _question_cells(name: str) -> dict[str, str]:
    """{"Q3": text of the markdown cell that asks Q3} for one set."""
    found = {}
    for cell in _source(name).cells:
        for question in re.findall(r"\*\*(Q\d+)\*\* \(", cell.source):
            found.setdefault(question, cell.source)
    return found


def _points(name: str) -> dict[str, tuple[str, float]]:
    """{"Q3": ("auto" or "written", points)}."""
    out = {}
    for cell in _source(name).cells:
        meta = _meta(cell)
        if meta.get("grade"):
            question = "Q" + re.match(r"q(\d+)", meta["grade_id"]).group(1)
            out[question] = ("written" if meta.get("solution") else "auto", meta["points"])
    return out


def _kind(text: str, question: str) -> str:
    head = re.search(rf"\*\*{question}\*\* \(([^)]*)\)", text).group(1)
    for kind in ("recall", "bug hunt", "sensitivity", "coding from a source"):
        if f"*{kind}*" in head:
            return kind
    return "other"


@pytest.mark.parametrize("name", SETS)  # each has every kind of graded task (issues 12, 22)
def test_each_set_has_a_bug_hunt_a_sensitivity_task_and_coding_from_a_source(name):
    texts, points = _question_cells(name), _points(name)
    kinds = {q: _kind(texts[q], q) for q in points}
    assert "bug hunt" in kinds.values() and "sensitivity" in kinds.values(), kinds
    assert "coding from a source" in kinds.values(), kinds
    for question, kind in kinds.items():
        if kind in ("bug hunt", "sensitivity"):
            assert points[question][0] == "auto", (question, "should be autograded")
        if kind == "coding from a source":
            assert points[question][0] == "written", (question, "needs a written justification")


@pytest.mark.parametrize("name", SETS)  # each has every kind of graded task (issues 12, 22)
def test_interpretation_carries_most_of_the_points(name):
    texts, points = _question_cells(name), _points(name)
    recall = sum(p for q, (_, p) in points.items() if _kind(texts[q], q) == "recall")
    total = sum(p for _, p in points.values())
    assert recall < total / 2, f"{name}: {recall} of {total} points are recall"
    intro = _source(name).cells[0].source
    auto = sum(p for kind, p in points.values() if kind == "auto")
    assert f"Points: {total} in all ({auto} autograded, {total - auto} written)" in intro


@pytest.mark.parametrize("name", SETS)  # each has every kind of graded task (issues 12, 22)
def test_every_written_item_has_levels_with_points_and_anchor_answers(name):
    texts, points = _question_cells(name), _points(name)
    guide = (ROOT / "INSTRUCTORS.md").read_text(encoding="utf-8")
    for question, (kind, total) in points.items():
        if kind != "written":
            continue
        text = texts[question]
        for level in (f"| full | {total:g} |", "| partial |", "| none | 0 |"):
            assert level in text, (name, question, level)
        rows = re.findall(r"^\| (full|partial|none) \|[^|]+\| (.+) \|$", text, re.M)
        assert len(rows) == 3 and all(len(anchor) > 20 for _, anchor in rows), (name, question)
        assert text.split("*How it is marked*", 1)[1].strip() in guide, (
            f"INSTRUCTORS.md does not carry the rubric of {name} {question}")


def test_the_capstone_has_a_points_rubric_covering_lesson_08():
    guide = (ROOT / "INSTRUCTORS.md").read_text(encoding="utf-8")
    section = guide.split("### Lesson 08 capstone", 1)[1].split("\n## ", 1)[0]
    criteria = re.findall(r"^\| \*\*(C\d)\*\* .*\((\d+)\) \|", section, re.M)
    writing = re.findall(r"^\| \*\*Writing\*\* \((\d+)\) \|", section, re.M)
    assert [c for c, _ in criteria] == ["C1", "C2", "C3", "C4", "C5", "C6"]
    total = sum(int(p) for _, p in criteria) + sum(int(p) for p in writing)
    assert f"({total} points)" in guide.split("### Lesson 08 capstone", 1)[1].splitlines()[0]
    count = _objectives(ROOT / "course" / "08-conclusion.ipynb")
    for k in range(1, count + 1):
        row = re.search(rf"^\| 08-conclusion \| LO{k} \|[^|\n]+\| capstone criteria ([^|(]+)",
                        guide, re.M)
        assert row and re.findall(r"C\d", row.group(1)), f"lesson 08 LO{k} has no capstone row"


def _objectives(lesson: Path) -> int:
    """How many numbered learning objectives the lesson's first cells list."""
    nb = nbformat.read(lesson, as_version=4)
    for cell in nb.cells[:3]:
        if "earning objectives" in cell.source:
            after = cell.source.split("earning objectives", 1)[1]
            return len(re.findall(r"^\s*\d+\.\s", after, re.M))
    return 0


@pytest.mark.parametrize("name", SETS)
def test_every_learning_objective_is_in_the_coverage_table(name):
    lesson = LESSONS[name]
    assert lesson.exists(), f"{name} goes with a lesson that is missing: {lesson}"
    guide = (ROOT / "INSTRUCTORS.md").read_text(encoding="utf-8")
    count = _objectives(lesson)
    assert count > 0, f"no numbered learning objectives found in {lesson.name}"
    for k in range(1, count + 1):
        row = re.search(rf"^\| {re.escape(name)} \| LO{k} \|[^|\n]+\|\s*(Q[^|\n]+)\|", guide, re.M)
        assert row, f"INSTRUCTORS.md coverage table has no row '| {name} | LO{k} | ... | Q.. |'"
        for question in re.findall(r"Q\d+", row.group(1)):
            label = f"**{question}**"
            assert label in "\n".join(c.source for c in _source(name).cells), (name, question)


# --------------------------------------------------------------------------------------------
# Run All as a learner does it (executes notebooks)
# --------------------------------------------------------------------------------------------
TRACEBACK_MARKS = ("Traceback", "Cell In[", "File \"", "----> ", "site-packages")


def _errors(nb) -> list[tuple[int, dict]]:
    return [(i, o) for i, c in enumerate(nb.cells) if c.cell_type == "code"
            for o in c.get("outputs", []) if o.output_type == "error"]


@pytest.mark.notebooks
@pytest.mark.parametrize("name", SETS)
def test_run_all_on_an_untouched_set_reaches_the_summary_without_a_traceback(name):
    from nbrun import run_notebook

    # allow_errors=False: only the cells' raises-exception tag lets the run go past a failure
    nb = run_notebook(ROOT / "exercises" / name / f"{name}.ipynb", timeout=60)
    last = nb.cells[-1]
    said = "".join(o.get("text", "") for o in last.outputs)
    tests = [c for c in nb.cells if _meta(c).get("grade") and not _meta(c).get("solution")]
    assert said.startswith(f"0 of {len(tests)} checks pass"), said
    errors = _errors(nb)
    assert len(errors) >= len(tests)
    for index, error in errors:
        shown = "\n".join(error["traceback"])
        assert "NOT ANSWERED YET" in shown, (index, shown)
        assert not any(mark in shown for mark in TRACEBACK_MARKS), (index, shown)
        assert len(error["traceback"]) <= 6, (index, shown)


def test_every_answer_and_test_cell_is_tagged_to_let_run_all_go_on():
    for name in SETS:
        for cell in _student(name).cells:
            meta = _meta(cell)
            if cell.cell_type == "code" and (meta.get("solution") or meta.get("grade")):
                assert "raises-exception" in cell.metadata.get("tags", []), (name, meta)


# --------------------------------------------------------------------------------------------
# The nbgrader round trip (executes notebooks)
# --------------------------------------------------------------------------------------------
def _validator(invert: bool = False):
    from nbgrader.validator import Validator

    validator = Validator()
    validator.invert = invert
    return validator


#: `nbgrader validate`, the instructor's own check, on one set. That every set's worked solution
#: passes all its tests is checked for every variant by test_variant_solutions.py and, graded, by
#: the round trip below ("keen"); that no test passes on an untouched set, by
#: test_run_all_on_an_untouched_set_reaches_the_summary_without_a_traceback and the round trip's
#: "idle" student. Running the command on every set again cost CI about 90 s and checked nothing
#: more.
VALIDATED = ["ex01-theory"]


@pytest.mark.nbgrader
@pytest.mark.parametrize("name", VALIDATED)
def test_validation_passes_on_the_worked_solution(name):
    result = _validator().validate(str(ROOT / "solutions" / name / f"{name}.ipynb"))
    failed = [f["source"].splitlines()[0] for f in result.get("failed", [])]
    assert result == {}, f"failing tests in solutions/{name}: {failed or result}"


@pytest.mark.nbgrader
@pytest.mark.parametrize("name", VALIDATED)
def test_validation_inverted_fails_on_the_student_version(name):
    # inverted: nbgrader reports the tests that *pass* on an untouched student notebook
    result = _validator(invert=True).validate(str(ROOT / "exercises" / name / f"{name}.ipynb"))
    passed = [f["source"].splitlines()[0] for f in result.get("passed", [])]
    assert "passed" not in result, f"tests pass with no answers in exercises/{name}: {passed}"


#: For each new autograded interpretation task (bug hunt, sensitivity, re-aimed network task): a
#: crafted wrong answer that a plausible student would give, and the points it must lose.
CRAFTED = {
    "ex01-theory": [("q8-answer", 'bug_q8 = "a"\nstays_q8 = False', 2),
                    ("q9-answer", 'keeps_q9 = {"a", "d"}', 2)],
    "ex02-patterns": [("q3-answer",  # red team: a chart of the era labels alone, no curves
                       "import altair as alt\n"
                       'observed = [e for e, part in durations.groupby("era") '
                       'if (~part["ended"]).mean() < 0.10]\n'
                       'alive_by_era = {e: share_alive(durations[durations["era"] == e], '
                       'q3["compare"]) for e in observed}\n'
                       "longest_lived_era = max(alive_by_era, key=alive_by_era.get)\n"
                       "longest_lived_share = alive_by_era[longest_lived_era]\n"
                       'chart_q3 = alt.Chart(pd.DataFrame({"group": sorted(set(durations["era"]))'
                       '})).mark_text(text="no curves")', 2),
                      ("q7-answer",
                       'bug_q7 = "a"\nkm_time = float(durations["years"].quantile(q7["ended"]))',
                       2),
                      ("q8-answer", 'alive_all_ended = alive[q8["horizon"]]', 2)],
    "ex03-europe": [("q4-answer", "bridge_1914 = 200", 2),
                    ("q8-answer", 'bug_q8 = "b"\nbalanced_share = 5 / 20', 2),
                    ("q9-answer", "exit_cost_needed = 0.17", 2)],
    "ex04-little-entente": [("q7-answer", 'bug_q7 = "b"\ngermany_q7 = 8.67', 2),
                            ("q8-answer", "with_france = 1 / 0.63", 2)],
    "ex05-erosion": [("q7-answer", 'bug_q7 = "b"\ns_year = 0.44', 2),
                     ("q8-answer", "p_1938_weak_feedback = p_1938", 2)],
    "ex06-small-powers": [("q8-answer", 'bug_q8 = "a"\np_at_least_one = 0.6 * 0.5', 2),
                          ("q9-answer", "partners_calm = 4\npartners_correlated = 4", 2)],
    "ex07-managing": [("q7-answer", 'bug_q7 = "b"\nweakest_q7 = "leadership volatility"', 2),
                      ("q8-answer", "doubt_tipping_size = 0.6", 2)],
    "ex09-evidence": [("q5-answer", 'bug_q5 = "b"\n_d = fulfilment.rows()\nrate_after_1945 = '
                       'fulfilment.honour_rate(_d[_d["sample"] == 1], "BF")["rate"]', 2),
                      ("q6-answer", "hr_power_low = 1.70\n"
                       'significant_at_high = {"power_shift", "new_outside_alliance"}', 2)],
    "ex10-landscape": [("q2-answer", "count_border_registered = 14\ncount_border_corrected = 14\n"
                        'misplaced_border_registered = {"ROM", "RUS", "FIN"}', 2),
                       ("q4-answer", 'bug_q4 = "b"\nn_basins_corrected = 2\n'
                        "energy_corrected = -0.0856", 2),
                       ("q5-answer", 'right_registered = {"c"}\nright_corrected = {"c"}', 2)],
}


#: The crafted student of each set: every crafted wrong answer of the set, all else worked. One
#: student per set (not one per task) keeps the autogrades few; each task's own test cell is
#: checked, and the set's total shows that no other cell lost a point.
SLIPS = "slips"


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory):
    """A temporary course: generate, collect two students per set, autograde, feedback, export."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    course = tmp_path_factory.mktemp("roundtrip")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions", course / "solutions")
    for name in SETS:
        for student, origin in (("keen", "solutions"), ("idle", "exercises")):
            folder = course / "submitted" / student / name
            folder.mkdir(parents=True)
            shutil.copy(ROOT / origin / name / f"{name}.ipynb", folder)
        if name in CRAFTED:
            nb = _source(name)
            wrong = dict((grade_id, answer) for grade_id, answer, _ in CRAFTED[name])
            for cell in nb.cells:
                cell.source = wrong.get(_meta(cell).get("grade_id"), cell.source)
            folder = course / "submitted" / SLIPS / name
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / f"{name}.ipynb")
    config = Config()
    config.merge(PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config())
    config.CourseDirectory.root = str(course)
    config.Execute.timeout = 60
    api = NbGraderAPI(config=config)
    log = {}
    for name in SETS:
        log[name, "generate"] = api.generate_assignment(name, force=True)
        for student in ("keen", "idle"):
            log[name, student, "autograde"] = api.autograde(name, student)
            log[name, student, "feedback"] = api.generate_feedback(name, student)
        if name in CRAFTED:
            log[name, SLIPS, "autograde"] = api.autograde(name, SLIPS)
    export = subprocess.run(["nbgrader", "export", "--to", str(course / "grades.csv")], cwd=course,
                            capture_output=True, text=True, timeout=120)
    return {"course": course, "api": api, "log": log, "export": export}


@pytest.mark.nbgrader
def test_round_trip_steps_all_succeed(round_trip):
    failed = {key: value.get("error", "")[-500:] for key, value in round_trip["log"].items()
              if not value["success"]}
    assert not failed, failed


@pytest.mark.nbgrader
@pytest.mark.parametrize("name", SETS)
@pytest.mark.parametrize("student", ["keen", "idle"])
def test_feedback_shows_no_hidden_test_line(round_trip, name, student):
    """Neither a worked nor an untouched submission's feedback quotes a hidden test's code."""
    from feedback_support import hidden_lines, page_text

    html = round_trip["course"] / "feedback" / student / name / f"{name}.html"
    text = page_text(html.read_text(encoding="utf-8"))
    assert [line for line in hidden_lines(name) if line in text] == []
    assert "hidden tests ran here" in text


def _auto_points(api, name, student):
    """(scored, possible) over the autograded test cells of one submission."""
    with api.gradebook as gb:
        submission = gb.find_submission(name, student)
        scored = possible = 0.0
        for notebook in submission.notebooks:
            answers = {c.name for c in notebook.notebook.solution_cells}
            for grade in notebook.grades:
                if grade.cell.cell_type == "code" and grade.name not in answers:
                    scored += grade.score
                    possible += grade.max_score
        return scored, possible


@pytest.mark.nbgrader
@pytest.mark.parametrize("name", SETS)
def test_autograding_the_worked_solution_gives_full_marks(round_trip, name):
    scored, possible = _auto_points(round_trip["api"], name, "keen")
    assert possible > 0 and scored == possible


@pytest.mark.nbgrader
@pytest.mark.parametrize("name", SETS)
def test_autograding_the_untouched_student_version_gives_zero(round_trip, name):
    scored, possible = _auto_points(round_trip["api"], name, "idle")
    assert possible > 0 and scored == 0


CRAFTED_CASES = [(name, grade_id, points) for name in SETS
                 for grade_id, _, points in CRAFTED.get(name, [])]


def test_every_new_interpretation_task_has_a_crafted_wrong_answer():
    for name in SETS:
        tasks = {_meta(c)["grade_id"].replace("-text", "-answer") for c in _source(name).cells
                 if re.search(r"\*(bug hunt|sensitivity)\*", c.source)}
        assert tasks <= {grade_id for grade_id, _, _ in CRAFTED.get(name, [])}, name


@pytest.mark.nbgrader
@pytest.mark.parametrize("name,grade_id,points", CRAFTED_CASES)
def test_a_crafted_wrong_answer_loses_exactly_that_tasks_points(round_trip, name, grade_id,
                                                               points):
    test_id = grade_id.replace("-answer", "-tests")
    with round_trip["api"].gradebook as gb:
        grade = gb.find_grade(test_id, name, name, SLIPS)
        assert grade.max_score >= points, (name, test_id, grade.max_score)
        assert grade.score == grade.max_score - points, (name, test_id, grade.score)


@pytest.mark.nbgrader
@pytest.mark.parametrize("name", sorted(CRAFTED))
def test_the_crafted_wrong_answers_cost_no_other_points(round_trip, name):
    scored, possible = _auto_points(round_trip["api"], name, SLIPS)
    lost = sum(points for _, _, points in CRAFTED[name])
    assert scored == possible - lost, (name, scored, possible, lost)


@pytest.mark.nbgrader
@pytest.mark.parametrize("name,grade_id,points", CRAFTED_CASES[:1] + CRAFTED_CASES[-1:])
def test_under_nbgrader_a_failed_check_shows_a_short_block_and_scores_zero(round_trip, name,
                                                                          grade_id, points):
    graded = round_trip["course"] / "autograded" / SLIPS / name / f"{name}.ipynb"
    nb = nbformat.read(graded, as_version=4)
    test_id = grade_id.replace("-answer", "-tests")
    cell = next(c for c in nb.cells if _meta(c).get("grade_id") == test_id)
    errors = [o for o in cell.outputs if o.output_type == "error"]
    assert len(errors) == 1, cell.outputs
    shown = "\n".join(errors[0]["traceback"])
    assert "[NOT YET]" in shown and "hint:" in shown
    assert not any(mark in shown for mark in TRACEBACK_MARKS), shown
    with round_trip["api"].gradebook as gb:
        grade = gb.find_grade(test_id, name, name, SLIPS)
        assert grade.auto_score == 0 and grade.max_score == points


@pytest.mark.nbgrader
@pytest.mark.parametrize("name", SETS)
def test_feedback_html_is_produced(round_trip, name):
    html = round_trip["course"] / "feedback" / "keen" / name / f"{name}.html"
    assert html.exists() and "Score:" in html.read_text(encoding="utf-8")
    idle = round_trip["course"] / "feedback" / "idle" / name / f"{name}.html"
    assert idle.exists()


@pytest.mark.nbgrader
def test_feedback_shows_charts_as_inline_svg(round_trip):
    with_charts = [name for name in SETS if "ak.charts." in
                   "\n".join(c.source for c in _source(name).cells if c.cell_type == "code")]
    assert with_charts, "no exercise draws a chart"
    for name in with_charts:
        html = (round_trip["course"] / "feedback" / "keen" / name / f"{name}.html").read_text(
            encoding="utf-8")
        drawn = [base64.b64decode(data).decode("utf-8") for data in
                 re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)]
        drawn += re.findall(r"<svg[^>]*class=\"marks\".*?</svg>", html, re.S)  # inline SVG
        assert any("<svg" in svg and "<text" in svg for svg in drawn), (
            f"feedback for {name} has no chart drawn as SVG")
        assert "VegaLite 5 object" not in html


@pytest.mark.nbgrader
def test_grades_export_to_csv(round_trip):
    assert round_trip["export"].returncode == 0, round_trip["export"].stderr[-2000:]
    rows = list(csv.DictReader(open(round_trip["course"] / "grades.csv", encoding="utf-8")))
    assert {(r["assignment"], r["student_id"]) for r in rows} >= {
        (name, s) for name in SETS for s in ("keen", "idle")}
    keen = {r["assignment"]: float(r["score"]) for r in rows if r["student_id"] == "keen"}
    idle = {r["assignment"]: float(r["score"]) for r in rows if r["student_id"] == "idle"}
    assert all(keen[name] > idle[name] == 0 for name in SETS)


def test_the_generator_refuses_an_unknown_assignment(capsys):
    assert _load_generator().main(["ex99-nothing"]) == 2
    assert "ex99-nothing" in capsys.readouterr().err

