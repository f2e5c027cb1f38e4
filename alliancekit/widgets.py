"""The interactive explorers used by the lessons: ipywidgets controls wired to a model and a chart.

Each explorer is a small `Explorer` object. It holds its controls (``.controls``, name -> widget),
calls ONE model function with the controls' values, passes the result to ONE chart builder of
`alliancekit.charts`, and shows the chart, a one-line summary and (in a collapsible section) the
chart's data as an accessible table. The maths lives in the model modules; nothing here computes
model state.

===  ===============================  =========================================================
 #   explorer                         model call -> chart
===  ===============================  =========================================================
01   `member_calculus_explorer`       ``calculus.commitment_margin`` -> ``margin_components_chart``
02   `survival_explorer`              ``cases.durations`` -> ``kaplan_meier`` -> ``survival_curve``
                                      (and ``membership_timeline`` of NATO, ASEAN, ECOWAS)
03   `europe_network_explorer`        ``europe.signed_graph``/``networks.triads`` ->
                                      ``network_chart``, ``triad_chart``;
                                      ``calculus.member_calculus`` (Italy)
04   `little_entente_explorer`        ``cases.cinc`` -> ``summaries.side_totals`` ->
                                      ``capabilities_chart``
05   `erosion_explorer`               ``cohesion.simulate``/``fan`` -> ``fan_chart``, ``gap_chart``
06   `portfolio_explorer`             ``strategies.compare_strategies`` -> ``portfolio_chart``
07   `scorecard_explorer`             ``cohesion.simulate`` -> ``scorecard_chart``, ``fan_chart``
09   `honour_rate_explorer`           ``fulfilment.replication_table`` ->
                                      ``replication_charts.honour_rate_chart``
10   `landscape_weights_explorer`     ``europe1936.predict`` -> ``replication_charts.blocs_chart``
===  ===============================  =========================================================

The two replication explorers (09, 10) live in `alliancekit.replication_explorers` and are
reachable from here.

How an explorer displays itself, and what a redraw costs, is described in
`alliancekit.explorer`, which holds the `Explorer` and `View` machinery (also reachable from here
as ``widgets.Explorer``, ``widgets.View`` and ``widgets.control_values``).

A control whose value the model rejects (e.g. an impossible shock in `portfolio_explorer`) leaves
the last valid chart in place and says why in the summary.

References
----------
Owusu, O. & Bruce-Ghartey, E. A. (2026). The Illusion of Permanent Allies. IJRISS.
"""
from __future__ import annotations

import functools

import ipywidgets as W
import numpy as np
import pandas as pd

from . import _validate as vd
from . import (
    calculus,
    cases,
    charts,
    cohesion,
    render,
    scenarios,
    strategies,
    summaries,
    survival,
)
from .explorer import (  # noqa: F401 (Explorer, View, control_values: reached from here too)
    AUTO,
    STYLE,
    WIDE,
    Explorer,
    Live,
    View,
    control_values,
    title_spec,
)
from .explorer import slider as _slider
from .replication_explorers import honour_rate_explorer, landscape_weights_explorer

__all__ = [
    "Explorer", "View", "membership_explorer", "member_calculus_explorer", "survival_explorer",
    "europe_network_explorer", "little_entente_explorer", "erosion_explorer",
    "portfolio_explorer", "scorecard_explorer", "EXPLORERS", "control_values",
    "landscape_weights_explorer", "honour_rate_explorer",
]


#: ATOP's obligation codes in words, for menus a student reads.
_OBLIGATION_WORDS = {"defense": "defence", "offense": "offence", "neutral": "neutrality",
                     "neutrality": "neutrality", "nonagg": "non-aggression",
                     "nonaggression": "non-aggression", "consul": "consultation",
                     "consultation": "consultation"}
#: The alliance menu of lesson 00 is wider than the other controls: treaty names are long.
_MENU = W.Layout(width="48em")
_MENU_STYLE = {"description_width": "6em"}


def _menu_label(name: str, year: int) -> str:
    """A treaty's name for a menu: its abbreviation if it has one, without a trailing note in
    brackets, and the year it began ("NATO (1949)", "Dual Alliance (1879)")."""
    if name.endswith(")") and " (" in name:
        inside = name[name.rindex(" (") + 2:-1]
        name = inside if inside.replace(" ", "").isupper() else name[:name.rindex(" (")]
    return f"{name} ({year})"


