"""What a spare kernel does before a student asks for it: the lessons' first-time work (issue 24).

``alliancekit._warmkernel`` starts one spare kernel per student's hub server and runs
:func:`warm_up` in it, silently, so that the first cells of a lesson find pandas, altair,
ipywidgets, the course's data and vl-convert's renderer already loaded. On a hub whose servers
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
    """Import :data:`MODULES`, read the first lesson's case data and draw one small chart.

    The chart is drawn through the course's renderer, which starts vl-convert's JavaScript
    runtime (about half a second the first time in a process). Nothing is returned or shown.
    """
    for name in MODULES:
        importlib.import_module(name)
    cohesion = importlib.import_module("alliancekit.cohesion")
    cohesion.scenario("little_entente")
    render = importlib.import_module("alliancekit.render")
    altair = importlib.import_module("altair")
    tiny = altair.Chart(altair.Data(values=[{"x": 0}])).mark_point().encode(x="x:Q")
    render.to_svg(tiny)


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
