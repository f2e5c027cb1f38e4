"""How pandas tables show in a notebook: inside a region a keyboard can scroll.

A table with many columns is wider than the notebook in a narrow window (1280 pixels with the
file browser open is enough). JupyterLab then scrolls the output sideways, but its scrolling box
takes no keyboard focus, so a keyboard user cannot reach the columns on the right (axe's rule
``scrollable-region-focusable``). Importing :mod:`alliancekit` in IPython registers
:func:`frame_html` as the HTML display of every ``pandas.DataFrame``: pandas' own table, wrapped
in a box that scrolls by itself, takes focus with Tab (``tabindex="0"``) and is announced as a
named region, so the arrow keys scroll it.

pandas also cuts every cell's text at 50 characters (``display.max_colwidth``), which hides the
end of exactly the columns lessons ask students to read (coding justifications, variable
definitions). In the HTML table the text wraps inside its column instead, so nothing is cut; the
option is lifted for that one rendering and left as it was for everything else.
"""
from __future__ import annotations

import html
import itertools

#: CSS class of the scrolling box (the website styles it too).
SCROLL_CLASS = "ak-scroll"

__all__ = ["scroll_region", "frame_label", "frame_html", "register"]


def scroll_region(inner_html: str, label: str) -> str:
    """Wrap HTML in a box that scrolls sideways and that a keyboard can focus.

    Parameters
    ----------
    inner_html : str
        The markup to wrap (a table, usually).
    label : str
        What a screen reader announces for the region (plain text; escaped here).

    Returns
    -------
    str
        ``<div class="ak-scroll" role="region" tabindex="0" aria-label=...>`` around the markup.
    """
    from . import _validate as vd  # here, not at import: a lesson imports this module early

    vd.text("inner_html", inner_html, empty=True)
    vd.text("label", label, empty=True)
    return (f'<div class="{SCROLL_CLASS}" role="region" tabindex="0" '
            f'aria-label="{html.escape(label.strip() or "Table", quote=True)}" '
            f'style="overflow-x: auto; max-width: 100%;">{inner_html}</div>')


#: Tables shown so far in this kernel: each region's name starts with its number, so that no
#: two regions in a notebook share a name (axe's rule ``landmark-unique``).
_SHOWN = itertools.count(1)


def frame_label(frame, number: int | None = None) -> str:
    """A short spoken name for a table: its number, size and first column names.

    Parameters
    ----------
    frame : pandas.DataFrame
    number : int, optional
        The table's number; default the next in this kernel (1, 2, ...).
    """
    from . import _validate as vd  # here, not at import: a lesson imports this module early

    vd.frame("frame", frame, empty=True)
    number = next(_SHOWN) if number is None else vd.integer("number", number, 1)
    rows, columns = frame.shape
    names = [str(c) for c in frame.columns[:3]]
    more = f" and {columns - 3:,} more" if columns > 3 else ""
    return (f"Table {number}, {rows:,} row{'s' if rows != 1 else ''} and {columns:,} "
            f"column{'s' if columns != 1 else ''}" + (f": {', '.join(names)}{more}" if names
                                                       else ""))


def frame_html(frame) -> str | None:
    """The HTML display of a ``pandas.DataFrame``: pandas' table inside :func:`scroll_region`.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to show.

    Returns
    -------
    str or None
        The wrapped markup; None when pandas shows no HTML (then IPython shows plain text).
    """
    import pandas as pd

    from . import _validate as vd

    vd.frame("frame", frame, empty=True)
    with pd.option_context("display.max_colwidth", None):
        table = frame._repr_html_()
    if table is None:
        return None
    return scroll_region(table, frame_label(frame))


def register(ipython=None) -> bool:
    """Make IPython show every ``pandas.DataFrame`` through :func:`frame_html`.

    Registered by name, so pandas is not imported until a table is shown.

    Parameters
    ----------
    ipython : IPython.core.interactiveshell.InteractiveShell, optional
        The shell; default the running one.

    Returns
    -------
    bool
        True if registered, False outside IPython.
    """
    if ipython is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        ipython = get_ipython()
    if ipython is None:
        return False
    if not hasattr(ipython, "display_formatter"):
        raise TypeError(f"ipython must be an IPython shell (or None for the running one); got "
                        f"{type(ipython).__name__} {ipython!r:.80}")
    formatter = ipython.display_formatter.formatters["text/html"]
    # pandas 3 reports its classes' module as "pandas"; earlier versions as "pandas.core.frame".
    for module in ("pandas", "pandas.core.frame"):
        formatter.for_type_by_name(module, "DataFrame", frame_html)
    return True
