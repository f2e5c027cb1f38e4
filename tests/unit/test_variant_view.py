"""Formgrader shows a written answer beside its owner's inputs: ``alliancekit.grading.variantview``.

Specification without a class: which written questions get a note, what the note says and that it
renders as plain text whatever the inputs hold, how an autograded notebook is rewritten, and that
a set not graded by variant is left alone. The round trip through nbgrader is in
tests/integration/test_grading_variants.py.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nbformat.v4 import new_markdown_cell, new_output
from traitlets.config import Config

from alliancekit import variants
from alliancekit.grading import sanitise
from alliancekit.grading import variantgrading as vg
from alliancekit.grading import variantview as vv
from alliancekit.variants import Question, SetRules, VariantError

ROOT = Path(__file__).resolve().parents[2]
SET = "ex07-managing"


def _config(secret: Path | str = "", sets=(SET,), written=None, root: Path | None = None):
    config = Config()
    config.Variants.secret_file = str(secret)
    config.Variants.sets = list(sets)
    config.Variants.written_inputs = written or {}
    if root is not None:
        config.CourseDirectory.root = str(root)
        config.CourseDirectory.source_directory = "solutions"
    return config


def _words(set_id: str, question: str, variant: int) -> list[str]:
    rules = variants.rules(set_id)
    return rules.words(question, rules.inputs(question, variant))


def _graded(set_id: str, printed: int = 0) -> nbformat.NotebookNode:
    """The released notebook as nbgrader's autograde leaves it: its display cells printed the
    inputs of variant ``printed``."""
    nb = nbformat.read(ROOT / "exercises" / set_id / f"{set_id}.ipynb", as_version=4)
    display = vg._display_cells(ROOT / "solutions" / set_id / f"{set_id}.ipynb")
    for cell in nb.cells:
        question = display.get(vv._grade_id(cell))
        if question:
            cell.outputs = [new_output("stream", name="stdout",
                                       text="\n".join(_words(set_id, question, printed)) + "\n")]
    return nb


def _rewrite(nb, set_id: str, variant: int, uses) -> list[str]:
    source = ROOT / "solutions" / set_id / f"{set_id}.ipynb"
    return vv.rewrite_notebook(nb, set_id, variant, vg._display_cells(source),
                               vv._written_answers(source), uses)


def _notes(nb) -> list:
    return [c for c in nb.cells if vv.NOTE_TAG in c.metadata.get("tags", [])]


def _before(nb, grade_id: str):
    index = next(i for i, c in enumerate(nb.cells) if vv._grade_id(c) == grade_id)
    return nb.cells[index - 1]


# ---- which written questions get a note ------------------------------------------------------
def test_ex07s_q5_which_argues_from_q3s_results_is_shown_beside_q3s_inputs():
    assert vv.written_inputs(_config(), SET) == {"Q5": ("Q3",)}


@pytest.mark.parametrize("set_id", variants.sets())
def test_every_written_rule_names_a_written_answer_and_varying_questions(set_id):
    source = ROOT / "solutions" / set_id / f"{set_id}.ipynb"
    written = set(vv._written_answers(source).values())
    for question, uses in variants.rules(set_id).written.items():
        assert question in written, (set_id, question)
        for label in uses:
            variants.rules(set_id).question(label)


def test_the_instructor_can_show_inputs_beside_another_written_answer():
    config = _config(sets=("ex01-theory",), written={"ex01-theory": {"Q10": ["Q1", "Q9"]}})
    assert vv.written_inputs(config, "ex01-theory") == {"Q10": ("Q1", "Q9")}


@pytest.mark.parametrize("table, words", [
    ({"Q10": ["Q4"]}, "Q4' of ex01-theory has no variant rule"),
    ({"Q10": []}, "non-empty list of questions"),
    ({"Q10": "Q1"}, "non-empty list of questions"),
    ({"10": ["Q1"]}, "named like 'Q10'"),
    (["Q10"], "must map written questions"),
])
def test_a_malformed_written_inputs_table_is_refused_with_a_clear_error(table, words):
    with pytest.raises(VariantError, match=re.escape(words)):
        vv.written_inputs(_config(written={"ex01-theory": table}), "ex01-theory")


def test_grading_refuses_early_a_written_question_the_set_does_not_have(tmp_path):
    (tmp_path / "solutions").mkdir()
    (tmp_path / "solutions" / "ex01-theory").symlink_to(ROOT / "solutions" / "ex01-theory")
    config = _config(sets=("ex01-theory",), written={"ex01-theory": {"Q1": ["Q1"]}},
                     root=tmp_path)
    with pytest.raises(VariantError, match="Q1 has no written answer in the set"):
        vv.check_written_inputs(config, "ex01-theory")
    config.Variants.written_inputs = {"ex01-theory": {"Q10": ["Q1"]}}
    vv.check_written_inputs(config, "ex01-theory")  # Q10 is written: accepted


# ---- the note -------------------------------------------------------------------------------
@pytest.mark.parametrize("variant", range(5))
def test_the_note_shows_the_variants_inputs_as_mine_show_prints_them(variant):
    note = vv.inputs_note(SET, "Q5", ("Q3",), variant)
    assert f"variant {variant} of" in note and vv.HEADING in note
    assert "\n".join(_words(SET, "Q3", variant)) in note


def test_questions_sharing_their_inputs_show_them_once():
    note = vv.inputs_note("ex01-theory", "Q10", ("Q1", "Q2", "Q9"), 1)
    assert note.count("own_cinc") == 1 and note.count("outside option falls by") == 1


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags, self.text = set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.tags |= {f"@{name}" for name, _ in attrs if name != "class"}

    def handle_data(self, data):
        self.text.append(data)


_HOSTILE = st.lists(st.sampled_from(list("ab1 .-=*_`~#<>&\"'[]()!\\$|{}/:\t")
                                    + ["<script>", "<img src=x onerror=alert(1)>",
                                       "](javascript:alert(1))", "```", "$$", "&amp;"]),
                    max_size=20).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(_HOSTILE, min_size=1, max_size=4))
def test_whatever_the_inputs_hold_the_note_renders_them_as_plain_text(lines):
    """The inputs are ours, but the rendering path is treated as untrusted."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    rules = SetRules("ex99-test", 1, {"Q1": Question(lambda v: list(lines),
                                                     ({"x": 0}, {"x": 1}))})
    real = variants.rules
    variants.rules = lambda set_id: rules
    try:
        note = vv.inputs_note("ex99-test", "Q2", ("Q1",), 1)
    finally:
        variants.rules = real
    assert sanitise.clean_markdown(note) == (note, False)  # the sanitiser keeps it as it is
    page = _Text()
    page.feed(markdown2html_mistune(note))
    # text, emphasis, line breaks and a code block (pygments' div and spans); no other tag, and
    # no attribute but a class
    assert page.tags <= {"p", "pre", "code", "strong", "em", "br", "div", "span"}
    shown = " ".join(" ".join(page.text).split())
    for line in lines:
        assert " ".join(line.split()) in shown


