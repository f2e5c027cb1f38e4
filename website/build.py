"""Build the course as an offline static website: ``python3 tasks.py site`` -> ``_build/site/``.

Tool: Sphinx with MyST-NB (the engine of Jupyter Book 1, as QuantEcon uses), driven directly.
It builds with no network at all, its search box works from a local index, and every asset it
uses is a file we can copy into the site. Jupyter Book 2 / mystmd download their site template
and run ``npm ci`` at build time, so they cannot build here offline; Quarto cannot be installed.

The build has three steps, one function each:

1. `stage` copies what the site shows into ``_build/site-src/``, keeping the repository's layout
   so that links between notebooks resolve: every lesson ``course/NN-*.ipynb``, every other page
   in ``course/`` (``*.md`` and ``*.ipynb``: references, glossary, timeline...), and the
   *student* version of every exercise set (``exercises/*/*.ipynb``, never ``solutions/``),
   plus a generated home page, the Sphinx configuration and the static files.
2. `execute_lessons` runs the lessons and the notebook pages with nbclient (two at a time), and
   `clean_lesson` turns the outputs into static ones: charts keep the offline SVG the course
   renderer makes (Vega-Lite outputs are dropped), widget views and widget state are dropped,
   and the static snapshot every explorer prints stays, followed by a note on how to run the
   explorer live (locally, or on Binder). Exercise sets are not executed: the site shows their
   questions without answers.
3. `sphinx_build` renders HTML with MathJax from a local copy (npm ``mathjax@3``, see tasks.py),
   no widget JavaScript at all (``nb_ipywidgets_js = {}``) and a theme whose fonts and icons
   ship inside the theme package.

Every page is then checked for references to resources outside the site (``src``/``href`` of
scripts, styles, images, fonts): `external_resources` finds them, and the build fails if any.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BUILD = ROOT / "_build"
#: Where ``tasks.py`` installs the site's npm packages (``npm install --prefix``).
NPM_PREFIX = BUILD / "npm"
MATHJAX_VERSION = "3.2.2"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
VEGALITE = re.compile(r"application/vnd\.vegalite\.v\d+\+json")
SNAPSHOT_STYLE = re.compile(r"<style>[^<]*\.ak-snapshot[^<]*</style>|<script>.*?</script>",
                            re.S)
BINDER = re.compile(r"https://mybinder\.org/v2/gh/[^)\s?]+")
LESSON = re.compile(r"\d\d-.+")
#: Authoring aids in course/ that are not pages for learners (the lesson template).
NOT_PAGES = re.compile(r"TEMPLATE.*")


# --------------------------------------------------------------------------------------------
# 1. what the site shows
# --------------------------------------------------------------------------------------------
def site_pages(root: Path = ROOT) -> dict[str, list[Path]]:
    """The source files the site shows, by kind, found by glob (new pages are picked up).

    Parameters
    ----------
    root : Path
        The repository root.

    Returns
    -------
    dict
        ``lessons`` (``course/NN-*.ipynb``), ``pages`` (the other ``course/*.md`` and
        ``course/*.ipynb``, e.g. references, glossary, timeline; not the lesson template) and
        ``exercises`` (student versions, ``exercises/*/*.ipynb``), each sorted by path.
    """
    course = root / "course"
    notebooks = sorted(course.glob("*.ipynb"))
    lessons = [p for p in notebooks if LESSON.fullmatch(p.stem)]
    pages = sorted(p for p in [*notebooks, *course.glob("*.md")]
                   if p not in lessons and not NOT_PAGES.fullmatch(p.stem))
    exercises = sorted(p for p in (root / "exercises").glob("*/*.ipynb")
                       if ".ipynb_checkpoints" not in p.parts)
    return {"lessons": lessons, "pages": pages, "exercises": exercises}


def _title(path: Path) -> str:
    """A page's first heading (markdown file or notebook), else its file name."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    match = re.search(r"^#\s+(.+)$", text, flags=re.M)
    return match.group(1).strip() if match else path.stem


def binder_link(root: Path = ROOT) -> str | None:
    """The repository's Binder launch URL without ``urlpath`` (from README.md), or None."""
    readme = root / "README.md"
    match = BINDER.search(readme.read_text(encoding="utf-8")) if readme.exists() else None
    return match.group(0) if match else None


