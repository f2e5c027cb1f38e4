"""A byte budget on everything a submission shows: per graded notebook, and per feedback page.

A per-cell cap is not enough: a submission can spread its output over many cells, or show one small
output under a display id many times and then update them all at once with
``update_display_data`` (nbclient writes the new data into every output with that id, so one
message of 256 KiB becomes 256 KiB times the number of copies). Here every output message counts:

- `OutputBudget` counts the bytes of each output message of one notebook run as it arrives
  (streams, rich displays, results, errors, display updates times the outputs they update, widget
  messages); past the budget the first message is replaced by a short note and the rest are
  dropped. Errors always pass (trimmed), because a test's error is its verdict.
- `BudgetedKernelClient` applies it on the kernel's output channel, so that an over-budget message
  never even reaches nbgrader (`alliancekit.grading.sandbox.SandboxKernelManager` uses it).
- `cap_notebook` applies the same budget to a finished notebook (outputs, and for feedback pages
  the cells' text too); `CapNotebookOutputs` and `CapFeedbackOutputs` are the nbgrader
  preprocessors that run it after execution and before a feedback page is made.

Defaults: 5 MiB per graded notebook, 2 MiB per feedback page, set by ``--output-mb`` and
``--feedback-mb`` of ``alliancekit-grade``, or in ``nbgrader_config.py``::

    c.CapNotebookOutputs.max_bytes = 5 * 1024 ** 2
    c.CapFeedbackOutputs.max_bytes = 2 * 1024 ** 2
"""
from __future__ import annotations

import html
import json
import time

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Integer, Type

from alliancekit.grading.metadata import nbgrader_of

__all__ = ["OutputBudget", "BudgetedKernelClient", "cap_notebook", "CapNotebookOutputs",
           "CapFeedbackOutputs", "NOTEBOOK_BYTES", "FEEDBACK_BYTES"]

MiB = 1024 ** 2
NOTEBOOK_BYTES = 5 * MiB
FEEDBACK_BYTES = 2 * MiB
_OUTPUTS = {"stream", "display_data", "execute_result", "update_display_data", "error",
            "comm_open", "comm_msg"}
_ERROR_TEXT = 2000   # characters of an error's message kept
_ERROR_LINES = 30    # traceback lines kept (the last ones)


def _note(limit: int) -> str:
    return (f"\n[output cut: this notebook's output went past its budget of {limit / MiB:g} MiB; "
            "the rest is not shown]\n")


def trim_error(content: dict) -> dict:
    """An error message's content with its message and traceback cut to a readable size."""
    out = dict(content)
    out["ename"] = str(content.get("ename", ""))[:200]
    out["evalue"] = str(content.get("evalue", ""))[:_ERROR_TEXT]
    lines = [str(line)[:_ERROR_TEXT] for line in list(content.get("traceback") or [])]
    out["traceback"] = lines[-_ERROR_LINES:]
    return out


class OutputBudget:
    """The byte budget of one notebook run, applied to the kernel's messages in order.

    Parameters
    ----------
    max_bytes : int
        Bytes of output content the whole notebook may produce (JSON-encoded, so every character
        beyond ASCII counts as its escape).
    """

    def __init__(self, max_bytes: int = NOTEBOOK_BYTES):
        if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
            raise ValueError("max_bytes must be a positive whole number of bytes, "
                             f"got {max_bytes!r}")
        self.max_bytes = max_bytes
        self.used = 0
        self.exceeded = False
        self._copies: dict[str, int] = {}

    def admit(self, msg: dict) -> dict | None:
        """The message to pass on (possibly a note or a trimmed error), or None to drop it."""
        kind = msg.get("msg_type") or msg.get("header", {}).get("msg_type")
        if kind not in _OUTPUTS:
            return msg
        content = msg.get("content") or {}
        if kind == "error":
            msg = {**msg, "content": trim_error(content)}
            self.used += len(json.dumps(msg["content"], default=str))
            return msg
        if self.exceeded:
            return None
        size = len(json.dumps(content, default=str))
        display_id = (content.get("transient") or {}).get("display_id")
        if kind == "update_display_data":
            size *= max(1, self._copies.get(display_id, 0))
        if self.used + size > self.max_bytes:
            self.exceeded = True
            note = {"name": "stdout", "text": _note(self.max_bytes)}
            header = {**msg.get("header", {}), "msg_type": "stream"}
            return {**msg, "msg_type": "stream", "header": header, "content": note}
        self.used += size
        if display_id is not None and kind in ("display_data", "execute_result"):
            self._copies[display_id] = self._copies.get(display_id, 0) + 1
        return msg


