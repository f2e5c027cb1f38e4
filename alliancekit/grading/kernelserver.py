"""The student kernels' parent: imports the library once, then forks a fresh kernel per submission.

``alliancekit-grade`` starts this module once per grading process (one per ``--jobs`` worker), as
``python -m alliancekit.grading.kernelserver`` inside a bubblewrap sandbox with the same walls as
a student's kernel (`alliancekit.grading.warmkernel`). Before any submission is seen it imports
ipykernel and ``alliancekit``, and the modules the assignment's own cells import (with the tables
the library ships, if those cells read data, and altair's validator, if they draw charts);
then, for each submission, it forks a child that becomes that submission's IPython kernel. A new
kernel therefore starts from a process that has run nothing but imports, and saves the second
or two that a new Python process spends starting ipykernel and importing the library.

The grader speaks to the parent over a Unix socket (its standard input), one JSON message a
datagram:

``{"op": "warm", "modules": [...]}``
    Import these modules (and prepare data and charts as above). Answer ``{"op": "warmed"}``.
``{"op": "fork", "workdir": ..., "files": [...]}``, carrying a life-line socket and one file
descriptor per name in ``files``
    End the previous kernel and empty the writable folders, then fork a new kernel. The child
    starts a session of its own, reports its process id over the life-line (as
    ``SCM_CREDENTIALS``, which the operating system translates into the grader's process
    namespace) and waits there for the grader's "go" (it has been put in the submission's
    cgroup), which carries its connection (key and socket names), its owner's variant variables
    and the kernel command's own options (e.g. nbclient's in-memory history). Only then does it
    copy the submission's files (read from the descriptors) into ``$HOME/<workdir>`` and run
    the kernel. The parent never receives a connection key or a
    variant, so no later kernel can find one in the memory it inherits. Answer
    ``{"op": "forked"}``, or ``{"op": "dirty", "why": ...}`` when something of the previous
    kernel could not be removed (the grader then starts a new parent).
``{"op": "end"}``
    End the kernel now (all processes but this one) and empty the writable folders. Answer
    ``{"op": "ended"}`` or ``{"op": "dirty", "why": ..., "tampered": [...]}``; ``tampered``
    names the parent's own settings the kernel changed (`alliancekit.grading.procstate`).

What one kernel leaves never reaches the next: before each fork (and on ``end``) every other
process of the sandbox is killed and waited for until it is gone, ``/tmp``, the home, ``/dev/shm``
(and in user-namespace mode the sockets' folder) are emptied, and every System V shared memory
segment, semaphore set and message queue of the sandbox's IPC namespace is removed (POSIX message
queues are refused to the whole sandbox by ``_jail.py``). A fork that fails (the process limit
still counting a killed kernel) is answered as "dirty". Whatever a kernel changes in its own
memory (a patched module, a hook) lives in that forked child only. The parent is not dumpable,
so a kernel (same user) cannot read or write its memory; a kernel that kills or stops it only
makes the grader start a new one. Each kernel is made dumpable again, as a kernel started on its
own is: it may read its own memory (``/proc/self/mem``), which holds nothing but the parent's
imports and its own submission. The parent refuses to fork while it has a second thread (a fork
then could copy a held lock).
"""
from __future__ import annotations

import json
import os
import signal
import socket
import struct
import sys
import time

from alliancekit.grading.judgeserver import (
    _end_judges,
    _not_dumpable,
    _owner_environment,
    _warm,
    warm_data,
)
from alliancekit.grading.procstate import changed, process_settings

__all__ = ["main", "clear_sysv_ipc", "BASE_MODULES"]

#: Imported by the parent before anything else (the kernel's own machinery and the library).
BASE_MODULES = ["ipykernel.kernelapp", "ipykernel.ipkernel", "IPython", "alliancekit",
                "alliancekit.checks", "alliancekit.grading._inkernel"]
_MAX_FILE = 50 * 1024 ** 2
_MAX_GO = 1024 ** 2  # the "go" message: a connection and two variant variables
_IPC_RMID = 0
_PR_SET_DUMPABLE = 4


