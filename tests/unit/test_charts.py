"""alliancekit.charts: one theme, one offline renderer, charts that describe themselves."""
from __future__ import annotations

import json
import subprocess
import sys

import altair as alt
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from alliancekit import charts, render
from alliancekit.survival import kaplan_meier

OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
             "#000000"}


# ------------------------------------------------------------------ small inputs for builders
def _fan(n=6, start=2000):
    years = np.arange(start, start + n)
    mid = np.linspace(0.8, 0.4, n)
    return pd.DataFrame({"year": years, "mean": mid, "q5": mid - 0.2, "q25": mid - 0.1,
                         "q50": mid, "q75": mid + 0.1, "q95": mid + 0.15})


def _durations():
    return pd.DataFrame({"years": [1.0, 2.0, 2.0, 5.0, 7.5, 3.0],
                         "ended": [True, True, False, True, False, True],
                         "era": ["a", "a", "a", "b", "b", "b"]})


def _calculus():
    return pd.DataFrame({"year": [1900, 1901, 1902], "benefit": [0.4, 0.3, 0.1],
                         "autonomy_cost": [0.1, 0.1, 0.1], "entrapment": [0.05, 0.05, 0.05],
                         "outside": [0.0, 0.1, 0.2], "margin": [0.25, 0.05, -0.25],
                         "stays": [True, True, False]})


def _graph():
    g = nx.Graph()
    for code, abb in [(1, "AAA"), (2, "BBB"), (3, "CCC")]:
        g.add_node(code, abbreviation=abb)
    g.add_edge(1, 2, sign=1)
    g.add_edge(2, 3, sign=1)
    g.add_edge(1, 3, sign=-1)
    pos = pd.DataFrame([{"node": v, "x": float(np.cos(k)), "y": float(np.sin(k)),
                         "abbreviation": g.nodes[v]["abbreviation"]}
                        for k, v in enumerate(g.nodes)])
    edges = pd.DataFrame([{"u": u, "v": v, "sign": d["sign"]} for u, v, d in g.edges(data=True)])
    return pos, edges


def _builders():
    pos, edges = _graph()
    cinc = pd.DataFrame({"ccode": [1, 2, 3] * 2, "stateabb": ["AAA", "BBB", "CCC"] * 2,
                         "year": [1920] * 3 + [1921] * 3,
                         "cinc": [0.01, 0.02, 0.05, 0.011, 0.021, 0.06]})
    members = pd.DataFrame({"alliance": ["X", "X", "X", "Y"], "state": ["a", "b", "c", "d"],
                            "joined": ["1980-01-01", "1995-05-01", "1999-03-12", "1990-01-01"],
                            "left": [None, "2010-01-01", None, None]})
    strategies = pd.DataFrame({"strategy": ["hedging", "autonomy"], "security": [1.0, 0.6],
                               "cost": [0.2, 0.2], "net": [0.8, 0.4], "rank": [1, 2]})
    items = pd.DataFrame({"item": ["Shared threat", "Asymmetry"], "score": [0.6, 0.3],
                          "role": ["holds together", "erodes"]})
    triads = pd.DataFrame({"label": ["AAA-BBB-CCC"], "negatives": [1], "balanced": [False]})
    return {
        "survival_curve": lambda: charts.survival_curve(kaplan_meier(_durations(), "era")),
        "membership_timeline": lambda: charts.membership_timeline(members, start="1991-01-01",
                                                                  end="2020-01-01"),
        "timeline": lambda: charts.timeline(
            pd.DataFrame({"label": ["one", "two"], "start": ["1920-01-01", "1921-06-07"],
                          "end": ["1938-01-01", None]}),
            events=pd.DataFrame({"label": ["one"], "date": ["1933-02-16"], "text": ["pact"]})),
        "capabilities_chart": lambda: charts.capabilities_chart(
            charts.side_totals(cinc, {"left": ["AAA", 2], "right": [3]}),
            events=pd.DataFrame({"year": [1921], "text": ["shock"]})),
        "capabilities_chart_stacked": lambda: charts.capabilities_chart(
            charts.side_totals(cinc, {"AAA": ["AAA"], "BBB": ["BBB"]}), stacked=True),
        "capabilities_chart_browser": lambda: charts.capabilities_chart(
            charts.side_totals(cinc, {"left": ["AAA"], "right": [3]}), browser_controls=True,
            optional=["right"]),
        "network_chart": lambda: charts.network_chart(pos, edges),
        "triad_chart": lambda: charts.triad_chart(triads),
        "margin_chart": lambda: charts.margin_chart(_calculus(), highlight_year=1901),
        "margin_components_chart": lambda: charts.margin_components_chart(_calculus().head(1)),
        "fan_chart": lambda: charts.fan_chart(
            _fan(), threshold=0.25, shocks=pd.DataFrame({"year": [2002], "text": ["coup"]})),
        "gap_chart": lambda: charts.gap_chart(_fan(), _fan().assign(q50=0.9)),
        "dissolution_chart": lambda: charts.dissolution_chart(
            pd.DataFrame({"year": [2000, 2001], "probability": [0.0, 0.2]})),
        "portfolio_chart": lambda: charts.portfolio_chart(strategies),
        "scorecard_chart": lambda: charts.scorecard_chart(items),
    }


