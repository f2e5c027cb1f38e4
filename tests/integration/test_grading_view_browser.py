"""No script from a submission runs in an instructor's browser: Formgrader, feedback, JupyterLab.

A temporary course holds ex01-theory. Student ``mallory`` submits the worked solution plus script
in every place a submission controls: a written answer (markdown) with ``<img onerror>``,
``<script>``, ``<svg onload>``, an ``<iframe srcdoc>`` and a ``javascript:`` link, and an answer
cell whose outputs are HTML with a script, JavaScript, SVG with ``onload`` and markdown with
``<img onerror>``. Every payload, if it ran, would set ``window.__akPwned``, change
``document.title`` and make a request to a listener on 127.0.0.1 that this test runs. The set is
graded with ``alliancekit-grade`` and its feedback made with ``nbgrader generate_feedback`` as
configured in ``nbgrader_config.py``; then headless Chromium opens, as the instructor:

1. Formgrader's view of the submission (``/formgrader/submissions/<id>/``, nbconvert HTML from
   the instructor's own JupyterLab server);
2. the feedback page (``feedback/mallory/ex01-theory/ex01-theory.html``, from ``file://``, where
   nothing else would stop a script);
3. the autograded notebook in the instructor's JupyterLab, *trusted* (as after ``jupyter trust``),
   so that JupyterLab itself would run its HTML and JavaScript outputs.

On each: no flag, no title change, no request to the listener, no ``javascript:`` link, even after
hovering and focusing every element.

**The control run.** With ``ALLIANCEKIT_TEST_UNSANITISED=1`` the course is built without the
sanitiser (no sanitising after autograde, and nbgrader_config.py without ``SanitiseNotebook``);
then every test here must fail, which shows they can.
"""
from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

sys.path.insert(0, str(Path(__file__).resolve().parent))
import browser_support as bs  # noqa: E402

from alliancekit import grading  # noqa: E402
from alliancekit.grading import sandbox  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.nbgrader,
              pytest.mark.filterwarnings("ignore:.*not in session")]

ROOT = Path(__file__).resolve().parents[2]
SET = "ex01-theory"
STUDENT = "mallory"
UNSAFE = bool(sandbox.sandbox_problem()) and not os.environ.get("CI")
CONTROL = os.environ.get("ALLIANCEKIT_TEST_UNSANITISED") == "1"
TITLE = "PWNED"


class _Listener:
    """An HTTP server on 127.0.0.1 that records every request a payload makes."""

    def __init__(self) -> None:
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's API)
                hits.append(self.path)
                self.send_response(204)
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()

            do_POST = do_GET

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _script(listener: str, where: str) -> str:
    """JavaScript that leaves three traces: a window flag, the page title, a request."""
    return (f"window.__akPwned=(window.__akPwned||[]).concat(['{where}']);"
            f"document.title='{TITLE}';"
            f"fetch('{listener}/{where}',{{mode:'no-cors'}}).catch(()=>0);"
            f"new Image().src='{listener}/{where}-img';")


def _hostile_submission(listener: str) -> nbformat.NotebookNode:
    """The worked ex01 with script in a written answer and in the outputs of an answer cell."""
    nb = nbformat.read(ROOT / "solutions" / SET / f"{SET}.ipynb", as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            cell.source = cell.source.replace("### BEGIN SOLUTION\n", "").replace(
                "### END SOLUTION\n", "")
    js = _script(listener, "markdown")
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q6-answer":
            cell.source += (
                f'\n\nSee <img src=x onerror="{js}"> and <script>{js}</script>'
                f'\n\n<svg onload="{js}"><rect width="4" height="4"/></svg>'
                f'\n\n<iframe srcdoc="<script>parent.{js}</script>"></iframe>'
                f'\n\n[my source](javascript:{js}) and <a href="jav&#x09;ascript:{js}">this</a>'
                f'\n\n![chart]({listener}/markdown-image)')
    html_js, out_js = _script(listener, "html-output"), _script(listener, "js-output")
    svg_js, md_js = _script(listener, "svg-output"), _script(listener, "md-output")
    answer = next(i for i, c in enumerate(nb.cells)
                  if c.metadata.get("nbgrader", {}).get("grade_id") == "q4-answer")
    html = f"<b>html output</b><script>{html_js}</script><img src=x onerror=\"{html_js}\">"
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" onload="{svg_js}">'
           '<rect width="9" height="9"/></svg>')
    markdown = f'md <img src=x onerror="{md_js}">'
    nb.cells[answer].source += "\n" + "\n".join([
        "from IPython.display import HTML, SVG, Javascript, Markdown, display",
        f"display(HTML({html!r}))",
        f"display(Javascript({out_js!r}))",
        f"display(SVG({svg!r}))",
        f"display(Markdown({markdown!r}))",
    ])
    nb.cells.insert(answer + 1, new_code_cell(
        "print('a cell the student added')", metadata={}))
    return nb


