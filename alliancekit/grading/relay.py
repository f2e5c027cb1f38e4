"""The grader's side of the message relay to a sandboxed kernel (`alliancekit.grading._relay`).

ZMQ bounds each frame of a message (``MAXMSGSIZE``) but not how many frames it has, and it hands a
message over only once every frame has arrived: a kernel could make whichever process receives
its messages hold gigabytes. That process is a small relay with its own memory limit, started
here; it drops every message from the kernel over its channel's budget (counted whole), and every
reply the grader did not ask for, and reports what it dropped, which `Relay.notes` turns into notes
for the instructor.

The grader's client connects to the relay only, never to the kernel: if the relay stops while its
kernel still runs (killed, out of memory, a bug), `on_lost` is called, the grader stops the kernel
and the submission fails with a note (`Relay.died`); it is never graded over another connection.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

MiB = 1024 ** 2
#: The relay's own memory limit (``RLIMIT_DATA``) beyond the largest message it accepts.
RELAY_BASE_BYTES = 192 * MiB


class Relay:
    """A running relay between the grader and one kernel.

    Parameters
    ----------
    kernel : dict
        The kernel's connection info (``transport``, ``ip`` and the ``*_port`` entries).
    reply_bytes : int
        Largest message, in bytes, accepted from the kernel on shell, control, stdin and heartbeat.
    output_bytes : int
        Largest message, in bytes, accepted from the kernel on iopub (its outputs).
    output_total : int
        Bytes of iopub messages passed on before only small ones (status, errors) still pass.

    on_lost : callable, optional
        Called (from a thread, with no argument) when the kernel's side of a channel went away
        (the kernel died, or sent more than the relay could hold), or when the relay itself
        stopped without being asked to (then `died` is True).
    """

    #: Set by the grader when the relay lost a channel while the kernel was still running.
    overflowed = False
    #: True once the relay process ended without being stopped and without reporting a lost channel.
    died = False
    _stopping = False

    def __init__(self, kernel: dict, *, reply_bytes: int, output_bytes: int,
                 output_total: int, on_lost=None) -> None:
        self.on_lost = on_lost
        self.folder = Path(tempfile.mkdtemp(prefix="ak-relay-"))  # 0700: the grader's alone
        self.front = str(self.folder / "k")
        self.reply_bytes, self.output_bytes = reply_bytes, output_bytes
        self.memory = RELAY_BASE_BYTES + 2 * max(reply_bytes, output_bytes)
        # what the relay dropped, counted (a kernel may make it drop millions of small messages:
        # one kept record each would grow the grader): kind -> [count, the largest drop]
        self.dropped: dict[str, list] = {}
        plan = {"kernel": {k: v for k, v in kernel.items() if k == "ip" or k == "transport"
                           or k.endswith("_port")},
                "front": self.front, "reply_bytes": reply_bytes, "output_bytes": output_bytes,
                "output_total": output_total, "memory": self.memory}
        script = str(Path(__file__).resolve().parent / "_relay.py")
        self.process = subprocess.Popen([sys.executable, "-I", script], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.process.stdin.write((json.dumps(plan) + "\n").encode())
        self.process.stdin.flush()
        ready = self.process.stdout.readline()
        if b"ready" not in ready:
            self.stop()
            raise RuntimeError("the message relay to the kernel did not start")
        threading.Thread(target=self._listen, daemon=True).start()

    def _listen(self) -> None:
        try:
            self._read_events()
        except (ValueError, OSError):  # `stop` closed the pipe while this thread read it
            if self._stopping:
                return
            raise
        if "lost" in self.dropped or self._stopping:
            return
        self.process.wait()
        if not self._stopping:  # it ended by itself (or was killed) while the grader needed it
            self.died = True
            if self.on_lost is not None:
                self.on_lost()

    def _read_events(self) -> None:
        """Count each drop the relay reports; call `on_lost` when it reports a lost channel."""
        for line in self.process.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                return
            kind = ("unasked" if "unasked" in event else "lost" if "lost" in event
                    else "output" if event.get("dropped") == "iopub"
                    else "reply" if event.get("dropped") in ("shell", "control") else "other")
            seen = self.dropped.setdefault(kind, [0, event])
            seen[0] += 1
            if event.get("bytes", 0) > seen[1].get("bytes", 0):
                seen[1] = event
            if kind == "lost" and self.on_lost is not None:
                self.on_lost()

    def lost_reply(self) -> bool:
        """Whether the kernel lost a reply: dropped (shell or control), or too large for the relay.

        Returns
        -------
        bool
            True once the kernel's replies can no longer be trusted to arrive. False when the
            relay died of something else (`died`): that is not the kernel's doing, and the
            grader stops the kernel anyway.
        """
        time.sleep(0.05)  # let the listener read a drop reported just before a timeout
        return "reply" in self.dropped or (self.process.poll() is not None and not self.died)

    def notes(self) -> list[str]:
        """What the relay did that the instructor should know, one sentence each.

        Returns
        -------
        list of str
            Empty when every message of the kernel was passed on.
        """
        found = []
        count = {kind: seen[0] for kind, seen in self.dropped.items()}
        largest = {kind: seen[1] for kind, seen in self.dropped.items()}
        replies = count.get("reply", 0) + count.get("other", 0)
        if replies:
            d = max((largest[k] for k in ("reply", "other") if k in largest),
                    key=lambda d: d["bytes"])
            found.append(f"its kernel sent {replies} message(s) over the grader's budget "
                         f"({self.reply_bytes // MiB} MiB, at most 8 parts) on its reply "
                         f"channels, the largest {d['bytes'] / MiB:,.0f} MiB in {d['frames']} "
                         "parts: dropped unread")
        if "output" in count:
            d = largest["output"]
            found.append(f"its kernel sent {count['output']} output message(s) over the grader's "
                         f"budget ({self.output_bytes / MiB:,.0f} MiB each, at most 16 parts), "
                         f"the largest {d['bytes'] / MiB:,.0f} MiB in {d['frames']} parts: "
                         "dropped unread")
        if "unasked" in count:
            found.append(f"its kernel sent {count['unasked']} message(s) the grader had not "
                         "asked for on its reply channels (shell, control, stdin, heartbeat): "
                         "dropped unread")
        if self.died:
            found.append("the grader's message relay to its kernel stopped while the kernel ran "
                         f"(exit status {self.process.returncode}): the grader stopped the kernel "
                         "and graded nothing more of this submission")
        if self.overflowed:
            found.append("its kernel sent a message larger than the grader's relay could hold "
                         f"({self.memory // MiB} MiB): the grader stopped listening to it and "
                         "stopped the kernel")
        return found

    def stop(self) -> None:
        """Stop the relay and remove its sockets' folder."""
        self._stopping = True
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        shutil.rmtree(self.folder, ignore_errors=True)
