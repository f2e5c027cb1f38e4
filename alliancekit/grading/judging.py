"""Grading with a trusted judge: student cells run in the student's sandbox, tests in the judge's.

`JudgedExecute` is the nbgrader ``Execute`` preprocessor that ``alliancekit-grade`` uses (unless
told ``--unsafe-trust-submissions``). For each submission it starts two sandboxes:

- the student's kernel (`alliancekit.grading.sandbox.SandboxKernelManager`), which runs every
  cell the student wrote or could have written, and the read-only set-up cells (so that the
  student's code finds ``ak``, the data and the constants it expects);
- the judge (`alliancekit.grading.judge`), a separate sandbox that runs only the assignment's own
  cells as the gradebook records them: the read-only set-up cells, and the test cells, hidden tests
  included. It never runs a line of the submission.

Which cells are the assignment's is decided from the gradebook (nbgrader's source cells), never
from the submission's metadata: a cell the student marked "read-only" or "graded" that the
gradebook does not know runs in the student's kernel like any other student cell.

For a test cell, the grader:

1. finds the answer names the test reads (`alliancekit.grading.testnames`, from the test's source
   with its hidden part; the set-up cells' names are the judge's own and are never asked for);
2. asks the student's kernel for them as plain data (`alliancekit.grading._inkernel.answers`,
   through ``user_expressions`` of a silent request, so no cell runs); only this text comes back,
   checked for size and form here and decoded strictly by the judge
   (`alliancekit.grading.plaindata`);
3. has the judge run the test. When the test calls one of the student's functions, the judge asks
   the grader, which calls it in the student's kernel (`alliancekit.grading._inkernel.call`) with
   plain arguments and passes the plain result back;
4. writes the judge's outputs (the pass line, or the visible check's message) as the cell's
   outputs; nbgrader's ``SaveAutoGrades`` scores them as it scores any cell, so the gradebook,
   Formgrader and feedback work unchanged.

The text of a test never enters the student's sandbox; only names and the plain arguments of a
call do. The outputs of the read-only set-up cells (and the closing ``summary`` cell) are the
judge's too, so the student's kernel cannot make them say anything.

A student's kernel that dies fails the submission as before (``DeadKernelError``: needs attention,
autograded scores zeroed). A kernel that does not hand over its answers within the cell timeout is
interrupted, and the test fails with a message saying so. A judge that fails (it runs only the
course's code, so this is a grader problem) fails the submission with the reason.
"""
from __future__ import annotations

import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from traitlets import Float

from alliancekit.grading import plaindata, sandbox, testnames

__all__ = ["JudgedExecute", "JudgeProcess", "JudgeError", "trusted_cells"]

_REPLY = re.compile(r"^'([A-Za-z0-9+/=]*)'$")


class JudgeError(RuntimeError):
    """The judge could not start, stopped answering, or broke its protocol."""


# --------------------------------------------------------------------------------------------
# The judge's sandbox
# --------------------------------------------------------------------------------------------
def _judge_uid(kernel_uid: int) -> int:
    """An unused uid other than the student's kernel's (root only)."""
    import pwd

    for candidate in range(kernel_uid + 1, kernel_uid + 3000):
        try:
            pwd.getpwuid(candidate)
        except KeyError:
            return candidate
    return 65534


