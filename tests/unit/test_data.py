"""The shipped case data: schema, sources, keys, and agreement with the public files they come from.

Checks against ATOP, NMC and COW read the public files in ``../shared/data`` (beside the repository)
and are skipped, with the reason, when that folder is absent; in CI (``ALLIANCEKIT_CI=1``) that
skip fails (root ``conftest.py``).
"""
from __future__ import annotations

import csv
import filecmp
from pathlib import Path

import pandas as pd
import pytest

from alliancekit import cases
from alliancekit.cases import _tables as tables

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "alliancekit" / "data"
SHARED = ROOT.parent / "shared" / "data"
ATOP_END = pd.Timestamp("2003-12-31")  # rows after this need a non-dataset citation
ATOP_COVERAGE_END = pd.Timestamp("2016-12-31")  # the last day ATOP v4.01 records
BUILT = ("states", "alliances", "memberships", "capabilities", "atop_alliances", "reliability",
         "capitals")
OURS = (*BUILT, "events", "sources")


@pytest.fixture(scope="module")
def shared() -> Path:
    if not (SHARED / "atop-member-level.csv").exists():
        pytest.skip(f"public data folder {SHARED} is absent: the extracts cannot be compared with "
                    "their ATOP/NMC/COW originals here")
    return SHARED


def _raw_rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _ymd(y, m, d):
    """A date from ATOP's year/month/day text; a blank day becomes the 1st (as in the build)."""
    y = int(float(y))
    if y == 0:
        return pd.NaT
    return pd.Timestamp(y, int(float(m)), int(float(d)) if d.strip() else 1)


# ----------------------------------------------------------------------------------- schema
@pytest.mark.parametrize("name", OURS)
def test_table_has_exactly_the_documented_columns(name):
    assert list(cases.table(name).columns) == list(tables._SCHEMAS[name])


@pytest.mark.parametrize("name", OURS)
def test_every_column_is_documented_in_the_schema_readme(name):
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    section = readme.split(f"## {name}.csv", 1)[1].split("\n## ", 1)[0]
    for col in tables._SCHEMAS[name]:
        assert col in section, f"{name}.csv column {col!r} is not described in data/README.md"


@pytest.mark.parametrize("name,col", [
    ("alliances", "signed"), ("alliances", "ended"), ("memberships", "joined"),
    ("memberships", "left"), ("memberships", "accession"), ("events", "date"),
    ("atop_alliances", "begin"), ("atop_alliances", "end"), ("states", "first_entry"),
])
def test_date_columns_are_datetime64(name, col):
    assert pd.api.types.is_datetime64_dtype(cases.table(name)[col])


@pytest.mark.parametrize("name", ["states", "memberships", "capabilities"])
def test_state_codes_are_plain_integers(name):
    assert cases.table(name)["ccode"].dtype == "int64"


@pytest.mark.parametrize("name", cases.table_names())
def test_every_shipped_table_loads_and_passes_validation(name):
    assert len(cases.table(name)) > 0


# ---------------------------------------------------------------------------------- sources
def test_source_keys_are_unique():
    keys = [r["key"] for r in _raw_rows(DATA / "sources.csv")]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)


@pytest.mark.parametrize("path", sorted(p.name for p in DATA.glob("*.csv")
                                         if p.name != "sources.csv"))
def test_every_row_of_every_table_cites_a_known_source(path):
    keys = {r["key"] for r in _raw_rows(DATA / "sources.csv")}
    for i, row in enumerate(_raw_rows(DATA / path)):
        parts = [p for p in row.get("source", "").split(";") if p.strip()]
        assert parts, f"{path} row {i} has no source"
        assert set(parts) <= keys, f"{path} row {i}: unknown source keys {set(parts) - keys}"


