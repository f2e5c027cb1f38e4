"""Every lesson follows the course's lesson template (course/TEMPLATE.md), and its links resolve.

These tests read the committed notebooks only (no kernel), so they are fast. They cover every
lesson ``course/NN-*.ipynb``, including lessons added later.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "course"
LESSONS = sorted(COURSE.glob("[0-9][0-9]-*.ipynb"))
PAGES = [COURSE / "timeline.ipynb", COURSE / "maps.ipynb", COURSE / "data-literacy.ipynb"]
GLOSSARY = COURSE / "glossary.md"
IDS = [p.stem for p in LESSONS]

CRITICAL = "Reading the article critically"
#: The template's own level-two headings (anything else is one of the lesson's sections).
TEMPLATE_HEADINGS = ("Overview", CRITICAL, "Exercises", "Your graded exercise", "Seminar prompts",
                     "Further reading", "References")


def _cells(path: Path):
    return nbformat.read(path, as_version=4).cells


def _markdown(path: Path) -> str:
    return "\n\n".join(c.source for c in _cells(path) if c.cell_type == "markdown")


def _h2(path: Path) -> list[str]:
    """Every level-two heading of the lesson, in order."""
    return [m.group(1).strip() for m in re.finditer(r"^## +(.+)$", _markdown(path), re.M)]


def _section(path: Path, heading: str) -> str:
    """The markdown under a level-two heading, up to the next level-two heading."""
    text = _markdown(path)
    match = re.search(rf"^## +{re.escape(heading)}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"{path.name}: no '## {heading}' section"
    return match.group(1)


def _items(text: str) -> list[str]:
    """Bulleted or numbered list items (continuation lines joined)."""
    items, current = [], None
    for line in text.splitlines():
        if re.match(r"^\s*(?:[-*]|\d+\.)\s+", line):
            current = re.sub(r"^\s*(?:[-*]|\d+\.)\s+", "", line)
            items.append(current)
        elif current is not None and line.startswith("  ") and line.strip():
            items[-1] += " " + line.strip()
        elif not line.strip():
            current = None
    return items


def _anchors() -> set[str]:
    return set(re.findall(r'<a id="([^"]+)"></a>', GLOSSARY.read_text(encoding="utf-8")))


def _glossary_links(text: str) -> set[str]:
    return set(re.findall(r"\(glossary\.md#([\w-]+)\)", text))


# ---------------------------------------------------------------------------------- template
def test_there_are_lessons_to_check():
    assert len(LESSONS) >= 9


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_lesson_opens_with_its_numbered_title(path):
    first = _cells(path)[0]
    number = path.stem[:2]
    assert first.cell_type == "markdown"
    assert re.match(rf"# Lesson {number} · \S", first.source), \
        f"{path.name}: the first cell should start '# Lesson {number} · <title>'"


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_lesson_overview_comes_first_and_lists_objectives(path):
    headings = _h2(path)
    assert headings and headings[0] == "Overview", \
        f"{path.name}: the first '##' heading should be 'Overview'; got {headings[:1]}"
    overview = _section(path, "Overview")
    assert re.search(r"^### +Learning objectives", overview, re.M), \
        f"{path.name}: the overview needs a '### Learning objectives' heading"
    assert len(re.findall(r"^\d+\. ", overview, re.M)) >= 3, \
        f"{path.name}: list at least three numbered learning objectives"


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_lesson_has_sections_of_its_own(path):
    own = [h for h in _h2(path) if not h.startswith(TEMPLATE_HEADINGS)]
    assert len(own) >= 2, f"{path.name}: at least two sections of its own; got {own}"


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_lesson_template_sections_come_in_order(path):
    headings = _h2(path)
    order = ["Overview", CRITICAL, "Seminar prompts", "Further reading", "References"]
    missing = [h for h in order if h not in headings]
    assert not missing, f"{path.name}: missing '## ' sections {missing} (see course/TEMPLATE.md)"
    positions = [headings.index(h) for h in order]
    assert positions == sorted(positions), f"{path.name}: sections out of order: {headings}"
    assert headings[-1] == "References", f"{path.name}: '## References' should come last"


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_critical_reading_box_checks_the_claim_with_code(path):
    cells = _cells(path)
    start = next(i for i, c in enumerate(cells) if c.cell_type == "markdown"
                 and re.search(rf"^## +{CRITICAL}", c.source, re.M))
    following = []
    for cell in cells[start + 1:]:
        if cell.cell_type == "markdown" and re.search(r"^## ", cell.source, re.M):
            break
        following.append(cell)
    code = [c for c in following if c.cell_type == "code" and c.source.strip()]
    assert code, f"{path.name}: the critical-reading box needs a code cell that checks the claim"
    box = _section(path, CRITICAL)
    assert "?" in box, f"{path.name}: the box should end with a question for the student"


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_lesson_points_to_its_exercises(path):
    headings = _h2(path)
    pointer = [h for h in headings if h in ("Exercises", "Your graded exercise")]
    assert pointer, f"{path.name}: needs '## Exercises' (or '## Your graded exercise')"
    text = _section(path, pointer[0])
    number = path.stem[:2]
    assert re.search(rf"ex{number}-[\w-]+", text) or "no graded exercise" in text.lower(), \
        f"{path.name}: the exercise section should link ex{number}-... or say there is none"


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_lesson_has_seminar_prompts(path):
    assert len(_items(_section(path, "Seminar prompts"))) >= 3


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_further_reading_is_annotated(path):
    items = _items(_section(path, "Further reading"))
    assert len(items) >= 3, f"{path.name}: at least three works to read further"
    short = [i for i in items if len(i.split()) < 15]
    assert not short, f"{path.name}: say what each work adds; too short: {short}"


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_references_are_full(path):
    items = _items(_section(path, "References"))
    assert len(items) >= 3, f"{path.name}: list the full references"
    undated = [i for i in items if not re.search(r"\b1[6-9]\d\d|20\d\d\b", i)
               and not re.search(r"official website|web page", i, re.I)]
    assert not undated, f"{path.name}: references without a year: {undated}"


# ---------------------------------------------------------------------------------- links
@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_lesson_links_glossary_terms_and_the_timeline(path):
    text = _markdown(path)
    links = _glossary_links(text)
    assert len(links) >= 3, f"{path.name}: link at least three terms to glossary.md#term"
    assert "(timeline.ipynb" in text, f"{path.name}: link the course timeline (timeline.ipynb)"


@pytest.mark.parametrize("path", [*LESSONS, *PAGES, GLOSSARY], ids=lambda p: p.name)
def test_every_glossary_link_lands_on_an_entry(path):
    text = GLOSSARY.read_text() if path == GLOSSARY else _markdown(path)
    links = _glossary_links(text) | set(re.findall(r"\(#([\w-]+)\)", text) if path == GLOSSARY
                                        else [])
    missing = sorted(links - _anchors())
    assert not missing, f"{path.name}: glossary anchors that do not exist: {missing}"


@pytest.mark.parametrize("path", [*LESSONS, *PAGES], ids=lambda p: p.name)
def test_links_to_course_files_resolve(path):
    text = _markdown(path)
    targets = re.findall(r"\]\(((?!https?:)[^)#\s]+)(?:#[^)]*)?\)", text)
    # a student's own copy in my-work/ is made at launch from the set in exercises/
    targets = [t.replace("../my-work/", "../exercises/", 1) for t in targets]
    missing = sorted({t for t in targets if not (path.parent / t).exists()})
    assert not missing, f"{path.name}: links to files that do not exist: {missing}"


def test_glossary_entries_are_sorted_and_defined():
    text = GLOSSARY.read_text()
    terms = re.findall(r"^### (.+)$", text, re.M)
    assert len(terms) >= 40
    assert terms == sorted(terms, key=str.lower), "keep the glossary in alphabetical order"
    for block in re.split(r"^### ", text, flags=re.M)[1:]:
        body = block.split("\n", 1)[1].strip()
        assert len(body.split()) >= 12, f"glossary entry too thin: {block[:40]!r}"
