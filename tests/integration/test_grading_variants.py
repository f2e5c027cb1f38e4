"""A class on per-student variants, through nbgrader's whole round trip, on ex01-theory.

The instructor makes a course secret outside the course, switches variants on for ex01-theory,
generates and releases the set. Three students fetch it, each with the key the hub would give them
(HMAC of their id under the secret), run it and submit: two do their own work with the worked
solution's code; the third hands in the second one's answer values as literals. The instructor
collects, grades with ``alliancekit-grade`` (sandboxed, trusted judge) and makes feedback.

The copier also fakes what the display cells show: a line in an answer cell makes the later ones
print the second student's numbers. The course shows Q1's and Q9's inputs beside the written answer
Q10 (``c.Variants.written_inputs``).

What it must show: each student saw different numbers; own work scores full; the copier scores at
most half of the autograded points; the feedback shows each owner's own inputs; the autograded
notebook Formgrader serves carries, just above the written answer, the owner's inputs, which the
faked display does not change. (That the public
variant matches solutions/ is checked by tests/integration/test_exercises.py, which validates
every solution without a key, and by tests/unit/test_variants.py.)
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import ex01_class as ex01
import nbformat
import pytest
from nbclient import NotebookClient

from alliancekit import grading, variants
from alliancekit.grading import sandbox

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore:.*not in session")]

ROOT = ex01.ROOT
ASSIGNMENT, NOTEBOOK = ex01.ASSIGNMENT, ex01.NOTEBOOK
UNSAFE = bool(sandbox.sandbox_problem()) and not os.environ.get("CI")
AUTO_MAX = sum(ex01.points().values())
SECRET = bytes(range(100, 132))
WRITTEN = {"Q10": ["Q1", "Q9"]}  # the course shows Q1's and Q9's inputs beside written Q10
CANDIDATES = ["ann", "ben", "cyd", "dan", "eve", "fay", "gus", "hal", "ivy", "jon"]


def _three_students() -> list[str]:
    """The first three candidate ids whose variants of ex01-theory all differ."""
    chosen, seen = [], set()
    for name in CANDIDATES:
        v = variants.variant_number(variants.student_key(SECRET, name), ASSIGNMENT)
        if v not in seen:
            chosen.append(name)
            seen.add(v)
        if len(chosen) == 3:
            return chosen
    raise AssertionError("no three candidates with different variants")


def _as_student(home: Path, exchange: Path, student: str, action: str) -> None:
    """nbgrader's own fetch or submit, in this process, as ``student`` working in ``home``."""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeFetchAssignment, ExchangeSubmit
    from traitlets.config import Config

    config = Config()
    config.Exchange.root = str(exchange)
    config.Exchange.assignment_dir = str(home)
    config.CourseDirectory.root = str(home)
    config.CourseDirectory.course_id = "alliancekit"
    config.CourseDirectory.assignment_id = ASSIGNMENT
    config.CourseDirectory.student_id = student
    kind = ExchangeFetchAssignment if action == "fetch" else ExchangeSubmit
    kind(coursedir=CourseDirectory(config=config), authenticator=Authenticator(config=config),
         config=config).start()


def _work(path: Path, answers: dict[str, str], key: str, edit=None) -> dict[str, str]:
    """Fill the answer cells (and ``edit`` the cells' list), run the notebook as the student (their
    key), save it; return the printed inputs of each display cell."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if ex01.gid(cell) in answers:
            cell.source = answers[ex01.gid(cell)]
    if edit is not None:
        nb.cells = edit(nb.cells)
    saved = os.environ.get(variants.KEY_VARIABLE)
    os.environ[variants.KEY_VARIABLE] = key
    try:
        NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        if saved is None:
            os.environ.pop(variants.KEY_VARIABLE, None)
        else:
            os.environ[variants.KEY_VARIABLE] = saved
    nbformat.write(nb, path)
    return {ex01.gid(c): "".join(o.get("text", "") for o in c.outputs)
            for c in nb.cells if (ex01.gid(c) or "").endswith("-inputs")}


def _literal_answers(variant: int) -> dict[str, str]:
    """Answer cells holding, as literals, the worked answers of another variant."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("variant_digests",
                                                  ROOT / "scripts" / "variant_digests.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    values = script.run_set(ASSIGNMENT, variant)["answers"]
    cells = {}
    for grade_id, source in ex01.solution_answers().items():
        names = [n for n in script._assigned(source) if n in values
                 and isinstance(values[n], (float, int, str, bool, list, set))]
        cells[grade_id] = "\n".join(f"{n} = {values[n]!r}" for n in names)
    return cells


