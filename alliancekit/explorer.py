"""The machinery of the course's explorers: controls wired to one model call and one chart.

An `Explorer` holds its controls (``.controls``, name -> ipywidget), calls ONE ``draw`` function
with the controls' values whenever one changes, and shows what it returns, a `View`: the chart
panels, a one-line summary and (in a collapsible section) the chart's data as an accessible
table. The explorers themselves (what each lesson shows) are in `alliancekit.widgets`.

Display and speed (measured on the course machine, 2 shared cores).

- In JupyterLab an explorer shows its controls and one `alliancekit.liveview.LiveChart`: an
  anywidget that embeds each panel's Vega-Lite spec with vl-convert's offline Vega bundle (no CDN)
  and keeps the Vega views alive. Each panel's spec is written once, through altair, for each
  `Live` key it meets, and kept; on a control change the explorer calls the model and sends each
  panel's new datasets and description only (one comm message): no altair object, no ``to_dict``.
  The browser swaps the rows into the live view (a Vega change set) instead of compiling a new
  one. A ``draw`` whose `View` has no `Live` parts still works: its panels are written with
  `alliancekit.render.fast_spec` on every change (slower), and the browser embeds them again.
- Widgets cannot be drawn in exported HTML without a CDN, so a displayed explorer also emits a
  static snapshot (title, summary, each panel's SVG, and the data table). JupyterLab and Notebook 7
  hide it with a CSS rule scoped to their notebook panel; nbconvert, nbgrader and the website show
  it. Where no browser draws the explorer (nbclient or nbconvert execution, nbgrader autograde and
  feedback, the website build) the kernel draws the SVG with vl-convert. In a live notebook
  (`alliancekit.render.live_frontend`: a kernel started by a Jupyter server, which sets
  ``JPY_SESSION_NAME``) the kernel draws none, as for a plain chart:
  the browser sends each panel's SVG back when its views settle and the snapshot output is
  updated in place, so "Save and Export as HTML" after a live run shows the chart as it was left.
  ``ALLIANCEKIT_SNAPSHOT=kernel`` forces the kernel's SVG (e.g. for ``!nbgrader autograde`` run
  from a notebook cell, whose kernels inherit ``JPY_SESSION_NAME``).

A control whose value the model rejects (any `TypeError`, `ValueError` or `LookupError` the model
raises, e.g. for an impossible shock) leaves the last valid chart in place, moves the controls back
to the values that chart shows, and says why in the summary.
"""
from __future__ import annotations

import html
import json
import uuid
from collections.abc import Callable, Mapping

import ipywidgets as W
import pandas as pd
from IPython.display import HTML, display, update_display

from . import _validate as vd
from . import render, svgtext
from .render import alt

__all__ = ["Explorer", "View", "Live", "title_spec", "control_values", "slider", "STYLE", "WIDE",
           "AUTO"]

