"""Time what one control change costs in the kernel: the model call plus the data message.

Each explorer (`alliancekit.widgets.EXPLORERS`) is built and its widget made, as a notebook shows
it, so that its live chart (`alliancekit.liveview.LiveChart`) has a comm. The comm here packs
every message to JSON as a kernel does before it goes on the wire (``jupyter_client``'s
``json_packer``: ``allow_nan=False``, no ASCII escaping), so the cost of the message is counted.
Every control is then moved through `widgets.control_values` (the extremes and the middle of a
slider, every option of a dropdown), ``--rounds`` times, after one warm pass (which also writes
each panel's spec once per `Live` key, through altair, and fills lesson 09's cache of the exact
search). Each move is one sample: the wall time from setting ``widget.value`` until the data
message has been packed on the comm, all of it synchronous in the observer (nothing deferred to a
thread or timer; the model's own time is counted). Changes the model rejects (the summary then
explains why, and the chart stays) are counted separately. The first (cold) move of each control,
in the warm pass, is reported on its own line: it may write a spec through altair.

Prints p50 and p95 over all samples (wall time, and this process's CPU time, which is less
disturbed by other work on a shared machine), then per explorer, then the five slowest controls.
Goal (issue 24): p95 <= 10 ms in the kernel, wall and CPU. The machine is shared: run it twice
before believing a p95.

    python benchmarks/bench_widgets.py [--rounds 3]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import comm
import numpy as np

from alliancekit import widgets

GOAL_P95_MS = 10.0


class PackingComm(comm.base_comm.BaseComm):
    """A comm that packs each message to JSON bytes as a kernel does, and keeps the last size."""

    sent_bytes = 0

    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        message = {"comm_id": self.comm_id, "data": data or {}, **keys}
        PackingComm.sent_bytes = len(json.dumps(message, ensure_ascii=False,
                                                allow_nan=False).encode("utf8"))


comm.create_comm = PackingComm


def sample(explorer, rounds):
    """(control, wall ms, CPU ms, rejected) for every move of every control."""
    out = []
    for name, widget in explorer.controls.items():
        start = widget.value
        values = widgets.control_values(widget)
        for _ in range(rounds):
            for value in values:
                if widget.value == value:      # setting an unchanged value triggers nothing
                    continue
                t0, c0 = time.perf_counter(), time.process_time()
                widget.value = value
                ms = (time.perf_counter() - t0) * 1000
                cpu = (time.process_time() - c0) * 1000
                out.append((name, ms, cpu, bool(explorer.message)))
        widget.value = start
    return out


def pct(values, q):
    return float(np.percentile(values, q)) if values else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes over each control")
    args = parser.parse_args()
    print(f"bench_widgets: {os.cpu_count()} cores, {args.rounds} rounds per control")
    everything, cpu_all, per_control, cold_all = [], [], {}, []
    for key, factory in widgets.EXPLORERS.items():
        t0 = time.perf_counter()
        ex = factory()
        ex.widget()                              # as shown in a notebook: the live chart's comm
        build = (time.perf_counter() - t0) * 1000
        cold = sample(ex, 1)                     # warm pass: first visits write specs
        cold_all += [ms for _, ms, _, rejected in cold if not rejected]
        rows = sample(ex, args.rounds)
        ok = [ms for _, ms, _, rejected in rows if not rejected]
        cpu = [c for _, _, c, rejected in rows if not rejected]
        rejected = sum(1 for *_, r in rows if r)
        everything += ok
        cpu_all += cpu
        for name, ms, _, r in rows:
            if not r:
                per_control.setdefault(f"{key} {factory.__name__}.{name}", []).append(ms)
        print(f"  {key} {factory.__name__:<26} build {build:7.1f} ms | {len(ok):3d} changes: "
              f"p50 {pct(ok, 50):5.1f} ms  p95 {pct(ok, 95):5.1f} ms  (CPU p50 "
              f"{pct(cpu, 50):5.1f}, p95 {pct(cpu, 95):5.1f})"
              + (f"  ({rejected} rejected by the model, not timed)" if rejected else ""))
    p50, p95 = pct(everything, 50), pct(everything, 95)
    cpu95 = pct(cpu_all, 95)
    print("slowest controls (median ms):")
    for name, ms in sorted(per_control.items(), key=lambda kv: -statistics.median(kv[1]))[:5]:
        print(f"  {name:<45} {statistics.median(ms):6.1f}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; CPU time of this "
          f"process: p50 {pct(cpu_all, 50):.1f} ms, p95 {pct(cpu_all, 95):.1f} ms")
    print(f"warm pass (first visits, may write a spec): {len(cold_all)} changes, p50 "
          f"{pct(cold_all, 50):.1f} ms, p95 {pct(cold_all, 95):.1f} ms, max {max(cold_all):.1f} ms")
    print(f"last data message: {PackingComm.sent_bytes:,} bytes of JSON")
    print(f"ALL {len(everything)} control changes (wall): p50 {p50:.1f} ms, p95 {p95:.1f} ms; "
          f"CPU p95 {cpu95:.1f} ms (goal p95 <= {GOAL_P95_MS:.0f} ms, wall and CPU: "
          f"{'met' if max(p95, cpu95) <= GOAL_P95_MS else 'NOT met'})")


if __name__ == "__main__":
    main()
