"""The course's case data: alliances, their members, dated events, capabilities and sources.

Every table lives as a CSV file in ``alliancekit/data/`` (schema: ``alliancekit/data/README.md``).
``cases._tables`` reads and checks them (the only code in the package that reads files); this
module answers questions about them with pandas DataFrames: dates as ``datetime64``, state codes as
integers. Each file is read and checked once per session (cached); every call returns a fresh
copy, so changing a result never changes the data.

Membership on a date is half-open: a state is a member on day *d* when ``joined <= d < left``
(``left`` empty means still in force). A state that left on 23 May 1915 is no longer a member
that day.

Examples
--------
>>> from alliancekit import cases
>>> sorted(cases.members("triple_alliance", "1900-01-01")["stateabb"])
['AUH', 'GMY', 'ITA']
>>> cases.state_code("Italy"), cases.state_name(325)
(325, 'Italy')

References
----------
Owusu, O., and E. A. Bruce-Ghartey (2026). "The Illusion of Permanent Allies." IJRISS.
Leeds, B. A., et al. (2002). "Alliance Treaty Obligations and Provisions, 1815-1944."
International Interactions 28: 237-260 (ATOP v4.01).
Singer, J. D., S. Bremer and J. Stuckey (1972), National Material Capabilities v6.0 and v7.0.
Correlates of War Project (2017). State System Membership List, v2016.
"""
from __future__ import annotations

import functools
import numbers
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import _validate as vd
from .._validate import UnknownNameError
from .._validate import unknown as _unknown
from ._daily import member_codes  # noqa: F401 (re-exported: the public API of the case data)
from ._land import land  # noqa: F401 (re-exported: the public API of the case data)
from ._tables import (  # noqa: F401 (re-exported: the public API of the case data)
    EXIT_MODES,
    KINDS,
    MECHANISMS,
    PRECISIONS,
    DataError,
    _load,
    table,
    table_names,
)

#: What the date arguments accept: ISO text ("1914-08-01"), a datetime.date or a Timestamp.
DateLike = "str | datetime.date | pd.Timestamp"
#: One state or several: COW codes, abbreviations, names or aliases.
States = "int | str | Iterable[int | str]"

__all__ = [
    "UnknownNameError", "DataError", "Case", "table", "table_names", "state_code", "state_name",
    "members", "member_codes", "memberships_on", "alliances_of", "cinc", "capitals", "land", "case",
    "case_names",
    "durations", "cite", "data_versions", "KINDS", "EXIT_MODES", "MECHANISMS", "GREAT_POWERS",
    "LITTLE_ENTENTE", "ATOP_CENSOR_DATE",
]


#: Dates accepted by the date arguments (the data run from 1815 to the present).
FIRST_DATE = pd.Timestamp("1800-01-01")
LAST_DATE = pd.Timestamp("2100-12-31")
#: Years with CINC data: NMC v6.0 (1816-2016) and v7.0 (2017-2022).
CINC_YEARS = (1816, 2022)
#: The survival lesson's window: ATOP alliances begun 1815-2003, observed to the end of 2003.
#: (ATOP v4.01 itself records alliances to 2016; `durations(until=...)` can use more of it.)
ATOP_CENSOR_DATE = pd.Timestamp("2003-12-31")
ATOP_LAST_YEAR = 2016
#: The six great powers of 1872-1918 as COW codes: UK, France, Germany, Austria-Hungary, Italy,
#: Russia (Correlates of War state system v2016).
GREAT_POWERS = (200, 220, 255, 300, 325, 365)
#: The Little Entente's three members as COW codes: Czechoslovakia, Yugoslavia, Romania.
LITTLE_ENTENTE = (315, 345, 360)


