"""alliancekit.widgets: every explorer builds, every control works across its range, and the chart
shows what the model says."""
from __future__ import annotations

import json

import ipywidgets as W
import numpy as np
import pandas as pd
import pytest
from IPython.display import display

from alliancekit import cases, charts, cohesion, europe, networks, render, strategies, widgets

EXPLORERS = sorted(widgets.EXPLORERS)


@pytest.fixture(scope="module")
def built():
    """Each explorer built once (building reads data and runs the model once)."""
    return {}


def explorer(built, key):
    if key not in built:
        built[key] = widgets.EXPLORERS[key]()
    return built[key]


control_values = widgets.control_values


def set_value(ex, name, value):
    ex.controls[name].value = value
    return ex


def assert_shows_something(ex, where):
    assert ex.data is not None and len(ex.data) > 0, where
    assert ex.summary, where
    sent = ex.specs
    assert sent and all(s.get("description") and s.get("datasets") for s in sent), where
    # what the browser draws (a kept spec + the data and words sent) is what the builders write
    built = [render.fast_spec(p) for p in ex.view.panels]
    assert json.dumps(sent, sort_keys=True) == json.dumps(built, sort_keys=True), where
    assert charts.describe(ex.chart), where


# ------------------------------------------------------------------ generic smoke test
@pytest.mark.parametrize("key", EXPLORERS)
def test_explorer_exposes_the_agreed_interface(built, key):
    ex = explorer(built, key)
    assert isinstance(ex.controls, dict) and ex.controls
    assert all(isinstance(w, W.ValueWidget) for w in ex.controls.values())
    assert isinstance(ex.data, pd.DataFrame)
    assert isinstance(ex.summary, str)
    assert ex.update() is ex.view


def test_control_values_reach_both_extremes():
    slider = W.FloatSlider(min=0.0, max=1.0, value=0.3)
    assert {0.0, 1.0} <= set(control_values(slider))
    assert control_values(W.Dropdown(options=[("a", 1), ("b", 2)])) == [1, 2]


def test_control_values_refuses_unknown_widgets():
    with pytest.raises(TypeError, match="widget"):
        control_values(W.Text())


@pytest.mark.parametrize("key", EXPLORERS)
def test_every_control_works_across_its_whole_range(built, key):
    ex = explorer(built, key)
    for name, widget in ex.controls.items():
        start = widget.value
        for value in control_values(widget):
            widget.value = value
            assert_shows_something(ex, f"{key}: {name} = {value!r} ({ex.message})")
        widget.value = start
    assert ex.message == ""


@pytest.mark.parametrize("key", EXPLORERS)
def test_explorer_chart_is_valid_and_titled(built, key):
    ex = explorer(built, key)
    spec = ex.chart.to_dict()                       # validates
    assert spec.get("title") and spec.get("description")
    for chart in ex.static:
        assert chart.to_dict().get("description")


@pytest.mark.parametrize("key", EXPLORERS)
def test_snapshot_for_exported_html_has_svg_summary_and_table(built, key):
    ex = explorer(built, key)
    html = ex.snapshot_html()
    assert html.count("<svg") >= 1 + len(ex.static)
    assert "ak-snapshot" in html and "<table" in html and "<figcaption>" in html
    assert ".jp-NotebookPanel .ak-snapshot{display:none}" in html


def test_explorer_displays_widget_then_snapshot(built):
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    InteractiveShell.instance()
    ex = widgets.portfolio_explorer()
    with capture_output() as captured:
        display(ex)
    # the widget box first (a plain-text stand-in outside a kernel), then the static snapshot
    assert len(captured.outputs) >= 2
    snapshot = captured.outputs[-1].data["text/html"]
    assert "ak-snapshot" in snapshot and "<svg" in snapshot


def _children(box, kind):
    return [c for c in box.children if isinstance(c, kind)]


def test_data_table_opens_only_on_request(built):
    ex = widgets.portfolio_explorer()
    accordion = _children(ex.widget(), W.Accordion)[0]
    table = accordion.children[0]
    assert table.value == ""
    accordion.selected_index = 0
    assert "<table" in table.value and "scope=\"col\"" in table.value


# ------------------------------------------------------------------ 01 member calculus
def test_member_calculus_chart_is_the_models_margin():
    ex = widgets.member_calculus_explorer()
    v = ex.values()
    m = cohesion.commitment_margin(v["own_cinc"], [v["partner_cinc"]], v["threat"],
                                   [v["alignment"]], [v["propensity"]], v["outside"],
                                   reliability=v["reliability"], depth=v["depth"])
    shown = ex.data.set_index("term")["value"]
    assert shown["= margin"] == pytest.approx(float(m.margin))
    assert shown["security benefit"] == pytest.approx(float(m.benefit))