def home_page(pages: dict[str, list[Path]], root: Path = ROOT) -> str:
    """The site's home page (MyST markdown): what the site is, how to run it, and its contents."""
    binder = binder_link(root)
    live = ("Every lesson's explorers are shown here as static snapshots. To move their "
            "controls, run the course live: clone the repository and run "
            "`python3 tasks.py course`, which opens it in JupyterLab on your own machine")
    live += (f", or [launch the course on Binder]({binder}?urlpath=lab/tree/course/"
             "00-welcome.ipynb) in your browser." if binder else ".")
    lines = [
        "# The Illusion of Permanent Allies: a course on alliance politics", "",
        "A course in short lessons on why alliances form, last and end, following Owusu & "
        "Bruce-Ghartey (2026). Each lesson mixes reading, sourced case data and small models; "
        "every chart comes with a description in words and the table of its data.", "",
        live, "",
        "This website works offline: it loads nothing from outside its own folder. Use the "
        "search box to find a term in any lesson.", "",
    ]

    def toc(caption: str, paths: list[Path]) -> None:
        if not paths:
            return
        entries = [p.relative_to(root).with_suffix("").as_posix() for p in paths]
        lines.extend(["```{toctree}", ":maxdepth: 1", f":caption: {caption}", "",
                      *entries, "```", ""])

    toc("Lessons", pages["lessons"])
    toc("Reference pages", pages["pages"])
    toc("Exercises (questions only)", pages["exercises"])
    return "\n".join(lines)


def stage(destination: Path, root: Path = ROOT) -> dict[str, list[Path]]:
    """Copy the site's sources into ``destination`` (emptied first); returns `site_pages`.

    Parameters
    ----------
    destination : Path
        The staging folder, e.g. ``_build/site-src``; anything in it is removed.
    root : Path
        The repository root.

    Returns
    -------
    dict
        The same keys as `site_pages`, with paths inside ``destination``.
    """
    if destination.exists():
        shutil.rmtree(destination)
    destination.mkdir(parents=True)
    pages = site_pages(root)
    staged: dict[str, list[Path]] = {}
    for kind, paths in pages.items():
        staged[kind] = []
        for path in paths:
            target = destination / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            staged[kind].append(target)
    (destination / "index.md").write_text(home_page(pages, root), encoding="utf-8")
    shutil.copy2(HERE / "conf.py", destination / "conf.py")
    shutil.copytree(HERE / "_static", destination / "_static")
    for notebook in staged["exercises"]:
        strip_exercise(notebook)
    for notebook in staged["lessons"] + staged["pages"]:
        point_work_links_at_exercises(notebook)
        if notebook.suffix == ".md":
            anchors_as_myst_targets(notebook)
    return staged


#: A raw HTML anchor alone on its line, as the glossary writes one above each entry.
HTML_ANCHOR = re.compile(r'^<a id="([\w-]+)"></a>[ \t]*$', re.M)


def anchors_as_myst_targets(path: Path) -> None:
    """Raw ``<a id="term"></a>`` lines of a Markdown page become MyST targets, ``(term)=``.

    JupyterLab follows ``glossary.md#term`` to the raw anchor, but Sphinx does not see raw HTML,
    so every such link made a ``myst.xref_missing`` warning; a MyST target above the entry's
    heading is an anchor Sphinx resolves (the page in ``course/`` keeps its raw anchors).
    """
    text = path.read_text(encoding="utf-8")
    changed = HTML_ANCHOR.sub(r"(\1)=", text)
    if changed != text:
        path.write_text(changed, encoding="utf-8")


def point_work_links_at_exercises(path: Path) -> None:
    """Links to a learner's copy (``../my-work/exNN/...``) lead to the exercise page instead.

    ``my-work/`` exists only on a learner's machine; the website shows the questions of the same
    set from ``exercises/``.
    """
    text = path.read_text(encoding="utf-8")
    changed = re.sub(r"\]\(\.\./my-work/", "](../exercises/", text)
    if changed != text:
        path.write_text(changed, encoding="utf-8")


