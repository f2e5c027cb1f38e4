"""The course's chart theme, its offline renderer, and accessible output of any chart.

Importing this module does two things, once, and nothing else does them anywhere else:

1. it registers and enables the ``"alliancekit"`` theme: the Okabe & Ito (2008) palette, which stays
   distinguishable under the common forms of colour-vision deficiency, with lines also told apart
   by dash where a chart has several series;
2. it registers and enables the ``"alliancekit"`` renderer. The renderer returns the Vega-Lite v5
   mimetype bundle (JupyterLab draws it as an interactive chart) merged with an ``image/svg+xml``
   rendering of the same chart made offline by vl-convert (nbconvert, nbgrader feedback and any
   other HTML export show the SVG). No CDN is involved at any point. Altair 6's renderers and
   Altair 5's plain ``mimetype`` renderer each fail offline in one of those places, which is why
   the package pins ``altair<6`` (``docs/model.md`` lists the checks behind this choice).
   In a live notebook (`live_frontend`: a kernel a Jupyter server started, as on the hub) the
   kernel draws no SVG: JupyterLab's own Vega renderer adds a PNG of the chart it drew to the
   output (``image/png``), which the saved notebook keeps and "Save and Export as HTML" shows.
   That spares each kernel vl-convert's first SVG (about 0.65 s of CPU) on its first chart.

It also turns any chart into words and tables for screen readers (`describe`, `data_table`), and
writes a chart's Vega-Lite dict and rows quickly for explorers (`fast_spec`, `records`, `Parts`).
The chart builders live in `alliancekit.charts`.

Cost (measured on the course machine, 2 cores): ``import altair`` about 1 s; building a chart and
its Vega-Lite dict 2-10 ms; the SVG about 35-55 ms once vl-convert is warm (its first call costs
about 0.5 s). Explorers therefore write each panel's spec once and, on a control change, send
its data only to a live view in the browser (`alliancekit.explorer`, `alliancekit.liveview`); the
SVG is made only for the static snapshot that exported HTML shows.

References
----------
Okabe, M. & Ito, K. (2008). Color Universal Design (CUD): how to make figures and presentations
that are friendly to colorblind people. https://jfly.uni-koeln.de/color/
"""
from __future__ import annotations

import functools
import html
import math
import os
import sys
import weakref
from collections.abc import Callable
from typing import NamedTuple, TypeVar

import numpy as np
import pandas as pd

from . import _validate as vd
from . import svgtext

#: Optional packages jsonschema imports, when installed, to check string formats. rfc3987_syntax's
#: grammar dominates ``import altair`` (measured on the course machine: 1.15 s with it, 0.27 s
#: without); rfc3986_validator and isoduration (which imports arrow) cost another 50-130 ms, and
#: the checkers of hostnames, date-times, colour names, JSON pointers and URI templates about
#: 75 ms more at load 15 (``python -X importtime``, 7 December, loaded machine). The Vega-Lite
#: schema names only the formats "uri", "uri-reference" and "color-hex" (none of which these
#: packages are needed for once the first two are left unchecked), so nothing altair validates
#: is checked differently.
_FORMAT_PACKAGES = ("rfc3987_syntax", "rfc3986_validator", "isoduration", "fqdn", "idna",
                    "rfc3339_validator", "webcolors", "jsonpointer", "uri_template")


