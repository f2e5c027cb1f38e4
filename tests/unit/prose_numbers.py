"""Find the numerals in the course's prose and sort each into the kind the registry rules give it.

Used by ``test_prose_numbers.py``; the rules are written out in ``course/numbers.toml``'s header.
A numeral is *prose* when it stands in a markdown cell of ``course/*.ipynb`` or in ``course/*.md``,
outside code (fenced blocks and `code spans`), link targets and HTML tags. Each is then either
classified by a rule that needs no registry (a year, a day of a month, a citation, an identifier),
or it must be registered in ``course/numbers.toml``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

COURSE = Path(__file__).parents[2] / "course"
REGISTRY = COURSE / "numbers.toml"

MONTHS = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
          r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?")

# A numeral: digits with optional thousands separators and decimals ("2,000", "0.745", "15").
NUMERAL = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d])")

# Words that make the next numeral an identifier (lesson 05, Q3 is glued, Article 5, ATOP 3755).
ID_WORDS = (r"(?:[Ll]essons?|[Ss]ections?|§|[Aa]rticles?|Art\.|[Ii]tems?|[Ss]teps?|[Pp]hases?|"
            r"ATOP|COW war|[Ww]ar|#|[Nn]o\.|[Tt]ables?|[Ff]igures?|[Cc]hapters?|ch\.|[Pp]arts?|"
            r"[Qq]uestions?|[Tt]asks?|[Ee]xercise sets?|[Ss]ets?|[Cc]ells?|[Rr]ules?|[Pp]oints?|"
            r"[Aa]nswers?|[Hh]ypothes[ie]s|[Pp]rotocol|[Ll]evel|[Rr]ow|[Cc]olumn|[Vv]ol\.|"
            r"[Vv]olume|[Ss]eries|[Cc]riteri(?:on|a)|[Oo]bjectives?|[Dd]ivision)")
ID_BEFORE = re.compile(ID_WORDS + r"\s*(?:(?:\d+[a-z]?|[IVX]+)\s*(?:,|and|or|to|–|-|&)\s*)*\Z")
CITE_BEFORE = re.compile(r"(?:pp?\.|pages?|vol\.|[Vv]ersion|CC BY|doi:\S*|ISBN\S*)\s*[\d–\-, ]*\Z")
# a page number after an author-year: "(Walt 1987, 12)", "(Kennan 1984: 12–14)"
PAGE_AFTER_YEAR = re.compile(r"[A-Z][\w'’.\-]+(?: et al\.)? (?:1\d{3}|20\d{2})[a-z]?[,:] ?"
                             r"(?:pp?\. ?)?"
                             r"(?:\d+[–-])?\Z")
REFERENCE_HEADINGS = ("## References", "## Further reading")


@dataclass(frozen=True)
class Numeral:
    page: str      # file stem, e.g. "04-little-entente" or "glossary"
    cell: int      # markdown cell index in the notebook (0 for a .md page)
    text: str      # the numeral as written, e.g. "2.6"
    context: str   # the words around it, for messages
    kind: str      # "date", "citation", "ordinal", "formula", or "" when it must be registered
    percent: bool  # written as a percentage ("%" or "per cent" follows)


def prose_cells(path: Path) -> list[tuple[int, str]]:
    """The prose of one page: (cell index, text) for each markdown cell, or (0, text) for .md."""
    if path.suffix == ".md":
        return [(0, path.read_text(encoding="utf-8"))]
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(i, "".join(c["source"])) for i, c in enumerate(nb["cells"])
            if c["cell_type"] == "markdown"]


def _blank(match: re.Match) -> str:
    return " " * len(match.group(0))


def strip_code(text: str) -> str:
    """Blank out code, link targets and HTML tags, keeping every other character in place."""
    text = re.sub(r"```.*?```", _blank, text, flags=re.S)
    text = re.sub(r"`[^`\n]*`", _blank, text)
    text = re.sub(r"\]\([^)\s]*\)", lambda m: "]" + " " * (len(m.group(0)) - 1), text)
    text = re.sub(r"<[^>\n]*>", _blank, text)
    return text


def _reference_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of a cell's reference and further-reading sections (all citations)."""
    spans = []
    for heading in REFERENCE_HEADINGS:
        for m in re.finditer(re.escape(heading), text):
            nxt = re.search(r"^#{1,2} ", text[m.end():], flags=re.M)
            spans.append((m.start(), m.end() + nxt.start() if nxt else len(text)))
    return spans


