"""Formgrader shows, beside a written answer, the inputs of its owner's variant.

A written answer that argues from a question's numbers ("using your results from Q3") is marked
by a person, who must know which numbers the student had. For a set graded by variant
(``c.Variants.sets``), ``alliancekit-grade`` rewrites each student's *autograded* notebook, the
one Formgrader and the feedback show, after nbgrader has graded it:

- **a note beside each such written answer**: a markdown cell, just above the answer's box,
  holding the inputs of the owner's variant in plain words, as ``mine.show`` prints them, with
  the variant's number. Which written questions get one is the set's rule
  (`alliancekit.variants.SetRules.written`, e.g. ex07's Q5 uses Q3's inputs) plus the
  instructor's ``c.Variants.written_inputs``; a written question that uses no input gets none;
- **the display cells' printed outputs** (of the locked ``q1 = mine.show("Q1")`` cells) are
  replaced by the same rendering; their other outputs (a value, an error) stay.

Both are computed here, in the grader's process, from the owner's variant (`variant_of`: the
secret and nbgrader's student id), never from the notebook or anything the student's code could
change. A submission whose code made a display cell print other inputs while it was graded, or
that holds a cell imitating the note, gets a line in the grading report. Sets not switched on are
left as nbgrader wrote them.

The note is markdown built with everything escaped (the inputs are the course's, but the path
that renders them is treated as untrusted), and the sanitiser (`alliancekit.grading.sanitise`)
runs over the notebook afterwards like over any other cell.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from alliancekit import variants as _variants
from alliancekit.variants import VariantError

__all__ = ["written_inputs", "check_written_inputs", "inputs_note", "rewrite_notebook",
           "show_owner_inputs", "NOTE_TAG", "HEADING"]

#: The tag of the note cells (a cell of the submission with this tag is removed and reported).
NOTE_TAG = "alliancekit-variant-inputs"
#: The note's opening words (a cell of the submission holding them is reported as an imitation).
HEADING = "Inputs of this student's variant"

_LABEL = re.compile(r"^Q\d{1,3}$")
_ANSWER_ID = re.compile(r"^q(\d{1,3})-answer$")
_PUNCTUATION = "!\"#$%'()*+,-./:;=?@[\\]^_`{|}~"


# ---------------------------------------------------------------------------------------------
# Which written questions show which inputs
# ---------------------------------------------------------------------------------------------
def written_inputs(config, set_id: str) -> dict[str, tuple[str, ...]]:
    """The written questions of a set shown beside inputs, and the questions whose inputs.

    Parameters
    ----------
    config : traitlets.config.Config
        The course's configuration (``c.Variants.written_inputs``, e.g.
        ``{"ex01-theory": {"Q10": ["Q1"]}}``, adds to or replaces the set's own rule).
    set_id : str
        The set, e.g. ``"ex07-managing"``; it must have variants.

    Returns
    -------
    dict of str to tuple of str
        ``{written question: (varying question, ...)}``, e.g. ``{"Q5": ("Q3",)}``.

    Raises
    ------
    VariantError
        If the set has no variants, or a configured entry is not ``{"Qn": ["Qm", ...]}`` with
        each ``Qm`` a question of the set that has a variant rule.
    """
    from alliancekit.grading.variantgrading import Variants

    rules = _variants.rules(set_id)
    table = dict(rules.written)
    extra = Variants(config=config).written_inputs.get(set_id) or {}
    if not isinstance(extra, dict):
        raise VariantError(f"c.Variants.written_inputs[{set_id!r}] must map written questions "
                           f"to lists of questions, e.g. {{'Q10': ['Q1']}}; got {extra!r}")
    for question, uses in extra.items():
        if not isinstance(question, str) or not _LABEL.match(question):
            raise VariantError(f"c.Variants.written_inputs[{set_id!r}]: a written question is "
                               f"named like 'Q10'; got {question!r}")
        if isinstance(uses, str) or not isinstance(uses, (list, tuple)) or not uses:
            raise VariantError(f"c.Variants.written_inputs[{set_id!r}][{question!r}] must be a "
                               f"non-empty list of questions, e.g. ['Q1']; got {uses!r}")
        for label in uses:
            rules.question(label)  # a clear error naming the set's varying questions
        table[question] = tuple(uses)
    return table


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8")).get("cells", [])


def _written_answers(source_notebook: Path) -> dict[str, str]:
    """{grade id: question} of the written (manually graded markdown) answers, from the source."""
    found = {}
    for cell in _cells(source_notebook):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        match = _ANSWER_ID.match(str(meta.get("grade_id", "")))
        if cell.get("cell_type") == "markdown" and meta.get("grade") and meta.get("solution") \
                and match:
            found[meta["grade_id"]] = f"Q{match.group(1)}"
    return found


def _source_notebooks(config, set_id: str) -> list[Path]:
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=config)
    folder = Path(coursedir.format_path(coursedir.source_directory, ".", set_id))
    return sorted(folder.glob("*.ipynb"))


def check_written_inputs(config, set_id: str) -> None:
    """Refuse early when ``c.Variants.written_inputs`` names a question with no written answer.

    Raises
    ------
    VariantError
        If an entry is malformed (see `written_inputs`) or names a question that has no written
        answer cell (a markdown answer graded by hand, grade id ``qN-answer``) in the set's
        source notebooks.
    """
    table = written_inputs(config, set_id)
    written = {q for path in _source_notebooks(config, set_id)
               for q in _written_answers(path).values()}
    missing = sorted(set(table) - written, key=lambda q: int(q[1:]))
    if missing:
        raise VariantError(f"c.Variants.written_inputs for {set_id}: {', '.join(missing)} "
                           "has no written answer in the set (a markdown answer graded by "
                           f"hand); its written questions: {', '.join(sorted(written)) or 'none'}")


# ---------------------------------------------------------------------------------------------
# The note, escaped
# ---------------------------------------------------------------------------------------------
def _inline(text: str) -> str:
    """Text that markdown shows as it is: entities for ``& < >``, backslashes before the rest."""
    out = []
    for ch in " ".join(str(text).split()):
        if ch in "&<>":
            out.append({"&": "&amp;", "<": "&lt;", ">": "&gt;"}[ch])
        elif ch in _PUNCTUATION:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def _block(lines: list[str]) -> str:
    """Lines shown as they are, aligned: a fenced block longer than any run of backticks in them.

    Text a browser could read as a tag is never put in a block (the sanitiser would rewrite the
    cell); it is written as escaped lines instead.
    """
    from alliancekit.grading.sanitise import _may_open_a_tag

    text = "\n".join(line.rstrip() for line in lines)
    if _may_open_a_tag(text) or "\r" in text:
        return "  \n".join(_inline(line) for line in lines)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def inputs_note(set_id: str, question: str, uses: tuple[str, ...], variant: int) -> str:
    """The markdown of the note shown above a written answer.

    Parameters
    ----------
    set_id : str
        The set, e.g. ``"ex07-managing"``.
    question : str
        The written question, e.g. ``"Q5"``.
    uses : tuple of str
        The varying questions whose inputs it uses, e.g. ``("Q3",)``.
    variant : int
        The owner's variant (0 for the public one).

    Returns
    -------
    str
        Markdown: a heading line, then each distinct set of inputs in plain words, as
        ``mine.show`` prints them.

    Examples
    --------
    >>> print(inputs_note("ex05-erosion", "Q5", ("Q3",), 0))  # doctest: +NORMALIZE_WHITESPACE
    **Inputs of this student's variant for Q5** (variant 0 of ex05\\-erosion; computed by the
    grader from the student's key, not read from the notebook). Q5 uses the inputs of Q3:
    <BLANKLINE>
    ```text
    Your input:
      seed = 1   the seed of your 200 simulated futures (q3["seed"])
    ```
    """
    rules = _variants.rules(set_id)
    blocks: dict[tuple[str, ...], list[str]] = {}
    for label in uses:
        lines = tuple(rules.words(label, rules.inputs(label, int(variant))))
        blocks.setdefault(lines, []).append(label)
    parts = [f"**{HEADING} for {_inline(question)}** (variant {int(variant)} of "
             f"{_inline(set_id)}; computed by the grader from the student's key, not read from "
             f"the notebook). {_inline(question)} uses the inputs of "
             f"{_inline(' and '.join(uses))}:"]
    for lines, labels in blocks.items():
        if len(blocks) > 1:
            parts.append(f"*{_inline(' and '.join(labels))}:*")
        parts.append(_block(list(lines)))
    return "\n\n".join(parts)


# ---------------------------------------------------------------------------------------------
# One notebook, in memory
# ---------------------------------------------------------------------------------------------
def _grade_id(cell) -> str | None:
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta.get("grade_id") if isinstance(meta, dict) else None


def _name(cell) -> str:
    """A cell's grade id for the report when it is a plain token, else "a cell it added"."""
    grade_id = _grade_id(cell)
    return grade_id if isinstance(grade_id, str) and re.match(r"^[A-Za-z0-9_-]{1,64}$",
                                                               grade_id) else "a cell it added"


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _same(shown: str, lines: list[str]) -> bool:
    return [x.rstrip() for x in shown.strip().splitlines()] == [x.rstrip() for x in lines]


