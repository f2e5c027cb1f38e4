#!/usr/bin/env python3
"""How many students does one machine hold? A load test of the class hub (hub/), as root.

For each class size N (default 5, 10, 20, 40; stops early when the machine saturates), a real hub
(``hub/jupyterhub_config.py``, real jupyterhub and configurable-http-proxy on 127.0.0.1, the
default limits of 1 GB and one core per user) gets N simulated students, real Unix users:

1. all N log in at once (one thread each asks the hub's REST API for its server and polls it
   every 2 s); **time to a ready server**, per student;
2. each opens lesson 05 as JupyterLab does (a session: the server hands over its warm spare
   kernel, ``alliancekit/_warmkernel.py``, if it has one) and runs every code cell of it (the
   erosion explorer: simulations, charts, the widget) over the kernel's websocket, pausing
   ``--think`` seconds on average between cells (exponentially distributed, seeded), as a
   reading student does; **p50/p95 cell latency**
   (request sent to kernel idle again);
3. **memory per student**: the proportional set size (PSS) of every process of that Unix user
   (server + kernel), after the lesson ran.

With ``--prestart S`` the servers are started before the log-in, one every S seconds, by
``hub/prestart.py`` (as an instructor would before class); the log-in then finds them running.

It then estimates the class a 2-core, 24 GB machine holds with p95 cell latency under 2 s: the
largest N measured under 2 s (CPU), and (24 GB - what the hub itself uses) / memory per student
(memory); the smaller of the two. On a machine shared with other work the CPU figure is a floor.

    sudo .venv/bin/python benchmarks/bench_hub.py --sizes 5          # start small
    sudo .venv/bin/python benchmarks/bench_hub.py --sizes 5,10,20,40 --think 5
    sudo .venv/bin/python benchmarks/bench_hub.py --sizes 30,45,60 --prestart 2

Not part of CI. Users are named ``akb-sNN`` and removed at the end, with everything started here.
"""
from __future__ import annotations

import argparse
import asyncio
import fcntl
import json
import os
import random
import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "integration"))

MACHINE_GB = 24.0
GOAL_P95_S = 2.0
GOAL_STUDENTS = 60  # issue 24: one 2-core hub holds 60 students at a cell p95 under GOAL_P95_S
LOCK_FILE = "/run/lock/alliancekit-bench-hub.lock"


def lesson_cells() -> list[str]:
    import nbformat

    nb = nbformat.read(ROOT / "course" / "05-erosion.ipynb", as_version=4)
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


