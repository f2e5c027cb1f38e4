"""A text alternative inside a chart's SVG: a root ``<title>`` and ``<desc>``, ``role="img"``.

vl-convert writes SVG with aria labels on axes and marks only: the root element has no
``<title>`` or ``<desc>``, and the chart's Vega-Lite ``description`` is dropped. A screen reader
that meets such an SVG inline (an exported notebook, the course website) therefore announces
nothing useful. `label_svg` puts the chart's title and description back, as the first children of
the root ``<svg>``, and marks the root ``role="img"`` with an ``aria-label``, so the chart is read
as one image with a name (the title) and a description. Pure string work: no chart is drawn here.

References
----------
W3C (2018). SVG Accessibility API Mappings, sections 5 (name and description from ``title`` and
``desc``). https://www.w3.org/TR/svg-aam-1.0/
"""
from __future__ import annotations

import html
import re
from collections.abc import Mapping

from . import _validate as vd

__all__ = ["spec_text", "label_svg"]

_ROOT = re.compile(r"<svg\b[^>]*>")
_HIDDEN = 'class="ak-marks" aria-hidden="true"'
_LABELLED = re.compile(rf"(?P<text><title>.*?</title>(<desc>.*?</desc>)?)(?=<g {_HIDDEN}>)", re.S)


def _text(value) -> str:
    """A Vega-Lite text value (a string, a list of lines, or a title dict) as one line."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, Mapping):
        parts = [_text(value.get("text")), _text(value.get("subtitle"))]
        return ": ".join(p for p in parts if p)
    if isinstance(value, (list, tuple)):
        return " ".join(_text(v) for v in value if _text(v))
    return str(value).strip()


def spec_text(spec: Mapping) -> tuple[str, str]:
    """The title and description a chart's Vega-Lite spec carries, panels included.

    Parameters
    ----------
    spec : mapping
        A Vega-Lite specification (a dict as altair's ``to_dict`` returns it).

    Returns
    -------
    tuple of (str, str)
        ``(title, description)``; the title falls back to the panels' titles and the description
        to the panels' descriptions (for ``a | b`` and ``a & b``); either may be ``""``.

    Examples
    --------
    >>> spec_text({"title": {"text": "Alliances", "subtitle": "1815-1944"}, "description": "A"})
    ('Alliances: 1815-1944', 'A')
    """
    vd.mapping("spec", spec, empty=True)
    title = _text(spec.get("title"))
    description = _text(spec.get("description"))
    panels = [p for key in ("hconcat", "vconcat", "concat", "layer")
              for p in spec.get(key, []) if isinstance(p, Mapping)]
    if not title:
        title = "; ".join(t for t in (spec_text(p)[0] for p in panels) if t)
    if not description:
        description = " ".join(d for d in (spec_text(p)[1] for p in panels) if d)
    return title, description


def label_svg(svg: str, title: str, description: str = "") -> str:
    """The SVG with ``<title>`` and ``<desc>`` first in its root, and ``role="img"``.

    Parameters
    ----------
    svg : str
        An SVG document whose root element is ``<svg ...>`` (what vl-convert returns).
    title : str
        The chart's name, read first by screen readers; must not be empty.
    description : str
        The chart in words; left out when empty.

    Returns
    -------
    str
        The same SVG: root ``<title>``/``<desc>`` added (replacing ones this function added
        before), ``role="img"`` and ``aria-label`` set on the root, and the marks wrapped in one
        ``aria-hidden`` group (the image is read as a whole).

    Raises
    ------
    ValueError
        If ``svg`` has no ``<svg>`` root element, or ``title`` is empty.

    Examples
    --------
    >>> label_svg('<svg><g/></svg>', "M", "Two lines.")
    '<svg role="img" aria-label="M"><title>M</title><desc>Two lines.</desc><g class="ak-marks" \
aria-hidden="true"><g/></g></svg>'
    """
    match = _ROOT.search(vd.text("svg", svg))
    if match is None:
        raise ValueError("not an SVG document: no <svg ...> root element found")
    if not title or not title.strip():
        raise ValueError("an SVG needs a non-empty title to be named for screen readers")
    root = match.group(0)
    root = re.sub(r'\s(role|aria-label)="[^"]*"', "", root)
    closing = "/>" if root.endswith("/>") else ">"
    root = (f'{root[: -len(closing)].rstrip()} role="img" '
            f'aria-label="{html.escape(title.strip(), quote=True)}">')
    text = f"<title>{html.escape(title.strip(), quote=False)}</title>"
    if description and description.strip():
        text += f"<desc>{html.escape(description.strip(), quote=False)}</desc>"
    if closing == "/>":
        return f"{svg[: match.start()]}{root}{text}</svg>{svg[match.end():]}"
    inner = svg[match.end():]
    previous = _LABELLED.match(inner)
    if previous:  # labelled before: replace the text, keep the one hidden group
        return f"{svg[: match.start()]}{root}{text}{inner[previous.end('text'):]}"
    end = inner.rfind("</svg>")
    if end < 0:
        raise ValueError("not an SVG document: the root <svg> is never closed")
    # The root is one image; the marks inside (vl-convert gives some a graphics role but no
    # name) are hidden from assistive technology, which reads the title and description.
    return (f"{svg[: match.start()]}{root}{text}<g {_HIDDEN}>{inner[:end]}</g>"
            f"{inner[end:]}")
