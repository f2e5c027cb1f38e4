"""Summaries of the case data that lessons and charts show: membership over time, power by side.

These are small computations on the tables of `alliancekit.cases` (which alone reads the files):
one span per state and alliance, the number of members on each date, and CINC totals by side.
Charts draw their output; they do not compute it.

Examples
--------
>>> from alliancekit import summaries
>>> summaries.short_name("North Atlantic Treaty Organization (NATO)")
'NATO'
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from . import _validate as vd
from . import cases

__all__ = ["side_totals", "short_name", "membership_spans", "member_counts", "obligation_codes",
           "by_obligation", "OBLIGATION_CURVES"]


def side_totals(cinc: pd.DataFrame, sides: Mapping[str, Sequence[int | str]]) -> pd.DataFrame:
    """Sum CINC scores by side and year.

    Parameters
    ----------
    cinc : pandas.DataFrame
        From `alliancekit.cases.cinc`: ccode, stateabb, year, cinc.
    sides : mapping
        Side label -> COW codes or abbreviations of the states on that side.

    Returns
    -------
    pandas.DataFrame
        side, year, cinc (the side's total, a share of world capabilities), states
        (abbreviations on that side, joined by "+"), n_states (how many of them have a score
        that year).

    Raises
    ------
    TypeError, ValueError
        For a frame without the columns of ``cases.cinc``, or sides that are not a non-empty
        mapping or match no state.

    Examples
    --------
    >>> t = side_totals(cases.cinc(["FRN", "RUS"], 1913), {"Dual Alliance": ["FRN", "RUS"]})
    >>> t[["side", "year", "states"]].to_dict("records")
    [{'side': 'Dual Alliance', 'year': 1913, 'states': 'FRN+RUS'}]
    """
    vd.frame("cinc", cinc, ["ccode", "stateabb", "year", "cinc"])
    vd.mapping("sides", sides)
    rows = []
    for label, states in sides.items():
        if isinstance(states, (str, bytes)) or not hasattr(states, "__iter__"):
            raise TypeError(f"sides[{label!r}] must be a list of states; got {vd.show(states)}")
        wanted = {str(s) for s in states}
        part = cinc[cinc["ccode"].astype(str).isin(wanted) | cinc["stateabb"].isin(wanted)]
        if part.empty:
            raise ValueError(f"sides[{label!r}] matches no state in the CINC data: {states}")
        g = part.groupby("year", sort=True)["cinc"].agg(["sum", "count"])
        rows.append(pd.DataFrame({
            "side": label, "year": g.index.to_numpy(), "cinc": g["sum"].to_numpy(),
            "states": "+".join(sorted(set(part["stateabb"]))), "n_states": g["count"].to_numpy(),
        }))
    return pd.concat(rows, ignore_index=True)


def short_name(name: str) -> str:
    """An alliance's short name: "North Atlantic Treaty Organization (NATO)" -> "NATO"."""
    name = vd.text("name", name)
    if name.endswith(")") and " (" in name:
        return name[name.rindex(" (") + 2:-1]
    return name


def membership_spans(alliance_ids: str | Sequence[str]) -> pd.DataFrame:
    """One span per state and alliance: when each state first joined and finally left.

    A new ATOP phase (exit mode ``replaced``) is not an exit, and a member with an ``accession``
    date (NATO after 1949) counts from it rather than from its protocol's signature.

    Parameters
    ----------
    alliance_ids : str or list of str
        Ids from ``cases.table("alliances")``.

    Returns
    -------
    pandas.DataFrame
        alliance_id, ccode, joined, left (empty while still a member), exit_mode (of the last
        phase), alliance (short name), state (COW name).

    Examples
    --------
    >>> spans = membership_spans("triple_alliance")
    >>> spans.loc[spans["state"] == "Italy", ["joined", "left"]].astype(str).values.tolist()
    [['1882-05-20', '1915-05-23']]
    """
    ids = [alliance_ids] if isinstance(alliance_ids, str) else alliance_ids
    if ids is None or not hasattr(ids, "__iter__"):
        raise TypeError(f"alliance_ids must be an alliance id or a list of them; got "
                        f"{vd.show(alliance_ids)}")
    ids = [cases.known_alliance(a) for a in ids]
    if not ids:
        raise ValueError("alliance_ids must name at least one alliance; got an empty list")
    alliances = cases.table("alliances").set_index("alliance_id")
    m = cases.table("memberships")
    m = m[m["alliance_id"].isin(ids)].copy()
    m["joined"] = m["accession"].fillna(m["joined"])
    m = m.sort_values("joined").groupby(["alliance_id", "ccode"], as_index=False).agg(
        joined=("joined", "min"), left=("left", lambda s: s.max() if s.notna().all() else pd.NaT),
        exit_mode=("exit_mode", "last"))
    names = alliances["name"].to_dict()
    m["alliance"] = [short_name(names[a]) for a in m["alliance_id"]]
    m["state"] = [cases.state_name(int(c)) for c in m["ccode"]]
    return m


def member_counts(spans: pd.DataFrame, start: str | pd.Timestamp,
                  end: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """How many states belonged to each alliance over time, from membership spans.

    Parameters
    ----------
    spans : pandas.DataFrame
        ``alliance`` (a label), ``state`` (a name), ``joined`` and ``left`` (dates; empty while
        still a member), e.g. from `membership_spans`.
    start, end : str, datetime.date or pandas.Timestamp
        The period; ``end`` defaults to today.

    Returns
    -------
    pandas.DataFrame
        alliance, date, members, change ("start", "joined", "left", "changed" or "end"), states
        (who joined or left that day): one row at ``start``, one per change inside the period,
        one at ``end``.

    Examples
    --------
    >>> c = member_counts(membership_spans("triple_alliance"), "1900-01-01", "1916-01-01")
    >>> c[["change", "members"]].values.tolist()
    [['start', 3], ['left', 2], ['end', 2]]
    """
    vd.frame("spans", spans, ["alliance", "state", "joined", "left"], empty=True)
    t0 = cases.as_date(start, "start")
    t1 = pd.Timestamp.today().normalize() if end is None else cases.as_date(end, "end")
    if t1 < t0:
        raise ValueError(f"end must not be before start; got start={t0.date()}, end={t1.date()}")
    rows = []
    for alliance, part in spans.groupby("alliance", sort=False):
        joined = pd.to_datetime(part["joined"])
        left = pd.to_datetime(part["left"])
        changes = pd.concat([
            pd.DataFrame({"date": joined, "step": 1, "state": part["state"]}),
            pd.DataFrame({"date": left, "step": -1, "state": part["state"]}).dropna(),
        ]).sort_values("date")
        by_date = changes.groupby("date").agg(
            step=("step", "sum"), states=("state", lambda s: ", ".join(map(str, s)))
        ).reset_index()
        by_date["members"] = by_date["step"].cumsum()
        before = by_date[by_date["date"] <= t0]
        first = int(before["members"].iloc[-1]) if len(before) else 0
        rows.append(pd.DataFrame({"alliance": alliance, "date": [t0], "members": [first],
                                  "change": ["start"], "states": [""]}))
        inside = by_date[(by_date["date"] > t0) & (by_date["date"] <= t1)]
        rows.append(pd.DataFrame({
            "alliance": alliance, "date": inside["date"], "members": inside["members"],
            "change": np.select([inside["step"] < 0, inside["step"] > 0], ["left", "joined"],
                                "changed"),
            "states": inside["states"]}))
        last = int(by_date[by_date["date"] <= t1]["members"].iloc[-1]) if len(by_date) else 0
        rows.append(pd.DataFrame({"alliance": alliance, "date": [t1], "members": [last],
                                  "change": ["end"], "states": [""]}))
    if not rows:
        return pd.DataFrame(columns=["alliance", "date", "members", "change", "states"])
    return pd.concat(rows, ignore_index=True)


def obligation_codes(column: pd.Series) -> list[str]:
    """The distinct ATOP obligation codes in a column of ``;``-joined codes, sorted.

    Parameters
    ----------
    column : pandas.Series
        ``obligations`` as in ``cases.durations()`` (e.g. ``"defense;consul"``).

    Returns
    -------
    list of str
    """
    if not isinstance(column, pd.Series):
        raise TypeError(f"column must be a pandas Series of ';'-joined obligation codes; got "
                        f"{vd.show(column)}")
    kinds = set()
    for value in column.dropna().astype(str):
        kinds.update(k.strip() for k in value.replace(",", ";").split(";") if k.strip())
    return sorted(kinds)


#: ATOP's five obligations, strongest first (Leeds et al. 2002), as survival curves name them.
OBLIGATION_CURVES = (("defense", "includes defence"), ("offense", "includes offence"),
                     ("neutral", "includes neutrality"), ("nonagg", "includes non-aggression"),
                     ("consul", "includes consultation"))


def by_obligation(durations: pd.DataFrame) -> pd.DataFrame:
    """One row per alliance and obligation it includes, in a column ``includes`` of words.

    ATOP records 22 combinations of obligations in 1815-2003; one survival curve per combination
    is unreadable. Five curves, one per obligation ("includes defence", ...), answer lesson 02's
    question directly. An alliance with two obligations is counted in both curves, so the curves
    overlap by design, as "includes" says.

    Parameters
    ----------
    durations : pandas.DataFrame
        Rows of ``cases.durations()`` (any filter of them), with ``obligations``.

    Returns
    -------
    pandas.DataFrame
        The rows repeated per obligation included, with ``includes`` a categorical in
        `OBLIGATION_CURVES` order (strongest first; absent obligations left out).
    """
    vd.frame("durations", durations, ["obligations"])
    codes = durations["obligations"].astype(str).str.split(";")
    frames = [durations[codes.apply(lambda c, k=code: k in c)].assign(includes=label)
              for code, label in OBLIGATION_CURVES]
    rows = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    order = [label for _, label in OBLIGATION_CURVES if (rows["includes"] == label).any()]
    return rows.assign(includes=pd.Categorical(rows["includes"], categories=order))