class BudgetedIOPubChannel(AsyncZMQSocketChannel):
    """The output channel, passing each message through an `OutputBudget` (when one is set)."""

    budget: OutputBudget | None = None

    async def get_msg(self, timeout: float | None = None) -> dict:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            msg = await super().get_msg(timeout=left)
            if self.budget is None:
                return msg
            passed = self.budget.admit(msg)
            if passed is not None:
                return passed


class BudgetedKernelClient(AsyncKernelClient):
    """An asynchronous kernel client whose output channel keeps its kernel manager's budget.

    The kernel manager (the client's ``parent``) holds the budget as ``output_budget``, one per
    kernel, i.e. one per graded notebook.
    """

    iopub_channel_class = Type(BudgetedIOPubChannel)

    @property
    def iopub_channel(self):
        channel = super().iopub_channel
        if channel is not None and getattr(channel, "budget", None) is None:
            channel.budget = getattr(self.parent, "output_budget", None)
        return channel


# --------------------------------------------------------------------------------------------
# A finished notebook
# --------------------------------------------------------------------------------------------
def _size(thing, for_html: bool) -> int:
    text = json.dumps(thing, default=str)
    return len(html.escape(text)) if for_html else len(text)


def cap_notebook(nb, max_bytes: int, *, sources: bool = False, for_html: bool = False) -> bool:
    """Cut a notebook's outputs (and, if asked, its cells' text) to a byte budget, in place.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook; changed in place.
    max_bytes : int
        Bytes the outputs (and sources) of all cells together may take.
    sources : bool, default False
        Count the cells' text too, and cut an unlocked cell's text past the budget (for feedback
        pages, where a student's text is shown back).
    for_html : bool, default False
        Measure sizes as HTML-escaped text (what a feedback page holds).

    Returns
    -------
    bool
        Whether anything was cut. Error outputs are kept (trimmed), so no test changes verdict.
    """
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise ValueError(f"max_bytes must be a positive whole number of bytes, got {max_bytes!r}")
    used, cut = 0, False
    note = _note(max_bytes)
    for cell in nb.cells:
        if sources:
            size = _size(cell.source, for_html)
            locked = nbgrader_of(cell).get("locked")
            if used + size > max_bytes and not locked:
                cell.source = "[text cut: past this page's budget]"
                size, cut = _size(cell.source, for_html), True
            used += size
        if cell.cell_type != "code":
            continue
        kept, noted = [], False
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                trimmed = trim_error(output)
                cut = cut or trimmed != dict(output)
                output.update(trimmed)
                used += _size(output, for_html)
                kept.append(output)
                continue
            size = _size(output, for_html)
            if used + size > max_bytes:
                cut = True
                if not noted:
                    from nbformat.v4 import new_output

                    kept.append(new_output("stream", name="stdout", text=note))
                    noted = True
                continue
            used += size
            kept.append(output)
        cell.outputs = kept
    widgets = nb.metadata.get("widgets")
    if widgets is not None and used + _size(widgets, for_html) > max_bytes:
        del nb.metadata["widgets"]
        cut = True
    return cut


class CapNotebookOutputs(Preprocessor):
    """nbgrader preprocessor: cut an executed notebook's outputs to ``max_bytes`` (errors kept)."""

    max_bytes = Integer(NOTEBOOK_BYTES, help="bytes of output a graded notebook keeps in all"
                        ).tag(config=True)
    enabled = Bool(True, help="on by default (nbconvert's preprocessors are off)").tag(config=True)
    sources = False
    for_html = False

    def preprocess(self, nb, resources):
        cap_notebook(nb, int(self.max_bytes), sources=self.sources, for_html=self.for_html)
        return nb, resources


class CapFeedbackOutputs(CapNotebookOutputs):
    """nbgrader preprocessor for feedback: the page's cells and outputs within ``max_bytes``."""

    max_bytes = Integer(FEEDBACK_BYTES, help="bytes of cells and outputs a feedback page keeps"
                        ).tag(config=True)
    sources = True
    for_html = True