def test_member_leaves_when_the_outside_option_is_best():
    ex = widgets.member_calculus_explorer()
    set_value(ex, "outside", 1.0)
    assert "better off leaving" in ex.summary
    assert ex.data.set_index("term").loc["= margin", "kind"] == "leave"


def test_raising_the_threat_raises_the_security_benefit():
    ex = widgets.member_calculus_explorer()
    low = set_value(ex, "threat", 0.1).data.set_index("term")["value"]["security benefit"]
    high = set_value(ex, "threat", 0.9).data.set_index("term")["value"]["security benefit"]
    assert high > low


# ------------------------------------------------------------------ 02 survival
def test_survival_counts_the_filtered_atop_alliances():
    ex = widgets.survival_explorer(compare="nothing")
    set_value(ex, "size", "bilateral (2)")
    d = cases.durations()
    expected = ((d["years"] >= 0) & (d["begin"] <= "2003-12-31") & (d["n_members"] == 2)).sum()
    assert int(ex.data["at_risk"].iloc[0]) == expected


def test_survival_compares_one_curve_per_era():
    ex = widgets.survival_explorer(compare="era")
    d = cases.durations()
    eras = set(d.loc[(d["years"] >= 0) & (d["begin"] <= "2003-12-31"), "era"])
    assert set(ex.data["group"]) == eras and len(eras) >= 4


def test_survival_filter_on_defence_pacts_keeps_only_them():
    ex = widgets.survival_explorer(compare="nothing")
    everyone = int(ex.data["at_risk"].iloc[0])
    set_value(ex, "obligation", "defense")
    assert 0 < int(ex.data["at_risk"].iloc[0]) < everyone


def test_survival_explorer_shows_the_post_1991_timeline():
    ex = widgets.survival_explorer()
    (timeline,) = ex.static
    shown = set(charts.chart_frame(timeline)["alliance"])
    assert shown == {"NATO", "ASEAN", "ECOWAS"}


def test_survival_rejects_an_unknown_comparison():
    with pytest.raises(ValueError, match="compare"):
        widgets.survival_explorer(compare="colour")


# ------------------------------------------------------------------ 03 Europe
@pytest.mark.parametrize("year", [1872, 1888, 1907, 1915])
def test_network_shows_the_models_edges_for_the_year(year):
    ex = widgets.europe_network_explorer()
    set_value(ex, "year", year)
    expected = networks.edge_table(europe.signed_graph(year))
    assert len(ex.data) == len(expected)
    assert sorted(ex.data["sign"]) == sorted(expected["sign"])


@pytest.mark.parametrize("year", [1873, 1888, 1907, 1915])
def test_network_shows_the_models_triads_for_the_year(year):
    ex = widgets.europe_network_explorer()
    set_value(ex, "year", year)
    expected = networks.triads(europe.signed_graph(year))
    shown = charts.chart_frame(ex.view.panels[1])
    assert shown["balanced"].tolist() == expected["balanced"].tolist()
    assert f"{int((~expected['balanced']).sum())} of {len(expected)} triads" in ex.summary


def test_network_rivalry_rule_is_passed_to_the_model():
    ex = widgets.europe_network_explorer(year=1912)
    set_value(ex, "conflict", "rivalry")
    expected = networks.edge_table(europe.signed_graph(1912, conflict="rivalry"))
    assert sorted(ex.data["sign"]) == sorted(expected["sign"])


def test_italy_margin_panel_marks_the_chosen_year():
    ex = widgets.europe_network_explorer(year=1902)
    assert len(ex.view.rows) == 2
    italy = cohesion.member_calculus("triple_alliance", 325).set_index("year")
    assert f"{italy.loc[1902, 'margin']:+.3f}" in ex.summary


def test_network_rejects_a_year_outside_the_slider():
    with pytest.raises(ValueError, match="year"):
        widgets.europe_network_explorer(year=1850)


# ------------------------------------------------------------------ 04 Little Entente
def test_france_guarantee_adds_frances_cinc_to_the_entente():
    ex = widgets.little_entente_explorer()
    alone = ex.data[ex.data["side"] == "Little Entente"].set_index("year")["cinc"]
    set_value(ex, "france", True)
    with_france = ex.data[ex.data["side"] == "Little Entente + France"].set_index("year")["cinc"]
    france = cases.cinc(states=["FRN"], years=list(range(1920, 1939))).set_index("year")["cinc"]
    np.testing.assert_allclose((with_france - alone).to_numpy(), france.loc[alone.index])