#: Hides the static snapshot inside JupyterLab and Notebook 7, and gives the inputs Vega-Lite
#: draws under a chart (e.g. the From/To years of lesson 04) the look of the explorers' own
#: controls: the same label width, right-aligned labels and the course's blue.
_SNAPSHOT_CSS = (
    "<style>.jp-NotebookPanel .ak-snapshot{display:none}"
    ".jp-NotebookPanel .jp-OutputArea-child:has(.ak-snapshot){display:none}"
    ".jp-NotebookPanel .vega-bindings{display:flex;flex-direction:column;gap:4px;"
    "margin:6px 0 2px 0;font-size:var(--jp-widgets-font-size,13px)}"
    ".jp-NotebookPanel .vega-bind label{display:flex;align-items:center;gap:8px;margin:0}"
    ".jp-NotebookPanel .vega-bind-name{display:inline-block;width:16em;text-align:right;"
    "padding-right:8px;box-sizing:border-box}"
    ".jp-NotebookPanel .vega-bind input[type=range]{width:16em;accent-color:#0072B2}"
    ".jp-NotebookPanel .vega-bind input[type=checkbox]{accent-color:#0072B2}</style>"
)
# ipywidgets draws a slider's handle (role "slider") with no accessible name: its visible label
# is a separate element, so a screen reader announces an unnamed slider (axe:
# aria-input-field-name, serious). JupyterLab runs scripts of trusted HTML outputs, so the
# snapshot output carries this one: it names each handle in the explorer's cell after its label,
# now and whenever the widgets redraw (once per cell: the snapshot output is redrawn when the
# browser sends its SVG). Exported HTML has no sliders, and nothing happens there.
_NAME_SLIDERS = (
    "<script>(() => {const s = document.currentScript;"
    "const cell = s && s.closest('.jp-Cell, .cell'); if (!cell || cell.__akNamed) return;"
    "cell.__akNamed = true;"
    "const name = () => cell.querySelectorAll('.widget-slider').forEach(w => {"
    "const l = w.querySelector('.widget-label'); const t = l ? l.textContent.trim() : '';"
    "w.querySelectorAll('.noUi-handle').forEach(h => {"
    "if (t && h.getAttribute('aria-label') !== t) h.setAttribute('aria-label', t);});});"
    "name(); new MutationObserver(name).observe(cell, {childList: true, subtree: true});"
    "})();</script>"
)
#: Style and layouts shared by every explorer's controls: labels wide enough for the longest
#: ("Chance of a common shock", "Perception feedback (γ)") at 1440 px and in narrow panes.
STYLE = {"description_width": "16em"}
WIDE = W.Layout(width="38em")
AUTO = W.Layout(width="auto")
#: What a model raises for values it rejects; the explorer then keeps its last valid view.
REJECTED = (TypeError, ValueError, LookupError)


_NON_POSITION = ("color", "strokeDash", "shape", "size", "opacity")


def _independent(chart):
    """Panels keep their own colour, dash, shape and size scales (concatenated charts share
    them by default, which would merge e.g. the network's allied/hostile colours with the margin
    chart's terms)."""
    return chart.resolve_scale(**{c: "independent" for c in _NON_POSITION})


class Live:
    """How one panel redraws from its data alone, without building its altair chart.

    Parameters
    ----------
    key : hashable
        Everything other than ``frames``, ``description`` and ``title`` that shapes the panel's
        spec (e.g. whether a layer of shock markers is drawn, the groups a legend lists). The
        explorer writes the spec through altair the first time it meets a key and keeps it;
        while the key stays the same, only ``frames`` and ``description`` are sent.
    frames : sequence of pandas.DataFrame or of lists of dicts
        The datasets that change with the controls, each exactly as the panel's chart builder
        attaches it (the explorer finds each one among the spec's datasets by its rows).
    description : str, optional
        The panel's description in words, as its builder writes it (default: the one written
        with the spec, for panels whose ``key`` covers everything).
    title : str or dict, optional
        The panel's Vega-Lite ``title`` (text, or ``{"text", "subtitle"}``) when it changes with
        the controls (default: the one written with the spec).
    """

    __slots__ = ("key", "frames", "description", "title")

    def __init__(self, key, frames=(), description: str | None = None, title=None):
        self.key, self.frames = key, tuple(frames)
        self.description, self.title = description, title

    @classmethod
    def of(cls, parts: render.Parts, title=None) -> Live:
        """The `Live` of a builder's `alliancekit.render.Parts` (its key, frames, description).

        Parameters
        ----------
        parts : alliancekit.render.Parts
            What a ``*_parts`` function returned for the panel's builder.
        title : str or dict, optional
            The panel's Vega-Lite title, when it changes with the controls (`title_spec`).

        Returns
        -------
        Live
        """
        return cls(parts.key, parts.frames, parts.description, title)


def title_spec(title: str, subtitle: str | None = None):
    """The Vega-Lite ``title`` value `alliancekit.render.finish` writes for a title and subtitle.

    Parameters
    ----------
    title : str
    subtitle : str, optional

    Returns
    -------
    str or dict
    """
    return {"text": title, "subtitle": subtitle} if subtitle else title


