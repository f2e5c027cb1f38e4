"""The course website (``python3 tasks.py site``): built from a clean clone, offline, accessible.

One build per test session of this module: the repository is cloned (committed files only) into a
fresh directory and ``website/build.py`` builds it there, with the clone's own ``alliancekit`` on
the kernels' path. The site is then served from 127.0.0.1 and every page is opened once in
Debian's Chromium: requests that leave the site folder are aborted and recorded, console errors
recorded, and axe-core (a local copy) audits the page. The tests below read those records.
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import a11y_support as a11y  # noqa: E402
import browser_support as bs  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
MATHJAX = ROOT / "_build" / "npm" / "node_modules" / "mathjax" / "es5"

pytestmark = [pytest.mark.notebooks]


def _need(reason: str | None) -> None:
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but the site tests cannot run: {reason}")
        pytest.skip(reason)


def _build_module():
    sys.path.insert(0, str(ROOT / "website"))
    import build

    return build


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(clone, site folder, seconds) of a site built from a fresh clone of this repository."""
    _need(None if (MATHJAX / "tex-chtml.js").is_file() else
          f"MathJax is missing in {MATHJAX.parents[2]}: run `python3 tasks.py test` or "
          "`python3 tasks.py site`, which install it from npm")
    _need(None if (ROOT / ".git").exists() else "not a git checkout: cannot clone it")
    work = tmp_path_factory.mktemp("site")
    clone = work / "clone"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)],
                   check=True, capture_output=True, timeout=120)
    site = work / "site"
    env = dict(os.environ, PYTHONPATH=str(clone))  # the clone's library, not the worktree's
    start = time.monotonic()
    result = subprocess.run([sys.executable, "website/build.py", "--out", str(site),
                             "--mathjax", str(MATHJAX)],
                            cwd=clone, env=env, capture_output=True, text=True, timeout=900)
    seconds = time.monotonic() - start
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    print(f"\nsite built from a fresh clone in {seconds:.0f} s: {result.stdout.strip()}")
    return clone, site, seconds


@pytest.fixture(scope="module")
def pages(built) -> list[Path]:
    _clone, site, _ = built
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)


def _lessons(clone: Path) -> list[Path]:
    return sorted((clone / "course").glob("[0-9][0-9]-*.ipynb"))


# --------------------------------------------------------------------------------------------
# the pages and their charts


