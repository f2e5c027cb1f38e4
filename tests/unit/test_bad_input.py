"""Bad input, everywhere: every public function refuses it with a clear error.

For every public function and every parameter, each of None, -1, 10**9, NaN, '', an unknown
name and [] is passed in place of a valid value. The error must be a `TypeError`, a `ValueError`
or an `UnknownNameError` (a `LookupError`), and its message must name the parameter or quote the
bad value. A bare numpy, pandas or networkx error (or an AttributeError, IndexError, KeyError ...)
fails the test. A value may be accepted only where it is valid for that parameter: None where
the parameter's default is None (None means "not given"), or an entry of the reviewed list
`ACCEPTS`, each with its reason. Any other acceptance fails the test.

Covered: every public module of the library, except the grading wing (``alliancekit/grading``,
tested with the grading) and the explorers' own arguments in ``widgets`` and ``explorer``
(listed in `ACCEPTS` as they are; their checks belong to the explorers' owners).
"""
from __future__ import annotations

import functools
import inspect
import math

import ipywidgets as W
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from alliancekit import (
    abrogation,
    calculus,
    calculus_cases,
    cases,
    charts,
    checks,
    chronology,
    cohesion,
    coursecharts,
    display,
    drivers,
    europe,
    europe1936,
    explorer,
    fulfilment,
    landscape,
    maps,
    model_charts,
    networks,
    outside_options,
    render,
    replication_charts,
    replication_explorers,
    scenarios,
    sensitivity,
    strategies,
    studentview,
    summaries,
    survival,
    svgtext,
    termination,
    widgets,
)
from alliancekit._validate import UnknownNameError

BAD = {"None": None, "-1": -1, "1e9": 10**9, "NaN": float("nan"), "empty": "",
       "unknown": "no_such_name", "[]": []}


# ------------------------------------------------------------------------------ valid inputs
@functools.lru_cache(maxsize=None)
def _sim():
    return cohesion.simulate(drivers={"T": 0.5}, years=range(2000, 2004), runs=4, seed=0)


@functools.lru_cache(maxsize=None)
def _fit():
    return abrogation.fit()


@functools.lru_cache(maxsize=None)
def _graph():
    return networks.build_signed_graph([("A", "B", 1), ("B", "C", -1), ("A", "C", -1)])


def _chart():
    return charts.fan_chart(cohesion.fan(_sim()))


def _km():
    d = pd.DataFrame({"years": [1.0, 2.0, 3.0], "ended": [True, False, True]})
    return survival.kaplan_meier(d)


def _cinc():
    return cases.cinc(["FRN", "RUS"], [1913, 1914])


P3 = [[0, 1, -1], [1, 0, -1], [-1, -1, 0]]

