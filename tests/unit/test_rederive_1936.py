"""The replication extracts of lessons 09 and 10, re-derived from the raw public files.

Written apart from ``scripts/build_data.py`` and never importing it: plain pandas on
``../shared/data``, value by value against the shipped CSVs. A rebuild test that reruns the build
script cannot catch a bug in that script (it passed with Germany and the USSR "with" each other in
1918-20); this one can, because it reads who fought whom from each COW dyad's own sides.

What is re-derived:

- every pair of the 1936 landscape: border, war history, rivalry and the years behind them, and
  each pair's value on the four factors;
- the sizes of 1936 (CINC and the Polity cross-check);
- every row of the reliability codings (Berkemeier & Fuhrmann's file with COW and ATOP years);
- every alliance-year of the abrogation panel (Leeds & Savun's sample).

The registered pairs file keeps one known error, a documented deviation; the test checks that it
differs from the re-derivation exactly there and nowhere else.

Skips, with the reason, where ``../shared/data`` is absent; fails instead when ``CI=true``.
"""
from __future__ import annotations

import itertools
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from alliancekit import cases, europe1936, termination

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
YEAR = 1936
#: Axelrod & Bennett's seventeen states (COW codes).
STATES = sorted([200, 220, 235, 255, 290, 310, 315, 325, 345, 350, 360, 365, 366, 367, 368, 375,
                 390])
#: Pairs where the registered file is known to be wrong (data/README.md, deviation entry):
#: COW war 108 has Germany and Soviet Russia on opposite sides; the registered build said "with".
KNOWN_REGISTERED_ERRORS = {(255, 365)}
#: Polity5 country codes that are not COW's abbreviation for the same state.
POLITY_CODES = {"RUM": 360, "USR": 365, "YGS": 345, "SER": 345, "SAR": 325, "MNT": 341,
                "ETI": 530, "PKS": 770, "ZAI": 490, "IVO": 437, "SDN": 625, "VIE": 816,
                "FJI": 950, "SSU": 626}


@pytest.fixture(scope="module")
def raw() -> Path:
    if not (SHARED / "cow-interstate-war-dyads-v4.0.csv").exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"public data folder {SHARED} is absent, and CI must re-derive the data")
        pytest.skip(f"public data folder {SHARED} is absent: the shipped extracts cannot be "
                    "re-derived from their sources here")
    return SHARED


