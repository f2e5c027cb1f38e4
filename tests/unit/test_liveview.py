"""The explorers' live chart: a shipped front end, data-only redraws, and a snapshot for exports."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from IPython.display import display

from alliancekit import charts, explorer, liveview, render, widgets


def test_the_shipped_front_end_is_built_from_the_current_snippet():
    head = liveview.BUNDLE.read_text(encoding="utf-8").split("\n", 1)[0]
    assert liveview.snippet_hash() in head, (
        "alliancekit/static/liveview.js is stale: run python scripts/build_liveview.py")


def test_the_shipped_front_end_bundles_vega_and_the_render_function():
    text = liveview.BUNDLE.read_text(encoding="utf-8")
    assert len(text) > 500_000                       # Vega, Vega-Lite and vega-embed inside
    assert "export" in text and "render" in text and "toSVG" in text
    assert "cdn.jsdelivr" not in text and "unpkg.com" not in text


def test_the_package_ships_the_front_end():
    from pathlib import Path

    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert '"static/*.js"' in pyproject


def test_a_redraw_with_a_known_key_builds_no_chart():
    ex = widgets.erosion_explorer()
    slider = ex.controls["L"]
    slider.value = 0.0
    slider.value = 1.0                                # the key is known from the first draw
    assert callable(ex.view._rows), "the altair panels were built on a data-only redraw"
    assert ex.specs[0]["datasets"]                    # the data were still sent


def test_the_browser_gets_the_same_spec_the_builders_write():
    ex = widgets.portfolio_explorer()
    ex.controls["q"].value = 0.8
    assert ex.specs == [charts.fast_spec(p) for p in ex.view.panels]


def test_a_live_frame_the_chart_does_not_draw_is_refused():
    frame = pd.DataFrame({"x": [1, 2]})

    def draw(v):
        chart = charts.alt.Chart(frame).mark_point().encode(x="x:Q").properties(
            description="points")
        return explorer.View(frame, lambda: chart, "s", live=explorer.Live(
            "k", [pd.DataFrame({"x": [3]})], "points"))

    with pytest.raises(ValueError, match="live frame 0"):
        explorer.Explorer("t", {"a": widgets.W.Checkbox()}, draw)


def test_a_remembered_setting_is_not_computed_again():
    calls = []

    def draw(v):
        calls.append(v["a"])
        chart = charts.alt.Chart(pd.DataFrame({"x": [int(v["a"])]})).mark_point().encode(
            x="x:Q").properties(description="a point")
        return explorer.View(chart.data, chart, "s")

    ex = explorer.Explorer("t", {"a": widgets.W.Checkbox()}, draw, remember=2)
    ex.controls["a"].value = True
    ex.controls["a"].value = False
    assert calls == [False, True]


def test_the_browser_svg_fills_the_snapshot_without_vl_convert(monkeypatch):
    ex = widgets.portfolio_explorer()
    ex.widget()
    assert "<svg" not in ex.snapshot_html(svg=False)  # nothing drawn by the kernel
    svg = '<svg xmlns="http://www.w3.org/2000/svg" class="marks"><g></g></svg>'
    ex._chart_view._message(ex._chart_view, {"kind": "svg", "svgs": [svg]}, [])
    html = ex.snapshot_html(svg=False)
    assert 'class="marks"' in html and "<title>" in html


def test_a_browser_svg_with_script_is_dropped():
    ex = widgets.portfolio_explorer()
    ex.widget()
    bad = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    ex._chart_view._message(ex._chart_view, {"kind": "svg", "svgs": [bad]}, [])
    assert "<script>alert" not in ex.snapshot_html(svg=False)


def test_a_live_notebook_displays_the_snapshot_without_drawing_it(monkeypatch):
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    InteractiveShell.instance()
    monkeypatch.setenv("JPY_SESSION_NAME", "course/06-small-powers.ipynb")
    monkeypatch.delenv("ALLIANCEKIT_SNAPSHOT", raising=False)
    ex = widgets.portfolio_explorer()
    with capture_output() as captured:
        display(ex)
    snapshot = captured.outputs[-1]
    assert "ak-snapshot" in snapshot.data["text/html"]
    assert "<svg" not in snapshot.data["text/html"]
    assert snapshot.metadata is None or "transient" not in snapshot.metadata


@pytest.mark.parametrize("env, live", [({}, False), ({"JPY_SESSION_NAME": "x.ipynb"}, True),
                                       ({"JPY_SESSION_NAME": "x.ipynb",
                                         "ALLIANCEKIT_SNAPSHOT": "kernel"}, False)])
def test_who_draws_the_snapshot(monkeypatch, env, live):
    for name in ("JPY_SESSION_NAME", "ALLIANCEKIT_SNAPSHOT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert explorer._live_frontend() is live


@pytest.mark.parametrize("env, svg", [({}, True), ({"JPY_SESSION_NAME": "x.ipynb"}, False),
                                      ({"JPY_SESSION_NAME": "x.ipynb",
                                        "ALLIANCEKIT_SNAPSHOT": "kernel"}, True)])
def test_a_plain_chart_leaves_its_picture_to_the_browser_only_in_a_live_notebook(monkeypatch, env,
                                                                                  svg):
    # JupyterLab adds its own PNG of the chart it drew to the output; without a browser the
    # kernel's SVG is the only picture an export has
    for name in ("JPY_SESSION_NAME", "ALLIANCEKIT_SNAPSHOT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    chart = charts.alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_point().encode(
        x="x:Q").properties(description="two points")
    bundle, _ = render.render(chart.to_dict())
    assert render.VEGALITE_MIMETYPE in bundle
    assert (render.SVG_MIMETYPE in bundle) is svg


@pytest.fixture(scope="module")
def scorecard():
    return widgets.scorecard_explorer()


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(score=st.sampled_from([i / 20 for i in range(21)]),
       shock=st.sampled_from(["none", "leadership change", "external shock"]),
       year=st.integers(0, 40), size=st.sampled_from([0.0, 0.35, 1.0]))
def test_any_setting_draws_what_the_builders_write(scorecard, score, shock, year, size):
    """Not only the extremes: a kept spec plus the data sent equals the builders' spec."""
    ex = scorecard
    shock_year = ex.controls["shock_year"]
    ex.controls["T"].value = score
    ex.controls["shock"].value = shock
    shock_year.value = min(shock_year.max, shock_year.min + year)
    ex.controls["shock_size"].value = size
    built = [charts.fast_spec(p) for p in ex.view.panels]
    assert json.dumps(ex.specs, sort_keys=True) == json.dumps(built, sort_keys=True)
