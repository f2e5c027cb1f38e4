"""A chart view that stays alive in the browser: a panel's spec is sent once, a redraw sends data.

`LiveChart` is a small anywidget. Its front end (``alliancekit/static/liveview.js``) embeds each
panel's Vega-Lite spec with vega-embed from the offline JavaScript bundle that vl-convert ships, so
nothing is loaded from a CDN, and keeps each panel's Vega view. When only the data change, the
kernel sends the new rows of each named dataset (the ``data`` trait: one comm message) and the
front end swaps those whose rows differ from the last into the live view (``view.data(name,
rows)``, a Vega change set, so marks drawn from unchanged rows are left alone), sets the
panel's description (which names figures of the data) as the view's ``aria-label``, and re-runs
the dataflow. A panel is embedded again only when its spec without data changes (``specs``; e.g. a
title naming a control's value), or when Vega parses the dataset on load (``format.parse``), which
a change set would skip.

Charts render with Vega's SVG renderer and ``actions: False``, as JupyterLab's own Vega-Lite
renderer is configured for the course (ACCESSIBILITY.md). Marks that carry no words are hidden
from screen readers; the chart's description and the explorer's data table say what they show.

Exported HTML has no widget manager, so explorers keep a static SVG snapshot for it
(`alliancekit.explorer`). In a live notebook the kernel does not draw that SVG: a moment after the
views settle, the front end sends each panel's SVG (``view.toSVG()``) back to the kernel, which
calls ``on_svg`` (the explorer then refreshes its snapshot output, so a notebook saved and exported
after a live run shows the chart as it was left).

The JavaScript bundle (about 0.9 MB: Vega, Vega-Lite, vega-embed and the `_SNIPPET` below) is
built once, by ``python scripts/build_liveview.py``, and shipped in the package; a kernel only
reads the file. ``tests/unit/test_liveview.py`` checks the shipped file holds the current snippet.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import anywidget
import traitlets

__all__ = ["LiveChart", "BUNDLE", "VL_VERSION", "SNIPPET", "snippet_hash"]

#: The Vega-Lite version of the bundle: the one altair 5.5 writes specs for.
VL_VERSION = "v5.20"
#: The prebuilt front end (see ``scripts/build_liveview.py``).
BUNDLE = Path(__file__).with_name("static") / "liveview.js"

#: The widget's front end, bundled with vl-convert's Vega. ``vegaEmbed`` is the only name the
#: bundle must keep (the bundler drops what the snippet does not use).
SNIPPET = r"""
const embedChart = vegaEmbed;
const OPTIONS = {actions: false, renderer: 'svg'};
const SETTLE_MS = 1000;

function withData(spec, rows, desc) {
  const full = {...spec, datasets: {...(spec.datasets || {}), ...rows}};
  if (desc) full.description = desc;
  return full;
}

function canChange(vgSpec, rows) {
  // a change set skips a dataset's format.parse: such panels are embedded again instead
  const sources = new Map((vgSpec.data || []).map(d => [d.name, d]));
  return Object.keys(rows).every(name => {
    const d = sources.get(name);
    return d && !(d.format && d.format.parse);
  });
}

function texts(rows) {
  // each dataset's rows as JSON text, to tell which datasets a message changes
  const out = {};
  for (const [name, values] of Object.entries(rows)) out[name] = JSON.stringify(values);
  return out;
}

function quietMarks(box) {
  // Vega gives a mark with no words (e.g. a reference rule placed by a datum) an image role and
  // no label, which a screen reader announces as an unnamed image (axe: svg-img-alt); the
  // chart's description and the data table say what it shows, so such marks are hidden.
  box.querySelectorAll('.role-mark[role="graphics-symbol"]:not([aria-label])')
    .forEach(e => e.setAttribute('aria-hidden', 'true'));
}

