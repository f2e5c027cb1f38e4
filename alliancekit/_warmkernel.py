"""A student's hub server keeps one kernel warm for their first notebook (issue 24).

On the class hub, every student's first lesson cells pay the same first-time work in the same
minute: a kernel starting, then pandas, altair, ipywidgets and the course's data
(``benchmarks/bench_cold_cells.py``: about 1-2 s of CPU a student). Two cores cannot do that for
a class at once, and the cells queue (``benchmarks/bench_hub.py``).

``WarmKernelManager`` is jupyter_server's kernel manager with one addition: a few seconds after
the server starts, it starts one *spare* kernel and runs ``alliancekit._warmup.warm_up`` in it,
silently. The first time the student opens a notebook, the server hands that spare over instead of
starting a new kernel: it tells the kernel to move to the notebook's folder and to set the variables
a kernel started for that notebook would have had (``alliancekit._warmup.hand_over``), and the
student's cells run behind that message, in order. Later kernels start as usual: no new spare is
started, so after the first notebook a student's server does exactly what a plain one does.

When servers are started before class (``hub/prestart.py``), the warm-up happens then, spread
over the stagger, rather than when the class begins. When the whole class logs in at once instead,
a spare would only compete with the servers still starting (on two cores, 45 log-ins at once then
outlasted the hub's 120 s start timeout): the spare is therefore started only while the machine
has a core to spare (fewer runnable tasks than cores, ``machine_is_busy``); otherwise it is put
off, and if the student opens a notebook first, no spare is started at all.

The spare is the student's own process, under the student's own user, limits and environment
(their variant key included): nothing is shared between students. A spare that fails to start
or warm up is shut down and forgotten; the student then gets a kernel started as usual.

``hub/jupyterhub_config.py`` switches it on for students' servers with
``--ServerApp.kernel_manager_class=alliancekit._warmkernel.WarmKernelManager``.
"""
from __future__ import annotations

import asyncio
import json
import os
import statistics
from pathlib import Path

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.ioloop import IOLoop
from traitlets import Float

WARM_UP = "__import__('alliancekit._warmup')._warmup.warm_up()"


def runnable_tasks(stat: Path = Path("/proc/stat")) -> int:
    """Tasks runnable on the machine right now (``procs_running`` of ``/proc/stat``).

    Parameters
    ----------
    stat
        The kernel's statistics file; another path only in tests.

    Returns
    -------
    int
        The count, this process included; 0 where the file or the line is missing (the check
        then never finds the machine busy).
    """
    try:
        for line in stat.read_text().splitlines():
            if line.startswith("procs_running "):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def machine_is_busy(samples: list[int], cores: int, busy_at: float) -> bool:
    """Whether the machine has no core to spare, from a few samples of its runnable tasks.

    Parameters
    ----------
    samples
        Runnable tasks counted a fraction of a second apart (``runnable_tasks``), each including
        the process that counted; at least one.
    cores
        The machine's cores (at least 1).
    busy_at
        Runnable tasks per core, other than the counter, at which the machine counts as busy.

    Returns
    -------
    bool
        True when the median of the samples, less the counting process, reaches
        ``busy_at * cores``.
    """
    if not samples:
        raise ValueError("samples: give at least one count of runnable tasks")
    if cores < 1:
        raise ValueError(f"cores must be at least 1, got {cores}")
    return statistics.median(samples) - 1 >= busy_at * cores


def hand_over_code(cwd: str, env: dict[str, str]) -> str:
    """The code the server runs in its warm spare to hand it to a notebook.

    Parameters
    ----------
    cwd : str
        The notebook's folder (absolute path) the kernel moves to.
    env : dict of str to str
        The ``JPY_*`` variables a kernel started for that notebook would have had.

    Returns
    -------
    str
        One line of Python calling ``alliancekit._warmup.hand_over`` (also used by
        ``benchmarks/bench_cold_cells.py --warm``).
    """
    return ("__import__('alliancekit._warmup')._warmup.hand_over("
            f"{json.dumps(cwd)}, {json.dumps(env)})")


