"""What each cell of a lesson costs the first time, in a fresh kernel (issue 24).

Runs one lesson (default: lesson 05, the erosion lesson) top to bottom in a fresh kernel, several
times, and prints for each code cell the median wall time (from the kernel's own timestamps:
execution start to reply) and the median CPU time the kernel process spent on it (from
/proc/<pid>/stat). A hub pays these costs once per student, in lock-step, so the CPU column is
what limits a class.

The three cells the issue names are picked out by their source and summed:

- ``data``: the first cell that loads case data (``cohesion.scenario(...)``): pandas and the data;
- ``chart``: the first chart (``charts.fan_chart``): altair and vl-convert's first SVG;
- ``widgets``: the explorer (``widgets.erosion_explorer()``): ipywidgets and the explorer.

Goal (issue 24): their first-time cost at least halved. The machine is shared: the load average
is printed; compare figures from runs made under similar load.

Two conditions. By default the kernel runs as nbclient, nbconvert and nbgrader run it, with no
browser: every chart's static SVG is drawn in the kernel, by vl-convert, for the export. With
``--live`` the kernel is given ``JPY_SESSION_NAME``, as a Jupyter server (a student's server on the
hub) gives every kernel it starts for a notebook: the kernel then works as under JupyterLab, where
the browser draws the charts and keeps the static pictures (`alliancekit.render.live_frontend`); no
browser answers here, so this measures what a hub kernel pays.

A third, ``--warm`` (implies ``--live``), is the hub's real path for a student's first notebook:
the kernel is started as ``alliancekit._warmkernel.WarmKernelManager`` starts its spare (in the
server's environment, without ``JPY_SESSION_NAME``), runs the same silent warm-up
(``alliancekit._warmup.warm_up``), and is then handed to the notebook with the same hand-over
message before the lesson's cells run. The warm-up's own CPU is printed apart: on a hub whose
servers are started before class (``hub/prestart.py``) it is paid before the class begins.

    python benchmarks/bench_cold_cells.py                   # lesson 05, 3 fresh kernels
    python benchmarks/bench_cold_cells.py --live            # ... as a hub student's kernel
    python benchmarks/bench_cold_cells.py --warm            # ... given the server's warm spare
    python benchmarks/bench_cold_cells.py --runs 5 --lesson course/04-little-entente.ipynb
"""
from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "integration"))

import nbformat  # noqa: E402
import nbrun  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

NAMED = {"data": "cohesion.scenario(", "chart": "charts.fan_chart(",
         "widgets": "widgets.erosion_explorer("}
TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def _stamp(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _run_silently(client: NotebookClient, code: str) -> None:
    """Run ``code`` in the client's kernel as the warm kernel manager does (silent, no history)."""
    msg_id = client.kc.execute(code, silent=True, store_history=False)
    reply = client.wait_for_reply(msg_id)       # within the client's cell timeout
    status = (reply or {}).get("content", {}).get("status")
    if status != "ok":
        raise RuntimeError(f"{code[:60]!r} ended with status {status!r}")


def warm_spare(client: NotebookClient, path: Path) -> float:
    """Start the client's kernel as the hub's warm spare, warm it and hand it to ``path``.

    The kernel starts in this repository's folder with the environment a student's server has
    (no ``JPY_SESSION_NAME``), runs ``WARM_UP`` silently, then gets the hand-over the server
    sends when the notebook at ``path`` asks for a kernel. Returns the warm-up's CPU seconds.
    """
    from alliancekit._warmkernel import WARM_UP, hand_over_code

    session = os.environ.pop("JPY_SESSION_NAME", None)
    try:
        client.km = client.create_kernel_manager()
        client.start_new_kernel(cwd=str(ROOT))
        client.start_new_kernel_client()
    finally:
        if session is not None:
            os.environ["JPY_SESSION_NAME"] = session
    pid = client.km.provisioner.process.pid
    start = _cpu_seconds(pid)
    _run_silently(client, WARM_UP)
    warm = _cpu_seconds(pid) - start
    _run_silently(client, hand_over_code(str(path.parent), {"JPY_SESSION_NAME": str(path)}))
    return warm


def run_once(path: Path, warm: bool = False) -> tuple[list[tuple[int, str, float, float]],
                                                       float | None]:
    """One kernel, fresh or (``warm``) the hub's warmed spare.

    Returns (cell index, first source line, wall s, kernel CPU s) per code cell, and the
    warm-up's CPU seconds (None for a fresh kernel).
    """
    nb = nbformat.read(path, as_version=4)
    cpu = {}

    def pid():
        return client.km.provisioner.process.pid

    def before(cell, cell_index, **_):
        cpu[cell_index] = _cpu_seconds(pid())

    def after(cell, cell_index, **_):
        cpu[cell_index] = _cpu_seconds(pid()) - cpu[cell_index]

    nbrun.put_on_path()
    client = NotebookClient(nb, timeout=nbrun.CELL_TIMEOUT, kernel_name=nbrun.KERNEL,
                            record_timing=True, on_cell_execute=before, on_cell_executed=after,
                            resources={"metadata": {"path": str(path.parent.resolve())}})
    warm_cpu = warm_spare(client, path) if warm else None
    client.execute()
    rows = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or index not in cpu:
            continue
        timing = cell.metadata.get("execution", {})
        wall = (_stamp(timing["shell.execute_reply"])
                - _stamp(timing["iopub.execute_input"])).total_seconds()
        rows.append((index, cell.source.splitlines()[0][:60], wall, cpu[index]))
    return rows, warm_cpu


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--lesson", default="course/05-erosion.ipynb", help="notebook to run")
    p.add_argument("--runs", type=int, default=3, help="fresh kernels (>= 1); medians are shown")
    p.add_argument("--all", action="store_true", help="print every code cell, not only > 50 ms")
    p.add_argument("--live", action="store_true",
                   help="run the kernel as a Jupyter server would for JupyterLab (a hub student)")
    p.add_argument("--warm", action="store_true",
                   help="as --live, in the spare kernel the hub's server warms for the first "
                        "notebook (alliancekit._warmkernel)")
    args = p.parse_args(argv)
    args.live = args.live or args.warm
    if args.runs < 1:
        p.error("--runs must be at least 1")
    path = (ROOT / args.lesson).resolve()
    nbrun.patch_nbclient()
    os.environ.pop("ALLIANCEKIT_SNAPSHOT", None)
    if args.live:
        os.environ["JPY_SESSION_NAME"] = str(path)    # what a Jupyter server gives its kernels
    else:
        os.environ.pop("JPY_SESSION_NAME", None)
    load_before = os.getloadavg()[0]
    results = [run_once(path, args.warm) for _ in range(args.runs)]
    runs = [cells for cells, _ in results]
    mode = ("live, in the server's warmed spare (the hub's first notebook)" if args.warm else
            "live, fresh kernel (as under JupyterLab on the hub)" if args.live else
            "export (as nbclient)")
    print(f"{path.name}: {args.runs} kernels, {mode}, {os.cpu_count()} cores, load "
          f"average {load_before:.2f} before and {os.getloadavg()[0]:.2f} after")
    print(f"{'cell':>5} {'wall ms':>8} {'CPU ms':>8}  source (first line)")
    medians = []
    for cells in zip(*runs, strict=True):
        index, first = cells[0][0], cells[0][1]
        wall = statistics.median(c[2] for c in cells)
        cpu = statistics.median(c[3] for c in cells)
        medians.append((index, first, wall, cpu))
        if args.all or wall > 0.05 or cpu > 0.05:
            print(f"{index:5d} {wall * 1e3:8.0f} {cpu * 1e3:8.0f}  {first}")
    cells = nbformat.read(path, as_version=4).cells
    named_wall = named_cpu = 0.0
    for label, needle in NAMED.items():
        hit = next((m for m in medians if needle in cells[m[0]].source), None)
        if hit is None:
            print(f"  {label}: no cell with {needle!r}")
            continue
        named_wall += hit[2]
        named_cpu += hit[3]
        print(f"  {label:8} cell {hit[0]:3d}: wall {hit[2] * 1e3:6.0f} ms, "
              f"CPU {hit[3] * 1e3:6.0f} ms")
    print(f"  the three named cells: wall {named_wall * 1e3:.0f} ms, CPU {named_cpu * 1e3:.0f} ms")
    print(f"  every code cell: wall {sum(m[2] for m in medians) * 1e3:.0f} ms, "
          f"CPU {sum(m[3] for m in medians) * 1e3:.0f} ms")
    if args.warm:
        warm = statistics.median(w for _, w in results)
        print(f"  the spare's warm-up, before the notebook opened: CPU {warm * 1e3:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