# --------------------------------------------------------------------------------------------
# states
# --------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _state_lookup() -> tuple[dict, dict, dict]:
    s = _load("states")
    by_code = dict(zip(s["ccode"], s["name"], strict=True))
    by_text: dict[str, int] = {}
    # aliases first, so an exact COW abbreviation or name always wins over one of our aliases
    for c, aliases in zip(s["ccode"], s["aliases"], strict=True):
        for a in str(aliases).split(";"):
            if a.strip():
                by_text[a.strip().casefold()] = int(c)
    for c, name in zip(s["ccode"], s["name"], strict=True):
        by_text[str(name).casefold()] = int(c)
    for c, abb in zip(s["ccode"], s["stateabb"], strict=True):
        by_text[str(abb).casefold()] = int(c)
    display = {}
    for c, abb, name, aliases in zip(s["ccode"], s["stateabb"], s["name"], s["aliases"],
                                     strict=True):
        display[str(abb)] = int(c)
        display[str(name)] = int(c)
        for a in str(aliases).split(";"):
            if a.strip():
                display[a.strip()] = int(c)
    return by_code, by_text, display


def _as_code(value, argument: str) -> int:
    """An integer COW code from an int-like value (TypeError/ValueError naming ``argument``)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{argument} must be a COW state code (an integer such as 2, 200 or 255) "
                        f"or a state name; got {vd.show(value)}")
    if not np.isfinite(float(value)) or not float(value).is_integer():
        raise ValueError(f"{argument} must be a COW state code (an integer such as 2, 200 or "
                         f"255); got {vd.show(value)}")
    code = int(value)
    by_code = _state_lookup()[0]
    if code not in by_code:
        near = sorted(by_code, key=lambda c: abs(c - code))[:5]
        raise ValueError(f"{argument}={code} is not a COW state code; allowed: the codes in "
                         f"table('states') (nearest: {sorted(near)})")
    return code


def _state_codes(states, argument: str = "states") -> list[int]:
    """COW codes from one state or a list of them (codes, abbreviations, names or aliases)."""
    items = [states] if isinstance(states, (str, numbers.Number)) else states
    if items is None or isinstance(items, (bytes, dict)) or not hasattr(items, "__iter__"):
        raise TypeError(f"{argument} must be a state (code or name) or a list of them; got "
                        f"{vd.show(states)}")
    items = list(items)
    if not items:
        raise ValueError(f"{argument} must name at least one state; got an empty list")
    return [state_code(s) for s in items]


def state_code(state: int | str) -> int:
    """The COW state code of a state given by code, abbreviation, name or common alias.

    Parameters
    ----------
    state : int or str
        A COW code (``255``), COW abbreviation (``"GMY"``), COW name (``"Germany"``) or one of
        the aliases in ``states.csv`` (``"Britain"``, ``"USSR"``). Case does not matter.

    Returns
    -------
    int

    Raises
    ------
    UnknownNameError
        For a name that matches no state (the message lists close matches).
    ValueError
        For a number that is not a COW code, or a value of another type.

    References
    ----------
    Correlates of War Project (2017), State System Membership List v2016.

    Examples
    --------
    >>> state_code("UKG"), state_code("Britain"), state_code(" italy "), state_code("365")
    (200, 200, 325, 365)
    """
    if isinstance(state, str):
        text = state.strip()
        if not text:
            raise ValueError("state must be a COW code, abbreviation, name or alias; got ''")
        digits = text.lstrip("-")
        if digits.isascii() and digits.isdigit():
            return _as_code(int(text), "state")
        by_text = _state_lookup()[1]
        if text.casefold() in by_text:
            return by_text[text.casefold()]
        raise _unknown("state", state, _state_lookup()[2])
    return _as_code(state, "state")


def state_name(ccode: int) -> str:
    """The COW name of a state code (e.g. ``state_name(300) == 'Austria-Hungary'``).

    Parameters
    ----------
    ccode : int
        A COW state code.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If ``ccode`` is not an integer or not a COW code.

    References
    ----------
    Correlates of War Project (2017), State System Membership List v2016.
    """
    return str(_state_lookup()[0][_as_code(ccode, "ccode")])


# --------------------------------------------------------------------------------------------
# dates, alliances, members
# --------------------------------------------------------------------------------------------
def as_date(value: DateLike, argument: str = "date") -> pd.Timestamp:
    """A day as a pandas Timestamp, checked: TypeError/ValueError naming ``argument``.

    The day must lie in the case data's span (`vd.date` with its first and last day).
    """
    return vd.date(argument, value, FIRST_DATE, LAST_DATE)


def known_alliance(alliance_id: str) -> str:
    """``alliance_id`` if it names an alliance of the data (UnknownNameError otherwise)."""
    vd.text("alliance_id", alliance_id)
    ids = list(_load("alliances")["alliance_id"])
    if alliance_id not in ids:
        raise _unknown("alliance_id", alliance_id, ids)
    return alliance_id


@functools.lru_cache(maxsize=1)
def _state_columns() -> pd.DataFrame:
    """``stateabb`` and ``state`` (the COW name) by state code (a unique index)."""
    s = _load("states")
    return s.set_index("ccode")[["stateabb", "name"]].rename(columns={"name": "state"})


def _with_states(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``stateabb`` and ``state`` after ``ccode`` (missing for an unknown code), on
    a fresh range index: what a left merge with the states table gives, built column by column
    for a fraction of its cost (a scenario calls `members` once per year)."""
    names = _state_columns()
    pos = names.index.get_indexer(frame["ccode"].to_numpy())
    columns = {c: frame[c].array for c in frame.columns}
    for c in ("stateabb", "state"):
        columns[c] = names[c].array.take(pos, allow_fill=True)
    first = ["alliance_id", "ccode", "stateabb", "state"]
    order = first + [c for c in frame.columns if c not in first]
    return pd.DataFrame({c: columns[c] for c in order}, index=pd.RangeIndex(len(frame)))