BUILDERS = _builders()


# ------------------------------------------------------------------ theme and renderer
def test_course_theme_is_registered_and_enabled_on_import():
    assert alt.theme.active == charts.THEME
    assert charts.THEME in alt.theme.names()


def test_theme_palette_is_okabe_ito():
    config = alt.theme.get()()["config"]
    assert set(config["range"]["category"]) == OKABE_ITO


def test_course_renderer_is_enabled_on_import():
    assert alt.renderers.active == charts.RENDERER


def test_renderer_bundle_has_vegalite_v5_and_svg():
    bundle, _ = charts.render(BUILDERS["fan_chart"]().to_dict())
    assert set(bundle) >= {charts.VEGALITE_MIMETYPE, charts.SVG_MIMETYPE}
    assert bundle[charts.SVG_MIMETYPE].lstrip().startswith("<svg")


def test_displaying_a_chart_uses_the_course_renderer():
    bundle = BUILDERS["margin_chart"]()._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert charts.VEGALITE_MIMETYPE in data and charts.SVG_MIMETYPE in data


def test_mimebundle_without_svg_has_only_the_interactive_chart():
    bundle = charts.mimebundle(BUILDERS["fan_chart"](), svg=False)
    assert charts.VEGALITE_MIMETYPE in bundle and charts.SVG_MIMETYPE not in bundle


def test_svg_is_made_offline_and_shows_the_title():
    svg = charts.to_svg(BUILDERS["portfolio_chart"]().properties(title="Offline title"))
    assert svg.lstrip().startswith("<svg") and "Offline title" in svg


