"""The interactive explorers used by the lessons: ipywidgets controls wired to a model and a chart.

Each explorer is a small `Explorer` object. It holds its controls (``.controls``, name -> widget),
calls ONE model function with the controls' values, passes the result to ONE chart builder of
`alliancekit.charts`, and shows the chart, a one-line summary and (in a collapsible section) the
chart's data as an accessible table. The maths lives in the model modules; nothing here computes
model state.

===  ===============================  =========================================================
 #   explorer                         model call -> chart
===  ===============================  =========================================================
01   `member_calculus_explorer`       ``cohesion.commitment_margin`` -> ``margin_components_chart``
02   `survival_explorer`              ``cases.durations`` -> ``kaplan_meier`` -> ``survival_curve``
                                      (and ``membership_timeline`` of NATO, ASEAN, ECOWAS)
03   `europe_network_explorer`        ``networks.signed_graph``/``triads`` -> ``network_chart``,
                                      ``triad_chart``; ``cohesion.member_calculus`` (Italy)
04   `little_entente_explorer`        ``cases.cinc`` -> ``side_totals``/``capabilities_chart``
05   `erosion_explorer`               ``cohesion.simulate``/``fan`` -> ``fan_chart``, ``gap_chart``
06   `portfolio_explorer`             ``strategies.compare_strategies`` -> ``portfolio_chart``
07   `scorecard_explorer`             ``cohesion.simulate`` -> ``scorecard_chart``, ``fan_chart``
09   `landscape_weights_explorer`     ``europe1936.predict`` -> ``replication_charts.blocs_chart``
===  ===============================  =========================================================

Display and speed (measured on the course machine, 2 shared cores).

- In JupyterLab an explorer shows its controls and interactive Vega-Lite panels, one Output widget
  per panel. On every control change it calls the model and rebuilds each panel's Vega-Lite bundle
  *without* an SVG: the SVG costs 35-55 ms, while the model call plus the bundle costs 4-18 ms of
  CPU (p95 about 17 ms over every control; ``benchmarks/bench_widgets.py``). Redraws also skip
  altair's per-object validation and write the spec with `alliancekit.charts.fast_spec`; the tests
  validate every builder's full spec instead.
- Panels are sent separately because composing them (``alt.hconcat``) costs 10-20 ms; ``.chart``
  composes them on first use.
- Controls that change only the view, not the model (the years and "show Germany" of
  `little_entente_explorer`), are Vega-Lite inputs bound to the chart: the browser redraws with no
  kernel round trip.
- Widgets cannot be drawn in exported HTML without a CDN, so when an explorer is displayed it also
  emits a static snapshot (title, summary, the SVG made offline by vl-convert, and the data table).
  JupyterLab and Notebook 7 hide that snapshot with a CSS rule scoped to their notebook panel
  (checked in Chromium, offline); nbconvert and nbgrader feedback pages show it. Each displayed
  explorer therefore costs one SVG when its cell runs, and none afterwards.

A control whose value the model rejects (e.g. an impossible shock in `portfolio_explorer`) leaves
the last valid chart in place and says why in the summary.

References
----------
Owusu, O. & Bruce-Ghartey, E. A. (2026). The Illusion of Permanent Allies. IJRISS.
"""
from __future__ import annotations

import functools
import html
from collections.abc import Callable, Mapping

import ipywidgets as W
import numpy as np
import pandas as pd
from IPython.display import HTML, clear_output, display

from alliancekit import (
    charts,  # first: it imports altair the fast way (see charts._import_altair)
    survival,
)
from alliancekit.charts import alt

__all__ = [
    "Explorer", "View", "membership_explorer", "member_calculus_explorer", "survival_explorer",
    "europe_network_explorer", "little_entente_explorer", "erosion_explorer",
    "portfolio_explorer", "scorecard_explorer", "EXPLORERS", "control_values",
    "landscape_weights_explorer",
]

_SNAPSHOT_CSS = (
    "<style>.jp-NotebookPanel .ak-snapshot{display:none}"
    ".jp-NotebookPanel .jp-OutputArea-child:has(.ak-snapshot){display:none}</style>"
)
_STYLE = {"description_width": "13em"}
_WIDE = W.Layout(width="34em")
_AUTO = W.Layout(width="auto")