# --------------------------------------------------------------------------------------------
# 00 who belonged, and when
# --------------------------------------------------------------------------------------------
_LEFT_FOR_GOOD = ("renounced", "defected", "lost_independence", "suspended", "expired",
                  "dissolved")


def membership_explorer(alliance: str = "nato") -> Explorer:
    """Lesson 00: the members of any alliance in the case data over time, exits marked.

    A first look at the course's claim: pick an alliance and see how its membership changed
    between the day it was signed and the day it ended (or today). The summary counts the
    founding members, the states that left for good and the members at the end.

    Parameters
    ----------
    alliance : str
        ``alliance_id`` from ``cases.table("alliances")`` shown first (default NATO).

    Returns
    -------
    Explorer

    References
    ----------
    Leeds et al. (2002), ATOP v4.01; the sources of each membership row (``cases.cite``).
    """
    alliances = cases.table("alliances").sort_values("signed")
    cases.known_alliance(alliance)
    options = [(_menu_label(row.name, row.signed.year), row.alliance_id)
               for row in alliances.itertuples()]
    controls = {"alliance": W.Dropdown(options=options, value=alliance, description="Alliance",
                                       style=_MENU_STYLE, layout=_MENU)}

    def draw(v):
        row = alliances.set_index("alliance_id").loc[v["alliance"]]
        m = summaries.membership_spans([v["alliance"]])
        end = row["ended"] if pd.notna(row["ended"]) else pd.Timestamp.today().normalize()
        span = dict(start=render.iso_date(row["signed"]), end=render.iso_date(end))
        title = summaries.short_name(row["name"])
        subtitle = f"{row['kind'].replace('_', ' ')}, signed {row['signed']:%d %b %Y}"
        parts = charts.membership_parts(m, **span)
        founders = cases.members(v["alliance"], row["signed"], use_accession=True)
        last_day = end - pd.Timedelta(days=1) if pd.notna(row["ended"]) else end
        at_end = cases.members(v["alliance"], last_day, use_accession=True)
        gone = sorted(set(m.loc[m["exit_mode"].isin(_LEFT_FOR_GOOD), "state"])
                      - set(at_end["ccode"].map(cases.state_name)))
        ending = (f"it ended on {row['ended']:%d %b %Y} with {len(at_end)}"
                  if pd.notna(row["ended"]) else f"it has {len(at_end)} today")
        short = summaries.short_name(row["name"])
        founding = f"{len(founders)} founding member{'' if len(founders) == 1 else 's'}"
        summary = (f"{short}: {founding}; {ending}. "
                   + (f"States that left before the end: {', '.join(gone)}." if gone
                      else "No state left before the end."))
        return View(parts.frames[0], lambda: charts.membership_timeline(
            m, **span, title=title, subtitle=subtitle), summary,
            live=Live.of(parts, title=title_spec(title, subtitle)))

    return Explorer("Who belonged, and when?", controls, draw, remember=len(options),
                    note="Pick an alliance: watch members join and leave.")