#: function -> (positional/keyword arguments of a valid call); every parameter named here is
#: tried with each bad value.
CALLS = {
    cases.table: dict(name="states"),
    cases.state_code: dict(state="Italy"),
    cases.state_name: dict(ccode=325),
    cases.members: dict(alliance_id="nato", on="1990-01-01", use_accession=False),
    cases.member_codes: dict(alliance_id="nato", days=["1990-01-01"], use_accession=False),
    cases.memberships_on: dict(on="1900-01-01", states=["ITA"], use_accession=False),
    cases.alliances_of: dict(state="Italy", on="1900-01-01"),
    cases.cinc: dict(states="GMY", years=1913),
    cases.case: dict(name="nato"),
    cases.durations: dict(until=2003),
    cases.cite: dict(key="atop401"),
    cases.known_alliance: dict(alliance_id="nato"),
    cases.as_date: dict(value="1900-01-01", argument="day"),
    cases.capitals: dict(states=["Italy"], on="1914-06-28"),
    summaries.side_totals: dict(cinc=_cinc, sides={"x": ["FRN"]}),
    summaries.short_name: dict(name="North Atlantic Treaty Organization (NATO)"),
    summaries.membership_spans: dict(alliance_ids=["nato"]),
    summaries.obligation_codes: dict(column=lambda: cases.durations()["obligations"]),
    summaries.by_obligation: dict(durations=lambda: cases.durations()),
    summaries.member_counts: dict(spans=lambda: summaries.membership_spans("triple_alliance"),
                                  start="1900-01-01", end="1916-01-01"),
    survival.kaplan_meier: dict(durations=lambda: cases.durations(), group="era"),
    survival.share_alive: dict(table=_km, years=2.0),
    survival.median_lifespan: dict(table=_km),
    survival.cumulative_incidence: dict(durations=lambda: cases.durations(), cause="cause",
                                        level=0.9),
    networks.build_signed_graph: dict(edges=[("A", "B", 1)], nodes=["A", "B"], fill=-1),
    networks.edge_table: dict(G=_graph),
    networks.triads: dict(G=_graph),
    networks.is_balanced: dict(G=_graph),
    networks.frustration: dict(G=_graph),
    networks.split_violations: dict(G=_graph, bloc=["A"]),
    networks.triad_dynamics: dict(G=_graph, p=0.5, max_steps=10, seed=0, frustration_up_to=5),
    networks.node_positions: dict(G=_graph, layout="spring", seed=0),
    landscape.energy: dict(config=[0, 0, 1], sizes=[1, 1, 1], propensity=P3),
    landscape.frustrations: dict(config=[0, 0, 1], sizes=[1, 1, 1], propensity=P3),
    landscape.energies: dict(sizes=[1, 1, 1], propensity=P3),
    landscape.sigma_quadratic_all: dict(w=P3),
    landscape.configurations: dict(n=3, start=0, stop=2),
    landscape.decode: dict(code=1, n=3),
    landscape.encode: dict(config=[0, 1, 1]),
    landscape.global_minimum: dict(sizes=[1, 1, 1], propensity=P3),
    landscape.myopic_dynamics: dict(start=[0, 1, 1], sizes=[1, 1, 1], propensity=P3,
                                    rule="random", seed=1, max_steps=100),
    landscape.basins: dict(sizes=[1, 1, 1], propensity=P3, n_starts=20, rule="steepest",
                           seed=0, exhaustive_up_to=2, names=["a", "b", "c"]),
    europe.signed_graph: dict(year=1900, conflict="rivalry", day="06-30"),
    europe.balance_by_year: dict(years=[1900], conflict="alliance", day="12-31"),
    europe.great_power_inputs: dict(year=1900),
    calculus.commitment_margin: dict(own_cinc=0.03, partner_cinc=[0.1], threat=0.5,
                                     alignment=[0.5], propensity=[0.2], outside=0.1,
                                     reliability=0.7, depth=1.0, kappa=0.25, epsilon=0.5,
                                     exit_cost=0.0),
    calculus.obligation_depth: dict(defense=1, offense=0, neutrality=0, nonaggression=0,
                                    consultation=0),
    calculus_cases.member_inputs: dict(alliance="triple_alliance", member="Italy"),
    calculus_cases.member_calculus: dict(alliance="triple_alliance", member="Italy",
                                   years=[1890, 1891], reliability=0.75, depth=1.0, kappa=0.25,
                                   epsilon=0.5, exit_cost=0.1),
    drivers.asymmetry: dict(shares=[1, 2, 3], method="entropy"),
    drivers.scenario_arrays: dict(scenario=lambda: scenarios.scenario("ecowas")),
    scenarios.scenario: dict(name="ecowas"),
    scenarios.scenario_arrays_named: dict(name="ecowas"),
    cohesion.CohesionParams: dict(alpha=0.3, gamma=0.3, k_years=2, noise=0.01,
                                  betas={"T": 1.0}),
    cohesion.simulate: dict(scenario="little_entente", years=range(1925, 1930), runs=3,
                            seed=1, shocks=[(1926, "X", 0.3)], initial={"doubt": 0.1},
                            gamma=0.3, T=0.5),
    cohesion.simulate_paths: dict(drivers={"T": 0.5}, years=range(2000, 2004), runs=3, seed=1),
    cohesion.fan: dict(frame=_sim, quantiles=[0.5], column="doubt"),
    cohesion.dissolution_probability: dict(frame=_sim),
    strategies.help_probability: dict(reliability=[0.7, 0.6], q=0.2, phi=0.5),
    strategies.help_probability_mc: dict(reliability=[0.7], q=0.2, phi=0.5, n_draws=100,
                                         seed=0),
    strategies.honour_correlation: dict(r_i=0.7, r_j=0.6, q=0.2, phi=0.5),
    strategies.normal_times_reliability: dict(marginal=0.7, q=0.2, phi=0.5),
    strategies.Partner: dict(reliability=0.7, capacity=1.0, depth=1.0, entanglement=0.05,
                             name="p"),
    strategies.portfolio: dict(partners=[{"reliability": 0.7}], own_capability=0.2, q=0.1,
                               phi=0.5, baseline_capability=0.1, cost_per_capability=0.4),
    strategies.compare_strategies: dict(q=0.2, phi=0.5, reliability=0.7, calibrate=True,
                                        baseline_capability=0.1, cost_per_capability=0.4),
    strategies.correlation_sweep: dict(q=0.2, phis=[0.0, 0.5]),
    strategies.strategy_table: dict(strategies={"alone": {"partners": [],
                                                          "own_capability": 0.3}}),
    render.to_svg: dict(chart=_chart),
    render.mimebundle: dict(chart=_chart, svg=False, validate=False),
    render.describe: dict(chart=_chart),
    render.chart_frame: dict(chart=_chart),
    render.data_table: dict(chart_or_frame=_chart, caption="c", max_rows=5),
    render.fast_spec: dict(chart=_chart),
    render.iso_date: dict(value="1900-01-01"),
    render.title_text: dict(chart=_chart),
    render.year_ticks: dict(first=1920, last=1938, max_labels=5),
    render.year_axis: dict(first=1920, last=1938, max_labels=5),
    render.date_axis: dict(first=1920, last=1938, max_labels=5),
    render.inline_records: dict(frame=_km),
    render.require_columns: dict(frame=_km, columns=["years"], name="table"),
    render.finish: dict(chart=_chart, title="t", description="d", subtitle="s"),
    render.sized: dict(chart=_chart, width=100, height=100),
    render.builder: dict(build=lambda: charts.dissolution_chart),
    render.display_bundle: dict(chart=_chart),
    charts.survival_curve: dict(table=_km, title="t", subtitle="s"),
    charts.survival_band_chart: dict(table=_km, title="t"),
    charts.incidence_chart: dict(
        table=lambda: survival.cumulative_incidence(cases.durations()), title="t",
        labels={"expired": "Expired"}),
    model_charts.margin_compare_chart: dict(
        frame=lambda: pd.DataFrame({"year": [1914, 1915], "margin": [0.1, -0.2],
                                    "margin_alt": [0.1, -0.3]}),
        title="t", labels=("a", "b"), first_year=1914),
    model_charts.tornado_chart: dict(
        table=lambda: pd.DataFrame({"parameter": ["a", "b"], "low_value": [0.1, 0.2],
                                    "high_value": [0.9, 0.8], "at_low": [0.2, 0.3],
                                    "at_high": [0.6, 0.4], "base": [0.35, 0.35]}),
        title="t", outcome="o", base=0.35),
    charts.membership_timeline: dict(
        memberships=lambda: summaries.membership_spans("triple_alliance"),
        start="1900-01-01", end="1916-01-01", title="t", subtitle="s"),
    charts.timeline: dict(spans=lambda: pd.DataFrame({"label": ["a"], "start": ["1900-01-01"],
                                                      "end": ["1910-01-01"]}), title="t"),
    charts.capabilities_chart: dict(totals=lambda: summaries.side_totals(_cinc(), {"x": ["FRN"]}),
                                    title="t", stacked=True, browser_controls=True,
                                    optional=["x"]),
    charts.network_chart: dict(positions=lambda: networks.node_positions(_graph()),
                               edges=lambda: networks.edge_table(_graph()), title="t",
                               size=200),
    charts.triad_chart: dict(triads=lambda: networks.triads(_graph()), title="t"),
    model_charts.margin_chart: dict(
        frame=lambda: calculus_cases.member_calculus("triple_alliance", "Italy", [1890, 1891]),
        title="t", highlight_year=1890),
    model_charts.margin_components_chart: dict(
        parts=lambda: pd.DataFrame([{"benefit": 0.3, "autonomy_cost": 0.1, "entrapment": 0.05,
                                     "outside": 0.1, "margin": 0.05}]), title="t"),
    model_charts.fan_chart: dict(fan=lambda: cohesion.fan(_sim()), title="t", threshold=0.25,
                           y_title="Cohesion"),
    model_charts.gap_chart: dict(cohesion_fan=lambda: cohesion.fan(_sim()),
                           professed_fan=lambda: cohesion.fan(_sim(), column="professed"),
                           title="t"),
    model_charts.dissolution_chart: dict(
        probability=lambda: cohesion.dissolution_probability(_sim()), title="t"),
    model_charts.portfolio_chart: dict(strategies=lambda: strategies.compare_strategies(0.2, 0.5),
                                 title="t"),
    model_charts.scorecard_chart: dict(
        items=lambda: pd.DataFrame({"item": ["a"], "score": [0.5], "role": ["erodes"]}),
        title="t"),
    # what each explorer's builder draws, without the chart (live redraws)
    render.records: dict(frame=_km),
    charts.survival_parts: dict(table=_km),
    charts.membership_parts: dict(memberships=lambda: summaries.membership_spans("triple_alliance"),
                                  start="1900-01-01", end="1916-01-01"),
    charts.network_parts: dict(positions=lambda: networks.node_positions(_graph()),
                               edges=lambda: networks.edge_table(_graph())),
    charts.triad_parts: dict(triads=lambda: networks.triads(_graph())),
    model_charts.margin_parts: dict(
        frame=lambda: calculus.member_calculus("triple_alliance", "Italy", [1890, 1891]),
        highlight_year=1890),
    model_charts.margin_components_parts: dict(
        parts=lambda: pd.DataFrame([{"benefit": 0.3, "autonomy_cost": 0.1, "entrapment": 0.05,
                                     "outside": 0.1, "margin": 0.05}])),
    model_charts.fan_parts: dict(fan=lambda: cohesion.fan(_sim()), y_title="Cohesion"),
    model_charts.gap_parts: dict(cohesion_fan=lambda: cohesion.fan(_sim()),
                                 professed_fan=lambda: cohesion.fan(_sim(), column="professed")),
    model_charts.portfolio_parts: dict(
        strategies=lambda: strategies.compare_strategies(0.2, 0.5)),
    model_charts.scorecard_parts: dict(
        items=lambda: pd.DataFrame({"item": ["a"], "score": [0.5], "role": ["erodes"]})),
    replication_charts.blocs_parts: dict(scored=lambda: europe1936.predict()),
    explorer.title_spec: dict(title="t", subtitle="s"),
    # lesson apparatus and replications (issues 10, 11, 15)
    abrogation.design: dict(power_threshold=0.25, regime_points=3),
    abrogation.compare: dict(table=lambda: _fit().table, alpha=0.05),
    fulfilment.honour_rate: dict(coding="BF", count_nonaggression=False),
    fulfilment.sample_rule: dict(cutoff=1945),
    fulfilment.replication_table: dict(count_nonaggression=False, count_consultation=False),
    europe1936.factor_values: dict(coding="corrected"),
    europe1936.propensity: dict(weights={"ideology": 1.0}, coding="corrected"),
    europe1936.inputs: dict(weights={"ideology": 1.0}),
    europe1936.predict: dict(weights={"ideology": 1.0}),
    europe1936.on_their_side: dict(config=[0, 1], ccodes=[200, 255]),
    europe1936.weight_sensitivity: dict(values=[1.0], coding="corrected"),
    sensitivity.one_at_a_time: dict(scenario="little_entente", by_year=1937, runs=5, seed=1,
                                    ranges={"gamma": (0.3, 0.5)}),
    outside_options.alternatives: dict(alliance="triple_alliance"),
    outside_options.compare: dict(alliance="triple_alliance", member="Italy",
                                  variant="before_london"),
    chronology.course_events: dict(first_year=1900, last_year=1950),
    chronology.era_of: dict(year=1900),
    maps.map_spec: dict(name=lambda: maps.map_names()[0]),
    maps.map_layers: dict(name=lambda: maps.map_names()[0]),
    termination.label: dict(termmode=1),
    replication_charts.hazard_ratio_chart: dict(table=lambda: _fit().table, title="t"),
    replication_charts.honour_rate_chart: dict(
        table=lambda: pd.DataFrame({"paper": ["p"], "cases": ["c"], "published": [0.7],
                                    "BF_rate": [0.5], "LLM_rate": [0.7]}), title="t"),
    replication_charts.blocs_chart: dict(scored=lambda: europe1936.predict(), title="t"),
    replication_charts.sensitivity_chart: dict(
        frame=lambda: europe1936.weight_sensitivity([1.0]), reference=15, title="t"),
    coursecharts.course_timeline_chart: dict(
        events=lambda: chronology.course_events(1900, 1950), title="t"),
    coursecharts.schematic_map: dict(
        places=lambda: maps.map_layers(maps.map_names()[0])[0],
        ties=lambda: maps.map_layers(maps.map_names()[0])[1], title="A schematic map",
        width=400, height=300),
    explorer.control_values: dict(widget=lambda: W.IntSlider(value=1, min=0, max=3)),
    explorer.slider: dict(description="d", value=0.5, lo=0.0, hi=1.0, step=0.1),
    widgets.membership_explorer: dict(alliance="asean"),
    widgets.member_calculus_explorer: dict(own_cinc=0.03, threat=0.5),
    widgets.survival_explorer: dict(compare="size"),
    widgets.europe_network_explorer: dict(year=1900, first=1890, last=1910),
    widgets.little_entente_explorer: dict(france=True, first=1925, last=1930),
    widgets.erosion_explorer: dict(scenario="ecowas", runs=5, seed=1),
    widgets.portfolio_explorer: dict(q=0.3, phi=0.5),
    widgets.scorecard_explorer: dict(scenario=None, runs=5, seed=1),
    widgets.landscape_weights_explorer: dict(coding="corrected"),
    # learners' self-checks, the student view's path rules, charts' SVG text, notebook tables
    checks.digest: dict(value=0.5, decimals=2),
    checks.matches: dict(value=0.5, expected_digest=checks.digest(0.5, 2), decimals=2),
    checks.close: dict(actual=0.5, expected=0.5, tol=1e-6),
    checks.check: dict(question="Q1", test=lambda: (lambda: None), hint="h"),
    studentview.canonical_path: dict(path="course/01-theory.ipynb"),
    studentview.is_withheld: dict(path="solutions/x.ipynb", root=None),
    studentview.withheld_url: dict(url_path="/lab/tree/solutions", base_url="/", root=None),
    svgtext.spec_text: dict(spec={"title": "t", "description": "d"}),
    svgtext.label_svg: dict(svg='<svg xmlns="http://www.w3.org/2000/svg"></svg>', title="t",
                            description="d"),
    display.scroll_region: dict(inner_html="<table></table>", label="A table"),
    display.frame_label: dict(frame=lambda: pd.DataFrame({"a": [1]}), number=1),
    display.frame_html: dict(frame=lambda: pd.DataFrame({"a": [1]})),
    display.register: dict(ipython=None),
}

