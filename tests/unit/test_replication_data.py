"""The replication extracts (lesson 09) against the public files they are built from.

Each test recomputes a figure from ``../shared/data`` with pandas, independently of the build
script's standard-library code, and compares it with the shipped CSV. Tests that need the public
files skip, with the reason, where that folder is absent; in CI (``ALLIANCEKIT_CI=1``) that skip
fails (root ``conftest.py``).
"""
from __future__ import annotations

import filecmp
from pathlib import Path

import pandas as pd
import pytest

from alliancekit import cases

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "alliancekit" / "data"
SHARED = ROOT.parent / "shared" / "data"
BUILT = ("abrogation", "reliability_codings", "europe1936_pairs", "europe1936_pairs_corrected",
         "europe1936_sizes")


@pytest.fixture(scope="module")
def shared() -> Path:
    if not (SHARED / "atop-alliance-level.csv").exists():
        pytest.skip(f"public data folder {SHARED} is absent: the replication extracts cannot be "
                    "compared with their sources here")
    return SHARED


@pytest.fixture(scope="module")
def abrogation() -> pd.DataFrame:
    return cases.table("abrogation")


@pytest.fixture(scope="module")
def builder(load_script):
    """scripts/build_replications.py, imported."""
    return load_script("build_replications")


# ------------------------------------------------------------------------------ rebuilding
def test_rebuilding_gives_the_shipped_replication_extracts(shared, tmp_path, builder):
    written = builder.build_replications(shared, tmp_path)
    assert sorted(p.stem for p in written) == sorted(BUILT)
    for p in written:
        assert filecmp.cmp(p, DATA / p.name, shallow=False), f"{p.name} differs from a rebuild"


@pytest.mark.parametrize("name", BUILT)
def test_every_column_is_described_in_the_data_readme(name):
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    described = name.removesuffix("_corrected")  # the corrected file has the registered columns
    section = readme.split(f"### {described}.csv", 1)[1].split("\n### ", 1)[0]
    for col in cases.table(name).columns:
        if col.endswith("LLM") and "honorLLM ... dnaLLM" in section:
            continue
        assert col in section, f"{name}.csv column {col!r} is not described in data/README.md"


def test_polity5_licence_is_stated_beside_the_packages_own():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert "non-commercial" in readme and "MIT" in readme


# ------------------------------------------------------------------------------ abrogation
def test_abrogation_holds_every_two_member_bilateral_alliance_formed_1816_to_1989(shared,
                                                                                 abrogation):
    level = pd.read_csv(shared / "atop-alliance-level.csv")
    members = pd.read_csv(shared / "atop-member-level.csv").groupby("atopid")["member"].nunique()
    cow = set(pd.read_csv(shared / "states2016.csv")["ccode"])
    member_codes = pd.read_csv(shared / "atop-member-level.csv").groupby("atopid")["member"]
    in_cow = member_codes.apply(lambda s: set(s) <= cow)
    chosen = level[(level.bilat == 1) & level.begyr.between(1816, 1989)]
    chosen = chosen[chosen.atopid.map(members).eq(2) & chosen.atopid.map(in_cow)]
    assert set(abrogation.atopid) == set(chosen.atopid)
    assert abrogation.atopid.nunique() == 357


def test_abrogation_has_one_row_per_year_from_signing_to_end_or_2003(shared, abrogation):
    level = pd.read_csv(shared / "atop-alliance-level.csv").set_index("atopid")
    last = level.endyr.where((level.endyr > 0) & (level.endyr <= 2003), 2003)
    expected = sum(int(last[a] - level.begyr[a] + 1) for a in abrogation.atopid.unique())
    assert len(abrogation) == expected == 5733


def test_molotov_ribbentrop_pact_ends_in_abrogation_in_1941(abrogation):
    pact = abrogation[abrogation.atopid == 2470]
    assert list(pact.year) == [1939, 1940, 1941]
    assert list(pact.ending.fillna("")) == ["", "", "abrogation"]
    assert sorted((pact.ccode_a.iloc[0], pact.ccode_b.iloc[0])) == [255, 365]


def test_reinsurance_treaty_lapses_as_another_ending(abrogation):
    last = abrogation[abrogation.atopid == 1370].iloc[-1]
    assert (last.year, last.ending, float(last.atop_termmode)) == (1890, "other", 1.0)


def test_abrogation_ending_matches_atop_termmode_3(shared, abrogation):
    m = pd.read_csv(shared / "atop-member-level.csv")
    last_rows = abrogation.groupby("atopid").tail(1).set_index("atopid")
    for a, row in last_rows.iterrows():
        if pd.isna(row.ending):
            continue
        ended = m[(m.atopid == a) & (m.yrexit == row.year)]
        assert (row.ending == "abrogation") == (ended.termmode == 3).any(), a


def test_cinc_change_equals_nmc_for_the_dual_alliances_successor_rows(shared, abrogation):
    nmc = pd.read_csv(shared / "NMC-60-abridged.csv").set_index(["ccode", "year"])["cinc"]
    sample = abrogation.dropna(subset=["cinc_change"]).iloc[::97]
    for _, r in sample.iterrows():
        begin = r.year - r.start
        change = max(abs(nmc[(c, r.year)] / nmc[(c, begin)] - 1) for c in (r.ccode_a, r.ccode_b))
        assert r.cinc_change == pytest.approx(change, abs=6e-5)


