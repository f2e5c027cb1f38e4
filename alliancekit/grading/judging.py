"""Grading with a trusted judge: student cells run in the student's sandbox, tests in the judge's.

`JudgedExecute` is the nbgrader ``Execute`` preprocessor that ``alliancekit-grade`` uses (unless
told ``--unsafe-trust-submissions``). For each submission it starts two sandboxes:

- the student's kernel (`alliancekit.grading.sandbox.SandboxKernelManager`), which runs every
  cell the student wrote or could have written, and the read-only set-up cells (so that the
  student's code finds ``ak``, the data and the constants it expects). As root it is forked from
  a warm parent kept in a kernel sandbox per grading process, which imported ipykernel, the library
  and the set's own modules and never ran student code (`alliancekit.grading.warmkernel`;
  ``c.JudgedExecute.warm_kernels = False`` turns that off); as an ordinary user each submission
  gets a new sandbox and Python;
- the judge (`alliancekit.grading.judge`), a separate sandbox that runs only the assignment's own
  cells as the gradebook records them: the read-only set-up cells, and the test cells, hidden tests
  included. It never runs a line of the submission. It runs the set-up cells in the set's order
  (`alliancekit.grading.lockedcells.SetupOrder`), each before the first test that follows it in
  the set, whatever the submission's order; one the submission lacks is put back from the
  gradebook, and a missing or moved one is noted (`alliancekit.grading.lockedcells`). The
  judge's sandbox is started once per grading process (`JudgeServer`, running
  `alliancekit.grading.judgeserver`): a parent there imports the library and the modules the
  assignment's cells import, and forks a fresh judge for each submission, after killing the
  previous judge's processes and emptying its writable folders (`fork_judge`). The grading
  process stops it at exit (`stop_judges`).

Which cells are the assignment's is decided from the gradebook (nbgrader's source cells), never
from the submission's metadata: a cell the student marked "read-only" or "graded" that the
gradebook does not know runs in the student's kernel like any other student cell.

For a test cell, the grader:

1. finds the answer names the test reads (`alliancekit.grading.testnames`, from the test's source
   with its hidden part; the names any of the set's set-up cells defines are the judge's own, from
   the start, and are never asked for);
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

A test that calls one of the student's functions is run after the submission's last cell of its
own, with the answers handed over at the test's place in the notebook: no cell of the submission
runs after a hidden test's arguments have entered its kernel, since code that kept them could
otherwise print them where the feedback page shows them. (The function called is the one the
name holds by then; the set's tests read no name another test sets.) Until it runs, the test's
output is a failure saying so, which is what a submission that never gets there is scored by.

The set-up cells after the submission's last cell of its own (the closing ``summary``) run in
the judge only, so nothing at all runs in the student's kernel after a call but the calls
themselves and the hand-over of answers (silent requests, whose outputs no cell keeps).

The text of a test never enters the student's sandbox; only names and the plain arguments of a
call do, and no cell of the submission runs after a call. The outputs of the read-only set-up
cells (and the closing ``summary`` cell) are the judge's too, so the student's kernel cannot make
them say anything.

A student's kernel that dies fails the submission as before (``DeadKernelError``: needs attention,
autograded scores zeroed). A kernel that does not hand over its answers within the cell timeout is
interrupted, and the test fails with a message saying so. A reply over
`alliancekit.grading.sandbox.REPLY_BYTES` is refused as it arrives (`CappedKernelClient`); ZMQ
then drops the shell connection, so the kernel is stopped and the submission fails like a dead
kernel, with a note. A judge that fails (it runs only the course's code, so this is a grader
problem) fails the submission with the reason, and the next submission gets a new judges' parent.
"""
from __future__ import annotations

import ast
import atexit
import json
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from traitlets import Bool, Float

from alliancekit.grading import lockedcells, plaindata, sandbox, testnames
from alliancekit.grading.metadata import nbgrader_of
from alliancekit.grading.parent import SandboxedParent, userns_filter_fd

__all__ = ["JudgedExecute", "JudgeServer", "JudgeError", "fork_judge", "stop_judges",
           "trusted_cells", "warm_modules"]