# --------------------------------------------------------------------------------------------
# 01 a member's stay-or-leave calculus
# --------------------------------------------------------------------------------------------
def member_calculus_explorer(own_cinc: float = 0.03, partner_cinc: float = 0.13,
                             threat: float = 0.7, alignment: float = 0.7,
                             propensity: float = 0.25, outside: float = 0.05) -> Explorer:
    """Lesson 01: does a member stay or leave? Sliders on every input of the commitment margin.

    One member with one partner; the chart shows the margin's terms (security benefit, autonomy
    cost, entrapment risk, outside option) from ``calculus.commitment_margin``.

    Parameters
    ----------
    own_cinc, partner_cinc : float
        Starting CINC scores (shares of world capabilities), each in [0.005, 0.3].
    threat, alignment, propensity, outside : float
        Starting coded inputs, each in [0, 1] (see `alliancekit.calculus.commitment_margin`).

    Returns
    -------
    Explorer

    References
    ----------
    Morrow (1991); Snyder (1984); Leeds, Long & Mitchell (2000).
    """
    own_cinc = vd.number("own_cinc", own_cinc, 0.005, 0.3)
    partner_cinc = vd.number("partner_cinc", partner_cinc, 0.005, 0.3)
    threat, alignment = vd.probability("threat", threat), vd.probability("alignment", alignment)
    propensity = vd.probability("propensity", propensity)
    outside = vd.probability("outside", outside)
    depths = [(f"{_OBLIGATION_WORDS[name]} pact (depth {d:g})", float(d))
              for name, d in calculus.DEPTH.items()
              if name in ("defense", "neutrality", "consultation")]
    controls = {
        "threat": _slider("Threat faced", threat, 0.0, 1.0),
        "alignment": _slider("Shared interests", alignment, 0.0, 1.0),
        "propensity": _slider("Partner's recklessness", propensity, 0.0, 1.0),
        "outside": _slider("Outside option", outside, 0.0, 1.0),
        "own_cinc": _slider("Own capabilities (CINC)", own_cinc, 0.005, 0.3, 0.005, ".3f"),
        "partner_cinc": _slider("Partner's capabilities", partner_cinc, 0.005, 0.3, 0.005,
                                ".3f"),
        "reliability": _slider("Partner's reliability", calculus.RELIABILITY, 0.0, 1.0),
        "depth": W.Dropdown(options=depths, value=1.0, description="Obligation",
                            style=STYLE, layout=WIDE),
    }

    def draw(v):
        m = calculus.commitment_margin(
            v["own_cinc"], [v["partner_cinc"]], v["threat"], [v["alignment"]],
            [v["propensity"]], v["outside"], reliability=v["reliability"], depth=v["depth"])
        parts = pd.DataFrame([{k: float(getattr(m, k)) for k in
                               ("benefit", "autonomy_cost", "entrapment", "outside", "margin")}])
        drawn = charts.margin_components_parts(parts)
        verdict = "stays" if bool(m.stays) else "is better off leaving"
        summary = (f"With one partner: margin {float(m.margin):+.3f}, the member {verdict} "
                   f"(benefit {float(m.benefit):.3f} against costs {float(m.autonomy_cost):.3f} + "
                   f"{float(m.entrapment):.3f} and an outside option of {float(m.outside):.3f}).")
        return View(drawn.frames[0], lambda: charts.margin_components_chart(parts), summary,
                    live=Live.of(drawn))

    return Explorer("A member's calculus: stay or leave?", controls, draw,
                    note="One member and ONE partner (the worked example above has two, so its "
                         "margin differs). Move a slider: the member stays while the margin is "
                         "at or above 0.")


# --------------------------------------------------------------------------------------------
# 02 survival of alliances, and the post-1991 timeline
# --------------------------------------------------------------------------------------------
_ANY = "any"
_SIZES = {"any": (0, 10_000), "bilateral (2)": (2, 2), "3 to 5 members": (3, 5),
          "6 or more": (6, 10_000)}
_POST_1991 = ("nato", "asean", "ecowas")


