"""The course-wide timeline: every dated event in the case data, 1872-2025, as one table.

Three tables of `alliancekit.cases` carry dates, and this module puts them on one time line:

- ``alliances``: the day each alliance was signed and the day it ended;
- ``memberships``: a state joining an alliance after its founding, and a state leaving it for
  good (a new ATOP phase or a new state code is not an exit, and is left out);
- ``events``: the dated episodes the lessons use to illustrate the erosion mechanisms.

Nothing here is coded anew: each row keeps the source keys of the row it comes from.

Examples
--------
>>> from alliancekit import chronology
>>> t = chronology.course_events()
>>> t.loc[t["event_id"] == "signed:triple_alliance", ["date", "what"]].values.tolist()
[[Timestamp('1882-05-20 00:00:00'), 'Triple Alliance signed']]
"""
from __future__ import annotations

import pandas as pd

from alliancekit import _validate as vd
from alliancekit import cases

__all__ = ["ERAS", "KINDS", "FIRST_YEAR", "LAST_YEAR", "course_events", "era_of"]

#: The years the course timeline covers (the first case opens in 1872; the last event is 2025).
FIRST_YEAR, LAST_YEAR = 1872, 2025
#: The course's periods: (label, first year, last year), in order; the lessons they belong to.
#: Years are whole calendar years. The Second World War is dated, as usual, from the German attack
#: on Poland on 1 September 1939, so the whole of 1939 is filed with the war (the Pact of Steel of
#: May 1939 among them: a year cannot be split); the Cold War is dated from the end of the Second
#: World War (conventionally 1945-47 to 1991; Gaddis 2005; Westad 2017).
ERAS = (
    ("Europe's great powers, 1872-1918 (lesson 03)", 1872, 1918),
    ("Between the wars: the Little and Balkan Ententes, 1919-1938 (lessons 04, 05)", 1919, 1938),
    ("Second World War, 1939-1945 (lessons 04, 05)", 1939, 1945),
    ("Cold War, 1946-1991 (lessons 02, 06)", 1946, 1991),
    ("After the Cold War, 1992-2025 (lessons 02, 05, 06, 07)", 1992, 2025),
)
#: The kinds of row, in the order the chart's legend shows them.
KINDS = ("alliance signed", "alliance ended", "state joined", "state left",
         "erosion episode")
_LEFT_FOR_GOOD = ("expired", "renounced", "defected", "lost_independence", "suspended")


def era_of(year: int) -> str:
    """The label of the course period a year falls in.

    Parameters
    ----------
    year : int
        A year in 1872-2025.

    Returns
    -------
    str
        One of the labels of `ERAS`.

    Raises
    ------
    ValueError
        For a year outside 1872-2025.

    Examples
    --------
    >>> era_of(1933)
    'Between the wars: the Little and Balkan Ententes, 1919-1938 (lessons 04, 05)'
    >>> era_of(1939)
    'Second World War, 1939-1945 (lessons 04, 05)'
    """
    year = vd.integer("year", year)
    for label, first, last in ERAS:
        if first <= int(year) <= last:
            return label
    raise ValueError(f"year must lie within {FIRST_YEAR}-{LAST_YEAR}; got {year!r}")


def _short(name: str) -> str:
    if name.endswith(")") and " (" in name:
        inside = name[name.rindex(" (") + 2:-1]
        if inside.isupper() or inside.replace(" ", "").isupper():
            return inside
    return name


def _headline(description: str, limit: int = 70) -> str:
    """The first clause of a description, cut at a word boundary to ``limit`` characters."""
    text = description.split(";")[0].strip()
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",:") + "..."


