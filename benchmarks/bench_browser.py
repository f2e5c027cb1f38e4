#!/usr/bin/env python3
"""Slider change -> chart redrawn, in a real browser: the erosion explorer against plain `interact`.

Starts a private JupyterLab (127.0.0.1, offline browser) on a throw-away copy of the course, opens
course/05-erosion.ipynb, runs it from the Run menu, and moves the explorer's first slider with the
keyboard ``--changes`` times (after two warm-up changes). Each change is timed in the page, from the
key press to the first animation frame after the chart's SVG differs, and to the change of the
summary text. It then does the same for a scratch notebook that wires the same model call
(``cohesion.simulate`` + ``cohesion.fan`` + the same two chart builders) to a plain
``ipywidgets.interact``, which clears and redisplays its output on every change.

    python benchmarks/bench_browser.py [--changes 20]

Prints both medians (ms), the ratio explorer / interact and the load average. Goal (issue 24):
explorer chart median <= 50 ms and <= 0.3 of interact's in the same run. Needs /usr/bin/chromium.

``--profile`` also splits each explorer change into its phases, from the page's own clock (it adds
listeners only; the timed path is the same): key press -> the slider's message leaves on the
kernel's websocket -> the live chart's data message arrives (the kernel's round trip: ipywidgets,
the model call, the message) -> the last Vega view has re-run its dataflow and drawn
(``view.runAsync``) -> the next frame after the chart changed (the measure above).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "integration"))
import browser_support as bs  # noqa: E402

EROSION = "course/05-erosion.ipynb"
BASELINE = "bench/interact-baseline.ipynb"
GOAL_MS = 50.0
GOAL_RATIO = 0.3

BASELINE_CODE = '''\
import altair as alt
from ipywidgets import FloatSlider, interact

from alliancekit import charts, cohesion

scen = cohesion.scenario("little_entente")
start = {k: float(scen.drivers[k].mean()) for k in ("L", "H", "S", "X")}


@interact(L=FloatSlider(value=round(start["L"] * 20) / 20, min=0.0, max=1.0, step=0.05,
                        description="Leadership volatility"))
def show(L):
    frame = cohesion.simulate("little_entente", drivers={**start, "L": L}, runs=200, seed=1,
                              gamma=0.4)
    fan = cohesion.fan(frame)
    professed = cohesion.fan(frame, column="professed")
    end = fan.iloc[-1]
    print(f"By {int(end['year'])}: median cohesion {end['q50']:.2f}")
    return alt.hconcat(charts.fan_chart(fan, title="Futures of cohesion"),
                       charts.gap_chart(fan, professed))
'''


def write_baseline(root: Path) -> None:
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.cells = [nbformat.v4.new_markdown_cell("Baseline: plain `interact` + altair."),
                      nbformat.v4.new_code_cell(BASELINE_CODE)]
    (root / BASELINE).parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, root / BASELINE)


def slider_cell(page, marker: str) -> int:
    """Index of the first code cell whose source contains ``marker`` and that shows a slider."""
    return page.evaluate("""(marker) => {
      const cells = window.jupyterapp.shell.currentWidget.content.widgets;
      for (let i = 0; i < cells.length; i++)
        if (cells[i].model.type === 'code'
            && cells[i].model.sharedModel.getSource().includes(marker)
            && cells[i].node.querySelector('.widget-slider .noUi-handle')) return i;
      return -1; }""", marker)


#: Page-side phase clock for ``--profile``: the times of websocket sends and of the messages
#: that carry a live chart's new data, after the key press that armed the probe.
_WIRE_CLOCK = r"""() => {
  const clock = window.__akWire = {sent: [], data: []};
  const decoder = new TextDecoder('utf-8', {fatal: false});
  const Socket = window.WebSocket;
  class ClockedSocket extends Socket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (ev) => {     // before JupyterLab's own handler
        const t = performance.now();
        const body = typeof ev.data === 'string' ? ev.data
            : ev.data instanceof ArrayBuffer ? decoder.decode(ev.data) : '';
        if (/"method":\s*"update"/.test(body) && /"data":\s*\[\s*\{/.test(body))
          clock.data.push(t);
      });
    }
    send(d) { clock.sent.push(performance.now()); return super.send(d); }
  }
  window.WebSocket = ClockedSocket;
}"""

#: Wraps every live chart view's ``runAsync`` to record when each finished (after Run All).
_RUN_CLOCK = r"""() => {
  const runs = window.__akRuns = [];
  for (const box of document.querySelectorAll('.ak-live')) {
    const view = box.__akView;
    if (!view || view.__akTimed) continue;
    const run = view.runAsync.bind(view);
    view.runAsync = async (...a) => { const r = await run(...a); runs.push(performance.now());
                                      return r; };
    view.__akTimed = true;
  }
}"""


def _phases(page, t0: float) -> dict | None:
    """ms from the key press to: the first websocket send, the data message, the last view run."""
    got = page.evaluate("""(t0) => ({
        sent: (window.__akWire.sent.find(t => t >= t0) ?? null),
        data: (window.__akWire.data.find(t => t >= t0) ?? null),
        runs: window.__akRuns.filter(t => t >= t0)})""", t0)
    if got["sent"] is None or got["data"] is None or not got["runs"]:
        return None
    return {"send": got["sent"] - t0, "data": got["data"] - t0, "run": max(got["runs"]) - t0}


def measure(page, server, notebook: str, marker: str, changes: int, warmup: int = 2,
            profile: bool = False) -> dict:
    """Open ``notebook``, Run All, then time ``changes`` keyboard moves of the first slider."""
    bs.reset_lab(server)
    bs.open_notebook(page, server, notebook)
    run_s = bs.run_all(page)
    index = slider_cell(page, marker)
    if index < 0:
        raise SystemExit(f"{notebook}: no cell calling {marker} shows a slider after Run All")
    cell = page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").nth(index)
    handle = cell.locator(".widget-slider .noUi-handle").first
    handle.scroll_into_view_if_needed()
    aria = bs.slider_aria(handle)
    # Walk towards the far end and back, so every change moves the value and stays in range.
    rightwards = aria["max"] - aria["now"] >= aria["now"] - aria["min"]
    direction = "ArrowRight" if rightwards else "ArrowLeft"
    back = "ArrowLeft" if direction == "ArrowRight" else "ArrowRight"
    total = changes + warmup
    keys = [direction] * (total // 2) + [back] * (total - total // 2)
    chart_ms, text_ms, phases = [], [], []
    if profile:
        page.evaluate(_RUN_CLOCK)
    for number, key in enumerate(keys):
        handle.focus()
        bs.arm_redraw_probe(page, index)
        page.keyboard.press(key)
        times = bs.redraw_times(page)
        bs.wait_kernel_idle(page)
        page.wait_for_timeout(150)  # let the previous redraw settle before the next change
        if number >= warmup:
            chart_ms.append(times["chart_ms"])
            if times["text_ms"] is not None:
                text_ms.append(times["text_ms"])
            if profile:
                split = _phases(page, page.evaluate("() => window.__akProbe.t0"))
                if split is not None:
                    phases.append({**split, "frame": times["chart_ms"]})
    bs.reset_lab(server)
    return {"run_all_s": run_s, "chart_ms": chart_ms, "text_ms": text_ms, "phases": phases}


def describe_phases(phases: list[dict]) -> str:
    """Median ms of each phase of an explorer change (``--profile``)."""
    if not phases:
        return "profile: no change could be split into phases"
    med = {k: statistics.median(p[k] for p in phases) for k in ("send", "data", "run", "frame")}
    return (f"profile (medians of {len(phases)} changes, ms): key -> message sent "
            f"{med['send']:.1f}; -> chart data back {med['data']:.1f} (kernel round trip "
            f"{med['data'] - med['send']:.1f}); -> Vega views run and drawn {med['run']:.1f} "
            f"(browser {med['run'] - med['data']:.1f}); -> next frame {med['frame']:.1f}")


def describe(name: str, result: dict) -> str:
    chart = sorted(result["chart_ms"])
    p90 = chart[int(0.9 * (len(chart) - 1))]
    text = statistics.median(result["text_ms"]) if result["text_ms"] else float("nan")
    return (f"{name:<22} chart median {statistics.median(chart):7.1f} ms  p90 {p90:7.1f} ms  "
            f"text median {text:7.1f} ms  (n={len(chart)}, Run All {result['run_all_s']:.1f} s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=20, help="timed slider changes (>= 20)")
    parser.add_argument("--profile", action="store_true",
                        help="also split each explorer change into phases (page clock)")
    args = parser.parse_args(argv)
    if args.changes < 20:
        parser.error("--changes must be at least 20 (the median is taken over them)")
    reason = bs.chromium_missing_reason()
    if reason:
        print(f"bench_browser: skipped: {reason}")
        return 0
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp:
        scratch = Path(tmp)
        root = bs.copy_course(ROOT, scratch / "root")
        write_baseline(root)
        server = bs.start_lab(root, scratch / "state")
        blocked: list[str] = []
        try:
            with sync_playwright() as playwright:
                browser = bs.launch_chromium(playwright)
                page = bs.new_offline_page(browser, blocked)
                if args.profile:
                    page.add_init_script(f"({_WIRE_CLOCK})()")
                started = time.monotonic()
                explorer = measure(page, server, EROSION, "erosion_explorer(", args.changes,
                                   profile=args.profile)
                baseline = measure(page, server, BASELINE, "@interact", args.changes)
                browser.close()
        finally:
            bs.stop_lab(server)
    print("slider change -> chart redrawn in Chromium (JupyterLab, offline; keyboard, "
          f"{args.changes} changes each, {time.monotonic() - started:.0f} s)")
    print(describe("erosion_explorer", explorer))
    print(describe("interact + altair", baseline))
    if args.profile:
        print(describe_phases(explorer["phases"]))
    ours = statistics.median(explorer["chart_ms"])
    theirs = statistics.median(baseline["chart_ms"])
    met = ours <= GOAL_MS and ours / theirs <= GOAL_RATIO
    print(f"ratio explorer / interact (chart medians): {ours / theirs:.2f}; goal <= {GOAL_MS:.0f} "
          f"ms and <= {GOAL_RATIO} of interact: {'met' if met else 'NOT met'}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if blocked:
        print(f"warning: the page tried to reach {len(blocked)} outside URL(s): {blocked[:3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
