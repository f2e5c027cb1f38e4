"""The two calls the grader makes inside a student's sandboxed kernel: hand over answers, call one.

The grader reaches these through ``user_expressions`` of an empty, silent execute request. Both
return one ASCII string made by `alliancekit.grading.plaindata.pack`; nothing else leaves the
kernel on the grader's request, and nothing the grader sends in is test code:

- :func:`answers` encodes the named values of the student's namespace (a function becomes a
  marker, a missing name another marker, a value that cannot travel a note saying why);
- :func:`call` decodes plain arguments, calls one of the student's functions with them and encodes
  the result (or the name and message of the exception it raised).

Nothing here is trusted. A submission may replace this module, its encoder or the kernel's reply
path; whatever comes back is only text, which the judge decodes strictly and checks itself.
"""
from __future__ import annotations

import types

from alliancekit.grading import plaindata

__all__ = ["answers", "call"]

_CALLABLE = (types.FunctionType, types.BuiltinFunctionType, types.MethodType)


def _namespace() -> dict:
    from IPython import get_ipython

    shell = get_ipython()
    return shell.user_ns if shell is not None else {}


def _node(value):
    if isinstance(value, _CALLABLE) or (callable(value) and type(value).__name__ == "partial"):
        return plaindata.FUNCTION
    try:
        return plaindata.encode(value)
    except plaindata.PlainDataError as exc:
        return {"t": "unreadable", "why": str(exc)[:300]}
    except RecursionError:
        return {"t": "unreadable", "why": "the value is nested too deeply"}


def answers(names: list, limit: int = plaindata.MAX_BYTES) -> str:
    """Encode the named values of the student's namespace as plain data.

    Parameters
    ----------
    names : list of str
        The answer names a test reads.
    limit : int
        Largest result in characters; over it, every value is replaced by a note saying so.

    Returns
    -------
    str
        Text made by `alliancekit.grading.plaindata.pack`.
    """
    ns = _namespace()
    nodes = {name: _node(ns[name]) if name in ns else plaindata.MISSING for name in names}
    try:
        return plaindata.pack(nodes, limit)
    except plaindata.PlainDataError as exc:
        return plaindata.pack({name: {"t": "unreadable", "why": str(exc)} for name in names})


def call(name: str, payload: str, limit: int = plaindata.MAX_BYTES) -> str:
    """Call the student's function ``name`` with plain arguments; return its plain result.

    Parameters
    ----------
    name : str
        The function's name in the student's namespace.
    payload : str
        ``pack({"args": ..., "kwargs": ...})`` from the judge.
    limit : int
        Largest result in characters.

    Returns
    -------
    str
        ``pack({"ok": node})``, or ``pack({"raised": [exception name, message]})``.
    """
    nodes = plaindata.unpack(payload)
    args = plaindata.decode(nodes["args"])
    kwargs = plaindata.decode(nodes["kwargs"])
    function = _namespace().get(name)
    try:
        if function is None:
            raise NameError(f"name {name!r} is not defined")
        result = {"ok": _node(function(*args, **kwargs))}
    except Exception as exc:  # the student's error goes back to the judge by name and message
        result = {"raised": [type(exc).__name__, str(exc)[:1000]]}
    try:
        return plaindata.pack(result, limit)
    except plaindata.PlainDataError as exc:
        return plaindata.pack({"ok": {"t": "unreadable", "why": str(exc)}})
