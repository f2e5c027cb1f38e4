"""Autograded notebooks made safe to open: no markup from a submission runs in a grader's browser.

A submission controls more than its code: the markdown of its written answers, every output its
cells made (HTML, SVG, JavaScript, widget views), attachments, cell and notebook metadata and raw
cells. Formgrader shows an autograded notebook as nbconvert HTML served by the instructor's own
server, feedback pages are nbconvert HTML too, and an instructor may open the notebook in
JupyterLab. Any script that reaches one of those pages runs with the instructor's rights (it can
read ``solutions/`` and call Formgrader's API). This module rewrites the notebook so that nothing
able to carry script is left, with the HTML sanitiser ``nh3`` (the Python binding of the Rust
library *ammonia*), never with hand-written patterns:

- **outputs** keep only plain text, sanitised HTML and markdown, sanitised SVG and raster images
  whose data is valid base64; JavaScript, widget views, Vega specs, LaTeX and every other MIME
  type are dropped (a one-line note says which), and output metadata keeps only numeric image
  sizes (nbconvert writes them into ``<img>`` unquoted);
- **markdown cells** (written answers) are left exactly as written unless they hold raw markup
  (anything a browser could read as a tag) or a link or image whose address is not a plain web,
  mail or in-page address; such a cell is replaced by the sanitised HTML of its rendering, headed
  by a note (the student's original stays in ``submitted/``);
- **raw cells** (nbconvert copies them into HTML verbatim) are sanitised as HTML;
- **attachments** keep raster images only; **cell metadata** keeps nbgrader's own record, safe
  tags and a few layout flags; **notebook metadata** keeps the kernel and language names only.

:func:`sanitise_notebook` does this in memory; :func:`sanitise_autograded` rewrites a student's
``autograded/`` folder in place (``alliancekit-grade`` calls it after each submission), and
:class:`SanitiseNotebook` is the same as an nbconvert preprocessor, for ``nbgrader
generate_feedback`` and Formgrader (configured in ``nbgrader_config.py``).

References
----------
ammonia, https://github.com/rust-ammonia/ammonia; nh3, https://nh3.readthedocs.io;
HTML Living Standard, 13.2.5 "Tokenization" (what starts a tag) and "URL parsing".
"""
from __future__ import annotations

import base64
import binascii
import os
import stat
from html.parser import HTMLParser
from pathlib import Path

import nh3
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from alliancekit.grading.metadata import grade_id

__all__ = ["clean_html", "clean_svg", "clean_markdown", "safe_url", "sanitise_notebook",
           "sanitise_file", "sanitise_autograded", "safe_student_id", "SanitiseNotebook"]

#: MIME types an output may keep (each is sanitised or checked); every other one is dropped.
KEPT_MIME = ("text/plain", "text/html", "text/markdown", "image/svg+xml", "image/png",
             "image/jpeg", "image/gif")
RASTER = ("image/png", "image/jpeg", "image/gif")
NOTE = "[alliancekit: {what} removed here before grading views could show it]"
MARKDOWN_NOTE = ("*[alliancekit: this answer held markup or links that could run script; it is "
                 "shown sanitised here, and the student's original is in submitted/]*")