def course_events(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> pd.DataFrame:
    """Every dated event of the case data within the years asked, sorted by date.

    Parameters
    ----------
    first_year, last_year : int
        Years to keep, inclusive, within 1872-2025 (the course's span, the default).

    Returns
    -------
    pandas.DataFrame
        One row per event: ``event_id`` (unique: ``signed:<alliance>``, ``ended:<alliance>``,
        ``joined:<alliance>:<ccode>``, ``left:<alliance>:<ccode>`` or the id of events.csv),
        ``date`` (datetime64), ``year`` (int), ``kind`` (one of `KINDS`), ``alliance`` (the
        alliance's short name), ``what`` (the event in a few words), ``detail`` (one line; for
        erosion episodes the description from events.csv, with the mechanism), ``era`` (see
        `ERAS`) and ``source`` (the source keys of the row it comes from).

    Raises
    ------
    TypeError, ValueError
        If the years are not whole numbers in 1872-2025 with ``first_year <= last_year``.
    """
    first_year, last_year = vd.year_span("first_year", first_year, "last_year", last_year,
                                         FIRST_YEAR, LAST_YEAR)
    alliances = cases.table("alliances")
    names = {r.alliance_id: _short(r.name) for r in alliances.itertuples()}
    rows = []
    for r in alliances.itertuples():
        kind = r.kind.replace("_", " ")
        rows.append({"event_id": f"signed:{r.alliance_id}", "date": r.signed,
                     "kind": "alliance signed", "alliance": names[r.alliance_id],
                     "what": f"{names[r.alliance_id]} signed",
                     "detail": f"{names[r.alliance_id]} ({kind}) begins", "source": r.source})
        if pd.notna(r.ended):
            rows.append({"event_id": f"ended:{r.alliance_id}", "date": r.ended,
                         "kind": "alliance ended", "alliance": names[r.alliance_id],
                         "what": f"{names[r.alliance_id]} ended",
                         "detail": f"{names[r.alliance_id]} ({kind}) ends", "source": r.source})
    members = cases.table("memberships")
    signed = alliances.set_index("alliance_id")["signed"]
    for (aid, code), spell in members.groupby(["alliance_id", "ccode"], sort=False):
        state = cases.state_name(int(code))
        first = spell.sort_values("joined").iloc[0]
        joined = first["accession"] if pd.notna(first["accession"]) else first["joined"]
        if joined > signed[aid]:
            rows.append({"event_id": f"joined:{aid}:{code}", "date": joined,
                         "kind": "state joined", "alliance": names[aid],
                         "what": f"{state} joins {names[aid]}",
                         "detail": f"{state} becomes a member of {names[aid]}",
                         "source": first["source"]})
        last = spell.sort_values("joined").iloc[-1]
        if last["exit_mode"] in _LEFT_FOR_GOOD:
            mode = last["exit_mode"].replace("_", " ")
            rows.append({"event_id": f"left:{aid}:{code}", "date": last["left"],
                         "kind": "state left", "alliance": names[aid],
                         "what": f"{state} leaves {names[aid]}",
                         "detail": f"{state}'s membership of {names[aid]} ends ({mode})",
                         "source": last["source"]})
    for r in cases.table("events").itertuples():
        mechanism = r.mechanism.replace("_", " ")
        rows.append({"event_id": r.event_id, "date": r.date, "kind": "erosion episode",
                     "alliance": names[r.alliance_id],
                     "what": _headline(r.description),
                     "detail": f"{r.description} (mechanism: {mechanism})", "source": r.source})
    out = pd.DataFrame(rows)
    out["year"] = out["date"].dt.year.astype(int)
    out = out[(out["year"] >= first_year) & (out["year"] <= last_year)]
    out = out[(out["year"] >= FIRST_YEAR) & (out["year"] <= LAST_YEAR)]
    out["era"] = [era_of(y) for y in out["year"]]
    order = {k: i for i, k in enumerate(KINDS)}
    out = out.assign(_k=out["kind"].map(order)).sort_values(["date", "_k", "event_id"])
    columns = ["event_id", "date", "year", "kind", "alliance", "what", "detail", "era", "source"]
    return out[columns].reset_index(drop=True)