def test_hand_coded_rows_after_2003_cite_more_than_the_datasets():
    datasets = {"atop401", "cow_states2016", "nmc60", "nmc70"}
    m = cases.table("memberships")
    hand = m["date_basis"] == "hand"
    # hand-coded rows dated after 2003, and exits added after ATOP's coverage to ATOP rows
    late = m[(hand & ((m["joined"] > ATOP_END) | (m["left"] > ATOP_END)))
             | (~hand & (m["left"] > ATOP_END))]
    assert len(late) > 0
    for row in late.itertuples():
        assert set(row.source.split(";")) - datasets, (row.alliance_id, row.ccode)
    a = cases.table("alliances")
    for row in a[a["signed"] > ATOP_END].itertuples():
        assert set(row.source.split(";")) - datasets, row.alliance_id


def test_every_non_atop_alliance_cites_a_source_of_its_own():
    a = cases.table("alliances")
    for row in a[a["atop_id"].isna()].itertuples():
        assert set(row.source.split(";")) - {"atop401"}, row.alliance_id


# ------------------------------------------------------------------------------ keys, order
@pytest.mark.parametrize("name,key", [
    ("states", ["ccode"]), ("alliances", ["alliance_id"]),
    ("memberships", ["alliance_id", "ccode", "phase"]), ("events", ["event_id"]),
    ("capabilities", ["ccode", "year"]), ("atop_alliances", ["atopid"]), ("sources", ["key"]),
])
def test_no_duplicate_keys(name, key):
    t = cases.table(name)
    assert not t.duplicated(key).any()


def test_joined_is_never_after_left():
    m = cases.table("memberships")
    closed = m[m["left"].notna()]
    assert (closed["joined"] <= closed["left"]).all()


def test_alliances_end_after_they_begin():
    a = cases.table("alliances")
    done = a[a["ended"].notna()]
    assert (done["signed"] <= done["ended"]).all()


def test_members_join_no_earlier_than_their_alliance_begins():
    m = cases.table("memberships").merge(cases.table("alliances"), on="alliance_id")
    assert (m["joined"] >= m["signed"]).all()


def test_open_memberships_are_exactly_those_in_force():
    m = cases.table("memberships")
    assert ((m["exit_mode"] == "in_force") == m["left"].isna()).all()


def test_phases_of_one_member_follow_each_other_without_gaps():
    m = cases.table("memberships").sort_values(["alliance_id", "ccode", "phase"])
    for _, g in m.groupby(["alliance_id", "ccode"]):
        rows = list(g.itertuples())
        for a, b in zip(rows, rows[1:], strict=False):
            assert a.exit_mode == "replaced" and a.left == b.joined, (a.alliance_id, a.ccode)


# ----------------------------------------------------------------------------- COW states
def test_every_state_code_is_in_the_cow_state_list():
    known = set(cases.table("states")["ccode"])
    assert set(cases.table("memberships")["ccode"]) <= known
    assert set(cases.table("capabilities")["ccode"]) <= known
    for codes in cases.table("events")["ccodes"]:
        assert {int(c) for c in codes.split(";")} <= known, codes


def test_states_table_is_the_cow_list(shared):
    cow = _raw_rows(shared / "states2016.csv")
    codes = {int(r["ccode"]) for r in cow}
    s = cases.table("states")
    assert set(s["ccode"]) == codes
    names = {int(r["ccode"]): (r["stateabb"], r["statenme"]) for r in cow}
    for row in s.itertuples():
        assert (row.stateabb, row.name) == names[row.ccode]


# ------------------------------------------------------------------------------------ ATOP
@pytest.fixture(scope="module")
def atop_members(shared):
    out = {}
    for r in _raw_rows(shared / "atop-member-level.csv"):
        out[(int(r["atopid"]), int(r["member"]), int(r["phase"]))] = (
            _ymd(r["yrent"], r["moent"], r["dayent"]), _ymd(r["yrexit"], r["moexit"], r["dayexit"]))
    return out