def _in_force(start: np.ndarray, left: np.ndarray, on: np.datetime64) -> np.ndarray:
    """The one rule for membership on a date: ``joined <= on < left`` (half-open), on datetime64
    arrays (no start: never in force; no ``left``: still in force)."""
    return (start <= on) & (np.isnat(left) | (left > on))


def _active(m: pd.DataFrame, on: pd.Timestamp, use_accession: bool = False) -> pd.Series:
    """`_in_force` for the rows of a memberships frame, as a boolean Series on its index."""
    start = m["accession"].fillna(m["joined"]) if use_accession else m["joined"]
    return pd.Series(_in_force(start.to_numpy(), m["left"].to_numpy(), on.to_datetime64()),
                     index=m.index)


def memberships_on(on: DateLike, states: States | None = None, *,
                   use_accession: bool = False) -> pd.DataFrame:
    """Every membership row in force on a given day, optionally for some states only.

    Parameters
    ----------
    on : str, datetime.date or pandas.Timestamp
        The day. Membership is half-open: ``joined <= on < left``.
    states : int, str or list of them, optional
        States as accepted by `state_code`; ``None`` for all.
    use_accession : bool, default False
        Count a member from its ``accession`` date where one is recorded (see `members`).

    Returns
    -------
    pandas.DataFrame
        Rows of ``table("memberships")`` in force that day, sorted by ``joined`` and
        ``alliance_id``.

    Raises
    ------
    TypeError, ValueError, UnknownNameError
        For a bad date, state or flag.

    Examples
    --------
    >>> sorted(memberships_on("1900-01-01", ["ITA"])["alliance_id"])
    ['austro_german_romanian_1883', 'triple_alliance']
    """
    day = as_date(on, "on")
    use_accession = vd.flag("use_accession", use_accession)
    m = _load("memberships")
    m = m[_active(m, day, use_accession)]
    if states is not None:
        m = m[m["ccode"].isin(_state_codes(states))]
    return m.sort_values(["joined", "alliance_id"], kind="stable").reset_index(drop=True)