_NON_POSITION = ("color", "strokeDash", "shape", "size", "opacity")


def _independent(chart):
    """Panels keep their own colour, dash, shape and size scales (concatenated charts share
    them by default, which would merge e.g. the network's allied/hostile colours with the margin
    chart's terms)."""
    return chart.resolve_scale(**{c: "independent" for c in _NON_POSITION})


class View:
    """What one model call produced: the data, the chart panels and a summary in words.

    Parameters
    ----------
    data : pandas.DataFrame
        The data the summary and the main panel show.
    rows : altair chart, or list of lists of altair charts
        The panels, row by row (drawn side by side within a row).
    summary : str
        One or two sentences on what the chart shows now.
    title, description : str, optional
        Title and description of the composed chart when there are several panels (default: the
        first panel's title and every panel's description).
    """

    __slots__ = ("data", "rows", "summary", "title", "description", "_chart")

    def __init__(self, data: pd.DataFrame, rows, summary: str, title: str = "",
                 description: str = ""):
        if isinstance(rows, alt.TopLevelMixin):
            rows = [[rows]]
        self.data, self.rows, self.summary = data, [list(r) for r in rows], summary
        self.title, self.description = title, description
        self._chart = None

    @property
    def panels(self) -> list:
        """Every panel, row by row."""
        return [c for row in self.rows for c in row]

    @property
    def chart(self):
        """The panels composed into one altair chart (built on first use: composing costs
        10-20 ms, so redraws send each panel on its own)."""
        if self._chart is None:
            panels = self.panels
            if len(panels) == 1:
                self._chart = panels[0]
            else:
                rows = [_independent(alt.hconcat(*r)) if len(r) > 1 else r[0]
                        for r in self.rows]
                chart = rows[0] if len(rows) == 1 else _independent(alt.vconcat(*rows))
                chart.title = self.title or charts._title_text(panels[0])
                chart.description = self.description or " ".join(
                    charts.describe(p) for p in panels)
                self._chart = chart
        return self._chart


