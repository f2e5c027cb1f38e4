#!/usr/bin/env python3
"""Build the replication extracts of lessons 09 and 10 from the public datasets.

Leeds & Savun (2007), Leeds, Long & Mitchell (2000) as re-coded by Berkemeier & Fuhrmann (2018),
and Axelrod & Bennett's (1993) 1936 Europe: abrogation.csv, reliability_codings.csv,
europe1936_pairs.csv (the registered coding), europe1936_pairs_corrected.csv (the corrected one)
and europe1936_sizes.csv; schemas in alliancekit/data/README.md. ``scripts/build_data.py`` runs
`build_replications` after the case extracts (``python3 tasks.py data``). Standard library only;
the output is deterministic.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # its sister scripts, when imported

from csv_files import read_csv, write_csv  # noqa: E402

#: Leeds & Savun's sample: bilateral alliances formed in these years.
ABROGATION_FORMED = (1816, 1989)
#: Alliances still in force are followed to the end of this year, then censored.
ABROGATION_LAST_YEAR = 2003
#: The course's label (alliancekit.termination, kept in that one place) of an ending in
#: violation of the terms: Leeds & Savun's abrogation. Every other label is an "other" ending.
ABROGATION_LABEL = "violated_or_abrogated"
#: Polity5 abbreviations that differ from COW's for the same state code.
POLITY_TO_COW = {"RUM": 360, "USR": 365, "YGS": 345, "SER": 345, "SAR": 325, "MNT": 341,
                 "ETI": 530, "PKS": 770, "ZAI": 490, "IVO": 437, "SDN": 625, "VIE": 816,
                 "FJI": 950, "SSU": 626}
#: Polity5 values that are not scores (interruption, interregnum, transition).
POLITY_SPECIAL = {-66, -77, -88}
DEMOCRACY_MIN_POLITY2 = 6  # the usual Polity cut-off for a democracy

ABROGATION_COLUMNS = (
    "atopid", "ccode_a", "ccode_b", "year", "start", "stop", "ending", "end_cause", "atop_termmode",
    "atop_termcaus", "cinc_change", "polity_change", "democracies", "new_outside",
    "new_outside_recent", "linkage",
    "major_power", "wartime", "source")


def _num(text: str) -> float | None:
    text = (text or "").strip()
    return None if text in ("", "NA") else float(text)


def _cinc_by_state_year(shared: Path) -> dict[tuple[int, int], float]:
    return {(int(r["ccode"]), int(r["year"])): float(r["cinc"])
            for r in read_csv(shared / "NMC-60-abridged.csv") if _num(r["cinc"]) is not None}


def _polity2_by_state_year(shared: Path) -> dict[tuple[int, int], int]:
    """Polity5 polity2 by COW code and year (abbreviations matched to COW's; a few mapped)."""
    cow = {r["stateabb"]: int(r["ccode"]) for r in read_csv(shared / "states2016.csv")}
    out: dict[tuple[int, int], int] = {}
    for r in read_csv(shared / "polity5-p5v2018-polity2.csv"):
        code = POLITY_TO_COW.get(r["scode"], cow.get(r["scode"]))
        value = _num(r["polity2"])
        if code is None or value is None or int(value) in POLITY_SPECIAL:
            continue
        out.setdefault((code, int(r["year"])), int(value))
    return out


def _major_years(shared: Path) -> set[tuple[int, int]]:
    years = set()
    for r in read_csv(shared / "cow-majors-2016.csv"):
        for y in range(int(r["styear"]), int(r["endyear"]) + 1):
            years.add((int(r["ccode"]), y))
    return years


def _ending(rows: list[dict], end_year: int) -> tuple[str, str, str, str]:
    """How a bilateral alliance ended: ('abrogation' | 'other', label, termmode, termcaus).

    The member rows whose exit year is the alliance's last year decide; if any of them carries
    the termination label ``violated_or_abrogated`` the ending is an abrogation.
    """
    from alliancekit.termination import label

    last = [r for r in rows if int(float(r["yrexit"] or 0)) == end_year]
    modes = sorted({int(float(r["termmode"])) for r in last if r["termmode"].strip()})
    causes = sorted({int(float(r["termcaus"])) for r in last if r["termcaus"].strip()})
    broken = [m for m in modes if label(m) == ABROGATION_LABEL]
    kind = "abrogation" if broken else "other"
    pick = broken[:1] if broken else modes[:1]
    return kind, label(pick[0]), ";".join(map(str, pick)), ";".join(map(str, causes))


def build_abrogation(shared: Path) -> list[dict]:
    """Alliance-years of ATOP's bilateral alliances formed 1816-1989, with the paper's covariates.

    One row per alliance and calendar year from the year it was signed to the year it ended
    (or ABROGATION_LAST_YEAR). ``start``/``stop`` are years since signing (the row covers
    (start, stop]); ``ending`` is set on the last row only.
    """
    cinc = _cinc_by_state_year(shared)
    polity = _polity2_by_state_year(shared)
    majors = _major_years(shared)
    cow_codes = {int(r["ccode"]) for r in read_csv(shared / "states2016.csv")}
    members: dict[int, list[dict]] = {}
    entries: dict[int, list[tuple[int, int]]] = {}  # ccode -> [(year entered, atopid)]
    partners: dict[int, set[int]] = {}
    for r in read_csv(shared / "atop-member-level.csv"):
        a, c = int(r["atopid"]), int(r["member"])
        members.setdefault(a, []).append(r)
        entries.setdefault(c, []).append((int(r["yrent"]), a))
        partners.setdefault(a, set()).add(c)
    rows = []
    for r in read_csv(shared / "atop-alliance-level.csv"):
        a, begin = int(r["atopid"]), int(r["begyr"])
        if int(float(r["bilat"])) != 1 or not ABROGATION_FORMED[0] <= begin <= ABROGATION_FORMED[1]:
            continue
        pair = sorted(partners[a])
        if len(pair) != 2:  # ATOP's bilat flag, but a third state joined in a later phase
            continue
        if not set(pair) <= cow_codes:  # a member outside the COW list (ATOP 1320: 8152)
            continue
        end = int(float(r["endyr"] or 0))
        ended = end != 0 and end <= ABROGATION_LAST_YEAR
        last = end if ended else ABROGATION_LAST_YEAR
        kind, end_cause, mode, cause = _ending(members[a], end) if ended else ("", "", "", "")
        linkage = int(any((_num(r[k]) or 0) > 0 for k in ("ecaid", "compag")))
        for y in range(begin, last + 1):
            c0 = [cinc.get((c, begin)) for c in pair]
            ct = [cinc.get((c, y)) for c in pair]
            change = ("" if None in c0 + ct or 0 in c0 else
                      f"{max(abs(t / s - 1) for s, t in zip(c0, ct, strict=True)):.4f}")
            p0 = [polity.get((c, begin)) for c in pair]
            pt = [polity.get((c, y)) for c in pair]
            pchange = ("" if None in p0 + pt else
                       max(abs(t - s) for s, t in zip(p0, pt, strict=True)))
            dem = "" if None in pt else sum(p >= DEMOCRACY_MIN_POLITY2 for p in pt)
            outside = {(yr, b) for c in pair for (yr, b) in entries[c]
                       if begin < yr <= y and b != a and not (set(pair) - {c}) & partners[b]}
            rows.append({
                "atopid": a, "ccode_a": pair[0], "ccode_b": pair[1], "year": y,
                "start": y - begin, "stop": y - begin + 1,
                "ending": kind if y == last else "",
                "end_cause": end_cause if y == last else "",
                "atop_termmode": mode if y == last else "",
                "atop_termcaus": cause if y == last else "",
                "cinc_change": change, "polity_change": pchange, "democracies": dem,
                "new_outside": len({b for _, b in outside}),
                "new_outside_recent": len({b for yr, b in outside if yr >= y - 1}),
                "linkage": linkage,
                "major_power": int(any((c, y) in majors for c in pair)),
                "wartime": int(float(r["wartime"] or 0)),
                "source": "atop401;nmc60;polity5;miller2022",
            })
    return sorted(rows, key=lambda x: (x["atopid"], x["year"]))


RELIABILITY_CODING_COLUMNS = (
    "row", "sample", "warid", "cowwarid", "warname", "war_begin_year", "war_year_basis", "atopid",
    "alliance_begin_year", "multilateral", "honorBF", "violateBF", "nonaggBF", "consulBF",
    "cfnaBF", "dnaBF", "honorLLM", "violateLLM", "nonaggLLM", "consulLLM", "cfnaLLM", "dnaLLM",
    "defense", "offense", "neutral", "nonagg", "consul", "source")


def _year_in_name(name: str) -> int | None:
    """The first four-digit year in a war's name ('Bizerte1961' -> 1961), or None."""
    found = re.search(r"(1[89]\d\d|20\d\d)", name)
    return int(found.group(1)) if found else None


def build_reliability_codings(shared: Path) -> list[dict]:
    """Every row of the Berkemeier & Fuhrmann file with both codings' columns, the war's first
    year (COW inter-state wars) and the alliance's first year (ATOP), in file order."""
    war_year: dict[int, int] = {}
    for r in read_csv(shared / "cow-interstate-war-dyads-v4.0.csv"):
        w = int(r["warnum"])
        war_year[w] = min(war_year.get(w, 9999), int(r["year"]))
    begin = {int(r["atopid"]): int(r["begyr"])
             for r in read_csv(shared / "atop-alliance-level.csv")}
    out = []
    for i, r in enumerate(read_csv(shared / "berkemeier_fuhrmann2018_reliability.csv"), 1):
        def flag(col, r=r):
            v = _num(r[col])
            return "" if v is None else int(v)
        w, a = _num(r["cowwarid"]), _num(r["atopid"])
        wy = war_year.get(int(w)) if w is not None else None
        basis = "cow" if wy is not None else "name"
        if wy is None:
            wy = _year_in_name(r["warname"])
        if wy is None:
            raise ValueError(f"no first year for the war {r['warname']!r}")
        d = {k: flag(k) for k in RELIABILITY_CODING_COLUMNS
             if k not in ("row", "warname", "war_begin_year", "war_year_basis",
                          "alliance_begin_year", "source")}
        d.update(row=i, warname=r["warname"], war_begin_year=wy, war_year_basis=basis,
                 alliance_begin_year=begin.get(int(a), "") if a is not None else "",
                 source="berkemeier_fuhrmann2018;cow_wars40;atop401;miller2022")
        out.append(d)
    return out


#: Axelrod & Bennett's (1993) seventeen European states of 1936 (COW codes).
EUROPE_1936 = (200, 220, 255, 325, 365, 290, 315, 310, 360, 345, 350, 390, 375, 366, 367, 368,
               235)
EUROPE_YEAR = 1936
EUROPE_PAIR_COLUMNS = (
    "ccode_a", "ccode_b", "border", "border_since", "wars_against", "wars_with",
    "last_war_year", "last_war_relation", "rivalry", "rivalry_since", "latest_year_used",
    "source")
EUROPE_SIZE_COLUMNS = ("ccode", "stateabb", "year", "cinc", "polity_democracy", "source")


class DyadError(ValueError):
    """The COW dyad file contradicts itself, so who fought whom cannot be read from it."""


def _war_dyads(shared: Path) -> dict[int, list[dict]]:
    """COW inter-state war dyad-years dated before EUROPE_YEAR, by war number."""
    wars: dict[int, list[dict]] = {}
    for r in read_csv(shared / "cow-interstate-war-dyads-v4.0.csv"):
        if int(r["year"]) < EUROPE_YEAR:
            wars.setdefault(int(r["warnum"]), []).append(r)
    return wars


def _relations_registered(wars: dict[int, list[dict]]):
    """War relations as the **registered** coding read them: one side per state and war.

    Kept only so that the registered file (``europe1936_pairs.csv``) can still be rebuilt and
    checked. It is wrong where a state appears on both sides of one war: the dict below keeps the
    side written last, so Germany, on side 1 against Russia and on side 2 against Estonia and
    Latvia in COW war 108, comes out on Russia's side. Use :func:`_relations_dyadic`.
    """
    sides: dict[int, dict[int, set[int]]] = {}
    for w, rows in wars.items():
        for r in rows:
            sides.setdefault(w, {}).setdefault(int(r["sidea1"]), set()).add(int(r["ccode1"]))

    def relation(w: int, a: int, b: int) -> str:
        side_of = {c: s for s, cs in sides[w].items() for c in cs}
        if a in side_of and b in side_of:
            return "with" if side_of[a] == side_of[b] else "against"
        return ""
    return relation


def _relations_dyadic(wars: dict[int, list[dict]]):
    """War relations read from each dyad's own sides (the corrected coding).

    For two states in one war: ``against`` if a dyad pits them against each other; otherwise
    ``with`` if they fought a common opponent from the same side of those two dyads; otherwise
    ``against`` if each held a single side and the sides differ; otherwise ``""`` (no relation).
    Raises :class:`DyadError` where the file contradicts itself: a dyad whose two states hold the
    same side, a directed dyad whose mirror row gives other sides, or a pair found on both sides of
    their own dyad in one war.
    """
    pair_side: dict[tuple[int, int, int], set[tuple[str, str]]] = {}
    held: dict[tuple[int, int], set[str]] = {}
    for w, rows in wars.items():
        for r in rows:
            a, b, sa, sb = int(r["ccode1"]), int(r["ccode2"]), r["sidea1"], r["sidea2"]
            if sa == sb:
                raise DyadError(f"COW war {w}, {r['year']}: states {a} and {b} form a dyad but "
                                f"both hold side {sa}")
            pair_side.setdefault((w, a, b), set()).add((sa, sb))
            held.setdefault((w, a), set()).add(sa)
    for (w, a, b), found in pair_side.items():
        mirror = {(y, x) for x, y in pair_side.get((w, b, a), set())}
        if mirror and mirror != found:
            raise DyadError(f"COW war {w}: the dyad {a}-{b} gives sides {sorted(found)} but its "
                            f"mirror {b}-{a} gives {sorted(mirror)}")
        if len(found) > 1:
            raise DyadError(f"COW war {w}: states {a} and {b} are recorded on both sides of their "
                            f"own dyad ({sorted(found)})")
    side_vs: dict[tuple[int, int], dict[int, str]] = {}
    for (w, a, b), found in pair_side.items():
        side_vs.setdefault((w, a), {})[b] = next(iter(found))[0]

    def relation(w: int, a: int, b: int) -> str:
        if (w, a) not in side_vs or (w, b) not in side_vs:
            return ""
        if b in side_vs[(w, a)] or a in side_vs[(w, b)]:
            return "against"
        va, vb = side_vs[(w, a)], side_vs[(w, b)]
        if any(va[c] == vb[c] for c in set(va) & set(vb)):
            return "with"
        sa, sb = held[(w, a)], held[(w, b)]
        if len(sa) == len(sb) == 1 and sa != sb:
            return "against"
        return ""
    return relation


#: The two codings of the war-history factor: the registered one (pinned; wrong for Germany and
#: the USSR) and the corrected one, a documented deviation (alliancekit/data/README.md).
EUROPE_WAR_CODINGS = {"registered": _relations_registered, "corrected": _relations_dyadic}


def build_europe1936(shared: Path, coding: str = "registered"
                     ) -> tuple[list[dict], list[dict]]:
    """Pair inputs and sizes for the 1936 landscape, from facts dated 1936 or earlier only.

    border: COW direct contiguity type of the closest contiguity in force during 1936 (1 land,
    2-5 water of 12/24/150/400 miles; 0 none). wars_against/wars_with: COW inter-state wars
    with dyad-years up to 1935 in which the two fought on opposite / the same side, read by the
    ``coding`` named (a key of EUROPE_WAR_CODINGS).
    rivalry: a Thompson-Dreyer strategic rivalry begun by 1936 and not ended before it.
    """
    if coding not in EUROPE_WAR_CODINGS:
        raise ValueError(f"coding must be one of {sorted(EUROPE_WAR_CODINGS)}; got {coding!r}")
    states = set(EUROPE_1936)
    border: dict[tuple, tuple[int, int]] = {}
    for r in read_csv(shared / "cow-contiguity-v3.2.csv"):
        a, b = sorted((int(r["ccode1"]), int(r["ccode2"])))
        start, stop = r["stdate"], r["enddate"]
        if {a, b} <= states and start <= f"{EUROPE_YEAR}-12-31" and stop >= f"{EUROPE_YEAR}-01-01":
            t, since = int(r["conttype"]), int(start[:4])
            if (a, b) not in border or t < border[(a, b)][0]:
                border[(a, b)] = (t, since)
    wars = _war_dyads(shared)
    war_last = {w: max(int(r["year"]) for r in rows) for w, rows in wars.items()}
    relation_in = EUROPE_WAR_CODINGS[coding](wars)
    rival: dict[tuple, int] = {}
    for r in read_csv(shared / "thompson-dreyer-rivalries.csv"):
        a, b = sorted((int(r["ccode1"]), int(r["ccode2"])))
        if ({a, b} <= states and int(r["styear"]) <= EUROPE_YEAR
                and int(r["endyear"]) >= EUROPE_YEAR):
            rival[(a, b)] = min(rival.get((a, b), 9999), int(r["styear"]))
    pairs = []
    codes = sorted(states)
    for i, a in enumerate(codes):
        for b in codes[i + 1:]:
            against, with_, last, relation = 0, 0, "", ""
            for w in sorted(wars, key=lambda k: war_last[k]):
                rel = relation_in(w, a, b)
                if rel:
                    with_ += rel == "with"
                    against += rel == "against"
                    last, relation = war_last[w], rel
            t, since = border.get((a, b), (0, ""))
            used = [y for y in (since, last, rival.get((a, b), "")) if y != ""]
            pairs.append({
                "ccode_a": a, "ccode_b": b, "border": t, "border_since": since,
                "wars_against": against, "wars_with": with_, "last_war_year": last,
                "last_war_relation": relation, "rivalry": int((a, b) in rival),
                "rivalry_since": rival.get((a, b), ""),
                "latest_year_used": max(used) if used else "",
                "source": "cow_contiguity32;cow_wars40;thompson_dreyer2011;miller2022",
            })
    cinc = _cinc_by_state_year(shared)
    polity = _polity2_by_state_year(shared)
    abb = {int(r["ccode"]): r["stateabb"] for r in read_csv(shared / "states2016.csv")}
    sizes = []
    for c in codes:
        p = polity.get((c, EUROPE_YEAR))
        sizes.append({"ccode": c, "stateabb": abb[c], "year": EUROPE_YEAR,
                      "cinc": f"{cinc[(c, EUROPE_YEAR)]:.6f}",
                      "polity_democracy": "" if p is None else int(p >= DEMOCRACY_MIN_POLITY2),
                      "source": "nmc60;polity5;miller2022"})
    return pairs, sizes


def build_replications(shared: Path, out: Path) -> list[Path]:
    """Write the replication extracts (abrogation, reliability_codings, europe1936_*)."""
    out.mkdir(parents=True, exist_ok=True)
    pairs, sizes = build_europe1936(shared)
    corrected, _ = build_europe1936(shared, coding="corrected")
    tables = [("abrogation.csv", ABROGATION_COLUMNS, build_abrogation(shared)),
              ("reliability_codings.csv", RELIABILITY_CODING_COLUMNS,
               build_reliability_codings(shared)),
              ("europe1936_pairs.csv", EUROPE_PAIR_COLUMNS, pairs),
              ("europe1936_pairs_corrected.csv", EUROPE_PAIR_COLUMNS, corrected),
              ("europe1936_sizes.csv", EUROPE_SIZE_COLUMNS, sizes)]
    written = []
    for name, header, rows in tables:
        write_csv(out / name, header, rows)
        written.append(out / name)
    return written