# ---- the autograded notebook ------------------------------------------------------------------
def test_the_note_sits_just_above_the_written_answer_that_uses_the_inputs():
    nb = _graded(SET, printed=3)
    assert _rewrite(nb, SET, 3, {"Q5": ("Q3",)}) == []
    (note,) = _notes(nb)
    assert _before(nb, "q5-answer") is note
    assert "\n".join(_words(SET, "Q3", 3)) in note.source
    assert "seed    = 13" in note.source  # variant 3's seed, not the public 7


def test_written_answers_that_use_no_input_get_no_note():
    nb = _graded("ex05-erosion")
    _rewrite(nb, "ex05-erosion", 2, vv.written_inputs(_config(), "ex05-erosion"))
    assert _notes(nb) == []


def test_the_display_cells_show_the_owners_inputs_whatever_the_graded_run_printed():
    nb = _graded(SET)  # it printed the public numbers: the student's code changed them
    (q7,) = [c for c in nb.cells if vv._grade_id(c) == "q7-setup"]
    value = new_output("execute_result", data={"text/plain": "0.64"}, execution_count=3)
    q7.outputs.append(value)
    findings = _rewrite(nb, SET, 2, {})
    assert q7.outputs[0].text == "\n".join(_words(SET, "Q7", 2)) + "\n"
    assert q7.outputs[1:] == [value]  # the cell's value stays
    (finding,) = findings
    assert "Q3, Q7" in finding and "other than the owner's" in finding