class Explorer:
    """Controls wired to one model call and one chart; displays itself in Jupyter.

    Parameters
    ----------
    title : str
        Heading shown above the controls.
    controls : dict
        Name -> ipywidget; every ``value`` change redraws.
    draw : callable
        ``draw(values) -> View``, where ``values`` maps control names to their values. It calls the
        model and chart builders, nothing else.
    static : list of altair charts, optional
        Charts that do not depend on the controls, drawn once below the explorer.
    note : str, optional
        A line of help under the title.

    Attributes
    ----------
    controls : dict
    chart : altair chart (current; the panels composed)
    data : pandas.DataFrame (the current chart's data)
    summary : str (current text shown)
    bundles : list of dict
        The Vega-Lite bundle of each panel as last sent to the front end.
    message : str
        Empty, or why the last control change was rejected.
    """

    def __init__(self, title: str, controls: Mapping[str, W.Widget],
                 draw: Callable[[dict], View], static=(), note: str = ""):
        self.title = title
        self.controls = dict(controls)
        self._draw = draw
        self.static = list(static)
        self.note = note
        self.message = ""
        self.bundles: list = []
        self._outs: list = []
        self._panels = W.VBox()
        self._summary = W.HTML()
        self._table = W.HTML()
        self._accordion = W.Accordion(children=[self._table], selected_index=None)
        self._accordion.set_title(0, "Data table (for screen readers)")
        self._accordion.observe(self._fill_table, names="selected_index")
        self._shown = False
        for widget in self.controls.values():
            widget.observe(self._on_change, names="value")
        self.update()

    # -- state ---------------------------------------------------------------------------------
    def values(self) -> dict:
        """Current control values, name -> value."""
        return {name: w.value for name, w in self.controls.items()}

    def update(self) -> View:
        """Call the model with the current control values, rebuild the chart, redraw if shown.

        Returns
        -------
        View
            The new data, chart and summary (the previous one when the model rejected the values;
            ``.message`` then says why).
        """
        try:
            # altair validates every schema object as it is created ("debug mode", ~50 % of a
            # redraw); the builders' output is validated by the tests, so redraws skip it
            with alt.utils.schemapi.debug_mode(False):
                view = self._draw(self.values())
        except ValueError as err:
            if not hasattr(self, "_view"):
                raise
            self.message = str(err)
            self._summary.value = (f"<p role='alert'><b>Not possible:</b> "
                                   f"{html.escape(self.message)}</p>")
            return self._view
        self.message = ""
        self._view = view
        self.bundles = [charts.mimebundle(p, svg=False, validate=False) for p in view.panels]
        self._summary.value = f"<p>{html.escape(view.summary)}</p>"
        if self._accordion.selected_index is not None:
            self._fill_table()
        if self._shown:
            self._send()
        return view

    def _send(self) -> None:
        shape = [len(r) for r in self._view.rows]
        if [len(b.children) for b in self._panels.children] != shape:
            self._outs = [W.Output() for _ in self.bundles]
            it = iter(self._outs)
            self._panels.children = [W.HBox([next(it) for _ in range(n)]) for n in shape]
        for out, bundle in zip(self._outs, self.bundles, strict=True):
            with out:
                clear_output(wait=True)
                display(bundle, raw=True)

    def _on_change(self, change) -> None:
        self.update()

    def _data_table(self):
        return charts.data_table(self.data, caption=charts._title_text(self.chart) or self.title)

    def _fill_table(self, change=None) -> None:
        if self._accordion.selected_index is not None:
            self._table.value = self._data_table().html

    @property
    def view(self) -> View:
        """The current `View`."""
        return self._view

    @property
    def chart(self):
        """The current altair chart (the panels composed)."""
        return self._view.chart

    @property
    def data(self) -> pd.DataFrame:
        """The current chart's data."""
        return self._view.data

    @property
    def summary(self) -> str:
        """The current summary text."""
        return self._view.summary

    # -- display -------------------------------------------------------------------------------
    def widget(self) -> W.VBox:
        """The explorer as one ipywidgets box (controls, chart, summary, data table)."""
        head = [W.HTML(f"<h4 style='margin:0.2em 0'>{html.escape(self.title)}</h4>")]
        if self.note:
            head.append(W.HTML(f"<p style='margin:0'>{html.escape(self.note)}</p>"))
        box = W.VBox(list(self.controls.values()))
        static = W.Output()
        with static:
            for chart in self.static:
                display(charts.mimebundle(chart, svg=False), raw=True)
        return W.VBox([*head, box, self._panels, self._summary, self._accordion, static])

    def snapshot_html(self) -> str:
        """Static HTML of the current state: title, summary, SVG of each chart, data table."""
        figures = []
        for chart in [self.chart, *self.static]:
            figures.append(
                f"<figure><figcaption>{html.escape(charts.describe(chart))}</figcaption>"
                f"{charts.to_svg(chart)}</figure>")
        table = self._data_table().html
        return (f"{_SNAPSHOT_CSS}<div class='ak-snapshot'><h4>{html.escape(self.title)}</h4>"
                f"<p>{html.escape(self.summary)}</p>{''.join(figures)}"
                f"<details><summary>Data table</summary>{table}</details></div>")

    def _ipython_display_(self) -> None:
        self._shown = True
        display(self.widget())
        self._send()
        display(HTML(self.snapshot_html()))

    def __repr__(self) -> str:
        return f"<Explorer {self.title!r}: controls {list(self.controls)}>"