#: Parameters that take any value by design (free text, titles, labels, or a flag of "no
#: value").
FREE = {"title", "subtitle", "caption", "y_title", "description", "name:Partner", "argument",
        "group:kaplan_meier",
        # None is a documented value here: an ATOP termmode of None means "not ended"
        "termmode:label",
        # a learner's answer: any value is judged (a digest, or False), never refused
        "value:digest", "value:matches", "actual:close"}


#: Bad values that are valid for one parameter, reviewed: (parameter, or "parameter:function",
#: bad-value label of `BAD`) -> why it is valid there.
ACCEPTS = {
    ("seed", "1e9"): "any whole number >= 0 is a seed (_validate.generator)",
    ("seed", "None"): "fresh entropy: a run nobody needs to repeat (_validate.generator)",
    ("power_threshold:design", "1e9"): "a power shift is any relative change > 0, unbounded",
    ("outcome:tornado_chart", "unknown"): "the outcome's name, free text like a title",
    ("kappa", "1e9"): "a cost scale is >= 0 with no upper bound (calculus module docstring)",
    ("epsilon", "1e9"): "a cost scale is >= 0 with no upper bound (calculus module docstring)",
    ("k_years:CohesionParams", "1e9"): "years below C_min before dissolving: any whole number >= 1",
    ("max_rows:data_table", "1e9"): "a cap on the rows shown: larger than the table shows all",
    ("years:share_alive", "1e9"): "survival after any time; past the last ending it stays level",
    ("shocks:simulate", "[]"): "no dated shocks (documented)",
    ("reliability:help_probability", "[]"): "no partner at all (documented)",
    ("reliability:help_probability_mc", "[]"): "no partner at all (documented)",
    ("partners:portfolio", "[]"): "standing alone (the 'autonomy' strategy)",
    ("edges:build_signed_graph", "[]"): "a graph with no edges",
    ("nodes:build_signed_graph", "[]"): "no extra nodes beyond those of the edges",
    ("bloc:split_violations", "[]"): "a split with one empty bloc",
    ("columns:require_columns", "[]"): "nothing required",
    ("days:member_codes", "[]"): "no days asked about, no answers",
    ("optional:capabilities_chart", "[]"): "no side gets a show/hide box",
    ("fill:build_signed_graph", "-1"): "missing pairs filled as hostile (documented)",
    ("reference:sensitivity_chart", "None"): "no reference line (documented)",
    ("name:short_name", "unknown"): "any alliance name is shortened (text, not a lookup)",
    ("name:require_columns", "unknown"): "the table's name, quoted in the error message",
    # the explorers' arguments (widgets.py and explorer.py are checked by their owners)
    ("scenario:erosion_explorer", "None"): "a generic alliance (documented)",
    ("scenario:scorecard_explorer", "None"): "a generic alliance (documented)",
    ("lo:slider", "-1"): "a slider may start below zero",
    # the learners' self-checks and the student view
    ("question:check", "unknown"): "any label names a question",
    ("hint:check", "unknown"): "any text is a hint",
    ("root", "empty"): "a folder path; one that does not exist withholds nothing more",
    ("root", "unknown"): "a folder path; one that does not exist withholds nothing more",
    ("label:scroll_region", "empty"): "an empty label falls back to 'Table'",
    ("number:frame_label", "1e9"): "any table number",
    ("expected_digest:matches", "unknown"): "compared as text with the answer's digest",
    ("expected:close", "-1"): "any finite number can be the expected answer",
    ("expected:close", "1e9"): "any finite number can be the expected answer",
    ("tol:close", "1e9"): "a tolerance is >= 0 with no upper bound",
    ("path", "empty"): "the served root itself",
    ("path", "unknown"): "any path may be asked about (a name that is not withheld)",
    ("url_path:withheld_url", "empty"): "a request path that names no route",
    ("url_path:withheld_url", "unknown"): "a request path that names no route",
    ("base_url:withheld_url", "empty"): "the server at the root ('' is '/')",
    ("base_url:withheld_url", "unknown"): "any base URL (a hub's /user/<name>/)",
    ("inner_html:scroll_region", "empty"): "an empty table region",
    ("inner_html:scroll_region", "unknown"): "any markup",
    ("label:scroll_region", "unknown"): "any label text",
    ("hi:slider", "1e9"): "a slider may end anywhere above its start",
}


