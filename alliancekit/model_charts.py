"""Chart builders for model output: margins, fans of futures, portfolios, scorecards, sensitivity.

Each builder takes the plain DataFrame a model function returns (charts never compute model
state) and returns an altair chart with a ``title`` and a ``description`` in words. The theme and
renderer come from `alliancekit.render`. These builders are also reachable as
``alliancekit.charts.<name>``.

- 01/03 `margin_components_chart` (one ``calculus.commitment_margin``), `margin_chart`
  (``calculus_cases.member_calculus``: the margin and its terms over time), `margin_compare_chart`
  (``outside_options.compare``: the margin under two codings of the outside option);
- 05/07/08 `fan_chart` (``cohesion.fan``), `gap_chart` (rhetoric vs reality),
  `dissolution_chart`; 06 `portfolio_chart` (``strategies.compare_strategies``);
  07 `scorecard_chart`; `tornado_chart` (one-at-a-time sensitivity of a model outcome).

References
----------
Owusu, O. & Bruce-Ghartey, E. A. (2026). The Illusion of Permanent Allies. IJRISS.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import _validate as vd
from .render import ALLIED, HOSTILE, PALETTE, Parts, alt, builder, sized, year_axis
from .render import ONE as _ONE
from .render import finish as _finish
from .render import require_columns as _require
from .render import tooltips as _tt

__all__ = [
    "margin_chart", "margin_components_chart", "fan_chart", "gap_chart", "dissolution_chart",
    "portfolio_chart", "scorecard_chart", "tornado_chart", "margin_compare_chart",
    "margin_parts", "margin_components_parts", "fan_parts", "gap_parts", "portfolio_parts",
    "scorecard_parts",
]


# --------------------------------------------------------------------------------------------
# 01 and 03: member calculus
# --------------------------------------------------------------------------------------------
@builder
def margin_chart(frame: pd.DataFrame, title: str = "Commitment margin",
                 subtitle: str | None = None, highlight_year: int | None = None):
    """The commitment margin by year (stay while it is at or above 0), with its parts.

    Parameters
    ----------
    frame : DataFrame
        From ``calculus_cases.member_calculus`` (or ``ak.cohesion.member_calculus``):
        year, benefit, autonomy_cost, entrapment, outside,
        margin, stays.
    title, subtitle : str
    highlight_year : int, optional
        Draw a vertical rule at this year (one of the frame's years).

    Returns
    -------
    altair.LayerChart
        Its data is long: year, part, value (the margin and its four terms).
    """
    p = margin_parts(frame, highlight_year)
    long, mark = p.frames[0], p.frames[1:]
    order = list(_MARGIN_NAMES.values())
    base = alt.Chart()
    lines = base.mark_line().encode(
        x=alt.X("year:Q", title=None,
                axis=year_axis(frame["year"].min(), frame["year"].max())),
        y=alt.Y("value:Q", title="Value (share of the largest benefit)"),
        color=alt.Color("part:N", title=None, sort=order),
        strokeDash=alt.StrokeDash("part:N", sort=order, legend=None),
        size=alt.Size("part:N", legend=None, sort=order,
                      scale=alt.Scale(domain=order, range=[3.5, 1.5, 1.5, 1.5, 1.5])),
        tooltip=_tt("year:Q", "part:N", ("value:Q", ".3f")))
    zero = alt.Chart(_ONE).mark_rule(color="black").encode(y=alt.YDatum(0))
    layers = [zero, lines]
    if mark:
        layers.append(alt.Chart(alt.InlineData(values=mark[0])).mark_rule(
            color="#666666", strokeDash=[3, 3]).encode(x=alt.X("year:Q")))
    return _finish(alt.layer(*layers, data=long), title, p.description, subtitle)


_MARGIN_NAMES = {"margin": "margin", "benefit": "security benefit",
                 "autonomy_cost": "autonomy cost", "entrapment": "entrapment risk",
                 "outside": "outside option"}


def margin_parts(frame: pd.DataFrame, highlight_year: int | None = None) -> Parts:
    """What `margin_chart` draws from ``frame``: the long data, the highlighted year (a one-row
    dataset) and the description (see `alliancekit.render.Parts`)."""
    _require(frame, ["year", "benefit", "autonomy_cost", "entrapment", "outside", "margin",
                     "stays"], "frame")
    long = frame.melt(id_vars=["year"], value_vars=list(_MARGIN_NAMES), var_name="part",
                      value_name="value")
    long["part"] = long["part"].map(_MARGIN_NAMES)
    frames = (long,)
    if highlight_year is not None:
        highlight_year = vd.integer("highlight_year", highlight_year, int(frame["year"].min()),
                                    int(frame["year"].max()))
        frames = (long, [{"year": int(highlight_year)}])
    leave = frame.loc[~frame["stays"].astype(bool), "year"]
    first, last = int(frame["year"].min()), int(frame["year"].max())
    verdict = (f"the margin is negative (the member is better off outside) in "
               f"{len(leave)} of {len(frame)} years, first in {int(leave.min())}"
               if len(leave) else "the margin stays at or above zero in every year (it stays)")
    description = (f"Lines of the commitment margin and its four terms from {first} to {last}; "
                   f"{verdict}. Margin ranges from {frame['margin'].min():.2f} to "
                   f"{frame['margin'].max():.2f}.")
    return Parts(frames, description, (first, last, highlight_year is not None))


@builder
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
    p = margin_components_parts(parts)
    terms = list(p.frames[0]["term"])
    bars = alt.Chart(p.frames[0]).mark_bar().encode(
        y=alt.Y("term:N", title=None, sort=terms),
        x=alt.X("value:Q", title="Contribution to the margin", scale=alt.Scale(domain=[-1, 1])),
        color=alt.Color("kind:N", title=None,
                        scale=alt.Scale(domain=["gain", "cost", "stay", "leave"],
                                        range=[ALLIED, PALETTE[1], PALETTE[2], HOSTILE])),
        tooltip=_tt("term:N", ("value:Q", ".3f")))
    zero = alt.Chart(_ONE).mark_rule(color="black").encode(x=alt.XDatum(0))
    return _finish(sized(alt.layer(zero, bars), height=160), title, p.description, subtitle)


def margin_components_parts(parts: pd.DataFrame) -> Parts:
    """What `margin_components_chart` draws: its data (term, value, kind) and description."""
    _require(parts, ["benefit", "autonomy_cost", "entrapment", "outside", "margin"], "parts")
    row = parts.iloc[0]
    terms = ["security benefit", "− autonomy cost", "− entrapment risk", "− outside option",
             "= margin"]
    values = [row["benefit"], -row["autonomy_cost"], -row["entrapment"], -row["outside"],
              row["margin"]]
    kinds = ["gain", "cost", "cost", "cost", "stay" if row["margin"] >= 0 else "leave"]
    data = pd.DataFrame({"term": terms, "value": np.asarray(values, float), "kind": kinds})
    verdict = "stays" if row["margin"] >= 0 else "leaves"
    description = ("Bars of the commitment margin's terms: security benefit "
                   f"{row['benefit']:.3f}, autonomy cost {row['autonomy_cost']:.3f}, entrapment "
                   f"risk {row['entrapment']:.3f}, outside option {row['outside']:.3f}; margin "
                   f"{row['margin']:.3f}, so the member {verdict}.")
    return Parts((data,), description)


# --------------------------------------------------------------------------------------------
# 05 and 07: cohesion fans, the gap, dissolution
# --------------------------------------------------------------------------------------------
@builder
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
    p = fan_parts(fan, shocks, y_title)
    base = alt.Chart()
    x = alt.X("year:Q", title=None, axis=year_axis(fan["year"].min(), fan["year"].max()))
    outer = base.mark_area(opacity=0.25, color=ALLIED).encode(
        x=x, y=alt.Y("q5:Q", title=y_title, scale=alt.Scale(domain=[0, 1])), y2=alt.Y2("q95"))
    inner = base.mark_area(opacity=0.45, color=ALLIED).encode(
        x=alt.X("year:Q"), y=alt.Y("q25:Q"), y2=alt.Y2("q75"))
    median = base.mark_line(color="#003a5d").encode(
        x=alt.X("year:Q"), y=alt.Y("q50:Q"),
        tooltip=_tt("year:Q", ("q5:Q", ".2f"), ("q50:Q", ".2f"), ("q95:Q", ".2f")))
    layers = [outer, inner, median]
    if threshold is not None:
        threshold = vd.number("threshold", threshold, 0, 1)
        layers.append(alt.Chart(_ONE).mark_rule(color=HOSTILE, strokeDash=[4, 3]).encode(
            y=alt.YDatum(float(threshold))))
    if len(p.frames) > 1:
        layers.append(alt.Chart(alt.InlineData(values=p.frames[1])).mark_rule(
            color="#666666", strokeDash=[2, 2]).encode(
            x=alt.X("year:Q"), tooltip=_tt("year:Q", "text:N")))
    return _finish(alt.layer(*layers, data=fan), title, p.description, subtitle)


def fan_parts(fan: pd.DataFrame, shocks: pd.DataFrame | None = None,
              y_title: str = "Cohesion") -> Parts:
    """What `fan_chart` draws: the fan, the shocks' rows (year, text) if any, the description.

    The key holds the years the axis labels and whether shocks are drawn (the threshold and the
    titles are the caller's arguments).
    """
    _require(fan, ["year", "q5", "q25", "q50", "q75", "q95"], "fan")
    frames = (fan,)
    if shocks is not None and len(shocks):
        text = "text" if "text" in shocks.columns else "mechanism"
        _require(shocks, ["year", text], "shocks")
        frames = (fan, [{"year": _plain(y), "text": _plain(t)}
                        for y, t in zip(shocks["year"].tolist(), shocks[text].tolist(),
                                        strict=True)])
    # the first and last rows, read column by column (a row as a Series costs more)
    first = {c: fan[c].to_numpy()[0] for c in ("year", "q50")}
    last = {c: fan[c].to_numpy()[-1] for c in ("year", "q5", "q50", "q95")}
    description = (f"Fan chart of {y_title.lower()} across simulated futures from "
                   f"{int(first['year'])} to {int(last['year'])}: the dark line is the median, "
                   f"the inner band holds half the runs and the outer band 90 %. The median moves "
                   f"from {first['q50']:.2f} to {last['q50']:.2f}; by {int(last['year'])} the "
                   f"90 % band spans {last['q5']:.2f} to {last['q95']:.2f}.")
    years = fan["year"].to_numpy()
    return Parts(frames, description, (int(years.min()), int(years.max()), len(frames) > 1))


def _plain(value):
    """A date as ISO text (as `alliancekit.render.inline_records` writes it), else the value."""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    return value


@builder
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
    p = gap_parts(cohesion_fan, professed_fan)
    wide = p.frames[0]
    base = alt.Chart()
    band = base.mark_area(opacity=0.3, color=HOSTILE).encode(
        x=alt.X("year:Q", title=None, axis=year_axis(wide["year"].min(), wide["year"].max())),
        y=alt.Y("actual:Q", title="Median cohesion", scale=alt.Scale(domain=[0, 1])),
        y2=alt.Y2("professed"), tooltip=_tt("year:Q", ("gap:Q", ".2f")))
    lines = base.transform_fold(["professed", "actual"], as_=["series", "value"]).mark_line(
    ).encode(
        x=alt.X("year:Q"), y=alt.Y("value:Q"),
        color=alt.Color("series:N", title=None, sort=["professed", "actual"],
                        scale=alt.Scale(domain=["professed", "actual"],
                                        range=[PALETTE[1], "#003a5d"])),
        strokeDash=alt.StrokeDash("series:N", legend=None, sort=["professed", "actual"]))
    return _finish(alt.layer(band, lines, data=wide), title, p.description, subtitle)


def gap_parts(cohesion_fan: pd.DataFrame, professed_fan: pd.DataFrame) -> Parts:
    """What `gap_chart` draws: year, actual, professed, gap, and the description."""
    _require(cohesion_fan, ["year", "q50"], "cohesion_fan")
    _require(professed_fan, ["year", "q50"], "professed_fan")
    year = cohesion_fan["year"].to_numpy()
    actual = cohesion_fan["q50"].to_numpy()
    professed = professed_fan["q50"].to_numpy()
    gap = professed - actual
    wide = pd.DataFrame({"year": year, "actual": actual, "professed": professed, "gap": gap})
    w = int(np.argmax(gap))               # the first largest gap, as idxmax gives
    description = ("Two lines: the median cohesion leaders profess and the median actual "
                   "cohesion, with the gap between them shaded. The gap is largest in "
                   f"{int(year[w])} ({gap[w]:.2f}: professed {professed[w]:.2f},"
                   f" actual {actual[w]:.2f}).")
    return Parts((wide,), description, (int(wide["year"].min()), int(wide["year"].max())))


@builder
def dissolution_chart(probability: pd.DataFrame,
                      title: str = "Share of model runs in which the alliance has dissolved",
                      subtitle: str | None = None):
    """The share of simulated runs dissolved by each year (a share of model runs, not a
    calibrated probability of the historical event).

    Parameters
    ----------
    probability : DataFrame
        From ``cohesion.dissolution_probability(frame)``: year, probability.
    """
    _require(probability, ["year", "probability"], "probability")
    chart = alt.Chart(probability).mark_area(line={"color": HOSTILE}, color=HOSTILE,
                                             opacity=0.3).encode(
        x=alt.X("year:Q", title=None,
                axis=year_axis(probability["year"].min(), probability["year"].max())),
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
@builder
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
    p = portfolio_parts(strategies)
    chart = alt.Chart(p.frames[0]).mark_bar().encode(
        y=alt.Y("strategy:N", title=None, sort=list(p.key)),
        x=alt.X("value:Q", title="Units of the threat met"),
        yOffset=alt.YOffset("measure:N", sort=["security", "cost", "net"]),
        color=alt.Color("measure:N", title=None, sort=["security", "cost", "net"],
                        scale=alt.Scale(domain=["security", "cost", "net"],
                                        range=[ALLIED, PALETTE[1], PALETTE[2]])),
        tooltip=_tt("strategy:N", "measure:N", ("value:Q", ".3f"), "rank:Q"),
    )
    sized(chart, height=alt.Step(12))
    return _finish(chart, title, p.description, subtitle)


def portfolio_parts(strategies: pd.DataFrame) -> Parts:
    """What `portfolio_chart` draws: the long data, the description; key: strategies by rank."""
    _require(strategies, ["strategy", "security", "cost", "net", "rank"], "strategies")
    measures = ["security", "cost", "net"]
    names, ranks = strategies["strategy"].tolist(), strategies["rank"].tolist()
    n = len(names)
    # the frame ``strategies.melt(id_vars=["strategy", "rank"], value_vars=measures, ...)``
    # gives, built directly (melt costs several times as much)
    long = pd.DataFrame({"strategy": names * 3, "rank": ranks * 3,
                         "measure": [m for m in measures for _ in range(n)],
                         "value": np.concatenate([strategies[m].to_numpy(float)
                                                  for m in measures])})
    rows = sorted(zip(ranks, range(n), names, strategies["net"].tolist(),
                      strategies["security"].tolist(), strategies["cost"].tolist(), strict=True))
    description = ("Grouped bars of expected security, cost and net value for each strategy. "
                   + "; ".join(f"{name}: net {net:.2f} (security {sec:.2f}, cost {cost:.2f})"
                               for _, _, name, net, sec, cost in rows)
                   + f". Best: {rows[0][2]}.")
    return Parts((long,), description, tuple(r[2] for r in rows))


# --------------------------------------------------------------------------------------------
# 07: scorecard
# --------------------------------------------------------------------------------------------
@builder
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
    p = scorecard_parts(items)
    chart = alt.Chart(items).mark_bar().encode(
        y=alt.Y("item:N", title=None, sort=list(p.key)),
        x=alt.X("score:Q", title="Score (0 = none, 1 = very strong)",
                scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("role:N", title=None,
                        scale=alt.Scale(domain=["holds together", "erodes"],
                                        range=[ALLIED, HOSTILE])),
        tooltip=_tt("item:N", "role:N", ("score:Q", ".2f")),
    )
    sized(chart, width=260, height=alt.Step(18))
    return _finish(chart, title, p.description, subtitle)


def scorecard_parts(items: pd.DataFrame) -> Parts:
    """What `scorecard_chart` draws: the items and the description; key: the items in order."""
    _require(items, ["item", "score", "role"], "items")
    names = items["item"].tolist()
    description = ("Bars of the scorecard: " + "; ".join(
        f"{item} {score:.2f} ({role})" for item, score, role in
        zip(names, items["score"].tolist(), items["role"].tolist(), strict=True)) + ".")
    return Parts((items,), description, tuple(names))


# --------------------------------------------------------------------------------------------
# how sure a result is: sensitivity (issue 10)
# --------------------------------------------------------------------------------------------
@builder
def tornado_chart(table: pd.DataFrame, title: str = "What the result depends on",
                  subtitle: str | None = None, outcome: str = "Share of runs dissolved",
                  base: float | None = None):
    """Tornado chart: the outcome at each parameter's low and high value, widest bar on top.

    Parameters
    ----------
    table : DataFrame
        From ``alliancekit.sensitivity.one_at_a_time``: parameter, low_value, high_value,
        at_low, at_high (the outcome, a share in [0, 1]), base (the outcome at the defaults),
        status (measured / coded / assumed), and optionally label (the words the bars are
        named by; default the parameter's name).
    title, subtitle, outcome : str
        Chart title, subtitle, and the name of the outcome for the axis.
    base : float, optional
        The outcome at the defaults (drawn as a rule); read from ``table["base"]`` if omitted.

    Returns
    -------
    altair.LayerChart
    """
    _require(table, ["parameter", "low_value", "high_value", "at_low", "at_high"], "table")
    outcome = vd.text("outcome", outcome)
    data = table.copy()
    if "label" in data:
        data["parameter"] = data["label"]
    data["swing"] = (data["at_high"] - data["at_low"]).abs()
    data = data.sort_values("swing", ascending=False)
    order = data["parameter"].tolist()
    if base is not None:
        base = vd.number("base", base, 0, 1)
    if base is None:
        base = float(data["base"].iloc[0]) if "base" in data else None
    long = pd.concat([
        data.assign(end="low value", value=data["low_value"], outcome=data["at_low"]),
        data.assign(end="high value", value=data["high_value"], outcome=data["at_high"]),
    ])[["parameter", "end", "value", "outcome"] + (["status"] if "status" in data else [])]
    if "status" not in data:
        data["status"] = "input"
    statuses = list(dict.fromkeys(data["status"]))
    y = alt.Y("parameter:N", sort=order, title=None)
    bars = alt.Chart().mark_bar(height=12).encode(
        y=y, x=alt.X("at_low:Q", title=outcome,
                     axis=alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 1]),
                     scale=alt.Scale(domain=[0, 1])), x2="at_high:Q",
        color=alt.Color("status:N", title="input is", sort=statuses),
        tooltip=_tt("parameter:N", "status:N", ("at_low:Q", ".0%"), ("at_high:Q", ".0%")))
    dots = alt.Chart().mark_point(filled=True, size=50, color="#000").encode(
        y=y, x="outcome:Q",
        shape=alt.Shape("end:N", title="parameter at its", sort=["low value", "high value"]),
        tooltip=_tt("parameter:N", "end:N", ("value:Q", ".3g"), ("outcome:Q", ".0%")))
    layers = [alt.layer(bars, data=data[["parameter", "status", "at_low", "at_high", "low_value",
                                         "high_value"]].reset_index(drop=True)),
              alt.layer(dots, data=long.reset_index(drop=True))]
    if base is not None:
        layers.append(alt.Chart(_ONE).mark_rule(strokeDash=[4, 3], color="#555").encode(
            x=alt.XDatum(base)))
    chart = alt.layer(*layers)
    sized(chart, height=alt.Step(22))
    top = data.iloc[0]
    description = (f"Tornado chart: for each parameter, a bar from the outcome at its low value "
                   f"to the outcome at its high value, others held at their defaults; widest on "
                   f"top. {outcome} at the defaults: "
                   + (f"{base:.0%}. " if base is not None else "not given. ")
                   + f"The widest swing is {top['parameter']} ({top['at_low']:.0%} at "
                   f"{top['low_value']:.3g}, {top['at_high']:.0%} at {top['high_value']:.3g}).")
    return _finish(chart, title, description, subtitle)


@builder
def margin_compare_chart(frame: pd.DataFrame, title: str = "Two codings of the outside option",
                         subtitle: str | None = None,
                         labels: tuple[str, str] = ("outside option as coded",
                                                    "alternative coding"),
                         first_year: int | None = None):
    """The commitment margin under two codings of the outside option, year by year.

    Parameters
    ----------
    frame : DataFrame
        From ``alliancekit.outside_options.compare``: year, margin, margin_alt.
    title, subtitle : str
    labels : (str, str)
        Legend names of the coded and the alternative margin.
    first_year : int, optional
        Draw only from this year on.

    Returns
    -------
    altair.LayerChart
    """
    _require(frame, ["year", "margin", "margin_alt"], "frame")
    if isinstance(labels, str) or not isinstance(labels, (tuple, list)) or len(labels) != 2:
        raise TypeError(f"labels must be two legend names (coded, alternative); got "
                        f"{vd.show(labels)}")
    for label in labels:
        vd.text("labels", label)
    if first_year is not None:
        first_year = vd.integer("first_year", first_year, int(frame["year"].min()),
                                int(frame["year"].max()))
    data = frame if first_year is None else frame[frame["year"] >= first_year]
    long = pd.concat([
        pd.DataFrame({"year": data["year"], "coding": labels[0], "margin": data["margin"]}),
        pd.DataFrame({"year": data["year"], "coding": labels[1], "margin": data["margin_alt"]}),
    ])
    lines = alt.Chart().mark_line(point=True).encode(
        x=alt.X("year:Q", title=None, axis=year_axis(data["year"].min(), data["year"].max())),
        y=alt.Y("margin:Q", title="Commitment margin (stay while at or above 0)"),
        color=alt.Color("coding:N", title=None, sort=list(labels),
                        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=0)),
        strokeDash=alt.StrokeDash("coding:N", sort=list(labels), legend=None),
        tooltip=_tt("year:Q", "coding:N", ("margin:Q", ".2f")))
    zero = alt.Chart(_ONE).mark_rule(color="black").encode(y=alt.YDatum(0))
    differ = data[(data["margin"] - data["margin_alt"]).abs() > 1e-12]
    changes = "; ".join(f"{int(r.year)}: {r.margin:.2f} as coded, {r.margin_alt:.2f} with the "
                        f"alternative" for r in differ.itertuples()) or "no year differs"
    description = (f"Two lines of the commitment margin from {int(data['year'].min())} to "
                   f"{int(data['year'].max())}, one per coding of the outside option, with a "
                   f"rule at zero. Years that differ: {changes}.")
    return _finish(alt.layer(zero, lines, data=long.reset_index(drop=True)), title, description,
                   subtitle)
