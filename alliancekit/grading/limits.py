"""Hard limits on a whole submission, not on each of its processes: cgroups, a seccomp filter.

``RLIMIT_DATA`` (set by `alliancekit.grading._jail`) bounds each process's private memory only:
several processes together, shared mappings, files in ``/dev/shm`` or ``/tmp`` and ``memfd``
pages all escape it. A memory cgroup charges every page of every process in it, those included.
Here each submission's sandbox is started inside a cgroup of its own:

- on a unified tree (cgroup v2): ``memory.max`` (with ``memory.swap.max`` = 0) and ``pids.max``;
- on a hybrid or legacy host (cgroup v1, as on the course's grading machines):
  ``memory.limit_in_bytes`` (and ``memory.memsw.limit_in_bytes`` where swap accounting is on) and
  ``pids.max`` in the ``pids`` hierarchy.

The cgroup is made under the grader's own cgroup, named ``alliancekit-grade-<pid>-<n>``, entered by
the sandbox's first process before it starts anything (so every later process is in it), and
removed after grading, its processes killed first, also when the kernel died. When the kernel's
out-of-memory killer struck inside it, `SubmissionCgroup.oom_kills` says so.

Where no cgroup can be had (an ordinary user without a delegated cgroup, as on these machines),
`cgroup_problem` says why and `rlimit_bound` says what is enforced instead, which
``alliancekit-grade`` prints once per run.

`userns_filter` is a seccomp program (classic BPF) that refuses new user namespaces (``unshare``
and ``clone`` with ``CLONE_NEWUSER``; ``clone3`` answers "not implemented", so that the C library
falls back to ``clone``), and the kernel's keyrings (``add_key``, ``request_key``, ``keyctl``:
a uid's keys outlive the sandbox and are seen by the next kernel under that uid). Bubblewrap
loads it (``--seccomp``) before it starts the kernel.
"""
from __future__ import annotations

import errno
import itertools
import os
import platform
import signal
import struct
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CgroupPlan", "plan_cgroups", "find_cgroups", "cgroup_problem", "rlimit_bound",
           "prepare_run", "SubmissionCgroup", "userns_filter", "sweep_stale", "PREFIX"]

PREFIX = "alliancekit-grade-"
_ROOT = Path("/sys/fs/cgroup")
_COUNTER = itertools.count(1)
_LIVE: dict[str, "SubmissionCgroup"] = {}


@dataclass(frozen=True)
class CgroupPlan:
    """Where this process may make cgroups for its submissions.

    Attributes
    ----------
    version : int
        2 for a unified tree, 1 for v1 hierarchies, 0 when none can be had.
    memory : str
        The folder to make the memory cgroup in (v2: the one folder for both controllers).
    pids : str
        The folder to make the pids cgroup in (v1 only; empty on v2 or when absent).
    problem : str
        Why no cgroup can be had (empty when one can).
    """

    version: int
    memory: str = ""
    pids: str = ""
    problem: str = ""


def plan_cgroups(proc_cgroup: str, mountinfo: str) -> CgroupPlan:
    """Work out, from ``/proc/self/cgroup`` and ``/proc/self/mountinfo``, where cgroups would go.

    Parameters
    ----------
    proc_cgroup : str
        The text of ``/proc/self/cgroup`` (lines ``id:controllers:path``).
    mountinfo : str
        The text of ``/proc/self/mountinfo``.

    Returns
    -------
    CgroupPlan
        The folders for a v2 cgroup (when the memory controller is on the unified tree) or for v1
        memory and pids cgroups; version 0 with the reason when neither exists. Writability is
        not checked here (see `find_cgroups`).
    """
    mounts: dict[str, str] = {}  # "cgroup2" or a v1 controller -> mount point
    for line in mountinfo.splitlines():
        left, _, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if len(fields) < 5 or len(tail) < 3:
            continue
        point, fstype, options = fields[4], tail[0], tail[2].split(",")
        if fstype == "cgroup2":
            mounts.setdefault("cgroup2", point)
        elif fstype == "cgroup":
            for name in ("memory", "pids"):
                if name in options:
                    mounts.setdefault(name, point)
    paths: dict[str, str] = {}
    for line in proc_cgroup.splitlines():
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        _, controllers, path = parts
        if controllers == "":
            paths["cgroup2"] = path
        for name in controllers.split(","):
            if name in ("memory", "pids"):
                paths[name] = path
    if "memory" in mounts and "memory" in paths:
        memory = _join(mounts["memory"], paths["memory"])
        pids = _join(mounts["pids"], paths["pids"]) if "pids" in mounts and "pids" in paths else ""
        return CgroupPlan(1, memory=memory, pids=pids)
    if "cgroup2" in mounts and "cgroup2" in paths:
        return CgroupPlan(2, memory=_join(mounts["cgroup2"], paths["cgroup2"]))
    return CgroupPlan(0, problem="this system mounts no memory cgroup")