def _slider(description, value, lo, hi, step=0.05, fmt=".2f", integer=False):
    cls = W.IntSlider if integer else W.FloatSlider
    kwargs = {} if integer else {"readout_format": fmt}
    return cls(value=value, min=lo, max=hi, step=step, description=description,
               continuous_update=False, style=_STYLE, layout=_WIDE, **kwargs)


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
    from alliancekit import cases

    alliances = cases.table("alliances").sort_values("signed")
    ids = list(alliances["alliance_id"])
    if alliance not in ids:
        raise ValueError(f"alliance must be an alliance_id of the case data, e.g. 'nato' or "
                         f"'triple_alliance'; got {alliance!r}")
    options = [(f"{row.name} ({row.signed.year})", row.alliance_id)
               for row in alliances.itertuples()]
    controls = {"alliance": W.Dropdown(options=options, value=alliance, description="Alliance",
                                       style=_STYLE, layout=_WIDE)}

    def draw(v):
        row = alliances.set_index("alliance_id").loc[v["alliance"]]
        m = _membership_frame([v["alliance"]])
        end = row["ended"] if pd.notna(row["ended"]) else pd.Timestamp.today().normalize()
        chart = charts.membership_timeline(
            m, start=str(row["signed"].date()), end=str(end.date()), title=_short(row["name"]),
            subtitle=f"{row['kind'].replace('_', ' ')}, signed {row['signed']:%d %b %Y}")
        founders = cases.members(v["alliance"], row["signed"], use_accession=True)
        last_day = end - pd.Timedelta(days=1) if pd.notna(row["ended"]) else end
        at_end = cases.members(v["alliance"], last_day, use_accession=True)
        gone = sorted(set(m.loc[m["exit_mode"].isin(_LEFT_FOR_GOOD), "state"])
                      - set(at_end["ccode"].map(cases.state_name)))
        ending = (f"it ended on {row['ended']:%d %b %Y} with {len(at_end)}"
                  if pd.notna(row["ended"]) else f"it has {len(at_end)} today")
        summary = (f"{_short(row['name'])}: {len(founders)} founding member(s); {ending}. "
                   + (f"States that left before the end: {', '.join(gone)}." if gone
                      else "No state left before the end."))
        return View(chart.data if isinstance(chart.data, pd.DataFrame) else m, chart, summary)

    return Explorer("Who belonged, and when?", controls, draw,
                    note="Pick an alliance: watch members join and leave.")


# --------------------------------------------------------------------------------------------
# 01 a member's stay-or-leave calculus
# --------------------------------------------------------------------------------------------
def member_calculus_explorer(own_cinc: float = 0.03, partner_cinc: float = 0.13,
                             threat: float = 0.7, alignment: float = 0.7,
                             propensity: float = 0.25, outside: float = 0.05) -> Explorer:
    """Lesson 01: does a member stay or leave? Sliders on every input of the commitment margin.

    One member with one partner; the chart shows the margin's terms (security benefit, autonomy
    cost, entrapment risk, outside option) from ``cohesion.commitment_margin``.

    Parameters
    ----------
    own_cinc, partner_cinc : float
        Starting CINC scores (shares of world capabilities), each in [0.005, 0.3].
    threat, alignment, propensity, outside : float
        Starting coded inputs, each in [0, 1] (see `alliancekit.cohesion.commitment_margin`).

    Returns
    -------
    Explorer

    References
    ----------
    Morrow (1991); Snyder (1984); Leeds, Long & Mitchell (2000).
    """
    from alliancekit import cohesion

    depths = [(f"{name} ({d:g})", float(d)) for name, d in cohesion.DEPTH.items()
              if name in ("defense", "neutrality", "consultation")]
    controls = {
        "threat": _slider("Threat faced", threat, 0.0, 1.0),
        "alignment": _slider("Shared interests", alignment, 0.0, 1.0),
        "propensity": _slider("Partner's recklessness", propensity, 0.0, 1.0),
        "outside": _slider("Outside option", outside, 0.0, 1.0),
        "own_cinc": _slider("Own capabilities (CINC)", own_cinc, 0.005, 0.3, 0.005, ".3f"),
        "partner_cinc": _slider("Partner's capabilities", partner_cinc, 0.005, 0.3, 0.005,
                                ".3f"),
        "reliability": _slider("Partner's reliability", cohesion.RELIABILITY, 0.0, 1.0),
        "depth": W.Dropdown(options=depths, value=1.0, description="Obligation",
                            style=_STYLE, layout=_WIDE),
    }

    def draw(v):
        m = cohesion.commitment_margin(
            v["own_cinc"], [v["partner_cinc"]], v["threat"], [v["alignment"]],
            [v["propensity"]], v["outside"], reliability=v["reliability"], depth=v["depth"])
        parts = pd.DataFrame([{k: float(getattr(m, k)) for k in
                               ("benefit", "autonomy_cost", "entrapment", "outside", "margin")}])
        chart = charts.margin_components_chart(parts)
        verdict = "stays" if bool(m.stays) else "is better off leaving"
        summary = (f"Margin {float(m.margin):+.3f}: the member {verdict} (benefit "
                   f"{float(m.benefit):.3f} against costs {float(m.autonomy_cost):.3f} + "
                   f"{float(m.entrapment):.3f} and an outside option of {float(m.outside):.3f}).")
        return View(charts.chart_frame(chart), chart, summary)

    return Explorer("A member's calculus: stay or leave?", controls, draw,
                    note="Move a slider and watch the margin: the member stays while it is >= 0.")


