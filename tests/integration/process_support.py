"""Stopping a server a test started, by its own process group and nothing else."""
from __future__ import annotations

import os
import signal
import subprocess


def stop_process_group(process: subprocess.Popen, *, grace: float = 30.0) -> None:
    """Stop the process group a test started with ``start_new_session=True``.

    Sends SIGTERM to the group, waits up to ``grace`` seconds for its leader to exit, then sends
    SIGKILL. Only the test's own group is signalled; a process that has already exited is left.

    Parameters
    ----------
    process
        The group's leader, started by the test in a new session (so its PID is the group's).
    grace
        Seconds to wait after SIGTERM before SIGKILL.
    """
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