# ---- red team R1: locked set-up and input cells deleted or moved (issue 20) -------------------
PUBLIC = {q: variants.inputs(ASSIGNMENT, q, 0) for q in ("Q1", "Q9")}


def _public_inputs_work() -> tuple[dict[str, str], object]:
    """Deletes q1-inputs and moves q9-inputs last, answering Q1, Q2 and Q9 on the PUBLIC inputs:
    if the judge took ``q1`` or ``q9`` from the kernel, Q2 (no digest, checked against ``q1``
    only) would pass."""
    answers = ex01.solution_answers()
    answers["q1-answer"] = f"q1 = {PUBLIC['Q1']!r}\n" + answers["q1-answer"]
    answers["q9-answer"] = f"q9 = {PUBLIC['Q9']!r}\n" + answers["q9-answer"]

    def edit(cells):
        kept = [c for c in cells if ex01.gid(c) not in ("q1-inputs", "q9-inputs")]
        return kept + [c for c in cells if ex01.gid(c) == "q9-inputs"]
    return answers, edit


def _setup_last_work() -> tuple[dict[str, str], object]:
    """Moves the set-up cell last, keeping an own copy of it first with ``matches`` and ``close``
    that always say yes, and answers Q4 wrong: if the judge took any set-up name from the
    kernel, Q4 would pass (or, calling the student's ``check``, every test would fail)."""
    answers = ex01.solution_answers()
    answers["q4-answer"] = ex01.wrong_q4()

    def edit(cells):
        setup = next(c for c in cells if ex01.gid(c) == "setup")
        own = nbformat.v4.new_code_cell(setup.source + "\ndef matches(*a, **k):\n    return True"
                                        "\ndef close(*a, **k):\n    return True\n")
        return [own] + [c for c in cells if c is not setup] + [setup]
    return answers, edit


class _ArgvWatch:
    """Reads every process's command line (``/proc/*/cmdline``, as any local user can) while
    the class is graded, keeping the ones that hold any of ``secrets`` (red team R4)."""

    def __init__(self, secrets: list[str]):
        import threading

        self.secrets, self.seen, self.sandboxes, self.stop = secrets, [], 0, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        pids: set = set()
        while not self.stop.wait(0.2):
            for proc in Path("/proc").glob("[0-9]*/cmdline"):
                try:
                    argv = proc.read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
                except OSError:
                    continue
                if "bwrap" in argv and "--unshare-pid" in argv and proc.parent.name not in pids:
                    pids.add(proc.parent.name)
                    self.sandboxes += 1
                self.seen += [argv[:200] for s in self.secrets if s in argv]

    def close(self) -> None:
        self.stop.set()
        self.thread.join()


@pytest.fixture(scope="module")
def term(tmp_path_factory):
    scratch = tmp_path_factory.mktemp("variants")
    course, exchange = scratch / "course", scratch / "exchange"
    exchange.mkdir()
    secret = scratch / "instructor" / "variant-secret"
    secret.parent.mkdir()
    secret.write_text(SECRET.hex() + "\n")
    course.mkdir()
    shutil.copytree(ROOT / "solutions" / ASSIGNMENT, course / "solutions" / ASSIGNMENT)
    (course / "nbgrader_config.py").write_text(
        (ROOT / "nbgrader_config.py").read_text()
        + f"\nc.Exchange.root = {str(exchange)!r}\n"
        + f"c.Variants.secret_file = {str(secret)!r}\n"
        + f"c.Variants.sets = [{ASSIGNMENT!r}]\n"
        + f"c.Variants.written_inputs = {{{ASSIGNMENT!r}: {WRITTEN!r}}}\n")
    from nbgrader.apps import NbGraderAPI

    api = NbGraderAPI(config=grading._load_config(course))
    for step in (api.generate_assignment, api.release_assignment):
        done = step(ASSIGNMENT)
        assert done["success"], done["error"]

    ann, ben, cyd = students = _three_students()
    mover, setuplast = attackers = ["kim", "lee"]
    keys = {s: variants.student_key(SECRET, s) for s in students + attackers}
    ben_variant = variants.variant_number(keys[ben], ASSIGNMENT)
    work = {ann: (ex01.solution_answers(), None), ben: (ex01.solution_answers(), None),
            cyd: (_literal_answers(ben_variant), None),
            mover: _public_inputs_work(), setuplast: _setup_last_work()}
    # ... and makes the display cells after Q1 show ben's numbers (in the kernel it runs in)
    work[cyd][0]["q1-answer"] += f"\nmine.variant = {ben_variant}\n"
    shown = {}
    for student in students + attackers:
        home = scratch / "home" / student
        home.mkdir(parents=True)
        _as_student(home, exchange, student, "fetch")
        shown[student] = _work(home / ASSIGNMENT / NOTEBOOK, *work[student][:1], keys[student],
                               work[student][1])
        _as_student(home, exchange, student, "submit")
    done = api.collect(ASSIGNMENT)
    assert done["success"], done["error"]
    watch = _ArgvWatch(list(keys.values()))
    try:
        results = grading.grade_assignment(ASSIGNMENT, course, jobs=2, timeout=60,
                                           progress=False, unsafe=UNSAFE)
    finally:
        watch.close()
    for student in students:
        done = api.generate_feedback(ASSIGNMENT, student)
        assert done["success"], done["error"]
    return {"students": students, "shown": shown, "course": course, "keys": keys,
            "results": {r.student: r for r in results}, "attackers": attackers, "argv": watch}


