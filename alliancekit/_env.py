"""The one rule for running the course's tools from this environment: its ``bin/`` first on PATH.

nbgrader shells out to ``alembic`` and notebooks start ``python -m ipykernel``: both must come
from the environment the course runs in, whatever PATH the caller had. Tests, scripts and the
grading command use these two helpers instead of editing PATH themselves. (``tasks.py`` keeps its
own copy: it runs before the environment exists, with nothing but the standard library.)
"""
from __future__ import annotations

import os
import sys
from collections.abc import Mapping

__all__ = ["bin_dir", "environment", "put_on_path"]


def bin_dir() -> str:
    """The ``bin/`` (``Scripts\\`` on Windows) folder of the running interpreter's environment."""
    return os.path.dirname(sys.executable)


def environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """A copy of ``base`` (default: ``os.environ``) with `bin_dir` first on PATH, once."""
    env = dict(os.environ if base is None else base)
    path = env.get("PATH", "")
    if path.split(os.pathsep)[0] != bin_dir():
        env["PATH"] = bin_dir() + os.pathsep + path if path else bin_dir()
    return env


def put_on_path() -> None:
    """Put `bin_dir` first on this process's PATH (children inherit it)."""
    os.environ["PATH"] = environment()["PATH"]