def _accepted(f, param: str, label: str) -> bool:
    """Whether ``f`` may accept the bad value labelled ``label`` for ``param`` (see ACCEPTS)."""
    if label == "None" and inspect.signature(f).parameters[param].default is None:
        return True
    return (param, label) in ACCEPTS or (f"{param}:{_name(f)}", label) in ACCEPTS


def _name(f) -> str:
    return f.__qualname__


def _resolve(kwargs: dict) -> dict:
    return {k: (v() if callable(v) and not isinstance(v, type) else v) for k, v in kwargs.items()}


_VALID: dict = {}


def _valid(f) -> dict:
    """The valid arguments of ``f``, built once; each call gets fresh copies of the frames."""
    if f not in _VALID:
        _VALID[f] = _resolve(CALLS[f])
    return {k: (v.copy() if isinstance(v, pd.DataFrame) else v) for k, v in _VALID[f].items()}


def _cases():
    for f, kwargs in CALLS.items():
        for param in kwargs:
            if param in FREE or f"{param}:{_name(f)}" in FREE:
                continue
            for label, value in BAD.items():
                yield pytest.param(f, param, value, label,
                                   id=f"{f.__module__.split('.')[-1]}.{_name(f)}-{param}-{label}")


def test_every_public_function_is_covered():
    modules = [cases, summaries, survival, networks, landscape, europe, calculus, calculus_cases,
               drivers, scenarios, cohesion, strategies, render, model_charts, charts, explorer,
               widgets, replication_explorers, abrogation, fulfilment, europe1936, sensitivity,
               outside_options, chronology, maps, termination, replication_charts, coursecharts,
               checks, studentview, svgtext, display]
    covered = {(f.__module__, _name(f)) for f in CALLS}
    missing = []
    for m in modules:
        for name in m.__all__:
            obj = getattr(m, name)
            if not callable(obj) or isinstance(obj, dict):
                continue
            if (inspect.isclass(obj) and not hasattr(obj, "__dataclass_fields__")) \
                    and issubclass(obj, Exception):
                continue
            params = inspect.signature(obj).parameters
            if not params:
                continue                     # nothing to pass wrongly
            if (obj.__module__, _name(obj)) not in covered and obj.__module__ == m.__name__:
                missing.append(f"{m.__name__}.{name}")
    # the renderer altair calls, builder plumbing, and frozen result records the package builds
    exempt = {"alliancekit.explorer.Explorer", "alliancekit.explorer.View",
              "alliancekit.explorer.Live", "alliancekit.render.Parts",
              "alliancekit.render.render", "alliancekit.render.tooltips",
              "alliancekit.render.DataTable"} | {
        f"alliancekit.{name}" for name in (
            "cohesion.Paths", "drivers.Scenario", "cases.Case", "networks.Frustration",
            "networks.TriadDynamics", "landscape.Minimum", "landscape.MyopicResult",
            "europe.LandscapeInputs", "calculus.MemberMargin", "strategies.Portfolio",
            "strategies.MonteCarlo", "abrogation.Fit", "europe1936.Inputs", "maps.MapSpec",
            # fits a Cox model: its arguments are checked before the fit, in design()
            "abrogation.fit",
            # thin adapters kept for lessons (test_layout.KEPT_NAMES): their homes are swept
            "networks.signed_graph", "calculus.member_calculus", "calculus.member_inputs",
            "cohesion.scenario",
            # *questions: labels, any text; the student view's Jupyter server classes (built by
            # the server from its configuration) and the git index refresh it runs after a save
            "checks.summary", "studentview.StudentContentsManager",
            "studentview.StudentFileHandler", "studentview.refresh_git_entry")}
    assert not sorted(set(missing) - exempt)