def members(alliance_id: str, on: DateLike, *, use_accession: bool = False) -> pd.DataFrame:
    """The members of an alliance on a given day.

    Parameters
    ----------
    alliance_id : str
        An id from ``table("alliances")``, e.g. ``"triple_alliance"``, ``"nato"``.
    on : str, datetime.date or pandas.Timestamp
        The day, e.g. ``"1914-08-01"``. Membership is half-open: ``joined <= on < left``.
    use_accession : bool, default False
        Count a member from its ``accession`` date where one is recorded (NATO members after
        1949, whose ATOP entry date is the signing of their accession protocol) instead of from
        ``joined``.

    Returns
    -------
    pandas.DataFrame
        The membership rows in force that day (one per member), with ``stateabb`` and ``state``
        (the COW name) added, sorted by state code. Empty if the alliance had no members then.

    Raises
    ------
    UnknownNameError
        For an unknown alliance id (close matches listed).
    ValueError
        For a value of ``on`` that is not a date in the allowed range.

    References
    ----------
    Leeds et al. (2002), ATOP v4.01; Owusu & Bruce-Ghartey (2026).

    Examples
    --------
    >>> list(members("triple_alliance", "1915-05-23")["stateabb"])
    ['GMY', 'AUH']
    >>> len(members("nato", "1998-06-01")), len(members("nato", "1998-06-01", use_accession=True))
    (19, 16)
    """
    aid = known_alliance(alliance_id)
    day = as_date(on, "on")
    use_accession = vd.flag("use_accession", use_accession)
    m = _load("memberships")
    # the rows and order of memberships_on(on) restricted to the alliance, found with numpy
    # (pandas operations on a few rows cost a millisecond or more each; a scenario calls this
    # once per year)
    rows = np.flatnonzero((m["alliance_id"].to_numpy() == aid)
                          & _active(m, day, use_accession).to_numpy())
    joined = m["joined"].to_numpy()[rows].astype("int64")
    joined[np.isnat(m["joined"].to_numpy()[rows])] = np.iinfo("int64").max   # NaT last
    rows = rows[np.argsort(joined, kind="stable")]
    return _with_states(m.take(rows)).sort_values("ccode").reset_index(drop=True)


def alliances_of(state: int | str, on: DateLike) -> pd.DataFrame:
    """The alliances, ententes and organisations a state belonged to on a given day.

    Parameters
    ----------
    state : int or str
        A COW code, abbreviation, name or alias (see `state_code`).
    on : str, datetime.date or pandas.Timestamp
        The day (membership is half-open: ``joined <= on < left``).

    Returns
    -------
    pandas.DataFrame
        One row per alliance: ``alliance_id, name, kind, atop_id, phase, joined, left,
        exit_mode`` and the five obligation flags, sorted by ``joined``.

    Raises
    ------
    UnknownNameError, ValueError
        As for `state_code` and for a bad date.

    References
    ----------
    Leeds et al. (2002), ATOP v4.01.

    Examples
    --------
    >>> sorted(alliances_of("Italy", "1905-01-01")["alliance_id"])
    ['austro_german_romanian_1883', 'prinetti_barrere_1902', 'triple_alliance']
    """
    m = memberships_on(on, [state_code(state)])
    a = _load("alliances")
    cols = ["alliance_id", "name", "kind", "atop_id", "defense", "offense", "neutrality",
            "nonaggression", "consultation"]
    out = m[["alliance_id", "ccode", "phase", "joined", "left", "exit_mode"]].merge(
        a[cols], on="alliance_id", how="left")
    order = ["alliance_id", "name", "kind", "atop_id", "ccode", "phase", "joined", "left",
             "exit_mode", "defense", "offense", "neutrality", "nonaggression", "consultation"]
    return out[order].sort_values(["joined", "alliance_id"]).reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# capabilities
# --------------------------------------------------------------------------------------------
def _as_years(years) -> list[int] | None:
    return None if years is None else vd.years("years", years, *CINC_YEARS)