def survival_explorer(compare: str = "era") -> Explorer:
    """Lesson 02: how long alliances last (ATOP 1815-2003), filterable, with a post-1991 timeline.

    The controls filter ``cases.durations()`` by obligation type, size and era and choose what the
    curves compare; the chart is a Kaplan-Meier survival curve with censoring marks. Below it, a
    fixed timeline of the membership of NATO, ASEAN and ECOWAS since 1991.

    Parameters
    ----------
    compare : {"era", "obligations", "size", "nothing"}
        What the curves compare at first.

    Returns
    -------
    Explorer

    References
    ----------
    Leeds et al. (2002), ATOP v4.01; Kaplan & Meier (1958).
    """
    durations = cases.durations()
    censored_at = cases.ATOP_CENSOR_DATE.year
    kinds = summaries.obligation_codes(durations["obligations"])
    eras = sorted(str(e) for e in pd.unique(durations["era"].dropna()) if str(e).strip())
    groups = ("nothing", "era", "obligations", "size")
    if not isinstance(compare, str) or compare not in groups:
        raise vd.unknown("compare", compare, groups)
    controls = {
        "obligation": W.Dropdown(options=[(_ANY, _ANY), *[(_OBLIGATION_WORDS.get(k, k), k)
                                                          for k in kinds]], value=_ANY,
                                 description="Obligation includes", style=STYLE, layout=WIDE),
        "size": W.Dropdown(options=list(_SIZES), value="any", description="Members",
                           style=STYLE, layout=WIDE),
        "era": W.Dropdown(options=[_ANY, *eras], value=_ANY, description="Era began",
                          style=STYLE, layout=WIDE),
        "compare": W.Dropdown(options=[("nothing (one curve)", "nothing"),
                                       ("era the alliance began", "era"),
                                       ("obligation included", "obligations"),
                                       ("number of members", "size")],
                              value=compare, description="Compare by", style=STYLE, layout=WIDE),
    }

    def draw(v):
        d = durations
        if v["obligation"] != _ANY:
            d = d[d["obligations"].astype(str).str.contains(v["obligation"], regex=False)]
        lo, hi = _SIZES[v["size"]]
        d = d[(d["n_members"] >= lo) & (d["n_members"] <= hi)]
        if v["era"] != _ANY:
            d = d[d["era"].astype(str) == v["era"]]
        if d.empty:
            raise ValueError("no ATOP alliance matches these filters; widen one of them")
        d = d.assign(size=pd.cut(d["n_members"], [0, 2, 5, 10_000],
                                 labels=["bilateral", "3-5", "6+"]).astype(str))
        group = None if v["compare"] == "nothing" else v["compare"]
        rows = d
        if group == "obligations":
            rows, group = summaries.by_obligation(d), "includes"
        table = survival.kaplan_meier(rows, group)
        subtitle = f"{len(d)} ATOP alliances, 1815-{censored_at}"
        med = []
        for g, rows in table.groupby("group", sort=False):
            half_life = survival.median_lifespan(rows)
            med.append(f"{g}: half ended within {half_life:.1f} years" if half_life == half_life
                       else f"{g}: more than half never ended in the data")
        summary = (f"{len(d)} alliances ({int((~d['ended'].astype(bool)).sum())} still in force "
                   f"in {censored_at}). " + "; ".join(med) + ".")
        return View(table, lambda: charts.survival_curve(table, subtitle=subtitle), summary,
                    live=Live.of(charts.survival_parts(table),
                                 title=title_spec("How long alliances last", subtitle)))

    static = []
    members = summaries.membership_spans(_POST_1991)
    if not members.empty:
        static.append(charts.membership_timeline(
            members, start="1991-01-01", title="NATO, ASEAN and ECOWAS since 1991",
            subtitle="Member states; exits marked"))
    return Explorer("How long do alliances last?", controls, draw, static=static, remember=256,
                    note="Filter the ATOP alliances and compare their survival curves.")


# --------------------------------------------------------------------------------------------
# 03 the great powers as a signed network, 1872-1915
# --------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=4)
def _italy_margin():
    return calculus.member_calculus("triple_alliance", "Italy")


