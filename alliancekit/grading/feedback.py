"""Feedback pages that show students how they did, never the hidden tests.

nbgrader's ``generate_feedback`` renders the *autograded* notebook, whose test cells hold the hidden
tests in full (nbgrader restores them from the gradebook before grading), and a failing hidden test
shows its own source lines in the traceback. :class:`HideHiddenTests`, added to
``GenerateFeedback.preprocessors`` in ``nbgrader_config.py``, rewrites the notebook just before it
becomes HTML:

- in every test cell the region between the hidden-test delimiters is replaced by one comment line;
- in a test cell that had hidden tests, an error keeps only its type and message (the student sees
  that the test failed, and any hint the visible checks gave), not the traceback, whose context
  lines could quote hidden code;
- every cell's outputs are capped by bytes (``max_bytes``), whatever produced the notebook.

:class:`StudentView`, listed after it, keeps only what the student may see: a test cell's outputs
are rebuilt from its verdict (:func:`verdict_outputs`), never the text the submission printed
while it ran, and the student's other code cells keep no outputs. Markup that could run script is
removed by ``alliancekit.grading.sanitise.SanitiseNotebook``, listed last. The autograded notebook
on disk, which only instructors see, keeps its outputs (sanitised by ``alliancekit-grade``).
"""
from __future__ import annotations

import builtins
import json

from nbconvert.preprocessors import Preprocessor
from nbgrader.utils import is_grade, is_solution
from traitlets import Bool, Integer, Unicode

__all__ = ["HideHiddenTests", "StudentView", "strip_hidden", "verdict_outputs"]

NOTE = "# (hidden tests ran here; their code is not shown)"


def strip_hidden(source: str, begin: str = "BEGIN HIDDEN TESTS",
                 end: str = "END HIDDEN TESTS") -> tuple[str, bool]:
    """Remove every hidden-test region from a cell's source.

    Parameters
    ----------
    source : str
        The cell's source.
    begin, end : str
        The delimiters (nbgrader's ``ClearHiddenTests`` defaults); a line containing one of them
        starts or ends a region. An unclosed region runs to the end of the cell.

    Returns
    -------
    (str, bool)
        The source without hidden regions (each replaced by one comment line), and whether there
        was any.

    Examples
    --------
    >>> strip_hidden("a = 1\\n### BEGIN HIDDEN TESTS\\nassert a == 1\\n### END HIDDEN TESTS\\n")
    ('a = 1\\n# (hidden tests ran here; their code is not shown)', True)
    """
    kept, hidden, found = [], False, False
    for line in source.splitlines():
        if begin in line:
            hidden, found = True, True
            kept.append(NOTE)
        elif end in line and hidden:
            hidden = False
        elif not hidden:
            kept.append(line)
    return ("\n".join(kept) if found else source), found


class HideHiddenTests(Preprocessor):
    """nbconvert preprocessor for nbgrader feedback: no hidden-test code, bounded outputs."""

    enabled = Bool(True, help="on by default (nbconvert's preprocessors are off)").tag(config=True)

    begin = Unicode("BEGIN HIDDEN TESTS", help="line marking the start of hidden tests").tag(
        config=True)
    end = Unicode("END HIDDEN TESTS", help="line marking the end of hidden tests").tag(
        config=True)
    max_bytes = Integer(256 * 1024, help="output bytes kept per cell").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        is_test = bool(is_grade(cell)) and not is_solution(cell)
        source, had_hidden = strip_hidden(cell.source, self.begin, self.end)
        if is_test or had_hidden:
            cell.source = source
        if had_hidden:
            for output in cell.outputs:
                if output.output_type == "error":
                    message = f"{output.ename}: {output.evalue}" if output.evalue else output.ename
                    output.traceback = [message, "(a test failed; the hidden tests' code is not "
                                                 "shown)"]
        cell.outputs = _cap(cell.outputs, self.max_bytes)
        return cell, resources


def _cap(outputs: list, budget: int) -> list:
    kept, used = [], 0
    for output in outputs:
        size = len(json.dumps(output, default=str))
        if used + size <= budget:
            kept.append(output)
            used += size
            continue
        room = budget - used
        if output.get("output_type") == "stream" and room > 200:
            output["text"] = str(output.get("text", ""))[: room - 100]
            kept.append(output)
        from nbformat.v4 import new_output

        kept.append(new_output("stream", name="stdout",
                               text=f"\n... output cut: more than {budget // 1024} KiB ...\n"))
        break
    return kept


# --------------------------------------------------------------------------------------------
# Only what the student may see
# --------------------------------------------------------------------------------------------
#: The first cell of every feedback page: why the outputs of the student's own cells are not shown.
VIEW_NOTE = ("*Feedback shows your code and written answers, the result of each automatic check "
             "and your grades. The outputs of your own cells are in your own notebook.*")
_HIDDEN_FAILED = "(a test failed; the hidden tests' code is not shown)"
_UNSHOWN_REASON = ("your code raised an error or printed something while the check ran; run this "
                   "test cell in your own notebook to see it.")


def _visible_texts(source: str) -> tuple[list[str], set[str], list[list[str]]]:
    """The check labels, string constants and f-string templates of a test cell's visible code."""
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return [], set(), []
    labels, constants, templates = [], set(), []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "check"
                and node.args and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str) and node.args[0].value not in labels):
            labels.append(node.args[0].value)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            constants.add(node.value)
        if isinstance(node, ast.JoinedStr):
            templates.append([v.value if isinstance(v, ast.Constant) else None
                              for v in node.values])
    return labels, constants, templates


