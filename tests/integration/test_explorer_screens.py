"""Every lesson's explorer, drawn by JupyterLab in Chromium and read the way a student reads it.

One notebook builds each explorer exactly as its lesson does (the lesson's own call expression),
is opened in a private offline JupyterLab and run with Run All. For each explorer the test saves a
screenshot of its cell (to ``$TMPDIR/alliancekit-explorer-screens/``, printed) and checks:

- every axis label and category label of every chart is present and distinct: the SVG of each
  Vega view as the browser drew it (``view.toSVG()``) is read by `label_check.label_problems`;
- every control's label and every dropdown's shown option fit in their boxes (nothing cut off);
- the controls' labels line up (their right edges agree), and dropdowns offer words, not codes.

Marked ``browser``; skipped without Chromium unless CI is set (then it fails).
"""
from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import browser_support as bs  # noqa: E402
from label_check import label_problems  # noqa: E402
from test_browser import (  # noqa: E402,F401  (fixtures used by name)
    CONTRACT_EXPLORERS,
    _explorer_call,
    assert_offline,
    browser,
    chromium_ready,
    evidence,
    lab,
    session,
)

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(tempfile.gettempdir()) / "alliancekit-explorer-screens"
NOTEBOOK = "course/explorer-screens.ipynb"
#: codes that should never be shown to a student as an option or a label
RAW = re.compile(r"_|\b(?:consul|nonagg|neutral|defense|offense)\b")


def _calls() -> dict[str, str]:
    """Lesson -> the call expression that lesson uses to build its explorer."""
    calls = {}
    for stem, factory in sorted(CONTRACT_EXPLORERS.items()):
        lesson = ROOT / "course" / f"{stem}.ipynb"
        calls[stem] = _explorer_call(lesson, factory)
    return calls


def _write_notebook(root: Path, calls: dict[str, str]) -> None:
    cells = [nbformat.v4.new_code_cell("import alliancekit as ak")]
    for stem, call in calls.items():
        cells.append(nbformat.v4.new_code_cell(f"# {stem}\n{call}"))
    nb = nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {
        "display_name": "Python 3", "language": "python", "name": "python3"}})
    nbformat.write(nb, root / NOTEBOOK)


_CELL_SVGS = r"""async (index) => {
  const found = []; const seen = new Set();
  const walk = (w) => {
    if (!w || seen.has(w)) return; seen.add(w);
    if (w._result && w._result.view) found.push(w._result.view);
    // an explorer's live chart (alliancekit.liveview) keeps its views on the panels' elements
    if (w.node) w.node.querySelectorAll('.ak-live').forEach(e => {
      if (e.__akView && !seen.has(e.__akView)) { seen.add(e.__akView); found.push(e.__akView); }
    });
    let kids = [];
    try { kids = [...w.children()]; } catch (e) {}
    if (w.widgets) { try { kids = kids.concat([...w.widgets]); } catch (e) {} }
    if (w.layout && w.layout.widgets) { try { kids = kids.concat([...w.layout.widgets]); }
                                        catch (e) {} }
    if (w._outputView) kids.push(w._outputView);
    if (w.luminoWidget) kids.push(w.luminoWidget);
    for (const k of kids) walk(k);
  };
  walk(window.jupyterapp.shell.currentWidget.content.widgets[index]);
  const views = found.filter(v => v.container() && v.container().isConnected
                                  && v.container().checkVisibility());
  return Promise.all(views.map(v => v.toSVG()));
}"""

_CONTROLS = r"""(node) => {
  const canvas = document.createElement('canvas').getContext('2d');
  const out = {labels: [], selects: [], toggles: [], bindings: []};
  for (const label of node.querySelectorAll('.widget-label')) {
    if (!label.checkVisibility() || !label.innerText.trim()) continue;
    const box = label.getBoundingClientRect();
    const host = label.closest('.widget-inline-hbox, .widget-hbox, .jupyter-widgets');
    out.labels.push({text: label.innerText.trim(), cut: label.scrollWidth > label.clientWidth + 1,
                     right: box.right, kind: host ? host.className : ''});
  }
  for (const select of node.querySelectorAll('.widget-dropdown select')) {
    const style = getComputedStyle(select);
    canvas.font = `${style.fontSize} ${style.fontFamily}`;
    const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    const room = select.clientWidth - padding - 16;  // the arrow
    const options = [...select.options].map(o => ({text: o.text,
                                                   cut: canvas.measureText(o.text).width > room}));
    out.selects.push({shown: select.options[select.selectedIndex].text, options});
  }
  out.bindings = [...node.querySelectorAll('.vega-bind-name')].map(e => ({
      text: e.innerText.trim(), styled: getComputedStyle(e).textAlign === 'right'}));
  for (const button of node.querySelectorAll('.widget-toggle-buttons button')) {
    out.toggles.push({text: button.innerText.trim(),
                      cut: button.scrollWidth > button.clientWidth + 1});
  }
  return out;
}"""