def europe_network_explorer(year: int = 1882, first: int = 1872, last: int = 1915) -> Explorer:
    """Lesson 03: the six great powers as a signed network, year by year, with Italy's margin.

    Parameters
    ----------
    year : int
        Starting year, within [first, last].
    first, last : int
        Slider range (default 1872-1915).

    Returns
    -------
    Explorer
        Its chart: the network and its triads side by side, above Italy's commitment margin in
        the Triple Alliance with the chosen year marked. Its data: the signed edges of that year
        (from, to, relation); the triads are the second panel's data.

    References
    ----------
    Heider (1946); Cartwright & Harary (1956); Antal, Krapivsky & Redner (2006); Taylor (1954).
    """
    # networkx (about 0.2 s to import) only for the one explorer that draws a network
    from . import europe, networks

    first = vd.integer("first", first, europe.FIRST_YEAR, europe.LAST_YEAR - 1)
    last = vd.integer("last", last, first + 1, europe.LAST_YEAR)
    year = vd.integer("year", year, first, last)
    controls = {
        "year": _slider("Year", year, first, last, 1, integer=True),
        "conflict": W.Dropdown(options=[("the treaty wins", "alliance"),
                                        ("the rivalry wins", "rivalry")], value="alliance",
                               description="Allied and rival", style=STYLE, layout=WIDE),
    }
    try:
        italy = _italy_margin()
    except (LookupError, ValueError):  # no coded inputs: show the network alone
        italy = None

    def draw(v):
        G = europe.signed_graph(v["year"], conflict=v["conflict"])
        tri = networks.triads(G)
        frus = networks.frustration(G)
        positions, edges = networks.node_positions(G), networks.edge_table(G)
        title = f"The great powers in {v['year']}"
        subtitle = "solid: allied; dashed: hostile"
        net = charts.network_parts(positions, edges)
        live = [[Live.of(net, title=title_spec(title, subtitle)),
                 Live.of(charts.triad_parts(tri))]]
        summary = (f"{v['year']}: {int((~tri['balanced']).sum())} of {len(tri)} triads "
                   f"unbalanced; frustration index {frus.index}.")
        yr = None
        if italy is not None:
            yr = int(np.clip(v["year"], italy["year"].min(), italy["year"].max()))
            live.append([Live.of(charts.margin_parts(italy, highlight_year=yr))])
            row = italy[italy["year"] == yr].iloc[0]
            summary += (f" Italy's margin in {yr}: {row['margin']:+.3f} "
                        f"({'stays' if row['stays'] else 'better off outside'}).")

        def panels():
            rows = [[charts.network_chart(positions, edges, title=title, subtitle=subtitle),
                     charts.triad_chart(tri, title="Triads")]]
            if yr is not None:
                rows.append([charts.sized(charts.margin_chart(
                    italy, title="Italy's margin in the Triple Alliance", highlight_year=yr),
                    width=500, height=160)])
            return rows

        return View(net.frames[0], panels, summary, title=f"Great-power alignments, {v['year']}",
                    live=live)

    return Explorer("Europe's great powers, 1872-1915", controls, draw,
                    remember=2 * (last - first + 1),
                    note="Slide through the years: when do the triads become balanced?")


# --------------------------------------------------------------------------------------------
# 04 the Little Entente's capabilities
# --------------------------------------------------------------------------------------------
_HUNGARY, _GERMANY, _FRANCE = "HUN", "GMY", "FRN"     # COW abbreviations


@functools.lru_cache(maxsize=2)
def _entente_cinc(first, last):
    return cases.cinc(states=[*cases.LITTLE_ENTENTE, _HUNGARY, _GERMANY, _FRANCE],
                      years=list(range(first, last + 1)))


def little_entente_explorer(france: bool = False, first: int = 1920,
                            last: int = 1938) -> Explorer:
    """Lesson 04: the Little Entente's capabilities (CINC) against Hungary and Germany.

    The kernel control is France's guarantee (it adds France's CINC to the Entente's side: the
    data change). The years shown and whether Germany is drawn only change the view, so they are
    Vega-Lite inputs drawn under the chart, and the browser redraws without a kernel round trip.
    Data: ``cases.cinc`` (NMC v6.0).

    Parameters
    ----------
    france : bool
        Start with France's guarantee counted.
    first, last : int
        Years available (default 1920-1938).

    Returns
    -------
    Explorer
        Its data: side, year, cinc (the side's total), states, n_states, every year and side
        (the browser-side inputs filter what is drawn, not the data).

    References
    ----------
    Singer, Bremer & Stuckey (1972); NMC v6.0; Wandycz (1962).
    """
    france = vd.flag("france", france)
    first = vd.integer("first", first, 1919, 1944)
    last = vd.integer("last", last, first + 1, 1945)
    cinc = _entente_cinc(first, last)
    controls = {
        "france": W.Checkbox(value=bool(france), description="Count France's guarantee",
                             indent=False, layout=AUTO),
    }

    def draw(v):
        entente = "Little Entente + France" if v["france"] else "Little Entente"
        sides = {entente: [*cases.LITTLE_ENTENTE, *([_FRANCE] if v["france"] else [])],
                 "Hungary": [_HUNGARY], "Germany": [_GERMANY]}
        totals = summaries.side_totals(cinc, sides)
        parts = []
        for year in (int(totals["year"].min()), int(totals["year"].max())):
            row = totals[totals["year"] == year].set_index("side")["cinc"]
            parts.append(f"in {year} {entente} {row[entente]:.1%}, Hungary "
                         f"{row['Hungary']:.1%}, Germany {row['Germany']:.1%}")
        summary = ("Share of world capabilities: " + "; ".join(parts) + ". (The From and To "
                   "sliders under the chart change the years drawn, not these figures.)")
        # two settings, two specs: each is written once, then reused whole
        return View(totals, lambda: charts.capabilities_chart(
            totals, title="The Little Entente's capabilities",
            subtitle="CINC, share of world capabilities", browser_controls=True,
            optional=["Germany"]), summary, live=Live(("france", v["france"])))

    return Explorer("The Little Entente's power, 1920-1938", controls, draw, remember=2,
                    note="Who outweighs whom? Toggle France's guarantee; the sliders under the "
                         "chart choose the years.")


