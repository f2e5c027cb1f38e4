"""Shared test set-up: the venv on PATH and the project root.

Fixtures that belong to one area live in that area's test module; only shared ones are here.
"""
from __future__ import annotations

import importlib
import os
import shutil
import sys
from pathlib import Path

import pytest

from alliancekit._env import put_on_path

ROOT = Path(__file__).resolve().parents[1]

# nbgrader shells out to `alembic`, and notebooks start `python -m ipykernel`: both must come
# from this environment, whatever PATH the caller had.
put_on_path()
# Kernels started by tests must not try to reach the network for anything.
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def project_root() -> Path:
    """The repository root (where pyproject.toml lives)."""
    return ROOT


@pytest.fixture(scope="session")
def load_script():
    """Import a module of ``scripts/`` by name (e.g. ``load_script("build_data")``), with
    ``scripts/`` on ``sys.path`` as ``python scripts/<name>.py`` has it."""
    folder = str(ROOT / "scripts")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module


#: What ``tasks.py test --wheelhouse DIR`` (an install with no network) cannot bring: Debian and npm
#: packages. Each entry: what it is, whether this machine has it anyway, and the test files that
#: need it. Offline (ALLIANCEKIT_OFFLINE, set by tasks.py), those tests skip with that reason when
#: it is missing; online they behave as always. The grading tests other than the hostile ones fall
#: back to grading without the sandbox outside CI, as they do online.
OFFLINE_NEEDS = (
    ("Chromium (Debian's 'chromium' package)", lambda: Path("/usr/bin/chromium").exists(),
     ("test_browser.py", "test_explorer_screens.py", "test_hub.py", "test_site.py")),
    ("bubblewrap (Debian's 'bubblewrap' package)", lambda: bool(shutil.which("bwrap")),
     ("test_grading_hostile.py",)),
    ("MathJax from npm (_build/npm)",
     lambda: (ROOT / "_build" / "npm" / "node_modules" / "mathjax").is_dir(), ("test_site.py",)),
    ("node, npm and configurable-http-proxy from npm", lambda: bool(shutil.which("npm")),
     ("test_hub.py",)),
    ("the network to PyPI (it builds a wheelhouse)", lambda: False, ("test_offline.py",)),
)


def offline_skip_reasons() -> dict[str, str]:
    """Test file name -> why it skips on an offline install here ({} when all it needs is here)."""
    reasons: dict[str, str] = {}
    for what, have, files in OFFLINE_NEEDS:
        if have():
            continue
        for name in files:
            reasons.setdefault(name, f"offline install (tasks.py test --wheelhouse): needs {what}, "
                                     "which a wheelhouse cannot carry")
    return reasons


def pytest_collection_modifyitems(config, items):
    if not os.environ.get("ALLIANCEKIT_OFFLINE"):
        return
    reasons = offline_skip_reasons()
    for item in items:
        reason = reasons.get(item.path.name)
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))
