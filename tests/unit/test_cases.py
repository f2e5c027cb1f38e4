"""alliancekit.cases: what each public function returns, and the errors bad input gets."""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliancekit import cases
from alliancekit.cases import UnknownNameError
from alliancekit.cases import _tables as tables

STATES = cases.table("states")
CODES = sorted(STATES["ccode"])
ALLIANCES = sorted(cases.table("alliances")["alliance_id"])
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ------------------------------------------------------------------------------------ package
def test_package_reexports_cite_and_data_versions():
    import alliancekit

    assert alliancekit.cite("atop401") == cases.cite("atop401")
    assert alliancekit.data_versions() == cases.data_versions()


# ------------------------------------------------------------------------------------- table
def test_table_lists_every_shipped_csv():
    names = cases.table_names()
    for name in ("states", "alliances", "memberships", "events", "capabilities", "sources",
                 "atop_alliances", "reliability"):
        assert name in names


def test_table_returns_a_copy_that_can_be_changed_safely():
    t = cases.table("alliances")
    t.loc[:, "name"] = "changed"
    assert (cases.table("alliances")["name"] != "changed").all()


def test_table_reads_each_file_once():
    cases.table("events")
    before = cases._load.cache_info().hits
    cases.table("events")
    assert cases._load.cache_info().hits == before + 1


def test_table_accepts_a_csv_suffix():
    assert cases.table("states.csv").equals(cases.table("states"))


def test_unknown_table_lists_close_matches():
    with pytest.raises(UnknownNameError, match="alliances") as err:
        cases.table("alliance")
    assert "alliances" in err.value.matches
    assert isinstance(err.value, LookupError)


@pytest.mark.parametrize("bad", [None, 3, ["states"]])
def test_table_name_must_be_a_string(bad):
    with pytest.raises(TypeError, match="name"):
        cases.table(bad)


@contextlib.contextmanager
def _shipped_file_edited(monkeypatch, name, old, new):
    """Serve table ``name`` with its first ``old`` replaced by ``new``, with a cold cache."""
    original = tables._read_text
    broken = original(name).replace(old, new, 1)
    cases._load.cache_clear()
    monkeypatch.setattr(tables, "_read_text",
                        lambda table: broken if table == name else original(table))
    try:
        yield
    finally:
        monkeypatch.undo()
        cases._load.cache_clear()


def test_a_broken_file_is_reported_with_its_name(monkeypatch):
    with _shipped_file_edited(monkeypatch, "events", "external_shock", "bad_mechanism"):
        with pytest.raises(cases.DataError, match="events.csv.*mechanism"):
            cases.table("events")


def test_a_dangling_source_key_is_reported(monkeypatch):
    with _shipped_file_edited(monkeypatch, "alliances", "atop401;langer1931",
                              "atop401;nosuchbook1900"):
        with pytest.raises(cases.DataError, match=r"alliances.csv row \d+: .*nosuchbook1900"):
            cases.table("alliances")


@pytest.mark.parametrize("name", sorted(tables._SCHEMAS))
def test_a_table_read_in_one_pass_equals_it_read_as_text_and_converted(name):
    """Numbers parsed while reading give exactly the values of converting each cell's text."""
    import io

    text, schema = tables._read_text(name), tables._SCHEMAS[name]
    as_text = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(tables._typed(tables._parse(text, schema), name, schema),
                                  tables._typed(as_text, name, schema), check_exact=True)


@pytest.mark.parametrize("old, new, column", [
    (",0.039697491,nmc60", ",,nmc60", "cinc"),          # an empty cell where a float must be
    ("\n2,USA,1816,", "\nUS,USA,1816,", "ccode"),       # text where a whole number must be
])
def test_a_number_that_does_not_parse_is_named_with_its_column(monkeypatch, old, new, column):
    with _shipped_file_edited(monkeypatch, "capabilities", old, new):
        with pytest.raises(cases.DataError, match=f"capabilities.csv: column '{column}'"):
            cases.table("capabilities")


DAYS = ["1882-05-20", "1915-05-23", "1921-07-01", "1934-12-31", "1949-04-04", "1999-03-12",
        "2020-01-01"]


@pytest.mark.parametrize("alliance", ["little_entente", "nato", "triple_alliance",
                                      "balkan_entente_1934"])
@pytest.mark.parametrize("use_accession", [False, True])
def test_member_codes_are_the_members_of_each_day(alliance, use_accession):
    expected = [sorted(int(c) for c in cases.members(alliance, day,
                                                     use_accession=use_accession)["ccode"])
                for day in DAYS]
    assert cases.member_codes(alliance, DAYS, use_accession=use_accession) == expected