def test_each_student_sees_different_numbers(term):
    first_inputs = [term["shown"][s]["q1-inputs"] for s in term["students"]]
    assert all("own_cinc" in text for text in first_inputs)
    assert len(set(first_inputs)) == 3


def test_own_work_scores_every_autograded_point(term):
    ann, ben, _ = term["students"]
    for student in (ann, ben):
        result = term["results"][student]
        assert result.status == "graded", result.notes
        assert result.auto_score == AUTO_MAX, (student, result.notes)


def test_a_classmates_answer_values_score_at_most_half(term):
    copier = term["results"][term["students"][2]]
    assert copier.auto_score <= AUTO_MAX / 2


def test_own_work_is_not_flagged_for_showing_someone_elses_inputs(term):
    for student in term["students"][:2]:
        result = term["results"][student]
        assert not any("not those of the variant graded" in n for n in result.notes)


def test_a_notebook_faking_a_classmates_inputs_is_flagged(term):
    copier = term["results"][term["students"][2]]
    assert any("not those of the variant graded" in n and "Q9" in n for n in copier.notes)


def test_the_feedback_shows_each_owner_their_own_inputs(term):
    for student in term["students"]:
        page = (term["course"] / "feedback" / student / ASSIGNMENT /
                NOTEBOOK.replace(".ipynb", ".html")).read_text(encoding="utf-8")
        rules = variants.rules(ASSIGNMENT)
        own = rules.inputs("Q1", variants.variant_number(term["keys"][student], ASSIGNMENT))
        assert f"own_cinc      = {own['own_cinc']:g}" in page
        assert f"partner_cinc  = {own['partner_cinc']}" in page


# ---- Formgrader: the owner's inputs beside a written answer (alliancekit.grading.variantview) --
def _autograded(term, student: str) -> nbformat.NotebookNode:
    return nbformat.read(term["course"] / "autograded" / student / ASSIGNMENT / NOTEBOOK,
                         as_version=4)


def _own_words(term, student: str, question: str) -> str:
    rules = variants.rules(ASSIGNMENT)
    own = variants.variant_number(term["keys"][student], ASSIGNMENT)
    return "\n".join(rules.words(question, rules.inputs(question, own)))


def test_formgrader_shows_each_owners_inputs_just_above_the_written_answer(term):
    from alliancekit.grading.variantview import NOTE_TAG

    for student in term["students"]:
        nb = _autograded(term, student)
        notes = [i for i, c in enumerate(nb.cells) if NOTE_TAG in c.metadata.get("tags", [])]
        assert len(notes) == 1, student  # Q6 and Q7 use no input: no note
        assert ex01.gid(nb.cells[notes[0] + 1]) == "q10-answer"
        note = nb.cells[notes[0]].source
        assert _own_words(term, student, "Q1") in note and _own_words(term, student, "Q9") in note


def test_a_faked_display_changes_neither_the_note_nor_the_display_cells(term):
    ben, cyd = term["students"][1:]
    nb = _autograded(term, cyd)
    note = next(c.source for c in nb.cells if ex01.gid(c) is None and "Q10" in c.source)
    assert _own_words(term, cyd, "Q9") in note and _own_words(term, ben, "Q9") not in note
    (shown,) = [c for c in nb.cells if ex01.gid(c) == "q9-inputs"]
    assert "".join(o.get("text", "") for o in shown.outputs).strip() == _own_words(term, cyd, "Q9")


