"""What a process inherits from its parent that a same-uid process can change from outside.

The kernels' parent (`alliancekit.grading.kernelserver`) runs under the same uid as the kernels it
forks, so a kernel may lower its parent's resource limits (``prlimit``), raise its niceness, pin it
to one CPU, or change its CPU or I/O scheduling, and every later kernel forked from it would inherit
that: one submission could make every later one on its worker fail or crawl. None of these can be
undone from inside the sandbox (raising a hard limit needs a capability it does not have), so the
parent takes `process_settings` when it starts and compares them (`changed`) after each kernel
ends; any change makes it report itself unclean, and the grader starts a new sandbox.
"""
from __future__ import annotations

import ctypes
import os
import platform
import resource

__all__ = ["process_settings", "changed"]

#: ``ioprio_get`` system call number, by machine (no Python wrapper exists).
_IOPRIO_GET = {"x86_64": 252, "aarch64": 31}
_IOPRIO_WHO_PROCESS = 1


def _io_priority() -> int | None:
    number = _IOPRIO_GET.get(platform.machine())
    if number is None:
        return None
    try:
        return int(ctypes.CDLL(None, use_errno=True).syscall(number, _IOPRIO_WHO_PROCESS, 0))
    except (OSError, AttributeError):
        return None


def _oom_score_adj() -> str | None:
    try:
        with open("/proc/self/oom_score_adj") as handle:
            return handle.read().strip()
    except OSError:
        return None


def process_settings() -> dict[str, object]:
    """This process's resource limits, niceness, CPUs, CPU and I/O scheduling and OOM score.

    Returns
    -------
    dict
        One entry per setting, by name (``RLIMIT_NOFILE``, ``nice``, ``cpus``, ...), each a plain
        value that compares equal when the setting is the same.
    """
    limits: dict[int, str] = {}  # one name per limit (RLIMIT_OFILE is RLIMIT_NOFILE's alias)
    for name in sorted(dir(resource)):
        if name.startswith("RLIMIT_"):
            limits.setdefault(getattr(resource, name), name)
    settings: dict[str, object] = {name: resource.getrlimit(number)
                                   for number, name in limits.items()}
    settings["nice"] = os.getpriority(os.PRIO_PROCESS, 0)
    settings["cpus"] = tuple(sorted(os.sched_getaffinity(0)))
    settings["scheduler"] = (os.sched_getscheduler(0), os.sched_getparam(0).sched_priority)
    settings["io priority"] = _io_priority()
    settings["oom score"] = _oom_score_adj()
    return settings


def changed(before: dict[str, object], after: dict[str, object]) -> list[str]:
    """The names of the settings that differ between two `process_settings` results.

    Parameters
    ----------
    before, after : dict
        Two results of `process_settings`, the earlier first.

    Returns
    -------
    list of str
        Sorted names; empty when nothing changed.
    """
    return sorted(name for name in before.keys() | after.keys()
                  if before.get(name) != after.get(name))
