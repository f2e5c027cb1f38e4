"""The machinery of the course's explorers: controls wired to one model call and one chart.

An `Explorer` holds its controls (``.controls``, name -> ipywidget), calls ONE ``draw`` function
with the controls' values whenever one changes, and shows what it returns, a `View`: the chart
panels, a one-line summary and (in a collapsible section) the chart's data as an accessible
table. The explorers themselves (what each lesson shows) are in `alliancekit.widgets`.

Display and speed (measured on the course machine, 2 shared cores).

- In JupyterLab an explorer shows its controls and one `alliancekit.liveview.LiveChart`: a small
  anywidget that embeds each panel's Vega-Lite spec with vl-convert's offline Vega bundle (no
  CDN) and keeps the Vega views alive. On a control change the explorer calls the model, writes
  each panel's spec with `alliancekit.render.fast_spec` (no validation, data kept out of
  altair's copies) and splits it into the spec without data, its description in words (which
  names figures of the data) and the data. When a panel's spec
  without data is the one already shown, only its rows go to the browser, which swaps them into
  the live view (a Vega change set); the view is not torn down and recompiled. A panel whose
  encodings or titles change with a control (e.g. a subtitle naming the control's value, a layer
  of shock markers that appears) is embedded again, for that change only.
- A ``draw`` that returns its panels as a callable with `Live` data per panel (the erosion
  explorer does) builds no altair object at all on a change whose `Live` keys are unchanged:
  the explorer reuses the specs it wrote and sends the new frames and descriptions. Other
  explorers still build their altair charts on each change (then compare the written specs).
- Widgets cannot be drawn in exported HTML without a CDN, so when an explorer is displayed it also
  emits a static snapshot (title, summary, the SVG made offline by vl-convert, and the data table).
  JupyterLab and Notebook 7 hide that snapshot with a CSS rule scoped to their notebook panel;
  nbconvert and nbgrader feedback pages show it. Each displayed explorer therefore costs one SVG
  when its cell runs, and none afterwards.

A control whose value the model rejects (any `TypeError`, `ValueError` or `LookupError` the model
raises, e.g. for an impossible shock) leaves the last valid chart in place, moves the controls back
to the values that chart shows, and says why in the summary.
"""
from __future__ import annotations

import html
from collections.abc import Callable, Mapping

import ipywidgets as W
import pandas as pd
from IPython.display import HTML, display

from . import _validate as vd
from . import liveview, render
from .render import alt