def _join(mount: str, path: str) -> str:
    return str(Path(mount) / path.lstrip("/"))


def find_cgroups() -> CgroupPlan:
    """Where this process can make per-submission cgroups, checked on this machine.

    Returns
    -------
    CgroupPlan
        Version 0, with the reason in words, when the folders are missing or not writable by this
        user (no delegation), or when a v2 memory controller cannot be enabled for children.
    """
    try:
        plan = plan_cgroups(Path("/proc/self/cgroup").read_text(),
                            Path("/proc/self/mountinfo").read_text())
    except OSError as exc:
        return CgroupPlan(0, problem=f"cgroups cannot be read here ({exc})")
    if plan.version == 0:
        return plan
    if not os.access(plan.memory, os.W_OK):
        return CgroupPlan(0, problem=f"this user may not make cgroups in {plan.memory} "
                          "(no delegated cgroup; grade as root, or ask for cgroup delegation)")
    if plan.version == 2:
        controllers = _read(Path(plan.memory) / "cgroup.controllers").split()
        if "memory" not in controllers:
            return CgroupPlan(0, problem=f"the memory controller is not delegated to {plan.memory}")
        enabled = _read(Path(plan.memory) / "cgroup.subtree_control").split()
        for name in ("memory", "pids"):
            if name in controllers and name not in enabled:
                try:
                    _write(Path(plan.memory) / "cgroup.subtree_control", f"+{name}")
                except OSError as exc:
                    if name == "memory":
                        return CgroupPlan(0, problem="the memory controller cannot be enabled "
                                          f"below {plan.memory} ({exc.strerror})")
    if plan.pids and not os.access(plan.pids, os.W_OK):
        plan = CgroupPlan(1, memory=plan.memory)
    return plan


def cgroup_problem() -> str | None:
    """Why no per-submission memory cgroup can be made here, or None when one can."""
    plan = find_cgroups()
    return plan.problem or None


def rlimit_bound(memory_mb: int, processes: int, disk_mb: int) -> str:
    """In words, the memory bound actually enforced on a submission when no cgroup can be had.

    Parameters
    ----------
    memory_mb : int
        ``RLIMIT_DATA`` of each process, in MiB.
    processes : int
        ``RLIMIT_NPROC``: processes and threads at once.
    disk_mb : int
        Size of each in-memory folder (``/tmp`` and the home), in MiB.
    """
    return (f"each process of a submission is held to {memory_mb} MiB of private memory "
            f"(RLIMIT_DATA) and a submission to {processes} processes and threads, so together "
            f"up to {memory_mb * processes} MiB; its files in /tmp and its home take up to "
            f"{2 * disk_mb} MiB more, /dev/shm 16 MiB; shared mappings and memfd are NOT bounded")


def prepare_run(memory_mb: int, processes: int, disk_mb: int) -> CgroupPlan:
    """Once per grading run: sweep stale cgroups, or say which bound holds when none can be made.

    Parameters
    ----------
    memory_mb, processes, disk_mb : int
        The run's limits (see `rlimit_bound`).

    Returns
    -------
    CgroupPlan
        Where this run's cgroups go (version 0 when nowhere; the bound was then printed to stderr).
    """
    import atexit
    import sys

    plan = find_cgroups()
    if plan.version:
        sweep_stale(plan)
        atexit.register(remove_all_live)
    else:
        print(f"alliancekit-grade: no memory cgroup for submissions here ({plan.problem}). "
              f"Bound actually enforced: {rlimit_bound(memory_mb, processes, disk_mb)}.",
              file=sys.stderr)
    return plan


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _write(path: Path, text: str) -> None:
    with open(path, "w") as handle:
        handle.write(text)