def test_charts_module_loads_no_desktop_plotting_backend():
    code = ("import sys, alliancekit.charts, alliancekit.widgets; "
            "print(any(m == 'matplotlib' or m.startswith('matplotlib.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


# ------------------------------------------------------------------ every builder
@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_builder_gives_a_valid_vegalite_v5_spec(name):
    spec = BUILDERS[name]().to_dict()          # validates against the schema
    assert spec["$schema"].endswith("v5.20.1.json")


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_builder_sets_a_title_and_a_description(name):
    chart = BUILDERS[name]()
    spec = chart.to_dict()
    assert spec.get("title"), name
    assert isinstance(spec.get("description"), str) and len(spec["description"]) > 20
    assert charts.describe(chart).startswith(charts.title_text(chart))


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_builder_chart_has_a_data_table(name):
    table = charts.data_table(BUILDERS[name]())
    assert "<caption>" in table.html and 'scope="col"' in table.html
    assert table.total_rows >= 1


def _resolved(spec):
    """A spec with every named dataset replaced by its values (for comparing specs)."""
    datasets = spec.get("datasets", {})

    def walk(node):
        if isinstance(node, dict):
            out = {}
            for k, v in node.items():
                if k == "datasets":
                    continue
                if k == "data" and isinstance(v, dict) and "name" in v:
                    out[k] = json.dumps(datasets[v["name"]], sort_keys=True, default=str)
                else:
                    out[k] = walk(v)
            return out
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(spec)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_fast_spec_draws_the_same_chart_as_to_dict(name):
    chart = BUILDERS[name]()
    fast, slow = _resolved(charts.fast_spec(chart)), _resolved(chart.to_dict())
    assert json.dumps(fast, sort_keys=True, default=str) == \
        json.dumps(slow, sort_keys=True, default=str)


def test_fast_spec_leaves_the_chart_unchanged():
    chart = BUILDERS["fan_chart"]()
    before = chart.to_dict()
    charts.fast_spec(chart)
    assert chart.to_dict() == before


# ------------------------------------------------------------------ accessibility helpers
def test_describe_refuses_a_chart_without_description():
    chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")
    with pytest.raises(ValueError, match="description"):
        charts.describe(chart)


def test_data_table_escapes_html_and_says_when_rows_are_left_out():
    frame = pd.DataFrame({"name": ["<b>x</b>"] * 5})
    table = charts.data_table(frame, caption="C & D", max_rows=2)
    assert "&lt;b&gt;" in table.html and "<b>x" not in table.html
    assert "C &amp; D" in table.html and "first 2 of 5 rows" in table.html


@pytest.mark.parametrize("bad,exc", [(0, ValueError), (-1, ValueError), (2.5, ValueError),
                                     (True, TypeError), (None, TypeError)])
def test_data_table_rejects_bad_max_rows(bad, exc):
    with pytest.raises(exc, match="max_rows"):
        charts.data_table(pd.DataFrame({"a": [1]}), max_rows=bad)


def test_data_table_rejects_other_objects():
    with pytest.raises(TypeError, match="chart_or_frame"):
        charts.data_table([1, 2, 3])


def test_builder_names_missing_columns():
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['q95'\]"):
        charts.fan_chart(_fan().drop(columns="q95"))


# ------------------------------------------------------------------ data shown
def test_side_totals_add_the_states_of_each_side():
    cinc = pd.DataFrame({"ccode": [1, 2, 3], "stateabb": ["AAA", "BBB", "CCC"],
                         "year": [1920] * 3, "cinc": [0.01, 0.02, 0.05]})
    totals = charts.side_totals(cinc, {"left": ["AAA", 2], "right": [3]}).set_index("side")
    assert totals.loc["left", "cinc"] == pytest.approx(0.03)
    assert totals.loc["right", "cinc"] == pytest.approx(0.05)


def test_side_totals_refuse_a_side_that_matches_nothing():
    cinc = pd.DataFrame({"ccode": [1], "stateabb": ["AAA"], "year": [1920], "cinc": [0.01]})
    with pytest.raises(ValueError, match="matches no state"):
        charts.side_totals(cinc, {"ghost": ["ZZZ"]})


def test_network_chart_gives_each_edge_its_sign_and_ends():
    chart = BUILDERS["network_chart"]()
    edges = charts.chart_frame(chart)
    assert sorted(edges["relation"]) == ["allied (+)", "allied (+)", "hostile (−)"]
    assert {"x", "y", "x2", "y2"} <= set(edges.columns)


def test_membership_timeline_counts_members_and_marks_exits():
    chart = BUILDERS["membership_timeline"]()
    data = charts.chart_frame(chart)
    x = data[data["alliance"] == "X"].set_index("change")
    assert x.loc["start", "members"] == 1          # only "a" had joined by 1991
    assert x.loc["left", "members"] == 2           # b left in 2010
    assert "X lost b (2010)" in chart.description


def test_margin_components_add_up_to_the_margin():
    data = charts.chart_frame(BUILDERS["margin_components_chart"]())
    assert data["value"].iloc[:4].sum() == pytest.approx(data["value"].iloc[4])


def test_browser_controls_are_vegalite_inputs_that_filter_the_view():
    spec = BUILDERS["capabilities_chart_browser"]().to_dict()
    inputs = sorted(p["bind"]["input"] for p in spec["params"])
    assert inputs == ["checkbox", "range", "range"]
    assert "first_year" in spec["layer"][0]["transform"][0]["filter"]


def test_browser_controls_refuse_an_unknown_optional_side():
    cinc = pd.DataFrame({"ccode": [1], "stateabb": ["AAA"], "year": [1920], "cinc": [0.01]})
    with pytest.raises(ValueError, match="optional"):
        charts.capabilities_chart(charts.side_totals(cinc, {"a": [1]}), browser_controls=True,
                                  optional=["ghost"])


def test_renderer_describes_charts_composed_in_a_lesson():
    left, right = BUILDERS["fan_chart"](), BUILDERS["portfolio_chart"]()
    bundle, _ = charts.render((left | right).to_dict())
    description = bundle[charts.VEGALITE_MIMETYPE]["description"]
    assert left.description in description and right.description in description


def test_importing_charts_leaves_the_format_packages_importable():
    """charts imports altair without jsonschema's slow format checkers (the IRI grammar, URI and
    duration patterns) but leaves each package usable."""
    code = (
        "import alliancekit.charts, importlib.util, sys\n"
        "from alliancekit.render import _FORMAT_PACKAGES as names\n"
        "assert all(sys.modules.get(n, 'absent') is not None for n in names)\n"
        "print(all(importlib.util.find_spec(n) is not None for n in names))"
    )
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


# ----------------------------------------------------- builders skip altair's debug mode
def _counting_validation(monkeypatch) -> list:
    """Count altair's schema validations from now on (each still runs)."""
    schemapi = alt.utils.schemapi
    real, calls = schemapi.validate_jsonschema, []

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(schemapi, "validate_jsonschema", counted)
    return calls


def test_a_builder_does_not_validate_each_part_as_it_is_made(monkeypatch):
    calls = _counting_validation(monkeypatch)
    BUILDERS["fan_chart"]()
    assert calls == []


def test_a_built_chart_is_still_validated_whole_when_written(monkeypatch):
    chart = BUILDERS["fan_chart"]()
    chart.width = "very wide"              # not a size Vega-Lite knows
    with pytest.raises(alt.utils.schemapi.SchemaValidationError):
        chart.to_dict()


def test_a_builder_leaves_altairs_debug_mode_as_it_was():
    BUILDERS["gap_chart"]()
    with pytest.raises(ValueError):
        charts.fan_chart(_fan(), threshold=2.0)
    assert alt.utils.schemapi.DEBUG_MODE is True


def test_every_chart_builder_is_marked_as_one():
    from alliancekit import coursecharts, model_charts, replication_charts

    builders = [getattr(module, name) for module in (charts, model_charts, replication_charts,
                                                     coursecharts)
                for name in module.__all__
                if name.endswith(("_chart", "_curve", "_map")) or name in ("timeline",
                                                                          "membership_timeline")]
    assert len(builders) > 20
    unmarked = [f.__name__ for f in builders if not hasattr(f, "__wrapped__")]
    assert unmarked == []


# ------------------------------------------------------------------ what a notebook displays
@pytest.fixture
def live(monkeypatch):
    """A kernel a Jupyter server started for a notebook (render.live_frontend)."""
    monkeypatch.setenv("JPY_SESSION_NAME", "lesson.ipynb")
    monkeypatch.delenv("ALLIANCEKIT_SNAPSHOT", raising=False)


def test_a_live_notebook_shows_a_builders_chart_without_validating_it_again(live, monkeypatch):
    chart = BUILDERS["fan_chart"]()
    calls = _counting_validation(monkeypatch)
    bundle, _ = render.display_bundle(chart)
    assert calls == []
    assert _resolved(bundle[charts.VEGALITE_MIMETYPE]) == _resolved(
        chart._repr_mimebundle_()[0][charts.VEGALITE_MIMETYPE])


def test_a_live_notebook_validates_a_chart_no_builder_made(live, monkeypatch):
    chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").properties(
        description="one point")
    calls = _counting_validation(monkeypatch)
    bundle, _ = render.display_bundle(chart)
    assert calls and charts.VEGALITE_MIMETYPE in bundle


def test_without_a_browser_a_builders_chart_is_displayed_by_altair_with_its_svg(monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    chart = BUILDERS["gap_chart"]()
    calls = _counting_validation(monkeypatch)
    bundle, _ = render.display_bundle(chart)
    assert calls and charts.SVG_MIMETYPE in bundle
