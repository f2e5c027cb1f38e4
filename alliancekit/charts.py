"""Altair chart builders for the case data and history: survival, membership, power, networks.

The theme and the offline renderer are set by `alliancekit.render`, which this module imports
(so importing either one configures altair); its names (``describe``, ``data_table``,
``chart_frame``, ``mimebundle``, ``to_svg`` ...) are also reachable from here.

Every builder takes a plain DataFrame (the output of a model or data function: charts never compute
model state), and returns an altair chart with a ``title`` and a top-level ``description`` in
words, for screen readers. `data_table` turns a chart (or a frame) into an accessible HTML table.

Builders (input -> chart), by lesson:

- 02 `survival_curve` (``survival.kaplan_meier`` of ``cases.durations``: censoring ticks),
  `membership_timeline` (memberships: members over time, exits marked), `timeline` (spans);
- 03 `network_chart` (``networks.node_positions`` + ``networks.edge_table``), `triad_chart`;
- 04 `capabilities_chart` (``summaries.side_totals`` of ``cases.cinc``; lines or stacked areas,
  optional browser-side year sliders);
- 02 `survival_band_chart` (Kaplan-Meier with confidence bands), `incidence_chart` (how
  alliances ended: cumulative incidence with competing risks).

The builders for model output (margins, fans of futures, portfolios, scorecards, sensitivity)
are in `alliancekit.model_charts`; they are also reachable from here (``charts.fan_chart`` ...).

References
----------
Owusu, O. & Bruce-Ghartey, E. A. (2026). The Illusion of Permanent Allies. IJRISS.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from . import _validate as vd
from . import survival, termination
from .model_charts import (  # noqa: F401 (re-exported: charts.<name> keeps working)
    dissolution_chart,
    fan_chart,
    fan_parts,
    gap_chart,
    gap_parts,
    margin_chart,
    margin_compare_chart,
    margin_components_chart,
    margin_components_parts,
    margin_parts,
    portfolio_chart,
    portfolio_parts,
    scorecard_chart,
    scorecard_parts,
    tornado_chart,
)
from .render import (  # noqa: F401 (re-exported: charts.<name> keeps working)
    ALLIED,
    HEIGHT,
    HOSTILE,
    NEUTRAL,
    PALETTE,
    RENDERER,
    SVG_MIMETYPE,
    THEME,
    VEGALITE_MIMETYPE,
    WIDTH,
    DataTable,
    Parts,
    alt,
    builder,
    chart_frame,
    data_table,
    date_axis,
    describe,
    fast_spec,
    mimebundle,
    render,
    sized,
    title_text,
    to_svg,
)
from .render import finish as _finish
from .render import inline_records as _records
from .render import require_columns as _require
from .render import tooltips as _tt
from .summaries import member_counts, side_totals  # noqa: F401 (side_totals re-exported)

__all__ = [
    "survival_curve", "membership_timeline", "timeline", "capabilities_chart", "network_chart",
    "triad_chart", "survival_band_chart", "incidence_chart",
    # what a builder draws without the chart (explorers' live redraws; see render.Parts)
    "survival_parts", "membership_parts", "network_parts", "triad_parts", "margin_parts",
    "margin_components_parts", "fan_parts", "gap_parts", "portfolio_parts", "scorecard_parts",
    "Parts",
    # re-exported from alliancekit.model_charts, alliancekit.render and alliancekit.summaries
    "margin_chart", "margin_components_chart", "fan_chart", "gap_chart", "dissolution_chart",
    "portfolio_chart", "scorecard_chart", "tornado_chart", "margin_compare_chart", "sized",
    "PALETTE", "THEME", "RENDERER", "SVG_MIMETYPE", "VEGALITE_MIMETYPE", "render", "mimebundle",
    "to_svg", "describe", "data_table", "DataTable", "chart_frame", "side_totals",
]


# --------------------------------------------------------------------------------------------
# 02: survival of alliances
# --------------------------------------------------------------------------------------------
@builder
def survival_curve(table: pd.DataFrame, title: str = "How long alliances last",
                   subtitle: str | None = None):
    """Step chart of the share of alliances still in force after t years, with censoring ticks.

    Parameters
    ----------
    table : DataFrame
        From ``alliancekit.survival.kaplan_meier``: group, years, survival, at_risk, ended,
        censored.
    title, subtitle : str

    Returns
    -------
    altair.LayerChart
    """
    p = survival_parts(table)
    groups = list(p.key)
    colour = alt.Color("group:N", title=None, sort=groups)
    base = alt.Chart()
    line = base.mark_line(interpolate="step-after").encode(
        x=alt.X("years:Q", title="Years since the alliance began"),
        y=alt.Y("survival:Q", title="Share still in force", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%")),
        color=colour,
        strokeDash=alt.StrokeDash("group:N", sort=groups, legend=None),
        tooltip=_tt("group:N", "years:Q", ("survival:Q", ".0%"), "at_risk:Q"),
    )
    ticks = base.transform_filter("datum.censored > 0").mark_tick(
        thickness=1.5, size=9, opacity=0.8).encode(x=alt.X("years:Q"), y=alt.Y("survival:Q"),
                                                   color=colour)
    return _finish(alt.layer(line, ticks, data=table), title, p.description, subtitle)


def survival_parts(table: pd.DataFrame) -> Parts:
    """What `survival_curve` draws: the table and the description; key: the groups in order."""
    _require(table, ["group", "years", "survival", "at_risk", "ended", "censored"], "table")
    groups = list(dict.fromkeys(table["group"]))
    parts = []
    for g in groups:
        rows = table[table["group"] == g]
        n = int(rows["at_risk"].iloc[0])
        half_life = survival.median_lifespan(rows)
        median = (f"half had ended within {half_life:.1f} years" if half_life == half_life
                  else "more than half were still in force at the end of the data")
        parts.append(f"{g}: {n} alliances, {median}")
    description = ("Step line of the share of alliances still in force against years since they "
                   "began (Kaplan-Meier estimate); small ticks mark alliances still in force when "
                   "the data end (censored). " + "; ".join(parts) + ".")
    return Parts((table,), description, tuple(groups))


@builder
def membership_timeline(memberships: pd.DataFrame, start: str = "1991-01-01",
                        end: str | None = None, title: str = "Members over time",
                        subtitle: str | None = None):
    """Step lines of how many states belonged to each alliance, with exits marked.

    Parameters
    ----------
    memberships : DataFrame
        Rows of ``cases.table("memberships")`` (or similar): ``alliance`` (a label), ``state``
        (a name), ``joined`` and ``left`` (dates; empty while still a member).
    start, end : str
        ISO dates bounding the time axis; ``end`` defaults to today.
    title, subtitle : str

    Returns
    -------
    altair.LayerChart
        Its data: alliance, date, members, change ("joined", "left" or "start"), states.
    """
    p = membership_parts(memberships, start, end)
    data = p.frames[0]
    base = alt.Chart()
    colour = alt.Color("alliance:N", title=None)
    line = base.mark_line(interpolate="step-after").encode(
        x=alt.X("date:T", title=None, axis=date_axis(*p.key)),
        y=alt.Y("members:Q", title="Member states"),
        color=colour, strokeDash=alt.StrokeDash("alliance:N", legend=None))
    marks = base.transform_filter("datum.change == 'joined' || datum.change == 'left'").mark_point(
    ).encode(x=alt.X("date:T"), y=alt.Y("members:Q"), color=colour,
             shape=alt.Shape("change:N", title=None,
                             scale=alt.Scale(domain=["joined", "left"],
                                             range=["circle", "triangle-down"])),
             tooltip=_tt("alliance:N", "date:T", "change:N", "states:N", "members:Q"))
    return _finish(alt.layer(line, marks, data=data), title, p.description, subtitle)


def membership_parts(memberships: pd.DataFrame, start: str = "1991-01-01",
                     end: str | None = None) -> Parts:
    """What `membership_timeline` draws: the member counts (alliance, date, members, change,
    states) and the description; key: the first and last year the axis labels."""
    _require(memberships, ["alliance", "state", "joined", "left"], "memberships")
    data = member_counts(memberships, start, end)
    t0, t1 = data["date"].min(), data["date"].max()
    exits = data[data["change"] == "left"]
    exit_text = "; ".join(f"{r.alliance} lost {r.states} ({r.date.year})"
                          for r in exits.itertuples()) or "no member left in this period"
    counts = "; ".join(f"{a}: {int(g['members'].iloc[0])} members in {t0.year}, "
                       f"{int(g['members'].iloc[-1])} in {t1.year}"
                       for a, g in data.groupby("alliance", sort=False))
    description = (f"Step lines of the number of member states of each alliance from {t0.year} "
                   f"to {t1.year}; circles mark joins and downward triangles exits. {counts}. "
                   f"Exits: {exit_text}.")
    return Parts((data,), description, (int(t0.year), int(t1.year)))


@builder
def timeline(spans: pd.DataFrame, events: pd.DataFrame | None = None,
             title: str = "Timeline", subtitle: str | None = None):
    """Horizontal bars from start to end, one row per label, with optional dated events.

    Parameters
    ----------
    spans : DataFrame
        ``label``, ``start``, ``end`` (dates or years; an empty end means still running, drawn to
        the latest date shown), optional ``group`` (colour).
    events : DataFrame, optional
        ``label`` (a row of ``spans``), ``date`` and ``text``.
    title, subtitle : str

    Returns
    -------
    altair.LayerChart
    """
    _require(spans, ["label", "start", "end"], "spans")
    data = spans.copy()
    data["start"] = pd.to_datetime(data["start"].astype(str).str.slice(0, 10))
    running = data["end"].isna()
    data["end"] = pd.to_datetime(data["end"].astype("string").str.slice(0, 10))
    latest = max(data["end"].max(), data["start"].max()) if data["end"].notna().any() else \
        pd.Timestamp.today().normalize()
    data.loc[running, "end"] = latest
    data["running"] = running.to_numpy()
    if "group" not in data.columns:
        data["group"] = "span"
    order = data["label"].tolist()
    bars = alt.Chart(data).mark_bar(height=12).encode(
        x=alt.X("start:T", title=None), x2=alt.X2("end"),
        y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=340)),
        color=alt.Color("group:N", title=None),
        opacity=alt.Opacity("running:N", legend=None,
                            scale=alt.Scale(domain=[False, True], range=[1.0, 0.55])),
        tooltip=_tt("label:N", "start:T", "end:T", "running:N"))
    layers = [bars]
    if events is not None and len(events):
        _require(events, ["label", "date", "text"], "events")
        ev = events.copy()
        ev["date"] = pd.to_datetime(ev["date"].astype(str).str.slice(0, 10))
        layers.append(alt.Chart(_records(ev)).mark_point(
            shape="diamond", color="black", size=80).encode(
            x=alt.X("date:T"), y=alt.Y("label:N", sort=order),
            tooltip=_tt("label:N", "date:T", "text:N")))
    description = (f"Bars show when each of {len(data)} items was in force, from start to end; "
                   f"faded bars are still running. " + "; ".join(
                       f"{r.label} {r.start.year}-{'' if r.running else r.end.year}"
                       for r in data.itertuples()) + ".")
    # 22 px a row, so that no label overlaps the next and Vega hides none
    return _finish(sized(alt.layer(*layers), height=max(60, 22 * len(data))), title,
                   description, subtitle)


# --------------------------------------------------------------------------------------------
# 04: capabilities (CINC)
# --------------------------------------------------------------------------------------------
@builder
def capabilities_chart(totals: pd.DataFrame, title: str = "Capabilities (CINC)",
                       subtitle: str | None = None, events: pd.DataFrame | None = None,
                       stacked: bool = False, browser_controls: bool = False,
                       optional: Sequence[str] = ()):
    """Lines (or stacked areas) of each side's share of world capabilities (CINC) by year.

    Parameters
    ----------
    totals : DataFrame
        side, year, cinc (e.g. from `side_totals`; one side per state shows the members).
    title, subtitle : str
    events : DataFrame, optional
        ``year`` and ``text``: vertical rules with labels (e.g. 1933).
    stacked : bool
        Stack the sides as areas (their total is the top edge): for the members of one alliance,
        so the area shows who holds its power. Default: one line per side.
    browser_controls : bool
        Add two sliders (first and last year shown) drawn by Vega-Lite under the chart: the
        browser redraws on its own, with no call to the kernel (these controls change the view
        only, never the data).
    optional : sequence of str
        With ``browser_controls``, sides that get a "show" checkbox (ticked at first).

    Returns
    -------
    altair.LayerChart
    """
    stacked = vd.flag("stacked", stacked)
    browser_controls = vd.flag("browser_controls", browser_controls)
    _require(totals, ["side", "year", "cinc"], "totals")
    sides = list(dict.fromkeys(totals["side"]))
    base = alt.Chart()
    encoding = dict(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d")),
        y=alt.Y("cinc:Q", title="Share of world capabilities (CINC)", axis=alt.Axis(format="%"),
                stack="zero" if stacked else None),
        color=alt.Color("side:N", title=None, sort=sides),
        tooltip=_tt("side:N", "year:Q", ("cinc:Q", ".2%"),
                    *(["states:N"] if "states" in totals.columns else [])))
    if stacked:
        line = base.mark_area(opacity=0.85, line={"color": "white", "strokeWidth": 1}).encode(
            order=alt.Order("side_order:Q"), **encoding).transform_calculate(
            side_order=f"indexof({sides!r}, datum.side)")
    else:
        line = base.mark_line(point=True).encode(
            strokeDash=alt.StrokeDash("side:N", sort=sides, legend=None), **encoding)
    first, last = int(totals["year"].min()), int(totals["year"].max())
    params, in_view = [], "true"
    if browser_controls:
        params = [alt.param(name=f"{end}_year", value=value, bind=alt.binding_range(
                      min=first, max=last, step=1, name=f"{label} ")) for end, value, label in
                  (("first", first, "From"), ("last", last, "To"))]
        in_view = "datum.year >= first_year && datum.year <= last_year"
        if isinstance(optional, (str, bytes)) or not hasattr(optional, "__iter__"):
            raise TypeError(f"optional must be a list of side names; got {vd.show(optional)}")
        missing = [s for s in optional if s not in sides]
        if missing:
            raise ValueError(f"optional names sides not in totals: {missing}; sides: {sides}")
        hide = []
        for k, side in enumerate(optional):
            params.append(alt.param(name=f"show_{k}", value=True, bind=alt.binding_checkbox(
                name=f"Show {side} ")))
            hide.append(f"(datum.side != {side!r} || show_{k})")
        line = line.transform_filter(" && ".join([in_view, *hide]))
    layers = [line]
    if events is not None and len(events):
        _require(events, ["year", "text"], "events")
        rule = alt.Chart(_records(events)).mark_rule(color="#666666", strokeDash=[2, 2]).encode(
            x=alt.X("year:Q")).transform_filter(in_view)
        label = alt.Chart(_records(events)).mark_text(
            align="left", dx=3, dy=-4, color="#444444").encode(
            x=alt.X("year:Q"), y=alt.YValue(8), text=alt.Text("text:N")).transform_filter(in_view)
        layers += [rule, label]
    words = []
    for s in sides:
        g = totals[totals["side"] == s].sort_values("year")
        words.append(f"{s} {g['cinc'].iloc[0]:.1%} in {int(g['year'].iloc[0])} and "
                     f"{g['cinc'].iloc[-1]:.1%} in {int(g['year'].iloc[-1])}")
    shape = "Stacked areas" if stacked else "Lines"
    description = (f"{shape} of each side's share of world material capabilities (CINC) from "
                   f"{first} to {last}: " + "; ".join(words) + ".")
    chart = alt.layer(*layers, data=totals)
    if params:
        chart = chart.add_params(*params)
    return _finish(chart, title, description, subtitle)


# --------------------------------------------------------------------------------------------
# 03: signed networks
# --------------------------------------------------------------------------------------------
def _sign_label(sign) -> str:
    return "allied (+)" if sign > 0 else "hostile (−)"


@builder
def network_chart(positions: pd.DataFrame, edges: pd.DataFrame, title: str = "Signed network",
                  subtitle: str | None = None, size: int = 300):
    """Draw a signed network with altair: solid blue lines for +, dashed vermillion lines for −.

    Parameters
    ----------
    positions : DataFrame
        ``node``, ``x``, ``y`` and a label column (``abbreviation`` or ``name``), e.g. from
        ``networks.node_positions(G)``.
    edges : DataFrame
        ``u``, ``v``, ``sign`` (+1/-1), e.g. from ``networks.edge_table(G)``; optional
        ``contested``.
    title, subtitle : str
    size : int
        Width and height in pixels.

    Returns
    -------
    altair.LayerChart
        Its data (the edges with coordinates): u, v, sign, relation, x, y, x2, y2, from, to.
    """
    p = network_parts(positions, edges)
    e, node_values = p.frames
    axis = alt.Axis(title=None, labels=False, ticks=False, domain=False, grid=False)
    scale = alt.Scale(domain=[-1.35, 1.35])
    relation = alt.Color("relation:N", title=None,
                         scale=alt.Scale(domain=["allied (+)", "hostile (−)"],
                                         range=[ALLIED, HOSTILE]))
    lines = alt.Chart(e).mark_rule(strokeWidth=3).encode(
        x=alt.X("x:Q", axis=axis, scale=scale), y=alt.Y("y:Q", axis=axis, scale=scale),
        x2=alt.X2("x2"), y2=alt.Y2("y2"), color=relation,
        strokeDash=alt.StrokeDash("relation:N", legend=None,
                                  scale=alt.Scale(domain=["allied (+)", "hostile (−)"],
                                                  range=[[1, 0], [6, 4]])),
        tooltip=_tt("from:N", "to:N", "relation:N"))
    node_data = alt.InlineData(values=node_values)
    nodes = alt.Chart(node_data).mark_circle(
        size=900, color="white", stroke="#333333", strokeWidth=1.5, opacity=1).encode(
        x=alt.X("x:Q", scale=scale), y=alt.Y("y:Q", scale=scale), tooltip=_tt("label:N"))
    labels = alt.Chart(node_data).mark_text(
        fontWeight="bold").encode(x=alt.X("x:Q"), y=alt.Y("y:Q"), text=alt.Text("label:N"))
    size = vd.integer("size", size, 1)
    chart = sized(alt.layer(lines, nodes, labels), width=size, height=size)
    return _finish(chart, title, p.description, subtitle)


def network_parts(positions: pd.DataFrame, edges: pd.DataFrame) -> Parts:
    """What `network_chart` draws: the edges with coordinates, the nodes (row dicts) and the
    description."""
    _require(positions, ["node", "x", "y"], "positions")
    _require(edges, ["u", "v", "sign"], "edges")
    label_col = next((c for c in ("abbreviation", "name") if c in positions.columns), "node")
    labels = dict(zip(positions["node"], positions[label_col].astype(str), strict=True))
    xy = dict(zip(positions["node"], zip(positions["x"], positions["y"], strict=True),
                  strict=True))
    missing = sorted({str(n) for n in (*edges["u"], *edges["v"]) if n not in xy})
    if missing:
        raise ValueError(f"edges name nodes without a position: {missing}")
    e = pd.DataFrame({
        "u": [str(u) for u in edges["u"]], "v": [str(v) for v in edges["v"]],
        "sign": edges["sign"].to_numpy(),
        "relation": [_sign_label(s) for s in edges["sign"]],
        "x": [xy[u][0] for u in edges["u"]], "y": [xy[u][1] for u in edges["u"]],
        "x2": [xy[v][0] for v in edges["v"]], "y2": [xy[v][1] for v in edges["v"]],
        "from": [labels[u] for u in edges["u"]], "to": [labels[v] for v in edges["v"]],
    })
    if "contested" in edges.columns:
        e["contested"] = edges["contested"].to_numpy()
    nodes = [{"node": str(n), "x": float(x), "y": float(y), "label": labels[n]}
             for n, (x, y) in xy.items()]
    n_plus, n_minus = int((e["sign"] > 0).sum()), int((e["sign"] < 0).sum())
    allied = ", ".join(f"{a}-{b}" for a, b, s in zip(e["from"], e["to"], e["sign"], strict=True)
                       if s > 0)
    hostile = ", ".join(f"{a}-{b}" for a, b, s in zip(e["from"], e["to"], e["sign"], strict=True)
                        if s < 0)
    description = (f"Network of {len(xy)} states drawn on a circle: {n_plus} allied pairs "
                   f"(solid blue lines: {allied or 'none'}) and {n_minus} hostile pairs (dashed "
                   f"vermillion lines: {hostile or 'none'}).")
    return Parts((e, nodes), description, ("contested" in e.columns,))


@builder
def triad_chart(triads: pd.DataFrame, title: str = "Triads",
                subtitle: str | None = None) -> alt.Chart:
    """One row per closed triad, marked balanced or unbalanced.

    Parameters
    ----------
    triads : DataFrame
        From ``networks.triads(G)``: label, negatives, balanced.

    Returns
    -------
    altair.Chart
    """
    p = triad_parts(triads)
    data = p.frames[0]
    chart = alt.Chart(data).mark_point(filled=True, size=120).encode(
        y=alt.Y("label:N", title=None, sort=list(p.key)),
        x=alt.X("status:N", title=None, scale=alt.Scale(domain=["balanced", "unbalanced"])),
        color=alt.Color("status:N", title=None, legend=None,
                        scale=alt.Scale(domain=["balanced", "unbalanced"],
                                        range=[ALLIED, HOSTILE])),
        shape=alt.Shape("status:N", legend=None,
                        scale=alt.Scale(domain=["balanced", "unbalanced"],
                                        range=["circle", "cross"])),
        tooltip=_tt("label:N", "signs:N", "status:N"))
    # 20 px a row: at 16 px Vega hid every other triad's label (12 px text, 6 px gap)
    sized(chart, width=120, height=alt.Step(20))
    return _finish(chart, title, p.description, subtitle)


def triad_parts(triads: pd.DataFrame) -> Parts:
    """What `triad_chart` draws: label, negatives, balanced, status, signs; the description;
    key: the triads' labels in order."""
    _require(triads, ["label", "negatives", "balanced"], "triads")
    data = triads[["label", "negatives", "balanced"]].copy()
    data["status"] = np.where(data["balanced"], "balanced", "unbalanced")
    data["signs"] = ["".join("−" if k < n else "+" for k in range(3))[::-1]
                     for n in data["negatives"]]
    unbalanced = data.loc[~data["balanced"], "label"].tolist()
    description = (f"{len(data)} closed triads, {len(data) - len(unbalanced)} balanced and "
                   f"{len(unbalanced)} unbalanced" + (f" ({', '.join(unbalanced)})"
                                                      if unbalanced else "") + ".")
    return Parts((data,), description, tuple(data["label"]))