def cinc(states: States | None = None, years: int | Iterable[int] | None = None) -> pd.DataFrame:
    """CINC scores (Composite Index of National Capability) by state and year.

    Parameters
    ----------
    states : int, str or list of them, optional
        States as accepted by `state_code`; ``None`` for every state in the shipped extract (the
        members of the course's cases and the rivals the lessons compare them with).
    years : int or list/range of int, optional
        Years in 1816-2022; ``None`` for all. Years in which a state was not in the state system
        have no row.

    Returns
    -------
    pandas.DataFrame
        Columns ``ccode, stateabb, year, cinc``. CINC is the state's share of the world total of
        the six NMC components, averaged (0-1). 1816-2016 from NMC v6.0, 2017-2022 from v7.0.

    Raises
    ------
    UnknownNameError, ValueError
        For an unknown state, a bad year, or a state that has no capability data in the extract.

    References
    ----------
    Singer, Bremer & Stuckey (1972); NMC v6.0 and v7.0.

    Examples
    --------
    >>> round(float(cinc("GMY", 1913)["cinc"].iloc[0]), 3)
    0.143
    """
    cap = _load("capabilities")
    yrs = _as_years(years)
    if states is not None:
        codes = _state_codes(states)
        have = set(cap["ccode"])
        missing = [c for c in codes if c not in have]
        if missing:
            raise ValueError(f"states: no capability data shipped for {missing}; allowed: the "
                             f"states in table('capabilities') ({sorted(have)})")
        cap = cap[cap["ccode"].isin(codes)]
    if yrs is not None:
        cap = cap[cap["year"].isin(yrs)]
    return cap[["ccode", "stateabb", "year", "cinc"]].reset_index(drop=True)


def capitals(states: States, on: DateLike) -> pd.DataFrame:
    """Where each state's capital was on a given day (for the course's schematic maps).

    Parameters
    ----------
    states : int, str or list of them
        States as accepted by `state_code` (COW codes, abbreviations or names).
    on : str or date
        The day (ISO ``YYYY-MM-DD``): a state that moved its capital (Italy in 1871, Russia in
        1918, Nigeria in 1991) gets the city that was its capital that day. A capital the list
        gives as current when it was made (to 2024-12-31) is taken to be current still.

    Returns
    -------
    pandas.DataFrame
        Columns ``ccode, state, capital, lat, lng`` (latitude and longitude in decimal degrees,
        north and east positive), one row per state, in the order asked.

    Raises
    ------
    UnknownNameError
        For a state the data do not know.
    ValueError
        For a state with no capital listed on that day (the message names it and the days its
        capitals are listed for).

    References
    ----------
    Correlates of War Project, state capitals list, as distributed with Miller (2022).

    Examples
    --------
    >>> capitals(["Italy", "Russia"], "1914-06-28")[["state", "capital"]].values.tolist()
    [['Italy', 'Rome'], ['Russia', 'Saint Petersburg']]
    """
    day = as_date(on, "on")
    items = _state_codes(states)
    table_ = _load("capitals")
    rows = []
    for item in items:
        code = state_code(item)
        own = table_[table_["ccode"] == code]
        # the list's last day (2024-12-31) means "still the capital when the list was made"
        until = own["to_date"].where(own["to_date"] < table_["to_date"].max(), LAST_DATE)
        hit = own[(own["from_date"] <= day) & (until >= day)]
        if hit.empty:
            spans = ", ".join(f"{r.from_date:%Y-%m-%d} to {r.to_date:%Y-%m-%d} ({r.capital})"
                              for r in own.itertuples()) or "none"
            raise ValueError(f"states: no capital of {state_name(code)} ({code}) is listed on "
                             f"{day:%Y-%m-%d}; listed: {spans}")
        row = hit.iloc[0]
        rows.append({"ccode": code, "state": state_name(code), "capital": row["capital"],
                     "lat": float(row["lat"]), "lng": float(row["lng"])})
    return pd.DataFrame(rows, columns=["ccode", "state", "capital", "lat", "lng"])