_REPLY = re.compile(r"^'([A-Za-z0-9+/=]*)'$")
MiB = 1024 ** 2


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


class _Line:
    """One judge's line to the grader: JSON messages, one a line, each read within a deadline."""

    _buffer = b""
    ready = False

    def __init__(self, channel: socket.socket, server: JudgeServer):
        self.channel, self.server = channel, server

    def _wait_ready(self, timeout: float) -> None:
        if not self.ready:
            if self.receive(timeout).get("op") != "ready":
                raise JudgeError("the judge did not start")
            self.ready = True

    def send(self, message: dict, timeout: float = 120.0) -> None:
        """Send one request (waits for the judge to be ready first)."""
        self._wait_ready(timeout)
        try:
            self.channel.sendall(json.dumps(message).encode("utf-8") + b"\n")
        except OSError as exc:
            raise JudgeError(f"the judge stopped ({self.server.why()})") from exc

    def receive(self, timeout: float) -> dict:
        """Read one message, waiting at most ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise JudgeError(f"the judge did not answer within {timeout:g} s")
            ready, _, _ = select.select([self.channel], [], [], left)
            if ready:
                try:
                    chunk = self.channel.recv(1 << 20)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise JudgeError(f"the judge stopped ({self.server.why()})")
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            message = json.loads(line)
        except ValueError as exc:
            raise JudgeError("the judge sent something that is not a message") from exc
        if type(message) is not dict:
            raise JudgeError("the judge sent something that is not a message")
        return message

    def kill(self) -> None:
        """Kill the judge with its whole sandbox (the next submission gets a new parent)."""
        self.server.kill()

    def close(self) -> None:
        """Hang up: the judge ends, and its parent clears it away before the next fork."""
        try:
            self.channel.close()
        except OSError:
            pass


class JudgeServer(SandboxedParent):
    """The judges' parent (`alliancekit.grading.judgeserver`) in its own bubblewrap sandbox.

    Started once per grading process; `fork` gives a fresh judge for each submission.

    Parameters
    ----------
    limits : alliancekit.grading.sandbox.Limits
        Resource limits of the judges' sandbox.
    sandboxed : bool, default True
        False runs the parent as a plain subprocess (for tests of the grader only).
    timeout : float, default 120
        Seconds the parent may take to start (it imports the library).
    """

    who = "the judge's parent"
    error = JudgeError

    def __init__(self, limits: sandbox.Limits, *, sandboxed: bool = True,
                 timeout: float = 120.0):
        self.key = (limits, sandboxed)
        self.warmed: set = set()
        self._err = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close())
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        box = Path(tempfile.mkdtemp(prefix="ak-judge-"))
        command = [sys.executable, "-m", "alliancekit.grading.judgeserver"]
        env, seccomp, opened = None, None, []
        try:
            if sandboxed:
                uid = _judge_uid(sandbox._pick_uid()) if sandbox._as_root() else None
                seccomp = userns_filter_fd()  # no user namespace inside, as for the kernel
                command = sandbox._bwrap_args(box, limits, uid=uid, ipc_host=False,
                                              seccomp_fd=seccomp,
                                              extra_env={"AK_JUDGE_IPC": str(box / "ipc")},
                                              opened=opened) + command
            else:
                env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
            self.process = subprocess.Popen(command, stdin=theirs.fileno(), stdout=self._err,
                                            stderr=self._err, env=env, start_new_session=True,
                                            pass_fds=tuple(opened) + (
                                                (seccomp,) if seccomp is not None else ()))
        finally:
            theirs.close()
            for fd in opened:
                os.close(fd)
            if seccomp is not None:
                os.close(seccomp)
        try:
            if self._ask(None, timeout).get("op") != "ready":
                raise JudgeError("the judge's parent did not start")
        except BaseException:
            self.close()
            raise
        finally:
            shutil.rmtree(box, ignore_errors=True)  # the sandbox has made its mounts

    def fork(self, timeout: float, env: dict[str, str] | None = None) -> _Line:
        """A new judge, forked from the parent, that has never seen a submission.

        ``env``: the submission owner's variant variables
        (`alliancekit.grading.context.VARIANT_VARIABLES`), set in the new judge only; the parent
        was started with none.
        """
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            reply = self._ask({"op": "fork", "env": dict(env or {})}, timeout,
                              (theirs.fileno(),))
        except JudgeError:
            ours.close()
            raise
        finally:
            theirs.close()
        if reply.get("op") != "forked":
            ours.close()
            raise JudgeError(f"the judge's parent could not fork a judge "
                             f"({str(reply.get('why', reply.get('op')))[:300]})")
        return _Line(ours, self)

    def why(self) -> str:
        """The last line the sandbox wrote to its error stream, or its exit status."""
        try:
            self._err.seek(0, os.SEEK_END)
            size = self._err.tell()
            self._err.seek(max(0, size - 4096))
            lines = self._err.read().decode("utf-8", "replace").strip().splitlines()
        except (OSError, ValueError):
            lines = []
        return lines[-1][:300] if lines else f"exit status {self.process.poll()}"

    def close(self) -> None:
        """Stop the parent and every judge."""
        self.kill()
        try:
            self.process.wait(timeout=10)
        except (subprocess.TimeoutExpired, AttributeError):
            pass
        for stream in (self.control, self._err):
            try:
                stream.close()
            except OSError:
                pass


_SERVER: dict = {}


def fork_judge(limits: sandbox.Limits, sandboxed: bool, modules: list[str],
               timeout: float, env: dict[str, str] | None = None) -> _Line:
    """A fresh judge for one submission, forked from this process's judges' parent.

    The parent is started on first use, and again whenever the last one died, was killed (a
    submission ran out of time) or could not clear a judge away. It is stopped at exit.

    Parameters
    ----------
    limits : alliancekit.grading.sandbox.Limits
        Resource limits of the judges' sandbox.
    sandboxed : bool
        Whether the parent runs in a bubblewrap sandbox.
    modules : list of str
        Modules the assignment's own cells import (`warm_modules`).
    timeout : float
        Seconds each step may take.
    env : dict, optional
        The submission owner's variant variables, set in this judge only
        (`alliancekit.grading.context.Submission.variant_env`).
    """
    for attempt in (1, 2):
        server = _SERVER.get("server")
        if server is None or server.key != (limits, sandboxed) or not server.alive():
            stop_judges()
            server = _SERVER["server"] = JudgeServer(limits, sandboxed=sandboxed,
                                                     timeout=timeout)
        try:
            server.warm(modules, timeout)
            return server.fork(timeout, env)
        except JudgeError:
            stop_judges()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@atexit.register
def stop_judges() -> None:
    """Stop this process's judges' parent, if it has one."""
    server = _SERVER.pop("server", None)
    if server is not None:
        server.close()


def warm_modules(trusted: dict) -> list[str]:
    """The modules an assignment's own cells import, and the ``alliancekit`` modules they use.

    Parameters
    ----------
    trusted : dict
        `trusted_cells` of the notebook.

    Returns
    -------
    list of str
        Module names, ``alliancekit`` and ``alliancekit.checks`` first.
    """
    found = ["alliancekit", "alliancekit.checks"]
    trees = []
    for _, source in trusted.values():
        try:
            trees.append(ast.parse(source))
        except (SyntaxError, ValueError):
            continue
    aliases = {"alliancekit"}
    for node in (n for tree in trees for n in ast.walk(tree)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append(alias.name)
                if alias.name == "alliancekit" and alias.asname:
                    aliases.add(alias.asname)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
            if node.module == "alliancekit":
                found += [f"alliancekit.{a.name}" for a in node.names]
    for node in (n for tree in trees for n in ast.walk(tree)):  # ak.cohesion in any cell
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in aliases):
            found.append(f"alliancekit.{node.attr}")
    return list(dict.fromkeys(found))


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

    warm_kernels = Bool(True, help="When grading as root, fork each student's kernel from a "
                        "warm parent in a kernel sandbox kept per grading process (alliancekit."
                        "grading.warmkernel); False, or grading as an ordinary user, starts a new "
                        "sandbox and Python per submission").tag(config=True)

    sandboxed = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kernel_manager_class" not in kwargs:
            from alliancekit.grading.warmkernel import WarmKernelManager

            # as an ordinary user (user-namespace mode) each kernel gets a sandbox of its own
            warm = self.warm_kernels and sandbox._as_root()
            self.kernel_manager_class = WarmKernelManager if warm else sandbox.SandboxKernelManager

    def create_kernel_manager(self):
        """The kernel manager, told which modules a warm parent imports before forking it."""
        km = super().create_kernel_manager()
        if hasattr(km, "warm_modules"):
            km.warm_modules = tuple(getattr(self, "_ak_modules", ()))
        return km

    # ---- the whole notebook -------------------------------------------------------------
    def preprocess(self, nb, resources=None, km=None):
        self._ak_trusted = trusted_cells(resources)
        order = lockedcells.gradebook_order(resources)
        whose = self.submission_of(resources)
        restored, moved = lockedcells.restore_missing(nb, self._ak_trusted, order)
        if restored:
            whose.note("its notebook lacked the read-only cells " + ", ".join(restored)
                       + "; they were put back from the gradebook")
        if moved:
            whose.note("its notebook has the read-only cells " + ", ".join(moved) + " out of the "
                       "set's order; the judge ran them in the set's order")
        self._ak_setup = lockedcells.SetupOrder(self._ak_trusted, order)
        self._ak_setup_outputs: dict = {}
        # every set-up cell's names are the judge's own from the start: never asked of the kernel
        self._ak_known: set = set().union(*(testnames.bound_names(self._ak_trusted[g][1])
                                            for g in self._ak_setup.names()))
        self._ak_sealed = False
        self._ak_kernels: list = []
        self._ak_deferred: list = []  # tests that call the student's functions (see the module doc)
        self._ak_closing: list = []  # closing set-up cells (summary) run before those tests
        kinds = [self._ak_trusted.get(nbgrader_of(c).get("grade_id"), (None,))[0]
                 if c.cell_type == "code" else "text" for c in nb.cells]
        self._ak_last_own = max((i for i, k in enumerate(kinds) if k is None), default=-1)
        self._ak_last_test = max((i for i, k in enumerate(kinds) if k == "test"), default=-1)
        limits = sandbox.Limits(seconds=self.seconds)
        self._ak_modules = warm_modules(self._ak_trusted)  # the judges' and kernels' parents'
        self._ak_judge = fork_judge(limits, self.sandboxed, self._ak_modules,
                                    self.judge_seconds, whose.variant_env)
        try:
            nb, resources = super().preprocess(nb, resources, km)
            self._ak_run_setup(self._ak_setup.rest())
            for cell in nb.cells:  # set-up cells the judge ran after the notebook reached them
                grade_id = nbgrader_of(cell).get("grade_id")
                if cell.cell_type == "code" and grade_id in self._ak_setup_outputs:
                    cell.outputs = [_output(o) for o in self._ak_setup_outputs[grade_id]]
            return nb, resources
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
        grade_id = nbgrader_of(cell).get("grade_id")
        kind, source = (self._ak_trusted.get(grade_id, (None, None))
                        if cell.cell_type == "code" else (None, None))
        if kind == "test":
            self._ak_run_setup(self._ak_setup.before_test(grade_id))
            answers = run_sync(self._ak_answers)(source)
            cell.execution_count = None
            if index < self._ak_last_own and _has_function(answers):
                self._ak_deferred.append((cell, source, answers))
                cell.outputs = [_output(_NOT_YET_RUN)]
                return cell, resources
            cell.outputs = [_output(o) for o in run_sync(self._ak_test)(source, answers)]
            return cell, resources
        if kind == "setup" and index > self._ak_last_own:
            # after the submission's last cell nothing more runs in its kernel: tests have called
            # its functions by now, and a hook it left could, in any cell run there, redraw an
            # earlier output of its own (a display update) with their arguments
            cell.execution_count = None
        else:
            cell, resources = super().preprocess_cell(cell, resources, index)
        if kind == "setup":
            self._ak_run_setup(self._ak_setup.at_cell(grade_id))
            cell.outputs = [_output(o) for o in self._ak_setup_outputs.get(grade_id, [])]
            if self._ak_deferred and index > self._ak_last_test:  # e.g. the summary, before a
                self._ak_closing.append((cell, grade_id))  # cell the student added at the end
        if index == self._ak_last_own:  # no cell of the submission runs after this one
            self._ak_run_deferred()
        return cell, resources

    def _ak_run_deferred(self) -> None:
        """Run the tests put off until now, then again any closing set-up cell that ran first."""
        from jupyter_core.utils import run_sync

        deferred, self._ak_deferred = self._ak_deferred, []
        for cell, source, answers in deferred:
            cell.outputs = [_output(o) for o in run_sync(self._ak_test)(source, answers)]
        closing, self._ak_closing = self._ak_closing, []
        for cell, grade_id in closing:
            self._ak_run_setup([grade_id])
            cell.outputs = [_output(o) for o in self._ak_setup_outputs.get(grade_id, [])]

    def _ak_run_setup(self, grade_ids: list[str]) -> None:
        """Run these set-up cells in the judge, from the gradebook's source; keep their outputs."""
        for grade_id in grade_ids:
            self._ak_judge.send({"op": "setup", "code": self._ak_trusted[grade_id][1]},
                                self.judge_seconds)
            reply = self._ak_judge.receive(self.judge_seconds)
            self._ak_setup_outputs[grade_id] = _outputs(reply)

    async def _ak_answers(self, source: str) -> str:
        """The answers a test reads, as plain data from the student's kernel (or notes why not)."""
        names = testnames.answer_names(source, self._ak_known)
        answers = await self._ak_ask(
            f"answers({names!r}, {plaindata.MAX_BYTES})", f"the answers {', '.join(names)}")
        if answers is None:
            answers = plaindata.pack({name: {"t": "unreadable", "why": self._ak_last_problem}
                                      for name in names})
        return answers

    async def _ak_test(self, source: str, answers: str) -> list:
        """Run a test in the judge with these answers, making the calls it asks for."""
        judge = self._ak_judge
        judge.send({"op": "test", "code": source, "answers": answers}, self.judge_seconds)
        stopped = False
        while True:
            message = judge.receive(self.judge_seconds)
            if message.get("op") == "done":
                outputs = _outputs(message)
                if any(plaindata.FLOODING in str(o) for o in outputs):
                    self.submission.note("its kernel handed over a set or dict whose keys share "
                                         "one hash value (hash flooding): refused unread")
                return outputs
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
        dropped = getattr(self.kc, "shell_dropped", None)
        if reply is None and dropped is not None and await dropped():
            # a reply over sandbox.REPLY_BYTES was refused as it arrived: the channel is gone
            self.submission.note(f"its kernel sent a reply over {sandbox.REPLY_BYTES // MiB} MiB "
                                 "(refused as it arrived); the kernel was stopped")
            self.km.kill_now()
            from nbclient.exceptions import DeadKernelError

            raise DeadKernelError(f"the kernel's reply for {what} was over "
                                  f"{sandbox.REPLY_BYTES // MiB} MiB")
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


#: A deferred test's output until it has run: a failure, should it never run.
_NOT_YET_RUN = {"output_type": "error", "ename": "RuntimeError", "evalue": "",
                "traceback": ["[NOT YET] this check calls your function; it runs after your last "
                              "cell, and the grading did not get there"]}


def _has_function(answers: str) -> bool:
    """Whether these answers (text from the student's kernel) name a function the judge may call."""
    try:
        nodes = plaindata.unpack(answers)
    except plaindata.PlainDataError:
        return False  # the judge cannot read them either, so it makes no call
    return any(node == plaindata.FUNCTION for node in nodes.values())


def _outputs(reply: dict) -> list:
    outputs = reply.get("outputs") if reply.get("op") == "done" else None
    if not isinstance(outputs, list):
        raise JudgeError("the judge sent an unknown message")
    return outputs


def _output(output: dict):
    from nbformat import from_dict

    return from_dict(output)