# --------------------------------------------------------------------------------------------
# how sure a result is: confidence bands, competing risks, sensitivity (issue 10)
# --------------------------------------------------------------------------------------------
@builder
def survival_band_chart(table: pd.DataFrame, title: str = "How long alliances last",
                        subtitle: str | None = None):
    """Kaplan-Meier step line of each group with its pointwise confidence band.

    Parameters
    ----------
    table : DataFrame
        From ``alliancekit.survival.kaplan_meier``: group, years, survival, low, high (shares in
        [0, 1]; years since the alliance began).
    title, subtitle : str

    Returns
    -------
    altair.LayerChart
    """
    _require(table, ["group", "years", "survival", "low", "high"], "table")
    groups = list(dict.fromkeys(table["group"]))
    colour = alt.Color("group:N", title=None, sort=groups)
    x = alt.X("years:Q", title="Years since the alliance began")
    band = alt.Chart().mark_area(interpolate="step-after", opacity=0.2).encode(
        x=x, y=alt.Y("low:Q", title="Share still in force", scale=alt.Scale(domain=[0, 1]),
                     axis=alt.Axis(format="%")), y2="high:Q", color=colour)
    line = alt.Chart().mark_line(interpolate="step-after").encode(
        x=x, y="survival:Q", color=colour,
        tooltip=_tt("group:N", ("years:Q", ".1f"), ("survival:Q", ".0%"), ("low:Q", ".0%"),
                    ("high:Q", ".0%")))
    parts = []
    for g in groups:
        rows = table[table["group"] == g]
        at10 = rows[rows["years"] <= 10].iloc[-1]
        parts.append(f"{g}: {at10['survival']:.0%} still in force at 10 years "
                     f"(95% band {at10['low']:.0%} to {at10['high']:.0%})")
    description = ("Step line of the share of alliances still in force against years since they "
                   "began (Kaplan-Meier), with a shaded pointwise confidence band. "
                   + "; ".join(parts) + ".")
    chart = alt.layer(band, line, data=table[["group", "years", "survival", "low", "high"]])
    return _finish(chart, title, description, subtitle)


