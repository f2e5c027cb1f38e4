"""The course's own pages: the timeline, the schematic maps and the data-literacy page.

Each page runs top to bottom offline, and each of its charts comes with a title, a description in
words and a data table. Executing tests carry the ``notebooks`` marker.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbrun import run_notebook

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "course"
VEGALITE = "application/vnd.vegalite.v5+json"
SVG = "image/svg+xml"
_RUN: dict[str, nbformat.NotebookNode] = {}


def executed(name: str) -> nbformat.NotebookNode:
    if name not in _RUN:
        _RUN[name] = run_notebook(COURSE / name)
    return _RUN[name]


def _charts(nb) -> list[dict]:
    return [o["data"][VEGALITE] for c in nb.cells for o in c.get("outputs", [])
            if VEGALITE in o.get("data", {})]


def _svgs(nb) -> list[str]:
    return [o["data"][SVG] for c in nb.cells for o in c.get("outputs", [])
            if SVG in o.get("data", {})]


def _text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                parts.append(out.text)
    return "\n".join(parts)


def _tables(nb) -> list[str]:
    return [o["data"]["text/html"] for c in nb.cells for o in c.get("outputs", [])
            if "ak-data-table" in o.get("data", {}).get("text/html", "")]


def _title(spec: dict) -> str:
    title = spec.get("title", "")
    return title.get("text", "") if isinstance(title, dict) else title


def test_pages_are_committed_clean():
    for name in ("timeline.ipynb", "maps.ipynb", "data-literacy.ipynb"):
        nb = nbformat.read(COURSE / name, as_version=4)
        assert not [c for c in nb.cells if c.cell_type == "code" and c.get("outputs")], name


@pytest.mark.notebooks
def test_timeline_page_shows_a_titled_described_interactive_chart_and_its_table():
    nb = executed("timeline.ipynb")
    charts = _charts(nb)
    assert len(charts) == 1
    spec = charts[0]
    assert _title(spec) and spec.get("description")
    assert any(p.get("select", {}).get("type") == "interval" or "bind" in p
               for p in spec.get("params", [])), "the timeline should be interactive"
    assert spec["description"] in _text(nb) or _title(spec) in _text(nb)
    tables = _tables(nb)
    assert tables and "Every dated event" in tables[0]
    rows = tables[0].count("<tr>") - 1
    assert rows > 200, f"the table should list every event; it has {rows} rows"
    assert all(svg.lstrip().startswith("<svg") for svg in _svgs(nb))


@pytest.mark.notebooks
def test_timeline_spans_the_course_from_1872_to_2025():
    text = _text(executed("timeline.ipynb"))
    match = re.search(r"(\d+) dated events, (\d{4}) to (\d{4})", text)
    assert match
    assert 1872 <= int(match.group(2)) <= 1875 and int(match.group(3)) == 2025


@pytest.mark.notebooks
def test_each_map_is_titled_schematic_described_and_tabled():
    nb = executed("maps.ipynb")
    charts = _charts(nb)
    assert len(charts) == 3
    text = _text(nb)
    for spec in charts:
        title = _title(spec)
        assert "schematic" in (title + str(spec.get("title"))).lower()
        assert spec.get("description", "").startswith("Schematic map")
        assert title in text, f"the description of {title!r} is not printed under it"
    captions = [re.search(r"<caption>(.*?)</caption>", t).group(1) for t in _tables(nb)]
    assert sum("Capitals" in c for c in captions) == 3
    assert sum("ties" in c for c in captions) == 3


@pytest.mark.notebooks
def test_data_literacy_page_recodes_and_reruns():
    nb = executed("data-literacy.ipynb")
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert len(re.findall(r"recode and re-run", markdown, re.I)) >= 3
    text = _text(nb)
    atop = re.search(r"ATOP coding: median lifespan ([\d.]+) years.*?after 15 years (\d+)%", text)
    cow = re.search(r"COW's end date: median lifespan ([\d.]+) years.*?after 15 years (\d+)%", text)
    assert atop and cow, "the recode-and-rerun cell should print both codings' results"
    assert atop.group(2) != cow.group(2), "the recoded end date should change the estimate"
    for topic in ("Reinsurance", "accession", "phase", "CINC"):
        assert topic in markdown
