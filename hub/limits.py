"""Per-user memory and CPU limits for servers started by JupyterHub's LocalProcessSpawner.

JupyterHub's ``Spawner.mem_limit`` and ``Spawner.cpu_limit`` are only *advice* for the default
``LocalProcessSpawner`` (they are passed on as ``MEM_LIMIT``/``CPU_LIMIT`` variables). This module
enforces them with Linux control groups: before a user's server drops root privileges, it moves
itself into a cgroup of its own, ``alliancekit-<user>``, whose memory and CPU quota are set from
those two settings; every kernel and terminal the server starts inherits the cgroup, so the limits
hold for the whole user. Both cgroup v2 (``memory.max``, ``cpu.max``) and v1
(``memory.limit_in_bytes``, ``cpu.cfs_quota_us``) are supported. Where no writable cgroup
hierarchy exists (or the hub does not run as root), the spawner logs a warning and starts the
server without limits; on a systemd machine, ``jupyterhub-systemdspawner`` is the alternative.
"""
from __future__ import annotations

import os
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner
from ports import PortPool

CGROUP_ROOT = Path("/sys/fs/cgroup")
CPU_PERIOD_US = 100_000


def _own_cgroup(controller: str | None) -> str:
    """This process's cgroup path in the hierarchy of ``controller`` (None: the v2 hierarchy)."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        names = controllers.split(",") if controllers else []
        if (controller is None and not controllers) or (controller in names):
            return path.lstrip("/")
    return ""


def _v2_base() -> Path | None:
    for base in (CGROUP_ROOT, CGROUP_ROOT / "unified"):
        controllers = base / "cgroup.controllers"
        if controllers.exists() and {"memory", "cpu"} <= set(controllers.read_text().split()):
            return base / _own_cgroup(None)
    return None


def create_user_cgroups(user: str, mem_bytes: int | None, cpus: float | None) -> list[Path]:
    """Create (or update) the cgroups of ``user`` and set its memory and CPU limits.

    Parameters
    ----------
    user : str
        The JupyterHub user name (the cgroup is ``alliancekit-<user>``).
    mem_bytes : int or None
        Memory limit in bytes (None or 0: no limit).
    cpus : float or None
        CPU limit in cores, e.g. 1.0 for one core's worth of time (None or 0: no limit).

    Returns
    -------
    list of Path
        The ``cgroup.procs`` files the server must write its PID into (empty when cgroups are not
        usable here).
    """
    name = f"alliancekit-{user}"
    v2 = _v2_base()
    if v2 is not None:
        parent = v2
        enabled = (parent / "cgroup.subtree_control").read_text().split()
        if not {"memory", "cpu"} <= set(enabled):
            (parent / "cgroup.subtree_control").write_text("+memory +cpu")
        group = parent / name
        group.mkdir(exist_ok=True)
        (group / "memory.max").write_text(str(mem_bytes) if mem_bytes else "max")
        quota = f"{int(cpus * CPU_PERIOD_US)} {CPU_PERIOD_US}" if cpus else f"max {CPU_PERIOD_US}"
        (group / "cpu.max").write_text(quota)
        return [group / "cgroup.procs"]
    memory = CGROUP_ROOT / "memory"
    cpu = CGROUP_ROOT / "cpu"
    if not (memory / "memory.limit_in_bytes").exists() or not (cpu / "cpu.cfs_quota_us").exists():
        raise OSError("no cgroup v2 hierarchy with the memory and cpu controllers, and no v1 "
                      "memory and cpu hierarchies, under /sys/fs/cgroup")
    mem_group = memory / _own_cgroup("memory") / name
    cpu_group = cpu / _own_cgroup("cpu") / name
    mem_group.mkdir(exist_ok=True)
    cpu_group.mkdir(exist_ok=True)
    (mem_group / "memory.limit_in_bytes").write_text(str(mem_bytes) if mem_bytes else "-1")
    (cpu_group / "cpu.cfs_period_us").write_text(str(CPU_PERIOD_US))
    (cpu_group / "cpu.cfs_quota_us").write_text(str(int(cpus * CPU_PERIOD_US)) if cpus else "-1")
    return [mem_group / "cgroup.procs", cpu_group / "cgroup.procs"]


def remove_user_cgroups(procs_files: list[Path]) -> None:
    """Remove the cgroups whose ``cgroup.procs`` files are given, once no process is left in them.

    Parameters
    ----------
    procs_files : list of Path
        As returned by :func:`create_user_cgroups`.
    """
    for procs in procs_files:
        try:
            if not procs.read_text().split():
                procs.parent.rmdir()
        except OSError:
            pass  # still in use (a process lingers) or already gone: leave it


class LimitedLocalProcessSpawner(LocalProcessSpawner):
    """``LocalProcessSpawner`` that enforces ``mem_limit`` and ``cpu_limit`` with cgroups."""

    _cgroup_procs: list = []
    #: One pool for every student's server of this hub (the hub is one process): see ports.py.
    ports = PortPool()

    async def start(self):
        self._cgroup_procs = []
        self.ports.release(self.port)
        self.port = self.ports.claim()
        if os.geteuid() == 0 and (self.mem_limit or self.cpu_limit):
            try:
                self._cgroup_procs = create_user_cgroups(self.user.name, self.mem_limit,
                                                         self.cpu_limit)
            except OSError as err:
                self.log.warning("No memory/CPU limits for %s: %s", self.user.name, err)
        return await super().start()

    def make_preexec_fn(self, name):
        drop_privileges = super().make_preexec_fn(name)
        procs_files = [str(p) for p in self._cgroup_procs]

        def preexec():
            # Runs in the child between fork and exec, still as root: join the user's cgroups,
            # then become the user (the parent's preexec_fn does that).
            pid = str(os.getpid())
            for procs in procs_files:
                with open(procs, "w") as handle:
                    handle.write(pid)
            drop_privileges()

        return preexec

    async def stop(self, now=False):
        await super().stop(now=now)
        remove_user_cgroups(self._cgroup_procs)
        self.ports.release(self.port)
