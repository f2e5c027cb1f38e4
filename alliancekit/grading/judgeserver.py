"""The judges' parent: imports the library once, then forks a fresh judge for each submission.

``alliancekit-grade`` starts this module once per grading process (one per ``--jobs`` worker), as
``python -m alliancekit.grading.judgeserver`` in the judge's own bubblewrap sandbox
(`alliancekit.grading.judging.JudgeServer`). It never runs student code and never sees a
submission: it imports ``alliancekit``, the judge, and the modules the assignment's own cells
(from the gradebook) import, and then, for each submission, forks a child that serves one judge
(`alliancekit.grading.judge.serve`) over a socket the grader hands in. Each child therefore starts
from a parent that has run nothing but the library's imports, and saves the second or so that a
new Python process spends importing pandas, altair and the rest.

The grader speaks to the parent over a Unix socket (its standard input), one JSON message a
datagram:

``{"op": "warm", "modules": [...]}``
    Import these modules (the assignment's own imports; ``alliancekit.<name>`` only if it exists).
    Answer ``{"op": "warmed"}``.
``{"op": "fork", "env": {...}}``, carrying one socket
    End the previous judge, then fork a new one that serves the grader on that socket, with the
    submission owner's variant variables from ``env`` (`PER_JUDGE_ENV` only) in its environment
    and no other submission's. Answer
    ``{"op": "forked"}``, or ``{"op": "dirty", "why": ...}`` when the previous judge left
    something the parent cannot remove (the grader then starts a new parent).

Before each fork the parent makes the sandbox as it was: every other process in the sandbox is
killed (``kill(-1)`` reaches all of its processes but the parent and bubblewrap's init), and the
writable folders (``/tmp``, the home, ``/dev/shm``) are emptied, so nothing a judge did (files,
left-over processes) reaches the next. The parent is not dumpable (``PR_SET_DUMPABLE``), so a judge
(same user) cannot read or write its memory through ``ptrace`` or ``/proc``; a judge that kills or
stops the parent only makes the grader start a new one.
"""
from __future__ import annotations

import importlib
import importlib.util
import json
import os
import signal
import socket
import sys

from alliancekit.grading.context import VARIANT_VARIABLES

__all__ = ["main", "empty_folder", "warm_data"]

WRITABLE = ("/tmp", "/dev/shm")  # and the home (``HOME``) and the socket folder (``AK_JUDGE_IPC``)


def _not_dumpable() -> None:
    import ctypes

    pr_set_dumpable = 4
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(pr_set_dumpable, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE) failed")


def empty_folder(folder: str) -> bool:
    """Remove everything inside ``folder`` but the sandbox's own mount points.

    Parameters
    ----------
    folder : str
        Path of a folder the judges may write to.

    Returns
    -------
    bool
        True when nothing is left but mount points and the folders leading to them.
    """
    if not os.path.isdir(folder):
        return not os.path.lexists(folder)
    files, dirs = [], []
    for top, names, others in os.walk(folder):
        keep = []
        for name in names:
            path = os.path.join(top, name)
            if os.path.islink(path):
                files.append(path)
            elif not os.path.ismount(path):
                try:
                    os.chmod(path, 0o700)  # a judge may have taken its own rights away
                except OSError:
                    pass
                keep.append(name)
                dirs.append(path)
        names[:] = keep
        files += [os.path.join(top, name) for name in others]
    for path in files:
        try:
            os.unlink(path)
        except OSError:
            pass
    for path in reversed(dirs):
        try:
            os.rmdir(path)
        except OSError:
            pass
    for top, names, others in os.walk(folder):
        names[:] = [n for n in names if not os.path.ismount(os.path.join(top, n))]
        if others or (top != folder and not names and not _holds_mount(top)):
            return False
    return True


def _holds_mount(path: str) -> bool:
    try:
        return any(os.path.ismount(os.path.join(path, name)) for name in os.listdir(path))
    except OSError:
        return False


def _end_judges(child: int | None) -> str | None:
    """Kill every other process of the sandbox and empty its writable folders; why not, or None."""
    for _ in range(3):
        try:
            os.kill(-1, signal.SIGKILL)  # all processes we may signal, but us and init
        except ProcessLookupError:
            break
        except OSError:
            break
    if child is not None:
        try:
            os.waitpid(child, 0)
        except ChildProcessError:
            pass
    while True:  # reap anything else that was ours
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
    folders = list(WRITABLE) + [os.environ.get("HOME", ""), os.environ.get("AK_JUDGE_IPC", "")]
    left = [f for f in folders if f and not empty_folder(f)]
    return f"could not empty {', '.join(left)}" if left else None


def _warm(modules: list) -> None:
    for name in modules:
        if not isinstance(name, str) or not all(p.isidentifier() for p in name.split(".")):
            continue
        try:
            if name.startswith("alliancekit.") and importlib.util.find_spec(name) is None:
                continue
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 (a test that needs it will say what is wrong)
            pass


def warm_data() -> None:
    """Read and check every table the library ships, once (``alliancekit.cases`` caches them).

    Each forked child then starts with the tables parsed: a set's first ``ak.cases.durations()``
    costs about 0.02 s instead of 0.5 s. The cache hands out copies only, and what a child does to
    its own memory never reaches the parent.
    """
    try:
        from alliancekit import cases

        for name in cases.table_names():
            cases.table(name)
    except Exception:  # noqa: BLE001 (only a saving is lost; a test that needs a table says why)
        pass


#: The only variables a fork request may set in its judge: the owner's variant (per submission).
PER_JUDGE_ENV = VARIANT_VARIABLES


def _owner_environment(env) -> None:
    """In a new judge: the submission owner's variant variables, and no other submission's."""
    for name in PER_JUDGE_ENV:
        os.environ.pop(name, None)
    if isinstance(env, dict):
        for name in PER_JUDGE_ENV:
            value = env.get(name)
            if isinstance(value, str) and value and "\0" not in value:
                os.environ[name] = value[:4096]


def _serve_child(channel: int) -> None:
    from alliancekit.grading import judge

    channel_in = os.fdopen(channel, "rb")
    channel_out = os.fdopen(os.dup(channel), "wb")
    try:
        judge.serve(channel_in, channel_out)
    except SystemExit:
        pass
    finally:
        os._exit(0)


def main() -> None:
    """Serve the grader on standard input (a Unix datagram socket) until it closes it."""
    control = socket.socket(fileno=os.dup(0))
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    sys.stdout = sys.stderr  # prints of the library go to stderr, never into a channel
    here = os.getcwd()
    sys.path[:] = [p for p in sys.path if p not in ("", ".", here)]  # no module from the home
    _not_dumpable()
    from alliancekit.grading import judge, plaindata  # noqa: F401 (imported once, for every judge)

    warm_data()

    def send(message: dict) -> None:
        control.send(json.dumps(message).encode("utf-8"))

    child = None
    send({"op": "ready"})
    while True:
        data, fds, _, _ = socket.recv_fds(control, 1 << 16, 4)
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
            _warm(list(message.get("modules") or [])[:200])
            send({"op": "warmed"})
        elif op == "fork" and len(fds) == 1:
            why = _end_judges(child)
            child = None
            if why:
                os.close(fds[0])
                send({"op": "dirty", "why": why})
                continue
            child = os.fork()
            if child == 0:
                control.close()
                _owner_environment(message.get("env"))
                _serve_child(fds[0])
            os.close(fds[0])
            send({"op": "forked"})
        else:
            for fd in fds:
                os.close(fd)
            send({"op": "error", "why": "unknown request"})
    _end_judges(child)


if __name__ == "__main__":
    main()
