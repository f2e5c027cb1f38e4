"""The explorers of the replication lessons (09, 10): counting rules and the 1936 landscape.

Like every explorer (`alliancekit.widgets`, which lists them all in ``EXPLORERS``), each wires
its controls to ONE model call and ONE chart builder, here of `alliancekit.replication_charts`.

===  ===============================  =========================================================
 #   explorer                         model call -> chart
===  ===============================  =========================================================
09   `honour_rate_explorer`           ``fulfilment.replication_table`` ->
                                      ``replication_charts.honour_rate_chart``
10   `landscape_weights_explorer`     ``europe1936.predict`` -> ``replication_charts.blocs_chart``
===  ===============================  =========================================================

References
----------
Leeds, Long & Mitchell (2000); Berkemeier & Fuhrmann (2018); Axelrod & Bennett (1993).
"""
from __future__ import annotations

import functools

import ipywidgets as W
import pandas as pd

from . import _validate as vd
from . import europe1936, fulfilment, replication_charts
from .explorer import STYLE, WIDE, Explorer, Live, View, title_spec
from .explorer import slider as _slider

__all__ = ["honour_rate_explorer", "landscape_weights_explorer"]


# --------------------------------------------------------------------------------------------
# 09 replications: the 1936 landscape under other weights
# --------------------------------------------------------------------------------------------
def honour_rate_explorer() -> Explorer:
    """Lesson 09: which rows count as honoured, and what that does to each published figure.

    Controls: two checkboxes, count the rows whose only obligation at stake was non-aggression /
    consultation as honoured. Model: ``fulfilment.replication_table`` ->
    ``replication_charts.honour_rate_chart``.

    Returns
    -------
    Explorer

    References
    ----------
    Leeds, Long & Mitchell (2000); Berkemeier & Fuhrmann (2018).
    """
    controls = {
        "count_nonaggression": W.Checkbox(value=False, description="Count non-aggression-only "
                                          "rows as honoured", style=STYLE, layout=WIDE),
        "count_consultation": W.Checkbox(value=False, description="Count consultation-only rows "
                                         "as honoured", style=STYLE, layout=WIDE),
    }

    def draw(v):
        table = fulfilment.replication_table(**v)
        rule = [w for k, w in (("count_nonaggression", "non-aggression-only"),
                               ("count_consultation", "consultation-only")) if v[k]]
        subtitle = ("plain count" if not rule else
                    "also counting " + " and ".join(rule) + " rows as honoured")
        first = table.iloc[0]
        summary = (f"On the 1816-1944 cases the LLM columns give {first.LLM_rate:.1%} against the "
                   f"published {first.published:.1%}; the BF columns give {first.BF_rate:.1%}. "
                   "A rule that fits the arithmetic is a hypothesis, not evidence of the "
                   "authors' rule.")
        # four settings, four specs: each is written once, then reused whole
        return View(table, lambda: replication_charts.honour_rate_chart(table, subtitle=subtitle),
                    summary, live=Live(("rule", *sorted(v.items()))))

    return Explorer("Honour rates under other counting rules", controls, draw, remember=4,
                    note="The lesson's figures use the plain count.")


@functools.lru_cache(maxsize=512)
def _predict_1936(coding: str, weights: tuple) -> pd.DataFrame:
    """``europe1936.predict`` remembered by coding and weights (in ``europe1936.FACTORS`` order):
    the exact search costs 50-90 ms, the sliders' 13 steps allow 13**4 settings per coding, and a
    class visits few of them. The frame is shared: callers must not change it."""
    return europe1936.predict(dict(zip(europe1936.FACTORS, weights, strict=True)), coding=coding)


def landscape_weights_explorer(coding: str = "corrected") -> Explorer:
    """Lesson 10: move the weights of the 1936 landscape's factors and watch the best split.

    Controls: the pair coding (registered or corrected war history) and one slider per factor of
    ``europe1936.FACTORS`` (ideology, war history, rivalry, border), starting at the
    pre-registered weights. Model: ``europe1936.predict`` (the exact global minimum of
    ``landscape.global_minimum``) -> ``replication_charts.blocs_chart``.

    Parameters
    ----------
    coding : {"registered", "corrected"}
        The pair coding the explorer starts with (``europe1936.CODINGS``).

    Returns
    -------
    Explorer

    References
    ----------
    Axelrod & Bennett (1993).
    """
    vd.choice("coding", coding, europe1936.CODINGS)
    registered = europe1936.weights()
    labels = {"ideology": "Ideology", "war_history": "War history", "rivalry": "Rivalry",
              "border": "Land border"}
    controls = {"coding": W.Dropdown(options=[("corrected war history", "corrected"),
                                              ("as registered", "registered")],
                                     value=coding, description="Pair coding", style=STYLE,
                                     layout=WIDE)}
    controls.update({f: _slider(f"{labels[f]} weight", registered[f], 0.0, 3.0, 0.25)
                     for f in europe1936.FACTORS})

    def draw(v):
        scored = _predict_1936(v["coding"], tuple(float(v[f]) for f in europe1936.FACTORS))
        n = int(scored["correct"].sum())
        wrong = ", ".join(scored.loc[~scored["correct"], "state"]) or "none"
        changed = [labels[f] for f in europe1936.FACTORS if v[f] != registered[f]]
        subtitle = (f"{v['coding']} coding, " + ("registered weights" if not changed else
                                                 "changed: " + ", ".join(changed)))
        summary = (f"{v['coding'].capitalize()} coding: {n} of 17 states land on their wartime "
                   f"side (misplaced: {wrong}); Axelrod & Bennett's coding placed 15.")
        return View(scored, lambda: replication_charts.blocs_chart(scored, subtitle=subtitle),
                    summary, live=Live.of(replication_charts.blocs_parts(scored), title=title_spec(
                        "The 1936 landscape's best split", subtitle)))

    return Explorer("The 1936 landscape under other weights", controls, draw,
                    note="The results reported in the lesson use the registered weights only.")
