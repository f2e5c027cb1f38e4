"""Student kernels forked from a warm parent in a grading process's kernel sandbox.

`alliancekit.grading.sandbox.SandboxKernelManager` starts a new bubblewrap sandbox and a new
Python for each submission, which then spends a second or two starting ipykernel and importing
pandas, altair and the library before the first cell runs. `WarmKernelManager` keeps the same
walls but starts one sandbox per grading process, whose parent
(`alliancekit.grading.kernelserver`) has imported all that once, and forks each submission's
kernel from it. What stays per submission:

- the kernel process itself, forked from a parent that has run no student code; everything a
  previous kernel started is killed and its writable folders and System V IPC objects are
  cleared before the next fork (`alliancekit.grading.kernelserver`);
- a memory and pids cgroup of its own (where one can be made), which the kernel is moved into
  before it runs anything: the child reports its process id (``SCM_CREDENTIALS``, translated by
  the operating system into the grader's namespace) and waits for the grader's "go";
- only the set's own files of that submission, handed to the parent as open descriptors and
  copied by the child into its working folder;
- its own connection (fresh key, fresh socket names), sent to the child alone over its life-line
  with the "go", never through the parent; as root the sockets' folder is made read-only for the
  sandbox's uid once the kernel is up, as before (`seal`), and opened again only for the next
  fork, after the previous kernel is gone;
- the owner's variant variables, sent the same way and set in the child only.

The sandbox's own walls (no network, read-only root, private ``/tmp`` and home, rlimits, seccomp
filter, a separate uid as root) are the kernel sandbox's, made by the same `_bwrap_args`. The
parent's stdout and stderr (and so the kernels') go to a pipe of which the grader keeps a tail.

A kernel that runs out of time, sends an over-size reply, or kills its parent has the whole
sandbox killed; the next submission gets a new parent.

`alliancekit.grading.judging.JudgedExecute` uses it when the grader runs as root and
``c.JudgedExecute.warm_kernels`` is True (the default); as an ordinary user (user-namespace mode)
each kernel always gets a new sandbox of its own.
"""
from __future__ import annotations

import atexit
import itertools
import json
import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from alliancekit.grading import sandbox
from alliancekit.grading.parent import SandboxedParent, userns_filter_fd

__all__ = ["WarmKernelManager", "KernelServer", "KernelServerError", "kernel_server",
           "stop_kernels"]

_COUNTER = itertools.count(1)


class KernelServerError(RuntimeError):
    """The kernels' parent could not start, stopped answering, or could not clear a kernel."""