async def run_lesson(hub, name: str, kernel_id: str, cells: list[str], think: float,
                     rng: random.Random) -> list[float]:
    """Run ``cells`` one after another on one websocket; return each cell's latency in seconds."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    url = f"ws://127.0.0.1:{hub.port}/user/{name}/api/kernels/{kernel_id}/channels"
    conn = await websocket_connect(HTTPRequest(
        url, headers={"Authorization": f"token {hub.token_for(name)}"}))
    latencies = []
    session = uuid.uuid4().hex
    try:
        await asyncio.sleep(rng.uniform(0, think))  # students do not all start in the same second
        for code in cells:
            msg_id = uuid.uuid4().hex
            began = time.monotonic()
            conn.write_message(json.dumps({
                "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": name,
                           "session": session, "version": "5.3"},
                "parent_header": {}, "metadata": {}, "channel": "shell",
                "content": {"code": code, "silent": False, "store_history": True,
                            "user_expressions": {}, "allow_stdin": False}}))
            replied = idle = False
            while not (replied and idle):
                raw = await asyncio.wait_for(conn.read_message(), 300)
                if raw is None:
                    raise RuntimeError(f"kernel websocket of {name} closed")
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "execute_reply":
                    replied = True
                    if msg["content"]["status"] != "ok":
                        raise RuntimeError(f"{name}: a lesson cell failed: {msg['content']}")
                elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    idle = True
            latencies.append(time.monotonic() - began)
            if think:
                await asyncio.sleep(rng.expovariate(1 / think))
    finally:
        conn.close()
    return latencies


def processes_of_user(name: str) -> list[Path]:
    """The ``/proc/PID`` folders of every live process of Unix user ``name``."""
    import pwd

    uid = pwd.getpwnam(name).pw_uid
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and entry.stat().st_uid == uid:
                found.append(entry)
        except FileNotFoundError:
            pass
    return found


def pss_mb_of_user(name: str) -> float:
    """Proportional set size of every process of Unix user ``name``, in MB."""
    return pss_mb_of_pids([int(entry.name) for entry in processes_of_user(name)])


def cpu_seconds_of_user(name: str) -> float:
    """CPU time (user + system) used so far by every live process of Unix user ``name``, seconds.

    Fields 14-17 of ``/proc/PID/stat``: the process's and its waited-for children's user and
    system time, in clock ticks.
    """
    ticks = 0
    for entry in processes_of_user(name):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            ticks += sum(int(value) for value in fields[11:15])
        except (FileNotFoundError, ProcessLookupError, IndexError):
            pass
    return ticks / os.sysconf("SC_CLK_TCK")


def pss_mb_of_pids(pids: list[int]) -> float:
    """Proportional set size of the processes ``pids`` (those still alive), in MB."""
    total_kb = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kb += int(line.split()[1])
        except (FileNotFoundError, PermissionError, ProcessLookupError):
            pass
    return total_kb / 1024


def hub_pids(hub) -> list[int]:
    """The hub, its proxy and its services (all root processes started by this run)."""
    pids = [hub.process.pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                if str(hub.prefix) in cmd and entry.stat().st_uid == 0:
                    pids.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError):
                pass
    return sorted(set(pids))


def seconds_to_ready(hub, name: str, began: float, timeout: float = 600) -> float | None:
    """Ask for ``name``'s server; seconds from ``began`` until the hub calls it ready, or None."""
    hub.api("POST", f"/users/{name}/server", timeout=timeout)
    while time.monotonic() - began < timeout:
        server = hub.api("GET", f"/users/{name}").json()["servers"].get("")
        if server and server.get("ready"):
            return time.monotonic() - began
        time.sleep(2)  # light polling: a real browser waits on one event stream instead
    return None


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(size: int, think: float, seed: int, prestart_every: float | None = None) -> dict:
    """One class of ``size`` students on a fresh hub; returns the figures."""
    from hub_support import HUB_DIR, Hub

    sys.path.insert(0, str(HUB_DIR))
    import prestart

    students = [f"akb-s{i:02d}" for i in range(1, size + 1)]
    hub = Hub("akb-teach", students, mem_limit="1G", cpu_limit="1.0")
    cells = lesson_cells()
    try:
        hub.install()
        hub.start()
        prestart_s = None
        if prestart_every is not None:
            began = time.monotonic()
            outcome = prestart.prestart(prestart.HubAPI(f"{hub.url}/hub/api", hub.admin_token),
                                        students, prestart_every, wait=900, say=lambda _: None)
            prestart_s = time.monotonic() - began
            if any(v != "ready" for v in outcome.values()):
                return {"size": size, "failed": f"prestart: {outcome}"}
        began = time.monotonic()
        # Everyone logs in in the same second: one thread a student, each asking for its server
        # and then polling until it is ready, so each student's wait is measured on its own.
        with ThreadPoolExecutor(max_workers=size) as pool:
            waits = list(pool.map(lambda name: seconds_to_ready(hub, name, began), students))
        ready = {name: wait for name, wait in zip(students, waits, strict=True) if wait is not None}
        if len(ready) < size:
            return {"size": size, "failed": f"only {len(ready)} of {size} servers started"}
        try:
            kernels = {name: hub.open_notebook(name, "05-erosion.ipynb") for name in students}
        except Exception as exc:  # a server that was ready and then went away: say so, with the log
            return {"size": size, "failed": f"starting a kernel: {exc!r}\n{hub.log_tail()}"}

        async def everyone():
            rng = random.Random(seed)
            seeds = [random.Random(rng.random()) for _ in students]
            return await asyncio.gather(*(run_lesson(hub, n, kernels[n], cells, think, r)
                                          for n, r in zip(students, seeds, strict=True)))

        lesson_began = time.monotonic()
        try:
            per_student = asyncio.run(everyone())
        except Exception as exc:  # report it with the hub's log, then clean up as always
            return {"size": size, "failed": f"the lesson stopped: {exc!r}\n{hub.log_tail()}"}
        lesson_wall = time.monotonic() - lesson_began
        latencies = [x for row in per_student for x in row]
        memory = [pss_mb_of_user(name) for name in students]
        cpu = [cpu_seconds_of_user(name) for name in students]
        hub_mb = pss_mb_of_pids(hub_pids(hub))
        return {
            "size": size,
            "ready_p50_s": statistics.median(ready.values()),
            "ready_max_s": max(ready.values()),
            "cell_p50_s": percentile(latencies, 0.5),
            "cell_p95_s": percentile(latencies, 0.95),
            "cells": len(latencies),
            "lesson_wall_s": lesson_wall,
            "mem_per_student_mb": statistics.mean(memory),
            "mem_max_student_mb": max(memory),
            "cpu_per_student_s": statistics.mean(cpu),
            "hub_mb": hub_mb,
            "load_avg": os.getloadavg()[0],
            "prestart_s": prestart_s,
        }
    finally:
        hub.stop()
        hub.remove()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5,10,20,40", help="class sizes, comma-separated")
    parser.add_argument("--think", type=float, default=5.0,
                        help="mean pause between a student's cells, seconds (0: no pause)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--prestart", type=float, default=None, metavar="S",
                        help="start every server before the log-in, one every S seconds")
    args = parser.parse_args(argv)
    from hub_support import missing_requirements

    reason = missing_requirements()
    if reason:
        print(f"bench_hub: cannot run: {reason}")
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    # Two runs at once would share the akb- users and remove each other's (seen here once).
    lock = open(LOCK_FILE, "w")  # noqa: SIM115 (held until this process ends)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"bench_hub: another bench_hub.py is running (it holds {LOCK_FILE}); "
              "wait for it to end, since both would use the same akb- users")
        return 2
    print(f"lesson 05: {len(lesson_cells())} code cells; think time {args.think:.1f} s mean; "
          f"limits 1 GB and 1 core per student; {os.cpu_count()} cores here; load average "
          f"{os.getloadavg()[0]:.1f} at the start; servers "
          + ("started at log-in" if args.prestart is None
             else f"pre-started one every {args.prestart:g} s"))
    print("| students | server ready, median / max | cell p50 | cell p95 | memory per student "
          "| CPU per student | hub itself | load avg |")
    print("|---|---|---|---|---|---|---|---|")
    rows = []
    failed = None
    for size in sizes:
        row = measure(size, args.think, args.seed, args.prestart)
        if "failed" in row:
            print(f"| {size} | {row['failed']} | | | | | | |")
            failed = row
            break
        rows.append(row)
        print(f"| {size} | {row['ready_p50_s']:.1f} s / {row['ready_max_s']:.1f} s "
              f"| {row['cell_p50_s']:.2f} s | {row['cell_p95_s']:.2f} s "
              f"| {row['mem_per_student_mb']:.0f} MB (max {row['mem_max_student_mb']:.0f}) "
              f"| {row['cpu_per_student_s']:.1f} s | {row['hub_mb']:.0f} MB "
              f"| {row['load_avg']:.1f} |", flush=True)
        if row["prestart_s"] is not None:
            print(f"  (servers pre-started one every {args.prestart:g} s: all ready after "
                  f"{row['prestart_s']:.0f} s)", flush=True)
        if row["cell_p95_s"] > 5 * GOAL_P95_S:
            print(f"saturated at {size} students (p95 {row['cell_p95_s']:.1f} s); stopping")
            break
    if not rows:
        return 1
    under = [r["size"] for r in rows if r["cell_p95_s"] < GOAL_P95_S]
    per_student_gb = max(r["mem_per_student_mb"] for r in rows) / 1024
    hub_gb = max(r["hub_mb"] for r in rows) / 1024
    by_memory = int((MACHINE_GB - hub_gb - 1.0) / per_student_gb)  # 1 GB for the system
    reached_top = failed is None and under and max(under) == rows[-1]["size"]
    cpu_text = (f"{max(under)}" + (" or more" if reached_top else "")
                if under else "fewer than the smallest size tried")
    print(f"\nlargest class measured with p95 < {GOAL_P95_S:.0f} s here: {cpu_text}")
    if failed is not None:
        print(f"the next size tried, {failed['size']}, did not hold: {failed['failed']}")
    print(f"memory bound on a {MACHINE_GB:.0f} GB machine: {by_memory} students "
          f"({per_student_gb * 1024:.0f} MB each, hub {hub_gb * 1024:.0f} MB, 1 GB for the system)")
    if under:
        holds = min(max(under), by_memory)
        print(f"a 2-core, 24 GB machine holds about {holds} students"
              + (" (or more: the CPU bound was not reached)" if reached_top
                 and holds < by_memory else "")
              + f"; goal >= {GOAL_STUDENTS}: "
              + ("met" if holds >= GOAL_STUDENTS else "NOT met"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
