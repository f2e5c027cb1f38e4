"""The grader's side of a sandboxed parent process, shared by the kernels' and the judges' parents.

Two parents run this way, each in its own bubblewrap sandbox, one per grading process: the
kernels' parent (`alliancekit.grading.kernelserver`, driven by
`alliancekit.grading.warmkernel.KernelServer`) and the judges' parent
(`alliancekit.grading.judgeserver`, driven by `alliancekit.grading.judging.JudgeServer`). Each
imports the library once and forks a child per submission when asked. The grader talks to a
parent over one control socket (``SOCK_SEQPACKET``: one JSON object per datagram, open file
descriptors passed beside it) and gets exactly one reply per message. `SandboxedParent` holds
what the two handles share: that exchange, importing modules once, and killing the sandbox.
"""
from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess

from alliancekit.grading import limits as _hard

__all__ = ["SandboxedParent", "userns_filter_fd"]

#: Largest reply a parent sends (its replies are short JSON objects).
REPLY_BYTES = 1 << 16


class SandboxedParent:
    """What the grader's handle on a sandboxed parent does the same way for either parent.

    A subclass sets `who` (how messages name the parent) and `error` (the exception it raises),
    starts ``self.process`` and keeps ``self.control`` (the grader's end of the control socket)
    and ``self.warmed`` (a set), and says in `why` what the sandbox last wrote.
    """

    #: How errors name this parent, e.g. "the kernels' parent".
    who = "the parent"
    #: The exception raised when the parent stops, does not answer or breaks its protocol.
    error: type[RuntimeError] = RuntimeError

    control: socket.socket
    process: subprocess.Popen
    warmed: set

    def why(self) -> str:
        """The last line the sandbox wrote to its error stream, or its exit status."""
        return f"exit status {self.process.poll()}"

    def _ask(self, message: dict | None, timeout: float, fds: tuple = ()) -> dict:
        """Send ``message`` (None: send nothing) with ``fds``, and return the parent's reply.

        Parameters
        ----------
        message : dict or None
            The request; None only waits for the next reply (the parent's "ready").
        timeout : float
            Seconds to wait for the reply.
        fds : tuple of int
            Open file descriptors passed along with the message.
        """
        try:
            if message is not None:
                socket.send_fds(self.control, [json.dumps(message).encode("utf-8")], list(fds))
            ready, _, _ = select.select([self.control], [], [], timeout)
            data = self.control.recv(REPLY_BYTES) if ready else None
        except OSError as exc:
            raise self.error(f"{self.who} stopped ({self.why()})") from exc
        if data is None:
            raise self.error(f"{self.who} did not answer within {timeout:g} s")
        if not data:
            raise self.error(f"{self.who} stopped ({self.why()})")
        try:
            reply = json.loads(data)
        except ValueError:
            reply = None
        if type(reply) is not dict:
            raise self.error(f"{self.who} sent something that is not a message")
        return reply

    def alive(self) -> bool:
        """Whether the parent's sandbox is still running."""
        return self.process.poll() is None

    def warm(self, modules: list[str], timeout: float) -> None:
        """Have the parent import these modules, once each.

        Parameters
        ----------
        modules : list of str
            Dotted module names (the assignment's own imports and the library's modules).
        timeout : float
            Seconds the imports may take.
        """
        new = [m for m in modules if m not in self.warmed]
        if new:
            if self._ask({"op": "warm", "modules": new}, timeout).get("op") != "warmed":
                raise self.error(f"{self.who} did not import the library")
            self.warmed.update(new)

    def kill(self) -> None:
        """Kill the parent's sandbox and everything in it."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except OSError:
                self.process.kill()


def userns_filter_fd() -> int | None:
    """A pipe's read end holding `alliancekit.grading.limits.userns_filter`, for ``--seccomp``.

    Returns
    -------
    int or None
        The descriptor to pass to bubblewrap (the caller closes it once bubblewrap started), or
        None on an architecture without the filter.
    """
    program = _hard.userns_filter()
    if program is None:
        return None
    read, write = os.pipe()
    os.write(write, program)  # a few hundred bytes: fits the pipe's buffer
    os.close(write)
    return read