def _read(raw: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(raw / name)


# ------------------------------------------------------------------------------ 1936 pairs
def _war_relations(raw: Path) -> pd.DataFrame:
    """One row per pair of the 17 and COW war fought before 1936: 'against' or 'with'."""
    dyads = _read(raw, "cow-interstate-war-dyads-v4.0.csv")
    dyads = dyads[dyads.year < YEAR]
    assert (dyads.sidea1 != dyads.sidea2).all(), "a COW dyad puts both states on one side"
    rows = []
    for war, d in dyads.groupby("warnum"):
        fought = set(zip(d.ccode1, d.ccode2, strict=True))
        # the side each state held against each opponent, read from that dyad
        side = {(a, b): s for a, b, s in zip(d.ccode1, d.ccode2, d.sidea1, strict=True)}
        held = d.groupby("ccode1").sidea1.agg(set).to_dict()
        for a, b in itertools.combinations(STATES, 2):
            if a not in held or b not in held:
                continue
            if (a, b) in fought or (b, a) in fought:
                relation = "against"
            elif any(side.get((a, c)) == side.get((b, c)) is not None
                     for c in set(d.ccode2[d.ccode1 == a]) & set(d.ccode2[d.ccode1 == b])):
                relation = "with"
            elif len(held[a]) == len(held[b]) == 1 and held[a] != held[b]:
                relation = "against"
            else:
                continue
            rows.append((a, b, war, int(d.year.max()), relation))
    return pd.DataFrame(rows, columns=["ccode_a", "ccode_b", "war", "last_year", "relation"])


def _pairs(raw: Path) -> pd.DataFrame:
    """Every column of europe1936_pairs.csv, from the raw files."""
    grid = pd.DataFrame(list(itertools.combinations(STATES, 2)), columns=["ccode_a", "ccode_b"])

    cont = _read(raw, "cow-contiguity-v3.2.csv")
    lo, hi = cont[["ccode1", "ccode2"]].min(axis=1), cont[["ccode1", "ccode2"]].max(axis=1)
    cont = cont.assign(ccode_a=lo, ccode_b=hi, order=np.arange(len(cont)))
    cont = cont[cont.ccode_a.isin(STATES) & cont.ccode_b.isin(STATES)
                & (cont.stdate <= f"{YEAR}-12-31") & (cont.enddate >= f"{YEAR}-01-01")]
    cont = cont.sort_values(["conttype", "order"]).drop_duplicates(["ccode_a", "ccode_b"])
    cont = cont.assign(border=cont.conttype, border_since=cont.stdate.str[:4].astype(int))

    wars = _war_relations(raw).sort_values(["last_year", "war"])
    counts = wars.pivot_table(index=["ccode_a", "ccode_b"], columns="relation", values="war",
                              aggfunc="count", fill_value=0)
    latest = wars.groupby(["ccode_a", "ccode_b"]).tail(1)

    riv = _read(raw, "thompson-dreyer-rivalries.csv")
    riv = riv.assign(ccode_a=riv[["ccode1", "ccode2"]].min(axis=1),
                     ccode_b=riv[["ccode1", "ccode2"]].max(axis=1))
    riv = riv[riv.ccode_a.isin(STATES) & riv.ccode_b.isin(STATES)
              & (riv.styear <= YEAR) & (riv.endyear >= YEAR)]
    riv = riv.groupby(["ccode_a", "ccode_b"]).styear.min().rename("rivalry_since").reset_index()

    out = (grid.merge(cont[["ccode_a", "ccode_b", "border", "border_since"]], how="left")
           .merge(counts.reset_index(), how="left")
           .merge(latest[["ccode_a", "ccode_b", "last_year", "relation"]], how="left")
           .merge(riv, how="left"))
    out["border"] = out.border.fillna(0).astype(int)
    out["wars_against"] = out.get("against", 0).fillna(0).astype(int)
    out["wars_with"] = out.get("with", 0).fillna(0).astype(int)
    out["rivalry"] = out.rivalry_since.notna().astype(int)
    out["latest_year_used"] = out[["border_since", "last_year", "rivalry_since"]].max(axis=1)
    return out.rename(columns={"last_year": "last_war_year", "relation": "last_war_relation"})


PAIR_COLUMNS = ("border", "border_since", "wars_against", "wars_with", "last_war_year",
                "last_war_relation", "rivalry", "rivalry_since", "latest_year_used")


def _differences(ours: pd.DataFrame, shipped: pd.DataFrame, key, columns) -> list[tuple]:
    """Every (key, column, derived, shipped) where the two tables differ; [] when they agree."""
    a = ours.set_index(list(key)).sort_index()
    b = shipped.set_index(list(key)).sort_index()
    assert list(a.index) == list(b.index), "the two tables hold different rows"
    out = []
    for col in columns:
        x, y = a[col], b[col]
        both_empty = x.isna() & y.isna()
        if pd.api.types.is_numeric_dtype(x) and pd.api.types.is_numeric_dtype(y):
            same = np.isclose(x.astype(float), y.astype(float), rtol=0, atol=5e-5) | both_empty
        else:
            same = (x.astype(str) == y.astype(str)) | both_empty
        out += [(k, col, x[k], y[k]) for k in x.index[~same]]
    return out


def _show(wrong: list[tuple], first: int = 40) -> str:
    return f"{len(wrong)} differences:\n" + "\n".join(
        f"{k} {col}: derived {d!r}, shipped {s!r}" for k, col, d, s in wrong[:first])


@pytest.fixture(scope="module")
def derived(raw) -> pd.DataFrame:
    return _pairs(raw)


def test_every_corrected_pair_value_is_re_derived_from_the_raw_files(derived):
    wrong = _differences(derived, cases.table("europe1936_pairs_corrected"),
                         ("ccode_a", "ccode_b"), PAIR_COLUMNS)
    assert not wrong, _show(wrong)


def test_the_registered_pairs_differ_from_the_raw_files_only_where_the_deviation_says(derived):
    wrong = _differences(derived, cases.table("europe1936_pairs"),
                         ("ccode_a", "ccode_b"), PAIR_COLUMNS)
    pairs = {tuple(int(c) for c in k) for k, *_ in wrong}
    assert pairs == KNOWN_REGISTERED_ERRORS, _show(wrong)


def test_germany_and_the_ussr_last_fought_against_each_other(derived):
    pair = derived.set_index(["ccode_a", "ccode_b"]).loc[(255, 365)]
    assert (pair.wars_against, pair.wars_with, pair.last_war_relation) == (2, 0, "against")


def _factors(pairs: pd.DataFrame) -> pd.DataFrame:
    """Each pair's factor values, from the definitions written in europe1936_weights.csv."""
    camp = cases.table("europe1936_ideology").set_index("ccode").ideology
    camps = {"democracy", "fascism", "communism"}

    def ideology(a, b):
        if camp[a] not in camps or camp[b] not in camps:
            return 0
        return 1 if camp[a] == camp[b] else -1
    return pairs.assign(
        ideology=[ideology(a, b) for a, b in zip(pairs.ccode_a, pairs.ccode_b, strict=True)],
        war_history=pairs.last_war_relation.map({"against": -1, "with": 1}).fillna(0).astype(int),
        rivalry=-pairs.rivalry,
        border=-(pairs.border == 1).astype(int))


def test_every_factor_of_every_pair_is_re_derived(derived):
    ours = _factors(derived)
    wrong = _differences(ours, europe1936.factor_values("corrected"), ("ccode_a", "ccode_b"),
                         europe1936.FACTORS)
    assert not wrong, _show(wrong)


def test_the_sizes_of_1936_are_re_derived(raw):
    nmc = _read(raw, "NMC-60-abridged.csv")
    nmc = nmc[(nmc.year == YEAR) & nmc.ccode.isin(STATES)]
    polity = _polity(raw)
    ours = nmc.assign(polity_democracy=[
        polity.get((c, YEAR), np.nan) >= 6 if (c, YEAR) in polity else np.nan
        for c in nmc.ccode]).astype({"polity_democracy": float})
    wrong = _differences(ours, cases.table("europe1936_sizes"), ("ccode",),
                         ("stateabb", "cinc", "polity_democracy"))
    assert not wrong, _show(wrong)


# ------------------------------------------------------------------- reliability codings
def test_every_reliability_coding_is_re_derived(raw):
    bf = _read(raw, "berkemeier_fuhrmann2018_reliability.csv")
    dyads = _read(raw, "cow-interstate-war-dyads-v4.0.csv")
    first = dyads.groupby("warnum").year.min()
    begun = _read(raw, "atop-alliance-level.csv").set_index("atopid").begyr
    from_name = bf.warname.str.extract(r"(1[89]\d\d|20\d\d)")[0].astype(float)
    cow_year = bf.cowwarid.map(first)
    ours = bf.assign(
        row=np.arange(1, len(bf) + 1),
        war_begin_year=cow_year.fillna(from_name),
        war_year_basis=np.where(cow_year.notna(), "cow", "name"),
        alliance_begin_year=bf.atopid.map(begun))
    shipped = cases.table("reliability_codings")
    columns = [c for c in shipped.columns if c not in ("row", "source")]
    assert not ours.war_begin_year.isna().any(), "a war with no first year"
    wrong = _differences(ours, shipped, ("row",), columns)
    assert not wrong, _show(wrong)


# ------------------------------------------------------------------------ abrogation panel
def _polity(raw: Path) -> dict[tuple[int, int], int]:
    states = _read(raw, "states2016.csv")
    cow = dict(zip(states.stateabb, states.ccode, strict=True))
    p = _read(raw, "polity5-p5v2018-polity2.csv").dropna(subset=["polity2"])
    p = p[~p.polity2.isin([-66, -77, -88])]
    p = p.assign(ccode=p.scode.map(lambda s: POLITY_CODES.get(s, cow.get(s))))
    p = p.dropna(subset=["ccode"]).drop_duplicates(["ccode", "year"], keep="first")
    return {(int(c), int(y)): int(v) for c, y, v in zip(p.ccode, p.year, p.polity2, strict=True)}


def _abrogation_panel(raw: Path) -> pd.DataFrame:
    members = _read(raw, "atop-member-level.csv")
    level = _read(raw, "atop-alliance-level.csv")
    cow = set(_read(raw, "states2016.csv").ccode)
    nmc = _read(raw, "NMC-60-abridged.csv").dropna(subset=["cinc"])
    cinc = {(c, y): v for c, y, v in zip(nmc.ccode, nmc.year, nmc.cinc, strict=True)}
    polity = _polity(raw)
    majors = _read(raw, "cow-majors-2016.csv")
    major = {(c, y) for c, s, e in zip(majors.ccode, majors.styear, majors.endyear, strict=True)
             for y in range(s, e + 1)}
    who = members.groupby("atopid").member.agg(lambda m: sorted(set(m)))
    entered = members.groupby("member")[["yrent", "atopid"]].apply(
        lambda g: list(zip(g.yrent, g.atopid, strict=True)))
    leaving = {k: g for k, g in members.groupby(["atopid", "yrexit"])}
    rows = []
    for r in level.itertuples():
        pair = who[r.atopid]
        if (r.bilat != 1 or not 1816 <= r.begyr <= 1989 or len(pair) != 2
                or not set(pair) <= cow):
            continue
        ended = pd.notna(r.endyr) and 0 < r.endyr <= 2003
        last = int(r.endyr) if ended else 2003
        ending = cause = mode = causes = None
        if ended:
            out = leaving[(r.atopid, r.endyr)]
            modes = sorted(set(out.termmode.dropna().astype(int)))
            broken = [m for m in modes if termination.label(m) == "violated_or_abrogated"]
            pick = (broken or modes)[0]
            ending = "abrogation" if broken else "other"
            cause, mode = termination.label(pick), str(pick)
            causes = ";".join(str(c) for c in sorted(set(out.termcaus.dropna().astype(int))))
        linked = int((r.ecaid or 0) > 0 or (r.compag or 0) > 0)
        for y in range(r.begyr, last + 1):
            c0, ct = [cinc.get((c, r.begyr)) for c in pair], [cinc.get((c, y)) for c in pair]
            shift = (np.nan if None in c0 + ct or 0 in c0
                     else max(abs(t / s - 1) for s, t in zip(c0, ct, strict=True)))
            p0, pt = [polity.get((c, r.begyr)) for c in pair], [polity.get((c, y)) for c in pair]
            new = {(yr, b) for c in pair for yr, b in entered[c]
                   if r.begyr < yr <= y and b != r.atopid and (set(pair) - {c}).isdisjoint(who[b])}
            rows.append({
                "atopid": r.atopid, "ccode_a": pair[0], "ccode_b": pair[1], "year": y,
                "start": y - r.begyr, "stop": y - r.begyr + 1,
                "ending": ending if y == last else None,
                "end_cause": cause if y == last else None,
                "atop_termmode": mode if y == last else None,
                "atop_termcaus": causes if y == last else None,
                "cinc_change": shift,
                "polity_change": (np.nan if None in p0 + pt
                                  else max(abs(t - s) for s, t in zip(p0, pt, strict=True))),
                "democracies": np.nan if None in pt else sum(p >= 6 for p in pt),
                "new_outside": len({b for _, b in new}),
                "new_outside_recent": len({b for yr, b in new if yr >= y - 1}),
                "linkage": linked, "major_power": int(any((c, y) in major for c in pair)),
                "wartime": int(r.wartime or 0)})
    return pd.DataFrame(rows)


def test_every_alliance_year_of_the_abrogation_panel_is_re_derived(raw):
    ours = _abrogation_panel(raw)
    shipped = cases.table("abrogation")
    for col in ("atop_termmode", "atop_termcaus"):  # ';'-joined codes: compare as text
        shipped[col] = shipped[col].map(lambda v: None if pd.isna(v) else
                                        str(int(v)) if isinstance(v, float) else str(v))
        ours[col] = ours[col].map(lambda v: None if v in (None, "") else v)
    columns = [c for c in shipped.columns if c not in ("atopid", "year", "source")]
    wrong = _differences(ours, shipped, ("atopid", "year"), columns)
    assert not wrong, _show(wrong)