class KernelServer(SandboxedParent):
    """The kernels' parent (`alliancekit.grading.kernelserver`) in its bubblewrap sandbox.

    Parameters
    ----------
    limits : alliancekit.grading.sandbox.Limits
        Resource limits of the sandbox (each kernel gets its own cgroup besides).
    timeout : float, default 120
        Seconds the parent may take to start (it imports the library).
    """

    who = "the kernels' parent"
    error = KernelServerError

    def __init__(self, limits: sandbox.Limits, timeout: float = 120.0):
        self.key = limits
        self.root_mode = sandbox._as_root()
        self.warmed: set = set()
        self.tail = b""
        self.box = Path(tempfile.mkdtemp(prefix="ak-kernels-"))
        # the grader's side of each kernel's connection (files never shown to the sandbox)
        self.conns = Path(tempfile.mkdtemp(prefix="ak-kernels-conn-"))
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        info_read, info_write = os.pipe()
        out_read, out_write = os.pipe()
        keep = [info_write, out_write]
        try:
            seccomp = userns_filter_fd()
            if seccomp is not None:
                keep.append(seccomp)
            extra = {} if self.root_mode else {"AK_JUDGE_IPC": str(self.box / "ipc")}
            command = sandbox._bwrap_args(
                self.box, limits, uid=sandbox._pick_uid() if self.root_mode else None,
                ipc_host=self.root_mode, info_fd=info_write, seccomp_fd=seccomp,
                extra_env=extra, opened=keep) + [sys.executable, "-m",
                                                 "alliancekit.grading.kernelserver"]
            self.process = subprocess.Popen(command, stdin=theirs.fileno(), stdout=out_write,
                                            stderr=out_write, start_new_session=True,
                                            pass_fds=tuple(keep))
        except BaseException:
            for fd in (info_read, out_read):
                os.close(fd)
            self.control.close()
            shutil.rmtree(self.box, ignore_errors=True)
            shutil.rmtree(self.conns, ignore_errors=True)
            raise
        finally:
            theirs.close()
            for fd in keep:
                os.close(fd)
        threading.Thread(target=self._drain, args=(out_read,), daemon=True).start()
        try:
            self.sandbox_pid = _child_pid(info_read, timeout)
            if self._ask(None, timeout).get("op") != "ready":
                raise KernelServerError("the kernels' parent did not start")
        except BaseException:
            self.close()
            raise

    # ---- talking to the parent --------------------------------------------------------
    def _drain(self, read_fd: int) -> None:
        with os.fdopen(read_fd, "rb", buffering=0) as pipe:
            while True:
                chunk = pipe.read(65536)
                if not chunk:
                    return
                self.tail = (self.tail + chunk)[-sandbox._TAIL_BYTES:]

    def why(self) -> str:
        """The last line the sandbox wrote to its error stream, or its exit status."""
        lines = self.tail.decode("utf-8", "replace").strip().splitlines()
        return lines[-1][:300] if lines else f"exit status {self.process.poll()}"

    def end(self, timeout: float = 30.0) -> tuple[str | None, tuple[str, ...]]:
        """End the current kernel and clear what it left; kill the sandbox if that fails.

        Returns
        -------
        why : str or None
            Why the parent was not left clean (then the sandbox is killed, and the next kernel
            gets a new one), or None.
        tampered : tuple of str
            The parent's own settings the kernel changed (limits, niceness, ...), by name.
        """
        if not self.alive():
            return None, ()
        try:
            reply = self._ask({"op": "end"}, timeout)
        except KernelServerError:
            reply = {}
        if reply.get("op") != "ended":
            self.kill()
        self.clear_sockets()
        if reply.get("op") != "dirty":
            return None, ()
        tampered = reply.get("tampered")
        names = tuple(str(n)[:40] for n in tampered[:20]) if isinstance(tampered, list) else ()
        return str(reply.get("why"))[:300], names

    def clear_sockets(self) -> None:
        """As root: remove the last kernel's socket files from the host's sockets' folder."""
        if self.root_mode:
            folder = self.box / "ipc"
            for entry in os.scandir(folder):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    try:
                        os.unlink(entry.path)
                    except OSError:
                        pass

    def close(self) -> None:
        """Stop the parent and every kernel, and remove the sandbox's folder."""
        self.kill()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        try:
            self.control.close()
        except OSError:
            pass
        shutil.rmtree(self.box, ignore_errors=True)
        shutil.rmtree(self.conns, ignore_errors=True)


def _child_pid(read_fd: int, timeout: float) -> int:
    buffer, deadline = b"", time.monotonic() + timeout
    try:
        while b"}" not in buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([read_fd], [], [], max(left, 0))
            if not ready:
                raise KernelServerError("bubblewrap did not report its sandbox's process id")
            chunk = os.read(read_fd, 4096)
            if not chunk:
                raise KernelServerError("bubblewrap exited before starting the kernels' parent")
            buffer += chunk
    finally:
        os.close(read_fd)
    return int(json.loads(buffer[:buffer.index(b"}") + 1])["child-pid"])


_SERVER: dict = {}


def kernel_server(limits: sandbox.Limits, timeout: float) -> KernelServer:
    """This process's kernels' parent, started on first use or when the last one is gone."""
    server = _SERVER.get("server")
    if server is None or server.key != limits or not server.alive():
        stop_kernels()
        server = _SERVER["server"] = KernelServer(limits, timeout)
    return server