def rewrite_notebook(nb, set_id: str, variant: int, display: dict[str, str],
                     written: dict[str, str], uses: dict[str, tuple[str, ...]]) -> list[str]:
    """Put the owner's inputs into an autograded notebook, in place.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The autograded notebook (version 4).
    set_id : str
        The set, e.g. ``"ex01-theory"``.
    variant : int
        The owner's variant.
    display : dict of str to str
        ``{grade id: question}`` of the display cells, from the source notebook.
    written : dict of str to str
        ``{grade id: question}`` of the written answers, from the source notebook.
    uses : dict of str to tuple of str
        `written_inputs`: the written questions that get a note and whose inputs they show.

    Returns
    -------
    list of str
        Plain-language findings for the grading report (empty when nothing was amiss).
    """
    from nbformat.v4 import new_markdown_cell, new_output

    rules = _variants.rules(set_id)
    findings, changed = [], []
    kept = []
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags")
        ours = isinstance(tags, list) and NOTE_TAG in tags
        if ours and cell.get("cell_type") == "markdown" and _grade_id(cell) is None:
            if HEADING not in _text(cell.get("source", "")):
                findings.append("a cell of the submission carried the tag of the grader's "
                                "inputs note; it was removed from the autograded copy")
            continue  # a note of an earlier grading (made again below), or a forgery
        if HEADING.lower() in _text(cell.get("source", "")).lower():  # in an answer, say
            findings.append(f"the submission imitates the grader's inputs note (\"{HEADING}\" "
                            f"in {_name(cell)}); the grader's own is "
                            "the one directly above each written answer's box")
        kept.append(cell)
    nb.cells = kept
    for cell in nb.cells:
        question = display.get(_grade_id(cell))
        if question is None or cell.get("cell_type") != "code":
            continue
        lines = rules.words(question, rules.inputs(question, variant))
        shown = "".join(_text(o.get("text", "")) for o in cell.get("outputs", [])
                        if o.get("output_type") == "stream")
        if shown.strip() and not _same(shown, lines):
            changed.append(question)
        others = [o for o in cell.get("outputs", []) if o.get("output_type") != "stream"]
        cell.outputs = [new_output("stream", name="stdout", text="\n".join(lines) + "\n"),
                        *others]  # e.g. ex07's health figure, the judge's (and sanitised)
    if changed:
        findings.append(f"while it was graded, its display cells printed inputs other than the "
                        f"owner's ({', '.join(changed)}); the autograded copy shows the owner's")
    for grade_id, question in written.items():
        if question not in uses:
            continue
        where = [i for i, c in enumerate(nb.cells)
                 if _grade_id(c) == grade_id and c.get("cell_type") == "markdown"]
        if not where:
            continue
        note = new_markdown_cell(inputs_note(set_id, question, uses[question], variant),
                                 metadata={"tags": [NOTE_TAG], "editable": False,
                                           "deletable": False})
        if nb.get("nbformat_minor", 0) < 5:  # cell ids came with nbformat 4.5
            note.pop("id", None)
        nb.cells.insert(where[0], note)
    return findings


