"""Undo what a submission installed in its kernel, before each graded test cell runs.

This module runs *inside* the student's kernel while ``alliancekit-grade`` grades it (the grader
calls it through ``user_expressions`` of an empty execute request, which IPython evaluates directly,
without the input or AST transformers a submission may have installed):

- :func:`arm`, once, right after the kernel starts and again after the notebook's read-only set-up
  cells, records the kernel's own state: exception handlers, input and AST transformers,
  ``sys.excepthook`` and ``sys.displayhook``, IPython events, trace and profile functions, signal
  handlers, running threads, builtins, the methods of IPython's and ipykernel's classes, and the
  names the set-up cells defined (``ak``, ``check``, ``matches``, ``close`` ...);
- :func:`reset`, before each graded test cell, puts all of that back, re-imports ``alliancekit``
  (and ``alliancekit.checks``) fresh from the read-only library, rebinds the set-up names, removes
  user names that shadow builtins, and returns a list of what it had to undo.

Limits, stated plainly: the snapshot lives in the same process as the submission, so code written
*against this module* (rewriting the snapshot, or ipykernel's messaging below the methods restored
here) can still forge a test outcome inside its own kernel. The grader therefore also fails the
test when the reset does not answer as expected, keeps every score within the cell's points, and
flags submissions whose code reaches into the kernel (see ``alliancekit.grading.sandbox``). Threads cannot
be stopped from Python; they are reported.
"""
from __future__ import annotations

import builtins
import importlib
import signal
import sys
import threading

__all__ = ["arm", "reset"]

_STATE: dict = {}
_TOKEN = "alliancekit-fairplay-ok"


def _shell():
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        raise RuntimeError("fairplay runs only inside an IPython kernel")
    return shell


def _classes(shell) -> list:
    """The classes whose methods a submission could patch to fake an outcome."""
    objects = [shell, getattr(shell, "kernel", None), getattr(shell, "displayhook", None),
               getattr(shell, "display_pub", None), getattr(shell, "compile", None),
               getattr(getattr(shell, "kernel", None), "session", None), sys.stdout, sys.stderr,
               getattr(shell, "input_transformer_manager", None)]
    seen = []
    for obj in objects:
        if obj is None:
            continue
        for cls in type(obj).__mro__:
            if cls is not object and cls not in seen:
                seen.append(cls)
    return seen


def _signals() -> dict:
    handlers = {}
    for signum in signal.valid_signals():
        try:
            handlers[signum] = signal.getsignal(signum)
        except (OSError, ValueError):
            pass
    return handlers


def arm(setup: bool = False, rebase: bool = False) -> str:
    """Record the kernel's state (first call) or the names the set-up cells defined (``setup``).

    Parameters
    ----------
    setup : bool, default False
        False: record the kernel's own state, before any cell of the notebook runs. True: record
        the public names now defined in the user namespace (by the read-only set-up cells).
    rebase : bool, default False
        With ``setup``: also take the kernel's state now as the one to restore, because only the
        read-only set-up cells have run so far (they may install hooks of their own, such as
        ``alliancekit.checks.start``'s exception handler). The grader passes False when any other
        cell ran before them.

    Returns
    -------
    str
        A fixed token the grader checks, so that it knows the call really ran.
    """
    shell = _shell()
    if setup:
        if rebase:
            _record(shell)
        _STATE["setup_names"] = {name: value for name, value in shell.user_ns.items()
                                 if not name.startswith("_") and name not in _STATE["user_ns0"]}
        return _TOKEN
    _record(shell)
    _STATE.update(user_ns0=dict(shell.user_ns), setup_names={})
    return _TOKEN


