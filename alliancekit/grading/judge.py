"""The trusted judge: runs an assignment's set-up cells and test cells, and no student code.

``alliancekit-grade`` gives each submission a judge of its own: a process forked from the judges'
parent (`alliancekit.grading.judgeserver`), which runs in a bubblewrap sandbox of its own (the same
walls as the student's kernel, but a different sandbox, so the two share no process, file or
memory) and has run nothing but the library's imports. The judge never sees the submission's
notebook; it talks with the grading process over a socket (`serve`; ``python -m
alliancekit.grading.judge`` serves on its standard input and output instead), one JSON message a
line:

``{"op": "setup", "code": ...}``
    Run a read-only set-up cell (``import alliancekit as ak``, constants, data) in the judge's
    base namespace. These names are the judge's own, never read from the student.
``{"op": "test", "code": ..., "answers": ...}``
    Run a test cell (hidden tests included) in a copy of the base namespace plus the student's
    answers, decoded strictly from plain data (`alliancekit.grading.plaindata`). An answer that
    is a function becomes a proxy: calling it sends ``{"op": "call", "name", "args"}`` to the
    grader, which runs the student's function in the student's sandbox and answers
    ``{"op": "result", "payload": ...}`` (plain data again) or ``{"op": "result", "error": ...}``.

Each request ends with ``{"op": "done", "outputs": [...]}``: the cell's outputs in nbformat
shape (what it printed, its displayed value, and its error with the message a learner sees).
The grader writes these outputs into the graded notebook, where nbgrader scores them.

Everything the test touches is therefore either the judge's own or a fresh plain value: an answer
cannot carry a lying ``__eq__``, a patched ``check`` or a hook into the judge.
"""
from __future__ import annotations

import ast
import builtins
import contextlib
import io
import json
import os
import sys
import traceback

from alliancekit.grading import plaindata

__all__ = ["Judge", "StudentError", "serve", "main"]

_MAX_TEXT = 64 * 1024  # characters of printed text kept per cell (the judge's own prints)
_ERRORS = {name: value for name, value in vars(builtins).items()
           if isinstance(value, type) and issubclass(value, Exception)}


#: Errors whose message ``alliancekit.checks`` shows as the check's own (an assertion's message, a
#: name not defined): raised by the student's function, they come back as `StudentError`, so that
#: text the function chose (it may carry the tests' arguments) never reads as a check's message.
_OWN_TEXT_ERRORS = (AssertionError, NameError)


class StudentError(Exception):
    """An error raised by the student's function, named after the student's own exception."""


class _Unreadable:
    """Stands for an answer that could not travel; any use of it fails with the reason."""

    def __init__(self, name: str, why: str):
        self._message = f"the grader could not read {name!r}: {why}"

    def _fail(self, *args, **kwargs):
        raise TypeError(self._message)

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __bool__ = __float__ = _fail
    __int__ = __len__ = __iter__ = __getitem__ = __getattr__ = __call__ = __contains__ = _fail
    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "<unreadable answer>"