# --------------------------------------------------------------------------------------------
# 02 survival of alliances, and the post-1991 timeline
# --------------------------------------------------------------------------------------------
_ANY = "any"
_SIZES = {"any": (0, 10_000), "bilateral (2)": (2, 2), "3 to 5 members": (3, 5),
          "6 or more": (6, 10_000)}
_POST_1991 = ("nato", "asean", "ecowas")


def _obligation_types(column: pd.Series) -> list[str]:
    kinds = set()
    for value in column.dropna().astype(str):
        kinds.update(k.strip() for k in value.replace(",", ";").split(";") if k.strip())
    return sorted(kinds)


def _short(name: str) -> str:
    """"North Atlantic Treaty Organization (NATO)" -> "NATO"."""
    if name.endswith(")") and " (" in name:
        return name[name.rindex(" (") + 2:-1]
    return name


def _membership_frame(alliance_ids=_POST_1991):
    from alliancekit import cases

    alliances = cases.table("alliances").set_index("alliance_id")
    m = cases.table("memberships")
    m = m[m["alliance_id"].isin(alliance_ids)].copy()
    if m.empty:
        return m
    # One span per state and alliance: a new ATOP phase (exit mode "replaced") is not an exit,
    # and later NATO members count from their accession, not from their protocol's signature.
    m["joined"] = m["accession"].fillna(m["joined"])
    m = m.sort_values("joined").groupby(["alliance_id", "ccode"], as_index=False).agg(
        joined=("joined", "min"), left=("left", lambda s: s.max() if s.notna().all() else pd.NaT),
        exit_mode=("exit_mode", "last"))
    names = alliances["name"].to_dict()
    m["alliance"] = [_short(names.get(a, a)) for a in m["alliance_id"]]
    m["state"] = [cases.state_name(int(c)) for c in m["ccode"]]
    return m


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
    from alliancekit import cases

    everything = cases.durations()
    # ATOP rows that begin after its 2003 censoring date have no duration to estimate from
    durations = everything[(everything["years"] >= 0)
                           & (everything["begin"] <= pd.Timestamp("2003-12-31"))]
    dropped = len(everything) - len(durations)
    kinds = _obligation_types(durations["obligations"])
    eras = sorted(str(e) for e in pd.unique(durations["era"].dropna()) if str(e).strip())
    groups = ("nothing", "era", "obligations", "size")
    if compare not in groups:
        raise ValueError(f"compare must be one of {groups}; got {compare!r}")
    controls = {
        "obligation": W.Dropdown(options=[_ANY, *kinds], value=_ANY,
                                 description="Obligation includes", style=_STYLE, layout=_WIDE),
        "size": W.Dropdown(options=list(_SIZES), value="any", description="Members",
                           style=_STYLE, layout=_WIDE),
        "era": W.Dropdown(options=[_ANY, *eras], value=_ANY, description="Era began",
                          style=_STYLE, layout=_WIDE),
        "compare": W.ToggleButtons(options=groups, value=compare, description="Compare by",
                                   style=_STYLE),
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
        table = survival.kaplan_meier(d, group)
        chart = charts.survival_curve(table, subtitle=f"{len(d)} ATOP alliances, 1815-2003")
        med = []
        for g, rows in table.groupby("group", sort=False):
            half = rows[rows["survival"] <= 0.5]
            med.append(f"{g}: half ended within {half['years'].iloc[0]:.1f} years" if len(half)
                       else f"{g}: more than half never ended in the data")
        summary = (f"{len(d)} alliances ({int((~d['ended'].astype(bool)).sum())} still in force "
                   f"in 2003). " + "; ".join(med) + "."
                   + (f" ({dropped} ATOP alliances begun after 2003 are left out.)"
                      if dropped else ""))
        return View(table, chart, summary)

    static = []
    members = _membership_frame()
    if not members.empty:
        static.append(charts.membership_timeline(
            members, start="1991-01-01", title="NATO, ASEAN and ECOWAS since 1991",
            subtitle="Member states; exits marked"))
    return Explorer("How long do alliances last?", controls, draw, static=static,
                    note="Filter the ATOP alliances and compare their survival curves.")


# --------------------------------------------------------------------------------------------
# 03 the great powers as a signed network, 1872-1915
# --------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=4)
def _italy_margin():
    from alliancekit import cohesion

    return cohesion.member_calculus("triple_alliance", 325)


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
    from alliancekit import networks

    if not first <= year <= last:
        raise ValueError(f"year must lie within [{first}, {last}]; got {year}")
    controls = {
        "year": _slider("Year", year, first, last, 1, integer=True),
        "conflict": W.ToggleButtons(options=[("treaty wins", "alliance"),
                                             ("rivalry wins", "rivalry")], value="alliance",
                                    description="Allied and rival", style=_STYLE),
    }
    try:
        italy = _italy_margin()
    except (LookupError, ValueError):  # no coded inputs: show the network alone
        italy = None

    def draw(v):
        G = networks.signed_graph(v["year"], conflict=v["conflict"])
        tri = networks.triads(G)
        frus = networks.frustration(G)
        net = charts.network_chart(networks.node_positions(G), networks.edge_table(G),
                                   title=f"The great powers in {v['year']}",
                                   subtitle="solid: allied; dashed: hostile")
        right = charts.triad_chart(tri, title="Triads")
        rows = [[net, right]]
        summary = (f"{v['year']}: {int((~tri['balanced']).sum())} of {len(tri)} triads "
                   f"unbalanced; frustration index {frus.index}.")
        if italy is not None:
            yr = int(np.clip(v["year"], italy["year"].min(), italy["year"].max()))
            rows.append([charts.sized(charts.margin_chart(
                italy, title="Italy's margin in the Triple Alliance", highlight_year=yr),
                width=500, height=160)])
            row = italy[italy["year"] == yr].iloc[0]
            summary += (f" Italy's margin in {yr}: {row['margin']:+.3f} "
                        f"({'stays' if row['stays'] else 'better off outside'}).")
        return View(charts.chart_frame(net), rows, summary,
                    title=f"Great-power alignments, {v['year']}")

    return Explorer("Europe's great powers, 1872-1915", controls, draw,
                    note="Slide through the years: when do the triads become balanced?")


# --------------------------------------------------------------------------------------------
# 04 the Little Entente's capabilities
# --------------------------------------------------------------------------------------------
_ENTENTE = (315, 345, 360)          # Czechoslovakia, Yugoslavia, Romania (COW codes)
_HUNGARY, _GERMANY, _FRANCE = 310, 255, 220


@functools.lru_cache(maxsize=2)
def _entente_cinc(first, last):
    from alliancekit import cases

    return cases.cinc(states=[*_ENTENTE, _HUNGARY, _GERMANY, _FRANCE],
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
    cinc = _entente_cinc(int(first), int(last))
    controls = {
        "france": W.Checkbox(value=bool(france), description="Count France's guarantee",
                             indent=False, layout=_AUTO),
    }

    def draw(v):
        entente = "Little Entente + France" if v["france"] else "Little Entente"
        sides = {entente: [*_ENTENTE, *([_FRANCE] if v["france"] else [])],
                 "Hungary": [_HUNGARY], "Germany": [_GERMANY]}
        totals = charts.side_totals(cinc, sides)
        chart = charts.capabilities_chart(
            totals, title="The Little Entente's capabilities",
            subtitle="CINC, share of world capabilities", browser_controls=True,
            optional=["Germany"])
        end = int(totals["year"].max())
        last_row = totals[totals["year"] == end].set_index("side")["cinc"]
        summary = (f"In {end}: {entente} {last_row[entente]:.1%}, Hungary "
                   f"{last_row['Hungary']:.1%}, Germany {last_row['Germany']:.1%}.")
        return View(totals, chart, summary)

    return Explorer("The Little Entente's power, 1920-1938", controls, draw,
                    note="Who outweighs whom? Toggle France's guarantee; the sliders under the "
                         "chart choose the years.")


# --------------------------------------------------------------------------------------------
# 05 cohesion dynamics: the four mechanisms and perception
# --------------------------------------------------------------------------------------------
_MECHANISMS = {"L": "Leadership volatility", "H": "Domestic opposition",
               "S": "Power asymmetry", "X": "External shock"}
_GENERIC = {"T": 0.6, "A": 0.6, "I": 0.5, "R": 0.5, "S": 0.3, "L": 0.2, "H": 0.2, "X": 0.1}


def _scenario_or_none(name):
    """The scenario's baseline drivers, or None when the case data cannot build it."""
    from alliancekit import cohesion

    if name is None:
        return None
    return cohesion.scenario(name)


def _simulate_view(v, scenario, years, drivers, runs, seed, shocks=None):
    from alliancekit import cohesion

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
    from alliancekit import cohesion

    scen = _scenario_or_none(scenario)
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
                                        indent=False, layout=_AUTO)
    c_min = cohesion.CohesionParams().c_min

    def draw(v):
        drivers = {k: v[k] for k in _MECHANISMS}
        if scen is None:
            drivers = {**_GENERIC, **drivers}
        frame = _simulate_view(v, scen and scen.name, years, drivers, runs, seed,
                               shocks=None if v.get("events", True) else False)
        fan = cohesion.fan(frame)
        professed = cohesion.fan(frame, column="professed")
        dissolved = cohesion.dissolution_probability(frame)
        shock_rows = None
        if scen is not None and v.get("events", True) and len(shocks):
            shock_rows = shocks[["year", "mechanism"]]
        left = charts.sized(charts.fan_chart(fan, title="Futures of cohesion",
                                             shocks=shock_rows, threshold=c_min), width=300)
        right = charts.sized(charts.gap_chart(fan, professed), width=300)
        data = fan.assign(professed=professed["q50"].to_numpy(),
                          dissolved=dissolved["probability"].to_numpy())
        end = data.iloc[-1]
        gap = (data["professed"] - data["q50"]).max()
        summary = (f"By {int(end['year'])}: median cohesion {end['q50']:.2f} (90 % of runs "
                   f"between {end['q5']:.2f} and {end['q95']:.2f}); {end['dissolved']:.0%} of "
                   f"runs dissolved; largest rhetoric-reality gap {gap:.2f}.")
        return View(data, [[left, right]], summary, title=f"Cohesion of {label}")

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
    from alliancekit import strategies

    controls = {
        "q": _slider("Chance of a common shock", q, 0.0, 1.0),
        "phi": _slider("Depth of the shock (φ)", phi, 0.0, 1.0),
        "reliability": _slider("Partners' honour rate", strategies.LLM_HONOURED, 0.3, 0.95,
                               0.01),
        "calibrate": W.Checkbox(value=True, description="Rate is the observed average",
                                indent=False, layout=_AUTO),
    }

    def draw(v):
        table = strategies.compare_strategies(v["q"], v["phi"], reliability=v["reliability"],
                                              calibrate=v["calibrate"])
        chart = charts.portfolio_chart(
            table, subtitle=f"shock chance {v['q']:.2f}, depth {v['phi']:.2f}; correlation "
                            f"between partners {table['correlation'].iloc[0]:.2f}")
        best = table.iloc[0]
        summary = (f"Best: {best['strategy']} (net {best['net']:.2f}). Chance at least one "
                   f"partner helps: " + ", ".join(
                       f"{r.strategy} {r.help_probability:.0%}" for r in table.itertuples()
                       if r.n_partners) + ".")
        return View(table, chart, summary)

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
    from alliancekit import cohesion

    scen = _scenario_or_none(scenario)
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
                                   description="Scenario shock", style=_STYLE, layout=_WIDE)
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
        items = pd.DataFrame([{"item": name, "score": v[k], "role": role}
                              for k, (name, role) in _CHECKLIST.items()])
        card = charts.scorecard_chart(items, title="Scorecard")
        shock_rows = (pd.DataFrame({"year": [v["shock_year"]], "text": [v["shock"]]})
                      if driver is not None else None)
        fan_c = charts.sized(charts.fan_chart(fan, title="Futures under the shock",
                                              shocks=shock_rows, threshold=c_min), width=300)
        data = fan.assign(dissolved=dissolved["probability"].to_numpy())
        end = data.iloc[-1]
        shock = ("no scenario shock" if driver is None else
                 f"shock '{v['shock']}' of size {v['shock_size']:.2f} in {v['shock_year']}")
        summary = (f"With {shock}: "
                   f"median cohesion {end['q50']:.2f} by {int(end['year'])}, "
                   f"{end['dissolved']:.0%} of runs dissolved.")
        return View(data, [[card, fan_c]], summary, title=f"Assessing {label}")

    return Explorer(f"Assessment scorecard: {label}", controls, draw,
                    note="Score each item, then pick a shock: does the alliance hold?")