class SubmissionCgroup:
    """The cgroup(s) holding one submission's sandbox: made, entered, watched, emptied, removed.

    Parameters
    ----------
    plan : CgroupPlan
        From `find_cgroups` (version 1 or 2).
    memory_bytes : int
        Memory of all the submission's processes together, tmpfs and shared memory included.
    pids : int
        Processes and threads of the submission together.
    """

    def __init__(self, plan: CgroupPlan, memory_bytes: int, pids: int):
        if plan.version not in (1, 2):
            raise ValueError(f"plan must be a cgroup v1 or v2 plan, got version {plan.version}")
        self.name = f"{PREFIX}{os.getpid()}-{next(_COUNTER)}"
        self.version = plan.version
        self.folders: list[Path] = []
        self.memory_bytes = int(memory_bytes)
        try:
            memory = Path(plan.memory) / self.name
            memory.mkdir()
            self.folders.append(memory)
            if plan.version == 2:
                _write(memory / "memory.max", str(self.memory_bytes))
                if (memory / "memory.swap.max").exists():
                    _write(memory / "memory.swap.max", "0")
                if (memory / "pids.max").exists():
                    _write(memory / "pids.max", str(int(pids)))
            else:
                _write(memory / "memory.limit_in_bytes", str(self.memory_bytes))
                if (memory / "memory.memsw.limit_in_bytes").exists():
                    _write(memory / "memory.memsw.limit_in_bytes", str(self.memory_bytes))
                if plan.pids:
                    folder = Path(plan.pids) / self.name
                    folder.mkdir()
                    self.folders.append(folder)
                    _write(folder / "pids.max", str(int(pids)))
        except OSError:
            self.remove()
            raise
        _LIVE[self.name] = self

    def procs_files(self) -> list[str]:
        """The ``cgroup.procs`` files a process writes its pid to, to enter every hierarchy."""
        return [str(folder / "cgroup.procs") for folder in self.folders]

    def wrap(self, command: list[str]) -> list[str]:
        """``command`` run by a shell that first moves itself into the cgroup(s), then execs it."""
        files = self.procs_files()
        script = " && ".join(f'echo $$ > "${i + 1}"' for i in range(len(files)))
        return ["/bin/sh", "-c", f'{script} && shift {len(files)} && exec "$@"', "ak-cgroup",
                *files, *command]

    def processes(self) -> list[int]:
        """Pids now in the cgroup."""
        if not self.folders:
            return []
        return [int(p) for p in _read(self.folders[0] / "cgroup.procs").split()]

    def oom_kills(self) -> int:
        """How many processes the out-of-memory killer killed in the cgroup (0 if none)."""
        if not self.folders:
            return 0
        memory = self.folders[0]
        text = _read(memory / ("memory.events" if self.version == 2 else "memory.oom_control"))
        for line in text.splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill":
                return int(value)
        return 0

    def kill_all(self, seconds: float = 5.0) -> None:
        """Kill every process in the cgroup and wait (up to ``seconds``) until it is empty."""
        if not self.folders:
            return
        kill = self.folders[0] / "cgroup.kill"
        if self.version == 2 and kill.exists():
            try:
                _write(kill, "1")
            except OSError:
                pass
        deadline = time.monotonic() + seconds
        while True:
            pids = self.processes()
            if not pids or time.monotonic() > deadline:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.02)

    def remove(self) -> None:
        """Kill what is left in the cgroup, then remove it (idempotent)."""
        self.kill_all()
        for folder in reversed(self.folders):
            for _ in range(50):
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError as exc:
                    if exc.errno != errno.EBUSY:
                        break
                    time.sleep(0.02)
        self.folders = []
        _LIVE.pop(self.name, None)