def _fits(reason: str, template: list) -> bool:
    """Whether ``reason`` is ``template`` (literal parts, None for a formatted value) filled in
    with short single-line values."""
    position, pending = 0, False
    for part in template:
        if part is None:
            pending = True
            continue
        found = reason.find(part, position) if pending else (
            position if reason.startswith(part, position) else -1)
        if found < 0 or (pending and not _short(reason[position:found])):
            return False
        position, pending = found + len(part), False
    rest = reason[position:]
    return _short(rest) if pending else rest == ""


def _short(text: str) -> bool:
    return len(text) <= 120 and "\n" not in text


def _allowed_reason(reason: str, constants: set, templates: list) -> bool:
    fixed = {"one of the checks did not hold.",
             "not answered yet: the answer cell above still says `raise NotImplementedError()`."}
    if reason.startswith("your code raised "):  # quotes an error's text, maybe one the student's
        return False  # function chose while a hidden test called it: never shown, even if it fits
    if reason in constants or reason in fixed or any(_fits(reason, t) for t in templates):
        return True
    # checks turns a missing name into "not answered yet: name 'x' is not defined."
    head, tail = "not answered yet: name '", "' is not defined."
    name = reason[len(head):-len(tail)] if reason.startswith(head) and reason.endswith(tail) \
        else ""
    return name.isidentifier()


def verdict_outputs(source: str, outputs: list, had_hidden: bool) -> list:
    """Rebuild a test cell's outputs from its verdict, keeping no text the submission made.

    Parameters
    ----------
    source : str
        The test cell's visible code (hidden tests already removed).
    outputs : list
        The outputs the autograded notebook recorded for it.
    had_hidden : bool
        Whether the cell held hidden tests.

    Returns
    -------
    list of nbformat output nodes
        A pass line per check label when the cell raised nothing; otherwise, a pass line for each
        label whose pass the cell recorded, then one error whose text is the visible check's own
        message (a string of the test's code, or a fixed message of ``alliancekit.checks``), or a
        plain notice when the message is anything else. nbgrader scores from the autograded
        notebook and the gradebook, so what is shown here cannot change a grade.
    """
    from nbformat.v4 import new_output

    from alliancekit import checks

    labels, constants, templates = _visible_texts(source)
    errors = [o for o in outputs if o.get("output_type") == "error"]
    printed = "".join(str(o.get("text", "")) for o in outputs
                      if o.get("output_type") == "stream")
    passes = [f"{checks.PASS_WORD} {label}: correct, all visible checks pass." for label in labels]
    if not errors:
        lines = passes or [f"{checks.PASS_WORD} this test passed."]
        return [new_output("stream", name="stdout", text="\n".join(lines) + "\n")]
    shown = [p for p in passes if p in printed]
    kept = [new_output("stream", name="stdout", text="\n".join(shown) + "\n")] if shown else []
    error = errors[0]
    ename, evalue = str(error.get("ename", "")), str(error.get("evalue", ""))
    for label in labels:
        if ename in ("CheckFailed", "NotAnswered") and evalue.startswith(f"{label}: "):
            reason = evalue[len(label) + 2:]
            kind = checks.NotAnswered if ename == "NotAnswered" else checks.CheckFailed
            if not _allowed_reason(reason, constants, templates):
                reason, kind = _UNSHOWN_REASON, checks.CheckFailed
            failure = kind(label, reason)
            kept.append(new_output("error", ename=ename, evalue=f"{label}: {reason}",
                                   traceback=failure.render().splitlines()))
            return kept
    builtin = ename if ename in _BUILTIN_ERRORS else "Error"
    if had_hidden and len(shown) == len(passes):
        text = [builtin, _HIDDEN_FAILED]
    else:
        what = f" {labels[0]}" if labels else ""
        text = [f"{checks.FAIL_WORD}{what}", f"  what is wrong: {_UNSHOWN_REASON}"]
    kept.append(new_output("error", ename=builtin, evalue="", traceback=text))
    return kept


class StudentView(Preprocessor):
    """nbconvert preprocessor for feedback: only what the student may see.

    Listed after :class:`HideHiddenTests` in ``GenerateFeedback.preprocessors``. The autograded
    notebook ran the submission's code with the hidden tests in the same kernel, so anything its
    code printed may quote them (a submission can read the cell being run). So:

    - a test cell's outputs are rebuilt by :func:`verdict_outputs` (pass lines, the visible
      check's message, or a plain notice), never the text printed while it ran;
    - other code cells keep no outputs (the student has them in their own notebook), unless
      ``keep_answer_outputs`` is set;
    - a note at the top says so.
    """

    enabled = Bool(True, help="on by default (nbconvert's preprocessors are off)").tag(config=True)
    keep_answer_outputs = Bool(False, help="keep the outputs of non-test code cells (they may "
                                           "quote hidden tests)").tag(config=True)
    begin = Unicode("BEGIN HIDDEN TESTS", help="line marking the start of hidden tests").tag(
        config=True)
    end = Unicode("END HIDDEN TESTS", help="line marking the end of hidden tests").tag(
        config=True)

    def preprocess(self, nb, resources):
        from nbformat.v4 import new_markdown_cell

        nb, resources = super().preprocess(nb, resources)
        nb.cells.insert(0, new_markdown_cell(VIEW_NOTE))
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        if is_grade(cell) and not is_solution(cell):
            source, had_hidden = strip_hidden(cell.source, self.begin, self.end)
            had_hidden = had_hidden or NOTE in cell.source
            cell.source = source
            cell.outputs = verdict_outputs(source, cell.outputs, had_hidden)
        elif not self.keep_answer_outputs:
            cell.outputs = []
        return cell, resources


_BUILTIN_ERRORS = frozenset(name for name in dir(builtins)
                            if isinstance(getattr(builtins, name), type)
                            and issubclass(getattr(builtins, name), BaseException))
