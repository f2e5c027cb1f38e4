"""Read a Vega SVG and say which axis and legend labels are missing, hidden or repeated.

Vega writes each axis as a group with an ``aria-label`` ("Y-axis for a discrete scale with 3
values: A, B, C" or "X-axis titled 'Year' for a linear scale with values from 1920 to 1938"), one
tick line per tick and one text per label; a label that Vega hid because it would overlap another
is still written, with ``opacity="0"``. Legends are written the same way (``role-legend-label``).

`label_problems` is used by the browser test on the SVG of each chart as the browser drew it
(``view.toSVG()``), so the fonts and sizes are the browser's own.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

_NS = "{http://www.w3.org/2000/svg}"


def _classes(node) -> set[str]:
    return set(node.get("class", "").split())


def _texts(group, role: str) -> list[tuple[str, bool]]:
    """(text, visible) of every label text under ``group`` with class ``role``."""
    out = []
    for node in group.iter():
        if role in _classes(node):
            for text in node.iter(f"{_NS}text"):
                content = "".join(text.itertext()).strip()
                opacity = text.get("opacity", "1")
                visible = float(opacity or 1) > 0 and text.get("display") != "none"
                out.append((content, visible))
    return out


def _ticks(group) -> int:
    return sum(1 for node in group.iter() if "role-axis-tick" in _classes(node)
               for _ in node.iter(f"{_NS}line"))


def axes(svg: str) -> list[dict]:
    """Every axis of a Vega SVG: its aria-label, tick count and labels (text, visible)."""
    root = ET.fromstring(svg)
    found = []
    for group in root.iter():
        if "role-axis" not in _classes(group):
            continue
        found.append({"aria": group.get("aria-label", ""), "ticks": _ticks(group),
                      "labels": _texts(group, "role-axis-label")})
    return found


def legends(svg: str) -> list[dict]:
    """Every legend of a Vega SVG: its aria-label and labels (text, visible)."""
    root = ET.fromstring(svg)
    return [{"aria": g.get("aria-label", ""), "labels": _texts(g, "role-legend-label")}
            for g in root.iter() if "role-legend" in _classes(g)]


def _discrete_count(aria: str) -> int | None:
    match = re.search(r"discrete scale with (\d+) values?", aria)
    return int(match.group(1)) if match else None


def label_problems(svg: str, name: str = "chart") -> list[str]:
    """Problems a reader would see in the chart's axis and legend labels.

    - a label Vega hid (overlap) or left empty;
    - the same label twice on one axis or legend (e.g. "2027, 2027" from half-year ticks);
    - a discrete axis that labels fewer rows than its scale has values;
    - a continuous axis with fewer visible labels than ticks.

    Returns
    -------
    list of str
        One line per problem; empty when every label is present and distinct.
    """
    problems = []
    for axis in axes(svg):
        labels = axis["labels"]
        shown = [t for t, visible in labels if visible and t]
        where = f"{name}: {axis['aria'][:70]!r}"
        hidden = [t for t, visible in labels if not visible or not t]
        if hidden:
            problems.append(f"{where} hides label(s) {hidden}")
        repeated = sorted({t for t in shown if shown.count(t) > 1})
        if repeated:
            problems.append(f"{where} repeats label(s) {repeated}")
        expected = _discrete_count(axis["aria"])
        if expected is not None and len(shown) < expected:
            problems.append(f"{where} labels {len(shown)} of {expected} categories")
        if expected is None and axis["ticks"] and len(shown) < axis["ticks"]:
            problems.append(f"{where} labels {len(shown)} of {axis['ticks']} ticks")
    for legend in legends(svg):
        shown = [t for t, visible in legend["labels"] if visible and t]
        hidden = [t for t, visible in legend["labels"] if not visible or not t]
        where = f"{name}: legend {legend['aria'][:60]!r}"
        if hidden:
            problems.append(f"{where} hides label(s) {hidden}")
        repeated = sorted({t for t in shown if shown.count(t) > 1})
        if repeated:
            problems.append(f"{where} repeats label(s) {repeated}")
    return problems
