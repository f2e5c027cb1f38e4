"""Wide outputs fit, or scroll by keyboard: stacked chart panels and focusable table regions."""
from __future__ import annotations

import altair as alt
import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell

from alliancekit import display, render


def _panel(width=None):
    chart = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_line().encode(x="x", y="y")
    return chart.properties(width=width) if width else chart


def test_two_default_panels_side_by_side_are_stacked():
    spec = (_panel() | _panel()).to_dict()
    stacked = render.stack_if_wide(spec)
    assert "hconcat" not in stacked and len(stacked["vconcat"]) == 2
    assert stacked["vconcat"] == spec["hconcat"]  # same panels, same order


def test_narrow_panels_stay_side_by_side():
    spec = (_panel(200) | _panel(200)).to_dict()
    assert render.stack_if_wide(spec) is spec


def test_the_renderer_draws_wide_panels_stacked_in_both_outputs():
    bundle, _ = render.render((_panel() | _panel()).to_dict())
    vega = next(v for k, v in bundle.items() if "vegalite" in k)
    assert "vconcat" in vega and "hconcat" not in vega


def test_a_dataframe_shows_in_a_named_focusable_region():
    frame = pd.DataFrame({"a": [1, 2], "b": [3, 4]})
    markup = display.frame_html(frame)
    assert markup.startswith('<div class="ak-scroll" role="region" tabindex="0" '
                             'aria-label="Table ')
    assert "2 rows and 2 columns: a, b" in markup
    assert frame._repr_html_() in markup and "overflow-x: auto" in markup


def test_register_makes_ipython_show_frames_through_the_region():
    shell = InteractiveShell.instance()
    try:
        assert display.register(shell)
        data, _ = shell.display_formatter.format(pd.DataFrame({"a": [1]}))
        assert 'role="region" tabindex="0"' in data["text/html"]
    finally:
        InteractiveShell.clear_instance()


def test_two_tables_alike_get_different_names():
    frame = pd.DataFrame({"a": [1, 2]})
    assert display.frame_label(frame) != display.frame_label(frame)


def test_a_wide_table_is_named_by_its_first_columns():
    frame = pd.DataFrame([[1] * 5], columns=list("vwxyz"))
    assert display.frame_label(frame, 4) == "Table 4, 1 row and 5 columns: v, w, x and 2 more"


def test_scroll_region_refuses_a_non_text_label():
    with pytest.raises(TypeError, match="label must be a string"):
        display.scroll_region("<table></table>", None)