def clear_sysv_ipc() -> list[str]:
    """Remove every System V IPC object of this IPC namespace; the kinds that could not be.

    Returns
    -------
    list of str
        ``"shm"``, ``"sem"`` or ``"msg"`` for each kind that still has an object afterwards.
    """
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    removers = {"shm": lambda i: libc.shmctl(i, _IPC_RMID, None),
                "sem": lambda i: libc.semctl(i, 0, _IPC_RMID),
                "msg": lambda i: libc.msgctl(i, _IPC_RMID, None)}
    left = []
    for kind, remove in removers.items():
        for _ in range(2):
            ids = _ipc_ids(kind)
            if not ids:
                break
            for ident in ids:
                remove(ctypes.c_int(ident))
        if _ipc_ids(kind):
            left.append(kind)
    return left


def _ipc_ids(kind: str) -> list[int]:
    try:
        with open(f"/proc/sysvipc/{kind}") as table:
            rows = table.read().splitlines()[1:]
    except OSError:
        return []
    column = 1  # key, then id
    return [int(row.split()[column]) for row in rows if len(row.split()) > column]


def _prepare() -> None:
    """Build, once, what every kernel builds on its first chart: altair's schema validator.

    Only the course's own code runs here (a one-point chart turned into its Vega-Lite dict, which
    validates it); no SVG is made, since vl-convert starts threads and a fork must not copy them.
    """
    try:
        import pandas as pd

        from alliancekit.render import alt

        alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x").to_dict()
    except Exception:  # noqa: BLE001 (only a saving is lost)
        pass


def _others() -> list[int]:
    """Processes of the sandbox other than this one and bubblewrap's init (its own /proc)."""
    me = os.getpid()
    return [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, me)]


def _clean(child: int | None, start: dict) -> tuple[str | None, list[str]]:
    """End the last kernel and what it left: (why the parent is not clean or None, the names of
    the parent's settings it changed)."""
    why = _end_judges(child)
    deadline = time.monotonic() + 3.0
    while _others() and time.monotonic() < deadline:  # killed, not yet gone (init reaps them)
        try:
            os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.005)
    if _others():
        why = (why + "; " if why else "") + "processes of the last kernel are still there"
    left = clear_sysv_ipc()
    if left:
        why = (why + "; " if why else "") + f"could not remove System V IPC objects ({left})"
    tampered = changed(start, process_settings())
    if tampered:  # a kernel changed its parent: every later fork would inherit it
        why = ((why + "; " if why else "") + "a kernel changed the kernels' parent's "
               + ", ".join(tampered)[:200])
    return why, tampered


def _threads() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1


