"""Drive JupyterLab in Debian's Chromium with Playwright, offline, for browser tests and benchmark.

Plain functions, one job each:

- :func:`start_lab` / :func:`stop_lab` run a private JupyterLab server (127.0.0.1, a free port, a
  token, throw-away config, runtime, settings and workspace directories) and stop it by its PID.
- :func:`launch_chromium` starts headless Chromium; :func:`block_external` aborts (and records)
  every request that does not go to 127.0.0.1, so a test proves the course works with no internet.
- :func:`reset_lab` deletes sessions and kernels through the REST API; :func:`open_notebook` opens a
  notebook with ``?reset`` (fresh workspace) and waits for its kernel.
- :func:`run_all` clicks Run > Run All Cells and waits until every code cell has run.
- :func:`notebook_report` reads the outputs JupyterLab holds (errors, MIME types) and what is drawn
  (vega SVG/canvas, error boxes, widgets) from the page.

JupyterLab is started with ``expose_app_in_browser`` so tests can read the notebook model
(``window.jupyterapp``); clicks still go through the real menus and widgets.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlparse

from alliancekit._env import environment

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Belt and braces with block_external(): no name but localhost resolves.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost",
)
LOCAL_HOSTS = ("127.0.0.1",)

# User settings for the test server: no network checks, every cell in the DOM, no autosave.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/themes.jupyterlab-settings": {"theme": "JupyterLab Light"},
}


@dataclass(frozen=True)
class LabServer:
    """A running JupyterLab started by :func:`start_lab`."""

    url: str  # e.g. "http://127.0.0.1:41234/"
    token: str
    root: Path  # the directory JupyterLab serves
    pid: int
    log: Path
    process: subprocess.Popen = field(repr=False, compare=False)


def chromium_missing_reason() -> str | None:
    """Why browser tests cannot run here, or None when Chromium is installed."""
    if not CHROMIUM.exists():
        return (f"{CHROMIUM} is missing: install Debian's Chromium (`apt-get install -y chromium "
                "chromium-driver`; `python3 tasks.py test` does this when run as root)")
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_settings(settings_dir: Path) -> None:
    for relative, values in LAB_SETTINGS.items():
        path = settings_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def start_lab(root: Path, scratch: Path, *, timeout: float = 90.0) -> LabServer:
    """Start JupyterLab serving ``root``; private state goes under ``scratch``.

    Parameters
    ----------
    root : Path
        Directory to serve (the notebooks' working directory). Use a copy of the course, so that
        running lessons never touches the repository.
    scratch : Path
        An empty temporary directory for config, runtime, settings, workspaces and the server log.
    timeout : float
        Seconds to wait for the server to answer.

    Returns
    -------
    LabServer
    """
    token = secrets.token_hex(16)
    port = free_port()
    names = ("config", "runtime", "settings", "workspaces", "data")
    dirs = {name: scratch / name for name in names}
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    _write_settings(dirs["settings"])
    (dirs["config"] / "jupyter_lab_config.py").write_text(
        "c.LabApp.news_url = None\n"
        "c.LabApp.check_for_updates_class = "
        "'jupyterlab.handlers.announcements.NeverCheckForUpdate'\n"
    )
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(dirs["config"]),
        JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
        JUPYTER_DATA_DIR=str(dirs["data"]),
        JUPYTERLAB_SETTINGS_DIR=str(dirs["settings"]),
        JUPYTERLAB_WORKSPACES_DIR=str(dirs["workspaces"]),
        JUPYTER_PLATFORM_DIRS="1",
        PYTHONUNBUFFERED="1",
        MPLBACKEND="Agg",
    )
    # nbgrader shells out to alembic; kernels must be this environment's Python.
    env = environment(env)
    command = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser",
        "--ServerApp.open_browser=False",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={token}",
        "--LabApp.expose_app_in_browser=True",
        "--ServerApp.shutdown_no_activity_timeout=1800",  # a crashed test cannot leak it forever
        "--MappingKernelManager.cull_idle_timeout=1200",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = scratch / "jupyterlab.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=handle,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    server = LabServer(url=f"http://127.0.0.1:{port}/", token=token, root=root, pid=process.pid,
                       log=log, process=process)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with {process.returncode}:\n{log.read_text()}")
        try:
            api(server, "GET", "api/status")
            return server
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.3)
    stop_lab(server)
    raise RuntimeError(f"JupyterLab did not answer within {timeout} s:\n{log.read_text()}")


def stop_lab(server: LabServer, *, timeout: float = 20.0) -> None:
    """Shut down every kernel, then stop the server by its PID (SIGTERM, then SIGKILL)."""
    try:
        shutdown_kernels(server)
    except Exception:  # the server may already be gone; we still stop it below
        pass
    if server.process.poll() is None:
        os.kill(server.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.kill(server.pid, signal.SIGKILL)
            server.process.wait(timeout=timeout)


def api(server: LabServer, method: str, path: str, body: dict | None = None):
    """Call the Jupyter REST API; returns the decoded JSON (or None for an empty reply)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(server.url + path, data=data, method=method,
                                     headers={"Authorization": f"token {server.token}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as reply:
        text = reply.read()
    return json.loads(text) if text else None


def shutdown_kernels(server: LabServer) -> None:
    """Delete every session and kernel, and wait until the server lists none."""
    for session in api(server, "GET", "api/sessions"):
        api(server, "DELETE", f"api/sessions/{session['id']}")
    for kernel in api(server, "GET", "api/kernels"):
        try:
            api(server, "DELETE", f"api/kernels/{kernel['id']}")
        except urllib.error.HTTPError as error:
            if error.code != 404:
                raise
    deadline = time.monotonic() + 20
    while api(server, "GET", "api/kernels") and time.monotonic() < deadline:
        time.sleep(0.2)


reset_lab = shutdown_kernels


def launch_chromium(playwright):
    """Headless Debian Chromium with the flags that work in containers."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS),
                                      headless=True)


def block_external(context, blocked: list[str]) -> None:
    """Abort every request from ``context`` not to 127.0.0.1, appending its URL to ``blocked``."""

    def handle(route):
        url = route.request.url
        scheme = urlparse(url).scheme
        if scheme in ("data", "blob", "about") or urlparse(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked.append(url)
            route.abort("internetdisconnected")

    context.route("**/*", handle)
    context.on("websocket", lambda ws: ws.url.startswith(("ws://127.0.0.1", "wss://127.0.0.1"))
               or blocked.append(ws.url))


def new_offline_page(browser, blocked: list[str], *, width: int = 1280, height: int = 900):
    """A fresh browser context (own cookies, storage) routed offline, and a page in it."""
    context = browser.new_context(viewport={"width": width, "height": height},
                                  service_workers="block")
    block_external(context, blocked)
    page = context.new_page()
    page.set_default_timeout(60_000)
    return page


def lab_url(server: LabServer, relative: str) -> str:
    """URL that opens ``relative`` (a path under the server root) in a reset workspace."""
    return f"{server.url}lab/tree/{quote(relative)}?reset&token={server.token}"


def open_notebook(page, server: LabServer, relative: str, *, timeout: float = 90.0) -> None:
    """Open a notebook in a clean workspace and wait until its kernel is idle."""
    page.goto(lab_url(server, relative))
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell",
                           timeout=timeout * 1e3)
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=timeout * 1e3)
    answer_open_dialog(page)
    wait_kernel_idle(page, timeout=timeout)


_KERNEL_STATUS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  if (!w || !w.sessionContext) return 'no-notebook';
  const s = w.sessionContext.session;
  return s && s.kernel ? s.kernel.status : 'no-kernel';
}"""


def kernel_status(page) -> str:
    return page.evaluate(_KERNEL_STATUS)


def wait_kernel_idle(page, *, timeout: float = 90.0) -> None:
    page.wait_for_function(f"() => ({_KERNEL_STATUS})() === 'idle'", timeout=timeout * 1e3)


#: Modal dialogs a front end may raise on its own while a notebook opens, and the button that
#: answers each as a student would: the kernel picker (Notebook 7 raises it when the session is
#: slow to start on a loaded machine) takes the notebook's own kernel.
_BENIGN_DIALOGS = {"Select Kernel": ".jp-mod-accept"}


def answer_open_dialog(page, *, timeout: float = 90.0) -> None:
    """Answer benign modal dialogs (see ``_BENIGN_DIALOGS``) until none is open; fail on others.

    A dialog that blocks the page would otherwise surface as a 60 s click timeout that names
    only the element it covered; this says which dialog it was and what it said. On a loaded
    machine the kernel picker can ignore a click made before its kernel list has loaded (CI,
    stop 31: the dialog stayed open for 60 s after one click), so the answer is repeated every
    few seconds, and a dialog that closes only to be raised again is answered again.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    dialog = page.locator(".jp-Dialog")
    deadline = time.monotonic() + timeout
    title = ""
    while dialog.count():
        if time.monotonic() > deadline:
            raise AssertionError(f"the dialog {title!r} stayed open for {timeout:.0f} s although "
                                 "it was answered every few seconds")
        try:
            title = dialog.first.locator(".jp-Dialog-header").inner_text(timeout=5_000).strip()
        except PlaywrightTimeout:
            continue  # it closed while being read
        button = _BENIGN_DIALOGS.get(title)
        if button is None:
            body = dialog.first.locator(".jp-Dialog-body").inner_text().strip()
            raise AssertionError(f"an unexpected dialog blocks the page: {title!r}: {body[:500]!r}")
        try:
            dialog.first.locator(button).first.click(timeout=5_000)
            dialog.first.wait_for(state="detached", timeout=5_000)
        except PlaywrightTimeout:
            continue  # not taken yet (or raised again): answer it again


def click_menu(page, menu: str, command: str) -> None:
    """Click a top menu (e.g. "Run") and then its item with lumino ``data-command`` ``command``."""
    answer_open_dialog(page)
    page.locator(".lm-MenuBar-item", has_text=menu).first.click()
    item = page.locator(f".lm-Menu-item[data-command='{command}']").first
    item.wait_for(state="visible")
    item.click()


_ALL_RUN = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  if (!w || !w.content) return false;
  const s = w.sessionContext.session;
  if (!s || !s.kernel || s.kernel.status !== 'idle') return false;
  for (const cell of w.content.widgets) {
    if (cell.model.type !== 'code') continue;
    if (cell.model.sharedModel.getSource().trim() === '') continue;
    if (cell.model.executionCount === null) return false;
    if (cell.promptNode && cell.promptNode.textContent.includes('*')) return false;
  }
  return true;
}"""


def run_all(page, *, timeout: float = 180.0) -> float:
    """Run > Run All Cells; wait until every non-empty code cell has run and the kernel is idle.

    Returns the seconds it took.
    """
    start = time.monotonic()
    click_menu(page, "Run", "runmenu:run-all")
    page.wait_for_function("""() => { const w = window.jupyterapp.shell.currentWidget;
      const s = w.sessionContext.session; return s && s.kernel && s.kernel.status === 'busy'; }""",
                           timeout=30_000, polling=20)
    page.wait_for_function(_ALL_RUN, timeout=timeout * 1e3, polling=200)
    page.wait_for_timeout(300)  # let late display_data and widget views land
    page.wait_for_function(_ALL_RUN, timeout=timeout * 1e3, polling=200)
    wait_charts_drawn(page)
    return time.monotonic() - start


_REPORT = r"""() => {
  const w = window.jupyterapp.shell.currentWidget;
  const report = {cells: 0, code_cells: 0, unrun: [], errors: [], mime: {}, stderr: []};
  for (const [i, cell] of w.content.widgets.entries()) {
    report.cells += 1;
    if (cell.model.type !== 'code') continue;
    report.code_cells += 1;
    if (cell.model.executionCount === null && cell.model.sharedModel.getSource().trim() !== '')
      report.unrun.push(i);
    const outputs = cell.model.outputs;
    for (let k = 0; k < outputs.length; k++) {
      const out = outputs.get(k).toJSON();
      if (out.output_type === 'error') report.errors.push(
        {cell: i, ename: out.ename, evalue: out.evalue});
      if (out.output_type === 'stream' && out.name === 'stderr') report.stderr.push(
        {cell: i, text: String(out.text).slice(0, 500)});
      for (const m of Object.keys(out.data || {})) report.mime[m] = (report.mime[m] || 0) + 1;
    }
  }
  const root = w.node;
  const text = (sel) => [...root.querySelectorAll(sel)].map(e => e.innerText.slice(0, 300));
  report.vega_views = root.querySelectorAll('.vega-embed').length;
  report.vega_drawn = [...root.querySelectorAll('.vega-embed')].filter(
      e => e.querySelector('svg.marks, canvas.marks')).length;
  report.vega_errors = text('.vega-embed .error, .jp-RenderedVegaCommon5 > pre');
  report.widget_views = root.querySelectorAll('.jupyter-widgets.widget-container, '
      + '.widget-inline-hbox, .widget-slider, .widget-dropdown').length;
  const body = root.innerText;
  report.problems = ['Error displaying widget', 'Error loading script', 'Javascript Error',
                     '<VegaLite', 'Loading widget...', 'Failed to display Jupyter Widget']
      .filter(s => body.includes(s));
  return report;
}"""


def notebook_report(page) -> dict:
    """What the open notebook holds and shows after a run.

    Keys: cells, code_cells, unrun (indices), errors (cell, ename, evalue), stderr, mime (count by
    MIME type), vega_views, vega_drawn (views holding an SVG or canvas), vega_errors, widget_views,
    problems (known failure texts found on the page: widget or CDN script errors, text fallbacks).
    """
    return page.evaluate(_REPORT)


def wait_charts_drawn(page, *, timeout: float = 30.0) -> None:
    """Wait until every vega-embed on the page holds a drawn SVG or canvas (or there is none)."""
    page.wait_for_function("""() => [...document.querySelectorAll('.jp-NotebookPanel .vega-embed')]
        .every(e => e.querySelector('svg.marks, canvas.marks'))""", timeout=timeout * 1e3)


_VEGA_DATA = r"""() => {
  // Walk the Lumino widget tree of the notebook (through ipywidgets Output areas too) and collect
  // every vega view JupyterLab's renderer or an explorer's live chart made, with its datasets.
  const found = [];
  const seen = new Set();
  const walk = (w) => {
    if (!w || seen.has(w)) return;
    seen.add(w);
    if (w._result && w._result.view) found.push(w._result.view);
    // the explorers' live charts (alliancekit.liveview) keep their view on the panel's element
    if (w.node) w.node.querySelectorAll('.ak-live').forEach(e => {
      if (e.__akView && !seen.has(e.__akView)) { seen.add(e.__akView); found.push(e.__akView); }
    });
    let kids = [];
    try { kids = [...w.children()]; } catch (e) {}
    if (w.widgets) { try { kids = kids.concat([...w.widgets]); } catch (e) {} }
    if (w.layout && w.layout.widgets) {
      try { kids = kids.concat([...w.layout.widgets]); } catch (e) {}
    }
    if (w._outputView) kids.push(w._outputView);
    if (w.luminoWidget) kids.push(w.luminoWidget);
    for (const k of kids) walk(k);
  };
  walk(window.jupyterapp.shell.currentWidget);
  return found.map(view => {
    const names = Object.keys(view._runtime.data || {});
    const data = {};
    for (const n of names) {
      try {
        const values = view.data(n);
        if (values && values.length) data[n] = values.map(r => {
          const row = {}; for (const [k, v] of Object.entries(r)) {
            if (['number', 'string', 'boolean'].includes(typeof v)) row[k] = v;
          } return row; });
      } catch (e) {}
    }
    return {data, connected: view.container() ? view.container().isConnected : false};
  });
}"""


def vega_views_data(page) -> list[dict]:
    """Datasets of every vega view in the open notebook.

    Returns ``[{"data": {name: [rows]}, "connected": bool}]``.
    """
    return page.evaluate(_VEGA_DATA)


def screenshot_notebook(page, path: Path, *, tile_height: int = 1600, max_tiles: int = 40
                        ) -> list[Path]:
    """Screenshot the whole open notebook as readable tiles, top to bottom.

    The notebook scrolls inside JupyterLab, so a "full page" screenshot shows one screen only. The
    viewport is made ``tile_height`` tall and the notebook is scrolled one screen at a time; tiles
    are saved as ``path`` with ``-p01``, ``-p02``... before the suffix (the first also as ``path``).
    Returns the tile paths.
    """
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": tile_height})
    page.wait_for_timeout(200)
    geometry = """() => {
      const w = window.jupyterapp.shell.currentWidget;
      const outer = w.content.node.querySelector('.jp-WindowedPanel-outer') || w.content.node;
      return [outer.scrollHeight, outer.clientHeight]; }"""
    scroll_to = """(top) => {
      const w = window.jupyterapp.shell.currentWidget;
      const outer = w.content.node.querySelector('.jp-WindowedPanel-outer') || w.content.node;
      outer.scrollTop = top; }"""
    total, visible = page.evaluate(geometry)
    path.parent.mkdir(parents=True, exist_ok=True)
    tiles = []
    step = max(200, int(visible) - 40)  # a little overlap between tiles
    for number in range(max_tiles):
        page.evaluate(scroll_to, number * step)
        page.wait_for_timeout(150)
        tile = path.with_name(f"{path.stem}-p{number + 1:02d}{path.suffix}")
        page.screenshot(path=str(tile))
        tiles.append(tile)
        if number * step + visible >= total:
            break
    shutil.copy2(tiles[0], path)
    page.evaluate(scroll_to, 0)
    page.set_viewport_size(size)
    return tiles


def copy_course(root: Path, destination: Path) -> Path:
    """Copy what learners and instructors open (course, exercises, solutions, nbgrader config)."""
    destination.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc")
    for name in ("course", "exercises", "solutions"):
        if (root / name).is_dir():
            shutil.copytree(root / name, destination / name, ignore=ignore, dirs_exist_ok=True)
    for name in ("nbgrader_config.py",):
        if (root / name).is_file():
            shutil.copy2(root / name, destination / name)
    return destination


_PROBE = r"""(index) => {
  // Arm a probe on one cell: the time of the next key press, then of the first frame after
  // the cell's chart (every vega-embed holding a drawn SVG/canvas) differs from now, and of the
  // first change of its text outputs.
  const cell = window.jupyterapp.shell.currentWidget.content.widgets[index].node;
  const chartSig = () => {
    const embeds = [...cell.querySelectorAll('.vega-embed')].filter(e => e.checkVisibility());
    const drawn = (e) => e.querySelector('svg.marks, canvas.marks');
    if (!embeds.length || !embeds.every(drawn)) return null;
    return embeds.map(e => { const m = e.querySelector('svg.marks, canvas.marks');
      return m.tagName === 'canvas' ? m.toDataURL() : m.outerHTML; }).join('|');
  };
  const textSig = () => [...cell.querySelectorAll('.widget-html-content, .jp-RenderedText')]
      .filter(e => !e.closest('.vega-embed') && e.checkVisibility())
      .map(e => e.innerText).join('|');
  if (window.__akProbe && window.__akProbe.observer) window.__akProbe.observer.disconnect();
  const probe = {t0: null, chart: null, text: null, chart0: chartSig(), text0: textSig()};
  const onKey = (ev) => { if (probe.t0 === null) probe.t0 = performance.now(); };
  const onDown = (ev) => { if (probe.t0 === null) probe.t0 = performance.now(); };
  document.addEventListener('keydown', onKey, true);
  document.addEventListener('pointerup', onDown, true);
  probe.observer = new MutationObserver(() => {
    if (probe.t0 === null) return;
    const now = performance.now();
    if (probe.text === null && textSig() !== probe.text0) probe.text = now;
    if (probe.chart === null) {
      const sig = chartSig();
      if (sig !== null && sig !== probe.chart0) {
        probe.chart = -1;
        requestAnimationFrame(() => { probe.chart = performance.now(); });
      }
    }
    if (probe.chart > 0 && probe.text !== null) {
      probe.observer.disconnect();
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('pointerup', onDown, true);
    }
  });
  probe.observer.observe(cell, {childList: true, subtree: true, attributes: true,
                                characterData: true});
  window.__akProbe = probe;
}"""


def arm_redraw_probe(page, cell_index: int) -> None:
    """Start timing: the next key press (or pointer release) in the page starts the clock."""
    page.evaluate(_PROBE, cell_index)


def redraw_times(page, *, timeout: float = 30.0) -> dict:
    """Wait for the armed probe; return ms from the input to the chart's next frame and to the text.

    Keys: ``chart_ms`` (to the first frame after the chart changed), ``text_ms`` (to the text
    change, or None if the text did not change).
    """
    page.wait_for_function("() => window.__akProbe && window.__akProbe.chart > 0",
                           timeout=timeout * 1e3, polling="raf")
    page.wait_for_timeout(50)
    probe = page.evaluate("() => ({t0: window.__akProbe.t0, chart: window.__akProbe.chart,"
                          " text: window.__akProbe.text})")
    return {"chart_ms": probe["chart"] - probe["t0"],
            "text_ms": None if probe["text"] is None else probe["text"] - probe["t0"]}


def slider_aria(handle) -> dict:
    """A noUiSlider handle's value and bounds, from its ARIA attributes."""
    return handle.evaluate("""(h) => ({now: +h.getAttribute('aria-valuenow'),
        min: +h.getAttribute('aria-valuemin'), max: +h.getAttribute('aria-valuemax')})""")
