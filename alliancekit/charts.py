"""Altair chart builders with one colour-blind-safe theme, and an offline renderer.

Importing this module does two things, once, and nothing else does them anywhere else:

1. it registers and enables the ``"alliancekit"`` theme: the Okabe & Ito (2008) palette, which stays
   distinguishable under the common forms of colour-vision deficiency, with lines also told apart
   by dash where a chart has several series;
2. it registers and enables the ``"alliancekit"`` renderer. The renderer returns the Vega-Lite v5
   mimetype bundle (JupyterLab draws it as an interactive chart) merged with an ``image/svg+xml``
   rendering of the same chart made offline by vl-convert (nbconvert, nbgrader feedback and any
   other HTML export show the SVG). No CDN is involved at any point. Altair 6's renderers and
   Altair 5's plain ``mimetype`` renderer each fail offline in one of those places (see
   ``PITFALLS.md`` of the course repository), which is why the package pins ``altair<6``.

Every builder takes a plain DataFrame (the output of a model or data function: charts never compute
model state), and returns an altair chart with a ``title`` and a top-level ``description`` in
words, for screen readers. `data_table` turns a chart (or a frame) into an accessible HTML table.

Builders (input -> chart), by lesson:

- 01/03 `margin_components_chart` (one ``commitment_margin``), `margin_chart`
  (``cohesion.member_calculus``: the margin and its terms over time);
- 02 `survival_curve` (``survival.kaplan_meier`` of ``cases.durations``: censoring ticks),
  `membership_timeline` (memberships: members over time, exits marked), `timeline` (spans);
- 03 `network_chart` (``networks.node_positions`` + ``networks.edge_table``), `triad_chart`;
- 04 `side_totals` + `capabilities_chart` (``cases.cinc``; lines or stacked areas, optional
  browser-side year sliders);
- 05/07/08 `fan_chart` (``cohesion.fan``), `gap_chart` (rhetoric vs reality),
  `dissolution_chart`; 06 `portfolio_chart` (``strategies.compare_strategies``);
  07 `scorecard_chart`.

Cost (measured on the course machine, 2 cores): ``import altair`` about 1 s; building a chart and
its Vega-Lite dict 2-10 ms; the SVG about 35-55 ms once vl-convert is warm (its first call costs
about 0.5 s). Explorers therefore redraw on a control change with the Vega-Lite bundle only
(`mimebundle` with ``svg=False``) and make the SVG once, for the static snapshot that exported HTML
shows.

References
----------
Okabe, M. & Ito, K. (2008). Color Universal Design (CUD): how to make figures and presentations
that are friendly to colorblind people. https://jfly.uni-koeln.de/color/
Owusu, O. & Bruce-Ghartey, E. A. (2026). The Illusion of Permanent Allies. IJRISS.
"""
from __future__ import annotations

import html
import math
import sys
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd


def _import_altair():
    """Import altair without jsonschema's IRI grammar, which costs ~0.8 s of a ~1.1 s import.

    jsonschema imports the optional ``rfc3987_syntax`` package, if it is installed, to check the
    "iri" string format, and building that grammar dominates ``import altair`` (measured on the
    course machine: 1.15 s with it, 0.27 s without). Vega-Lite specs never use that format, so
    while altair (and through it jsonschema) is first imported, the package is marked absent; the
    mark is removed again at once, so any later ``import rfc3987_syntax`` works as usual. Where
    jsonschema was already imported, nothing is changed.
    """
    block = "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules
    if block:
        sys.modules["rfc3987_syntax"] = None  # an import of it now raises ImportError
    try:
        import altair
    finally:
        if block:
            del sys.modules["rfc3987_syntax"]
    return altair


alt = _import_altair()
from altair.vegalite.v5.display import mimetype_renderer, svg_renderer  # noqa: E402

__all__ = [
    "PALETTE", "THEME", "RENDERER", "SVG_MIMETYPE", "VEGALITE_MIMETYPE",
    "render", "mimebundle", "sized", "to_svg", "describe", "data_table", "DataTable", "chart_frame",
    "survival_curve", "membership_timeline", "timeline", "capabilities_chart",
    "side_totals", "network_chart", "triad_chart", "margin_chart", "margin_components_chart",
    "fan_chart", "gap_chart", "dissolution_chart", "portfolio_chart", "scorecard_chart",
    "survival_band_chart", "incidence_chart", "tornado_chart", "margin_compare_chart",
]