class View:
    """What one model call produced: the data, the chart panels and a summary in words.

    Parameters
    ----------
    data : pandas.DataFrame
        The data the summary and the main panel show.
    rows : altair chart, list of lists of altair charts, or a callable returning either
        The panels, row by row (drawn side by side within a row). A callable is called only when
        the charts are needed (``.rows``, ``.chart``, a panel whose `Live` key is new).
    summary : str
        One or two sentences on what the chart shows now.
    title, description : str, optional
        Title and description of the composed chart when there are several panels (default: the
        first panel's title and every panel's description).
    live : list of lists of Live, optional
        Per panel, row by row: how it redraws from its data alone (see `Live`). Required with a
        callable ``rows``.
    """

    __slots__ = ("data", "_rows", "summary", "title", "description", "_chart", "live")

    def __init__(self, data: pd.DataFrame, rows, summary: str, title: str = "",
                 description: str = "", live=None):
        if isinstance(rows, alt.TopLevelMixin):
            rows = [[rows]]
        if callable(rows) and live is None:
            raise TypeError("rows may be a callable only with live panels (live=[[Live, ...]])")
        if isinstance(live, Live):
            live = [[live]]
        self.data, self.summary = data, summary
        self._rows = rows if callable(rows) else [list(r) for r in rows]
        self.title, self.description = title, description
        self.live = None if live is None else [list(r) for r in live]
        self._chart = None

    @property
    def rows(self) -> list:
        """The panels (altair charts), row by row; built on first use when given as a callable."""
        if callable(self._rows):
            rows = self._rows()
            self._rows = [[rows]] if isinstance(rows, alt.TopLevelMixin) else [list(r)
                                                                                for r in rows]
        return self._rows

    @property
    def shape(self) -> list[int]:
        """Panels per row (without building the charts when the panels are live)."""
        return [len(r) for r in (self.live if self.live is not None else self.rows)]

    @property
    def panels(self) -> list:
        """Every panel, row by row."""
        return [c for row in self.rows for c in row]

    @property
    def chart(self):
        """The panels composed into one altair chart (built on first use: composing costs
        10-20 ms, and a redraw needs none)."""
        if self._chart is None:
            panels = self.panels
            if len(panels) == 1:
                self._chart = panels[0]
            else:
                rows = [_independent(alt.hconcat(*r)) if len(r) > 1 else r[0]
                        for r in self.rows]
                chart = rows[0] if len(rows) == 1 else _independent(alt.vconcat(*rows))
                chart.title = self.title or render.title_text(panels[0])
                chart.description = self.description or " ".join(
                    render.describe(p) for p in panels)
                self._chart = chart
        return self._chart


#: Spec templates an explorer keeps (panel, key) -> (spec, dataset names); beyond this many the
#: oldest is dropped.
_TEMPLATES = 64


def _canonical(rows) -> str:
    return json.dumps(rows, sort_keys=True, default=str)