# HTML: ammonia's vetted defaults, with no class, id, name or style anywhere (they could restyle,
# spoof or clobber the grading page), and addresses checked by safe_url.
_HTML_TAGS = set(nh3.ALLOWED_TAGS)
_HTML_ATTRIBUTES = {tag: set(attrs) - {"cite"} for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
_HTML_ATTRIBUTES["*"] = {"title", "lang", "dir"}
_CLEAN_CONTENT = {"script", "style", "template", "noscript", "iframe", "object", "embed",
                  "noembed", "noframes", "xmp", "plaintext", "textarea", "select", "math", "svg"}

# SVG (charts drawn by vl-convert use g, path, rect, line and text): shapes and presentation
# attributes only. No <a>, <use>, <image>, <foreignObject>, <style>, <script>, animation elements,
# ids, classes, styles or addresses of any kind.
_SVG_TAGS = {"svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
             "text", "tspan", "title", "desc"}
_SVG_ATTRIBUTES = {"*": {
    "width", "height", "viewBox", "version", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r",
    "rx", "ry", "d", "points", "transform", "fill", "fill-opacity", "fill-rule", "stroke",
    "stroke-width", "stroke-opacity", "stroke-dasharray", "stroke-dashoffset", "stroke-linecap",
    "stroke-linejoin", "stroke-miterlimit", "opacity", "display", "visibility", "font-family",
    "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline", "dx", "dy",
    "role", "aria-label", "aria-hidden", "aria-roledescription", "preserveAspectRatio",
}}
_SVG_CLEAN_CONTENT = {"script", "style", "foreignObject", "foreignobject", "template", "iframe",
                      "object", "embed", "noscript", "xmp", "plaintext", "textarea", "math"}


def safe_url(value: str, *, image: bool = False) -> bool:
    """Whether an address from a submission may stay in a link or an image.

    Parameters
    ----------
    value : str
        The attribute's value as the browser sees it (entities already decoded).
    image : bool, default False
        True for an image source: then only an inline raster image (``data:image/png``, jpeg,
        gif or webp, base64) or a notebook attachment (``attachment:NAME``) is allowed, so that
        opening the page makes no request at all. False for a link: ``http``, ``https``,
        ``mailto`` and in-page ``#anchors``.

    Returns
    -------
    bool

    Examples
    --------
    >>> safe_url("https://example.org/x"), safe_url(" JaVa\\tScRiPt:alert(1)")
    (True, False)
    >>> safe_url("data:image/png;base64,AAAA", image=True), safe_url("http://x/y.png", image=True)
    (True, False)
    """
    if not isinstance(value, str):
        return False
    # Browsers drop leading and trailing C0 controls and spaces, and every tab and newline.
    text = "".join(ch for ch in value if ch not in "\t\n\r").strip("\x00\x01\x02\x03\x04\x05\x06"
                                                                   "\x07\x08\x0b\x0c\x0e\x0f"
                                                                   "\x10\x11\x12\x13\x14\x15"
                                                                   "\x16\x17\x18\x19\x1a\x1b"
                                                                   "\x1c\x1d\x1e\x1f ")
    lower = text.lower()
    if image:
        return (lower.startswith(("data:image/png;base64,", "data:image/jpeg;base64,",
                                  "data:image/gif;base64,", "data:image/webp;base64,"))
                or lower.startswith("attachment:"))
    if lower.startswith("#"):
        return True
    scheme, colon, _ = lower.partition(":")
    if not colon or any(ch in scheme for ch in "/?#"):
        return False  # a relative address: it would reach the instructor's own server
    return scheme in ("http", "https", "mailto")


def _html_filter(tag: str, attribute: str, value: str):
    if attribute in ("href", "src"):
        return value if safe_url(value, image=(tag == "img")) else None
    return value


def clean_html(text: str) -> str:
    """Sanitise an HTML fragment from a submission.

    Parameters
    ----------
    text : str
        HTML, however malformed.

    Returns
    -------
    str
        The fragment with ammonia's allow-list of tags (no script, style, iframe, object, embed,
        form, input, svg or math), no event handlers, classes, ids, names or styles, links only
        to web, mail or in-page addresses and images only from inline data or attachments.

    Examples
    --------
    >>> clean_html('<b onclick="x()">hi</b><script>alert(1)</script>')
    '<b>hi</b>'
    """
    return nh3.clean(str(text), tags=_HTML_TAGS, clean_content_tags=_CLEAN_CONTENT,
                     attributes=_HTML_ATTRIBUTES, attribute_filter=_html_filter,
                     url_schemes={"http", "https", "mailto", "data", "attachment"},
                     strip_comments=True, link_rel="noopener noreferrer nofollow")


def clean_svg(text: str) -> str:
    """Sanitise an SVG image from a submission (nbconvert inlines SVG outputs into its HTML).

    Parameters
    ----------
    text : str
        SVG markup.

    Returns
    -------
    str
        The SVG with shapes, text and presentation attributes only: no script, event handler,
        ``<foreignObject>``, ``<a>``, ``<use>``, ``<image>``, animation, style, id or address.
        It stays a standalone SVG document (``xmlns`` set), so JupyterLab can still show it.

    Examples
    --------
    >>> clean_svg('<svg onload="alert(1)"><rect width="2"/></svg>')
    '<svg xmlns="http://www.w3.org/2000/svg"><rect width="2"></rect></svg>'
    """
    cleaned = nh3.clean(str(text), tags=_SVG_TAGS, clean_content_tags=_SVG_CLEAN_CONTENT,
                        attributes=_SVG_ATTRIBUTES, attribute_filter=lambda t, a, v: v,
                        url_schemes=set(), strip_comments=True, link_rel=None,
                        set_tag_attribute_values={"svg": {"xmlns": "http://www.w3.org/2000/svg"}})
    # ammonia writes HTML; as an image JupyterLab parses it as XML, which knows no &nbsp;
    return cleaned.replace("&nbsp;", "&#160;")


class _Scan(HTMLParser):
    """Find, in rendered markdown, any link or image whose address safe_url refuses."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.unsafe = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and not safe_url(value or "", image=(tag == "img")):
                self.unsafe = True


def _may_open_a_tag(source: str) -> bool:
    """Whether a browser could read a tag in the text: '<' before a letter, '/', '!' or '?'."""
    for i, ch in enumerate(source[:-1]):
        if ch == "<":
            nxt = source[i + 1]
            if nxt.isascii() and (nxt.isalpha() or nxt in "/!?"):
                return True
    return False


def _render_markdown(source: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(source)


def clean_markdown(source: str) -> tuple[str, bool]:
    """Make a markdown cell or markdown output safe, changing it only when it must.

    Parameters
    ----------
    source : str
        Markdown as written by the student.

    Returns
    -------
    (str, bool)
        The markdown to keep, and whether it was changed. Markdown with no raw markup and only
        web, mail or in-page links (and images from attachments) is returned as it is. Otherwise it
        is rendered the way nbconvert renders it (mistune), sanitised with :func:`clean_html`, and
        headed by a note.

    Examples
    --------
    >>> clean_markdown("**Yes**: the margin $m_i < 0$, so it leaves.")
    ('**Yes**: the margin $m_i < 0$, so it leaves.', False)
    >>> clean_markdown("[see](javascript:alert(1))")[0].splitlines()[-1]
    '<p><a rel="noopener noreferrer nofollow">see</a></p>'
    """
    source = str(source)
    head = MARKDOWN_NOTE + "\n\n"
    if source.startswith(head):  # sanitised before: keep it if it is stable
        rest = source
        while rest.startswith(head):
            rest = rest[len(head):]
        cleaned, _ = clean_markdown(rest)
        if cleaned == rest or cleaned.endswith("\n\n" + rest):
            return source, False
        return MARKDOWN_NOTE + "\n\n" + cleaned.split("\n\n", 1)[-1], True
    rendered = _render_markdown(source)
    risky = _may_open_a_tag(source)
    if not risky:
        scan = _Scan()
        scan.feed(rendered)
        scan.close()
        risky = scan.unsafe
    if not risky:
        return source, False
    cleaned = clean_html(rendered)
    # One HTML block: a blank line would end it and let markdown re-read the rest.
    lines = [line for line in cleaned.splitlines() if line.strip()]
    return "\n\n".join([MARKDOWN_NOTE, "\n".join(lines)]), True


# --------------------------------------------------------------------------------------------
# Notebooks
# --------------------------------------------------------------------------------------------
def _valid_base64(data) -> bool:
    if isinstance(data, list):
        data = "".join(data)
    if not isinstance(data, str):
        return False
    try:
        base64.b64decode("".join(data.split()), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _clean_bundle(data: dict, dropped: set) -> dict:
    kept = {}
    for mime, value in data.items():
        if mime not in KEPT_MIME:
            dropped.add(mime)
        elif mime in RASTER:
            if _valid_base64(value):
                kept[mime] = "".join(value) if isinstance(value, list) else value
            else:
                dropped.add(f"{mime} (not valid base64)")
        elif mime == "text/html":
            kept[mime] = clean_html(_text(value))
        elif mime == "image/svg+xml":
            kept[mime] = clean_svg(_text(value))
        elif mime == "text/markdown":
            kept[mime] = clean_markdown(_text(value))[0]
        else:  # text/plain: nbconvert and JupyterLab escape it
            kept[mime] = _text(value)
    return kept


def _image_metadata(metadata) -> dict:
    """Numeric width and height per raster image type; everything else goes."""
    kept = {}
    for mime in (*RASTER, "image/svg+xml"):
        sizes = metadata.get(mime) if isinstance(metadata, dict) else None
        if isinstance(sizes, dict):
            ok = {k: sizes[k] for k in ("width", "height") if type(sizes.get(k)) in (int, float)}
            if ok:
                kept[mime] = ok
    return kept


def _clean_outputs(outputs, notes: list) -> list:
    from nbformat.v4 import new_output

    kept, dropped = [], set()
    for output in outputs or []:
        kind = output.get("output_type") if isinstance(output, dict) else None
        if kind == "stream":
            name = output.get("name") if output.get("name") in ("stdout", "stderr") else "stdout"
            kept.append(new_output("stream", name=name, text=_text(output.get("text", ""))))
        elif kind == "error":
            kept.append(new_output(
                "error", ename=str(output.get("ename", "")), evalue=str(output.get("evalue", "")),
                traceback=[str(line) for line in output.get("traceback") or []]))
        elif kind in ("display_data", "execute_result"):
            data = output.get("data") if isinstance(output.get("data"), dict) else {}
            clean = _clean_bundle(data, dropped)
            if not clean:
                clean = {"text/plain": NOTE.format(what="an output of type "
                                                   + ", ".join(sorted(map(str, data))))}
            extra = {"execution_count": output.get("execution_count")
                     if type(output.get("execution_count")) is int else None} \
                if kind == "execute_result" else {}
            kept.append(new_output(kind, data=clean,
                                   metadata=_image_metadata(output.get("metadata")), **extra))
        else:
            dropped.add(f"output type {kind!r}")
    worth_saying = sorted(m for m in dropped if not m.startswith(_ROUTINE))
    if worth_saying:
        notes.append("removed " + ", ".join(worth_saying))
    return kept


#: Output types honest work makes every day (charts, widgets, LaTeX), dropped without a note.
_ROUTINE = ("application/vnd.vegalite", "application/vnd.vega.", "text/latex",
            "application/vnd.jupyter.widget-view", "application/json", "application/pdf")


_SAFE_CELL_FLAGS = ("collapsed", "scrolled", "editable", "deletable")


def _safe_token(value) -> bool:
    return (isinstance(value, str) and 0 < len(value) <= 100
            and all(ch.isascii() and (ch.isalnum() or ch in "-_.") for ch in value))


def _clean_cell_metadata(metadata) -> dict:
    metadata = metadata if isinstance(metadata, dict) else {}
    kept = {}
    grader = metadata.get("nbgrader")
    if isinstance(grader, dict):
        # nbgrader's own record (restored from the gradebook for graded cells): plain values only
        kept["nbgrader"] = {k: v for k, v in grader.items()
                            if _safe_token(k) and (type(v) in (bool, int, float)
                                                   or v is None or _safe_token(v))}
    tags = metadata.get("tags")
    if isinstance(tags, list):  # nbconvert writes tags into class attributes
        kept["tags"] = [t for t in tags if _safe_token(t)]
    for flag in _SAFE_CELL_FLAGS:
        if type(metadata.get(flag)) is bool:
            kept[flag] = metadata[flag]
    return kept


def _clean_attachments(attachments, notes: list) -> dict:
    kept = {}
    for name, bundle in (attachments or {}).items():
        if not _safe_token(name) or not isinstance(bundle, dict):
            notes.append("removed an attachment with an unsafe name")
            continue
        images = {m: v for m, v in bundle.items() if m in RASTER and _valid_base64(v)}
        if images:
            kept[name] = images
        else:
            notes.append(f"removed attachment {name} (not a raster image)")
    return kept


def _clean_notebook_metadata(metadata) -> dict:
    metadata = metadata if isinstance(metadata, dict) else {}
    kept = {}
    spec = metadata.get("kernelspec")
    if isinstance(spec, dict):
        kept["kernelspec"] = {k: spec[k] for k in ("name", "language", "display_name")
                              if isinstance(spec.get(k), str) and _plain(spec[k])}
    info = metadata.get("language_info")
    if isinstance(info, dict):
        kept["language_info"] = {k: info[k] for k in ("name", "version", "file_extension",
                                                      "mimetype", "pygments_lexer",
                                                      "nbconvert_exporter")
                                 if isinstance(info.get(k), str) and _plain(info[k])}
    return kept


def _plain(text: str) -> bool:
    """Short text with no character that could open markup or an attribute."""
    return len(text) <= 100 and not any(ch in text for ch in "<>&\"'`=") and text.isprintable()


def sanitise_notebook(nb) -> list[str]:
    """Remove from a notebook, in place, everything that could run script when it is shown.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A version-4 notebook, typically an autograded submission.

    Returns
    -------
    list of str
        Plain-language notes on what was removed (empty when nothing was).
    """
    from nbformat import from_dict
    from nbformat.v4 import new_markdown_cell

    notes: list[str] = []
    nb.metadata = from_dict(_clean_notebook_metadata(nb.get("metadata")))
    cells = []
    for index, cell in enumerate(nb.get("cells") or []):
        kind = cell.get("cell_type")
        local: list[str] = []
        if kind not in ("code", "markdown", "raw"):
            cell = new_markdown_cell(NOTE.format(what=f"a cell of unknown type {kind!r}"))
            local.append("unknown cell type")
        cell.metadata = from_dict(_clean_cell_metadata(cell.get("metadata")))
        source = _text(cell.get("source", ""))
        if kind == "markdown":
            cell.source, changed = clean_markdown(source)
            if changed:
                local.append("markup in a markdown cell")
        elif kind == "raw":  # nbconvert copies raw cells into its HTML as they are
            cleaned = clean_html(source)
            if cleaned != source:
                local.append("markup in a raw cell")
            cell.source = cleaned
        elif kind == "code":
            cell.source = source
            cell.outputs = from_dict(_clean_outputs(cell.get("outputs"), local))
            if type(cell.get("execution_count")) is not int:
                cell.execution_count = None
        if kind in ("markdown", "raw") and "attachments" in cell:
            cell.attachments = from_dict(_clean_attachments(cell.get("attachments"), local))
        for key in [k for k in cell if k not in ("id", "cell_type", "metadata", "source",
                                                 "outputs", "execution_count", "attachments")]:
            del cell[key]
        if "id" in cell and not _safe_token(cell["id"]):
            cell["id"] = f"cell-{index}"
        name = grade_id(cell) or f"cell {index + 1}"
        notes += [f"{name}: {note}" for note in local]
        cells.append(cell)
    nb.cells = cells
    return notes


def _plain_record(grade: dict) -> dict:
    """nbgrader's cell record, only its known keys with values of their own types."""
    kinds = {"grade": bool, "solution": bool, "locked": bool, "task": bool,
             "points": (int, float), "schema_version": int}
    out = {k: v for k, v in grade.items() if k in kinds and type(v) in (
        kinds[k] if isinstance(kinds[k], tuple) else (kinds[k],))}
    if isinstance(grade.get("grade_id"), str) and _safe_token(grade["grade_id"]):
        out["grade_id"] = grade["grade_id"]
    return out


def _write_plain(path: Path) -> None:
    """Rewrite a notebook the sanitiser could not handle as plain text only.

    Every markdown and raw cell becomes a fenced code block (so no markup, link or image in it is
    rendered), code cells keep their source and lose their outputs, and attachments and metadata
    other than nbgrader's record are dropped. The score is not touched: the instructor still
    reads every answer, as text.
    """
    import json

    import nbformat

    raw = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for cell in raw.get("cells", []) if isinstance(raw, dict) else []:
        source = cell.get("source", "") if isinstance(cell, dict) else ""
        source = "".join(source) if isinstance(source, list) else str(source)
        grade = (cell.get("metadata") or {}).get("nbgrader") if isinstance(cell, dict) else None
        meta = {"nbgrader": _plain_record(grade)} if isinstance(grade, dict) else {}
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            cells.append(nbformat.v4.new_code_cell(source, metadata=meta))
        else:
            fenced = "~~~~text\n" + source.replace("~~~", "~ ~ ~") + "\n~~~~"
            cells.append(nbformat.v4.new_markdown_cell(fenced, metadata=meta))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                  "language": "python"}}
    _write_keeping_mode(nb, path)


