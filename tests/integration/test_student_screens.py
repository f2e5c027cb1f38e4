"""What a student reads under a cell, checked on the executed output rather than on the code.

Each test runs a few cells in a fresh kernel, as a lesson or a set does, and reads the outputs the
notebook then holds: what JupyterLab shows and what an HTML export keeps.
"""
from __future__ import annotations

import json
import re

import nbformat
import pytest
from nbclient import NotebookClient

from alliancekit._env import put_on_path

pytestmark = pytest.mark.notebooks


def _run(*sources: str) -> list:
    """Execute ``sources`` as code cells in a fresh kernel; return the executed cells."""
    put_on_path()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    return nb.cells


def _visible_text(cell) -> str:
    """Everything a cell's outputs put on screen as text (streams and plain-text results)."""
    parts = []
    for out in cell.outputs:
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            parts.append(out.get("data", {}).get("text/plain", ""))
    return "".join(parts)


def test_a_sets_summary_line_appears_once_and_unquoted():
    cells = _run(
        "from alliancekit.checks import RESULTS, summary\n"
        "RESULTS.clear(); RESULTS.update({'Q1': 'pass', 'Q2': 'fail'})",
        'summary("Q1", "Q2", "Q3")',
    )
    shown = _visible_text(cells[1])
    line = "1 of 3 checks pass; not yet: Q2; not run yet: Q3."
    assert shown.count("checks pass") == 1, shown
    assert shown.strip() == line
    assert not any(o.output_type == "execute_result" for o in cells[1].outputs)


def test_a_long_text_column_is_shown_whole_in_the_table():
    justification = ("coded as in effect because the 1925 treaty's guarantee clause was invoked "
                     "by both signatories when the crisis came, per the archival record")
    cells = _run(
        "import alliancekit, pandas as pd\n"
        f"pd.DataFrame({{'case': ['A'], 'justification': [{justification!r}]}})",
    )
    html = "".join(o.get("data", {}).get("text/html", "") for o in cells[0].outputs)
    assert justification in html
    assert "..." not in html and "…" not in html


@pytest.mark.parametrize("name", ["blocs_1914", "little_entente", "ecowas_sahel"])
def test_the_drawn_map_shows_land_and_says_where_it_comes_from(name):
    import vl_convert as vlc

    from alliancekit import coursecharts, maps

    places, ties = maps.map_layers(name)
    chart = coursecharts.schematic_map(places, ties, maps.map_spec(name).title)
    svg = vlc.vegalite_to_svg(json.loads(chart.to_json()))
    assert len(re.findall(r'fill="#f1efe9"', svg)) >= 1
    assert "Natural Earth" in chart.to_dict()["description"]
    assert "not borders" in chart.to_dict()["title"]["subtitle"]