function render({ model, el }) {
  el.classList.add('ak-live-chart');
  let panels = [];
  let shapeKey = null;
  let queued = false;
  let timer = null;

  const layout = (shape) => {
    for (const p of panels) if (p.view) p.view.finalize();
    el.replaceChildren();
    panels = [];
    for (const n of shape) {
      const row = document.createElement('div');
      row.style.display = 'flex';
      row.style.flexWrap = 'wrap';
      row.style.gap = '12px';
      for (let i = 0; i < n; i++) {
        const box = document.createElement('div');
        box.className = 'ak-live';
        row.appendChild(box);
        panels.push({box, key: null, rows: null, sent: {}, desc: null, view: null,
                     live: false, promise: Promise.resolve()});
      }
      el.appendChild(row);
    }
  };

  const embed = (p, spec, rows, desc) => embedChart(p.box, withData(spec, rows, desc), OPTIONS)
    .then(result => {
      if (p.view) p.view.finalize();
      p.view = result.view;
      p.box.__akView = result.view;
      p.live = canChange(result.vgSpec, rows);
      quietMarks(p.box);
    })
    .catch(err => {
      console.error('alliancekit chart:', err);
      const pre = document.createElement('pre');
      pre.className = 'error';
      pre.textContent = String(err);
      p.box.replaceChildren(pre);
    });

  const sendSvg = () => {
    // the static snapshot of exported HTML, drawn here so that the kernel need not
    timer = null;
    Promise.all(panels.map(p => p.promise.then(() => p.view ? p.view.toSVG() : '')))
      .then(svgs => model.send({kind: 'svg', svgs}))
      .catch(err => console.error('alliancekit chart:', err));
  };

  const settle = () => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(sendSvg, SETTLE_MS);
  };

  const draw = () => {
    queued = false;
    const specs = model.get('specs') || [];
    const data = model.get('data') || [];
    const shape = model.get('shape') || [specs.length];
    const descs = model.get('descriptions') || [];
    const key = JSON.stringify(shape);
    if (key !== shapeKey) { shapeKey = key; layout(shape); }
    specs.forEach((spec, i) => {
      const p = panels[i];
      if (!p) return;
      const rows = data[i] || {};
      const desc = descs[i] || null;
      const specKey = JSON.stringify(spec);
      if (specKey !== p.key || !p.live) {
        p.key = specKey;
        p.rows = rows;
        p.desc = desc;
        p.sent = texts(rows);
        p.promise = p.promise.then(() => embed(p, spec, rows, desc));
      } else if (rows !== p.rows || desc !== p.desc) {
        p.rows = rows;
        p.desc = desc;
        // only the datasets whose rows differ go into the change set (e.g. a case's dated
        // events stay as they were): Vega re-runs only the marks that draw them
        const now = texts(rows);
        const changed = Object.keys(rows).filter(name => now[name] !== p.sent[name]);
        p.sent = now;
        p.promise = p.promise.then(() => {
          for (const name of changed) p.view.data(name, rows[name]);
          if (desc) p.view.description(desc);   // the words a screen reader hears
          return p.view.runAsync();
        }).then(() => quietMarks(p.box)).catch(err => console.error('alliancekit chart:', err));
      }
    });
    settle();
  };
  const schedule = () => { if (!queued) { queued = true; queueMicrotask(draw); } };

  model.on('change:specs', schedule);
  model.on('change:data', schedule);
  model.on('change:shape', schedule);
  model.on('change:descriptions', schedule);
  draw();
  return () => {
    if (timer !== null) clearTimeout(timer);
    for (const p of panels) if (p.view) p.view.finalize();
  };
}

export default { render };
"""


def snippet_hash() -> str:
    """The SHA-256 of `SNIPPET` and `VL_VERSION`: the shipped bundle names it on its first line."""
    return hashlib.sha256(f"{VL_VERSION}\n{SNIPPET}".encode()).hexdigest()


class LiveChart(anywidget.AnyWidget):
    """Chart panels drawn by Vega in the browser, updated by sending their data only.

    Parameters
    ----------
    specs : list of dict
        Each panel's Vega-Lite spec without the datasets sent in ``data`` and without its
        top-level ``description`` (row by row).
    descriptions : list of str
        Each panel's description in words (it names figures of the data, so it changes with
        them; the front end sets it as the view's ``aria-label``).
    data : list of dict
        Each panel's changing datasets, name -> list of row dicts.
    shape : list of int
        Panels per row.
    on_svg : callable, optional
        Called with the list of each panel's SVG (text) the browser drew, a moment after its
        views settle.
    """

    _esm = BUNDLE
    specs = traitlets.List().tag(sync=True)
    data = traitlets.List().tag(sync=True)
    shape = traitlets.List().tag(sync=True)
    descriptions = traitlets.List().tag(sync=True)

    def __init__(self, on_svg: Callable[[list], None] | None = None, **kwargs):
        super().__init__(**kwargs)
        self._on_svg = on_svg
        self.on_msg(self._message)

    def _message(self, widget, content, buffers) -> None:
        if (self._on_svg is not None and isinstance(content, dict)
                and content.get("kind") == "svg" and isinstance(content.get("svgs"), list)):
            svgs = [s if isinstance(s, str) else "" for s in content["svgs"]]
            self._on_svg(svgs)
