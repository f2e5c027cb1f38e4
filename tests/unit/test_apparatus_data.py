"""The course's apparatus data: capitals for the maps, the course-wide chronology, the map layers
and the two chart builders that draw them (alliancekit.cases.capitals, chronology, maps,
coursecharts)."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancekit import cases, charts, chronology, coursecharts, maps


# ------------------------------------------------------------------------------ capitals
def test_capital_follows_a_move_of_the_capital():
    before = cases.capitals("Russia", "1917-12-31")["capital"].iloc[0]
    after = cases.capitals("Russia", "1918-03-12")["capital"].iloc[0]
    assert (before, after) == ("Saint Petersburg", "Moscow")


def test_capital_listed_as_current_stays_current_after_the_list_ends():
    assert cases.capitals("Mali", "2025-02-01")["capital"].iloc[0] == "Bamako"


def test_capitals_come_in_the_order_asked_with_coordinates_in_range():
    got = cases.capitals(["Nigeria", "France", 315], "1992-01-01")
    assert got["ccode"].tolist() == [475, 220, 315]
    assert got["capital"].tolist() == ["Abuja", "Paris", "Prague"]


def test_capital_before_a_state_existed_is_a_clear_error():
    with pytest.raises(ValueError, match="no capital of Mali"):
        cases.capitals("Mali", "1950-01-01")


def test_every_shipped_capital_has_a_place_on_the_globe():
    table = cases.table("capitals")
    assert table["lat"].between(-90, 90).all() and table["lng"].between(-180, 180).all()
    assert (table["from_date"] <= table["to_date"]).all()


# ------------------------------------------------------------------------------ chronology
@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return chronology.course_events()


def test_chronology_spans_the_course_in_date_order(events):
    assert events["year"].between(chronology.FIRST_YEAR, chronology.LAST_YEAR).all()
    assert events["date"].is_monotonic_increasing
    assert events["event_id"].is_unique


def test_chronology_holds_every_kind_of_event(events):
    assert set(events["kind"]) == set(chronology.KINDS)


def test_chronology_records_italys_exit_and_the_sahel_exits(events):
    left = events[events["kind"] == "state left"]
    assert "left:triple_alliance:325" in set(left["event_id"])
    sahel = left[left["event_id"].isin([f"left:ecowas:{c}" for c in (432, 436, 439)])]
    assert len(sahel) == 3
    assert set(sahel["date"].dt.strftime("%Y-%m-%d")) == {"2025-01-29"}


def test_a_new_atop_phase_is_not_an_exit(events):
    # the Triple Alliance's members "leave" phases 1-3 in ATOP's rows; only Italy really left
    triple = events[events["event_id"].str.startswith("left:triple_alliance:")]
    assert triple["event_id"].tolist() == ["left:triple_alliance:325"]


def test_every_chronology_row_keeps_a_source(events):
    keys = set(cases.table("sources")["key"])
    for text in events["source"]:
        assert set(text.split(";")) <= keys


@settings(max_examples=15, deadline=None)
@given(st.integers(1872, 2025), st.integers(0, 60))
def test_chronology_window_keeps_exactly_its_years(first, width):
    last = min(first + width, 2025)
    part = chronology.course_events(first, last)
    assert part["year"].between(first, last).all()


def test_chronology_refuses_a_backwards_window():
    with pytest.raises(ValueError, match="first <= last"):
        chronology.course_events(1939, 1914)


def test_every_year_of_the_course_has_an_era():
    labels = {chronology.era_of(y) for y in range(1872, 2026)}
    assert labels == {label for label, _, _ in chronology.ERAS}


# ------------------------------------------------------------------------------ maps
@pytest.mark.parametrize("name", maps.map_names())
def test_map_ties_join_only_states_allied_on_the_maps_day(name):
    spec = maps.map_spec(name)
    places, ties = maps.map_layers(name)
    assert len(places) == len(spec.groups)
    assert set(ties["state_a"]) | set(ties["state_b"]) <= set(places["state"])
    alliances = cases.table("alliances").set_index("name")
    for tie in ties.itertuples():
        aid = alliances.loc[tie.alliance, "alliance_id"]
        members = set(cases.members(aid, spec.day)["ccode"])
        codes = places.set_index("state")["ccode"]
        assert {codes[tie.state_a], codes[tie.state_b]} <= members


def test_1914_map_ties_italy_to_both_blocs():
    _, ties = maps.map_layers("blocs_1914")
    italy = ties[(ties["state_a"] == "Italy") | (ties["state_b"] == "Italy")]
    partners = set(italy["state_a"]) | set(italy["state_b"])
    assert {"Germany", "France", "Russia"} <= partners


def test_unknown_map_names_the_known_ones():
    with pytest.raises(LookupError, match="blocs_1914"):
        maps.map_layers("europe")


@pytest.mark.parametrize("name", maps.map_names())
def test_schematic_map_says_it_is_schematic_and_describes_itself(name):
    spec = maps.map_spec(name)
    places, ties = maps.map_layers(name)
    chart = coursecharts.schematic_map(places, ties, spec.title)
    chart.to_dict()  # a valid Vega-Lite spec
    assert "schematic" in charts.describe(chart).lower()
    for state in places["state"]:
        assert state in chart.description


def test_schematic_map_refuses_a_title_that_hides_that_it_is_schematic():
    places, ties = maps.map_layers("blocs_1914")
    with pytest.raises(ValueError, match="schematic"):
        coursecharts.schematic_map(places, ties, "Europe in 1914", subtitle="")


def test_course_timeline_chart_counts_every_event(events):
    chart = coursecharts.course_timeline_chart(events)
    chart.to_dict()
    text = charts.describe(chart)
    for kind in chronology.KINDS:
        assert f"{kind}: {(events['kind'] == kind).sum()}" in text


def test_course_timeline_chart_refuses_a_frame_without_dates():
    with pytest.raises(ValueError, match="date"):
        coursecharts.course_timeline_chart(pd.DataFrame({"year": [1900]}))