def test_atop_coded_memberships_match_atop_entry_and_exit_dates(atop_members):
    m = cases.table("memberships").merge(
        cases.table("alliances")[["alliance_id", "atop_id"]], on="alliance_id")
    atop_rows = m[m["date_basis"] == "atop"]
    assert len(atop_rows) > 150
    for r in atop_rows.itertuples():
        assert pd.notna(r.atop_id), r.alliance_id
        entry, exit_ = atop_members[(int(r.atop_id), r.ccode, r.phase)]
        assert r.joined == entry, (r.alliance_id, r.ccode, r.phase)
        if pd.isna(exit_):
            # in force when ATOP's coverage ends: open, or closed only after it (with a source)
            assert pd.isna(r.left) or r.left > ATOP_COVERAGE_END, (r.alliance_id, r.ccode)
        else:
            assert r.left == exit_, (r.alliance_id, r.ccode, r.phase)


def test_every_member_of_an_atop_alliance_is_shipped(atop_members):
    m = cases.table("memberships").merge(
        cases.table("alliances")[["alliance_id", "atop_id"]], on="alliance_id")
    shipped = {(int(r.atop_id), r.ccode, r.phase) for r in m[m["date_basis"] == "atop"]
               .itertuples()}
    used = set(cases.table("alliances")["atop_id"].dropna().astype(int))
    expected = {k for k in atop_members if k[0] in used}
    assert shipped == expected


def test_every_alliance_with_an_atop_id_has_atops_dates_and_obligations(shared):
    level = {int(r["atopid"]): r for r in _raw_rows(shared / "atop-alliance-level.csv")}
    a = cases.table("alliances")
    pairs = {"defense": "defense", "offense": "offense", "neutrality": "neutral",
             "nonaggression": "nonagg", "consultation": "consul"}
    for r in a[a["atop_id"].notna()].itertuples():
        x = level[int(r.atop_id)]
        assert r.signed == _ymd(x["begyr"], x["begmo"], x["begday"]), r.alliance_id
        end = _ymd(x["endyr"], x["endmo"], x["endday"])
        assert (pd.isna(r.ended) and pd.isna(end)) or r.ended == end, r.alliance_id
        for ours, theirs in pairs.items():
            assert getattr(r, ours) == int(float(x[theirs])), (r.alliance_id, ours)


def test_atop_alliances_is_the_whole_alliance_level_file(shared):
    raw = _raw_rows(shared / "atop-alliance-level.csv")
    t = cases.table("atop_alliances").set_index("atopid")
    assert len(t) == len(raw) == 745
    for r in raw:
        row = t.loc[int(r["atopid"])]
        assert row["ineffect"] == int(float(r["ineffect"]))
        assert row["begin"].year == int(r["begyr"]) and row["begin"].month == int(r["begmo"])
        assert row["begin_day_missing"] == int(r["begday"] == "")
        if not row["begin_day_missing"]:
            assert row["begin"].day == int(float(r["begday"]))
        assert pd.isna(row["end"]) == (int(float(r["endyr"])) == 0)


def test_informal_ententes_have_no_atop_id_and_say_so():
    a = cases.table("alliances").set_index("alliance_id")
    for aid, day in [("entente_cordiale", "1904-04-08"),
                     ("anglo_russian_convention", "1907-08-31")]:
        row = a.loc[aid]
        assert row["kind"] == "informal_entente"
        assert pd.isna(row["atop_id"])
        assert row["signed"] == pd.Timestamp(day)
        assert "no ATOP record" in row["notes"]
        assert row[["defense", "offense", "neutrality", "nonaggression"]].sum() == 0


def test_nato_rows_explain_that_atop_dates_are_protocol_signings():
    m = cases.table("memberships")
    nato = m[(m["alliance_id"] == "nato") & (m["date_basis"] == "atop") & m["accession"].notna()]
    assert len(nato) >= 15
    assert (nato["accession"] > nato["joined"]).all()
    assert nato["notes"].str.contains("protocol").all()


# ------------------------------------------------------------------------------------- NMC
@pytest.fixture(scope="module")
def nmc(shared):
    v6 = {(int(r["ccode"]), int(r["year"])): r for r in _raw_rows(shared / "NMC-60-abridged.csv")}
    v7 = {(int(r["ccode"]), int(r["year"])): r for r in _raw_rows(shared / "NMC-70-abridged.csv")}
    return v6, v7


