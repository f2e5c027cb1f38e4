"""Altair chart builders: one per kind of model output, in the course's colour-blind-safe theme.

The theme and the offline renderer are set by `alliancekit.render`, which this module imports
(so importing either one configures altair); its names (``describe``, ``data_table``,
``chart_frame``, ``mimebundle``, ``to_svg`` ...) are also reachable from here.

Every builder takes a plain DataFrame (the output of a model or data function: charts never compute
model state), and returns an altair chart with a ``title`` and a top-level ``description`` in
words, for screen readers. `data_table` turns a chart (or a frame) into an accessible HTML table.

Builders (input -> chart), by lesson:

- 01/03 `margin_components_chart` (one ``commitment_margin``), `margin_chart`
  (``cohesion.member_calculus``: the margin and its terms over time);
- 02 `survival_curve` (``survival.kaplan_meier`` of ``cases.durations``: censoring ticks),
  `membership_timeline` (memberships: members over time, exits marked), `timeline` (spans);
- 03 `network_chart` (``networks.node_positions`` + ``networks.edge_table``), `triad_chart`;
- 04 `capabilities_chart` (``summaries.side_totals`` of ``cases.cinc``; lines or stacked areas,
  optional browser-side year sliders);
- 05/07/08 `fan_chart` (``cohesion.fan``), `gap_chart` (rhetoric vs reality),
  `dissolution_chart`; 06 `portfolio_chart` (``strategies.compare_strategies``);
  07 `scorecard_chart`.

References
----------
Owusu, O. & Bruce-Ghartey, E. A. (2026). The Illusion of Permanent Allies. IJRISS.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import _validate as vd
from . import survival
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
    alt,
    chart_frame,
    data_table,
    describe,
    fast_spec,
    inline_records,
    mimebundle,
    render,
    title_text,
    to_svg,
)
from .summaries import member_counts, side_totals  # noqa: F401 (side_totals re-exported)

__all__ = [
    "sized", "survival_curve", "membership_timeline", "timeline", "capabilities_chart",
    "network_chart", "triad_chart", "margin_chart", "margin_components_chart", "fan_chart",
    "gap_chart", "dissolution_chart", "portfolio_chart", "scorecard_chart",
    # re-exported from alliancekit.render and alliancekit.summaries
    "PALETTE", "THEME", "RENDERER", "SVG_MIMETYPE", "VEGALITE_MIMETYPE", "render", "mimebundle",
    "to_svg", "describe", "data_table", "DataTable", "chart_frame", "side_totals",
]


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
def _require(frame, columns, name="frame") -> None:
    vd.frame(name, frame, columns, empty=True)


_records = inline_records


#: One empty datum, for marks placed by ``alt.XDatum``/``alt.YDatum`` (reference rules).
_ONE = alt.InlineData(values=[{}])


def _tt(*fields) -> list:
    """Tooltips with explicit types (a bare string makes altair infer the type: slow)."""
    return [alt.Tooltip(f[0], format=f[1]) if isinstance(f, tuple) else alt.Tooltip(f)
            for f in fields]


def _finish(chart, title: str, description: str, subtitle: str | None = None):
    t = alt.Title(title, subtitle=subtitle) if subtitle else title
    chart.title = t          # plain attributes: .properties() re-validates (about 4 ms)
    chart.description = description
    return chart


def sized(chart, width=None, height=None):
    """Set a chart's width and/or height in place (pixels or ``alt.Step``) and return it."""
    if width is not None:
        chart.width = width
    if height is not None:
        chart.height = height
    return chart