@pytest.fixture(scope="module")
def calls() -> dict[str, str]:
    return _calls()


@pytest.fixture
def explorers_page(session, lab, calls):  # noqa: F811 (fixtures from test_browser)
    """The explorers notebook after Run All, and the index of each lesson's explorer cell."""
    _write_notebook(lab.root, calls)
    page = session.page
    page.set_viewport_size({"width": 1440, "height": 2400})  # each explorer fits on screen
    bs.open_notebook(page, lab, NOTEBOOK)
    bs.run_all(page, timeout=240)
    cells = {stem: k + 1 for k, stem in enumerate(calls)}
    return page, cells


@pytest.mark.browser
def test_each_explorer_shows_every_label_whole_and_distinct(session, explorers_page, calls):  # noqa: F811, E501
    page, cells = explorers_page
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems, seen = [], {}
    with evidence(session):
        report = bs.notebook_report(page)
        assert report["errors"] == [], report["errors"]
        for stem, index in cells.items():
            cell = page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").nth(index)
            cell.scroll_into_view_if_needed()
            page.wait_for_timeout(150)
            shot = SHOTS / f"{stem}.png"
            cell.screenshot(path=str(shot))
            svgs = page.evaluate(_CELL_SVGS, index)
            assert svgs, f"{stem}: no chart drawn by {calls[stem]}"
            for k, svg in enumerate(svgs):
                problems += label_problems(svg, f"{stem} chart {k}")
            controls = cell.evaluate(_CONTROLS)
            seen[stem] = {"charts": len(svgs), "labels": [c["text"] for c in controls["labels"]],
                          "dropdowns": [s["shown"] for s in controls["selects"]]}
            for label in controls["labels"]:
                if label["cut"]:
                    problems.append(f"{stem}: control label cut off: {label['text']!r}")
            rights = {round(c["right"]) for c in controls["labels"]}
            if len(rights) > 1 and max(rights) - min(rights) > 2:
                problems.append(f"{stem}: control labels do not line up (right edges {rights})")
            for select in controls["selects"]:
                for option in select["options"]:
                    if option["cut"]:
                        problems.append(f"{stem}: dropdown option cut off: {option['text']!r}")
                    if RAW.search(option["text"]):
                        problems.append(f"{stem}: dropdown shows a code: {option['text']!r}")
            for name in controls["bindings"]:
                if not name["styled"]:
                    problems.append(f"{stem}: the chart's input {name['text']!r} is unstyled")
            for button in controls["toggles"]:
                if button["cut"]:
                    problems.append(f"{stem}: button text cut off: {button['text']!r}")
                if RAW.search(button["text"]):
                    problems.append(f"{stem}: button shows a code: {button['text']!r}")
        print(f"\nexplorer screenshots in {SHOTS}")
        print(json.dumps(seen, indent=1, ensure_ascii=False))
        assert not problems, "what a student would see wrong:\n" + "\n".join(problems)
        assert_offline(session)


_PAGE_SVGS = r"""async () => {
  const found = []; const seen = new Set();
  const walk = (w) => {
    if (!w || seen.has(w)) return; seen.add(w);
    if (w._result && w._result.view) found.push(w._result.view);
    let kids = [];
    try { kids = [...w.children()]; } catch (e) {}
    if (w.widgets) { try { kids = kids.concat([...w.widgets]); } catch (e) {} }
    for (const k of kids) walk(k);
  };
  walk(window.jupyterapp.shell.currentWidget);
  return Promise.all(found.map(v => v.toSVG()));
}"""


@pytest.mark.browser
@pytest.mark.parametrize("page_name", ["timeline", "maps"])
def test_course_page_draws_offline_with_every_label(session, lab, page_name):  # noqa: F811
    page = session.page
    page.set_viewport_size({"width": 1440, "height": 900})
    with evidence(session):
        bs.open_notebook(page, lab, f"course/{page_name}.ipynb")
        bs.run_all(page)
        report = bs.notebook_report(page)
        assert report["errors"] == [] and report["problems"] == [], report
        assert report["vega_drawn"] == report["vega_views"] >= 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        tiles = bs.screenshot_notebook(page, SHOTS / f"page-{page_name}.png")
        print(f"\n{page_name}: {report['vega_drawn']} charts drawn; screenshots {tiles[0]}")
        problems = []
        for k, svg in enumerate(page.evaluate(_PAGE_SVGS)):
            problems += label_problems(svg, f"{page_name} chart {k}")
        assert not problems, "\n".join(problems)
        assert_offline(session)