def _place_files(workdir: str, names: list, fds: list) -> None:
    home = os.environ.get("HOME", "/tmp")
    folder = os.path.join(home, workdir)
    os.makedirs(folder, exist_ok=True)
    for name, fd in zip(names, fds, strict=False):
        if not isinstance(name, str) or not name or "/" in name or name in (".", ".."):
            continue
        target = os.open(os.path.join(folder, name),
                         os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
        copied = 0
        with os.fdopen(target, "wb") as out:
            while copied < _MAX_FILE:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    break
                out.write(chunk)
                copied += len(chunk)
        os.close(fd)
    os.chdir(folder)


def _receive_go(lifeline: socket.socket) -> dict:
    """The grader's "go": ``b"g"``, a 4-byte length and a JSON object (connection, variant)."""
    head = b""
    while len(head) < 5:
        chunk = lifeline.recv(5 - len(head))
        if not chunk:
            raise ConnectionError("the grader closed the life-line before its go")
        head += chunk
    size = struct.unpack("!I", head[1:])[0]
    if head[:1] != b"g" or size > _MAX_GO:
        raise ValueError("not a go message")
    body = b""
    while len(body) < size:
        chunk = lifeline.recv(size - len(body))
        if not chunk:
            raise ConnectionError("the grader closed the life-line during its go")
        body += chunk
    go = json.loads(body)
    if not isinstance(go, dict) or not isinstance(go.get("connection"), dict):
        raise ValueError("the go message has no connection")
    return go


def _dumpable() -> None:
    """Make this forked kernel dumpable again, as a kernel started on its own is."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_DUMPABLE, 1, 0, 0, 0)


def _run_kernel(message: dict, fds: list) -> None:
    """In the forked child: become the submission's kernel (never returns)."""
    code = 1
    try:
        os.setsid()  # the kernel's interrupts (killpg) reach its own group, never the parent
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.set_inheritable(fds[0], False)
        lifeline = socket.socket(fileno=fds[0])
        creds = struct.pack("3i", os.getpid(), os.getuid(), os.getgid())
        lifeline.sendmsg([b"p"], [(socket.SOL_SOCKET, socket.SCM_CREDENTIALS, creds)])
        lifeline.settimeout(60)
        go = _receive_go(lifeline)
        lifeline.settimeout(None)
        _owner_environment(go.get("env"))
        _dumpable()
        workdir = str(message.get("workdir") or "work")
        if "/" in workdir or workdir in (".", ".."):
            workdir = "work"
        _place_files(workdir, list(message.get("files") or []), fds[1:])
        path = f"/tmp/.ak-kernel-{os.getpid()}.json"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(go["connection"], handle)
        options = [o for o in go.get("options") or [] if isinstance(o, str)
                   and o.startswith("--")][:20]  # the kernel command's own, from the grader
        sys.argv = ["ipykernel_launcher", "-f", path, *options]
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        app.initialize(["-f", path, *options])
        app.start()
        code = 0
    except BaseException:  # noqa: BLE001 (the grader sees a dead kernel)
        code = 1
    finally:
        os._exit(code)


def main() -> None:
    """Serve the grader on standard input (a Unix datagram socket) until it closes it."""
    control = socket.socket(fileno=os.dup(0))
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    here = os.getcwd()
    sys.path[:] = [p for p in sys.path if p not in ("", ".", here)]  # no module from the home
    _not_dumpable()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _warm(BASE_MODULES)

    def send(message: dict) -> None:
        control.send(json.dumps(message).encode("utf-8"))

    child, start = None, process_settings()
    send({"op": "ready"})
    while True:
        data, fds, _, _ = socket.recv_fds(control, 1 << 16, 250)
        if not data:
            break
        try:
            message = json.loads(data)
        except ValueError:
            message = {}
        op = message.get("op") if isinstance(message, dict) else None
        if op == "warm":
            for fd in fds:
                os.close(fd)
            modules = list(message.get("modules") or [])[:200]
            _warm(modules)
            if "alliancekit.cases" in modules:  # the set reads data: tables parsed once
                warm_data()
            if "alliancekit.render" in sys.modules:  # the set draws charts
                _prepare()
            send({"op": "warmed"})
        elif op == "end":
            for fd in fds:
                os.close(fd)
            (why, tampered), child = _clean(child, start), None
            send({"op": "dirty", "why": why, "tampered": tampered} if why else {"op": "ended"})
        elif op == "fork" and fds:
            (why, _), child = _clean(child, start), None
            if not why and _threads() > 1:
                why = "the kernels' parent has a second thread; it cannot fork safely"
            if why:
                for fd in fds:
                    os.close(fd)
                send({"op": "dirty", "why": why})
                continue
            try:
                child = os.fork()
            except OSError as exc:  # e.g. the process limit, still counting a killed kernel
                for fd in fds:
                    os.close(fd)
                send({"op": "dirty", "why": f"could not fork a kernel ({exc})"})
                continue
            if child == 0:
                control.close()
                _run_kernel(message, fds)
            for fd in fds:
                os.close(fd)
            send({"op": "forked"})
        else:
            for fd in fds:
                os.close(fd)
            send({"op": "error", "why": "unknown request"})
    _clean(child, start)


if __name__ == "__main__":
    main()