def test_the_valid_calls_are_valid():
    for f, kwargs in CALLS.items():
        f(**_resolve(kwargs))


def _mentions(message: str, param: str, value) -> bool:
    words = {param, param.strip("_"), repr(value), str(value)}
    if isinstance(value, float) and math.isnan(value):
        words |= {"nan", "NaN", "finite"}
    if value == []:
        words |= {"empty", "at least"}
    return any(w and w in message for w in words)


@pytest.mark.parametrize("f, param, value, label", list(_cases()))
def test_bad_input_gets_a_clear_error(f, param, value, label):
    kwargs = _valid(f)
    kwargs[param] = value
    try:
        f(**kwargs)
    except UnknownNameError as err:
        assert _mentions(str(err), param, value), str(err)
    except LookupError as err:   # a bare KeyError/IndexError from pandas is not an answer
        raise AssertionError(f"{type(err).__name__} is not UnknownNameError: {err}") from err
    except (TypeError, ValueError) as err:
        assert _mentions(str(err), param, value), f"{type(err).__name__}: {err}"
    else:
        assert _accepted(f, param, label), (f"{param}={value!r} was accepted: refuse it, or list "
                                            "it in ACCEPTS with the reason it is valid")


def test_every_reviewed_acceptance_is_still_needed():
    """An entry of ACCEPTS that no call uses any more is dropped, so the list stays short."""
    used = set()
    for case in _cases():
        f, param, _, label = case.values
        used |= {(param, label), (f"{param}:{_name(f)}", label)}
    assert not set(ACCEPTS) - used


def test_a_graph_of_the_wrong_kind_is_a_type_error():
    with pytest.raises(TypeError, match="G"):
        networks.frustration(nx.DiGraph())


def test_a_numpy_array_of_text_is_a_type_error_naming_the_parameter():
    with pytest.raises(TypeError, match="sizes"):
        landscape.energies(np.array(["a", "b"]), np.zeros((2, 2)))