def test_the_page_formgrader_renders_shows_the_note_escaped_as_plain_text(term):
    """The submission page as Formgrader makes it: nbconvert's formgrade template, the course's
    HTMLExporter configuration (the sanitiser), the autograded notebook."""
    import html

    from nbconvert import HTMLExporter
    from nbgrader.server_extensions.formgrader import handlers

    cyd = term["students"][2]
    config = grading._load_config(term["course"])
    config.HTMLExporter.template_name = "formgrade"
    config.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    resources = {"assignment_id": ASSIGNMENT, "notebook_id": ASSIGNMENT, "submission_id": "x",
                 "index": 0, "total": 1, "base_url": "/", "student": cyd, "last_name": None,
                 "first_name": None, "notebook_path": "/x"}
    page, _ = HTMLExporter(config=config).from_filename(
        str(term["course"] / "autograded" / cyd / ASSIGNMENT / NOTEBOOK), resources=resources)
    note = page[page.index("Inputs of this student"):page.index('id="q10-answer"')]
    shown = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", note)).split())
    for line in _own_words(term, cyd, "Q9").splitlines():
        assert " ".join(line.split()) in shown
    assert "<pre>" in note and "alliancekit: this answer held markup" not in page


# ---- red team R1 and R4 ------------------------------------------------------------------------
def _score(term, student: str, test: str) -> float:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{term['course'] / 'gradebook.db'}") as gb:
        return gb.find_grade(test, ASSIGNMENT, ASSIGNMENT, student).score


def test_answers_on_public_inputs_fail_when_the_input_cells_are_deleted_or_moved(term):
    mover = term["attackers"][0]
    assert _score(term, mover, "q2-tests") == 0
    assert _score(term, mover, "q9-tests") == 0
    assert term["results"][mover].auto_score <= AUTO_MAX / 2


def test_deleted_input_cells_are_put_back_and_moved_ones_flagged(term):
    mover = term["attackers"][0]
    notes = " ".join(term["results"][mover].notes)
    assert "lacked the read-only cells q1-inputs" in notes
    assert "q9-inputs out of the set's order" in notes
    assert "lacks the read-only cells that show the inputs for Q1" in notes
    (restored,) = [c for c in _autograded(term, mover).cells if ex01.gid(c) == "q1-inputs"]
    shown = "".join(o.get("text", "") for o in restored.outputs).strip()
    assert shown == _own_words(term, mover, "Q1")


def test_a_set_up_cell_moved_last_still_gives_the_judge_its_own_names(term):
    setuplast = term["attackers"][1]
    result = term["results"][setuplast]
    assert result.auto_score == AUTO_MAX - ex01.points()["q4-tests"], result.notes
    assert "setup out of the set's order" in " ".join(result.notes)


def test_no_students_key_is_on_any_command_line_while_the_class_is_graded(term):
    if UNSAFE:
        pytest.skip("no sandbox here: the kernels ran unsandboxed")
    assert term["argv"].sandboxes > 0  # the watch saw the sandboxes it looked for
    assert term["argv"].seen == []


def test_a_kernel_run_without_a_sandbox_gets_its_owners_variant_not_the_graders(tmp_path,
                                                                                monkeypatch):
    """``--unsafe-trust-submissions``: the kernel inherits the grader's environment, with the
    owner's variant variables in place of the grader's own (the grader's is left unchanged)."""
    from traitlets.config import Config

    from alliancekit.grading.variantgrading import owner_environment, with_variants

    secret = tmp_path / "secret"
    secret.write_text(SECRET.hex() + "\n")
    config = Config()
    config.Variants.secret_file = str(secret)
    config.Variants.sets = [ASSIGNMENT]
    monkeypatch.setenv(variants.KEY_VARIABLE, "f" * 64)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        f"import os; print(os.environ.get({variants.KEY_VARIABLE!r}))")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    execute = with_variants(sandbox.GradingExecute)(config=config, timeout=60)
    execute.preprocess(nb, {"nbgrader": {"assignment": ASSIGNMENT, "student": "ann"},
                            "metadata": {"path": str(tmp_path)}})
    printed = nb.cells[0].outputs[0]["text"].strip()
    assert printed == owner_environment(config, ASSIGNMENT, "ann")[variants.KEY_VARIABLE]
    assert os.environ[variants.KEY_VARIABLE] == "f" * 64
