"""Chart builders for lesson 09 (replications), in the course's theme.

Each builder takes the plain DataFrame a model function returns and gives back an altair chart
with a title and a description in words (for screen readers); nothing here computes model state.

- `hazard_ratio_chart`: ``abrogation.fit(...).table`` -> hazard ratios with 95 % intervals;
- `honour_rate_chart`: ``fulfilment.replication_table()`` -> published figures beside ours;
- `blocs_chart`: ``europe1936.predict()`` -> each state's predicted and actual side;
- `sensitivity_chart`: ``europe1936.weight_sensitivity()`` -> states on their side per weight.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import _validate as vd
from .render import ALLIED, HOSTILE, NEUTRAL, PALETTE, Parts, alt, builder, sized
from .render import ONE as _ONE
from .render import finish as _finish
from .render import require_columns as _require
from .render import tooltips as _tt

__all__ = ["hazard_ratio_chart", "honour_rate_chart", "blocs_chart", "blocs_parts",
           "sensitivity_chart"]


@builder
def hazard_ratio_chart(table: pd.DataFrame, title: str = "What raises the hazard of abrogation",
                       subtitle: str | None = None):
    """Hazard ratios (points) with their 95 % confidence intervals (bars), log scale.

    Parameters
    ----------
    table : DataFrame
        ``Fit.table`` of :func:`alliancekit.abrogation.fit`: variable, hazard_ratio, ci_low,
        ci_high, p_value.
    title, subtitle : str

    Returns
    -------
    altair.LayerChart
        A rule at 1 marks "no effect"; points right of it raise the hazard.
    """
    _require(table, ["variable", "hazard_ratio", "ci_low", "ci_high", "p_value"], "table")
    data = table.assign(significant=(table["p_value"] < 0.05).map(
        {True: "p < 0.05", False: "p ≥ 0.05"}))
    order = list(data["variable"])
    # labelled at round ratios only: Vega's own log ticks crowd and hide most labels
    low = float(min(data["ci_low"].min(), data["hazard_ratio"].min()))
    high = float(max(data["ci_high"].max(), data["hazard_ratio"].max()))
    marks = [v for v in (0.05, 0.1, 0.25, 0.5, 1, 2, 4, 10, 20) if low / 1.5 <= v <= high * 1.5]
    x = alt.X("hazard_ratio:Q", title="Hazard ratio (log scale; 1 = no effect)",
              scale=alt.Scale(type="log"), axis=alt.Axis(values=marks, format="~g"))
    bars = alt.Chart(data).mark_rule(strokeWidth=2).encode(
        y=alt.Y("variable:N", title=None, sort=order), x=alt.X("ci_low:Q", scale=alt.Scale(
            type="log")), x2="ci_high:Q", color=alt.value(NEUTRAL))
    points = alt.Chart(data).mark_point(filled=True, size=80).encode(
        y=alt.Y("variable:N", sort=order), x=x,
        color=alt.Color("significant:N", title=None,
                        scale=alt.Scale(domain=["p < 0.05", "p ≥ 0.05"],
                                        range=[ALLIED, PALETTE[1]])),
        shape=alt.Shape("significant:N", title=None,
                        scale=alt.Scale(domain=["p < 0.05", "p ≥ 0.05"],
                                        range=["circle", "square"])),
        tooltip=_tt("variable:N", ("hazard_ratio:Q", ".2f"), ("ci_low:Q", ".2f"),
                    ("ci_high:Q", ".2f"), ("p_value:Q", ".3f")))
    one = alt.Chart(_ONE).mark_rule(strokeDash=[4, 3], color=NEUTRAL).encode(x=alt.XDatum(1))
    description = ("Dot-and-whisker chart of hazard ratios with 95 percent intervals on a log "
                   "scale; a dashed line marks 1 (no effect). " + "; ".join(
                       f"{r.variable} {r.hazard_ratio:.2f} ({r.ci_low:.2f} to {r.ci_high:.2f}, "
                       f"p = {r.p_value:.3f})" for r in data.itertuples()) + ".")
    chart = alt.layer(bars, one, points)
    return _finish(sized(chart, width=420), title, description, subtitle)


@builder
def honour_rate_chart(table: pd.DataFrame, title: str = "Honoured in war: published and ours",
                      subtitle: str | None = None):
    """Published rates beside our count under each coding, one row per figure.

    Parameters
    ----------
    table : DataFrame
        From :func:`alliancekit.fulfilment.replication_table`: paper, cases, published,
        BF_rate, LLM_rate.
    title, subtitle : str

    Returns
    -------
    altair.Chart
        Its data is long: figure, source (published, BF coding, LLM coding), rate.
    """
    _require(table, ["paper", "cases", "published", "BF_rate", "LLM_rate"], "table")
    wide = table.assign(figure=table["paper"] + ": " + table["cases"])
    long = wide.melt(id_vars=["figure"], value_vars=["published", "BF_rate", "LLM_rate"],
                     var_name="source", value_name="rate")
    long["source"] = long["source"].map({"published": "published", "BF_rate": "ours, BF columns",
                                         "LLM_rate": "ours, LLM columns"})
    sources = ["published", "ours, BF columns", "ours, LLM columns"]
    chart = alt.Chart(long).mark_point(filled=True, size=70).encode(
        y=alt.Y("figure:N", title=None, sort=list(wide["figure"])),
        x=alt.X("rate:Q", title="Share of counted commitments honoured",
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 1])),
        color=alt.Color("source:N", title=None, sort=sources,
                        scale=alt.Scale(domain=sources, range=[HOSTILE, ALLIED, PALETTE[2]])),
        shape=alt.Shape("source:N", title=None, sort=sources,
                        scale=alt.Scale(domain=sources, range=["circle", "square", "triangle"])),
        tooltip=_tt("figure:N", "source:N", ("rate:Q", ".1%")))
    description = ("Dot chart of honour rates: for each published figure, the published share and "
                   "our count under the Berkemeier and Fuhrmann columns and under the Leeds, Long "
                   "and Mitchell columns. " + "; ".join(
                       f"{r.figure}: published {r.published:.0%}, BF columns {r.BF_rate:.1%}, "
                       f"LLM columns {r.LLM_rate:.1%}" for r in wide.itertuples()) + ".")
    return _finish(sized(chart, width=380), title, description, subtitle)


@builder
def blocs_chart(scored: pd.DataFrame, title: str = "The 1936 landscape's best split",
                subtitle: str | None = None):
    """Each state's predicted bloc against the side it took in the war.

    Parameters
    ----------
    scored : DataFrame
        From :func:`alliancekit.europe1936.predict`: name, size, predicted, actual, correct.
    title, subtitle : str

    Returns
    -------
    altair.Chart
        Points sized by CINC in a predicted-side column; hollow points are misplaced states.
    """
    p = blocs_parts(scored)
    chart = alt.Chart(p.frames[0]).mark_point(filled=True).encode(
        x=alt.X("predicted:N", title="Bloc in the landscape's global minimum",
                sort=["allies", "axis"], axis=alt.Axis(labelAngle=0)),
        y=alt.Y("name:N", title=None, sort=list(p.key)),
        size=alt.Size("size:Q", title="CINC 1936", scale=alt.Scale(range=[40, 400])),
        color=alt.Color("actual:N", title="Side in the war", sort=["allies", "axis"],
                        scale=alt.Scale(domain=["allies", "axis"], range=[ALLIED, HOSTILE])),
        shape=alt.Shape("placed:N", title=None, sort=["on its wartime side", "misplaced"]),
        tooltip=_tt("name:N", "predicted:N", "actual:N", ("size:Q", ".4f")))
    return _finish(sized(chart, width=220), title, p.description, subtitle)


def blocs_parts(scored: pd.DataFrame) -> Parts:
    """What `blocs_chart` draws: the states with ``placed``, the description; key: the states
    in the order the chart lists them."""
    _require(scored, ["name", "size", "predicted", "actual", "correct"], "scored")
    correct = scored["correct"].to_numpy(bool)
    data = scored.assign(placed=np.where(correct, "on its wartime side", "misplaced").tolist())
    names = data["name"].tolist()
    # by side in the war, then largest first (a stable sort, as sort_values gives)
    rank = np.lexsort((-data["size"].to_numpy(float), data["actual"].to_numpy(str)))
    order = [names[i] for i in rank.tolist()]
    wrong = [n for n, ok in zip(names, correct.tolist(), strict=True) if not ok]
    description = (f"Dot chart of the 17 states by predicted bloc, coloured by the side each took "
                   f"in the Second World War and sized by CINC. {int(correct.sum())} of "
                   f"{len(data)} land on their wartime side; misplaced: "
                   f"{', '.join(wrong) if wrong else 'none'}.")
    return Parts((data,), description, tuple(order))


@builder
def sensitivity_chart(frame: pd.DataFrame, reference: int | None = 15,
                      title: str = "How the count depends on each weight",
                      subtitle: str | None = None):
    """States on their wartime side as one weight varies (others at their registered values).

    Parameters
    ----------
    frame : DataFrame
        From :func:`alliancekit.europe1936.weight_sensitivity`: factor, weight, correct,
        registered.
    reference : int, optional
        A count in 0-17 to mark with a dashed line (Axelrod & Bennett's 15 of 17); None for none.
    title, subtitle : str

    Returns
    -------
    altair.FacetChart
        One panel per factor; a circle marks the registered weight.
    """
    _require(frame, ["factor", "weight", "correct", "registered"], "frame")
    if reference is not None:
        reference = vd.integer("reference", reference, 0, 17)
    # panels named in words ("war history", not the column name war_history)
    frame = frame.assign(factor=frame["factor"].astype(str).str.replace("_", " "))
    factors = list(dict.fromkeys(frame["factor"]))
    base = alt.Chart(frame)
    x = alt.X("weight:Q", title="Weight", axis=alt.Axis(values=[0, 1, 2], format=".0f"))
    y = alt.Y("correct:Q", title="States on their side (of 17)",
              scale=alt.Scale(domain=[0, 17], nice=False))
    lines = base.mark_line(point=True, color=ALLIED).encode(
        x=x, y=y, tooltip=_tt("factor:N", ("weight:Q", ".2f"), "correct:Q"))
    marks = base.transform_filter("datum.registered").mark_point(
        size=160, filled=False, strokeWidth=2, color=HOSTILE).encode(x=x, y=y)
    layers = [lines, marks]
    if reference is not None:
        layers.append(base.mark_rule(strokeDash=[4, 3], color=NEUTRAL).encode(
            y=alt.YDatum(reference)))
    # All panels in one row (four factors fit a notebook at 120 px each): one y-axis title, and
    # no empty panel whose x axis would stand alone under a blank space.
    chart = alt.layer(*layers).properties(width=120, height=160).facet(
        facet=alt.Facet("factor:N", title=None, sort=factors), columns=len(factors))
    parts = []
    for f in factors:
        rows = frame[frame["factor"] == f]
        parts.append(f"{f}: from {int(rows['correct'].min())} to {int(rows['correct'].max())}")
    description = ("Line chart of how many of the 17 states the landscape puts on their wartime "
                   "side as each factor's weight varies from "
                   f"{frame['weight'].min():g} to {frame['weight'].max():g}, the others held at "
                   "their registered values; circles mark the registered weights"
                   + (f"; a dashed line marks the paper's {reference}" if reference else "")
                   + ". " + "; ".join(parts) + ".")
    return _finish(chart, title, description, subtitle)