def strip_exercise(path: Path) -> None:
    """An exercise set as the site shows it: its cells, no outputs, no execution counts."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    notebook.setdefault("metadata", {})["mystnb"] = {"execution_mode": "off"}
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")


# --------------------------------------------------------------------------------------------
# 2. executed lessons, with static outputs
# --------------------------------------------------------------------------------------------
def _poll_kernel_in_slices() -> None:
    """Make jupyter_client wait for kernel messages in 0.25 s slices, up to the same deadline.

    Widget notebooks can otherwise stall under nbclient until a cell's whole timeout has run out
    (jupyter/nbclient#312; seen here as a 5-minute wait on the erosion lesson). Polling in short
    slices removed the stall in the course's tests; the deadline and the error on time-out stay.
    """
    import asyncio
    from queue import Empty

    from jupyter_client.channels import AsyncZMQSocketChannel

    original = AsyncZMQSocketChannel.get_msg
    if getattr(original, "_sliced", False):
        return

    async def get_msg(self, timeout=None):
        if timeout is None:
            return await original(self, timeout=None)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Empty
            try:
                return await original(self, timeout=min(0.25, left))
            except Empty:
                await asyncio.sleep(0)

    get_msg._sliced = True
    AsyncZMQSocketChannel.get_msg = get_msg


def execute_notebook(path: Path, timeout: int = 240) -> float:
    """Run a notebook in place with nbclient (working directory: its folder); returns seconds.

    Raises
    ------
    RuntimeError
        If a cell fails, naming the notebook and the error.
    """
    import nbclient
    import nbformat

    _poll_kernel_in_slices()
    start = time.monotonic()
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as error:
        raise RuntimeError(f"{path.name} failed while building the site:\n{error}") from None
    nbformat.write(notebook, path)
    return time.monotonic() - start


def execute_lessons(paths: list[Path], workers: int = 2) -> dict[str, float]:
    """Execute lessons in place, ``workers`` at a time; returns seconds per lesson name."""
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        seconds = list(pool.map(execute_notebook, paths))
    return {p.name: s for p, s in zip(paths, seconds, strict=True)}


def live_note(lesson: Path, binder: str | None) -> str:
    """The markdown note shown under an explorer's static snapshot."""
    relative = f"course/{lesson.name}"
    text = ("**This explorer is a static snapshot.** To move its controls and watch the chart "
            f"follow, run the lesson live: locally with `python3 tasks.py course` (it opens "
            f"JupyterLab; then open `{relative}` and run all cells)")
    if binder:
        text += (f", or [open this lesson live on Binder]({binder}?urlpath=lab/tree/"
                 f"{relative})")
    return text + "."


def clean_lesson(path: Path, binder: str | None) -> int:
    """Turn an executed lesson's outputs into static ones, in place; returns explorers found.

    Drops widget views, widget state and Vega-Lite outputs (the SVG of the same chart stays),
    removes the snapshot's hide-in-JupyterLab style, and adds `live_note` after every cell that
    printed an explorer snapshot.
    """
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook.get("metadata", {}).get("widgets", {}).pop(WIDGET_STATE, None)
    if not notebook.get("metadata", {}).get("widgets"):
        notebook.get("metadata", {}).pop("widgets", None)
    cells, explorers = [], 0
    for cell in notebook["cells"]:
        cells.append(cell)
        if cell["cell_type"] != "code":
            continue
        kept, snapshot = [], False
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data is not None:
                data = {k: v for k, v in data.items()
                        if k != WIDGET_VIEW and not VEGALITE.fullmatch(k)}
                if not data or set(data) == {"text/plain"} and WIDGET_VIEW in output["data"]:
                    continue
                html_text = data.get("text/html")
                if html_text is not None:
                    text = "".join(html_text) if isinstance(html_text, list) else html_text
                    if "ak-snapshot" in text:
                        snapshot = True
                        text = SNAPSHOT_STYLE.sub("", text)
                    if 'class="dataframe' in text:
                        # pandas leaves the index column's header empty: name it for screen
                        # readers (visually-hidden is the theme's Bootstrap class).
                        text = re.sub(r"<th>\s*</th>",
                                      '<th><span class="visually-hidden">row</span></th>', text)
                    data["text/html"] = text
                output["data"] = data
                output.get("metadata", {}).pop(WIDGET_VIEW, None)
            kept.append(output)
        cell["outputs"] = kept
        if snapshot:
            explorers += 1
            cells.append({"cell_type": "markdown", "metadata": {},
                          "source": live_note(path, binder)})
    notebook["cells"] = cells
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    return explorers


# --------------------------------------------------------------------------------------------
# 3. HTML
# --------------------------------------------------------------------------------------------
def mathjax_dir(prefix: Path = NPM_PREFIX) -> Path:
    """MathJax's ``es5`` folder from the local npm install, or a clear error."""
    folder = prefix / "node_modules" / "mathjax" / "es5"
    if not (folder / "tex-chtml.js").is_file():
        raise FileNotFoundError(
            f"MathJax is not installed in {prefix}: run `python3 tasks.py site` (it runs "
            f"`npm install --prefix {prefix} mathjax@{MATHJAX_VERSION}`), so that the site can "
            "show formulas without loading MathJax from a CDN")
    return folder


def sphinx_build(source: Path, out: Path, mathjax: Path) -> None:
    """Run sphinx-build (HTML) from ``source`` into ``out``, MathJax copied into ``_static``."""
    # The CHTML build with its fonts, input extensions, menu and speech; not the other builds.
    unused = shutil.ignore_patterns("*-full*.js", "tex-svg*.js", "mml-*.js", "tex-mml-*.js",
                                    "node-main.js", "svg")
    shutil.copytree(mathjax, source / "_static" / "mathjax", ignore=unused, dirs_exist_ok=True)
    if out.exists():
        shutil.rmtree(out)
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-j", "1",
               "-d", str(source.parent / "site-doctrees"), str(source), str(out)]
    result = subprocess.run(command, cwd=source, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"sphinx-build failed:\n{result.stdout[-4000:]}{result.stderr[-4000:]}")
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line]
    if warnings:  # reported, not fatal: the tests check the pages themselves
        print(f"sphinx: {len(warnings)} warnings, the first: {warnings[0]}")


