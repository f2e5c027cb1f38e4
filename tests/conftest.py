"""Shared test set-up: the venv on PATH and the project root.

Fixtures that belong to one area live in that area's test module; only shared ones are here.
"""
from __future__ import annotations

import os
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