def test_grading_again_leaves_one_note_and_nothing_to_report():
    nb = _graded(SET)
    _rewrite(nb, SET, 1, {"Q5": ("Q3",)})
    assert _rewrite(nb, SET, 1, {"Q5": ("Q3",)}) == []
    assert len(_notes(nb)) == 1


def test_a_forged_note_is_removed_and_an_imitation_reported():
    nb = _graded(SET)
    forged = new_markdown_cell("Your inputs: seed = 99", metadata={"tags": [vv.NOTE_TAG]})
    nb.cells.insert(0, forged)
    for cell in nb.cells:
        if vv._grade_id(cell) == "q5-answer":
            cell.source = f"**{vv.HEADING} for Q5** seed = 99. My answer ..."
    findings = _rewrite(nb, SET, 1, {"Q5": ("Q3",)})
    assert forged not in nb.cells and len(_notes(nb)) == 1
    assert any("carried the tag" in f for f in findings)
    assert any("imitates the grader's inputs note" in f and "q5-answer" in f for f in findings)


def test_the_sanitiser_keeps_the_note_and_its_tag():
    nb = _graded(SET)
    _rewrite(nb, SET, 4, {"Q5": ("Q3",)})
    (before,) = _notes(nb)
    text = before.source
    sanitise.sanitise_notebook(nb)
    (after,) = _notes(nb)
    assert after.source == text


def _api(tmp_path: Path, config: Config, set_id: str):
    def format_path(kind, student, assignment):
        return str(tmp_path / kind / student / assignment)

    for kind, student in (("source", "."), ("autograded", "s1")):
        folder = tmp_path / kind / student / set_id
        folder.mkdir(parents=True)
    (tmp_path / "source" / "." / set_id / f"{set_id}.ipynb").write_text(
        (ROOT / "solutions" / set_id / f"{set_id}.ipynb").read_text())
    nbformat.write(_graded(set_id), tmp_path / "autograded" / "s1" / set_id / f"{set_id}.ipynb")
    coursedir = SimpleNamespace(format_path=format_path, source_directory="source",
                                autograded_directory="autograded")
    return SimpleNamespace(coursedir=coursedir, config=config)


def test_a_set_not_graded_by_variant_is_left_as_nbgrader_wrote_it(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text(variants.new_secret())
    api = _api(tmp_path, _config(secret, sets=()), SET)
    path = tmp_path / "autograded" / "s1" / SET / f"{SET}.ipynb"
    before = path.read_bytes()
    assert vv.show_owner_inputs(api, SET, "s1") == []
    assert path.read_bytes() == before


def test_the_grader_writes_the_owners_own_variant_into_the_autograded_copy(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text(variants.new_secret())
    config = _config(secret)
    api = _api(tmp_path, config, SET)
    path = tmp_path / "autograded" / "s1" / SET / f"{SET}.ipynb"
    path.chmod(0o444)  # nbgrader may leave it read-only
    own = vg.variant_of(config, SET, "s1")
    notes = vv.show_owner_inputs(api, SET, "s1")
    assert notes and all("other than the owner's" in n for n in notes)  # it printed public ones
    nb = json.loads(path.read_text())
    (note,) = [c for c in nb["cells"] if vv.NOTE_TAG in c["metadata"].get("tags", [])]
    assert "\n".join(_words(SET, "Q3", own)) in "".join(note["source"])
    assert path.stat().st_mode & 0o777 == 0o444