#: Okabe & Ito (2008) colours, in the order categories receive them.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#000000")
#: Named roles, so that the same meaning keeps the same colour across lessons.
ALLIED, HOSTILE, NEUTRAL = "#0072B2", "#D55E00", "#7f7f7f"
THEME = "alliancekit"
RENDERER = "alliancekit"
VEGALITE_MIMETYPE = "application/vnd.vegalite.v5+json"
SVG_MIMETYPE = "image/svg+xml"
WIDTH, HEIGHT = 420, 240


# --------------------------------------------------------------------------------------------
# theme and renderer (configured here, once, on import)
# --------------------------------------------------------------------------------------------
@alt.theme.register(THEME, enable=True)
def _theme() -> alt.theme.ThemeConfig:
    """The course theme: Okabe-Ito colours, readable fonts, no chart junk."""
    font = "Helvetica, Arial, sans-serif"
    return alt.theme.ThemeConfig({
        "config": {
            "view": {"continuousWidth": WIDTH, "continuousHeight": HEIGHT, "stroke": None},
            "font": font,
            "background": "white",
            "range": {"category": list(PALETTE), "ordinal": {"scheme": "blues"}},
            "title": {"fontSize": 15, "anchor": "start", "subtitleFontSize": 12,
                      "subtitleColor": "#444444"},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "gridColor": "#e6e6e6",
                     "labelOverlap": "greedy", "labelSeparation": 6,
                     "domainColor": "#666666", "tickColor": "#666666"},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
            "line": {"strokeWidth": 2.5},
            "point": {"size": 50, "filled": True},
            "text": {"fontSize": 12},
        }
    })


def _spec(chart_or_spec) -> dict:
    if isinstance(chart_or_spec, dict):
        return chart_or_spec
    return chart_or_spec.to_dict()


def to_svg(chart) -> str:
    """The chart as an SVG string, made offline by vl-convert (about 40 ms once warm).

    Parameters
    ----------
    chart : altair chart or dict
        A chart, or its Vega-Lite dict.

    Returns
    -------
    str
        The SVG document.
    """
    return svg_renderer(_spec(chart))[SVG_MIMETYPE]


def render(spec: dict, **metadata):
    """The course renderer: the Vega-Lite v5 bundle merged with an offline SVG of the same chart.

    JupyterLab prefers the Vega-Lite output (an interactive chart drawn by its own offline
    renderer); HTML exports (nbconvert, nbgrader feedback) have no Vega-Lite renderer and show the
    SVG. Registered with ``alt.renderers`` as ``"alliancekit"`` and enabled on import.

    Parameters
    ----------
    spec : dict
        A Vega-Lite v5 specification (what altair passes to renderers).
    **metadata
        Passed on to altair's mimetype renderer.

    Returns
    -------
    tuple of (dict, dict)
        The mimebundle and its metadata.
    """
    spec = _with_description(spec)
    bundle, meta = mimetype_renderer(spec, **metadata)
    bundle = dict(bundle)
    bundle.update(svg_renderer(spec))
    return bundle, meta


def _with_description(spec: dict) -> dict:
    """A composed chart (``a | b``, ``a & b``) without its own description gets its panels'."""
    if spec.get("description"):
        return spec
    parts = [p.get("description") for key in ("hconcat", "vconcat", "concat")
             for p in spec.get(key, []) if isinstance(p, dict)]
    parts = [p for p in parts if p]
    if parts:
        spec = {**spec, "description": " ".join(parts)}
    return spec


alt.renderers.register(RENDERER, render)
alt.renderers.enable(RENDERER)


def mimebundle(chart, svg: bool = True, validate: bool = True) -> dict:
    """The display bundle of a chart, with or without its SVG.

    Parameters
    ----------
    chart : altair chart
    svg : bool
        Include the ``image/svg+xml`` rendering (about 40 ms). Explorers pass False when they
        redraw after a control change.
    validate : bool
        Validate the spec against the Vega-Lite schema (a few ms). The builders here are validated
        by the tests, so explorers skip it on redraws and use `fast_spec`.

    Returns
    -------
    dict
        mimetype -> data, ready for ``IPython.display.display(bundle, raw=True)``.
    """
    spec = chart.to_dict() if validate else fast_spec(chart)
    bundle, _ = mimetype_renderer(spec)
    bundle = dict(bundle)
    if svg:
        bundle.update(svg_renderer(spec))
    return bundle


# --------------------------------------------------------------------------------------------
# accessibility: description and data table
# --------------------------------------------------------------------------------------------
def _title_text(chart) -> str:
    title = getattr(chart, "title", alt.Undefined)
    if title is alt.Undefined or title is None:
        return ""
    if isinstance(title, str):
        return title
    text = getattr(title, "text", title.get("text", "") if isinstance(title, dict) else "")
    return text if isinstance(text, str) else " ".join(text)


