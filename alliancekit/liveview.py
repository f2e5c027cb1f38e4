"""A chart view that stays alive in the browser: the spec is sent once, each redraw sends data.

`LiveChart` is a small anywidget. Its front end embeds each panel's Vega-Lite spec with
vega-embed, taken from the offline JavaScript bundle that vl-convert ships
(``vl_convert.javascript_bundle``), so nothing is loaded from a CDN. The Vega view of each panel
is kept; when only the data change, the kernel sends the new rows of each named dataset (the
``data`` trait, one comm message) and the front end swaps them into the live view
(``view.data(name, rows)``, a Vega change set that removes every tuple and inserts the new ones),
sets the panel's description (which names figures of the data) as the view's ``aria-label``,
then re-runs the dataflow. A panel is embedded again only when its spec without data changes
(``specs``), or when Vega parses the dataset on load (``format.parse``, e.g. dates written as
text), which a change set would skip.

Charts render with Vega's SVG renderer and ``actions: False``, as JupyterLab's own Vega-Lite
renderer is configured for the course (ACCESSIBILITY.md): Vega writes the chart's description as
the SVG's ``aria-label``. Exported HTML has no widget manager; explorers keep their static SVG
snapshot for it (`alliancekit.explorer`).

The bundle (about 0.9 MB of JavaScript) is built once per kernel, on the first `LiveChart`.
"""
from __future__ import annotations

import functools
import math

import anywidget
import traitlets

__all__ = ["LiveChart", "json_rows", "esm"]

#: The Vega-Lite version of the bundle: the one altair 5.5 writes specs for.
VL_VERSION = "v5.20"

# The widget's front end. ``vegaEmbed`` is the only name the bundle must keep (the bundler drops
# what the snippet does not use); a view's data are replaced through the view's own API.
_SNIPPET = r"""
const embedChart = vegaEmbed;
const OPTIONS = {actions: false, renderer: 'svg'};

function withData(spec, rows, desc) {
  const full = {...spec, datasets: {...(spec.datasets || {}), ...rows}};
  if (desc) full.description = desc;
  return full;
}

function canChange(vgSpec, rows) {
  // a change set skips the dataset's format.parse: such panels are embedded again instead
  const sources = new Map((vgSpec.data || []).map(d => [d.name, d]));
  return Object.keys(rows).every(name => {
    const d = sources.get(name);
    return d && !(d.format && d.format.parse);
  });
}

function quietMarks(box) {
  // Vega 6 gives a mark with no words (e.g. a reference rule placed by a datum) an image role
  // and no label, which a screen reader announces as an unnamed image (axe: svg-img-alt); the
  // chart's description and the data table say what it shows, so such marks are hidden.
  box.querySelectorAll('.role-mark[role="graphics-symbol"]:not([aria-label])')
    .forEach(e => e.setAttribute('aria-hidden', 'true'));
}

function render({ model, el }) {
  el.classList.add('ak-live-chart');
  let panels = [];
  let shapeKey = null;
  let queued = false;

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
        panels.push({box, key: null, rows: null, desc: null, view: null, live: false,
                     promise: Promise.resolve()});
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
        p.promise = p.promise.then(() => embed(p, spec, rows, desc));
      } else if (rows !== p.rows || desc !== p.desc) {
        p.rows = rows;
        p.desc = desc;
        p.promise = p.promise.then(() => {
          for (const [name, values] of Object.entries(rows)) p.view.data(name, values);
          if (desc) p.view.description(desc);   // the words a screen reader hears
          return p.view.runAsync();
        }).then(() => quietMarks(p.box)).catch(err => console.error('alliancekit chart:', err));
      }
    });
  };
  const schedule = () => { if (!queued) { queued = true; queueMicrotask(draw); } };

  model.on('change:specs', schedule);
  model.on('change:data', schedule);
  model.on('change:shape', schedule);
  model.on('change:descriptions', schedule);
  draw();
  return () => { for (const p of panels) if (p.view) p.view.finalize(); };
}

export default { render };
"""


@functools.lru_cache(maxsize=1)
def esm() -> str:
    """The widget's ES module: vl-convert's offline Vega/Vega-Lite/vega-embed bundle + `render`."""
    import vl_convert

    return vl_convert.javascript_bundle(snippet=_SNIPPET, vl_version=VL_VERSION)


def json_rows(rows: list) -> list:
    """Rows made JSON-safe in place: NaN and infinities become null (Vega reads it as missing).

    Parameters
    ----------
    rows : list of dict
        Records as written by `alliancekit.render.fast_spec` (numbers, text, None).

    Returns
    -------
    list of dict
        The same list.
    """
    for row in rows:
        for k, v in row.items():
            if isinstance(v, float) and not math.isfinite(v):
                row[k] = None
    return rows


class LiveChart(anywidget.AnyWidget):
    """Chart panels drawn by Vega in the browser, updated by sending their data only.

    Parameters
    ----------
    specs : list of dict
        Each panel's Vega-Lite spec *without* its ``datasets`` and top-level ``description``
        (row by row).
    descriptions : list of str
        Each panel's description in words (it names figures of the data, so it changes with
        them; the front end sets it as the view's ``aria-label``).
    data : list of dict
        Each panel's datasets, name -> list of row dicts.
    shape : list of int
        Panels per row.
    """

    _esm = traitlets.Unicode("").tag(sync=True)
    specs = traitlets.List().tag(sync=True)
    data = traitlets.List().tag(sync=True)
    shape = traitlets.List().tag(sync=True)
    descriptions = traitlets.List().tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(_esm=esm(), **kwargs)
