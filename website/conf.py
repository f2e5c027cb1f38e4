"""Sphinx configuration of the course website (copied into the staging folder by build.py).

Offline by construction: no execution here (build.py has run the lessons), no widget JavaScript
(``nb_ipywidgets_js = {}``: explorers are static snapshots), MathJax from ``_static/mathjax``
(copied there from npm by build.py), and a theme that ships its own fonts and icons.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

project = "The Illusion of Permanent Allies"
author = "The alliancekit course authors"
copyright = "2026, the alliancekit course authors (content CC BY 4.0, code MIT)"
language = "en"

extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints", "site-doctrees"]
root_doc = "index"

# MyST: $...$ and $$...$$ maths in markdown cells; headings get anchors for in-page links.
myst_enable_extensions = ["dollarmath", "amsmath", "deflist", "html_image"]
myst_heading_anchors = 3

# MyST-NB: show what build.py executed; never reach a CDN for widgets.
nb_execution_mode = "off"
nb_ipywidgets_js = {}
nb_merge_streams = True

# MathJax 3 from the site's own folder (relative to _static), SVG-free CHTML output with the
# fonts that ship beside it.
mathjax_path = "mathjax/tex-chtml.js"

html_theme = "sphinx_book_theme"
html_title = "The Illusion of Permanent Allies"
html_static_path = ["_static"]
html_css_files = ["ak-site.css"]
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = False
# Light mode by default (charts are drawn on white); an explicit mode also keeps the theme from
# logging a console error on a first visit.
html_context = {"default_mode": "light"}
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "use_issues_button": False,
    "use_edit_page_button": False,
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
suppress_warnings = ["mystnb.unknown_mime_type", "myst.header"]


def _svg_text(path: Path) -> str:
    """'Title. Description' from an SVG's root <title> and <desc> (alliancekit.svgtext)."""
    text = path.read_text(encoding="utf-8", errors="replace")[:20000]
    parts = [re.search(rf"<{tag}>(.*?)</{tag}>", text, flags=re.S) for tag in ("title", "desc")]
    return " ".join(html.unescape(p.group(1)).strip().rstrip(".") + "." for p in parts if p)


def _alt_for_svg_images(app, doctree, docname) -> None:
    """Every chart shown through <img> gets its SVG's title and description as ``alt``."""
    from docutils import nodes

    for image in doctree.findall(nodes.image):
        uri = image.get("uri", "")
        if not uri.endswith(".svg") or image.get("alt"):
            continue
        candidates = [Path(uri), Path(app.srcdir) / uri,
                      Path(app.srcdir) / Path(docname).parent / uri]
        for candidate in candidates:
            if candidate.is_file():
                image["alt"] = _svg_text(candidate) or "Chart"
                break


def setup(app):
    app.connect("doctree-resolved", _alt_for_svg_images)
    return {"parallel_read_safe": True}