# --------------------------------------------------------------------------------------------
# 02: survival of alliances
# --------------------------------------------------------------------------------------------
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
    _require(table, ["group", "years", "survival", "at_risk", "ended", "censored"], "table")
    groups = list(dict.fromkeys(table["group"]))
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
    return _finish(alt.layer(line, ticks, data=table), title, description, subtitle)


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
    _require(memberships, ["alliance", "state", "joined", "left"], "memberships")
    data = member_counts(memberships, start, end)
    t0, t1 = data["date"].min(), data["date"].max()
    base = alt.Chart()
    colour = alt.Color("alliance:N", title=None)
    line = base.mark_line(interpolate="step-after").encode(
        x=alt.X("date:T", title=None), y=alt.Y("members:Q", title="Member states"),
        color=colour, strokeDash=alt.StrokeDash("alliance:N", legend=None))
    marks = base.transform_filter("datum.change == 'joined' || datum.change == 'left'").mark_point(
    ).encode(x=alt.X("date:T"), y=alt.Y("members:Q"), color=colour,
             shape=alt.Shape("change:N", title=None,
                             scale=alt.Scale(domain=["joined", "left"],
                                             range=["circle", "triangle-down"])),
             tooltip=_tt("alliance:N", "date:T", "change:N", "states:N", "members:Q"))
    exits = data[data["change"] == "left"]
    exit_text = "; ".join(f"{r.alliance} lost {r.states} ({r.date.year})"
                          for r in exits.itertuples()) or "no member left in this period"
    counts = "; ".join(f"{a}: {int(g['members'].iloc[0])} members in {t0.year}, "
                       f"{int(g['members'].iloc[-1])} in {t1.year}"
                       for a, g in data.groupby("alliance", sort=False))
    description = (f"Step lines of the number of member states of each alliance from {t0.year} "
                   f"to {t1.year}; circles mark joins and downward triangles exits. {counts}. "
                   f"Exits: {exit_text}.")
    return _finish(alt.layer(line, marks, data=data), title, description, subtitle)


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
        y=alt.Y("label:N", title=None, sort=order), color=alt.Color("group:N", title=None),
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
    return _finish(sized(alt.layer(*layers), height=max(60, 18 * len(data))), title,
                   description, subtitle)


# --------------------------------------------------------------------------------------------
# 04: capabilities (CINC)
# --------------------------------------------------------------------------------------------
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
    node_data = alt.InlineData(values=[
        {"node": str(n), "x": float(x), "y": float(y), "label": labels[n]}
        for n, (x, y) in xy.items()])
    nodes = alt.Chart(node_data).mark_circle(
        size=900, color="white", stroke="#333333", strokeWidth=1.5, opacity=1).encode(
        x=alt.X("x:Q", scale=scale), y=alt.Y("y:Q", scale=scale), tooltip=_tt("label:N"))
    labels = alt.Chart(node_data).mark_text(
        fontWeight="bold").encode(x=alt.X("x:Q"), y=alt.Y("y:Q"), text=alt.Text("label:N"))
    n_plus, n_minus = int((e["sign"] > 0).sum()), int((e["sign"] < 0).sum())
    allied = ", ".join(f"{a}-{b}" for a, b, s in zip(e["from"], e["to"], e["sign"], strict=True)
                       if s > 0)
    hostile = ", ".join(f"{a}-{b}" for a, b, s in zip(e["from"], e["to"], e["sign"], strict=True)
                        if s < 0)
    description = (f"Network of {len(xy)} states drawn on a circle: {n_plus} allied pairs "
                   f"(solid blue lines: {allied or 'none'}) and {n_minus} hostile pairs (dashed "
                   f"vermillion lines: {hostile or 'none'}).")
    chart = sized(alt.layer(lines, nodes, labels), width=size, height=size)
    return _finish(chart, title, description, subtitle)