def test_every_cinc_value_equals_the_nmc_value(nmc):
    v6, v7 = nmc
    cap = cases.table("capabilities")
    assert len(cap) > 5000
    for r in cap.itertuples():
        src = v6 if r.year <= 2016 else v7
        assert r.source == ("nmc60" if r.year <= 2016 else "nmc70")
        assert r.cinc == float(src[(r.ccode, r.year)]["cinc"]), (r.ccode, r.year)


def test_every_component_equals_the_nmc_value_or_is_missing_there(nmc):
    v6, v7 = nmc
    cap = cases.table("capabilities")
    for r in cap.itertuples():
        src = (v6 if r.year <= 2016 else v7)[(r.ccode, r.year)]
        for col in ("milex", "milper", "irst", "pec", "tpop", "upop"):
            ours, theirs = getattr(r, col), src[col]
            if theirs.strip() == "" or float(theirs) == -9:
                assert pd.isna(ours), (r.ccode, r.year, col)
            else:
                assert ours == float(theirs), (r.ccode, r.year, col)


def test_capabilities_cover_every_year_each_state_existed(nmc):
    v6, v7 = nmc
    cap = cases.table("capabilities")
    for code, g in cap.groupby("ccode"):
        want = {y for (c, y) in v6 if c == code} | {y for (c, y) in v7 if c == code and y > 2016}
        assert set(g["year"]) == want, code


def test_every_member_state_has_capabilities():
    have = set(cases.table("capabilities")["ccode"])
    assert set(cases.table("memberships")["ccode"]) <= have


# ------------------------------------------------------------------------------ reliability
def test_reliability_keeps_every_row_and_honour_code(shared):
    raw = _raw_rows(shared / "berkemeier_fuhrmann2018_reliability.csv")
    t = cases.table("reliability")
    assert len(t) == len(raw)
    for col in ("honorBF", "violateBF", "honorLLM", "violateLLM"):
        assert int((t[col] == 1).sum()) == sum(1 for r in raw if r[col] and float(r[col]) == 1)


# -------------------------------------------------------------------------------- coverage
def _members(aid, day):
    return set(cases.members(aid, day)["ccode"])


def test_nato_enlargements_through_sweden():
    assert {375, 380, 343, 341} <= _members("nato", "2024-03-07")
    assert 380 not in _members("nato", "2024-03-06")
    assert len(_members("nato", "2024-03-07")) == 32


@pytest.mark.parametrize("event_id,day", [("france_leaves_command_1966", "1966-03-07"),
                                          ("france_rejoins_command_2009", "2009-04-04")])
def test_france_integrated_command_exit_and_return_are_events(event_id, day):
    e = cases.table("events").set_index("event_id")
    assert e.loc[event_id, "date"] == pd.Timestamp(day)
    assert e.loc[event_id, "alliance_id"] == "nato"


@pytest.mark.parametrize("aid,code,mode", [
    ("warsaw_pact", 339, "renounced"), ("cento", 645, "renounced"), ("anzus", 920, "suspended"),
    ("ecowas", 435, "renounced"), ("ecowas", 432, "renounced"), ("ecowas", 439, "renounced"),
    ("ecowas", 436, "renounced"), ("triple_alliance", 325, "defected"),
])
def test_named_exits_are_recorded(aid, code, mode):
    m = cases.table("memberships")
    rows = m[(m["alliance_id"] == aid) & (m["ccode"] == code)]
    assert rows.sort_values("phase")["exit_mode"].iloc[-1] == mode


def test_sahel_exits_take_effect_on_29_january_2025():
    for code in (432, 439, 436):
        assert code in _members("ecowas", "2025-01-28")
        assert code not in _members("ecowas", "2025-01-29")


def test_asean_enlarges_through_timor_leste():
    assert len(_members("asean", "2025-10-26")) == 11
    assert 860 not in _members("asean", "2025-10-25")