def _import_altair():
    """Import altair without jsonschema's optional format checkers (`_FORMAT_PACKAGES`).

    While altair (and through it jsonschema) is first imported, those packages are marked absent;
    the marks are removed again at once, so any later import of them works as usual (jsonschema
    then simply does not check those formats, which altair never asks it to). Where jsonschema
    was already imported, nothing is changed.
    """
    blocked = [] if "jsonschema" in sys.modules else [
        name for name in _FORMAT_PACKAGES if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # an import of it now raises ImportError
    try:
        import altair
    finally:
        for name in blocked:
            del sys.modules[name]
    return altair


alt = _import_altair()
from altair.vegalite.v5.display import mimetype_renderer, svg_renderer  # noqa: E402

__all__ = [
    "year_ticks", "year_axis", "date_axis",
    "PALETTE", "ALLIED", "HOSTILE", "NEUTRAL", "THEME", "RENDERER", "SVG_MIMETYPE",
    "VEGALITE_MIMETYPE", "WIDTH", "HEIGHT", "DISPLAY_OPTIONS", "DISPLAY_METADATA", "alt",
    "render", "live_frontend", "mimebundle", "to_svg", "describe",
    "title_text", "data_table", "DataTable", "chart_frame", "fast_spec", "iso_date",
    "inline_records", "require_columns", "tooltips", "finish", "sized", "ONE", "Parts",
    "records", "builder", "display_bundle",
]

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#000000")
#: Named roles, so that the same meaning keeps the same colour across lessons.
ALLIED, HOSTILE, NEUTRAL = "#0072B2", "#D55E00", "#7f7f7f"
THEME = "alliancekit"
RENDERER = "alliancekit"
VEGALITE_MIMETYPE = "application/vnd.vegalite.v5+json"
SVG_MIMETYPE = "image/svg+xml"
WIDTH, HEIGHT = 420, 240
#: Options for JupyterLab's Vega-Lite renderer: no vega-embed actions menu (its <summary> has no
#: accessible name, a serious axe violation; the data table and the SVG cover its uses).
DISPLAY_OPTIONS = {"embed_options": {"actions": False}}
#: Display metadata that carries those options, for ``display(bundle, metadata=..., raw=True)``.
DISPLAY_METADATA = {VEGALITE_MIMETYPE: DISPLAY_OPTIONS}


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


def _check_chart(chart, name: str = "chart") -> None:
    """TypeError unless ``chart`` is an altair chart."""
    if not isinstance(chart, alt.TopLevelMixin):
        raise TypeError(f"{name} must be an altair chart; got {vd.show(chart)}")


def _spec(chart_or_spec) -> dict:
    if isinstance(chart_or_spec, dict):
        if not chart_or_spec:
            raise ValueError("chart must be an altair chart or a Vega-Lite dict; got {}")
        return chart_or_spec
    _check_chart(chart_or_spec)
    return chart_or_spec.to_dict()


def to_svg(chart: alt.TopLevelMixin | dict) -> str:
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
    return _svg(_spec(chart))[SVG_MIMETYPE]


def _svg(spec: dict) -> dict:
    """vl-convert's SVG bundle, with the chart's title and description inside the SVG."""
    svg = svg_renderer(spec)[SVG_MIMETYPE]
    title, description = svgtext.spec_text(spec)
    return {SVG_MIMETYPE: svgtext.label_svg(svg, title or description or "Chart", description)}


def live_frontend() -> bool:
    """Whether a browser draws this kernel's charts: a live notebook in JupyterLab or Notebook 7.

    True in a kernel a Jupyter server started for a notebook (the server sets
    ``JPY_SESSION_NAME``), unless ``ALLIANCEKIT_SNAPSHOT=kernel``; False under nbclient,
    nbconvert, nbgrader and the website build, which have no browser. Where it is True, the
    kernel draws no static SVG: the browser's own picture of each chart goes into the saved
    notebook (JupyterLab's PNG of a plain chart; an explorer's SVG, sent back by its live view).
    Set ``ALLIANCEKIT_SNAPSHOT=kernel`` where a live kernel runs notebooks for export, e.g.
    ``!nbgrader autograde`` from a notebook cell (its kernels inherit ``JPY_SESSION_NAME``).

    Returns
    -------
    bool
    """
    if os.environ.get("ALLIANCEKIT_SNAPSHOT", "").strip().lower() == "kernel":
        return False
    return bool(os.environ.get("JPY_SESSION_NAME"))


def render(spec: dict, **metadata) -> tuple[dict, dict]:
    """The course renderer: the Vega-Lite v5 bundle merged with an offline SVG of the same chart.

    JupyterLab prefers the Vega-Lite output (an interactive chart drawn by its own offline
    renderer); HTML exports (nbconvert, nbgrader feedback) have no Vega-Lite renderer and show the
    SVG. In a live notebook (`live_frontend`) the SVG is left out: JupyterLab adds its own PNG of
    the chart to the output, and exports of the saved notebook show that. Registered with
    ``alt.renderers`` as ``"alliancekit"`` and enabled on import.

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
    spec = stack_if_wide(_with_description(spec))
    bundle, meta = mimetype_renderer(spec, **{**DISPLAY_OPTIONS, **metadata})
    bundle = dict(bundle)
    if not live_frontend():
        bundle.update(_svg(spec))
    return bundle, meta


#: The widest a chart may be (pixels) and still fit a notebook in a 1280-pixel window with the
#: file browser open; side-by-side panels wider than this are stacked instead.
MAX_WIDTH = 640


def _panel_width(panel) -> float:
    width = panel.get("width") if isinstance(panel, dict) else None
    return float(width) if isinstance(width, (int, float)) else float(WIDTH)


def stack_if_wide(spec: dict, max_width: float = MAX_WIDTH) -> dict:
    """Panels side by side (``a | b``) stacked one above the other when they would be too wide.

    A chart wider than the notebook is scrolled sideways by JupyterLab in a box a keyboard
    cannot focus; stacked panels fit and read in the same order.

    Parameters
    ----------
    spec : dict
        A Vega-Lite specification.
    max_width : float
        The widest the panels may be together, in pixels (their widths summed, the theme's
        default width for a panel without its own).

    Returns
    -------
    dict
        ``spec`` itself, or a copy with ``hconcat`` turned into ``vconcat``.
    """
    panels = spec.get("hconcat")
    if not isinstance(panels, list) or len(panels) < 2:
        return spec
    if sum(_panel_width(p) for p in panels) <= max_width:
        return spec
    stacked = {key: value for key, value in spec.items() if key != "hconcat"}
    stacked["vconcat"] = panels
    return stacked


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


def mimebundle(chart: alt.TopLevelMixin, svg: bool = True, validate: bool = True) -> dict:
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
    _check_chart(chart)
    svg, validate = vd.flag("svg", svg), vd.flag("validate", validate)
    spec = chart.to_dict() if validate else fast_spec(chart)
    bundle, _ = mimetype_renderer(spec)
    bundle = dict(bundle)
    if svg:
        bundle.update(_svg(spec))
    return bundle


# --------------------------------------------------------------------------------------------
# accessibility: description and data table
# --------------------------------------------------------------------------------------------
def title_text(chart: alt.TopLevelMixin) -> str:
    """The chart's title as plain text ('' when it has none)."""
    _check_chart(chart)
    title = getattr(chart, "title", alt.Undefined)
    if title is alt.Undefined or title is None:
        return ""
    if isinstance(title, str):
        return title
    text = getattr(title, "text", title.get("text", "") if isinstance(title, dict) else "")
    return text if isinstance(text, str) else " ".join(text)


def describe(chart: alt.TopLevelMixin) -> str:
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
    _check_chart(chart)
    description = getattr(chart, "description", alt.Undefined)
    if description is alt.Undefined or not description:
        raise ValueError("chart has no description; every course chart must set one "
                         "(chart.properties(description=...))")
    title = title_text(chart)
    return f"{title}. {description}" if title else str(description)


def chart_frame(chart: alt.TopLevelMixin) -> pd.DataFrame:
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
        return iso_date(value)
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


def data_table(chart_or_frame: alt.TopLevelMixin | pd.DataFrame, caption: str | None = None,
               max_rows: int = 60) -> DataTable:
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
    max_rows = vd.integer("max_rows", max_rows, 1)
    if isinstance(chart_or_frame, pd.DataFrame):
        frame = chart_or_frame
        caption = caption or "Data"
    elif isinstance(chart_or_frame, alt.TopLevelMixin):
        frame = chart_frame(chart_or_frame)
        caption = caption or title_text(chart_or_frame) or "Data"
    else:
        raise TypeError("chart_or_frame must be an altair chart or a pandas DataFrame; got "
                        f"{type(chart_or_frame).__name__}")
    return DataTable(frame, caption, max_rows)


# --------------------------------------------------------------------------------------------
# dates as text (the one rule: days as YYYY-MM-DD for people, full ISO timestamps for Vega-Lite)
# --------------------------------------------------------------------------------------------
def iso_date(value: str | pd.Timestamp) -> str:
    """A day as ``YYYY-MM-DD`` (for titles, summaries and tables).

    Parameters
    ----------
    value : str, datetime.date, numpy.datetime64 or pandas.Timestamp
        The day.

    Returns
    -------
    str

    Examples
    --------
    >>> iso_date("1882-05-20 12:00")
    '1882-05-20'
    """
    return vd.date("value", value).date().isoformat()


def _iso_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its datetime columns written as ISO timestamps (Vega-Lite reads them)."""
    dates = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    if not dates:
        return frame
    out = frame.copy()
    for col in dates:
        out[col] = out[col].dt.strftime("%Y-%m-%dT%H:%M:%S")
    return out


def inline_records(frame: pd.DataFrame) -> alt.InlineData:
    """Small auxiliary data inline, without altair's DataFrame sanitising (dates as ISO text)."""
    vd.frame("frame", frame, empty=True)
    return alt.InlineData(values=_iso_columns(frame).to_dict("records"))


# --------------------------------------------------------------------------------------------
# fast Vega-Lite dicts for explorer redraws
# --------------------------------------------------------------------------------------------
def _column(series: pd.Series) -> list:
    """One column as Python values, as ``to_dict("records")`` gives them: dates as ISO text,
    NaN as None (JSON has no NaN: Vega-Lite reads null as missing)."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.dt.strftime("%Y-%m-%dT%H:%M:%S").tolist()
    values = series.to_numpy()
    if values.dtype.kind in "iub":
        return values.tolist()
    if values.dtype.kind == "f":
        out = values.tolist()
        missing = np.isnan(values)
        if missing.any():
            for i in np.flatnonzero(missing).tolist():
                out[i] = None
        return out
    if values.dtype.kind == "O":
        return [None if isinstance(v, float) and v != v else
                v.item() if isinstance(v, np.generic) else v for v in values.tolist()]
    return series.tolist()


def _values(data) -> list:
    if isinstance(data, pd.DataFrame):
        # column by column through numpy: several times faster than to_dict("records") and
        # the same rows (the tests compare them)
        names, columns = [], []
        for name, series in data.items():
            names.append(str(name))
            columns.append(_column(series))
        return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
    return list(data.values)


def records(frame: pd.DataFrame) -> list:
    """A frame's rows as the course's specs carry them: dates as ISO text, NaN as None.

    Parameters
    ----------
    frame : pandas.DataFrame

    Returns
    -------
    list of dict
        What `fast_spec` writes for a chart that draws ``frame`` (and an explorer sends to the
        browser when only the data change).
    """
    vd.frame("frame", frame, empty=True)
    return _values(frame)


class Parts(NamedTuple):
    """What a chart builder draws that changes with its data, found without building the chart.

    Each ``*_parts`` function beside a builder returns one, and the builder uses it, so the two
    cannot drift apart. Explorers send ``frames`` and ``description`` to a live view whose spec
    they wrote once per ``key`` (`alliancekit.explorer.Live`).

    Parameters
    ----------
    frames : tuple
        The datasets the chart draws, each a DataFrame or a list of row dicts, attached to the
        chart unchanged.
    description : str
        The chart's description in words.
    key : tuple
        Everything else in the chart's spec that depends on the data (e.g. the order of a sorted
        axis, the years an axis labels), hashable.
    """

    frames: tuple
    description: str
    key: tuple = ()


def fast_spec(chart: alt.TopLevelMixin) -> dict:
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
    _check_chart(chart)
    swapped = []
    stack = [chart]
    while stack:
        item = stack.pop()
        data = getattr(item, "data", alt.Undefined)
        if isinstance(data, (pd.DataFrame, alt.InlineData)):
            name = f"ak{len(swapped)}"
            swapped.append((item, data, name))
            with alt.utils.schemapi.debug_mode(False):   # a name: valid by construction
                item.data = alt.NamedData(name=name)
        for attr in ("layer", "hconcat", "vconcat", "concat"):
            parts = getattr(item, attr, alt.Undefined)
            if parts is not alt.Undefined and parts:
                stack.extend(parts)
    try:
        spec = chart.to_dict(validate=False)
    finally:
        for item, data, _ in swapped:
            item.data = data
    datasets = spec.setdefault("datasets", {})
    for _, data, name in swapped:
        datasets[name] = _values(data)
    return spec


# --------------------------------------------------------------------------------------------
# helpers shared by the chart builders
# --------------------------------------------------------------------------------------------
_Builder = TypeVar("_Builder", bound=Callable)


def builder(build: _Builder) -> _Builder:
    """Mark a chart builder: it runs without altair checking each part as it is created.

    By default altair validates every schema object against the Vega-Lite schema the moment it
    is made ("debug mode"), and validates the whole chart again when it is displayed or written
    (``to_dict``). For the course's builders the first round is work done twice: a chart is
    always checked whole on display, and the tests check every builder's output
    (``tests/unit/test_charts.py``). Students' own altair code keeps altair's defaults.

    Parameters
    ----------
    build : callable
        A function that returns an altair chart.

    Returns
    -------
    callable
        The same function (same name, signature and docstring), run with debug mode off.
    """
    if not callable(build):
        raise TypeError(f"build must be a function that returns a chart; got {vd.show(build)}")

    @functools.wraps(build)
    def run(*args, **kwargs):
        with alt.utils.schemapi.debug_mode(False):
            chart = build(*args, **kwargs)
        if isinstance(chart, alt.TopLevelMixin):
            _BUILT[id(chart)] = chart
        return chart

    return run  # type: ignore[return-value]


#: The charts the builders returned that are still alive, by id (see `display_bundle`).
_BUILT: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def display_bundle(chart: alt.TopLevelMixin) -> tuple[dict, dict]:
    """What a notebook shows for an altair chart: registered with IPython for every chart.

    In a live notebook (`live_frontend`), a chart a course builder returned (`builder`) is written
    with `fast_spec`: the same chart as altair's own display writes, without validating it against
    the Vega-Lite schema again (the tests validate every builder's output) and without altair's
    data pipeline, which is most of a first chart's cost after ``import altair``. Every other
    chart (a student's own, one composed with ``|``, any chart outside a live notebook or with
    another renderer or data transformer enabled) is displayed by altair as usual, validated.

    Parameters
    ----------
    chart : altair chart

    Returns
    -------
    tuple of (dict, dict)
        The mimebundle and its metadata.
    """
    _check_chart(chart)
    if (_BUILT.get(id(chart)) is chart and live_frontend() and alt.renderers.active == RENDERER
            and alt.data_transformers.active == "default"):
        return render(fast_spec(chart))
    bundle = chart._repr_mimebundle_()
    return bundle if isinstance(bundle, tuple) else (bundle or {}, {})


def _register_display() -> bool:
    """In IPython, display altair charts through `display_bundle`; False outside IPython."""
    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    shell.display_formatter.mimebundle_formatter.for_type(alt.TopLevelMixin, display_bundle)
    return True


def require_columns(frame: pd.DataFrame, columns: list[str], name: str = "frame") -> None:
    """Check that ``frame`` is a DataFrame with ``columns`` (TypeError/ValueError naming it)."""
    if isinstance(columns, (str, bytes)) or not hasattr(columns, "__iter__"):
        raise TypeError(f"columns must be a list of column names; got {vd.show(columns)}")
    vd.frame(vd.text("name", name), frame, columns, empty=True)



#: One empty datum, for marks placed by ``alt.XDatum``/``alt.YDatum`` (reference rules).
ONE = alt.InlineData(values=[{}])


def tooltips(*fields) -> list:
    """Tooltips with explicit types (a bare string makes altair infer the type: slow)."""
    return [alt.Tooltip(f[0], format=f[1]) if isinstance(f, tuple) else alt.Tooltip(f)
            for f in fields]


def finish(chart: alt.TopLevelMixin, title: str, description: str,
           subtitle: str | None = None) -> alt.TopLevelMixin:
    """Set a chart's title (and subtitle) and its description in words; return it."""
    _check_chart(chart)
    vd.text("title", title, empty=True)
    vd.text("description", description)
    if subtitle is not None:
        vd.text("subtitle", subtitle, empty=True)
    t = alt.Title(title, subtitle=subtitle) if subtitle else title
    chart.title = t          # plain attributes: .properties() re-validates (about 4 ms)
    chart.description = description
    return chart


#: Steps between labelled years, smallest first (a step of 1 labels every year).
_YEAR_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)