def describe(chart) -> str:
    """The chart's title and its description in words (what a screen reader should announce).

    Parameters
    ----------
    chart : altair chart

    Returns
    -------
    str
        ``"<title>. <description>"``.

    Raises
    ------
    ValueError
        If the chart has no description.
    """
    description = getattr(chart, "description", alt.Undefined)
    if description is alt.Undefined or not description:
        raise ValueError("chart has no description; every course chart must set one "
                         "(chart.properties(description=...))")
    title = _title_text(chart)
    return f"{title}. {description}" if title else str(description)


def chart_frame(chart) -> pd.DataFrame:
    """The DataFrame a chart draws (its top-level data, else its first layer's or panel's)."""
    stack = [chart]
    while stack:
        item = stack.pop(0)
        data = getattr(item, "data", alt.Undefined)
        if isinstance(data, pd.DataFrame):
            return data
        for attr in ("layer", "hconcat", "vconcat", "concat"):
            parts = getattr(item, attr, alt.Undefined)
            if parts is not alt.Undefined and parts:
                stack.extend(parts)
    raise ValueError("chart holds no DataFrame (builders in alliancekit.charts always attach one)")


class DataTable:
    """An accessible HTML table of a chart's data (caption, column headers with ``scope``).

    Displays itself in Jupyter; ``.html`` is the markup and ``.frame`` the rows shown.
    """

    def __init__(self, frame: pd.DataFrame, caption: str, max_rows: int):
        self.total_rows = len(frame)
        self.frame = frame.head(max_rows)
        self.caption = caption
        self.html = _table_html(self.frame, caption, self.total_rows)

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"DataTable({self.caption!r}, {self.total_rows} rows)"


def _cell(value) -> str:
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return ""
        return f"{value:.3g}" if abs(value) < 1e4 else f"{value:,.0f}"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def _table_html(frame: pd.DataFrame, caption: str, total: int) -> str:
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False, name=None)
    )
    note = "" if total <= len(frame) else f" (first {len(frame)} of {total} rows)"
    return (f'<table class="ak-data-table"><caption>{html.escape(caption)}{note}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")


def data_table(chart_or_frame, caption: str | None = None, max_rows: int = 60) -> DataTable:
    """The data behind a chart as an accessible HTML table, for screen readers.

    Parameters
    ----------
    chart_or_frame : altair chart or pandas.DataFrame
        A chart from this module (its data is used) or a frame.
    caption : str, optional
        Table caption; default the chart's title.
    max_rows : int
        Rows shown (>= 1); the caption says when rows were left out.

    Returns
    -------
    DataTable
        Displays as an HTML table; ``.html`` holds the markup.

    Examples
    --------
    >>> data_table(pd.DataFrame({"year": [1882], "margin": [0.1]}), "Italy").html[:40]
    '<table class="ak-data-table"><caption>It'
    """
    if isinstance(max_rows, bool) or not isinstance(max_rows, int) or max_rows < 1:
        raise ValueError(f"max_rows must be a whole number >= 1; got {max_rows!r}")
    if isinstance(chart_or_frame, pd.DataFrame):
        frame = chart_or_frame
        caption = caption or "Data"
    elif isinstance(chart_or_frame, alt.TopLevelMixin):
        frame = chart_frame(chart_or_frame)
        caption = caption or _title_text(chart_or_frame) or "Data"
    else:
        raise ValueError("chart_or_frame must be an altair chart or a pandas DataFrame; got "
                         f"{type(chart_or_frame).__name__}")
    return DataTable(frame, caption, max_rows)


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
def _require(frame, columns, name="frame") -> None:
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame; got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} lacks column(s) {missing}; it has {list(frame.columns)}")