def _record(shell) -> None:
    manager = shell.input_transformer_manager
    _STATE.update(
        excepthook=sys.excepthook, displayhook=sys.displayhook,
        events={name: list(callbacks) for name, callbacks in shell.events.callbacks.items()},
        ast_transformers=list(shell.ast_transformers),
        input_post=list(shell.input_transformers_post),
        input_cleanup=list(shell.input_transformers_cleanup),
        manager=manager,
        manager_lists={name: list(getattr(manager, name)) for name in
                       ("cleanup_transforms", "line_transforms", "token_transformers")
                       if hasattr(manager, name)},
        custom_exceptions=shell.custom_exceptions, custom_tb=shell.CustomTB,
        shell_attrs=dict(vars(shell)),
        classes={cls: dict(vars(cls)) for cls in _classes(shell)},
        builtins=dict(vars(builtins)),
        signals=_signals(),
        threads={t.ident for t in threading.enumerate()},
        user_ns=shell.user_ns, user_global_ns=shell.user_global_ns,
    )


def _restore_classes(undone: list) -> None:
    for cls, saved in _STATE["classes"].items():
        current = vars(cls)
        changed = [name for name in set(current) | set(saved)
                   if name not in ("__dict__", "__weakref__", "__doc__")
                   and current.get(name, saved) is not saved.get(name, current)]
        for name in changed:
            try:
                if name in saved:
                    setattr(cls, name, saved[name])
                else:
                    delattr(cls, name)
            except (AttributeError, TypeError):
                continue
            undone.append(f"patched {cls.__name__}.{name}")


def _restore_shell(shell, undone: list) -> None:
    saved = _STATE["shell_attrs"]
    for name in list(vars(shell)):
        if name not in saved and callable(getattr(type(shell), name, None)):
            delattr(shell, name)
            undone.append(f"patched shell.{name}")
    for name in ("run_cell", "run_cell_async", "run_ast_nodes", "run_code", "showtraceback",
                 "_showtraceback", "showsyntaxerror", "transform_cell", "user_expressions",
                 "ev", "ex"):
        if name in vars(shell) and vars(shell)[name] is not saved.get(name):
            if name in saved:
                vars(shell)[name] = saved[name]
            else:
                del vars(shell)[name]
            undone.append(f"patched shell.{name}")
    if shell.custom_exceptions != _STATE["custom_exceptions"]:
        undone.append("custom exception handler (set_custom_exc)")
    shell.custom_exceptions = _STATE["custom_exceptions"]
    shell.CustomTB = _STATE["custom_tb"]
    if list(shell.ast_transformers) != _STATE["ast_transformers"]:
        undone.append("AST transformers")
    shell.ast_transformers = list(_STATE["ast_transformers"])
    if (list(shell.input_transformers_post) != _STATE["input_post"]
            or list(shell.input_transformers_cleanup) != _STATE["input_cleanup"]
            or shell.input_transformer_manager is not _STATE["manager"]
            or any(list(getattr(_STATE["manager"], name)) != value
                   for name, value in _STATE["manager_lists"].items())):
        undone.append("input transformers")
    shell.input_transformers_post = list(_STATE["input_post"])
    shell.input_transformer_manager = _STATE["manager"]
    for name, value in _STATE["manager_lists"].items():
        setattr(_STATE["manager"], name, list(value))
    events = {name: list(callbacks) for name, callbacks in shell.events.callbacks.items()}
    if events != _STATE["events"]:
        undone.append("IPython event callbacks")
    shell.events.callbacks = {name: list(callbacks) for name, callbacks in
                              _STATE["events"].items()}
    if (shell.user_ns is not _STATE["user_ns"]
            or shell.user_global_ns is not _STATE["user_global_ns"]):
        undone.append("replaced user namespace")
        shell.user_ns = _STATE["user_ns"]
        shell.user_global_ns = _STATE["user_global_ns"]


