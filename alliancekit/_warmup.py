"""What a spare kernel does before a student asks for it: the lessons' first-time work (issue 24).

``alliancekit._warmkernel`` starts one spare kernel per student's hub server and runs
:func:`warm_up` in it, silently, so that the first cells of a lesson find pandas, altair,
ipywidgets and the course's data already loaded. On a hub whose servers
are started before class (``hub/prestart.py``) this work is done before the class begins, instead
of in the same minute for every student.

:func:`warm_up` binds no name in the student's namespace (it is called as
``__import__("alliancekit._warmup").._warmup.warm_up()``), prints nothing and displays nothing.
:func:`hand_over` runs when the spare is given to a notebook: it moves the kernel to the
notebook's folder and sets what a kernel started for that notebook would have had.
"""
from __future__ import annotations

import importlib
import os

#: Modules the lessons import in their first cells, heaviest first.
MODULES = ("pandas", "altair", "ipywidgets", "alliancekit", "alliancekit.charts",
           "alliancekit.widgets", "alliancekit.cohesion", "alliancekit.sensitivity")


def warm_up() -> None:
    """Import :data:`MODULES` and read the first lesson's case data; nothing is returned or shown.

    No chart is drawn: in a notebook the browser draws the charts (``render.live_frontend``), so
    vl-convert's renderer is not needed there.
    """
    for name in MODULES:
        importlib.import_module(name)
    cohesion = importlib.import_module("alliancekit.cohesion")
    cohesion.scenario("little_entente")


def hand_over(cwd: str, env: dict[str, str]) -> None:
    """Make this kernel look as if it had been started for a notebook in ``cwd``.

    Parameters
    ----------
    cwd : str
        The notebook's folder, an absolute path on the server's machine.
    env : dict of str to str
        Variables the server would have given a kernel started for this notebook (for example
        ``JPY_SESSION_NAME``, the notebook's path); each is set in ``os.environ``.
    """
    if not isinstance(cwd, str) or not os.path.isabs(cwd):
        raise ValueError(f"cwd must be an absolute path; got {cwd!r}")
    if not isinstance(env, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                            for k, v in env.items()):
        raise ValueError("env must map variable names (str) to values (str)")
    os.chdir(cwd)
    os.environ.update(env)
    session = env.get("JPY_SESSION_NAME")
    if session:
        # ipykernel sets this name at start-up from the same variable; do what it would have done.
        shell = _shell()
        if shell is not None:
            shell.user_ns["__session__"] = session


def _shell():
    """The running IPython shell, or None outside one."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()