# --------------------------------------------------------------------------------------------
# cases
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    """A named bundle of data for one lesson.

    Attributes
    ----------
    name, title : str
    first_year, last_year : int
        The period the case covers.
    alliances : DataFrame
        Rows of ``table("alliances")`` in the case.
    members : DataFrame
        Their membership rows, with state abbreviations and names.
    timeline : DataFrame
        Dated rows sorted by date: ``date, what`` (signed, ended, joined, left or one of the
        erosion mechanisms), ``alliance_id, ccodes, description, source``.
    capabilities : DataFrame
        CINC (``ccode, stateabb, year, cinc``) for the members and the rivals named by the case,
        over the case's years.
    """

    name: str
    title: str
    first_year: int
    last_year: int
    alliances: pd.DataFrame
    members: pd.DataFrame
    timeline: pd.DataFrame
    capabilities: pd.DataFrame


_EUROPE = ("german_russian_convention_1873", "three_emperors_league", "dual_alliance",
           "three_emperors_alliance", "triple_alliance", "austro_german_romanian_1883",
           "mediterranean_agreement_1887", "mediterranean_agreement_1887b", "reinsurance_treaty",
           "franco_russian_entente_1891", "franco_russian_alliance", "prinetti_barrere_1902",
           "entente_cordiale", "anglo_french_staff_talks", "anglo_russian_convention",
           "racconigi_1909", "grey_cambon_1912",
           "pact_of_london_1914", "treaty_of_london_1915")
_INTERWAR = ("little_entente", "le_czechoslovakia_yugoslavia", "le_czechoslovakia_romania",
             "le_yugoslavia_romania", "little_entente_pact_1933", "france_poland_1921",
             "france_poland_1925", "france_czechoslovakia_1924", "france_czechoslovakia_1925",
             "czechoslovakia_soviet_1935", "balkan_entente_1934", "yugoslavia_bulgaria_1937",
             "yugoslavia_italy_1937")
#: name -> (title, first_year, last_year, alliance ids, extra states for capabilities)
_CASES = {
    "europe_1872_1918": ("The great powers of Europe, 1872-1918", 1872, 1918, _EUROPE,
                         GREAT_POWERS),
    "little_entente": ("The Little Entente and France's eastern allies, 1920-1939", 1920, 1939,
                       _INTERWAR, (310, 255, 325, 220, 365, 355, 290)),
    "nato": ("NATO, 1949 to the present", 1949, 2025, ("nato",), (365,)),
    "warsaw_pact": ("The Warsaw Pact, 1955-1991", 1955, 1991, ("warsaw_pact",), (2,)),
    "seato": ("SEATO, 1954-1977", 1954, 1977, ("seato",), (710,)),
    "cento": ("The Baghdad Pact and CENTO, 1955-1979", 1955, 1979, ("cento",), (365,)),
    "anzus": ("ANZUS, 1951 to the present", 1951, 2025, ("anzus",), ()),
    "us_japan": ("The US-Japan alliance, 1951 to the present", 1951, 2025,
                 ("us_japan_1951", "us_japan"), (710,)),
    "asean": ("ASEAN, 1967 to the present", 1967, 2025, ("asean", "asean_tac"), (710,)),
    "ecowas": ("ECOWAS and the Sahel exits, 1975 to the present", 1975, 2025,
               ("ecowas", "ecowas_nonaggression_1978", "ecowas_defence_1981",
                "alliance_of_sahel_states"), ()),
    "quad": ("The Quad, 2007-2008 and since 2017", 2007, 2025, ("quad_2007", "quad"), (710,)),
}


def case_names() -> list[str]:
    """Names accepted by `case`.

    >>> "little_entente" in case_names()
    True
    """
    return sorted(_CASES)