@pytest.fixture(scope="module")
def listener():
    server = _Listener()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def course(tmp_path_factory, listener):
    reason = bs.chromium_missing_reason()
    if reason:
        pytest.skip(reason) if not os.environ.get("CI") else pytest.fail(reason)
    root = tmp_path_factory.mktemp("view")
    config = (ROOT / "nbgrader_config.py").read_text()
    if CONTROL:
        config = config.replace('    "alliancekit.grading.sanitise.SanitiseNotebook",\n', "")
        config = config.replace(
            'c.HTMLExporter.preprocessors = ["alliancekit.grading.sanitise.SanitiseNotebook"]', "")
    (root / "nbgrader_config.py").write_text(config)
    shutil.copytree(ROOT / "solutions" / SET, root / "solutions" / SET)
    folder = root / "submitted" / STUDENT / SET
    folder.mkdir(parents=True)
    nbformat.write(_hostile_submission(listener.url), folder / f"{SET}.ipynb")
    os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]
    if CONTROL:
        from alliancekit.grading import sanitise
        saved, sanitise.sanitise_autograded = sanitise.sanitise_autograded, lambda *a: []
    try:
        results = grading.grade_assignment(SET, root, progress=False, jobs=1, timeout=60,
                                           unsafe=UNSAFE)
    finally:
        if CONTROL:
            sanitise.sanitise_autograded = saved
    assert [r.status for r in results] == ["graded"], results
    assert results[0].auto_score == results[0].auto_max  # the payloads leave the answers right
    from nbgrader.apps import NbGraderAPI

    done = NbGraderAPI(config=grading._load_config(root)).generate_feedback(SET, STUDENT)
    assert done["success"], done["error"]
    assert listener.hits == []  # grading itself opened nothing
    return root


@pytest.fixture(scope="module")
def lab(course, tmp_path_factory):
    scratch = tmp_path_factory.mktemp("view-lab")
    (scratch / "data").mkdir()
    env = dict(os.environ, JUPYTER_DATA_DIR=str(scratch / "data"), JUPYTER_PLATFORM_DIRS="1")
    notebook = course / "autograded" / STUDENT / SET / f"{SET}.ipynb"
    # The instructor trusts the notebook (jupyter trust): JupyterLab would then run its scripts.
    subprocess.run([sys.executable, "-c", "from nbformat.sign import TrustNotebookApp; "
                    "TrustNotebookApp.launch_instance()", str(notebook)], env=env, check=True,
                   capture_output=True)
    server = bs.start_lab(course, scratch)
    try:
        yield server
    finally:
        bs.stop_lab(server)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = bs.launch_chromium(p)
        yield chromium
        chromium.close()


_PROVOKE = """() => {
  // Hover and focus everything, so that event handlers left behind would fire.
  for (const doc of [document, ...[...document.querySelectorAll('iframe')].map(f => {
      try { return f.contentDocument; } catch (e) { return null; } }).filter(d => d)]) {
    for (const el of doc.querySelectorAll('body *')) {
      for (const type of ['mouseover', 'mouseenter', 'focus', 'animationstart']) {
        try { el.dispatchEvent(new Event(type)); } catch (e) {}
      }
    }
  }
}"""

_TRACES = """() => {
  const docs = [document, ...[...document.querySelectorAll('iframe')].map(f => {
      try { return f.contentDocument; } catch (e) { return null; } }).filter(d => d)];
  const links = [];
  for (const doc of docs) for (const a of doc.querySelectorAll('a[href], area[href]')) {
    if (!['http:', 'https:', 'mailto:', 'file:'].includes(a.protocol)) links.push(a.href);
  }
  return {flag: window.__akPwned || null, title: document.title, links: links,
          iframes: [...document.querySelectorAll('iframe[srcdoc]')].length};
}"""