def triad_chart(triads: pd.DataFrame, title: str = "Triads", subtitle: str | None = None):
    """One row per closed triad, marked balanced or unbalanced.

    Parameters
    ----------
    triads : DataFrame
        From ``networks.triads(G)``: label, negatives, balanced.

    Returns
    -------
    altair.Chart
    """
    _require(triads, ["label", "negatives", "balanced"], "triads")
    data = triads[["label", "negatives", "balanced"]].copy()
    data["status"] = np.where(data["balanced"], "balanced", "unbalanced")
    data["signs"] = ["".join("−" if k < n else "+" for k in range(3))[::-1]
                     for n in data["negatives"]]
    chart = alt.Chart(data).mark_point(filled=True, size=120).encode(
        y=alt.Y("label:N", title=None, sort=data["label"].tolist()),
        x=alt.X("status:N", title=None, scale=alt.Scale(domain=["balanced", "unbalanced"])),
        color=alt.Color("status:N", title=None, legend=None,
                        scale=alt.Scale(domain=["balanced", "unbalanced"],
                                        range=[ALLIED, HOSTILE])),
        shape=alt.Shape("status:N", legend=None,
                        scale=alt.Scale(domain=["balanced", "unbalanced"],
                                        range=["circle", "cross"])),
        tooltip=_tt("label:N", "signs:N", "status:N"))
    sized(chart, width=120, height=max(40, 16 * len(data)))
    unbalanced = data.loc[~data["balanced"], "label"].tolist()
    description = (f"{len(data)} closed triads, {len(data) - len(unbalanced)} balanced and "
                   f"{len(unbalanced)} unbalanced" + (f" ({', '.join(unbalanced)})"
                                                      if unbalanced else "") + ".")
    return _finish(chart, title, description, subtitle)


# --------------------------------------------------------------------------------------------
# 01 and 03: member calculus
# --------------------------------------------------------------------------------------------
def margin_chart(frame: pd.DataFrame, title: str = "Commitment margin",
                 subtitle: str | None = None, highlight_year: int | None = None):
    """The commitment margin by year (stay while it is at or above 0), with its parts.

    Parameters
    ----------
    frame : DataFrame
        From ``cohesion.member_calculus``: year, benefit, autonomy_cost, entrapment, outside,
        margin, stays.
    title, subtitle : str
    highlight_year : int, optional
        Draw a vertical rule at this year.

    Returns
    -------
    altair.LayerChart
        Its data is long: year, part, value (the margin and its four terms).
    """
    _require(frame, ["year", "benefit", "autonomy_cost", "entrapment", "outside", "margin",
                     "stays"], "frame")
    parts = ["margin", "benefit", "autonomy_cost", "entrapment", "outside"]
    names = {"margin": "margin", "benefit": "security benefit", "autonomy_cost": "autonomy cost",
             "entrapment": "entrapment risk", "outside": "outside option"}
    long = frame.melt(id_vars=["year"], value_vars=parts, var_name="part", value_name="value")
    long["part"] = long["part"].map(names)
    order = [names[p] for p in parts]
    base = alt.Chart()
    lines = base.mark_line().encode(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d")),
        y=alt.Y("value:Q", title="Value (share of the largest benefit)"),
        color=alt.Color("part:N", title=None, sort=order),
        strokeDash=alt.StrokeDash("part:N", sort=order, legend=None),
        size=alt.Size("part:N", legend=None, sort=order,
                      scale=alt.Scale(domain=order, range=[3.5, 1.5, 1.5, 1.5, 1.5])),
        tooltip=_tt("year:Q", "part:N", ("value:Q", ".3f")))
    zero = alt.Chart(_ONE).mark_rule(color="black").encode(y=alt.YDatum(0))
    layers = [zero, lines]
    if highlight_year is not None:
        layers.append(alt.Chart(_ONE).mark_rule(color="#666666", strokeDash=[3, 3]).encode(
            x=alt.XDatum(int(highlight_year))))
    leave = frame.loc[~frame["stays"].astype(bool), "year"]
    first, last = int(frame["year"].min()), int(frame["year"].max())
    verdict = (f"the margin is negative (the member is better off outside) in "
               f"{len(leave)} of {len(frame)} years, first in {int(leave.min())}"
               if len(leave) else "the margin stays at or above zero in every year (it stays)")
    description = (f"Lines of the commitment margin and its four terms from {first} to {last}; "
                   f"{verdict}. Margin ranges from {frame['margin'].min():.2f} to "
                   f"{frame['margin'].max():.2f}.")
    return _finish(alt.layer(*layers, data=long), title, description, subtitle)


