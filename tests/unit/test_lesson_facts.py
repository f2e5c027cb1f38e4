"""Corrected facts in the lessons are stated with their source, and the errors do not come back.

Each case names the lesson, a pattern the corrected statement must match, the source it must cite
in the same cell, and the erroneous wording that must appear in no lesson (issue 10's list).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from lesson_text import all_text
from lesson_text import cells as _cells

COURSE = Path(__file__).parents[2] / "course"


def _all_text() -> str:
    """Every cell of every lesson, markdown and code (chart titles are read by students too)."""
    return all_text("0*.ipynb")


# (lesson, corrected statement (regex), source cited in the same cell (regex))
CORRECTED = {
    "cartagena_notes_first": ("03", r"Cartagena notes of 16 May 1907 \(ATOP 1445\)", r"ATOP 1445"),
    "britain_other_alliances": ("03", r"Portugal \(14 October 1899, ATOP 1400\)",
                                r"Japan \(30 January 1902, ATOP 1415\)"),
    "italy_great_power": ("06", r"Italy, 1914–15\*\* shows a great power",
                          r"codes Italy a major power from 1860 to 1943 \(COW 2017\)"),
    "sample_flag_is_inference": ("06", r"What the flag means is our inference",
                                 r"Berkemeier & Fuhrmann 2018"),
    "crossover_before_rhineland": ("04", r"The capability change came first: Germany pulled "
                                   r"ahead in 1934, two years before", r"NMC v6\.0"),
    "germany_ahead_1921": ("04", r"1921 \(0\.093 against 0\.076\)", r"NMC v6\.0"),
    "walt_middle_east": ("01", r"Walt's own evidence is the Middle East from 1955 to 1979",
                         r"Walt 1987"),
    "conrad_against_italy": ("03", r"Conrad von Hötzendorf planned for war \*against\* Italy",
                             r"Albertini 1952"),
    "austrian_empire_1866": ("03", r"Austria, beaten by Prussia in 1866 and rebuilt in 1867 as "
                             r"the Dual Monarchy", r"Taylor 1954"),
    "little_entente_end_dates": ("08", r"two of them on 15 March 1939.*the third on 30 August "
                                 r"1940", r"ATOP; lesson 04"),
    "landscapes_where_taught": ("08", r"Landscape theory.*is taught in lesson 10",
                                r"ak\.landscape"),
    "atop_coverage": ("02", r"Its coverage is defined by that rule", r"Leeds et al\. 2002"),
    "italy_outside_option_before_london": (
        "03", r"what Italy had been offered \*before\* April 1915", r"Renzi 1987; Bosworth 1979"),
    "signalling_follows_from_equations": ("07", r"follows from how the equations are\s+written, "
                                          r"not from evidence", r"Keohane"),
}

# wording of the errors, none of which may appear in any lesson
ERRORS = {
    "grey_cambon_first": r"its first record of a written commitment between Britain and France",
    "japan_only_alliance": r"Britain's one formal alliance",
    "both_blocs_written": r"both blocs rested on written treaties",
    "italy_middle_power": r"Italy, 1914–15\*\* shows a middle power",
    "sample_as_fact": r"In wars up to the Second World War about two commitments",
    "second_change_first": r"The second change came first",
    "walt_cold_war_leading": r"Walt's own leading case is the Cold War",
    "germany_and_austria_counted_italy": r"Germany and Austria-Hungary counted Italy as an ally",
    "austria_hungary_1866": r"Austria-Hungary, beaten by Prussia in 1866",
    "munich_ended_it": r"before Munich ended it",
    "landscapes_objective": r"structural balance and landscapes",
    "complete_dataset": r"A complete dataset cannot be chosen",
    "fan_probability": r"chance it has dissolved",
}


@pytest.mark.parametrize("name", sorted(CORRECTED))
def test_corrected_fact_is_stated_with_its_source(name):
    lesson, statement, source = CORRECTED[name]
    cells = [c for c in _cells(lesson) if re.search(statement, c)]
    assert cells, f"lesson {lesson} no longer states the corrected fact ({name})"
    assert any(re.search(source, c) for c in cells), \
        f"lesson {lesson}: the corrected fact {name!r} is stated without its source"


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_erroneous_wording_has_not_come_back(name):
    match = re.search(ERRORS[name], _all_text())
    assert match is None, f"a lesson again says {match.group(0)!r} ({name})"


# (lesson, library call its code must make): the honest-model displays come from the library
SHOWN = {
    "inputs_table": ("05", "ak.sensitivity.inputs()"),
    "tornado": ("05", "ak.charts.tornado_chart("),
    "sensitivity": ("05", "ak.sensitivity.one_at_a_time("),
    "preregistered_case": ("05", 'ak.cohesion.simulate("balkan_entente"'),
    "italy_before_london": ("03", 'ak.outside_options.compare("triple_alliance", "Italy", '
                                  '"before_london")'),
    "italy_chart": ("03", "ak.charts.margin_compare_chart("),
    "competing_risks": ("02", "ak.survival.cumulative_incidence("),
    "incidence_chart": ("02", "ak.charts.incidence_chart("),
    "km_bands": ("02", "ak.charts.survival_band_chart("),
    "termination_labels": ("02", "ak.termination.describe()"),
}


@pytest.mark.parametrize("name", sorted(SHOWN))
def test_the_lesson_shows_the_model_display_from_the_library(name):
    lesson, call = SHOWN[name]
    assert any(call in c for c in _cells(lesson, ("code",))), f"lesson {lesson} lacks {call}"