def _restore_process(undone: list) -> None:
    if sys.excepthook is not _STATE["excepthook"]:
        undone.append("sys.excepthook")
        sys.excepthook = _STATE["excepthook"]
    if sys.displayhook is not _STATE["displayhook"]:
        undone.append("sys.displayhook")
        sys.displayhook = _STATE["displayhook"]
    if sys.gettrace() is not None or sys.getprofile() is not None:
        undone.append("trace or profile function")
    sys.settrace(None)
    sys.setprofile(None)
    threading.settrace(None)
    threading.setprofile(None)
    current = vars(builtins)
    changed = [name for name in set(current) | set(_STATE["builtins"])
               if name not in ("_", "__", "___")
               and current.get(name, None) is not _STATE["builtins"].get(name, None)]
    for name in changed:
        if name in _STATE["builtins"]:
            current[name] = _STATE["builtins"][name]
        else:
            del current[name]
    if changed:
        undone.append(f"builtins ({', '.join(sorted(changed)[:5])})")
    for signum, handler in _STATE["signals"].items():
        try:
            if signal.getsignal(signum) is not handler:
                signal.signal(signum, handler)
                undone.append(f"signal handler {signal.Signals(signum).name}")
        except (OSError, ValueError, TypeError):
            continue
    signal.alarm(0)
    signal.setitimer(signal.ITIMER_REAL, 0)
    extra = [t.name for t in threading.enumerate()
             if t.ident not in _STATE["threads"] and _foreign(t)]
    if extra:
        undone.append(f"threads left running ({len(extra)}): cannot be stopped")


_OWN = ("ipykernel", "IPython", "zmq", "jupyter_client", "tornado", "asyncio", "threading",
        "concurrent", "comm", "traitlets", "debugpy", "_pydev")


def _foreign(thread) -> bool:
    """Whether a thread was started by the submission rather than by the kernel's own machinery."""
    target = getattr(thread, "_target", None)
    module = getattr(target, "__module__", None) or type(thread).__module__ or ""
    return not module.startswith(_OWN)


def _fresh_names(shell, undone: list) -> None:
    ns = shell.user_ns
    if ns.get("__builtins__") is not builtins:
        undone.append("replaced __builtins__")
        ns["__builtins__"] = builtins
    first = _STATE["user_ns0"]
    shadows = [name for name in ns if name in _STATE["builtins"] and not name.startswith("_")
               and ns[name] is not _STATE["builtins"][name]
               and not (name in first and ns[name] is first[name])]
    for name in shadows:
        del ns[name]
    if shadows:
        undone.append(f"names shadowing builtins ({', '.join(sorted(shadows)[:5])})")
    for name in [m for m in sys.modules if m == "alliancekit" or m.startswith("alliancekit.")]:
        if name != __name__:
            del sys.modules[name]
    fresh = importlib.import_module("alliancekit")
    checks = importlib.import_module("alliancekit.checks")
    for name, value in _STATE["setup_names"].items():
        module = getattr(value, "__name__", None) if isinstance(value, type(sys)) else None
        if module == "alliancekit" or (module or "").startswith("alliancekit."):
            value = importlib.import_module(module)
        elif getattr(value, "__module__", None) == "alliancekit.checks" and hasattr(checks, name):
            value = getattr(checks, name)
        ns[name] = value
    if "ak" in ns and ns["ak"] is not fresh and getattr(ns["ak"], "__name__", "") == "alliancekit":
        ns["ak"] = fresh


def reset() -> str:
    """Put the kernel back as :func:`arm` recorded it; say what had to be undone.

    Returns
    -------
    str
        The token of :func:`arm`, a newline, then one line per thing undone (none when the
        submission left the kernel alone).

    Raises
    ------
    RuntimeError
        If :func:`arm` has not run in this kernel (the grader then fails the test).
    """
    if "classes" not in _STATE:
        raise RuntimeError("fairplay.reset called before arm: the kernel was tampered with")
    shell = _shell()
    undone: list = []
    _restore_classes(undone)
    _restore_process(undone)
    _restore_shell(shell, undone)
    _fresh_names(shell, undone)
    return "\n".join([_TOKEN, *undone])