def margin_components_chart(parts: pd.DataFrame, title: str = "Stay or leave?",
                            subtitle: str | None = None):
    """Bars of the terms of one commitment margin: + benefit, − costs, − outside option = margin.

    Parameters
    ----------
    parts : DataFrame
        One row with benefit, autonomy_cost, entrapment, outside, margin (e.g. from
        ``cohesion.commitment_margin``).

    Returns
    -------
    altair.LayerChart
        Its data: term, value (signed: costs negative), kind.
    """
    _require(parts, ["benefit", "autonomy_cost", "entrapment", "outside", "margin"], "parts")
    row = parts.iloc[0]
    terms = ["security benefit", "− autonomy cost", "− entrapment risk", "− outside option",
             "= margin"]
    values = [row["benefit"], -row["autonomy_cost"], -row["entrapment"], -row["outside"],
              row["margin"]]
    kinds = ["gain", "cost", "cost", "cost", "stay" if row["margin"] >= 0 else "leave"]
    data = pd.DataFrame({"term": terms, "value": np.asarray(values, float), "kind": kinds})
    bars = alt.Chart(data).mark_bar().encode(
        y=alt.Y("term:N", title=None, sort=terms),
        x=alt.X("value:Q", title="Contribution to the margin", scale=alt.Scale(domain=[-1, 1])),
        color=alt.Color("kind:N", title=None,
                        scale=alt.Scale(domain=["gain", "cost", "stay", "leave"],
                                        range=[ALLIED, PALETTE[1], PALETTE[2], HOSTILE])),
        tooltip=_tt("term:N", ("value:Q", ".3f")))
    zero = alt.Chart(_ONE).mark_rule(color="black").encode(x=alt.XDatum(0))
    verdict = "stays" if row["margin"] >= 0 else "leaves"
    description = ("Bars of the commitment margin's terms: security benefit "
                   f"{row['benefit']:.3f}, autonomy cost {row['autonomy_cost']:.3f}, entrapment "
                   f"risk {row['entrapment']:.3f}, outside option {row['outside']:.3f}; margin "
                   f"{row['margin']:.3f}, so the member {verdict}.")
    return _finish(sized(alt.layer(zero, bars), height=160), title, description, subtitle)


# --------------------------------------------------------------------------------------------
# 05 and 07: cohesion fans, the gap, dissolution
# --------------------------------------------------------------------------------------------
def fan_chart(fan: pd.DataFrame, title: str = "Futures of cohesion", subtitle: str | None = None,
              shocks: pd.DataFrame | None = None, threshold: float | None = None,
              y_title: str = "Cohesion"):
    """Fan of futures: 5-95 % and 25-75 % bands across runs, and the median.

    Parameters
    ----------
    fan : DataFrame
        From ``cohesion.fan(frame)``: year, q5, q25, q50, q75, q95.
    shocks : DataFrame, optional
        ``year`` and ``text`` (or ``mechanism``): rules at the shocks.
    threshold : float, optional
        A horizontal rule (e.g. the dissolution level C_min).

    Returns
    -------
    altair.LayerChart
    """
    _require(fan, ["year", "q5", "q25", "q50", "q75", "q95"], "fan")
    base = alt.Chart()
    x = alt.X("year:Q", title=None, axis=alt.Axis(format="d"))
    outer = base.mark_area(opacity=0.25, color=ALLIED).encode(
        x=x, y=alt.Y("q5:Q", title=y_title, scale=alt.Scale(domain=[0, 1])), y2=alt.Y2("q95"))
    inner = base.mark_area(opacity=0.45, color=ALLIED).encode(
        x=alt.X("year:Q"), y=alt.Y("q25:Q"), y2=alt.Y2("q75"))
    median = base.mark_line(color="#003a5d").encode(
        x=alt.X("year:Q"), y=alt.Y("q50:Q"),
        tooltip=_tt("year:Q", ("q5:Q", ".2f"), ("q50:Q", ".2f"), ("q95:Q", ".2f")))
    layers = [outer, inner, median]
    if threshold is not None:
        layers.append(alt.Chart(_ONE).mark_rule(color=HOSTILE, strokeDash=[4, 3]).encode(
            y=alt.YDatum(float(threshold))))
    if shocks is not None and len(shocks):
        text = "text" if "text" in shocks.columns else "mechanism"
        _require(shocks, ["year", text], "shocks")
        s = shocks[["year", text]].rename(columns={text: "text"})
        layers.append(alt.Chart(_records(s)).mark_rule(color="#666666", strokeDash=[2, 2]).encode(
            x=alt.X("year:Q"), tooltip=_tt("year:Q", "text:N")))
    first, last = fan.iloc[0], fan.iloc[-1]
    description = (f"Fan chart of {y_title.lower()} across simulated futures from "
                   f"{int(first['year'])} to {int(last['year'])}: the dark line is the median, "
                   f"the inner band holds half the runs and the outer band 90 %. The median moves "
                   f"from {first['q50']:.2f} to {last['q50']:.2f}; by {int(last['year'])} the "
                   f"90 % band spans {last['q5']:.2f} to {last['q95']:.2f}.")
    return _finish(alt.layer(*layers, data=fan), title, description, subtitle)