def _template(panel, live: Live, where: str) -> tuple[dict, tuple]:
    """A panel's spec without its description and without the datasets ``live.frames`` supply,
    and those datasets' names in the spec (found by their rows)."""
    spec = render.fast_spec(panel)
    datasets = dict(spec.get("datasets", {}))
    free = {name: _canonical(rows) for name, rows in datasets.items()}
    names = []
    for k, frame in enumerate(live.frames):
        rows = _canonical(render.records(frame) if isinstance(frame, pd.DataFrame) else frame)
        name = next((n for n, text in free.items() if text == rows), None)
        if name is None:
            raise ValueError(f"{where}: live frame {k} is not one of the datasets its chart "
                             "draws (a Live frame must be attached by the builder unchanged)")
        del free[name]
        del datasets[name]
        names.append(name)
    spec["datasets"] = datasets
    return spec, tuple(names)


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
    remember : int, optional
        How many settings of the controls to remember (0: none). For explorers whose controls
        take a few values each (menus, checkboxes, a year slider), the model runs once per setting
        and a setting met again is redrawn from memory; the views remembered are never changed.

    Attributes
    ----------
    controls : dict
    chart : altair chart (current; the panels composed)
    data : pandas.DataFrame (the current chart's data)
    summary : str (current text shown)
    specs : list of dict
        Each panel's Vega-Lite spec as the browser draws it now (datasets and description in).
    message : str
        Empty, or why the last control change was rejected.
    """

    def __init__(self, title: str, controls: Mapping[str, W.Widget],
                 draw: Callable[[dict], View], static=(), note: str = "", remember: int = 0):
        self.title = title
        self._remember = vd.integer("remember", remember, 0, 100_000)
        self._memo: dict = {}
        self.controls = dict(controls)
        self._draw = draw
        self.static = list(static)
        self.note = note
        self.message = ""
        self._templates: dict = {}
        self._sent = ([], [], [])
        self._chart_view = None
        self._static_view = None
        self._svgs: dict = {}
        self._snapshot_id = None
        self._summary = W.HTML()
        self._table = W.HTML()
        self._accordion = W.Accordion(children=[self._table], selected_index=None)
        self._accordion.set_title(0, "Data table (for screen readers)")
        self._accordion.observe(self._fill_table, names="selected_index")
        for widget in self.controls.values():
            widget.observe(self._on_change, names="value")
        self.update()

    # -- state ---------------------------------------------------------------------------------
    def values(self) -> dict:
        """Current control values, name -> value."""
        return {name: w.value for name, w in self.controls.items()}

    def update(self) -> View:
        """Call the model with the current control values and send the new data if shown.

        Returns
        -------
        View
            The new data, chart and summary (the previous one when the model rejected the values;
            ``.message`` then says why).
        """
        values = self.values()
        setting = tuple(values.items()) if self._remember else None
        try:
            if setting in self._memo:
                view, sent = self._memo[setting]
            else:
                # altair validates every schema object as it is created ("debug mode"); the
                # builders' output is validated by the tests, so a first build skips it
                with alt.utils.schemapi.debug_mode(False):
                    view = self._draw(values)
                    sent = self._parts(view)
                if setting is not None:
                    if len(self._memo) >= self._remember:
                        self._memo.pop(next(iter(self._memo)))
                    self._memo[setting] = (view, sent)
        except REJECTED as err:
            if not hasattr(self, "_view"):
                raise
            message = str(err)
            self._restore()          # the controls show what the chart shows
            self.message = message
            self._summary.value = (f"<p role='alert'><b>Not possible:</b> "
                                   f"{html.escape(message)} The controls are back at the last "
                                   f"setting that works.</p><p>{html.escape(self._view.summary)}"
                                   f"</p>")
            return self._view
        self.message = ""
        self._view = view
        self._valid = self.values()
        self._sent = sent
        if self._chart_view is not None:
            self._send()                 # the chart's message first: it has more to draw
        self._summary.value = f"<p>{html.escape(view.summary)}</p>"
        if self._accordion.selected_index is not None:
            self._fill_table()
        return view

    def _parts(self, view: View) -> tuple[list, list, list]:
        """(specs, data, descriptions) of each panel: what the live chart is sent."""
        specs, data, descriptions = [], [], []
        if view.live is None:
            for panel in view.panels:
                spec = render.fast_spec(panel)
                descriptions.append(spec.pop("description", ""))
                specs.append(spec)
                data.append({})
            return specs, data, descriptions
        flat = [p for row in view.live for p in row]
        for i, live in enumerate(flat):
            entry = self._templates.get((i, live.key))
            if entry is None:
                entry = _template(view.panels[i], live, f"{self.title!r} panel {i}")
                if len(self._templates) >= _TEMPLATES:
                    self._templates.pop(next(iter(self._templates)))
                self._templates[(i, live.key)] = entry
            spec, names = entry
            if live.title is not None and spec.get("title") != live.title:
                spec = {**spec, "title": live.title}
            descriptions.append(spec.get("description", "") if live.description is None
                                else live.description)
            data.append({n: render.records(f) if isinstance(f, pd.DataFrame) else f
                         for n, f in zip(names, live.frames, strict=True)})
            specs.append(spec)
        return specs, data, descriptions

    @property
    def specs(self) -> list[dict]:
        """Each panel's Vega-Lite spec as the browser draws it now (datasets, description)."""
        out = []
        for spec, rows, description in zip(*self._sent, strict=True):
            spec = {key: value for key, value in spec.items() if key != "description"}
            spec["datasets"] = {**spec.get("datasets", {}), **rows}
            if description:
                spec["description"] = description
            out.append(spec)
        return out

    def _send(self) -> None:
        specs, data, descriptions = self._sent
        chart = self._chart_view
        with chart.hold_sync():
            shape = self._view.shape
            if chart.shape != shape:
                chart.shape = shape
            if chart.specs != specs:
                chart.specs = specs
            chart.data = data
            chart.descriptions = descriptions

    def _on_change(self, change) -> None:
        if not getattr(self, "_restoring", False):
            self.update()

    def _restore(self) -> None:
        """Set every control back to the last values the model accepted, without redrawing."""
        self._restoring = True
        try:
            for name, value in self._valid.items():
                if self.controls[name].value != value:
                    self.controls[name].value = value
        finally:
            self._restoring = False

    def _caption(self) -> str:
        """The data table's caption: the chart's title (as ``render.title_text(self.chart)``),
        read from the specs sent, so that no altair chart is built for it."""
        specs = self._sent[0]
        title = specs[0].get("title", "") if specs else ""
        if isinstance(title, dict):
            title = title.get("text", "")
        if isinstance(title, list):
            title = " ".join(title)
        if len(specs) > 1 and self._view.title:
            title = self._view.title
        return title or self.title

    def _data_table(self):
        return render.data_table(self.data, caption=self._caption())

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
        # h3: explorers sit in a lesson's "##" sections, and headings must not skip a level.
        head = [W.HTML(f"<h3 style='margin:0.2em 0'>{html.escape(self.title)}</h3>")]
        if self.note:
            head.append(W.HTML(f"<p style='margin:0'>{html.escape(self.note)}</p>"))
        box = W.VBox(list(self.controls.values()))
        from . import liveview  # anywidget: imported when an explorer is first shown

        if self._chart_view is None:
            self._chart_view = liveview.LiveChart(on_svg=self._svgs_drawn("chart"))
            self._send()
        parts = [*head, box, self._chart_view, self._summary, self._accordion]
        if self.static and self._static_view is None:
            specs = [render.fast_spec(c) for c in self.static]
            descriptions = [s.pop("description", "") for s in specs]
            self._static_view = liveview.LiveChart(
                on_svg=self._svgs_drawn("static"), specs=specs, data=[{} for _ in specs],
                shape=[1] * len(specs), descriptions=descriptions)
        if self._static_view is not None:
            parts.append(self._static_view)
        return W.VBox(parts)

    def _svgs_drawn(self, which: str) -> Callable[[list], None]:
        def take(svgs: list) -> None:
            self._svgs[which] = svgs
            if self._snapshot_id is not None:
                update_display(HTML(self.snapshot_html(svg=False)), display_id=self._snapshot_id)
        return take

    def _figures(self, svg: bool) -> list[tuple[str, str]]:
        """(caption, SVG) of each chart of the snapshot: drawn here by vl-convert when ``svg``,
        else those the browser last drew ('' until it has)."""
        if svg:
            return [(render.describe(c), render.to_svg(c)) for c in [self.chart, *self.static]]
        panels = zip(self._sent[2], self._svgs.get("chart", []), strict=False)
        figures = [(self._caption() + ". " + " ".join(self._sent[2]),
                    "".join(_labelled(image, words) for words, image in panels))]
        static = self._svgs.get("static", [])
        for k, chart in enumerate(self.static):
            words = render.describe(chart)
            figures.append((words, _labelled(static[k], words) if k < len(static) else ""))
        return figures

    def snapshot_html(self, svg: bool = True) -> str:
        """Static HTML of the current state: title, summary, each chart's SVG, data table.

        Parameters
        ----------
        svg : bool
            Draw the SVG here with vl-convert (about 40 ms a chart, 0.5 s for the first in a
            process). False: use the SVG the browser sent back (none until it has).

        Returns
        -------
        str
        """
        figures = "".join(f"<figure><figcaption>{html.escape(caption)}</figcaption>{image}"
                          f"</figure>" for caption, image in self._figures(vd.flag("svg", svg)))
        table = self._data_table().html
        return (f"{_SNAPSHOT_CSS}{_NAME_SLIDERS}<div class='ak-snapshot'>"
                f"<h3>{html.escape(self.title)}</h3>"
                f"<p>{html.escape(self.summary)}</p>{figures}"
                f"<details><summary>Data table</summary>{table}</details></div>")

    def _ipython_display_(self) -> None:
        display(self.widget())
        if _live_frontend():
            self._snapshot_id = self._snapshot_id or f"ak-{uuid.uuid4().hex}"
            display(HTML(self.snapshot_html(svg=False)), display_id=self._snapshot_id)
        else:
            display(HTML(self.snapshot_html()))

    def __repr__(self) -> str:
        return f"<Explorer {self.title!r}: controls {list(self.controls)}>"


#: Whether the browser draws the explorers and sends their SVG back (`render.live_frontend`).
_live_frontend = render.live_frontend


def _labelled(svg: str, description: str) -> str:
    """An SVG the browser drew, checked to be one ``<svg>`` element and given its words."""
    svg = svg.strip() if isinstance(svg, str) else ""
    if not (svg.startswith("<svg") and svg.endswith("</svg>")) or "<script" in svg.lower():
        return ""
    return svgtext.label_svg(svg, description or "Chart", description)


def slider(description: str, value: float, lo: float, hi: float, step: float = 0.05,
           fmt: str = ".2f", integer: bool = False) -> W.Widget:
    """A slider in the explorers' style that reports only when released.

    Parameters
    ----------
    description : str
        Label shown left of the slider.
    value, lo, hi, step : float
        Start, range and step (whole numbers when ``integer``).
    fmt : str
        Readout format of a float slider.
    integer : bool
        An `ipywidgets.IntSlider` rather than a `FloatSlider`.

    Returns
    -------
    ipywidgets.IntSlider or ipywidgets.FloatSlider
    """
    vd.text("description", description)
    integer = vd.flag("integer", integer)
    check = vd.integer if integer else vd.number
    lo, hi = check("lo", lo), check("hi", hi)
    if hi <= lo:
        raise ValueError(f"hi must be above lo; got lo={lo}, hi={hi}")
    value = check("value", value, lo, hi)
    step = check("step", step, 0 if integer else None, hi - lo)
    if step <= 0:
        raise ValueError(f"step must be positive and at most hi - lo = {hi - lo}; got {step}")
    cls = W.IntSlider if integer else W.FloatSlider
    kwargs = {} if integer else {"readout_format": vd.text("fmt", fmt)}
    return cls(value=value, min=lo, max=hi, step=step, description=description,
               continuous_update=False, style=STYLE, layout=WIDE, **kwargs)


def control_values(widget: W.ValueWidget) -> list:
    """Values a learner can reach with a control, extremes first (for smoke tests and benchmarks).

    Parameters
    ----------
    widget : ipywidgets slider, checkbox, dropdown or toggle buttons

    Returns
    -------
    list
        The minimum, maximum and middle of a slider; both states of a checkbox; every option of a
        dropdown or toggle buttons.
    """
    if isinstance(widget, W.IntSlider):
        return [widget.min, widget.max, (widget.min + widget.max) // 2]
    if isinstance(widget, W.FloatSlider):
        return [widget.min, widget.max, (widget.min + widget.max) / 2]
    if isinstance(widget, W.Checkbox):
        return [not widget.value, widget.value]
    if isinstance(widget, (W.Dropdown, W.ToggleButtons)):
        return [o[1] if isinstance(o, tuple) and len(o) == 2 else o for o in widget.options]
    raise TypeError(f"widget must be a slider, checkbox, dropdown or toggle buttons; got "
                     f"{type(widget).__name__}")