def test_democracies_count_members_with_polity2_of_6_or_more(shared, abrogation):
    polity = pd.read_csv(shared / "polity5-p5v2018-polity2.csv")
    uk = polity[(polity.scode == "UKG") & (polity.year == 1950)].polity2.iloc[0]
    fr = polity[(polity.scode == "FRN") & (polity.year == 1950)].polity2.iloc[0]
    rows = abrogation[(abrogation.ccode_a == 200) & (abrogation.ccode_b == 220)
                      & (abrogation.year == 1950)]
    assert len(rows) >= 1
    assert (rows.democracies == int(uk >= 6) + int(fr >= 6)).all()


def test_no_polity_score_is_shipped(abrogation):
    # Polity5's licence: only derived variables. polity_change is a difference and democracies a
    # count; neither column may hold a raw -10..10 score by name.
    for name in BUILT:
        assert not any("polity2" in c for c in cases.table(name).columns)


# ------------------------------------------------------------------------- reliability
def test_reliability_codings_copy_every_flag_of_the_replication_file(shared):
    raw = pd.read_csv(shared / "berkemeier_fuhrmann2018_reliability.csv")
    ours = cases.table("reliability_codings")
    assert len(ours) == len(raw) == 576
    for col in ("sample", "honorBF", "violateBF", "honorLLM", "violateLLM", "nonaggLLM",
                "consulLLM", "cfnaLLM", "dnaLLM", "defense", "consul"):
        assert ours[col].fillna(-1).astype(int).tolist() == raw[col].fillna(-1).astype(int).tolist()


def test_world_war_two_rows_begin_in_1939(shared):
    ours = cases.table("reliability_codings")
    assert set(ours[ours.cowwarid == 139].war_begin_year) == {1939}


# ---------------------------------------------------------------------------- europe 1936
def test_europe1936_sizes_are_the_nmc_cinc_scores_of_1936(shared):
    nmc = pd.read_csv(shared / "NMC-60-abridged.csv")
    nmc = nmc[nmc.year == 1936].set_index("ccode")["cinc"]
    sizes = cases.table("europe1936_sizes")
    assert len(sizes) == 17
    for _, r in sizes.iterrows():
        assert r.cinc == pytest.approx(nmc[r.ccode], abs=1e-6)


def test_europe1936_has_every_pair_once():
    pairs = cases.table("europe1936_pairs")
    assert len(pairs) == 17 * 16 // 2
    assert (pairs.ccode_a < pairs.ccode_b).all()


def test_france_and_germany_share_a_land_border_and_fought_twice():
    pairs = cases.table("europe1936_pairs").set_index(["ccode_a", "ccode_b"])
    fg = pairs.loc[(220, 255)]
    assert (fg.border, fg.wars_against, fg.last_war_year) == (1, 2, 1918)


def test_poland_and_the_ussr_fought_in_1920(shared):
    pairs = cases.table("europe1936_pairs").set_index(["ccode_a", "ccode_b"])
    assert pairs.loc[(290, 365)].wars_against >= 1
    wars = pd.read_csv(shared / "cow-interstate-war-dyads-v4.0.csv")
    assert ((wars.ccode1 == 290) & (wars.ccode2 == 365) & (wars.year <= 1920)).any()


def test_no_pair_input_is_dated_after_1936():
    pairs = cases.table("europe1936_pairs")
    for col in ("border_since", "last_war_year", "rivalry_since", "latest_year_used"):
        assert (pairs[col].dropna() <= 1936).all(), col


def test_end_cause_is_the_courses_termination_label(abrogation):
    from alliancekit import termination

    last = abrogation.groupby("atopid").tail(1).dropna(subset=["ending"])
    for _, r in last.iterrows():
        assert r.end_cause == termination.label(float(r.atop_termmode))
        assert (r.ending == "abrogation") == (r.end_cause == "violated_or_abrogated")


# ------------------------------------------------------------- who fought whom, from dyads
def _dyad(war, a, b, side_a, side_b, year=1900):
    return {"warnum": str(war), "ccode1": str(a), "ccode2": str(b), "year": str(year),
            "sidea1": str(side_a), "sidea2": str(side_b)}


def _both_ways(war, a, b, side_a, side_b, year=1900):
    return [_dyad(war, a, b, side_a, side_b, year), _dyad(war, b, a, side_b, side_a, year)]


def test_a_state_on_both_sides_of_a_war_is_read_from_its_dyads(builder):
    # COW war 108's shape: 1 fights 2, then fights 3 from the other side, with 2 beside it
    rows = _both_ways(108, 1, 2, 1, 2) + _both_ways(108, 1, 3, 2, 1) + _both_ways(108, 2, 3, 2, 1)
    relation = builder._relations_dyadic({108: rows})
    assert relation(108, 1, 2) == "against"
    assert relation(108, 2, 3) == "against"
    assert builder._relations_registered({108: rows})(108, 1, 2) == "with"  # the old bug


def test_states_with_a_common_opponent_fought_together(builder):
    rows = _both_ways(1, 10, 30, 1, 2) + _both_ways(1, 20, 30, 1, 2)
    assert builder._relations_dyadic({1: rows})(1, 10, 20) == "with"


@pytest.mark.parametrize("rows, message", [
    ([_dyad(5, 1, 2, 1, 1)], "both hold side 1"),
    ([_dyad(5, 1, 2, 1, 2), _dyad(5, 2, 1, 1, 2)], "mirror"),
    ([_dyad(5, 1, 2, 1, 2), _dyad(5, 1, 2, 2, 1, 1901)], "both sides of their own dyad"),
])
def test_the_build_refuses_a_dyad_file_that_contradicts_itself(rows, message, builder):
    with pytest.raises(builder.DyadError, match=message):
        builder._relations_dyadic({5: rows})