def test_entente_view_controls_run_in_the_browser():
    ex = widgets.little_entente_explorer()
    spec = ex.chart.to_dict()
    bound = {p["name"]: p["bind"]["input"] for p in spec["params"] if "bind" in p}
    assert bound == {"first_year": "range", "last_year": "range", "show_0": "checkbox"}
    assert "datum.side != 'Germany' || show_0" in spec["layer"][0]["transform"][0]["filter"]
    assert list(ex.controls) == ["france"]


def test_entente_data_keeps_every_year_and_side():
    ex = widgets.little_entente_explorer()
    assert sorted(ex.data["year"].unique()) == list(range(1920, 1939))
    assert set(ex.data["side"]) == {"Little Entente", "Hungary", "Germany"}


# ------------------------------------------------------------------ 05 erosion
@pytest.mark.parametrize("mechanism", ["L", "H", "S", "X"])
def test_raising_an_erosion_mechanism_lowers_median_cohesion(mechanism):
    ex = widgets.erosion_explorer()
    low = set_value(ex, mechanism, 0.0).data["q50"].mean()
    high = set_value(ex, mechanism, 1.0).data["q50"].mean()
    assert high < low


def test_erosion_fan_is_the_models_fan():
    ex = widgets.erosion_explorer(runs=50, seed=4)
    v = ex.values()
    frame = cohesion.simulate("little_entente", drivers={k: v[k] for k in "LHSX"}, runs=50,
                              seed=4, gamma=v["feedback"])
    np.testing.assert_allclose(ex.data["q50"], cohesion.fan(frame)["q50"])


def test_stronger_perception_feedback_does_not_raise_cohesion():
    ex = widgets.erosion_explorer()
    weak = set_value(ex, "feedback", 0.0).data["q50"].to_numpy()
    strong = set_value(ex, "feedback", 0.75).data["q50"].to_numpy()
    assert np.all(strong <= weak + 1e-12)


def test_erosion_shows_the_rhetoric_reality_gap():
    ex = widgets.erosion_explorer()
    assert {"professed", "q50", "dissolved"} <= set(ex.data.columns)
    assert "gap" in ex.summary
    assert len(ex.view.panels) == 2


def test_generic_erosion_explorer_needs_no_case_data():
    ex = widgets.erosion_explorer(scenario=None)
    assert ex.data["year"].min() == 2000 and "events" not in ex.controls


# ------------------------------------------------------------------ 06 portfolios
def test_portfolio_chart_shows_compare_strategies():
    ex = widgets.portfolio_explorer(q=0.3, phi=0.5)
    expected = strategies.compare_strategies(0.3, 0.5)
    pd.testing.assert_frame_equal(ex.data.reset_index(drop=True), expected)


def test_impossible_shock_keeps_the_last_chart_and_says_why():
    ex = widgets.portfolio_explorer(q=0.25, phi=0.5)
    before = ex.view
    set_value(ex, "q", 1.0)             # q * phi = 0.5 > 1 - 0.745: no calibration exists
    assert ex.view is before
    shown = " ".join(h.value for h in _children(ex.widget(), W.HTML))
    assert "q" in ex.message and "Not possible" in shown
    assert ex.controls["q"].value == 0.25   # the slider is put back where the chart is
    set_value(ex, "q", 0.2)
    assert ex.message == "" and ex.view is not before


# ------------------------------------------------------------------ 07 scorecard
def test_scorecard_shows_the_scores_set():
    ex = widgets.scorecard_explorer()
    set_value(ex, "I", 0.9)
    card = charts.chart_frame(ex.view.panels[0]).set_index("item")
    assert card.loc["Credible institutions", "score"] == pytest.approx(0.9)


def test_a_bigger_shock_does_not_raise_cohesion():
    ex = widgets.scorecard_explorer()
    set_value(ex, "shock", "external shock")
    small = set_value(ex, "shock_size", 0.0).data["q50"].to_numpy()
    big = set_value(ex, "shock_size", 1.0).data["q50"].to_numpy()
    assert np.all(big <= small + 1e-12) and big.sum() < small.sum()


def test_no_shock_means_no_shock_marker():
    ex = widgets.scorecard_explorer()
    set_value(ex, "shock", "none")
    assert "no scenario shock" in ex.summary