@functools.lru_cache(maxsize=None)
def _case(name: str) -> Case:
    title, first, last, ids, extra = _CASES[name]
    a = _load("alliances")
    a = a[a["alliance_id"].isin(ids)].reset_index(drop=True)
    m = _load("memberships")
    m = _with_states(m[m["alliance_id"].isin(ids)]).sort_values(
        ["alliance_id", "phase", "joined", "ccode"]).reset_index(drop=True)
    rows = []
    for r in a.itertuples():
        rows.append((r.signed, "signed", r.alliance_id, "", f"{r.name} signed", r.source))
        if pd.notna(r.ended):
            rows.append((r.ended, "ended", r.alliance_id, "", f"{r.name} ended", r.source))
    first_phase = m.groupby(["alliance_id", "ccode"])["phase"].transform("min")
    last_phase = m.groupby(["alliance_id", "ccode"])["phase"].transform("max")
    for r, fp, lp in zip(m.itertuples(), first_phase, last_phase, strict=True):
        if r.phase == fp:
            rows.append((r.joined, "joined", r.alliance_id, str(r.ccode),
                         f"{r.state} joins", r.source))
        if r.phase == lp and pd.notna(r.left):
            rows.append((r.left, "left", r.alliance_id, str(r.ccode),
                         f"{r.state} leaves ({r.exit_mode.replace('_', ' ')})", r.source))
    e = _load("events")
    e = e[e["alliance_id"].isin(ids)]
    for r in e.itertuples():
        rows.append((r.date, r.mechanism, r.alliance_id, r.ccodes, r.description, r.source))
    timeline = pd.DataFrame(rows, columns=["date", "what", "alliance_id", "ccodes",
                                           "description", "source"])
    timeline["date"] = timeline["date"].astype("datetime64[ns]")
    timeline = timeline.sort_values(["date", "alliance_id", "what"], kind="stable")
    codes = sorted(set(m["ccode"]) | set(extra))
    have = set(_load("capabilities")["ccode"])
    cap = cinc([c for c in codes if c in have], None)
    cap = cap[(cap["year"] >= first) & (cap["year"] <= last)].reset_index(drop=True)
    return Case(name=name, title=title, first_year=first, last_year=last, alliances=a,
                members=m, timeline=timeline.reset_index(drop=True), capabilities=cap)


def case(name: str) -> Case:
    """A named case bundle for a lesson: its alliances, members, timeline and capabilities.

    Parameters
    ----------
    name : str
        One of `case_names`, e.g. ``"europe_1872_1918"``, ``"little_entente"``, ``"nato"``.

    Returns
    -------
    Case
        A frozen dataclass; its DataFrames are fresh copies.

    Raises
    ------
    UnknownNameError
        For an unknown case name (close matches listed).

    References
    ----------
    Owusu & Bruce-Ghartey (2026), sections on Europe 1872-1918 and the Little Entente.

    Examples
    --------
    >>> c = case("little_entente")
    >>> c.first_year, sorted(c.members.query("alliance_id == 'little_entente'")["stateabb"])
    (1920, ['CZE', 'ROM', 'YUG'])
    """
    vd.choice("case name", name, case_names())
    c = _case(name)
    return Case(name=c.name, title=c.title, first_year=c.first_year, last_year=c.last_year,
                alliances=c.alliances.copy(), members=c.members.copy(),
                timeline=c.timeline.copy(), capabilities=c.capabilities.copy())


# --------------------------------------------------------------------------------------------
# durations
# --------------------------------------------------------------------------------------------
_ERAS = ((1815, 1913, "1815-1913"), (1914, 1945, "1914-1945"), (1946, 1989, "1946-1989"),
         (1990, ATOP_LAST_YEAR, "1990-"))