_RESOURCE = re.compile(
    r"<(script|link|img|source|iframe|embed|object|audio|video)\b[^>]*?\b(src|href|data)\s*=\s*"
    r"[\"']([^\"']+)[\"']", re.I)
_CSS_URL = re.compile(r"url\(\s*[\"']?([^)\"']+)[\"']?\s*\)|@import\s+[\"']([^\"']+)[\"']", re.I)


def _is_external(url: str) -> bool:
    return bool(re.match(r"(?i)(https?:)?//", url.strip()))


def external_resources(site: Path) -> dict[str, list[str]]:
    """Resources a page or stylesheet loads from outside the site, by file (relative path).

    Looks at ``src``/``href``/``data`` of scripts, stylesheets and other ``<link>``, images,
    frames and media in every ``*.html``, and ``url(...)``/``@import`` in every ``*.css``. Links
    (``<a href>``) to cited sources are not resources and are not reported.
    """
    found: dict[str, list[str]] = {}
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        for tag, _attr, url in _RESOURCE.findall(text):
            if tag.lower() == "link":
                continue  # judged below with its rel
            if _is_external(url):
                found.setdefault(page.relative_to(site).as_posix(), []).append(url)
        for link in re.findall(r"<link\b[^>]*>", text, flags=re.I):
            href = re.search(r"\bhref\s*=\s*[\"']([^\"']+)[\"']", link, flags=re.I)
            if href and _is_external(href.group(1)) and not re.search(
                    r"rel\s*=\s*[\"'](canonical|author|license)[\"']", link, flags=re.I):
                found.setdefault(page.relative_to(site).as_posix(), []).append(href.group(1))
    for sheet in sorted(site.rglob("*.css")):
        text = sheet.read_text(encoding="utf-8", errors="replace")
        for url, imported in _CSS_URL.findall(text):
            target = url or imported
            if _is_external(target):
                found.setdefault(sheet.relative_to(site).as_posix(), []).append(target)
    return found


def build(out: Path = BUILD / "site", *, workers: int = 2, mathjax: Path | None = None,
          root: Path = ROOT) -> dict:
    """Stage, execute, clean and render the site; returns figures about the build.

    Parameters
    ----------
    out : Path
        The site folder to (re)create.
    workers : int
        Lessons executed at once (the course machine has 2 cores).
    mathjax : Path, optional
        MathJax's ``es5`` folder; default the npm install under ``_build/npm``.
    root : Path
        The repository to build from.

    Returns
    -------
    dict
        ``seconds`` (total), ``execute_seconds`` by lesson, ``explorers`` by lesson, ``pages``
        (HTML pages written).
    """
    start = time.monotonic()
    mathjax = mathjax or mathjax_dir()
    source = out.parent / f"{out.name}-src"
    staged = stage(source, root)
    notebooks = staged["lessons"] + [p for p in staged["pages"] if p.suffix == ".ipynb"]
    executed = execute_lessons(notebooks, workers)
    binder = binder_link(root)
    explorers = {p.name: clean_lesson(p, binder) for p in notebooks}
    sphinx_build(source, out, mathjax)
    outside = external_resources(out)
    if outside:
        raise RuntimeError(f"pages load resources from outside the site: {outside}")
    pages = len(list(out.rglob("*.html")))
    return {"seconds": time.monotonic() - start, "execute_seconds": executed,
            "explorers": explorers, "pages": pages}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=BUILD / "site", help="site folder")
    parser.add_argument("--mathjax", type=Path, default=None,
                        help="MathJax's es5 folder (default: the npm install in _build/npm)")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1),
                        help="lessons executed at once")
    args = parser.parse_args(argv)
    figures = build(args.out.resolve(), workers=args.workers, mathjax=args.mathjax)
    slowest = max(figures["execute_seconds"].items(), key=lambda kv: kv[1], default=("-", 0))
    print(f"site built in {figures['seconds']:.0f} s: {figures['pages']} pages in {args.out} "
          f"(slowest lesson {slowest[0]}, {slowest[1]:.0f} s); open {args.out / 'index.html'}")


if __name__ == "__main__":
    main()