# -------------------------------------------------------------------------------- state codes
@pytest.mark.parametrize("given_,code", [
    (255, 255), ("255", 255), ("GMY", 255), ("gmy", 255), ("Germany", 255), (" germany ", 255),
    ("UKG", 200), ("Britain", 200), ("United Kingdom", 200), ("USSR", 365), ("Russia", 365),
    ("North Macedonia", 343), ("Timor-Leste", 860), ("Austria-Hungary", 300), ("Austria", 305),
])
def test_state_code_accepts_codes_abbreviations_names_and_aliases(given_, code):
    assert cases.state_code(given_) == code


def test_state_name_gives_the_cow_name():
    assert cases.state_name(300) == "Austria-Hungary"
    assert cases.state_name(315) == "Czechoslovakia"


def test_unknown_state_name_lists_close_matches():
    with pytest.raises(UnknownNameError) as err:
        cases.state_code("Itly")
    assert "Italy" in err.value.matches
    assert "Itly" in str(err.value)


@pytest.mark.parametrize("bad", [9999, -1, "9999", 2.5, ""])
def test_state_code_rejects_unknown_codes(bad):
    with pytest.raises(ValueError, match="state"):
        cases.state_code(bad)


@pytest.mark.parametrize("bad", [True, None, object(), [255]])
def test_state_code_rejects_other_types(bad):
    with pytest.raises(TypeError, match="state"):
        cases.state_code(bad)


@pytest.mark.parametrize("bad,exc", [(9999, ValueError), (2.5, ValueError), ("Italy", TypeError),
                                     (False, TypeError), (None, TypeError)])
def test_state_name_rejects_what_is_not_a_cow_code(bad, exc):
    with pytest.raises(exc, match="ccode"):
        cases.state_name(bad)


@given(st.sampled_from(CODES))
def test_every_code_round_trips_through_its_name_and_abbreviation(code):
    assert cases.state_code(cases.state_name(code)) == code
    abb = STATES.set_index("ccode").loc[code, "stateabb"]
    assert cases.state_code(abb) == code


@FAST
@given(st.integers(min_value=-10_000, max_value=10_000))
def test_any_integer_is_either_a_known_code_or_a_value_error(code):
    if code in set(CODES):
        assert cases.state_name(code) == STATES.set_index("ccode").loc[code, "name"]
    else:
        with pytest.raises(ValueError, match="ccode"):
            cases.state_name(code)


@FAST
@given(st.text(max_size=30))
def test_any_text_is_either_a_state_or_a_clear_error(text):
    try:
        code = cases.state_code(text)
    except UnknownNameError as err:
        assert "unknown state" in str(err)
    except ValueError as err:
        assert "state" in str(err)
    else:
        assert code in set(CODES)


# ------------------------------------------------------------------------------------ members
def _codes(frame):
    return set(frame["ccode"])


def test_triple_alliance_members_across_italys_exit():
    assert _codes(cases.members("triple_alliance", "1882-05-20")) == {255, 300, 325}
    assert _codes(cases.members("triple_alliance", "1915-05-22")) == {255, 300, 325}
    assert _codes(cases.members("triple_alliance", "1915-05-23")) == {255, 300}
    assert _codes(cases.members("triple_alliance", "1918-11-03")) == set()
    assert _codes(cases.members("triple_alliance", "1882-05-19")) == set()


def test_members_counts_each_state_once_on_a_renewal_day():
    m = cases.members("triple_alliance", "1887-02-20")
    assert sorted(m["ccode"]) == [255, 300, 325]
    assert set(m["phase"]) == {2}


def test_nato_members_can_be_counted_from_accession_instead_of_protocol_signing():
    assert {290, 310, 316} <= _codes(cases.members("nato", "1998-06-01"))
    assert not {290, 310, 316} & _codes(cases.members("nato", "1998-06-01", use_accession=True))
    assert {290, 310, 316} <= _codes(cases.members("nato", "1999-03-12", use_accession=True))


def test_use_accession_must_be_a_bool():
    with pytest.raises(TypeError, match="use_accession"):
        cases.members("nato", "2000-01-01", use_accession="yes")


def test_members_accepts_dates_in_several_forms():
    for day in ("1900-01-01", dt.date(1900, 1, 1), dt.datetime(1900, 1, 1, 12),
                pd.Timestamp("1900-01-01")):
        assert _codes(cases.members("dual_alliance", day)) == {255, 300}


