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

The autograded notebook on disk, which only instructors see, is left as it is.
"""
from __future__ import annotations

import json

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Integer, Unicode

__all__ = ["HideHiddenTests", "strip_hidden"]

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
        meta = cell.metadata.get("nbgrader", {})
        is_test = bool(meta.get("grade")) and not meta.get("solution")
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