class JudgeProcess:
    """A judge running in its own bubblewrap sandbox, spoken to over pipes.

    Parameters
    ----------
    limits : alliancekit.grading.sandbox.Limits
        Resource limits of the judge's sandbox.
    sandboxed : bool, default True
        False runs the judge as a plain subprocess (for ``--unsafe-trust-submissions`` tests only).
    """

    def __init__(self, limits: sandbox.Limits, *, sandboxed: bool = True):
        self.box = Path(tempfile.mkdtemp(prefix="ak-judge-"))
        self._buffer = b""
        self._err = open(self.box / "stderr.txt", "w+b")  # noqa: SIM115 (closed in close())
        command = [sys.executable, "-m", "alliancekit.grading.judge"]
        env = None
        if sandboxed:
            root = sandbox._as_root()
            uid = _judge_uid(sandbox._pick_uid()) if root else None
            command = sandbox._bwrap_args(self.box, limits, uid=uid, ipc_host=False) + command
        else:
            env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=self._err, env=env, start_new_session=True)
        self.ready = False

    def _wait_ready(self, timeout: float) -> None:
        if not self.ready:
            if self.receive(timeout).get("op") != "ready":
                raise JudgeError("the judge did not start")
            self.ready = True

    def send(self, message: dict, timeout: float = 120.0) -> None:
        """Send one request (waits for the judge to be ready first)."""
        self._wait_ready(timeout)
        try:
            self.process.stdin.write(json.dumps(message).encode("utf-8") + b"\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise JudgeError(f"the judge stopped ({self._why()})") from exc

    def receive(self, timeout: float) -> dict:
        """Read one message, waiting at most ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        fd = self.process.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise JudgeError(f"the judge did not answer within {timeout:g} s")
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    raise JudgeError(f"the judge stopped ({self._why()})")
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            message = json.loads(line)
        except ValueError as exc:
            raise JudgeError("the judge sent something that is not a message") from exc
        if type(message) is not dict:
            raise JudgeError("the judge sent something that is not a message")
        return message

    def _why(self) -> str:
        try:
            self._err.seek(0)
            lines = self._err.read().decode("utf-8", "replace").strip().splitlines()
        except (OSError, ValueError):
            lines = []
        return lines[-1][:300] if lines else f"exit status {self.process.poll()}"

    def kill(self) -> None:
        """Kill the judge's sandbox and everything in it."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except OSError:
                self.process.kill()

    def close(self) -> None:
        """Stop the judge and remove its folder."""
        self.kill()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.process.stdin, self.process.stdout, self._err):
            try:
                stream.close()
            except OSError:
                pass
        shutil.rmtree(self.box, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# Which cells are the assignment's own (from the gradebook, not the submission)
# --------------------------------------------------------------------------------------------
def trusted_cells(resources: dict) -> dict[str, tuple[str, str]]:
    """The assignment's own code cells by grade id: ``("test" | "setup", source)``.

    Parameters
    ----------
    resources : dict
        nbgrader's resources for the notebook being graded (``resources["nbgrader"]`` holds the
        gradebook's URL, the assignment and the notebook).

    Returns
    -------
    dict
        Test cells (graded, not answer cells; full source with hidden tests) and read-only set-up
        cells (locked, neither graded nor answer cells), as the gradebook recorded them.
    """
    from nbgrader.api import Gradebook

    info = resources["nbgrader"]
    with Gradebook(info["db_url"]) as gb:
        notebook = gb.find_notebook(info["notebook"], info["assignment"])
        graded = {cell.name for cell in notebook.grade_cells}
        answers = {cell.name for cell in notebook.solution_cells}
        found = {}
        for cell in notebook.source_cells:
            if cell.cell_type != "code" or cell.name in answers:
                continue
            if cell.name in graded:
                found[cell.name] = ("test", cell.source)
            elif cell.locked:
                found[cell.name] = ("setup", cell.source)
    return found


# --------------------------------------------------------------------------------------------
# nbgrader's Execute with the judge
# --------------------------------------------------------------------------------------------
class JudgedExecute(sandbox.GradingExecute):
    """nbgrader's ``Execute`` with the student's kernel sandboxed and every test run by the judge.

    See the module's docstring for what runs where.
    """

    judge_seconds = Float(120.0, help="Seconds the judge may take for one set-up cell or test "
                          "(not counting calls of the student's functions)").tag(config=True)

    sandboxed = True

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", sandbox.SandboxKernelManager)
        super().__init__(*args, **kwargs)

    # ---- the whole notebook -------------------------------------------------------------
    def preprocess(self, nb, resources=None, km=None):
        self._ak_trusted = trusted_cells(resources)
        self._ak_known: set = set()
        self._ak_sealed = False
        self._ak_kernels: list = []
        limits = sandbox.Limits(seconds=self.seconds)
        self._ak_judge = JudgeProcess(limits, sandboxed=self.sandboxed)
        try:
            return super().preprocess(nb, resources, km)
        finally:
            self._ak_judge.close()
            for manager in self._ak_kernels:  # also when the kernel died and nbclient let go
                manager.remove_box()

    def _ak_out_of_time(self) -> None:
        judge = getattr(self, "_ak_judge", None)
        if judge is not None:
            judge.kill()
        super()._ak_out_of_time()

    # ---- one cell -----------------------------------------------------------------------
    def preprocess_cell(self, cell, resources, index):
        from jupyter_core.utils import run_sync

        if not self._ak_sealed and isinstance(self.km, sandbox.SandboxKernelManager):
            self.km.seal()  # the kernel is up: no more files in its sockets' folder
            self._ak_sealed = True
            self._ak_kernels.append(self.km)
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        kind, source = (self._ak_trusted.get(grade_id, (None, None))
                        if cell.cell_type == "code" else (None, None))
        if kind == "test":
            outputs = run_sync(self._ak_test)(source)
            cell.outputs = [_output(o) for o in outputs]
            cell.execution_count = None
            return cell, resources
        cell, resources = super().preprocess_cell(cell, resources, index)
        if kind == "setup":
            self._ak_judge.send({"op": "setup", "code": source}, self.judge_seconds)
            reply = self._ak_judge.receive(self.judge_seconds)
            cell.outputs = [_output(o) for o in _outputs(reply)]
            self._ak_known |= testnames.bound_names(source)
        return cell, resources

    async def _ak_test(self, source: str) -> list:
        names = testnames.answer_names(source, self._ak_known)
        answers = await self._ak_ask(
            f"answers({names!r}, {plaindata.MAX_BYTES})", f"the answers {', '.join(names)}")
        if answers is None:
            answers = plaindata.pack({name: {"t": "unreadable", "why": self._ak_last_problem}
                                      for name in names})
        judge = self._ak_judge
        judge.send({"op": "test", "code": source, "answers": answers}, self.judge_seconds)
        stopped = False
        while True:
            message = judge.receive(self.judge_seconds)
            if message.get("op") == "done":
                return _outputs(message)
            if message.get("op") != "call":
                raise JudgeError("the judge sent an unknown message")
            name, args = message.get("name"), message.get("args")
            if not (isinstance(name, str) and name.isidentifier() and isinstance(args, str)
                    and _REPLY.match(f"'{args}'")):
                raise JudgeError("the judge asked for a malformed call")
            result = None if stopped else await self._ak_ask(
                f"call({name!r}, {args!r}, {plaindata.MAX_BYTES})", f"the function {name}")
            if result is None:
                stopped = True
                judge.send({"op": "result", "error": self._ak_last_problem, "stop": True})
            else:
                judge.send({"op": "result", "payload": result})

    async def _ak_ask(self, call: str, what: str) -> str | None:
        """Evaluate ``_inkernel.<call>`` in the student's kernel; its checked text, or None.

        Raises ``DeadKernelError`` (from nbclient) when the kernel has died, as a cell would.
        """
        expression = f"__import__('alliancekit.grading._inkernel', fromlist=['_']).{call}"
        msg_id = self.kc.execute("", silent=True, store_history=False,
                                 user_expressions={"ak": expression})
        reply = await self.async_wait_for_reply(msg_id, None)
        if reply is None:  # timed out; nbclient has interrupted the kernel
            self._ak_last_problem = (f"the kernel did not hand over {what} within "
                                     f"{self.timeout} s")
            return None
        try:
            value = reply["content"]["user_expressions"]["ak"]
            text = value["data"]["text/plain"] if value.get("status") == "ok" else None
        except (KeyError, TypeError, AttributeError):
            text = None
        if not isinstance(text, str):
            self._ak_last_problem = f"the kernel did not hand over {what}"
            return None
        match = _REPLY.match(text) if len(text) <= plaindata.MAX_BYTES + 2 else None
        if match is None:
            self._ak_last_problem = f"the kernel's answer for {what} was not plain data"
            return None
        return match.group(1)

    _ak_last_problem = ""


def _outputs(reply: dict) -> list:
    outputs = reply.get("outputs") if reply.get("op") == "done" else None
    if not isinstance(outputs, list):
        raise JudgeError("the judge sent an unknown message")
    return outputs


def _output(output: dict):
    from nbformat import from_dict

    return from_dict(output)