def gap_chart(cohesion_fan: pd.DataFrame, professed_fan: pd.DataFrame,
              title: str = "Rhetoric and reality", subtitle: str | None = None):
    """Median professed cohesion against median actual cohesion, with the gap shaded.

    Parameters
    ----------
    cohesion_fan, professed_fan : DataFrame
        ``cohesion.fan(frame)`` and ``cohesion.fan(frame, column="professed")``.

    Returns
    -------
    altair.LayerChart
        Its data: year, actual, professed, gap (= professed − actual).
    """
    _require(cohesion_fan, ["year", "q50"], "cohesion_fan")
    _require(professed_fan, ["year", "q50"], "professed_fan")
    wide = pd.DataFrame({"year": cohesion_fan["year"].to_numpy(),
                         "actual": cohesion_fan["q50"].to_numpy(),
                         "professed": professed_fan["q50"].to_numpy()})
    wide["gap"] = wide["professed"] - wide["actual"]
    base = alt.Chart()
    band = base.mark_area(opacity=0.3, color=HOSTILE).encode(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d")),
        y=alt.Y("actual:Q", title="Median cohesion", scale=alt.Scale(domain=[0, 1])),
        y2=alt.Y2("professed"), tooltip=_tt("year:Q", ("gap:Q", ".2f")))
    lines = base.transform_fold(["professed", "actual"], as_=["series", "value"]).mark_line(
    ).encode(
        x=alt.X("year:Q"), y=alt.Y("value:Q"),
        color=alt.Color("series:N", title=None, sort=["professed", "actual"],
                        scale=alt.Scale(domain=["professed", "actual"],
                                        range=[PALETTE[1], "#003a5d"])),
        strokeDash=alt.StrokeDash("series:N", legend=None, sort=["professed", "actual"]))
    worst = wide.loc[wide["gap"].idxmax()]
    description = ("Two lines: the median cohesion leaders profess and the median actual "
                   "cohesion, with the gap between them shaded. The gap is largest in "
                   f"{int(worst['year'])} ({worst['gap']:.2f}: professed {worst['professed']:.2f},"
                   f" actual {worst['actual']:.2f}).")
    return _finish(alt.layer(band, lines, data=wide), title, description, subtitle)


