"""Launch anywhere: the course in a real browser with no internet.

(The Binder configuration's tests are in test_binder.py.) Browser tests (marked ``browser``) start a
private JupyterLab on 127.0.0.1
and drive Debian's Chromium with Playwright the way a learner does: menus, keyboard and mouse. Every
browser test runs with all requests to anywhere but 127.0.0.1 aborted and recorded.

Browser tests skip when /usr/bin/chromium is missing, unless the environment variable CI is set, in
which case they fail. Screenshots of every lesson after Run All go to the test's temporary
directory; when a test fails its screenshot is copied to ``$TMPDIR/alliancekit-browser-failures/``
and the path is printed.
"""
from __future__ import annotations

import ast
import html
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from alliancekit._env import environment

sys.path.insert(0, str(Path(__file__).resolve().parent))
import a11y_support as a11y  # noqa: E402
import browser_support as bs  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted((ROOT / "course").glob("[0-9][0-9]-*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("ex*/ex*.ipynb"))
#: Sets whose first self-check a learner runs in the browser: the first, one with an explorer's
#: lesson behind it, and the last. In every set, the worked answers pass their checks
#: (test_variant_solutions.py), an untouched set runs to its summary with every check "not answered
#: yet" (test_exercises.py), and the check's words are specified in tests/unit; the browser adds
#: typing, running and reading the output, which is the same for every set.
SELF_CHECKED = [p for p in EXERCISES if p.parent.name in {"ex01-theory", "ex05-erosion",
                                                          "ex10-landscape"}]
EROSION = "course/05-erosion.ipynb"
KEPT = Path(tempfile.gettempdir()) / "alliancekit-browser-failures"


# --------------------------------------------------------------------------------------------------
# Browser fixtures


@pytest.fixture(scope="session")
def chromium_ready():
    reason = bs.chromium_missing_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but browser tests cannot run: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def browser(chromium_ready):
    """Chromium for one test module. Playwright's sync API runs an event loop while it is open,
    so it is closed at the end of each module: a later module on the same worker (the hub and site
    tests) starts its own Playwright or asyncio loop."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = bs.launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def lab(chromium_ready, tmp_path_factory):
    """One JupyterLab for this module, serving a throw-away copy of the course."""
    scratch = tmp_path_factory.mktemp("jupyterlab")
    root = bs.copy_course(ROOT, scratch / "course-root")
    exchange = scratch / "exchange"
    exchange.mkdir()
    config = root / "nbgrader_config.py"
    if config.exists():  # a private exchange, so the assignment list never reads /srv
        config.write_text(config.read_text() + f"\nc.Exchange.root = {str(exchange)!r}\n")
    server = bs.start_lab(root, scratch / "state")
    yield server
    bs.stop_lab(server)


class Session:
    """A fresh offline page plus the list of requests it tried to send off the machine."""

    def __init__(self, page, blocked, shots: Path, name: str):
        self.page, self.blocked, self.shots, self.name = page, blocked, shots, name
        #: set by a test that has opened a notebook: on failure the whole notebook is kept as tiles
        self.notebook_label: str | None = None

    def screenshot(self, label: str) -> list[Path]:
        """The whole open notebook, as tiles (see browser_support.screenshot_notebook)."""
        return bs.screenshot_notebook(self.page, self.shots / f"{label}.png")

    def screenshot_at(self, label: str, locator) -> Path:
        """The screen with ``locator`` scrolled into view."""
        locator.scroll_into_view_if_needed()
        path = self.shots / f"{label}.png"
        self.page.screenshot(path=str(path))
        return path


@pytest.fixture
def session(browser, lab, tmp_path, request):
    """Before: no sessions or kernels left. After: keep evidence on failure, stop every kernel."""
    bs.reset_lab(lab)
    blocked: list[str] = []
    page = bs.new_offline_page(browser, blocked)
    console_errors: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and console_errors.append(msg.text))
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    current = Session(page, blocked, tmp_path, name)
    current.console_errors = console_errors
    failed_before = request.session.testsfailed
    yield current
    try:
        if request.session.testsfailed > failed_before or getattr(current, "failed", False):
            _keep_evidence(current)
    finally:
        page.context.close()
        bs.reset_lab(lab)


def _keep_evidence(current: Session) -> None:
    KEPT.mkdir(parents=True, exist_ok=True)
    target = KEPT / f"{current.name}.png"
    try:
        current.page.screenshot(path=str(target), full_page=True)
    except Exception:  # the page may be gone; keep what was saved during the test
        pass
    for shot in current.shots.glob("*.png"):
        shutil.copy2(shot, KEPT / f"{current.name}-{shot.name}")
    print(f"\nscreenshots kept in {KEPT} (this test: {target})")


@contextmanager
def evidence(current: Session):
    """Mark the session failed if the block raises, so its screenshots are kept."""
    try:
        yield
    except BaseException:
        current.failed = True
        if current.notebook_label:
            try:  # the whole notebook as the failure left it (a full-page shot shows one screen)
                current.screenshot(current.notebook_label)
            except Exception:  # the page may be gone; keep what there is
                pass
        _keep_evidence(current)
        raise


def assert_offline(current: Session) -> None:
    assert current.blocked == [], f"requests left the machine: {current.blocked[:10]}"


# --------------------------------------------------------------------------------------------------
# Lessons: open, Run All from the menu, no errors, explorer and chart drawn, nothing fetched


# The team contract: the explorer each lesson must show (08 reuses lesson 05's).
CONTRACT_EXPLORERS = {
    "00-welcome": "membership_explorer", "08-conclusion": "erosion_explorer",
    "01-theory": "member_calculus_explorer", "02-patterns": "survival_explorer",
    "03-europe": "europe_network_explorer", "04-little-entente": "little_entente_explorer",
    "05-erosion": "erosion_explorer", "06-small-powers": "portfolio_explorer",
    "07-managing": "scorecard_explorer", "09-evidence": "honour_rate_explorer",
    "10-landscape-1936": "landscape_weights_explorer",
}


def lesson_expectations(path: Path) -> dict:
    """What a lesson should show: its explorer factories and whether it draws a chart."""
    notebook = json.loads(path.read_text())
    source = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    explorers = sorted(set(re.findall(r"\b(\w+_explorer)\s*\(", source)))
    draws = bool(explorers) or bool(re.search(r"\bcharts\.\w+\(|\.chart\b|alt\.Chart", source))
    return {"explorers": explorers, "chart": draws}


@pytest.mark.browser
@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_all_offline_and_draws(session, lab, lesson):
    relative = f"course/{lesson.name}"
    expect = lesson_expectations(lesson)
    if lesson.stem in CONTRACT_EXPLORERS:
        assert CONTRACT_EXPLORERS[lesson.stem] in expect["explorers"], (
            f"{lesson.name} should show {CONTRACT_EXPLORERS[lesson.stem]}()")
    page = session.page
    with evidence(session):
        session.notebook_label = lesson.stem
        bs.open_notebook(page, lab, relative)
        bs.run_all(page)
        report = bs.notebook_report(page)
        print(f"{lesson.stem}: {report['code_cells']} code cells, charts drawn "
              f"{report['vega_drawn']}/{report['vega_views']}, widget views "
              f"{report['widget_views']}, outputs {report['mime']}, blocked {session.blocked}")
        assert report["unrun"] == [], f"cells not run: {report['unrun']}"
        assert report["errors"] == [], f"error outputs: {report['errors']}"
        assert report["problems"] == [], f"the page shows {report['problems']}"
        assert report["vega_errors"] == []
        assert not [m for m in report["mime"] if "vegalite.v6" in m], report["mime"]
        assert report["vega_drawn"] == report["vega_views"], "a chart did not draw"
        if expect["explorers"]:
            assert report["widget_views"] > 0, f"no explorer shown for {expect['explorers']}"
        if expect["chart"]:
            assert report["vega_drawn"] >= 1, f"no chart drawn; outputs by type: {report['mime']}"
        assert_offline(session)
        # ...and axe finds nothing serious or new in it (ACCESSIBILITY.md, a11y_baseline.json).
        problems = a11y.lesson_problems(page, lesson.stem)
        assert problems == [], "\n".join(problems)


# --------------------------------------------------------------------------------------------------
# The erosion explorer, moved by keyboard and by mouse


def _explorer_call(notebook: Path, factory: str) -> str:
    """The source of the first ``...factory(...)`` call in a notebook's code cells."""
    cells = json.loads(notebook.read_text())["cells"]
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
                if name == factory:
                    return ast.get_source_segment(source, node)
    raise AssertionError(f"{notebook.name} never calls {factory}()")


def _fresh_explorer(call: str):
    """Build the same explorer the lesson builds, in this process, as the test's oracle."""
    import alliancekit as ak
    from alliancekit import widgets

    namespace = {"ak": ak, "alliancekit": ak, "widgets": widgets,
                 **{name: getattr(widgets, name) for name in dir(widgets)
                    if name.endswith("_explorer")}}
    return eval(call, namespace)  # the lesson's own call expression


def _explorer_cell_index(page, factory: str) -> int:
    return page.evaluate("""(factory) => {
      const cells = window.jupyterapp.shell.currentWidget.content.widgets;
      for (let i = 0; i < cells.length; i++) {
        const c = cells[i];
        if (c.model.type === 'code' && c.model.sharedModel.getSource().includes(factory + '(')
            && c.node.querySelector('.widget-slider')) return i;
      }
      return -1; }""", factory)


def _cell(page, index: int):
    return page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").nth(index)


def _slider_state(cell) -> list[dict]:
    return cell.evaluate("""(node) => [...node.querySelectorAll('.widget-slider')].map(s => ({
        label: (s.querySelector('.widget-label') || {}).innerText || '',
        readout: (s.querySelector('.widget-readout') || {}).innerText || ''}))""")


def _cell_vega_data(page, index: int) -> list[dict]:
    return page.evaluate("(i) => window.__akCellVega(i)", index)


_CELL_VEGA = bs._VEGA_DATA.replace("() => {", "(index) => {", 1).replace(
    "walk(window.jupyterapp.shell.currentWidget);",
    "walk(window.jupyterapp.shell.currentWidget.content.widgets[index]);")


def _cell_text(cell) -> str:
    """Text shown in a cell's outputs, outside charts and slider readouts."""
    return cell.evaluate("""(node) => [...node.querySelectorAll(
        '.jp-OutputArea-output .widget-html-content, .jp-OutputArea-output .jp-RenderedText, '
        + '.jp-OutputArea-output .jp-RenderedHTMLCommon, '
        + '.jp-OutputArea-output .jp-RenderedMarkdown')]
        .filter(e => !e.closest('.vega-embed') && e.checkVisibility())
        .map(e => e.innerText).join('\\n')""")


def _plain(text: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", str(text)))
    return " ".join(text.replace("*", "").replace("`", "").split())


def _matches(rows: list[dict], frame) -> bool:
    """Whether vega rows hold ``frame``'s numeric columns, row for row."""
    if len(rows) != len(frame):
        return False
    numeric = [c for c in frame.columns
               if frame[c].dtype.kind in "if" and all(c in r for r in rows[:1])]
    if len(numeric) < 2:  # one shared column (say, year) proves nothing
        return False
    for column in numeric:
        for row, value in zip(rows, frame[column].tolist(), strict=True):
            got = row.get(column)
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            if not isinstance(got, (int, float)) or not math.isclose(got, value, rel_tol=1e-6,
                                                                      abs_tol=1e-9):
                return False
    return True


def _shows_data(views: list[dict], frame) -> bool:
    return any(_matches(rows, frame) for view in views for rows in view["data"].values())


def _wait_for_change(page, cell, before_text: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _cell_text(cell) != before_text and bs.kernel_status(page) == "idle":
            break
        page.wait_for_timeout(100)
    bs.wait_kernel_idle(page)
    page.wait_for_timeout(300)
    bs.wait_charts_drawn(page)


def _expected_after(explorer, label: str, readout: str):
    """Set the oracle explorer's control named by the slider's label to the shown value."""
    wanted = label.strip().rstrip(":").strip()
    for name, control in explorer.controls.items():
        if wanted in (str(getattr(control, "description", "")).strip().rstrip(":").strip(), name):
            break
    else:
        raise AssertionError(f"no control of the explorer is labelled {label!r}")
    shown = float(readout.replace("%", "").replace(",", "").strip())
    step = float(getattr(control, "step", 0) or 0)
    value = round(shown / step) * step if step else shown
    if isinstance(control.value, int):
        value = int(round(value))
    control.value = value
    explorer.update()
    return control


@pytest.fixture
def erosion(session, lab):
    """The erosion lesson after Run All, with its explorer cell and an oracle explorer."""
    lesson = ROOT / EROSION
    if not lesson.exists():
        pytest.fail(f"{EROSION} does not exist yet")
    page = session.page
    bs.open_notebook(page, lab, EROSION)
    bs.run_all(page)
    page.evaluate(f"window.__akCellVega = {_CELL_VEGA}")
    index = _explorer_cell_index(page, "erosion_explorer")
    assert index >= 0, "no erosion_explorer cell with a slider after Run All"
    cell = _cell(page, index)
    cell.scroll_into_view_if_needed()
    oracle = _fresh_explorer(_explorer_call(lesson, "erosion_explorer"))
    return page, index, cell, oracle


def _check_initial_state(page, index, cell, oracle) -> None:
    assert _shows_data(_cell_vega_data(page, index), oracle.data), (
        "the chart does not show what erosion_explorer() computes before any change")
    assert _plain(oracle.summary) in _plain(_cell_text(cell))


def _check_follows_the_model(page, index, cell, oracle, before_data, before_text,
                             before_summary, action: str) -> None:
    """After ``action`` moved the first slider, the chart and text show the model's new output."""
    _wait_for_change(page, cell, before_text)
    state = _slider_state(cell)[0]
    _expected_after(oracle, state["label"], state["readout"])
    assert not oracle.data.equals(before_data), f"{action} did not change the model's input"
    views = _cell_vega_data(page, index)
    assert _shows_data(views, oracle.data), (
        f"after {action}, the chart does not show the model's new data")
    assert not _shows_data(views, before_data), "the chart still shows the old data"
    assert _plain(oracle.summary) != _plain(before_summary)
    assert _plain(oracle.summary) in _plain(_cell_text(cell))


@pytest.mark.browser
def test_erosion_explorer_follows_the_keyboard(session, erosion):
    page, index, cell, oracle = erosion
    with evidence(session):
        _check_initial_state(page, index, cell, oracle)
        before_data, before_text = oracle.data.copy(), _cell_text(cell)
        before_summary = oracle.summary
        slider = cell.locator(".widget-slider").first
        handle = slider.locator(".noUi-handle").first
        handle.focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        _check_follows_the_model(page, index, cell, oracle, before_data, before_text,
                                 before_summary, "the key presses")
        session.screenshot_at("erosion-keyboard", cell)
        assert_offline(session)


@pytest.mark.browser
def test_saved_after_a_live_run_the_export_shows_the_explorer_as_left(session, lab, erosion):
    """JupyterLab's "Save and Export as HTML": the kernel drew no SVG for the live explorer; the
    browser sent its own, and the saved notebook's snapshot shows the chart and summary as the
    learner left them. Nor for the plain charts: the export shows JupyterLab's PNG of each."""
    import nbformat
    from nbconvert import HTMLExporter

    page, index, cell, oracle = erosion
    with evidence(session):
        handle = cell.locator(".widget-slider .noUi-handle").first
        handle.focus()
        page.keyboard.press("ArrowRight")
        _wait_for_change(page, cell, _cell_text(cell))
        state = _slider_state(cell)[0]
        _expected_after(oracle, state["label"], state["readout"])
        page.wait_for_timeout(2500)               # the views settle, the SVG goes back
        bs.wait_kernel_idle(page)
        page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
        page.wait_for_timeout(1500)
        saved = nbformat.read(lab.root / EROSION, as_version=4)
        snapshots = [o["data"]["text/html"] for o in saved.cells[index].get("outputs", [])
                     if "ak-snapshot" in o.get("data", {}).get("text/html", "")]
        assert len(snapshots) == 1, "the explorer's snapshot output is missing from the file"
        assert re.search(r'<svg\b[^>]*\bclass="marks"', snapshots[0]), (
            "the saved snapshot has no chart: the browser's SVG never reached it")
        assert _plain(oracle.summary) in _plain(snapshots[0]), "the snapshot shows an old state"
        body, _ = HTMLExporter().from_notebook_node(saved)
        assert _plain(oracle.summary) in _plain(body)
        assert len(re.findall(r'<svg\b[^>]*\bclass="marks"', body)) >= 2   # both panels
        # the lesson's plain charts: the live kernel drew no SVG, JupyterLab kept a PNG of each
        plain = [o["data"] for c in saved.cells for o in c.get("outputs", [])
                 if "application/vnd.vegalite.v5+json" in o.get("data", {})]
        assert plain, "the lesson's plain charts are missing from the saved file"
        assert all("image/png" in d or "image/svg+xml" in d for d in plain), (
            "a plain chart was saved with no picture for exports")
        assert body.count("data:image/png;base64,") + body.count("data:image/svg+xml;base64,") >= (
            len(plain))
        assert_offline(session)


@pytest.mark.browser
def test_erosion_explorer_follows_a_mouse_drag(session, erosion):
    page, index, cell, oracle = erosion
    with evidence(session):
        before_data, before_text = oracle.data.copy(), _cell_text(cell)
        before_summary = oracle.summary
        slider = cell.locator(".widget-slider").first
        track = slider.locator(".noUi-target, .slider").first.bounding_box()
        handle = slider.locator(".noUi-handle").first
        box = handle.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        # Drag a third of the track towards whichever end is further away.
        room_right = track["x"] + track["width"] - x
        dx = (1 if room_right > track["width"] / 2 else -1) * track["width"] / 3
        page.mouse.move(x, y)
        page.mouse.down()
        for k in range(1, 11):
            page.mouse.move(x + dx * k / 10, y)
        page.mouse.up()
        _check_follows_the_model(page, index, cell, oracle, before_data, before_text,
                                 before_summary, "the drag")
        session.screenshot_at("erosion-drag", cell)
        assert_offline(session)


# --------------------------------------------------------------------------------------------------
# Exercises: a learner answers, runs the self-check, and reads pass or fail


def _nbgrader(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def first_question(exercise: Path) -> tuple[str, str, str]:
    """(grade_id of the first answer cell, the solution's code, a wrong answer, same names)."""
    student = json.loads(exercise.read_text())["cells"]
    name = exercise.parent.name
    solution_path = ROOT / "solutions" / name / f"{name}.ipynb"
    solution_cells = json.loads(solution_path.read_text())["cells"]
    solutions = {_nbgrader(c).get("grade_id"): c for c in solution_cells}
    for index, cell in enumerate(student):
        meta = _nbgrader(cell)
        if cell["cell_type"] != "code" or not meta.get("solution") or meta.get("grade"):
            continue
        later = [c for c in student[index + 1:] if c["cell_type"] == "code"]
        if not later or "check(" not in "".join(later[0]["source"]):
            continue
        source = "".join(solutions[meta["grade_id"]]["source"])
        answer = "\n".join(line for line in source.splitlines()
                           if not re.match(r"\s*### (BEGIN|END) SOLUTION", line))
        return meta["grade_id"], answer, _wrong_answer(answer)
    raise AssertionError(f"{exercise.name} has no answer cell followed by a self-check")


def _wrong_answer(answer: str) -> str:
    """Keep the names the question asks for, but give them nothing useful (None)."""
    lines = []
    for node in ast.parse(answer).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = ", ".join(a.arg for a in node.args.args)
            lines.append(f"def {node.name}({args}):\n    return None")
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        lines.append(f"{name.id} = None")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            lines.append(ast.unparse(node))
    assert lines, "could not tell which names the answer defines"
    return "\n".join(lines)


def _answer_cell_index(page, grade_id: str) -> int:
    return page.evaluate("""(id) => {
      const cells = window.jupyterapp.shell.currentWidget.content.widgets;
      for (let i = 0; i < cells.length; i++) {
        const nb = cells[i].model.getMetadata('nbgrader');
        if (nb && nb.grade_id === id) return i;
      }
      return -1; }""", grade_id)


def _type_into(page, cell, text: str) -> None:
    editor = cell.locator(".cm-content").first
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)
    page.keyboard.press("Escape")  # command mode, focus stays on this cell


def _select(page, cell) -> None:
    """Select a cell in command mode by clicking its prompt (the bar left of it would fold it)."""
    cell.locator(".jp-InputPrompt").first.click()
    page.keyboard.press("Escape")


def _run_answer_and_check(page, answer_cell, check_cell) -> str:
    _select(page, answer_cell)
    page.keyboard.press("Shift+Enter")  # run the answer, move to the check cell
    bs.wait_kernel_idle(page)
    page.keyboard.press("Shift+Enter")  # run the self-check
    page.wait_for_timeout(200)
    bs.wait_kernel_idle(page)
    check_cell.locator(".jp-OutputArea-output").first.wait_for()
    return check_cell.locator(".jp-OutputArea").first.inner_text()


@pytest.mark.browser
@pytest.mark.parametrize("exercise", SELF_CHECKED, ids=[p.parent.name for p in SELF_CHECKED])
def test_learner_sees_pass_then_fail_from_the_self_check(session, lab, exercise):
    grade_id, right, wrong = first_question(exercise)
    page = session.page
    with evidence(session):
        bs.open_notebook(page, lab, f"exercises/{exercise.parent.name}/{exercise.name}")
        index = _answer_cell_index(page, grade_id)
        assert index >= 0
        answer_cell, check_cell = _cell(page, index), _cell(page, index + 1)
        # Run the set-up cells above the answer, as a learner would: select it, Run All Above.
        _select(page, answer_cell)
        bs.click_menu(page, "Run", "notebook:run-all-above")
        page.wait_for_timeout(300)
        bs.wait_kernel_idle(page)
        report = bs.notebook_report(page)
        assert [e for e in report["errors"] if e["cell"] < index] == [], report["errors"]

        _type_into(page, answer_cell, right)
        shown = _run_answer_and_check(page, answer_cell, check_cell)
        assert "[PASS]" in shown and "correct" in shown, f"the right answer showed: {shown!r}"
        session.screenshot_at(f"{exercise.parent.name}-pass", check_cell)

        _type_into(page, answer_cell, wrong)
        shown = _run_answer_and_check(page, answer_cell, check_cell)
        assert "[NOT YET]" in shown and "hint:" in shown, f"a wrong answer showed: {shown!r}"
        assert "[PASS]" not in shown and "Traceback" not in shown
        session.screenshot_at(f"{exercise.parent.name}-fail", check_cell)
        assert_offline(session)


@pytest.mark.browser
@pytest.mark.parametrize("app", ["jupyterlab", "notebook7"])
def test_run_all_on_an_untouched_exercise_shows_every_check_without_a_traceback(session, lab, app):
    """The raises-exception tag lets Run All go past unanswered questions in both front ends."""
    name = "ex01-theory"
    relative = f"exercises/{name}/{name}.ipynb"
    student = json.loads((ROOT / relative).read_text())["cells"]
    checks = [c for c in student if _nbgrader(c).get("grade") and not _nbgrader(c).get("solution")]
    page = session.page
    with evidence(session):
        if app == "jupyterlab":
            bs.open_notebook(page, lab, relative)
        else:
            page.goto(f"{lab.url}notebooks/{relative}?token={lab.token}")
            page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=90_000)
            page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').first.wait_for(
                timeout=90_000)
        page.locator(".jp-Notebook .jp-Cell").first.click()  # the notebook, not the page, has focus
        started = ("() => [...document.querySelectorAll('.jp-InputPrompt')]"
                   ".some(p => /\\[[*0-9]/.test(p.textContent))")
        for attempt in range(2):  # a click before the front end has wired the menu is lost
            bs.click_menu(page, "Run", "runmenu:run-all")
            try:
                page.wait_for_function(started, timeout=30_000)
                break
            except Exception:
                if attempt:
                    raise
        summary = f"0 of {len(checks)} checks pass"
        page.wait_for_function("(s) => document.body.innerText.includes(s)", arg=summary,
                               timeout=120_000)
        shown = page.locator(".jp-Notebook").first.inner_text()
        assert shown.count("[NOT ANSWERED YET]") >= len(checks), shown[-2000:]
        assert "Traceback" not in shown and "Cell In[" not in shown
        last = page.locator(".jp-Notebook .jp-Cell").last.inner_text()
        assert summary in last
        assert_offline(session)


# --------------------------------------------------------------------------------------------------
# Offline routing itself, and the instructor's nbgrader panels


@pytest.mark.browser
def test_offline_routing_blocks_and_records_outside_requests(session, lab):
    page = session.page
    page.goto(f"{lab.url}lab?reset&token={lab.token}")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell")
    outcome = page.evaluate("""() => fetch('https://cdn.jsdelivr.net/npm/vega@5')
        .then(() => 'fetched').catch(() => 'blocked')""")
    assert outcome == "blocked"
    assert session.blocked == ["https://cdn.jsdelivr.net/npm/vega@5"]


def _needs_nbgrader_config():
    if not (ROOT / "nbgrader_config.py").exists():
        pytest.fail("nbgrader_config.py is missing at the repository root")


@pytest.mark.browser
def test_instructor_formgrader_loads_without_errors(session, lab):
    _needs_nbgrader_config()
    page = session.page
    with evidence(session):
        page.goto(f"{lab.url}lab?reset&token={lab.token}")
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell")
        bs.click_menu(page, "Nbgrader", "nbgrader:open-formgrader")
        frame = page.frame_locator("#formgrader iframe").first
        frame.locator("body").wait_for()
        frame.get_by_text("Manage Assignments").first.wait_for(timeout=60_000)
        listing = frame.locator("#main-table, table").first
        listing.wait_for(timeout=60_000)
        frame.get_by_text("ex01-theory").first.wait_for(timeout=60_000)
        text = frame.locator("body").inner_text()
        errors = frame.locator("body").evaluate("""(body) => [...body.querySelectorAll(
            '.alert-danger, .alert-error, [id$="_error"]')]
            .filter(e => e.checkVisibility() && e.innerText.trim()).map(e => e.innerText)""")
        assert errors == [], errors
        assert "Traceback" not in text and "500 :" not in text, text[:2000]
        for name in ("ex01-theory", "ex07-managing"):
            assert name in text, f"the formgrader should list {name}:\n{text[:2000]}"
        session.page.screenshot(path=str(session.shots / "formgrader.png"))
        assert_offline(session)


@pytest.mark.browser
def test_learner_assignment_list_loads_without_errors(session, lab):
    _needs_nbgrader_config()
    page = session.page
    # The instructor releases one set into the server's private exchange (see the lab fixture).
    env = environment()
    released = subprocess.run(
        [sys.executable, "-m", "nbgrader", "release_assignment", "ex01-theory", "--force"],
        cwd=lab.root, env=env, capture_output=True, text=True, timeout=120)
    assert released.returncode == 0, released.stderr[-2000:]
    with evidence(session):
        page.goto(f"{lab.url}lab?reset&token={lab.token}")
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell")
        bs.click_menu(page, "Nbgrader", "nbgrader:open-assignment-list")
        panel = page.locator("#nbgrader-assignment-list")
        panel.wait_for()
        for part in ("released", "fetched", "submitted"):
            page.wait_for_selector(f"#{part}_assignments_list_loading", state="hidden")
        released_list = panel.locator("#released_assignments_list")
        released_list.get_by_text("ex01-theory").first.wait_for()
        assert released_list.get_by_role("button", name="Fetch").count() >= 1
        errors = panel.evaluate("""(node) => [...node.querySelectorAll(
            '.alert-danger, [id$="_list_error"]')]
            .filter(e => e.checkVisibility() && e.innerText.trim()).map(e => e.innerText)""")
        assert errors == [], errors
        session.page.screenshot(path=str(session.shots / "assignment-list.png"))
        assert_offline(session)


# --------------------------------------------------------------------------------------------------
# Keyboard only: every control of the erosion explorer, reached with Tab, moved with the keys

_CONTROLS = (".widget-slider .noUi-handle, .widget-dropdown select, .widget-checkbox input, "
             ".widget-toggle-button, .widget-toggle-buttons button")
_IS_ACTIVE = "(el) => el === document.activeElement"
# The name a screen reader announces for a control: its ARIA name, else its <label>.
_ANNOUNCED = """(el) => {
  const own = el.getAttribute('aria-label') || '';
  const by = (el.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean).map(
      id => (document.getElementById(id) || {}).innerText || '').join(' ');
  const labelled = el.labels && el.labels.length ? el.labels[0].innerText : '';
  return (own || by || labelled).trim(); }"""


@pytest.mark.browser
def test_erosion_explorer_keyboard_only_walk(session, erosion):
    """Tab from the first control through the rest; each key press changes the chart's data."""
    page, index, cell, oracle = erosion
    with evidence(session):
        controls = cell.locator(_CONTROLS)
        count = controls.count()
        assert count == len(oracle.controls), (
            f"{count} focusable controls on the page, {len(oracle.controls)} in the explorer")
        controls.first.focus()  # where a Tab from the notebook's command mode would land
        walked = []
        for number in range(count):
            control = controls.nth(number)
            for _ in range(4):  # a slider's editable readout is one Tab stop on the way
                if control.evaluate(_IS_ACTIVE):
                    break
                page.keyboard.press("Tab")
            assert control.evaluate(_IS_ACTIVE), f"Tab never reached control {number + 1}"
            name = control.evaluate(_ANNOUNCED)
            assert name, f"control {number + 1} has no accessible name for a screen reader"
            before = _cell_vega_data(page, index)
            before_text = _cell_text(cell)
            kind = control.evaluate("(el) => el.tagName + ':' + (el.type || '')")
            keys = {"INPUT:checkbox": ["Space"], "SELECT:select-one": ["ArrowDown"]}.get(
                kind, ["ArrowRight", "ArrowRight"])
            for key in keys:
                page.keyboard.press(key)
            _wait_for_change(page, cell, before_text)
            after = _cell_vega_data(page, index)
            assert after != before, f"{name!r}: {keys} did not change the chart's data"
            walked.append(name)
            assert control.evaluate(_IS_ACTIVE) or cell.locator(_CONTROLS).nth(number).evaluate(
                _IS_ACTIVE), f"focus was lost after changing {name!r}"
        print(f"keyboard walk through the erosion explorer: {walked}")
        assert_offline(session)


def test_the_sets_self_checked_in_the_browser_exist():
    assert [p.parent.name for p in SELF_CHECKED] == ["ex01-theory", "ex05-erosion",
                                                     "ex10-landscape"]