def year_ticks(first: int, last: int, max_labels: int = 6) -> list[int]:
    """Round years to label on an axis from ``first`` to ``last``: every label shown, none repeated.

    Vega picks tick values itself, and with a narrow chart it may put ticks at half years (two
    labels "2027") or hide every other label (no "1922"). Explicit values avoid both: the
    smallest step of 1, 2, 5, 10, 20, 25, 50, 100 (or more) years that needs at most
    ``max_labels`` labels, at multiples of the step.

    Parameters
    ----------
    first, last : int
        The first and last year the axis shows (inclusive).
    max_labels : int
        At most this many labels (>= 2); six fit on the explorers' 300-pixel panels.

    Returns
    -------
    list of int

    Examples
    --------
    >>> year_ticks(1920, 1938)
    [1920, 1925, 1930, 1935]
    >>> year_ticks(2025, 2030)
    [2025, 2026, 2027, 2028, 2029, 2030]
    """
    first, last = vd.year_span("first", first, "last", last)
    max_labels = vd.integer("max_labels", max_labels, 2, 1000)
    for step in _YEAR_STEPS:
        start = -(-first // step) * step
        values = list(range(start, last + 1, step))
        if len(values) <= max_labels:
            return values or [first]
    return [first, last]


def year_axis(first: int, last: int, max_labels: int = 6, **kwargs) -> alt.Axis:
    """An x axis of whole years with the labels of `year_ticks` (``format="d"``, no comma)."""
    return alt.Axis(format="d", values=year_ticks(first, last, max_labels), **kwargs)


def date_axis(first: int, last: int, max_labels: int = 6, **kwargs) -> alt.Axis:
    """A time axis labelled on the first day of the years of `year_ticks` (``format="%Y"``)."""
    values = [alt.DateTime(year=y) for y in year_ticks(first, last, max_labels)]
    return alt.Axis(format="%Y", values=values, **kwargs)


def sized(chart: alt.TopLevelMixin, width: float | alt.Step | None = None,
          height: float | alt.Step | None = None) -> alt.TopLevelMixin:
    """Set a chart's width and/or height in place (pixels or ``alt.Step``) and return it."""
    _check_chart(chart)
    for name, value in (("width", width), ("height", height)):
        if value is not None and not isinstance(value, alt.Step):
            vd.number(name, value, 1, 10_000, kind="a size in pixels (or alt.Step)")
    if width is not None:
        chart.width = width
    if height is not None:
        chart.height = height
    return chart


_register_display()