def _svg_outputs(notebook: Path) -> tuple[int, int]:
    """(SVG image outputs, inline SVGs in HTML outputs) of an executed, cleaned lesson."""
    images = inline = 0
    for cell in json.loads(notebook.read_text())["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/svg+xml" in data:
                images += 1
            elif "text/html" in data:
                inline += "".join(data["text/html"]).count("<svg")
    return images, inline


def test_every_lesson_has_a_page_with_its_charts_svg(built):
    clone, site, _ = built
    lessons = _lessons(clone)
    assert lessons, "no lessons found in course/"
    for lesson in lessons:
        page = site / "course" / f"{lesson.stem}.html"
        assert page.is_file(), f"no page for {lesson.name}"
        text = page.read_text()
        images, inline = _svg_outputs(site.parent / f"{site.name}-src" / "course" / lesson.name)
        assert images + inline >= 1, f"{lesson.name} shows no chart"
        shown = re.findall(r'<img\b[^>]*src="([^"]+\.svg)"[^>]*>', text)
        assert len(shown) == images, f"{lesson.name}: {len(shown)} chart images, {images} charts"
        for src in shown:
            svg = (page.parent / src).resolve()
            assert svg.is_file() and svg.is_relative_to(site), f"{lesson.name}: {src} missing"
            assert "<title>" in svg.read_text()[:5000], f"{src} has no <title>"
        assert text.count("<svg") >= inline, f"{lesson.name}: an explorer snapshot lost its SVG"


def test_every_chart_image_has_alt_text_from_its_svg(pages):
    for page in pages:
        for tag in re.findall(r'<img\b[^>]*\.svg"[^>]*>', page.read_text()):
            alt = re.search(r'alt="([^"]*)"', tag)
            assert alt and len(alt.group(1)) > 20, f"{page.name}: chart without alt text: {tag}"


def test_inline_chart_svgs_are_named(pages):
    for page in pages:
        for root in re.findall(r"<svg\b[^>]*>(?:<title>)?", page.read_text()):
            if 'class="marks"' in root:  # a chart (icons are not charts)
                assert 'role="img"' in root and root.endswith("<title>"), (
                    f"{page.name}: an inline chart has no role=img and <title>: {root[:200]}")


def test_explorers_are_snapshots_with_a_way_to_run_them_live(built):
    clone, site, _ = built
    for lesson in _lessons(clone):
        source = "".join("".join(c["source"]) for c in json.loads(lesson.read_text())["cells"])
        if not re.search(r"\w+_explorer\(", source):
            continue
        text = (site / "course" / f"{lesson.stem}.html").read_text()
        assert "ak-snapshot" in text, f"{lesson.name}: no explorer snapshot on its page"
        words = " ".join(re.sub(r"<[^>]+>", " ", text).split())
        assert "This explorer is a static snapshot" in words
        assert "python3 tasks.py course" in words
        assert "widget-view+json" not in text and "require.js" not in text


def test_reference_pages_glossary_and_search_are_in_the_site(built):
    clone, site, _ = built
    others = [p for p in (clone / "course").glob("*") if p.suffix in (".md", ".ipynb")
              and not re.fullmatch(r"\d\d-.+|TEMPLATE.*", p.stem)]
    assert any(p.name == "REFERENCES.md" for p in others)
    if (clone / "course" / "glossary.md").exists():
        assert "glossary" in (site / "index.html").read_text()
    for page in others:
        assert (site / "course" / f"{page.stem}.html").is_file(), f"no page for {page.name}"
    assert (site / "search.html").is_file() and (site / "searchindex.js").is_file()
    home = (site / "index.html").read_text()
    assert 'type="search"' in home and 'action="search.html"' in home


def test_exercises_are_questions_without_solutions(built):
    clone, site, _ = built
    student = sorted((clone / "exercises").glob("*/*.ipynb"))
    assert student
    for notebook in student:
        page = site / "exercises" / notebook.parent.name / f"{notebook.stem}.html"
        assert page.is_file(), f"no page for {notebook.name}"
        text = page.read_text()
        assert "YOUR CODE HERE" in text or "YOUR ANSWER HERE" in text
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
        solution = clone / "solutions" / notebook.parent.name / notebook.name
        for line in _solution_lines(solution):
            assert line not in text, f"{page.name} shows the solution line {line!r}"


def _solution_lines(path: Path) -> list[str]:
    """Distinctive lines between BEGIN/END SOLUTION markers of a solution notebook."""
    import html

    lines = []
    for cell in json.loads(path.read_text())["cells"]:
        inside = False
        for line in "".join(cell["source"]).splitlines():
            if "BEGIN SOLUTION" in line:
                inside = True
            elif "END SOLUTION" in line:
                inside = False
            elif inside and len(line.strip()) > 25:
                lines.append(html.escape(line.strip(), quote=False))
    return lines


def test_no_page_loads_a_resource_from_outside_the_site(built):
    _clone, site, _ = built
    build = _build_module()
    assert build.external_resources(site) == {}


def test_every_link_inside_the_site_leads_to_a_file_of_the_site(pages, built):
    _clone, site, _ = built
    broken = []
    for page in pages:
        for href in re.findall(r'<a\b[^>]*\bhref="([^"]+)"', page.read_text()):
            if re.match(r"(?i)([a-z]+:|#|//)", href):
                continue  # cited sources, in-page anchors, mailto
            target = (page.parent / href.split("#")[0].split("?")[0]).resolve()
            if not target.is_file() or not target.is_relative_to(site):
                broken.append(f"{page.relative_to(site)} -> {href}")
    assert broken == []


def test_the_external_resource_check_catches_a_cdn(tmp_path):
    build = _build_module()
    (tmp_path / "a.html").write_text(
        '<link rel="stylesheet" href="https://cdn.example/x.css">'
        '<script src="//cdn.example/x.js"></script><a href="https://doi.org/1">cited</a>'
        '<img src="_images/local.svg">')
    (tmp_path / "b.css").write_text("@font-face{src:url(https://fonts.example/f.woff2)}")
    assert build.external_resources(tmp_path) == {
        "a.html": ["//cdn.example/x.js", "https://cdn.example/x.css"],
        "b.css": ["https://fonts.example/f.woff2"]}


# --------------------------------------------------------------------------------------------
# every page in Chromium: offline, no console error, axe


@pytest.fixture(scope="module")
def visits(pages, built):
    """Open every page once; per page: requests outside the site, console errors, axe result."""
    _need(bs.chromium_missing_reason())
    from playwright.sync_api import sync_playwright

    _clone, site, _ = built
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    records = {}
    try:
        with sync_playwright() as playwright:
            browser = bs.launch_chromium(playwright)
            context = browser.new_context(viewport={"width": 1280, "height": 900},
                                          service_workers="block")
            outside: list[str] = []

            def route(r):
                if r.request.url.startswith(base) or r.request.url.startswith(("data:", "blob:")):
                    r.continue_()
                else:
                    outside.append(r.request.url)
                    r.abort("internetdisconnected")

            context.route("**/*", route)
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(str(e)))
            for path in pages:
                relative = path.relative_to(site).as_posix()
                outside.clear()
                errors.clear()
                page.goto(base + relative, wait_until="load")
                page.evaluate(_SETTLED)
                records[relative] = {"outside": list(outside), "errors": list(errors),
                                     "axe": a11y.run_axe(page)}
            search = _search(page, base)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return records, search


