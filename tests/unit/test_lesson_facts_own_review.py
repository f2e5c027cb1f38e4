"""The facts corrected after the course's own review (docs/reviews/2026-12-own-review.md).

One case per corrected fact: the page, a pattern the corrected statement must match, and the source
it must cite in the same cell; then the wording of each error, which no page may say again.
Pages are lessons 00, 01, 04, 07 and 08, the maps page and the data-literacy page.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

COURSE = Path(__file__).parents[2] / "course"
PAGES = ("00-welcome", "01-theory", "04-little-entente", "07-managing", "08-conclusion", "maps",
         "data-literacy")


def _cells(page: str) -> list[str]:
    nb = json.loads((COURSE / f"{page}.ipynb").read_text(encoding="utf-8"))
    return [" ".join("".join(c["source"]).split()) for c in nb["cells"]
            if c["cell_type"] == "markdown"]


# review number: (page, corrected statement (regex), source in the same cell (regex))
CORRECTED = {
    "O1_ententes_signed_welcome": ("00-welcome", r"ententes \(signed agreements with no promise "
                                   r"of military help", r"Andrew 1968"),
    "O1_ententes_signed_maps": ("maps", r"dashed lines \[ententes\]\(glossary\.md#entente\): "
                                r"signed agreements with no promise of military help",
                                r"Andrew 1968"),
    "O2_sets_of_09_and_10": ("00-welcome", r"Lessons 01 to 07, 09 and 10 each have an exercise "
                             r"set", r"`ex09-evidence` and `ex10-landscape`"),
    "O3_course_map_09": ("00-welcome", r"\| 09 evidence \|", r"Leeds & Savun's \(2007\)"),
    "O3_course_map_10": ("00-welcome", r"\| 10 the 1936 landscape \|",
                         r"Axelrod & Bennett's \(1993\)"),
    "O4_consultation_is_not_an_institution": (
        "01-theory", r"the \*\*consultation\*\* obligation, a promise to consult each other in a "
                     r"crisis: the shallowest obligation ATOP codes",
        r"`organ1`.*Leeds et al\. 2002"),
    "O4b_reliability_rounded": ("01-theory", r"default 0\.75: the 74\.5 % of promises kept",
                                r"Leeds, Long & Mitchell 2000"),
    "O5_romania_poland": ("04-little-entente", r"Romania had one: Poland, which by their treaty "
                          r"of 3 March 1921 promised help", r"ATOP 2070; Wandycz 1962"),
    "O5b_deterrence_source": ("04-little-entente", r"in 1921 it worked", r"Crampton 1994"),
    "O5c_cow_end_uncheckable": ("04-little-entente", r"COW record as alliance 102.*could not be "
                                r"checked here", r"Gibler 2009"),
    "O6_gap_is_assumed": ("07-managing", r"Lesson 05's model does not measure that gap: it "
                          r"\*assumes\* that rhetoric lags", r"\\lambda < \\alpha"),
    "O7_declarations_lag_is_assumed": ("07-managing", r"Lesson 05's model goes further and "
                                       r"\*assumes\* that they lag", r"Fearon 1997"),
    "O8_italy_grievance_sources": ("07-managing", r"Italy's Austrian grievance inside the Triple "
                                   r"Alliance showed", r"\(Bosworth 1979; Albertini 1952\)"),
    "O9_little_entente_shared_hungary": ("07-managing", r"shared only their smallest enemy, "
                                         r"Hungary", r"Wandycz 1988"),
    "O10_article_critique_that_holds": ("08-conclusion", r"\"Tripartite Pact\", the name of the "
                                        r"pact of 1940", r"may have contributed"),
    "O11_landscape_in_lesson_10": ("08-conclusion", r"\[lesson 10 · The 1936 landscape\]"
                                   r"\(10-landscape-1936\.ipynb\)", r"`ex10-landscape`"),
    "O11b_evidence_in_lesson_09": ("08-conclusion", r"\[Lesson 09 · Evidence\]"
                                   r"\(09-evidence\.ipynb\)", r"`ex09-evidence`"),
    "O12_rhetoric_lag_assumed": ("08-conclusion", r"the model \*assumes\* that rhetoric adjusts "
                                 r"slowly", r"nothing in the course measures it"),
    "O12b_doubt_leads_is_coded": ("08-conclusion", r"the model's doubt leads\.\*\* It jumps in "
                                  r"1927 because the coder entered", r"events\.csv"),
    "O13_romania_poland_on_the_map": ("maps", r"Romania's defence pact with Poland",
                                      r"ATOP 2070"),
    "O13b_cow_end_uncheckable": ("data-literacy", r"COW record as alliance 102.*could not be "
                                 r"checked here", r"Gibler 2009"),
}

# the wording of the errors, none of which may appear in these pages again
ERRORS = {
    "O1_informal_entente": r"informal ententes?\b",
    "O2_sets_01_to_07": r"Each lesson from 01 to 07 has an exercise set",
    "O4_consultation_as_institution": r"treaties that set up regular consultation ought to outlive",
    "O5_no_ally_against_main_danger": r"and on no one else against its own main danger",
    "O5b_article_as_evidence": r"and it worked \(Owusu & Bruce-Ghartey 2026\)",
    "O6_measured_gap": r"the quantity you measured in lesson 05",
    "O7_declarations_lag_as_fact": r"Declarations lag reality",
    "O8_walt_for_italy": r"Walt 1987; Bosworth 1979",
    "O9_no_longer_same_enemy": r"no longer faced the same enemy",
    "O10_entente_called_formal": r"an Entente called formal",
    "O11_landscape_in_09": r"is taught in lesson 09",
    "O12_illusion_measurable": r"the illusion made measurable",
    "O12b_rhetoric_lagging_as_fact": r"Rhetoric is a lagging indicator",
    "O13_through_france_to_poland": r"and, through France, to Poland",
}

# every lesson bar (the "Lessons:" line of a page) names lessons 09 and 10
BARS = ("maps", "data-literacy")


@pytest.mark.parametrize("name", sorted(CORRECTED))
def test_corrected_fact_is_stated_with_its_source(name):
    page, statement, source = CORRECTED[name]
    cells = [c for c in _cells(page) if re.search(statement, c)]
    assert cells, f"{page} no longer states the corrected fact ({name})"
    assert any(re.search(source, c) for c in cells), \
        f"{page}: the corrected fact {name!r} is stated without its source"


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_erroneous_wording_has_not_come_back(name):
    text = " ".join(" ".join(_cells(p)) for p in PAGES)
    match = re.search(ERRORS[name], text)
    assert match is None, f"a page again says {match.group(0)!r} ({name})"


@pytest.mark.parametrize("page", BARS)
def test_the_lesson_bar_lists_lessons_09_and_10(page):
    bar = next(c for c in _cells(page) if "Lessons: [00]" in c)
    assert "[09](09-evidence.ipynb)" in bar and "[10](10-landscape-1936.ipynb)" in bar, page
