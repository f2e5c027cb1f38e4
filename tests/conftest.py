"""Shared test set-up: the venv on PATH, a steadier nbclient, and the project root.

Fixtures that belong to one area live in that area's test module; only shared ones are here.
"""
from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# nbgrader shells out to `alembic`, and notebooks start `python -m ipykernel`: both must come
# from this environment, whatever PATH the caller had.
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
# Kernels started by tests must not try to reach the network for anything.
os.environ.setdefault("MPLBACKEND", "Agg")


def _patch_zmq_get_msg() -> None:
    """Poll kernel channels in short slices (works around jupyter/nbclient#312).

    Widget notebooks sometimes stall under nbclient until the whole cell timeout runs out, then
    pass anyway. Waiting in 0.25 s slices up to the same deadline removed the stall here (see
    PITFALLS.md). The deadline and the Empty error on time-out are unchanged.
    """
    from queue import Empty

    from jupyter_client.channels import AsyncZMQSocketChannel

    if getattr(AsyncZMQSocketChannel.get_msg, "_alliancekit_sliced", False):
        return
    original = AsyncZMQSocketChannel.get_msg

    async def get_msg(self, timeout=None):
        if timeout is None:
            return await original(self, timeout=None)
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Empty
            try:
                return await original(self, timeout=min(0.25, remaining))
            except Empty:
                await asyncio.sleep(0)

    get_msg._alliancekit_sliced = True
    AsyncZMQSocketChannel.get_msg = get_msg


_patch_zmq_get_msg()


@pytest.fixture(scope="session")
def project_root() -> Path:
    """The repository root (where pyproject.toml lives)."""
    return ROOT