def _records(frame: pd.DataFrame) -> alt.InlineData:
    """Small auxiliary data inline, without altair's DataFrame sanitising (dates as ISO text)."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%dT%H:%M:%S")
    return alt.InlineData(values=out.to_dict("records"))


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
        half = rows[rows["survival"] <= 0.5]
        median = f"half had ended within {half['years'].iloc[0]:.1f} years" if len(half) else \
            "more than half were still in force at the end of the data"
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
    t0 = pd.Timestamp(start)
    t1 = pd.Timestamp(end) if end else pd.Timestamp.today().normalize()
    rows = []
    for alliance, part in memberships.groupby("alliance", sort=False):
        joined = pd.to_datetime(part["joined"])
        left = pd.to_datetime(part["left"])
        changes = pd.concat([
            pd.DataFrame({"date": joined, "step": 1, "state": part["state"]}),
            pd.DataFrame({"date": left, "step": -1, "state": part["state"]}).dropna(),
        ]).sort_values("date")
        by_date = changes.groupby("date").agg(
            step=("step", "sum"), joined=("step", lambda s: (s > 0).sum()),
            left=("step", lambda s: (s < 0).sum()),
            states=("state", lambda s: ", ".join(map(str, s)))).reset_index()
        by_date["members"] = by_date["step"].cumsum()
        before = by_date[by_date["date"] <= t0]
        first = int(before["members"].iloc[-1]) if len(before) else 0
        rows.append(pd.DataFrame({"alliance": alliance, "date": [t0], "members": [first],
                                  "change": ["start"], "states": [""]}))
        inside = by_date[(by_date["date"] > t0) & (by_date["date"] <= t1)]
        rows.append(pd.DataFrame({
            "alliance": alliance, "date": inside["date"], "members": inside["members"],
            "change": np.select([inside["step"] < 0, inside["step"] > 0], ["left", "joined"],
                                "changed"),
            "states": inside["states"]}))
        last = int(by_date[by_date["date"] <= t1]["members"].iloc[-1]) if len(by_date) else 0
        rows.append(pd.DataFrame({"alliance": alliance, "date": [t1], "members": [last],
                                  "change": ["end"], "states": [""]}))
    data = pd.concat(rows, ignore_index=True)
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
def side_totals(cinc: pd.DataFrame, sides: Mapping[str, Sequence]) -> pd.DataFrame:
    """Sum CINC scores by side and year (a presentation step: the scores come from the data).

    Parameters
    ----------
    cinc : DataFrame
        From ``cases.cinc()``: ccode, stateabb, year, cinc.
    sides : mapping
        Side label -> COW codes or abbreviations of the states on that side.

    Returns
    -------
    pandas.DataFrame
        side, year, cinc (the side's total), states (abbreviations on that side), n_states
        (how many of them have a score that year).
    """
    _require(cinc, ["ccode", "stateabb", "year", "cinc"], "cinc")
    if not isinstance(sides, Mapping) or not sides:
        raise ValueError("sides must be a non-empty mapping of label -> list of states")
    rows = []
    for label, states in sides.items():
        wanted = {str(s) for s in states}
        part = cinc[cinc["ccode"].astype(str).isin(wanted) | cinc["stateabb"].isin(wanted)]
        if part.empty:
            raise ValueError(f"sides[{label!r}] matches no state in the CINC data: {states}")
        g = part.groupby("year", sort=True)["cinc"].agg(["sum", "count"])
        rows.append(pd.DataFrame({
            "side": label, "year": g.index.to_numpy(), "cinc": g["sum"].to_numpy(),
            "states": "+".join(sorted(set(part["stateabb"]))), "n_states": g["count"].to_numpy(),
        }))
    return pd.concat(rows, ignore_index=True)


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


# --------------------------------------------------------------------------------------------
# fast Vega-Lite dicts for explorer redraws
# --------------------------------------------------------------------------------------------
def _values(data) -> list:
    if isinstance(data, pd.DataFrame):
        out = data
        dates = [c for c in out.columns if pd.api.types.is_datetime64_any_dtype(out[c])]
        if dates:
            out = out.copy()
            for col in dates:
                out[col] = out[col].dt.strftime("%Y-%m-%dT%H:%M:%S")
        records = out.to_dict("records")
        for row in records:      # JSON has no NaN: Vega-Lite reads null as missing
            for k, v in row.items():
                if isinstance(v, float) and v != v:
                    row[k] = None
        return records
    return list(data.values)


def fast_spec(chart) -> dict:
    """The chart's Vega-Lite dict, built without letting altair copy and sanitise its data.

    Every DataFrame or inline dataset in the chart is swapped for a named dataset while altair
    writes the rest of the spec, then put back; the values go in the spec's top-level ``datasets``.
    The result draws the same chart as ``chart.to_dict()`` (the tests check this) in about half
    the time, which keeps explorer redraws within budget. No schema validation.

    Parameters
    ----------
    chart : altair chart

    Returns
    -------
    dict
    """
    swapped = []
    stack = [chart]
    while stack:
        item = stack.pop()
        data = getattr(item, "_kwds", {}).get("data", alt.Undefined)
        if isinstance(data, (pd.DataFrame, alt.InlineData)):
            name = f"ak{len(swapped)}"
            swapped.append((item, data, name))
            item._kwds["data"] = alt.NamedData(name=name)
        for attr in ("layer", "hconcat", "vconcat", "concat"):
            parts = getattr(item, "_kwds", {}).get(attr, alt.Undefined)
            if parts is not alt.Undefined and parts:
                stack.extend(parts)
    try:
        spec = chart.to_dict(validate=False)
    finally:
        for item, data, _ in swapped:
            item._kwds["data"] = data
    datasets = spec.setdefault("datasets", {})
    for _, data, name in swapped:
        datasets[name] = _values(data)
    return spec


# --------------------------------------------------------------------------------------------
# how sure a result is: confidence bands, competing risks, sensitivity (issue 10)
# --------------------------------------------------------------------------------------------
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
    chart = alt.layer(band, line, data=_records(table[["group", "years", "survival", "low",
                                                       "high"]]))
    return _finish(chart, title, description, subtitle)


def incidence_chart(table: pd.DataFrame, title: str = "How alliances ended",
                    subtitle: str | None = None, labels: Mapping[str, str] | None = None):
    """Cumulative incidence of each way of ending, one small panel per cause, with bands.

    Parameters
    ----------
    table : DataFrame
        From ``alliancekit.survival.cumulative_incidence``: cause, years, incidence, low, high.
    title, subtitle : str
    labels : mapping cause -> display name, optional

    Returns
    -------
    altair.FacetChart
    """
    _require(table, ["cause", "years", "incidence", "low", "high"], "table")
    data = table[["cause", "years", "incidence", "low", "high"]].copy()
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
    chart = alt.layer(band, line, data=_records(data)).properties(width=180, height=120).facet(
        facet=alt.Facet("cause:N", sort=order, title=None), columns=3)
    description = ("Small multiples, one per way of ending: the share of alliances that had "
                   "ended that way within t years (cumulative incidence with competing risks), "
                   "with a shaded 95% band. At the longest duration: "
                   + "; ".join(f"{r.cause} {r.incidence:.0%}" for r in final.itertuples())
                   + ".")
    return _finish(chart, title, description, subtitle)


def tornado_chart(table: pd.DataFrame, title: str = "What the result depends on",
                  subtitle: str | None = None, outcome: str = "Share of runs dissolved",
                  base: float | None = None):
    """Tornado chart: the outcome at each parameter's low and high value, widest bar on top.

    Parameters
    ----------
    table : DataFrame
        From ``alliancekit.sensitivity.one_at_a_time``: parameter, low_value, high_value,
        at_low, at_high (the outcome, a share in [0, 1]), base (the outcome at the defaults),
        status (measured / coded / assumed).
    title, subtitle, outcome : str
        Chart title, subtitle, and the name of the outcome for the axis.
    base : float, optional
        The outcome at the defaults (drawn as a rule); read from ``table["base"]`` if omitted.

    Returns
    -------
    altair.LayerChart
    """
    _require(table, ["parameter", "low_value", "high_value", "at_low", "at_high"], "table")
    data = table.copy()
    data["swing"] = (data["at_high"] - data["at_low"]).abs()
    data = data.sort_values("swing", ascending=False)
    order = data["parameter"].tolist()
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
        y=y, x=alt.X("at_low:Q", title=outcome, axis=alt.Axis(format="%"),
                     scale=alt.Scale(domain=[0, 1])), x2="at_high:Q",
        color=alt.Color("status:N", title="input is", sort=statuses),
        tooltip=_tt("parameter:N", "status:N", ("at_low:Q", ".0%"), ("at_high:Q", ".0%")))
    dots = alt.Chart().mark_point(filled=True, size=50, color="#000").encode(
        y=y, x="outcome:Q",
        shape=alt.Shape("end:N", title="parameter at its", sort=["low value", "high value"]),
        tooltip=_tt("parameter:N", "end:N", ("value:Q", ".3g"), ("outcome:Q", ".0%")))
    layers = [alt.layer(bars, data=_records(data[["parameter", "status", "at_low", "at_high"]])),
              alt.layer(dots, data=_records(long))]
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
    data = frame if first_year is None else frame[frame["year"] >= first_year]
    long = pd.concat([
        pd.DataFrame({"year": data["year"], "coding": labels[0], "margin": data["margin"]}),
        pd.DataFrame({"year": data["year"], "coding": labels[1], "margin": data["margin_alt"]}),
    ])
    lines = alt.Chart().mark_line(point=True).encode(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1)),
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
    return _finish(alt.layer(zero, lines, data=_records(long)), title, description, subtitle)