def test_quad_lapsed_and_revived():
    assert _members("quad_2007", "2007-12-01") == {2, 740, 750, 900}
    assert _members("quad_2007", "2010-01-01") == set()
    assert _members("quad", "2018-01-01") == {2, 740, 750, 900}


@pytest.mark.parametrize("aid", [
    "german_russian_convention_1873", "three_emperors_league", "dual_alliance",
    "three_emperors_alliance", "triple_alliance", "austro_german_romanian_1883",
    "reinsurance_treaty", "franco_russian_entente_1891", "franco_russian_alliance",
    "entente_cordiale", "anglo_russian_convention", "grey_cambon_1912", "prinetti_barrere_1902",
    "racconigi_1909", "treaty_of_london_1915", "le_czechoslovakia_yugoslavia",
    "le_czechoslovakia_romania", "le_yugoslavia_romania", "little_entente_pact_1933",
    "little_entente", "france_czechoslovakia_1924", "france_czechoslovakia_1925",
    "france_poland_1921", "france_poland_1925", "yugoslavia_bulgaria_1937",
    "yugoslavia_italy_1937", "nato", "warsaw_pact", "seato", "cento", "anzus", "us_japan",
    "asean", "ecowas", "quad_2007", "quad",
])
def test_required_alliance_is_present_with_members(aid):
    m = cases.table("memberships")
    assert (m["alliance_id"] == aid).sum() >= 2


@pytest.mark.parametrize("aid,first,last,at_least", [
    ("little_entente", 1920, 1939, 12), ("ecowas", 2010, 2025, 12), ("nato", 1991, 2025, 8),
    ("triple_alliance", 1882, 1915, 12),
])
def test_scenario_cases_have_enough_dated_events(aid, first, last, at_least):
    e = cases.table("events")
    e = e[(e["alliance_id"] == aid) & e["date"].dt.year.between(first, last)]
    assert len(e) >= at_least
    assert e["mechanism"].nunique() >= 3


@pytest.mark.parametrize("event_id,day", [
    ("prinetti_barrere_1902", "1902-06-30"), ("racconigi_1909", "1909-10-24"),
    ("italy_neutrality_1914", "1914-08-03"), ("treaty_of_london_1915", "1915-04-26"),
    ("italy_war_1915", "1915-05-23"), ("reinsurance_lapse_1890", "1890-06-18"),
    ("bismarck_dismissed_1890", "1890-03-18"), ("bosnia_annexation_1908", "1908-10-06"),
    ("munich_1938", "1938-09-30"), ("end_of_czechoslovakia_1939", "1939-03-15"),
    ("withdrawal_announced_2024", "2024-01-28"), ("withdrawal_effective_2025", "2025-01-29"),
    ("aes_charter_2023", "2023-09-16"),
])
def test_key_events_are_dated(event_id, day):
    e = cases.table("events").set_index("event_id")
    assert e.loc[event_id, "date"] == pd.Timestamp(day)


def test_event_dates_with_coarse_precision_start_their_period():
    e = cases.table("events")
    assert (e.loc[e["precision"] == "month", "date"].dt.day == 1).all()
    assert (e.loc[e["precision"] == "year", "date"].dt.day_of_year == 1).all()


# ------------------------------------------------------------------------------ rebuilding
def test_rebuilding_from_the_public_files_gives_the_shipped_csvs(shared, tmp_path, load_script):
    written = load_script("build_data").build(shared, tmp_path)
    assert sorted(p.name for p in written) == sorted(f"{n}.csv" for n in BUILT)
    for p in written:
        assert filecmp.cmp(p, DATA / p.name, shallow=False), f"{p.name} differs from a rebuild"


def test_build_refuses_a_missing_public_folder(tmp_path, load_script):
    with pytest.raises(SystemExit):
        load_script("build_data").main(["--shared", str(tmp_path / "nowhere"),
                                        "--out", str(tmp_path)])