@atexit.register
def stop_kernels() -> None:
    """Stop this process's kernels' parent, if it has one."""
    server = _SERVER.pop("server", None)
    if server is not None:
        server.close()


class _ForkedKernel:
    """Stands for the forked kernel where jupyter_client expects a ``Popen``."""

    def __init__(self, server: KernelServer, lifeline: socket.socket, pid: int):
        self.server, self.lifeline, self.pid = server, lifeline, pid
        self.returncode = None
        self.ended = False
        #: Why the parent was not clean after this kernel ended (`KernelServer.end`), or None,
        #: and the parent's settings the kernel changed.
        self.unclean = None
        self.tampered: tuple[str, ...] = ()
        self.stdin = self.stdout = self.stderr = None

    def poll(self) -> int | None:
        if self.returncode is not None:
            return self.returncode
        if not self.server.alive():
            self.returncode = -signal.SIGKILL
            return self.returncode
        for _ in range(16):  # the life-line ends when the kernel's process does
            try:
                # ValueError: `kill` closed the life-line meanwhile (the relay's thread polls too)
                ready, _, _ = select.select([self.lifeline], [], [], 0)
                if ready and not self.lifeline.recv(1 << 16):
                    self.returncode = 1
            except (OSError, ValueError):
                self.returncode = 1 if self.returncode is None else self.returncode
            if self.returncode is not None or not ready:
                return self.returncode
        return None

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("forked kernel", timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if signum in (signal.SIGKILL, signal.SIGTERM):
            self.kill()
        # interrupts go as messages (interrupt_mode "message"); other signals are not sent

    def kill(self) -> None:
        """End the kernel and everything it started (once), and clear what it left."""
        if not self.ended:
            self.ended = True
            self.unclean, self.tampered = self.server.end()
        if self.returncode is None:
            self.returncode = -signal.SIGKILL
        self.close()

    terminate = kill

    def close(self) -> None:
        try:
            self.lifeline.close()
        except OSError:
            pass


class WarmKernelManager(sandbox.SandboxKernelManager):
    """`SandboxKernelManager` whose kernels are forked from a warm parent (see module doc)."""

    _forked = None
    _server = None
    _conn_dir = None
    #: Modules the parent imports before this kernel is forked (the set's own imports; set by
    #: `alliancekit.grading.judging.JudgedExecute`).
    warm_modules: tuple = ()

    async def _async_pre_start_kernel(self, **kw):
        from alliancekit.grading.budget import OutputBudget

        self._root_mode = sandbox._as_root()
        self._stop_relay()  # a restart: the old kernel's relay, if there is one
        self.output_budget = OutputBudget(int(self.output_mb * sandbox.MiB))
        self.output_tail = b""
        server = self._server = kernel_server(self._limits(), 120.0)
        self._conn_dir = Path(tempfile.mkdtemp(prefix="k", dir=server.conns))
        self.transport = "ipc"
        self.ip = str(server.box / "ipc" / f"k{next(_COUNTER)}")
        self.connection_file = str(self._conn_dir / "kernel.json")
        self.kernel_spec.interrupt_mode = "message"
        cmd, kw = await super(sandbox.SandboxKernelManager, self)._async_pre_start_kernel(**kw)
        return cmd, kw

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        # the kernel command's own options (nbclient's --HistoryManager.hist_file=:memory:, which
        # keeps IPython from starting a history-saving thread), as a started kernel would get them
        options = [a for a in kernel_cmd if isinstance(a, str) and a.startswith("--")][:20]
        for attempt in (1, 2):  # a parent that cannot fork is replaced once
            server = self._server = kernel_server(self._limits(), 120.0)
            try:
                self._forked = self._fork(server, Path(kw.get("cwd") or "."), options)
                break
            except (KernelServerError, OSError) as exc:
                stop_kernels()
                if attempt == 2:
                    raise sandbox.SandboxError(
                        f"the kernels' parent could not fork a kernel ({exc})") from exc
        provisioner = self.provisioner
        provisioner.process = self._forked
        provisioner.pid = self._forked.pid
        provisioner.pgid = None
        if not server.root_mode:
            self.ip = f"/proc/{server.sandbox_pid}/root{self.ip}"
        self._start_relay()  # every message bounded whole, as for a kernel started on its own

    def _fork(self, server: KernelServer, source: Path, options: list) -> _ForkedKernel:
        with open(self.connection_file) as handle:
            connection = json.load(handle)
        connection.pop("kernel_name", None)
        if not str(self.ip).startswith(f"{server.box}/"):  # a new parent: its sockets' folder
            self.ip = str(server.box / "ipc" / f"k{next(_COUNTER)}")
        connection["ip"] = self.ip
        server.warm(list(self.warm_modules), 120.0)
        files = (self._own_files(source) if source.is_dir() else [])[:200]
        fds = [os.open(path, os.O_RDONLY | os.O_NOFOLLOW) for path in files]
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        ours.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        server.clear_sockets()
        if server.root_mode:
            os.chmod(server.box / "ipc", 0o777)  # the new kernel makes its sockets; sealed later
        try:
            reply = server._ask({"op": "fork", "workdir": source.name or "work",
                                 "files": [p.name for p in files]},
                                30.0, (theirs.fileno(), *fds))
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
            for fd in fds:
                os.close(fd)
        if reply.get("op") != "forked":
            ours.close()
            raise KernelServerError(str(reply.get("why", reply.get("op")))[:300])
        try:
            pid = _reported_pid(ours, 30.0)
            self._start_cgroup()
            if self._cgroup is not None:
                for procs in self._cgroup.procs_files():
                    with open(procs, "w") as handle:
                        handle.write(str(pid))
            # the key and the owner's variant go to the child alone, never through the parent
            go = json.dumps({"connection": connection, "options": options,
                             "env": dict(self.submission.variant_env
                                         if self.submission is not None else {})}).encode()
            ours.sendall(b"g" + struct.pack("!I", len(go)) + go)
        except BaseException:
            ours.close()
            server.kill()
            if self._cgroup is not None:  # a second attempt makes its own
                self._cgroup.remove()
                self._cgroup = None
            raise
        return _ForkedKernel(server, ours, pid)

    def seal(self) -> None:
        """Once the kernel is up, take away its right to create files in the sockets' folder."""
        if self._root_mode and self._server is not None:
            os.chmod(self._server.box / "ipc", 0o755)

    def kill_now(self) -> None:
        """Kill the whole kernels' sandbox (the next submission gets a new parent)."""
        if self._server is not None:
            self._server.kill()

    def remove_box(self) -> None:
        """End the kernel, note an out-of-memory kill, remove its cgroup and connection file."""
        forked, self._forked = self._forked, None
        if forked is not None:
            forked.kill()
            if forked.tampered:
                self._note(f"its kernel tampered with the grader's sandbox ({forked.unclean}): "
                           "the grader replaced the sandbox before the next submission")
        self._stop_relay()
        if self._cgroup is not None:
            kills = self._cgroup.oom_kills()
            if kills:
                self._note(f"over its memory limit: {self.memory_mb} MiB for all its processes "
                           f"together; the system killed {kills} of its processes")
            self._cgroup.remove()
            self._cgroup = None
        conn = getattr(self, "_conn_dir", None)
        if conn is not None:
            shutil.rmtree(conn, ignore_errors=True)
            self._conn_dir = None


def _reported_pid(channel: socket.socket, timeout: float) -> int:
    """The forked kernel's process id, in this process's namespace (from ``SCM_CREDENTIALS``)."""
    channel.settimeout(timeout)
    try:
        data, ancillary, _, _ = channel.recvmsg(16, socket.CMSG_SPACE(12))
    finally:
        channel.settimeout(None)
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS and len(payload) >= 12:
            pid = struct.unpack("3i", payload[:12])[0]
            if data == b"p" and pid > 0:
                return pid
    raise KernelServerError("the forked kernel did not report its process id")