def sanitise_file(path) -> list[str]:
    """Sanitise one notebook file in place (see :func:`sanitise_notebook`).

    Parameters
    ----------
    path : str or Path
        The ``.ipynb`` file.

    Returns
    -------
    list of str
        Notes on what was removed. A file that is not a readable notebook is left alone (no
        grading view can render it) and reported.
    """
    import nbformat

    path = Path(path)
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as exc:  # unreadable: Formgrader and JupyterLab cannot render it either
        return [f"{path.name}: not a readable notebook ({type(exc).__name__}), left as it is"]
    notes = sanitise_notebook(nb)
    _write_keeping_mode(nb, path)
    return [f"{path.name}: {note}" for note in notes]


def _write_keeping_mode(nb, path: Path) -> None:
    """Write ``nb`` over ``path``, which nbgrader may have left read-only, keeping its mode.

    As root the mode is no obstacle; a non-root instructor needs the owner's write bit for the
    moment of writing.
    """
    import nbformat

    mode = path.stat().st_mode
    if not os.access(path, os.W_OK):
        os.chmod(path, mode | stat.S_IWUSR)
    try:
        nbformat.write(nb, str(path))
    finally:
        os.chmod(path, stat.S_IMODE(mode))


def sanitise_autograded(coursedir, assignment: str, student: str) -> list[str]:
    """Sanitise every notebook of one student's autograded folder, in place.

    Files of types a browser would run (HTML, SVG, XML, JavaScript, PDF ...; see
    ``ACTIVE_SUFFIXES``) and symlinks, which nbgrader copies from the submission, are removed
    from the folder too; the student's originals stay in ``submitted/``.

    Parameters
    ----------
    coursedir : nbgrader.coursedir.CourseDirectory
        The course (``api.coursedir``), which knows where ``autograded/`` is.
    assignment : str
        The assignment's name, e.g. ``"ex01-theory"``.
    student : str
        The student id.

    Returns
    -------
    list of str
        One note when anything was removed, for the grading report; empty otherwise.
    """
    folder = Path(coursedir.format_path(coursedir.autograded_directory, student, assignment))
    notes: list[str] = []
    for path in sorted(folder.glob("*.ipynb")) if folder.is_dir() else []:
        if path.is_symlink() or not path.is_file():
            if path.is_symlink():  # nbgrader writes plain files; anything else is not ours to show
                path.unlink()
                notes.append(f"{path.name}: not a plain file, removed")
            continue
        try:
            notes += sanitise_file(path)
        except Exception as exc:  # never leave a copy that was not made safe
            try:  # keep what the student wrote, as text no browser can run
                _write_plain(path)
                notes.append(f"{path.name}: could not be sanitised ({type(exc).__name__}); "
                             "its cells are shown as plain text, without outputs")
            except Exception:
                path.unlink()
                notes.append(f"{path.name}: could not be sanitised ({type(exc).__name__}), "
                             "removed")
    notes += _remove_active_files(folder)
    found = []
    if notes:
        shown = "; ".join(notes[:4]) + ("; ..." if len(notes) > 4 else "")
        found.append(f"markup that could run script was removed from the autograded copy ({shown})")
    if not safe_student_id(student):
        found.append(f"the student id {student!r} holds characters that Formgrader's pages write "
                     "unescaped into their HTML and script: rename the student's folders (letters, "
                     "digits and . _ - @ + only) before opening Formgrader")
    return found