# --------------------------------------------------------------------------------------------
# 05 cohesion dynamics: the four mechanisms and perception
# --------------------------------------------------------------------------------------------
#: Most simulated futures an explorer redraws per control change (beyond this a redraw is slow).
_MAX_RUNS = 10_000
_MECHANISMS = {"L": "Leadership volatility", "H": "Domestic opposition",
               "S": "Power asymmetry", "X": "External shock"}
_GENERIC = {"T": 0.6, "A": 0.6, "I": 0.5, "R": 0.5, "S": 0.3, "L": 0.2, "H": 0.2, "X": 0.1}


def _scenario_or_none(name, runs, seed):
    """The scenario (None for a generic alliance), after checking the explorer's arguments."""
    vd.integer("runs", runs, 1, _MAX_RUNS)
    vd.integer("seed", seed, 0)
    if name is None:
        return None
    return scenarios.scenario(name)


def _simulate_view(v, scenario, years, drivers, runs, seed, shocks=None):
    kwargs = dict(runs=runs, seed=seed, gamma=v.get("feedback", 0.4))
    if scenario is None:
        frame = cohesion.simulate(drivers=drivers, years=years, shocks=shocks or False, **kwargs)
    else:
        frame = cohesion.simulate(scenario, drivers=drivers, shocks=shocks, **kwargs)
    return frame


def erosion_explorer(scenario: str | None = "little_entente", runs: int = 200,
                     seed: int = 1) -> Explorer:
    """Lesson 05: cohesion under the four erosion mechanisms, with perception feeding back.

    One slider per mechanism (leadership volatility L, domestic opposition H, power asymmetry S,
    external shock X: each sets that driver in every year), a perception-feedback slider (γ, how
    strongly doubt erodes cohesion), and whether the scenario's dated events apply. The chart:
    the fan of futures from ``cohesion.simulate``/``cohesion.fan`` beside the rhetoric-versus-
    reality gap.

    Parameters
    ----------
    scenario : str or None
        A name from ``cohesion.scenario_names()``; None for a generic alliance over 2000-2030.
    runs : int
        Simulated futures per redraw.
    seed : int
        Seed (the same luck on every redraw, so only the controls change the picture).

    Returns
    -------
    Explorer
        Its data: the cohesion fan (year, mean, q5 ... q95) with ``professed`` (median) and
        ``dissolved`` (share of runs) by year.

    References
    ----------
    Owusu & Bruce-Ghartey (2026); Snyder (1997).
    """
    scen = _scenario_or_none(scenario, runs, seed)
    if scen is None:
        years, start, shocks = range(2000, 2031), dict(_GENERIC), None
        label = "a generic alliance, 2000-2030"
    else:
        years, shocks = None, scen.shocks
        start = {k: float(scen.drivers[k].mean()) for k in _MECHANISMS}
        label = scen.title
    controls = {k: _slider(name, round(start[k] * 20) / 20, 0.0, 1.0)
                for k, name in _MECHANISMS.items()}
    controls["feedback"] = _slider("Perception feedback (γ)", 0.4, 0.0, 0.75)
    if scen is not None:
        controls["events"] = W.Checkbox(value=True, description="Dated events of the case",
                                        indent=False, layout=AUTO)
    c_min = cohesion.CohesionParams().c_min
    events = shocks[["year", "mechanism"]] if scen is not None and len(shocks) else None

    def draw(v):
        drivers = {k: v[k] for k in _MECHANISMS}
        if scen is None:
            drivers = {**_GENERIC, **drivers}
        frame = _simulate_view(v, scen and scen.name, years, drivers, runs, seed,
                               shocks=None if v.get("events", True) else False)
        fan = cohesion.fan(frame)
        professed = cohesion.fan(frame, column="professed")
        dissolved = cohesion.dissolution_probability(frame)
        shock_rows = events if v.get("events", True) else None
        live = [[Live.of(charts.fan_parts(fan, shock_rows)),
                 Live.of(charts.gap_parts(fan, professed))]]

        def panels():
            return [[charts.sized(charts.fan_chart(fan, title="Futures of cohesion",
                                                   shocks=shock_rows, threshold=c_min),
                                  width=300),
                     charts.sized(charts.gap_chart(fan, professed), width=300)]]

        columns = {c: fan[c].to_numpy() for c in fan.columns}
        columns["professed"] = professed["q50"].to_numpy()
        columns["dissolved"] = dissolved["probability"].to_numpy()
        data = pd.DataFrame(columns)          # fan.assign(professed=..., dissolved=...)
        end = {c: values[-1] for c, values in columns.items()}
        gap = (columns["professed"] - columns["q50"]).max()
        summary = (f"By {int(end['year'])}: median cohesion {end['q50']:.2f} (90% of runs "
                   f"between {end['q5']:.2f} and {end['q95']:.2f}); {end['dissolved']:.0%} of "
                   f"runs dissolved; largest rhetoric-reality gap {gap:.2f}.")
        return View(data, panels, summary, title=f"Cohesion of {label}", live=live)

    return Explorer(f"Erosion mechanisms: {label}", controls, draw,
                    note="Each slider sets one mechanism in every year; γ sets how hard doubt "
                         "bites.")