def _assert_no_script_ran(page, listener, shown: str):
    """The page shows the submission (``shown`` is on it), and no payload left a trace."""
    page.wait_for_timeout(1500)
    page.evaluate(_PROVOKE)
    page.wait_for_timeout(1000)
    traces = page.evaluate(_TRACES)
    assert shown in page.content(), "the page does not show the submission at all"
    assert traces["flag"] is None, f"a script from the submission ran: {traces['flag']}"
    assert traces["title"] != TITLE, "a script from the submission changed the page's title"
    assert listener.hits == [], f"the submission's markup made requests: {listener.hits}"
    assert traces["links"] == [], f"script links left on the page: {traces['links']}"
    assert traces["iframes"] == 0


def _page(browser):
    """A fresh context that reaches only 127.0.0.1 and local files."""
    context = browser.new_context(service_workers="block")
    context.route("**/*", lambda route: route.continue_()
                  if route.request.url.startswith(("http://127.0.0.1", "file:", "data:",
                                                   "blob:", "about:"))
                  else route.abort("internetdisconnected"))
    page = context.new_page()
    page.set_default_timeout(60_000)
    return context, page


def test_formgrader_submission_view_runs_no_script(browser, lab, course, listener):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        submission_id = gb.find_submission_notebook(SET, SET, STUDENT).id
    listener.hits.clear()
    context, page = _page(browser)
    try:
        page.goto(f"{lab.url}formgrader/submissions/{submission_id}/?token={lab.token}")
        page.wait_for_selector(".cell", timeout=60_000)
        _assert_no_script_ran(page, listener, "Model answer")
    finally:
        context.close()


def test_formgrader_sanitises_even_a_copy_nobody_sanitised(browser, lab, course, listener):
    """The second wall: the exporter preprocessor of nbgrader_config.py (plain autograde)."""
    from nbformat.v4 import new_output
    from nbgrader.api import Gradebook

    path = course / "autograded" / STUDENT / SET / f"{SET}.ipynb"
    saved = path.read_bytes()
    raw = nbformat.read(course / "submitted" / STUDENT / SET / f"{SET}.ipynb", as_version=4)
    nb = nbformat.read(path, as_version=4)
    for cell, original in zip([c for c in nb.cells if c.cell_type == "markdown"],
                              [c for c in raw.cells if c.cell_type == "markdown"], strict=True):
        cell.source = original.source  # the written answers as the student wrote them
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")
                  and c.cell_type == "code")
    answer.outputs = [
        new_output("display_data", data={
            "text/html": f"<b>raw</b><img src=x onerror=\"{_script(listener.url, 'raw-html')}\">"}),
        new_output("display_data", data={
            "application/javascript": _script(listener.url, "raw-js")}),
    ]
    nbformat.write(nb, path)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        submission_id = gb.find_submission_notebook(SET, SET, STUDENT).id
    listener.hits.clear()
    context, page = _page(browser)
    try:
        page.goto(f"{lab.url}formgrader/submissions/{submission_id}/?token={lab.token}")
        page.wait_for_selector(".cell", timeout=60_000)
        _assert_no_script_ran(page, listener, "Model answer")
    finally:
        context.close()
        path.write_bytes(saved)


def test_feedback_page_runs_no_script(browser, course, listener):
    listener.hits.clear()
    page_file = course / "feedback" / STUDENT / SET / f"{SET}.html"
    context, page = _page(browser)
    try:
        page.goto(page_file.as_uri())
        page.wait_for_selector("body")
        _assert_no_script_ran(page, listener, "Q1: correct, all visible checks pass")
    finally:
        context.close()


def test_the_trusted_autograded_notebook_in_jupyterlab_runs_no_script(browser, lab, listener):
    listener.hits.clear()
    context, page = _page(browser)
    try:
        bs.open_notebook(page, lab, f"autograded/{STUDENT}/{SET}/{SET}.ipynb")
        page.wait_for_selector(".jp-OutputArea-output", timeout=60_000)
        _assert_no_script_ran(page, listener, "Model answer")
    finally:
        bs.shutdown_kernels(lab)
        context.close()