def test_members_adds_state_names():
    m = cases.members("little_entente", "1930-01-01")
    assert set(m["state"]) == {"Czechoslovakia", "Yugoslavia", "Romania"}
    assert {"stateabb", "joined", "left", "exit_mode", "source"} <= set(m.columns)


def test_unknown_alliance_lists_close_matches():
    with pytest.raises(UnknownNameError) as err:
        cases.members("triple_aliance", "1900-01-01")
    assert "triple_alliance" in err.value.matches


@pytest.mark.parametrize("bad", ["1900-13-01", "yesterday", "1700-01-01", "2200-01-01", ""])
def test_members_rejects_bad_dates_naming_the_argument(bad):
    with pytest.raises(ValueError, match="on"):
        cases.members("nato", bad)


@pytest.mark.parametrize("bad", [1900, None, True, ["1900-01-01"]])
def test_members_rejects_dates_of_another_type_naming_the_argument(bad):
    with pytest.raises(TypeError, match="on"):
        cases.members("nato", bad)


def test_members_rejects_a_non_string_alliance():
    with pytest.raises(TypeError, match="alliance_id"):
        cases.members(1350, "1900-01-01")


@FAST
@given(st.sampled_from(ALLIANCES),
       st.dates(min_value=dt.date(1815, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_members_on_any_day_are_exactly_the_rows_whose_span_covers_it(aid, day):
    got = cases.members(aid, day)
    m = cases.table("memberships")
    m = m[m["alliance_id"] == aid]
    t = pd.Timestamp(day)
    want = m[(m["joined"] <= t) & (m["left"].isna() | (m["left"] > t))]
    assert sorted(got["ccode"]) == sorted(want["ccode"])
    assert not got["ccode"].duplicated().any()


# ------------------------------------------------------------------------------- alliances_of
def test_italy_in_spring_1915_belongs_to_both_camps():
    ids = set(cases.alliances_of("Italy", "1915-05-01")["alliance_id"])
    assert {"triple_alliance", "treaty_of_london_1915", "prinetti_barrere_1902"} <= ids


def test_alliances_of_carries_kind_and_obligations():
    a = cases.alliances_of(200, "1910-01-01")
    assert set(a["alliance_id"]) == {"entente_cordiale", "anglo_french_staff_talks",
                                     "anglo_russian_convention"}
    assert set(a["kind"]) == {"informal_entente"}
    assert {"defense", "consultation", "atop_id"} <= set(a.columns)


@pytest.mark.parametrize("state,day,exc", [
    ("Narnia", "1900-01-01", UnknownNameError), (255, "not a date", ValueError),
    (255, None, TypeError), (12345, "1900-01-01", ValueError),
])
def test_alliances_of_rejects_bad_input(state, day, exc):
    with pytest.raises(exc):
        cases.alliances_of(state, day)


@FAST
@given(st.sampled_from([200, 220, 255, 300, 325, 365, 315, 345, 360, 2, 432]),
       st.dates(min_value=dt.date(1816, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_alliances_of_agrees_with_members(code, day):
    for aid in cases.alliances_of(code, day)["alliance_id"]:
        assert code in set(cases.members(aid, day)["ccode"])


# -------------------------------------------------------------------------------------- cinc
def test_cinc_returns_the_contract_columns():
    c = cases.cinc(["GMY", "France"], range(1900, 1911))
    assert list(c.columns) == ["ccode", "stateabb", "year", "cinc"]
    assert len(c) == 22
    assert c["cinc"].between(0, 1).all()


def test_cinc_uses_nmc7_after_2016():
    assert set(cases.cinc(2, [2016, 2017, 2022])["year"]) == {2016, 2017, 2022}


@pytest.mark.parametrize("years,exc", [
    (1700, ValueError), (2030, ValueError), (1900.5, ValueError), ([], ValueError),
    ("1900", TypeError), (True, TypeError), ([1900, "x"], TypeError), (object(), TypeError),
])
def test_cinc_rejects_bad_years(years, exc):
    with pytest.raises(exc, match="years"):
        cases.cinc(255, years)


def test_cinc_rejects_states_without_shipped_data():
    with pytest.raises(ValueError, match="states"):
        cases.cinc(40)  # Cuba: a COW state, but in none of the cases


def test_cinc_rejects_unknown_states():
    with pytest.raises(UnknownNameError):
        cases.cinc("Atlantis")


@FAST
@given(st.integers(min_value=1816, max_value=2022))
def test_cinc_for_any_year_has_one_row_per_state_present(year):
    c = cases.cinc(years=year)
    assert not c["ccode"].duplicated().any()
    assert (c["year"] == year).all()


# -------------------------------------------------------------------------------------- cases
@pytest.mark.parametrize("name", cases.case_names())
def test_every_case_bundles_its_data(name):
    c = cases.case(name)
    assert len(c.alliances) and len(c.members) and len(c.timeline) and len(c.capabilities)
    assert c.timeline["date"].is_monotonic_increasing
    assert c.capabilities["year"].between(c.first_year, c.last_year).all()
    assert set(c.members["alliance_id"]) <= set(c.alliances["alliance_id"])


def test_little_entente_case_has_the_rivals_for_comparison():
    c = cases.case("little_entente")
    assert {310, 255} <= set(c.capabilities["ccode"])
    assert "munich_1938" not in set(c.timeline["description"])
    assert (c.timeline["what"] == "external_shock").any()


def test_case_is_frozen_and_returns_copies():
    c = cases.case("nato")
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.title = "x"
    c.members.loc[:, "ccode"] = -1
    assert (cases.case("nato").members["ccode"] > 0).all()


def test_unknown_case_lists_close_matches():
    with pytest.raises(UnknownNameError) as err:
        cases.case("little entente")
    assert "little_entente" in err.value.matches


def test_case_name_must_be_a_string():
    with pytest.raises(TypeError, match="name"):
        cases.case(3)


# --------------------------------------------------------------------------------- durations
def test_durations_cover_atop_alliances_begun_1815_2003_censored_at_2003():
    d = cases.durations()
    a = cases.table("atop_alliances")
    assert list(d.columns) == ["atopid", "begin", "end", "years", "ended", "obligations",
                               "n_members", "era", "cause"]
    assert len(d) == (a["begin"] <= "2003-12-31").sum()
    assert (d["ended"] == d["end"].notna()).all()
    assert (d.loc[d["ended"], "end"] <= "2003-12-31").all()
    assert (d["years"] >= 0).all()
    open_ = d[~d["ended"]]
    expected = (pd.Timestamp("2003-12-31") - open_["begin"]).dt.days / 365.25
    assert (open_["years"] == expected).all()
    assert set(d["era"]) == {"1815-1913", "1914-1945", "1946-1989", "1990-"}


def test_durations_can_use_the_whole_atop_record():
    d = cases.durations(until=2016)
    a = cases.table("atop_alliances").set_index("atopid")
    assert len(d) == len(a)
    assert (d["ended"].to_numpy() == (a.loc[d["atopid"], "ineffect"] == 0).to_numpy()).all()


def test_an_alliance_ending_after_the_window_is_censored_in_it():
    d = cases.durations(until=1900).set_index("atopid")
    assert not d.loc[1335, "ended"]  # Dual Alliance, ended 1918
    assert d.loc[1335, "years"] == pytest.approx((pd.Timestamp("1900-12-31")
                                                  - pd.Timestamp("1879-10-07")).days / 365.25)


@pytest.mark.parametrize("bad,exc", [(1800, ValueError), (2017, ValueError),
                                     (2003.5, ValueError), ("2003", TypeError), (True, TypeError),
                                     (None, TypeError)])
def test_durations_rejects_a_bad_window(bad, exc):
    with pytest.raises(exc, match="until"):
        cases.durations(bad)


def test_durations_of_the_reinsurance_treaty_is_three_years():
    d = cases.durations().set_index("atopid")
    assert d.loc[1370, "years"] == pytest.approx(3.0, abs=0.01)
    assert d.loc[1370, "obligations"] == "neutral;consul"


# ------------------------------------------------------------------------------ cite, versions
def test_cite_gives_full_citations():
    assert cases.cite("atop401").startswith("Leeds, Brett Ashley")
    assert len(cases.cite("atop401;taylor1954").splitlines()) == 2
    assert "Owusu" in cases.cite()


def test_cite_unknown_key_lists_close_matches():
    with pytest.raises(UnknownNameError) as err:
        cases.cite("taylor1945")
    assert "taylor1954" in err.value.matches


@pytest.mark.parametrize("bad,exc", [(3, TypeError), ("", ValueError), (";", ValueError)])
def test_cite_rejects_bad_keys(bad, exc):
    with pytest.raises(exc, match="key"):
        cases.cite(bad)


def test_data_versions_names_each_dataset():
    v = cases.data_versions()
    assert v["ATOP"].startswith("v4.01") and "v6.0" in v["NMC"] and "v7.0" in v["NMC"]