# --------------------------------------------------------------------------------------------
# 06 small-state portfolios
# --------------------------------------------------------------------------------------------
def portfolio_explorer(q: float = 0.25, phi: float = 0.5) -> Explorer:
    """Lesson 06: one patron, diversification, autonomy or hedging, under a common shock.

    Controls: the probability q and depth φ of a shock that hits every partner at once, partners'
    observed honour rate, and whether that rate is read as the observed (marginal) rate.
    Model: ``strategies.compare_strategies``.

    Parameters
    ----------
    q, phi : float
        Starting shock probability and depth, in [0, 1].

    Returns
    -------
    Explorer

    References
    ----------
    Leeds, Long & Mitchell (2000); Kuik (2008).
    """
    q, phi = vd.probability("q", q), vd.probability("phi", phi)
    controls = {
        "q": _slider("Chance of a common shock", q, 0.0, 1.0),
        "phi": _slider("Depth of the shock (φ)", phi, 0.0, 1.0),
        "reliability": _slider("Partners' honour rate", strategies.LLM_HONOURED, 0.3, 0.95,
                               0.01),
        "calibrate": W.Checkbox(value=True, description="Rate is the observed average",
                                indent=False, layout=AUTO),
    }

    def draw(v):
        table = strategies.compare_strategies(v["q"], v["phi"], reliability=v["reliability"],
                                              calibrate=v["calibrate"])
        subtitle = (f"shock chance {v['q']:.2f}, depth {v['phi']:.2f}; correlation between "
                    f"partners {table['correlation'].iloc[0]:.2f}")
        best = table.iloc[0]
        summary = (f"Best: {best['strategy']} (net {best['net']:.2f}). Chance at least one "
                   f"partner helps: " + ", ".join(
                       f"{r.strategy} {r.help_probability:.0%}" for r in table.itertuples()
                       if r.n_partners) + ".")
        return View(table, lambda: charts.portfolio_chart(table, subtitle=subtitle), summary,
                    live=Live.of(charts.portfolio_parts(table), title=title_spec(
                        "Security, cost and net value", subtitle)))

    return Explorer("Small-state strategies under a common shock", controls, draw,
                    note="Correlated partners make diversification worth less: raise the shock.")


# --------------------------------------------------------------------------------------------
# 07 an assessment scorecard with scenario shocks
# --------------------------------------------------------------------------------------------
_CHECKLIST = {
    "T": ("Shared threat", "holds together"),
    "A": ("Alignment of interests", "holds together"),
    "I": ("Credible institutions", "holds together"),
    "R": ("Trust and shared identity", "holds together"),
    "L": ("Leadership volatility", "erodes"),
    "H": ("Domestic opposition", "erodes"),
    "S": ("Power asymmetry", "erodes"),
}
_SHOCKS = {"none": None, "leadership change": "L", "domestic crisis": "H",
           "external shock": "X", "crisis of confidence": "doubt"}