# Wait for MathJax (if the page loads it) to typeset, then for two animation frames.
_SETTLED = """async () => {
  for (let i = 0; i < 100 && window.MathJax && !(MathJax.startup && MathJax.startup.promise); i++)
    await new Promise(r => setTimeout(r, 50));
  if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
}"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output readable
        pass


def _search(page, base: str) -> int:
    """Results the site's search box finds for a word every lesson uses."""
    page.goto(base + "index.html")
    page.keyboard.press("Control+k")  # the theme's search dialog, as a keyboard user opens it
    box = page.locator("#pst-search-dialog input[name='q']")
    box.fill("alliance")
    box.press("Enter")
    page.wait_for_url("**/search.html?q=alliance*")
    page.wait_for_selector("#search-results ul li", timeout=30_000)
    return page.locator("#search-results ul li").count()


@pytest.mark.browser
def test_every_page_opens_with_no_request_leaving_the_site(visits, pages):
    records, _ = visits
    assert len(records) == len(pages)
    leaving = {page: r["outside"] for page, r in records.items() if r["outside"]}
    assert leaving == {}


@pytest.mark.browser
def test_every_page_opens_with_no_console_error(visits):
    records, _ = visits
    errors = {page: r["errors"] for page, r in records.items() if r["errors"]}
    assert errors == {}


@pytest.mark.browser
def test_the_search_box_finds_lessons_offline(visits):
    _, results = visits
    assert results >= 5, f"searching for 'alliance' found {results} pages"


@pytest.mark.browser
def test_axe_finds_no_serious_or_new_violation_on_any_page(visits):
    records, _ = visits
    allowed = a11y.baseline()["site"]
    totals = dict.fromkeys(a11y.IMPACTS, 0)
    problems = []
    for page, record in records.items():
        for impact, count in a11y.by_impact(record["axe"]).items():
            totals[impact] += count
        problems += [f"{page}: {p}" for p in a11y.new_violations(record["axe"], allowed)]
    print(f"\naxe over {len(records)} site pages, failing nodes by impact: {totals}")
    for page, record in records.items():
        for v in record["axe"]:
            print(f"  {page}: {v['impact']} {v['id']} x{len(v['nodes'])}: {v['nodes'][:3]}")
    assert problems == [], "\n".join(problems)


def test_accessibility_md_lists_every_recorded_rule_and_upstream_issue():
    text = (ROOT / "ACCESSIBILITY.md").read_text()
    known = a11y.baseline()
    for part in ("site", "notebook_content", "notebook_content_unfixed", "jupyterlab"):
        for rule in known[part]:
            assert f"`{rule}`" in text, f"ACCESSIBILITY.md does not mention {rule} ({part})"
    for rule, issue in known["jupyterlab"].items():
        assert issue in text, f"ACCESSIBILITY.md does not cite {issue} for {rule}"