# ---------------------------------------------------------------------------------------------
# One student's autograded folder
# ---------------------------------------------------------------------------------------------
def show_owner_inputs(api, assignment: str, student: str) -> list[str]:
    """Rewrite one student's autograded notebooks with their own inputs (`rewrite_notebook`).

    Parameters
    ----------
    api : nbgrader.apps.NbGraderAPI
        The course's API (its ``coursedir`` and ``config``).
    assignment : str
        The set, e.g. ``"ex01-theory"``.
    student : str
        nbgrader's student id (the submission's folder), whose variant is shown.

    Returns
    -------
    list of str
        Notes for the grading report; empty for a set not graded by variant (left untouched).
    """
    import nbformat

    from alliancekit.grading.sanitise import _write_keeping_mode
    from alliancekit.grading.variantgrading import Variants, _display_cells, variant_of

    config = api.config
    if assignment not in _variants.sets() or assignment not in Variants(config=config).sets:
        return []
    coursedir = api.coursedir
    variant = variant_of(config, assignment, student)
    uses = written_inputs(config, assignment)
    source = Path(coursedir.format_path(coursedir.source_directory, ".", assignment))
    graded = Path(coursedir.format_path(coursedir.autograded_directory, student, assignment))
    notes = []
    for path in sorted(source.glob("*.ipynb")):
        target = graded / path.name
        if target.is_symlink() or not target.is_file():
            continue
        try:
            nb = nbformat.read(str(target), as_version=4)
            found = rewrite_notebook(nb, assignment, variant, _display_cells(path),
                                     _written_answers(path), uses)
            _write_keeping_mode(nb, target)
        except Exception as exc:  # the grade stands; the grader says what is missing
            notes.append(f"{path.name}: the owner's inputs could not be added to the autograded "
                         f"copy ({type(exc).__name__}); its display cells show what the graded "
                         "run printed")
            continue
        notes += [f"{path.name}: {finding}" for finding in found]
    return notes