def remove_all_live() -> None:
    """Remove the cgroups this process made and has not removed yet (at exit)."""
    for group in list(_LIVE.values()):
        group.remove()


def sweep_stale(plan: CgroupPlan) -> list[str]:
    """Remove empty cgroups left by grading processes that no longer exist; return their names."""
    removed = []
    for parent in (plan.memory, plan.pids):
        if not parent or not Path(parent).is_dir():
            continue
        for folder in Path(parent).glob(f"{PREFIX}*"):
            owner = folder.name[len(PREFIX):].split("-")[0]
            if not owner.isdigit() or Path(f"/proc/{owner}").exists():
                continue
            try:
                for pid in _read(folder / "cgroup.procs").split():
                    os.kill(int(pid), signal.SIGKILL)
                folder.rmdir()
                removed.append(folder.name)
            except OSError:
                pass
    return removed


# --------------------------------------------------------------------------------------------
# seccomp: no new user namespaces inside the sandbox
# --------------------------------------------------------------------------------------------
_LD_ABS, _JEQ, _JGE, _JSET, _RET = 0x20, 0x15, 0x35, 0x45, 0x06
_ALLOW, _ERRNO = 0x7FFF0000, 0x00050000
_CLONE_NEWUSER = 0x10000000
#: machine -> (AUDIT_ARCH value, unshare, clone, clone3, (add_key, request_key, keyctl))
_ARCH = {"x86_64": (0xC000003E, 272, 56, 435, (248, 249, 250)),
         "aarch64": (0xC00000B7, 97, 220, 435, (217, 218, 219))}


def userns_filter(machine: str | None = None) -> bytes | None:
    """A seccomp program (``struct sock_filter`` array): no new user namespace, no keyring.

    Parameters
    ----------
    machine : str, optional
        ``platform.machine()`` of the target; default this machine's.

    Returns
    -------
    bytes or None
        The program for bubblewrap's ``--seccomp``, or None on an architecture it does not know.
        ``unshare`` or ``clone`` with ``CLONE_NEWUSER`` fail with EPERM, ``clone3`` with ENOSYS
        (its flags cannot be inspected; the C library then uses ``clone``), any other ABI
        (x32, 32-bit) with EPERM; so do ``add_key``, ``request_key`` and ``keyctl`` (the
        kernel's keyrings belong to a uid and outlive the sandbox: one kernel could leave keys
        for the next, and on the host); everything else is allowed.
    """
    arch = _ARCH.get(machine or platform.machine())
    if arch is None:
        return None
    audit, unshare, clone, clone3, (add_key, request_key, keyctl) = arch
    eperm, enosys = _ERRNO | errno.EPERM, _ERRNO | errno.ENOSYS
    program = [
        (_LD_ABS, 0, 0, 4),              # 0  A = arch
        (_JEQ, 1, 0, audit),             # 1  native ABI? skip the refusal
        (_RET, 0, 0, eperm),             # 2
        (_LD_ABS, 0, 0, 0),              # 3  A = syscall number
        (_JGE, 0, 1, 0x40000000),        # 4  x32 numbers
        (_RET, 0, 0, eperm),             # 5
        (_JEQ, 2, 0, add_key),           # 6  -> 9: the kernel's keyrings are shared by uid
        (_JEQ, 1, 0, request_key),       # 7  -> 9
        (_JEQ, 0, 1, keyctl),            # 8
        (_RET, 0, 0, eperm),             # 9
        (_JEQ, 0, 1, clone3),            # 10
        (_RET, 0, 0, enosys),            # 11
        (_JEQ, 2, 0, unshare),           # 12 -> 15
        (_JEQ, 1, 0, clone),             # 13 -> 15
        (_RET, 0, 0, _ALLOW),            # 14
        (_LD_ABS, 0, 0, 16),             # 15 A = low word of the first argument (flags)
        (_JSET, 0, 1, _CLONE_NEWUSER),   # 16
        (_RET, 0, 0, eperm),             # 17
        (_RET, 0, 0, _ALLOW),            # 18
    ]
    return b"".join(struct.pack("<HBBI", *op) for op in program)