def _step_grid(table: pd.DataFrame, group: str, step: float = 0.5) -> pd.DataFrame:
    """Step functions read on a grid of ``step`` years (and at their last time), per group.

    A step function's value at t is its row at the last time <= t, so the grid loses only
    detail finer than ``step``; it keeps the chart small enough to render quickly.
    """
    parts = []
    for _, rows in table.groupby(group, sort=False):
        times = rows["years"].to_numpy(float)
        grid = np.unique(np.concatenate((np.arange(0.0, times.max(), step), [times.max()])))
        at = np.searchsorted(times, grid, side="right") - 1
        part = rows.iloc[at].copy()
        part["years"] = grid
        parts.append(part)
    return pd.concat(parts, ignore_index=True) if parts else table.copy()


@builder
def incidence_chart(table: pd.DataFrame, title: str = "How alliances ended",
                    subtitle: str | None = None, labels: Mapping[str, str] | None = None):
    """Cumulative incidence of each way of ending, one small panel per cause, with bands.

    The curves are drawn from their values on a half-year grid (detail finer than that is lost
    to the eye anyway); the description and tooltips give the values at those points.

    Parameters
    ----------
    table : DataFrame
        From ``alliancekit.survival.cumulative_incidence``: cause, years, incidence, low, high.
    title, subtitle : str
    labels : mapping cause -> display name, optional
        Names for the panels; default the course's words for ATOP's ways of ending
        (`alliancekit.termination.WORDS`), so no panel shows a data label such as
        ``defeated_in_war``. A cause missing from the mapping keeps its own name.

    Returns
    -------
    altair.FacetChart
    """
    _require(table, ["cause", "years", "incidence", "low", "high"], "table")
    data = _step_grid(table[["cause", "years", "incidence", "low", "high"]], "cause")
    if labels is not None:
        vd.mapping("labels (cause -> display name)", labels, empty=True)
    else:
        labels = termination.WORDS
    if labels:
        data["cause"] = data["cause"].map(lambda c: labels.get(c, c))
    final = data.groupby("cause", sort=False).tail(1).sort_values("incidence", ascending=False)
    order = final["cause"].tolist()
    x = alt.X("years:Q", title="Years since the alliance began")
    band = alt.Chart().mark_area(interpolate="step-after", opacity=0.25, color=PALETTE[0]).encode(
        x=x, y=alt.Y("low:Q", title="Share ended this way", axis=alt.Axis(format="%")),
        y2="high:Q")
    line = alt.Chart().mark_line(interpolate="step-after", color=PALETTE[0]).encode(
        x=x, y="incidence:Q",
        tooltip=_tt("cause:N", ("years:Q", ".1f"), ("incidence:Q", ".1%"), ("low:Q", ".1%"),
                    ("high:Q", ".1%")))
    chart = alt.layer(band, line, data=data).properties(width=180, height=120).facet(
        facet=alt.Facet("cause:N", sort=order, title=None), columns=3)
    description = ("Small multiples, one per way of ending: the share of alliances that had "
                   "ended that way within t years (cumulative incidence with competing risks), "
                   "with a shaded 95% band. At the longest duration: "
                   + "; ".join(f"{r.cause} {r.incidence:.0%}" for r in final.itertuples())
                   + ".")
    return _finish(chart, title, description, subtitle)