def control_values(widget) -> list:
    """Values a learner can reach with a control, extremes first (for smoke tests and benchmarks).

    Parameters
    ----------
    widget : ipywidgets slider, range slider, checkbox, dropdown or toggle buttons

    Returns
    -------
    list
        The minimum, maximum and middle of a slider; both states of a checkbox; every option of a
        dropdown or toggle buttons.
    """
    if isinstance(widget, W.IntRangeSlider):
        lo, hi = widget.min, widget.max
        return [(lo, lo), (hi, hi), (lo, hi), ((lo + hi) // 2, hi)]
    if isinstance(widget, W.IntSlider):
        return [widget.min, widget.max, (widget.min + widget.max) // 2]
    if isinstance(widget, W.FloatSlider):
        return [widget.min, widget.max, (widget.min + widget.max) / 2]
    if isinstance(widget, W.Checkbox):
        return [not widget.value, widget.value]
    if isinstance(widget, (W.Dropdown, W.ToggleButtons)):
        return [value for _, value in widget._options_full]
    raise ValueError(f"widget must be a slider, checkbox, dropdown or toggle buttons; got "
                     f"{type(widget).__name__}")


# --------------------------------------------------------------------------------------------
# 09 replications: the 1936 landscape under other weights
# --------------------------------------------------------------------------------------------
def landscape_weights_explorer() -> Explorer:
    """Lesson 09: move the weights of the 1936 landscape's factors and watch the best split.

    Controls: one slider per factor of ``europe1936.FACTORS`` (ideology, war history, rivalry,
    border), starting at the pre-registered weights. Model: ``europe1936.predict`` (the exact
    global minimum of ``landscape.global_minimum``) -> ``replication_charts.blocs_chart``.

    Returns
    -------
    Explorer

    References
    ----------
    Axelrod & Bennett (1993).
    """
    from alliancekit import europe1936, replication_charts

    registered = europe1936.weights()
    labels = {"ideology": "Ideology", "war_history": "War history", "rivalry": "Rivalry",
              "border": "Land border"}
    controls = {f: _slider(f"{labels[f]} weight", registered[f], 0.0, 3.0, 0.25)
                for f in europe1936.FACTORS}

    def draw(v):
        scored = europe1936.predict(v)
        n = int(scored["correct"].sum())
        wrong = ", ".join(scored.loc[~scored["correct"], "name"]) or "none"
        changed = [labels[f] for f in europe1936.FACTORS if v[f] != registered[f]]
        chart = replication_charts.blocs_chart(
            scored, subtitle="registered weights" if not changed else
            "changed: " + ", ".join(changed))
        summary = (f"{n} of 17 states land on their wartime side (misplaced: {wrong}); "
                   f"Axelrod & Bennett's coding placed 15.")
        return View(scored, chart, summary)

    return Explorer("The 1936 landscape under other weights", controls, draw,
                    note="The result reported in the lesson uses the registered weights only.")


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
    "09": landscape_weights_explorer,
}