def durations(until: int = ATOP_CENSOR_DATE.year) -> pd.DataFrame:
    """How long ATOP alliances lasted, with right-censoring, in an observation window.

    Parameters
    ----------
    until : int, default 2003
        Last year of the window, 1815-2016 (ATOP v4.01 records alliances to 2016). The default,
        2003, is the window the course uses: alliances begun 1815-2003, observed to 31 Dec 2003.

    Returns
    -------
    pandas.DataFrame
        One row per ATOP alliance begun by 31 Dec of ``until``: ``atopid, begin, end, years,
        ended, obligations, n_members, era, cause``. ``cause`` says how an ended alliance
        ended (a label of `alliancekit.termination.CAUSES`, from ATOP's ``termmode``;
        ``"not_coded"`` where ATOP gives no code) and is ``""`` for a censored one.
        ``ended`` is ``True`` when the alliance ended by 31 Dec of ``until``; otherwise it
        is right-censored: ``ended`` is ``False``, ``end`` is empty (even if ATOP records a
        later end) and ``years`` runs to 31 Dec of ``until``. ``years`` is days / 365.25.
        ``obligations`` lists the ATOP obligations, ``;``-joined (defense, offense, neutral,
        nonagg, consul). ``era`` bins the start year: 1815-1913, 1914-1945, 1946-1989,
        1990-. Where ATOP leaves a day blank, the first of the month is used (flagged in
        ``table("atop_alliances")``).

    Raises
    ------
    ValueError
        If ``until`` is not an integer year in 1815-2016.

    References
    ----------
    Leeds et al. (2002), ATOP v4.01.

    Examples
    --------
    >>> d = durations()
    >>> len(d), int(d["ended"].sum()), int((~d["ended"]).sum())
    (721, 404, 317)
    """
    until = vd.integer("until (a year within ATOP v4.01's coverage)", until, 1815,
                       ATOP_LAST_YEAR)
    stop_day = pd.Timestamp(int(until), 12, 31)
    a = _load("atop_alliances")
    a = a[a["begin"] <= stop_day]
    ended = a["end"].notna() & (a["end"] <= stop_day)
    end = a["end"].where(ended)
    years = (end.fillna(stop_day) - a["begin"]).dt.days / 365.25
    obl = ["defense", "offense", "neutral", "nonagg", "consul"]
    obligations = a[obl].apply(lambda r: ";".join(k for k in obl if r[k] == 1), axis=1)
    start = a["begin"].dt.year
    era = pd.Series("", index=a.index, dtype=object)
    for lo, hi, label in _ERAS:
        era[(start >= lo) & (start <= hi)] = label
    return pd.DataFrame({
        "atopid": a["atopid"], "begin": a["begin"], "end": end, "years": years.astype(float),
        "ended": ended.astype(bool), "obligations": obligations.astype(str),
        "n_members": a["n_members"], "era": era.astype(str),
        "cause": a["end_cause"].fillna("").replace("", "not_coded").where(ended, "").astype(str),
    }).reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# sources
# --------------------------------------------------------------------------------------------
_DATASETS = ("atop401", "nmc60", "nmc70", "cow_states2016", "berkemeier_fuhrmann2018")


def cite(key: str | None = None) -> str:
    """The full citation for a source key (or ``;``-separated keys) used in the data.

    Parameters
    ----------
    key : str, optional
        A key of ``sources.csv`` such as ``"atop401"``, or several joined by ``;`` as in a row's
        ``source`` cell. ``None`` gives the article and the public datasets the package uses.

    Returns
    -------
    str
        One citation per line.

    Raises
    ------
    UnknownNameError
        For a key not in ``sources.csv`` (close matches listed).

    Examples
    --------
    >>> cite("taylor1954").startswith("Taylor, A. J. P.")
    True
    """
    s = _load("sources")
    lookup = dict(zip(s["key"], s["citation"], strict=True))
    if key is None:
        keys = ["owusu2026", *_DATASETS]
    else:
        vd.text("key (a source key such as 'atop401', or None)", key)
        keys = [k.strip() for k in key.split(";") if k.strip()]
        if not keys:
            raise ValueError(f"key must name a source key such as 'atop401' (or be None); got "
                             f"{key!r}")
    for k in keys:
        if k not in lookup:
            raise _unknown("source key", k, lookup)
    return "\n".join(lookup[k] for k in keys)


def data_versions() -> dict[str, str]:
    """The versions of the public datasets the shipped extracts were built from.

    Returns
    -------
    dict
        Dataset name -> version and coverage, for reports and citations.

    Examples
    --------
    >>> data_versions()["ATOP"]
    'v4.01 (alliances 1815-2016)'
    """
    return {
        "ATOP": "v4.01 (alliances 1815-2016)",
        "NMC": "v6.0 (1816-2016); v7.0 for 2017-2022",
        "COW state system": "v2016",
        "Berkemeier & Fuhrmann reliability": "2018 replication data",
        "hand-coded rows": "alliancekit data, cited row by row in sources.csv",
    }