def dissolution_chart(probability: pd.DataFrame, title: str = "Chance the alliance has dissolved",
                      subtitle: str | None = None):
    """The share of simulated runs dissolved by each year.

    Parameters
    ----------
    probability : DataFrame
        From ``cohesion.dissolution_probability(frame)``: year, probability.
    """
    _require(probability, ["year", "probability"], "probability")
    chart = alt.Chart(probability).mark_area(line={"color": HOSTILE}, color=HOSTILE,
                                             opacity=0.3).encode(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d")),
        y=alt.Y("probability:Q", title="Share of runs dissolved", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        tooltip=_tt("year:Q", ("probability:Q", ".0%")))
    sized(chart, height=120)
    last = probability.iloc[-1]
    description = (f"Area of the share of simulated runs in which the alliance has dissolved, "
                   f"by year; {last['probability']:.0%} by {int(last['year'])}.")
    return _finish(chart, title, description, subtitle)


# --------------------------------------------------------------------------------------------
# 06: portfolios
# --------------------------------------------------------------------------------------------
def portfolio_chart(strategies: pd.DataFrame, title: str = "Security, cost and net value",
                    subtitle: str | None = None):
    """Bars of security, cost and net value per strategy, best strategy first.

    Parameters
    ----------
    strategies : DataFrame
        From ``strategies.compare_strategies``: strategy, security, cost, net, rank.

    Returns
    -------
    altair.Chart
        Its data is long: strategy, rank, measure, value.
    """
    _require(strategies, ["strategy", "security", "cost", "net", "rank"], "strategies")
    long = strategies.melt(id_vars=["strategy", "rank"], value_vars=["security", "cost", "net"],
                           var_name="measure", value_name="value")
    order = strategies.sort_values("rank")["strategy"].tolist()
    chart = alt.Chart(long).mark_bar().encode(
        y=alt.Y("strategy:N", title=None, sort=order),
        x=alt.X("value:Q", title="Units of the threat met"),
        yOffset=alt.YOffset("measure:N", sort=["security", "cost", "net"]),
        color=alt.Color("measure:N", title=None, sort=["security", "cost", "net"],
                        scale=alt.Scale(domain=["security", "cost", "net"],
                                        range=[ALLIED, PALETTE[1], PALETTE[2]])),
        tooltip=_tt("strategy:N", "measure:N", ("value:Q", ".3f"), "rank:Q"),
    )
    sized(chart, height=alt.Step(12))
    best = strategies.sort_values("rank").iloc[0]
    description = ("Grouped bars of expected security, cost and net value for each strategy. "
                   + "; ".join(f"{r.strategy}: net {r.net:.2f} (security {r.security:.2f}, cost "
                               f"{r.cost:.2f})" for r in strategies.sort_values("rank")
                               .itertuples())
                   + f". Best: {best['strategy']}.")
    return _finish(chart, title, description, subtitle)


# --------------------------------------------------------------------------------------------
# 07: scorecard
# --------------------------------------------------------------------------------------------
def scorecard_chart(items: pd.DataFrame, title: str = "Assessment scorecard",
                    subtitle: str | None = None):
    """Horizontal bars of each checklist item's score in [0, 1], coloured by what it does.

    Parameters
    ----------
    items : DataFrame
        ``item`` (label), ``score`` in [0, 1], ``role`` ("holds together" or "erodes").

    Returns
    -------
    altair.Chart
    """
    _require(items, ["item", "score", "role"], "items")
    chart = alt.Chart(items).mark_bar().encode(
        y=alt.Y("item:N", title=None, sort=items["item"].tolist()),
        x=alt.X("score:Q", title="Score (0 = none, 1 = very strong)",
                scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("role:N", title=None,
                        scale=alt.Scale(domain=["holds together", "erodes"],
                                        range=[ALLIED, HOSTILE])),
        tooltip=_tt("item:N", "role:N", ("score:Q", ".2f")),
    )
    sized(chart, width=260, height=alt.Step(18))
    description = ("Bars of the scorecard: " + "; ".join(
        f"{r.item} {r.score:.2f} ({r.role})" for r in items.itertuples()) + ".")
    return _finish(chart, title, description, subtitle)