def scorecard_explorer(scenario: str | None = "ecowas", runs: int = 200,
                       seed: int = 2) -> Explorer:
    """Lesson 07: score a present-day alliance on the checklist, then test it against shocks.

    Each checklist item sets one driver of the cohesion model (in every year); a scenario shock
    (leadership change, domestic crisis, external shock or a crisis of confidence) of a chosen
    size lands in a chosen year. Model: ``cohesion.simulate`` (the scenario's coded drivers are
    the starting scores). Chart: the scorecard beside the fan of futures.

    Parameters
    ----------
    scenario : str or None
        A name from ``cohesion.scenario_names()`` (default ``"ecowas"``); None for a generic
        alliance over 2020-2035.
    runs, seed : int
        Simulated futures per redraw and their seed.

    Returns
    -------
    Explorer
        Its data: the fan (year, mean, q5 ... q95) and ``dissolved`` by year.
    """
    scen = _scenario_or_none(scenario, runs, seed)
    if scen is None:
        years = range(2020, 2036)
        start, label, first, last = dict(_GENERIC), "a generic alliance", 2020, 2035
    else:
        years = None
        start = {k: float(scen.drivers[k].mean()) for k in _CHECKLIST}
        first, last = scen.years
        label = scen.title
    controls = {k: _slider(name, round(start[k] * 20) / 20, 0.0, 1.0)
                for k, (name, _role) in _CHECKLIST.items()}
    controls["shock"] = W.Dropdown(options=list(_SHOCKS), value="external shock",
                                   description="Scenario shock", style=STYLE, layout=WIDE)
    controls["shock_year"] = _slider("Shock year", (first + last + 1) // 2, first, last, 1,
                                     integer=True)
    controls["shock_size"] = _slider("Shock size", 0.5, 0.0, 1.0)
    c_min = cohesion.CohesionParams().c_min

    def draw(v):
        drivers = {k: v[k] for k in _CHECKLIST}
        driver = _SHOCKS[v["shock"]]
        shocks = [] if driver is None else [(v["shock_year"], driver, v["shock_size"])]
        if scen is None:
            frame = cohesion.simulate(drivers={**_GENERIC, **drivers}, years=years,
                                      shocks=shocks or False, runs=runs, seed=seed)
        else:
            frame = cohesion.simulate(scen.name, drivers=drivers, shocks=shocks or False,
                                      runs=runs, seed=seed)
        fan = cohesion.fan(frame)
        dissolved = cohesion.dissolution_probability(frame)
        items = pd.DataFrame({"item": [name for name, _ in _CHECKLIST.values()],
                              "score": [v[k] for k in _CHECKLIST],
                              "role": [role for _, role in _CHECKLIST.values()]})
        shock_rows = (pd.DataFrame({"year": [v["shock_year"]], "text": [v["shock"]]})
                      if driver is not None else None)
        live = [[Live.of(charts.scorecard_parts(items)),
                 Live.of(charts.fan_parts(fan, shock_rows))]]

        def panels():
            return [[charts.scorecard_chart(items, title="Scorecard"),
                     charts.sized(charts.fan_chart(fan, title="Futures under the shock",
                                                   shocks=shock_rows, threshold=c_min),
                                  width=300)]]

        data = fan.assign(dissolved=dissolved["probability"].to_numpy())
        end = data.iloc[-1]
        shock = ("no scenario shock" if driver is None else
                 f"shock '{v['shock']}' of size {v['shock_size']:.2f} in {v['shock_year']}")
        summary = (f"With {shock}: "
                   f"median cohesion {end['q50']:.2f} by {int(end['year'])}, "
                   f"{end['dissolved']:.0%} of runs dissolved.")
        return View(data, panels, summary, title=f"Assessing {label}", live=live)

    return Explorer(f"Assessment scorecard: {label}", controls, draw,
                    note="Score each item, then pick a shock: does the alliance hold?")


#: Lesson number -> explorer factory (used by the tests and the benchmark).
EXPLORERS = {
    "00": membership_explorer,
    "01": member_calculus_explorer,
    "02": survival_explorer,
    "03": europe_network_explorer,
    "04": little_entente_explorer,
    "05": erosion_explorer,
    "06": portfolio_explorer,
    "07": scorecard_explorer,
    "09": honour_rate_explorer,
    "10": landscape_weights_explorer,
}