class WarmKernelManager(AsyncMappingKernelManager):
    """jupyter_server's kernel manager, with one warm spare kernel for the first notebook."""

    spare_delay = Float(3.0, config=True, help=(
        "Seconds after the server starts before the spare kernel is started (the server first "
        "answers the hub's readiness check). A negative value switches the spare off."))
    spare_busy_at = Float(1.0, config=True, help=(
        "Runnable tasks per core (besides the server) at which the machine counts as busy; "
        "while it is, the spare is put off by spare_delay (at least a second) and tried again. "
        "0 puts it off for ever; a very large value never does."))
    hand_over_timeout = Float(120.0, config=True, help=(
        "Seconds to wait for the spare to finish warming up and take over a notebook; on a "
        "timeout the spare is shut down and a kernel is started as usual."))

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._spare: asyncio.Future | None = None
        if self.spare_delay >= 0:
            IOLoop.current().call_later(self.spare_delay, self._start_spare)

    def _start_spare(self) -> None:
        asyncio.ensure_future(self._start_spare_when_idle())

    async def _start_spare_when_idle(self) -> None:
        """Start the spare now if the machine has a core to spare, else look again later."""
        if self._spare is not None:  # a notebook was opened first: no spare for this server
            return
        samples = []
        for _ in range(5):
            samples.append(runnable_tasks())
            await asyncio.sleep(0.1)
        if self._spare is not None:
            return
        if machine_is_busy(samples, os.cpu_count() or 1, self.spare_busy_at):
            self.log.info("Spare kernel put off: the machine is busy (%s tasks runnable)",
                          statistics.median(samples))
            IOLoop.current().call_later(max(self.spare_delay, 1.0), self._start_spare)
            return
        self._spare = asyncio.ensure_future(self._warm_spare())

    async def _warm_spare(self) -> str | None:
        """Start the spare and send it the warm-up; its id, or None when that failed."""
        kernel_id = None
        try:
            kernel_id = await super().start_kernel()
            reply = await self._run_silently(kernel_id, WARM_UP)
            if reply != "ok":
                raise RuntimeError(f"warm-up ended with status {reply!r}")
            self.log.info("Spare kernel %s is warm", kernel_id)
            return kernel_id
        except Exception as err:  # a spare is an optimisation: never let it break the server
            self.log.warning("No warm spare kernel: %s", err)
            if kernel_id is not None and kernel_id in self:
                await self.shutdown_kernel(kernel_id, now=True)
            return None

    async def _run_silently(self, kernel_id: str, code: str) -> str:
        """Run ``code`` in the kernel without output or history; the reply's status."""
        client = self.get_kernel(kernel_id).client()
        client.start_channels(stdin=False, hb=False, control=False)
        try:
            await client.wait_for_ready(timeout=self.hand_over_timeout)
            msg_id = client.execute(code, silent=True, store_history=False)
            while True:
                reply = await client.get_shell_msg(timeout=self.hand_over_timeout)
                if reply["parent_header"].get("msg_id") == msg_id:
                    return reply["content"].get("status", "error")
        finally:
            client.stop_channels()

    async def _take_spare(self, path, kwargs: dict) -> str | None:
        """The warm spare, handed over to a notebook at ``path``; None when there is none."""
        spare, self._spare = self._spare, asyncio.get_running_loop().create_future()
        spare_done = self._spare  # stays "taken" for the life of this server
        spare_done.set_result(None)
        if spare is None:
            return None
        try:
            kernel_id = await asyncio.wait_for(asyncio.shield(spare), self.hand_over_timeout)
        except asyncio.TimeoutError:
            self.log.warning("The spare kernel was not warm in time; starting a new one")
            spare.add_done_callback(self._shut_down_late_spare)
            return None
        if kernel_id is None or kernel_id not in self:
            return None
        cwd = self.cwd_for_path(path, env=kwargs.get("env", {})) if path is not None else \
            self.root_dir
        env = {k: v for k, v in (kwargs.get("env") or {}).items()
               if k.startswith("JPY_") and isinstance(v, str)}
        code = hand_over_code(str(cwd), env)
        try:
            status = await self._run_silently(kernel_id, code)
        except Exception as err:
            status = repr(err)
        if status != "ok":
            self.log.warning("The spare kernel could not take over %s (%s)", path, status)
            await self.shutdown_kernel(kernel_id, now=True)
            return None
        # A restart starts the kernel again from its launch settings: make them the notebook's.
        # (jupyter_client keeps them in ``_launch_args``; a kernel started without ``env`` had
        # the server's environment.)
        launch = getattr(self.get_kernel(kernel_id), "_launch_args", None)
        if isinstance(launch, dict):
            launch["cwd"] = str(cwd)
            launch["env"] = {**(launch.get("env") or os.environ), **env}
        self.log.info("Spare kernel %s handed over to %s", kernel_id, path)
        return kernel_id

    def _shut_down_late_spare(self, spare: asyncio.Future) -> None:
        kernel_id = None if spare.cancelled() or spare.exception() else spare.result()
        if kernel_id is not None and kernel_id in self:
            asyncio.ensure_future(self.shutdown_kernel(kernel_id, now=True))

    async def start_kernel(self, *, kernel_id=None, path=None, **kwargs) -> str:
        """Hand over the warm spare for a new kernel of the default kind, else start one.

        Parameters are those of ``AsyncMappingKernelManager.start_kernel``: ``kernel_id`` an
        existing kernel to reuse, ``path`` the notebook's API path (its folder becomes the
        kernel's working folder), ``kernel_name`` the kernel spec.
        """
        wanted = kwargs.get("kernel_name") or self.default_kernel_name
        if kernel_id is None and wanted == self.default_kernel_name:
            taken = await self._take_spare(path, kwargs)
            if taken is not None:
                return taken
        return await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)