class Judge:
    """The judge's state: a base namespace built by set-up cells, and the channel to the grader.

    Parameters
    ----------
    send : callable
        Writes one message (a dict) to the grader.
    receive : callable
        Reads one message (a dict) from the grader.
    """

    def __init__(self, send, receive):
        self.send, self.receive = send, receive
        self.base: dict = {"__name__": "__main__", "__builtins__": builtins}
        self.broken_calls = False

    # ---- running a cell -----------------------------------------------------------------
    def run(self, code: str, namespace: dict) -> list[dict]:
        """Run one cell's source in ``namespace``; return its outputs in nbformat shape."""
        buffer = io.StringIO()
        outputs: list[dict] = []
        try:
            tree = ast.parse(code)
            last = None
            if tree.body and isinstance(tree.body[-1], ast.Expr):
                last = ast.Expression(tree.body.pop().value)
            with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
                exec(compile(tree, "<cell>", "exec"), namespace)
                value = eval(compile(last, "<cell>", "eval"), namespace) if last else None
        except BaseException as exc:  # noqa: B036 (every error becomes the cell's error output)
            _stream(outputs, buffer)
            outputs.append(_error(exc))
            return outputs
        _stream(outputs, buffer)
        if value is not None:
            outputs.append(_result(value))
        return outputs

    def setup(self, code: str) -> list[dict]:
        """Run a read-only set-up cell in the base namespace."""
        return self.run(code, self.base)

    def test(self, code: str, answers: str) -> list[dict]:
        """Run a test cell with the student's answers (plain data) added to the base names."""
        namespace = dict(self.base)
        self.broken_calls = False
        try:
            nodes = plaindata.unpack(answers)
        except plaindata.PlainDataError as exc:
            return [_error(RuntimeError(f"the grader could not read the answers: {exc}"))]
        unreadable = []
        for name, node in nodes.items():
            if not name.isidentifier() or name.startswith("__") or name in self.base:
                continue
            if node == plaindata.MISSING:
                continue
            if node == plaindata.FUNCTION:
                namespace[name] = self._proxy(name)
                continue
            if type(node) is dict and node.get("t") == "unreadable":
                why = str(node.get("why", ""))[:300]
            else:
                try:
                    namespace[name] = plaindata.decode(node)
                    continue
                except (plaindata.PlainDataError, RecursionError, MemoryError) as exc:
                    why = str(exc)[:300]
            namespace[name] = _Unreadable(name, why)
            unreadable.append(f"note: the grader could not read {name!r}: {why}\n")
        outputs = self.run(code, namespace)
        if unreadable:
            outputs.insert(0, {"output_type": "stream", "name": "stdout",
                               "text": "".join(unreadable)})
        return outputs

    def _proxy(self, name: str):
        judge = self

        def proxy(*args, **kwargs):
            if judge.broken_calls:
                raise TimeoutError(f"{name} did not answer earlier in this test")
            payload = plaindata.pack({"args": plaindata.encode(list(args)),
                                      "kwargs": plaindata.encode(dict(kwargs))})
            judge.send({"op": "call", "name": name, "args": payload})
            reply = judge.receive()
            if reply.get("op") != "result":
                raise RuntimeError("the grader broke off the call")
            if "error" in reply:
                judge.broken_calls = bool(reply.get("stop"))
                raise TimeoutError(str(reply["error"])) if reply.get("stop") else RuntimeError(
                    str(reply["error"]))
            nodes = plaindata.unpack(reply["payload"])
            if "raised" in nodes:
                raised = nodes["raised"]
                if not (type(raised) is list and len(raised) == 2
                        and all(type(x) is str for x in raised)):
                    raise RuntimeError(f"{name} gave an answer the grader cannot read")
                kind = _ERRORS.get(raised[0])
                if (kind is not None and kind.__module__ == "builtins"
                        and not issubclass(kind, _OWN_TEXT_ERRORS)):
                    raise kind(raised[1][:1000])
                raise StudentError(f"{raised[0][:80]}: {raised[1][:1000]}")
            node = nodes.get("ok")
            if type(node) is dict and node.get("t") in ("unreadable", "function", "missing"):
                raise TypeError(f"{name} returned a value the grader cannot read: "
                                f"{str(node.get('why', node.get('t')))[:300]}")
            return plaindata.decode(node)

        proxy.__name__ = proxy.__qualname__ = name
        return proxy


def _stream(outputs: list, buffer: io.StringIO) -> None:
    text = buffer.getvalue()
    if text:
        if len(text) > _MAX_TEXT:
            text = text[:_MAX_TEXT] + "\n... output cut ...\n"
        outputs.append({"output_type": "stream", "name": "stdout", "text": text})


def _error(exc: BaseException) -> dict:
    render = getattr(exc, "_render_traceback_", None)
    if callable(render):
        try:
            lines = [str(line) for line in render()]
        except Exception:  # noqa: BLE001 (fall back to the plain form)
            lines = traceback.format_exception_only(type(exc), exc)
    else:
        lines = [line.rstrip("\n") for line in traceback.format_exception_only(type(exc), exc)]
    return {"output_type": "error", "ename": type(exc).__name__, "evalue": str(exc)[:2000],
            "traceback": lines}


def _result(value) -> dict:
    data = {"text/plain": repr(value)[:_MAX_TEXT]}
    html = getattr(value, "_repr_html_", None)
    if callable(html):
        try:
            markup = html()
        except Exception:  # noqa: BLE001 (text alone will do)
            markup = None
        if isinstance(markup, str):
            data["text/html"] = markup[:_MAX_TEXT]
    return {"output_type": "execute_result", "data": data, "metadata": {},
            "execution_count": None}


def serve(channel_in, channel_out) -> None:
    """Serve the grader over two byte streams (one JSON message a line) until ``channel_in`` ends.

    Parameters
    ----------
    channel_in : binary file
        Requests from the grader (``readline`` is used).
    channel_out : binary file
        Replies to the grader (``write`` and ``flush`` are used).
    """

    def send(message: dict) -> None:
        channel_out.write(json.dumps(message).encode("utf-8") + b"\n")
        channel_out.flush()

    def receive() -> dict:
        line = channel_in.readline()
        if not line:
            raise SystemExit(0)
        return json.loads(line)

    judge = Judge(send, receive)
    send({"op": "ready"})
    while True:
        message = receive()
        if message.get("op") == "setup":
            send({"op": "done", "outputs": judge.setup(message["code"])})
        elif message.get("op") == "test":
            send({"op": "done", "outputs": judge.test(message["code"], message["answers"])})
        else:
            send({"op": "done", "outputs": [_error(ValueError("unknown request"))]})


def main() -> None:
    """Serve the grader over standard input and output until it closes the channel."""
    channel_in = sys.stdin.buffer
    channel_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr  # prints of the library go to stderr, never into the channel
    serve(channel_in, channel_out)


if __name__ == "__main__":
    main()