#: Files a browser runs or renders as a document with script (nbgrader copies every file of a
#: submission into autograded/, where a grader might open it from JupyterLab's file browser).
ACTIVE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".svg", ".svgz", ".xml", ".xsl", ".xslt",
                   ".js", ".mjs", ".pdf", ".swf")


def _remove_active_files(folder: Path) -> list[str]:
    """Remove symlinks and files with an active type from a student's autograded folder."""
    notes = []
    if not folder.is_dir():
        return notes
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or (path.is_file() and path.name.lower().endswith(ACTIVE_SUFFIXES)):
            path.unlink()
            notes.append(f"{path.relative_to(folder)}: a file a browser could run, removed")
    return notes


def safe_student_id(student: str) -> bool:
    """Whether nbgrader's own pages can show this student id safely.

    Formgrader writes the id unescaped into its HTML and into a JavaScript string, so it must hold
    only letters, digits and ``. _ - @ +``.

    Parameters
    ----------
    student : str
        The student id (the folder name under ``submitted/``).

    Returns
    -------
    bool

    Examples
    --------
    >>> safe_student_id("smithjane"), safe_student_id('x";alert(1)//')
    (True, False)
    """
    return (isinstance(student, str) and 0 < len(student) <= 100
            and all(ch.isascii() and (ch.isalnum() or ch in "._-@+") for ch in student))


class SanitiseNotebook(Preprocessor):
    """nbconvert preprocessor: :func:`sanitise_notebook` before a notebook becomes HTML.

    Listed last in ``GenerateFeedback.preprocessors`` (and in Formgrader's exporter) in
    ``nbgrader_config.py``, so that plain ``nbgrader generate_feedback`` is safe even for a
    notebook that ``alliancekit-grade`` did not write.
    """

    enabled = Bool(True, help="on by default (nbconvert's preprocessors are off)").tag(config=True)

    def preprocess(self, nb, resources):
        notes = sanitise_notebook(nb)
        resources.setdefault("alliancekit", {})["sanitised"] = notes
        return nb, resources