def classify(text: str, start: int, end: int, spans, maths) -> str:
    """The automatic kind of the numeral at text[start:end], or "" if it must be registered."""
    num = text[start:end]
    before, after = text[max(0, start - 60):start], text[end:end + 20]
    if any(a <= start < b for a, b in spans):
        return "citation"
    # inside $math$: a constant of the formula (t-1, [0, 1], 1 - x), unless a value is assigned
    if any(a <= start < b for a, b in maths) and "." not in num \
            and not re.search(r"(?:=|\\approx)\s*[-−]?\s*\Z", before[-8:]):
        return "formula"
    # the bounds of a scale: "between 0 and 1", "from -1 to 1", "[0, 1]"
    if num in ("0", "1") and (re.search(r"(?:between|from|\[)\s*[-−]?\Z", before)
                              and re.match(r"\s*(?:and|to|,)\s*1\b", after)
                              or re.search(r"(?:between|from|\[)\s*[-−]?[01]\s*(?:and|to|,)\s*\Z",
                                           before)):
        return "formula"
    # an enumerator in running text: "(1) They judged ...", "(2)"
    if re.search(r"\(\Z", before) and re.match(r"\)\s", after) and re.fullmatch(r"1?\d", num):
        return "ordinal"
    # a lesson number, always written with two digits and a leading zero: 00-09
    if re.fullmatch(r"0\d", num):
        return "ordinal"
    # glued to a letter (ex09, Q3, v4.01, 1930s, 19th, 3rd, CO2): an identifier or a decade
    if re.match(r"[A-Za-z]", after) or re.search(r"[A-Za-z_]\Z", before):
        if re.fullmatch(r"1\d{3}|20\d{2}", num) and after.startswith("s"):
            return "date"
        return "ordinal"
    if CITE_BEFORE.search(before) or PAGE_AFTER_YEAR.search(before):
        return "citation"
    if re.fullmatch(r"1\d{3}|20\d{2}", num):
        return "date"
    # a year written short after a slash or a dash following a year (2009/10, 1918–20)
    if re.fullmatch(r"\d{2}", num) and re.search(r"(?:1\d|20)\d{2}[/–-]\Z", before):
        return "date"
    # a day of a month: "8 April", "22 Oct", "April 8", "5–6 July", "22/23 Nov"
    if re.fullmatch(r"\d{1,2}", num) and 1 <= int(num) <= 31:
        if re.match(r"(?:\s*(?:[–/-]|and|to)\s*\d{1,2})*\s+" + MONTHS, after) \
                or re.search(MONTHS + r"\s+\Z", before):
            return "date"
    # an identifier: lesson 05, Article 5, ATOP 3755, items 7 and 8, heading and list numbers
    if ID_BEFORE.search(before):
        return "ordinal"
    line_start = text.rfind("\n", 0, start) + 1
    lead = text[line_start:start]
    list_lead = r"\s*(?:\|\s*)?(?:#+\s*)?(?:\*\*)?(?:[\d.]+\s*,?\s*)*"
    if re.fullmatch(list_lead, lead) and re.match(r"\.|\)", after):
        return "ordinal"
    if re.fullmatch(r"\s*\|\s*", lead):
        return "ordinal"  # a number opening a table row: a lesson or item number
    if re.search(r"\[\Z", before) and re.match(r"\]", after):
        return "ordinal"  # a cell reference, [12]
    return ""


def numerals(path: Path) -> list[Numeral]:
    """Every numeral in the prose of one page, classified."""
    found = []
    for cell, raw in prose_cells(path):
        text = strip_code(raw)
        spans = _reference_spans(text)
        maths = [m.span() for m in re.finditer(r"\$\$.*?\$\$|\$[^$\n]+\$", text, flags=re.S)]
        for m in NUMERAL.finditer(text):
            start, end = m.span()
            kind = classify(text, start, end, spans, maths)
            percent = bool(re.match(r"\s*(?:%|per ?cent)", text[end:end + 10]))
            context = " ".join(text[max(0, start - 40):end + 25].split())
            found.append(Numeral(path.stem, cell, m.group(0), context, kind, percent))
    return found


def pages() -> list[Path]:
    """Every lesson and page of the course whose prose is checked."""
    return sorted(COURSE.glob("*.ipynb")) + sorted(COURSE.glob("*.md"))