__all__ = ["Explorer", "View", "Live", "control_values", "slider", "STYLE", "WIDE", "AUTO"]

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
# now and whenever the widgets redraw. Exported HTML has no sliders, and nothing happens there.
_NAME_SLIDERS = (
    "<script>(() => {const s = document.currentScript;"
    "const cell = s && s.closest('.jp-Cell, .cell'); if (!cell) return;"
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
    """What a panel needs to redraw by its data alone, without building its altair chart.

    Parameters
    ----------
    key : hashable
        Everything other than the data that shapes the panel's spec (e.g. whether a layer of
        shock markers is drawn). While a panel's key stays the same, the explorer reuses the
        spec it wrote the first time and swaps in ``frame`` as the panel's main dataset.
    frame : pandas.DataFrame
        The panel's main dataset, exactly as its chart builder attaches it.
    description : str
        The panel's description in words (as its chart builder writes it).
    """

    __slots__ = ("key", "frame", "description")

    def __init__(self, key, frame: pd.DataFrame, description: str):
        self.key, self.frame, self.description = key, frame, description


class View:
    """What one model call produced: the data, the chart panels and a summary in words.

    Parameters
    ----------
    data : pandas.DataFrame
        The data the summary and the main panel show.
    rows : altair chart, list of lists of altair charts, or a callable returning either
        The panels, row by row (drawn side by side within a row). A callable is called only
        when the charts are needed (``.rows``, ``.chart``, a panel whose `Live` key changed).
    summary : str
        One or two sentences on what the chart shows now.
    title, description : str, optional
        Title and description of the composed chart when there are several panels (default: the
        first panel's title and every panel's description).
    live : list of list of Live, optional
        Per panel, row by row: how to redraw it from its data alone (see `Live`). Required
        with a callable ``rows``.
    """

    __slots__ = ("data", "_rows", "summary", "title", "description", "_chart", "live")

    def __init__(self, data: pd.DataFrame, rows, summary: str, title: str = "",
                 description: str = "", live=None):
        if isinstance(rows, alt.TopLevelMixin):
            rows = [[rows]]
        if callable(rows) and live is None:
            raise TypeError("rows may be a callable only with live panels (live=[[Live, ...]])")
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
            rows = [[rows]] if isinstance(rows, alt.TopLevelMixin) else [list(r) for r in rows]
            self._rows = rows
        return self._rows

    @property
    def shape(self) -> list[int]:
        """Panels per row (without building the charts)."""
        if self.live is not None:
            return [len(r) for r in self.live]
        return [len(r) for r in self.rows]

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
                chart.title = self.title or render.title_text(panels[0])
                chart.description = self.description or " ".join(
                    render.describe(p) for p in panels)
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
        The Vega-Lite bundle of each panel (spec and data) as last computed.
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
        self._bundles: list | None = None
        self._live = None
        self._live_cache: list = []
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
        self._specs, self._datasets, self._descriptions = self._panel_specs(view)
        self._bundles = None
        self._summary.value = f"<p>{html.escape(view.summary)}</p>"
        if self._accordion.selected_index is not None:
            self._fill_table()
        if self._shown:
            self._send()
        return view

    def _panel_specs(self, view: View) -> tuple[list, list, list]:
        """Each panel's spec without data, its datasets and its description.

        A panel whose `Live` key is the one drawn before reuses that spec and its other datasets,
        with the new main dataset and description: no altair object is built or written. Any
        other panel is built and written with `render.fast_spec` (and remembered when live).
        """
        live = [p for row in view.live for p in row] if view.live is not None else None
        cache = self._live_cache
        if live is not None and len(live) == len(cache) and all(
                c is not None and c[0] == p.key for c, p in zip(cache, live, strict=True)):
            specs, datasets = [], []
            for (_, spec, data, main), panel in zip(cache, live, strict=True):
                specs.append(spec)
                datasets.append({**data, main: liveview.json_rows(render.records(panel.frame))})
            return specs, datasets, [p.description for p in live]
        specs, datasets, descriptions, cache = [], [], [], []
        for i, panel in enumerate(view.panels):
            spec = render.fast_spec(panel)
            data = {name: liveview.json_rows(rows)
                    for name, rows in spec.pop("datasets", {}).items()}
            specs.append(spec)
            datasets.append(data)
            descriptions.append(spec.pop("description", ""))
            if live is not None:
                own = liveview.json_rows(render.records(live[i].frame))
                main = [name for name, rows in data.items() if rows == own]
                cache.append((live[i].key, spec, data, main[0]) if len(main) == 1 else None)
        self._live_cache = cache
        return specs, datasets, descriptions

    @property
    def bundles(self) -> list:
        """The Vega-Lite bundle of each panel (spec and data) as last computed."""
        if self._bundles is None:
            self._bundles = [
                {render.VEGALITE_MIMETYPE: {**spec, "description": text, "datasets": data}}
                for spec, text, data in zip(self._specs, self._descriptions, self._datasets,
                                            strict=True)]
        return self._bundles

    def _send(self) -> None:
        """Send the browser what changed: the specs when they differ, else only the data."""
        live = self._live
        shape = self._view.shape
        with live.hold_sync():
            if live.shape != shape:
                live.shape = shape
            if live.specs != self._specs:
                live.specs = self._specs
            live.descriptions = self._descriptions
            live.data = self._datasets

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

    def _data_table(self):
        return render.data_table(self.data, caption=render.title_text(self.chart) or self.title)

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
        static = W.Output()
        with static:
            for chart in self.static:
                display(render.mimebundle(chart, svg=False), metadata=render.DISPLAY_METADATA,
                        raw=True)
        if self._live is None:
            self._live = liveview.LiveChart()
        self._shown = True
        self._send()
        return W.VBox([*head, box, self._live, self._summary, self._accordion, static])

    def snapshot_html(self) -> str:
        """Static HTML of the current state: title, summary, SVG of each chart, data table."""
        figures = []
        for chart in [self.chart, *self.static]:
            figures.append(
                f"<figure><figcaption>{html.escape(render.describe(chart))}</figcaption>"
                f"{render.to_svg(chart)}</figure>")
        table = self._data_table().html
        return (f"{_SNAPSHOT_CSS}{_NAME_SLIDERS}<div class='ak-snapshot'>"
                f"<h3>{html.escape(self.title)}</h3>"
                f"<p>{html.escape(self.summary)}</p>{''.join(figures)}"
                f"<details><summary>Data table</summary>{table}</details></div>")

    def _ipython_display_(self) -> None:
        display(self.widget())
        display(HTML(self.snapshot_html()))

    def __repr__(self) -> str:
        return f"<Explorer {self.title!r}: controls {list(self.controls)}>"


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
