"""The course's case data: alliances, their members, dated events, capabilities and sources.

Every table lives as a CSV file in ``alliancekit/data/`` (schema: ``alliancekit/data/README.md``).
This module reads them with `importlib.resources`, checks them, and hands out pandas DataFrames:
dates as ``datetime64``, state codes as integers. Each file is read and checked once per session
(cached); every call returns a fresh copy, so changing a result never changes the data.

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

import datetime as _dt
import difflib
import functools
import io
import numbers
from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd

__all__ = [
    "UnknownNameError", "DataError", "Case", "table", "table_names", "state_code", "state_name",
    "members", "alliances_of", "cinc", "case", "case_names", "durations", "cite", "data_versions",
    "KINDS", "EXIT_MODES", "MECHANISMS",
]

KINDS = ("formal_alliance", "informal_entente", "regional_organisation", "coalition")
EXIT_MODES = ("in_force", "expired", "renounced", "defected", "lost_independence", "dissolved",
              "replaced", "suspended")
MECHANISMS = ("leadership", "domestic_politics", "power_asymmetry", "external_shock",
              "signalling_perception")
PRECISIONS = ("day", "month", "year")

#: Dates accepted by the date arguments (the data run from 1815 to the present).
FIRST_DATE = pd.Timestamp("1800-01-01")
LAST_DATE = pd.Timestamp("2100-12-31")
#: Years with CINC data: NMC v6.0 (1816-2016) and v7.0 (2017-2022).
CINC_YEARS = (1816, 2022)
#: The survival lesson's window: ATOP alliances begun 1815-2003, observed to the end of 2003.
#: (ATOP v4.01 itself records alliances to 2016; `durations(until=...)` can use more of it.)
ATOP_CENSOR_DATE = pd.Timestamp("2003-12-31")
ATOP_LAST_YEAR = 2016


class UnknownNameError(LookupError):
    """A name (table, state, alliance, case, source key) that the data do not know.

    The message lists close matches; they are also in the ``matches`` attribute.
    """

    def __init__(self, message: str, matches: list[str] | None = None):
        super().__init__(message)
        self.matches = list(matches or [])


class DataError(ValueError):
    """A shipped CSV file breaks its schema (raised when the table is loaded)."""


# --------------------------------------------------------------------------------------------
# schemas: column -> type. "str", "int", "optional_int", "date", "float", "optional_float",
# "flag" (0/1). Tables not listed here are read as pandas reads them and only their sources checked.
# --------------------------------------------------------------------------------------------
_SCHEMAS: dict[str, dict[str, str]] = {
    "sources": {"key": "str", "citation": "str"},
    "states": {"ccode": "int", "stateabb": "str", "name": "str", "first_entry": "date",
               "last_exit": "date", "aliases": "str", "source": "str"},
    "alliances": {"alliance_id": "str", "name": "str", "kind": "str", "defense": "flag",
                  "offense": "flag", "neutrality": "flag", "nonaggression": "flag",
                  "consultation": "flag", "signed": "date", "signed_precision": "str",
                  "ended": "date",
                  "atop_id": "optional_int", "notes": "str", "source": "str"},
    "memberships": {"alliance_id": "str", "ccode": "int", "phase": "int", "joined": "date",
                    "joined_precision": "str", "left": "date", "exit_mode": "str",
                    "date_basis": "str", "accession": "date",
                    "atop_termmode": "optional_int", "atop_termcaus": "optional_int",
                    "notes": "str", "source": "str"},
    "events": {"event_id": "str", "date": "date", "precision": "str", "alliance_id": "str",
               "ccodes": "str", "mechanism": "str", "description": "str",
               "size": "optional_float", "size_basis": "str", "source": "str"},
    "capabilities": {"ccode": "int", "stateabb": "str", "year": "int", "milex": "optional_float",
                     "milper": "optional_float", "irst": "optional_float",
                     "pec": "optional_float", "tpop": "optional_float", "upop": "optional_float",
                     "cinc": "float", "source": "str"},
    "atop_alliances": {"atopid": "int", "begin": "date", "end": "date", "begin_day_missing": "flag",
                       "end_day_missing": "flag", "ineffect": "flag", "defense": "flag",
                       "offense": "flag", "neutral": "flag", "nonagg": "flag", "consul": "flag",
                       "bilateral": "flag", "n_members": "int", "termmode": "optional_int",
                       "end_cause": "str", "source": "str"},
    "reliability": {"sample": "optional_int", "warid": "int", "atopid": "optional_int",
                    "cowwarid": "optional_int", "warname": "str", "cowid": "optional_int",
                    "multilateral": "optional_int", "honorBF": "optional_int",
                    "violateBF": "optional_int", "honorLLM": "optional_int",
                    "violateLLM": "optional_int", "sabroskyhonorbf": "optional_int",
                    "sabroskyhonorllm": "optional_int", "defense": "optional_int",
                    "offense": "optional_int", "neutral": "optional_int",
                    "nonagg": "optional_int", "consul": "optional_int", "source": "str"},
}
#: Columns that may not be empty (beyond the typed ones, which are checked by type).
_REQUIRED = {
    "sources": ("key", "citation"), "states": ("stateabb", "name", "source"),
    "alliances": ("alliance_id", "name", "kind", "signed", "source"),
    "memberships": ("alliance_id", "joined", "exit_mode", "date_basis", "source"),
    "events": ("event_id", "date", "precision", "alliance_id", "ccodes", "mechanism",
               "description", "source"),
    "capabilities": ("source",), "atop_alliances": ("begin", "source"),
    "reliability": ("warname", "source"),
}
_KEYS = {
    "sources": ("key",), "states": ("ccode",), "alliances": ("alliance_id",),
    "memberships": ("alliance_id", "ccode", "phase"), "events": ("event_id",),
    "capabilities": ("ccode", "year"), "atop_alliances": ("atopid",),
}


def _data_dir():
    return resources.files("alliancekit") / "data"


def table_names() -> list[str]:
    """Names accepted by `table`: every CSV file shipped in ``alliancekit/data/``.

    >>> "alliances" in table_names()
    True
    """
    return sorted(p.name[:-4] for p in _data_dir().iterdir() if p.name.endswith(".csv"))


def _unknown(kind: str, value, known) -> UnknownNameError:
    known = [str(k) for k in known]
    close = difflib.get_close_matches(str(value), known, n=5, cutoff=0.5)
    if not close:
        low = str(value).lower()
        close = [k for k in known if low and (low in k.lower() or k.lower() in low)][:5]
    hint = f"; close matches: {close}" if close else ""
    shown = known if len(known) <= 30 else known[:30] + ["..."]
    return UnknownNameError(f"unknown {kind} {value!r}{hint}. Known: {shown}", close)


@functools.lru_cache(maxsize=None)
def _read_text(name: str) -> str:
    return (_data_dir() / f"{name}.csv").read_text(encoding="utf-8")


def _typed(frame: pd.DataFrame, name: str, schema: dict[str, str]) -> pd.DataFrame:
    cols = list(frame.columns)
    if cols != list(schema):
        raise DataError(f"{name}.csv: columns {cols} differ from the schema {list(schema)}")
    out = {}
    for col, kind in schema.items():
        s = frame[col]
        try:
            if kind == "str":
                out[col] = s.astype(str)
            elif kind in ("int", "flag"):
                if (s == "").any():
                    raise ValueError("empty cell")
                out[col] = s.astype("int64")
                if kind == "flag" and not out[col].isin([0, 1]).all():
                    raise ValueError("values other than 0 and 1")
            elif kind == "optional_int":
                out[col] = pd.to_numeric(s.replace("", None)).astype("Int64")
            elif kind == "float":
                out[col] = s.astype("float64")
            elif kind == "optional_float":
                out[col] = pd.to_numeric(s.replace("", None)).astype("float64")
            elif kind == "date":
                out[col] = pd.to_datetime(s.replace("", None), format="%Y-%m-%d").astype(
                    "datetime64[ns]")
        except (ValueError, TypeError) as err:
            raise DataError(f"{name}.csv: column {col!r} is not {kind}: {err}") from None
    return pd.DataFrame(out)


def _check_sources(frame: pd.DataFrame, name: str, keys: set[str]) -> None:
    if "source" not in frame.columns:
        raise DataError(f"{name}.csv has no 'source' column: every row must cite a source")
    for i, text in frame["source"].astype(str).items():
        parts = [p.strip() for p in text.split(";") if p.strip()]
        bad = [p for p in parts if p not in keys]
        if not parts or bad:
            raise DataError(f"{name}.csv row {i}: source {text!r} has keys not in sources.csv: "
                            f"{bad or '(empty)'}")


@functools.lru_cache(maxsize=None)
def _load(name: str) -> pd.DataFrame:
    """Read, type and check one table (cached; never hand the cached frame out)."""
    text = _read_text(name)
    if name in _SCHEMAS:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        frame = _typed(raw, name, _SCHEMAS[name])
        for col in _REQUIRED.get(name, ()):
            empty = frame[col].isna() | (frame[col].astype(str) == "")
            if empty.any():
                raise DataError(f"{name}.csv: column {col!r} is empty in rows "
                                f"{list(frame.index[empty])[:10]}")
    else:
        frame = pd.read_csv(io.StringIO(text))
    if name in _KEYS:
        dup = frame.duplicated(list(_KEYS[name]), keep=False)
        if dup.any():
            raise DataError(f"{name}.csv: duplicate keys {list(_KEYS[name])} in rows "
                            f"{list(frame.index[dup])[:10]}")
    if name != "sources":
        _check_sources(frame, name, set(_load("sources")["key"]))
        _check_links(frame, name)
    frame.attrs["table"] = name
    return frame


def _check_links(frame: pd.DataFrame, name: str) -> None:
    """Cross-table checks: codes exist, ids resolve, allowed values, joined <= left."""
    if name == "states":
        return
    ccodes = set(_load("states")["ccode"])
    # state-code columns: ccode in our tables; ccode* in any other shipped table (e.g. rivalries)
    code_cols = [c for c in frame.columns if c == "ccode" or (name not in _SCHEMAS
                                                             and str(c).startswith("ccode"))]
    for col in code_cols:
        values = pd.to_numeric(frame[col], errors="coerce")
        if (values.isna() & frame[col].notna()).any():
            raise DataError(f"{name}.csv: column {col!r} holds values that are not state codes")
        bad = sorted(set(values.dropna().astype(int)) - ccodes)
        if bad:
            raise DataError(f"{name}.csv: state codes in {col!r} not in the COW state list: {bad}")
    if name not in _SCHEMAS and "alliance_id" in frame.columns:
        ids = set(_load("alliances")["alliance_id"])
        bad = sorted(set(frame["alliance_id"].dropna().astype(str)) - ids)
        if bad:
            raise DataError(f"{name}.csv: alliance ids not in alliances.csv: {bad}")
    if name == "alliances":
        _allowed(frame, name, "kind", KINDS)
        _allowed(frame, name, "signed_precision", PRECISIONS)
        bad = frame["ended"].notna() & (frame["ended"] < frame["signed"])
        if bad.any():
            raise DataError(f"{name}.csv: ended before signed in {list(frame.alliance_id[bad])}")
    if name in ("memberships", "events"):
        ids = set(_load("alliances")["alliance_id"])
        bad = sorted(set(frame["alliance_id"]) - ids)
        if bad:
            raise DataError(f"{name}.csv: alliance ids not in alliances.csv: {bad}")
    if name == "memberships":
        _allowed(frame, name, "exit_mode", EXIT_MODES)
        _allowed(frame, name, "date_basis", ("atop", "hand"))
        _allowed(frame, name, "joined_precision", PRECISIONS)
        bad = frame["left"].notna() & (frame["left"] < frame["joined"])
        if bad.any():
            raise DataError(f"{name}.csv: left before joined in rows {list(frame.index[bad])}")
        open_ = frame["left"].isna() != (frame["exit_mode"] == "in_force")
        if open_.any():
            raise DataError(f"{name}.csv: exit_mode 'in_force' must go with an empty 'left' "
                            f"(rows {list(frame.index[open_])[:10]})")
    if name == "events":
        _allowed(frame, name, "mechanism", MECHANISMS)
        _allowed(frame, name, "precision", PRECISIONS)
        for i, text in frame["ccodes"].items():
            try:
                codes = {int(c) for c in str(text).split(";")}
            except ValueError:
                raise DataError(f"events.csv row {i}: ccodes {text!r} are not ';'-separated "
                                "integers") from None
            if codes - ccodes:
                raise DataError(f"events.csv row {i}: state codes not in the COW list: "
                                f"{sorted(codes - ccodes)}")
    if name == "events":
        size = frame["size"]
        bad = size.notna() & ((size < 0) | (size > 1))
        if bad.any():
            raise DataError(f"events.csv: size must lie in [0, 1]; rows {list(frame.index[bad])}")
        unjustified = size.notna() & (frame["size_basis"].fillna("") == "")
        if unjustified.any():
            raise DataError(f"events.csv: a coded size needs a size_basis (the rule and why); "
                            f"rows {list(frame.index[unjustified])}")
    if name == "atop_alliances":
        bad = frame["end"].notna() & (frame["end"] < frame["begin"])
        if bad.any():
            raise DataError(f"{name}.csv: end before begin for atopid {list(frame.atopid[bad])}")
        from alliancekit.termination import CAUSES

        _allowed(frame, name, "end_cause", ["", *CAUSES])


def _allowed(frame, name, col, allowed) -> None:
    bad = sorted(set(frame[col]) - set(allowed))
    if bad:
        raise DataError(f"{name}.csv: column {col!r} has values {bad}; allowed: {list(allowed)}")


def table(name: str) -> pd.DataFrame:
    """One of the shipped tables, validated, as a new DataFrame.

    Parameters
    ----------
    name : str
        A table name from `table_names` (``"states"``, ``"alliances"``, ``"memberships"``,
        ``"events"``, ``"capabilities"``, ``"sources"``, ``"atop_alliances"``,
        ``"reliability"`` and any other CSV in ``alliancekit/data/``).

    Returns
    -------
    pandas.DataFrame
        A copy: changing it does not change the cached data. Dates are ``datetime64[ns]``, state
        codes ``int64`` (``Int64`` where a column may be empty). The schema is in
        ``alliancekit/data/README.md``.

    Raises
    ------
    UnknownNameError
        For a name that is not a shipped table (the message lists close matches).
    DataError
        If the file breaks its schema (a bug in the shipped data).

    References
    ----------
    Owusu & Bruce-Ghartey (2026); see `cite` for each row's sources.

    Examples
    --------
    >>> table("alliances").set_index("alliance_id").loc["dual_alliance", "signed"]
    Timestamp('1879-10-07 00:00:00')
    """
    if not isinstance(name, str):
        raise ValueError(f"name must be a table name (str) from {table_names()}, got "
                         f"{type(name).__name__}")
    if name.endswith(".csv"):
        name = name[:-4]
    if name not in table_names():
        raise _unknown("table", name, table_names())
    return _load(name).copy()


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
    """An integer COW code from an int-like value, or ValueError naming ``argument``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        if isinstance(value, numbers.Real) and float(value).is_integer():
            value = int(value)
        else:
            raise ValueError(f"{argument} must be a COW state code (an integer such as 2, 200 or "
                             f"255), got {value!r}")
    code = int(value)
    by_code = _state_lookup()[0]
    if code not in by_code:
        near = sorted(by_code, key=lambda c: abs(c - code))[:5]
        raise ValueError(f"{argument}={code} is not a COW state code; allowed: the codes in "
                         f"table('states') (nearest: {sorted(near)})")
    return code


def state_code(state) -> int:
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
        if text.lstrip("-").isdigit():
            return _as_code(int(text), "state")
        by_text = _state_lookup()[1]
        if text.casefold() in by_text:
            return by_text[text.casefold()]
        raise _unknown("state", state, _state_lookup()[2])
    return _as_code(state, "state")


def state_name(ccode) -> str:
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
def _as_date(value, argument: str) -> pd.Timestamp:
    allowed = (f"a date between {FIRST_DATE.date()} and {LAST_DATE.date()}, as 'YYYY-MM-DD', "
               "datetime.date or pandas.Timestamp")
    if isinstance(value, (bool, np.bool_, numbers.Number)) or value is None:
        raise ValueError(f"{argument} must be {allowed}; got {value!r}")
    if not isinstance(value, (str, _dt.date, np.datetime64, pd.Timestamp)):
        raise ValueError(f"{argument} must be {allowed}; got {type(value).__name__}")
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime):
        raise ValueError(f"{argument}={value!r} is not a date; it must be {allowed}") from None
    if ts is pd.NaT or pd.isna(ts):
        raise ValueError(f"{argument} must be {allowed}; got {value!r}")
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    ts = ts.normalize()
    if not FIRST_DATE <= ts <= LAST_DATE:
        raise ValueError(f"{argument}={ts.date()} is out of range; it must be {allowed}")
    return ts


def _alliance_id(alliance_id) -> str:
    if not isinstance(alliance_id, str):
        raise ValueError(f"alliance_id must be an alliance id (str) from table('alliances'), "
                         f"got {type(alliance_id).__name__}")
    ids = list(_load("alliances")["alliance_id"])
    if alliance_id not in ids:
        raise _unknown("alliance_id", alliance_id, ids)
    return alliance_id


def _with_states(frame: pd.DataFrame) -> pd.DataFrame:
    s = _load("states")[["ccode", "stateabb", "name"]].rename(columns={"name": "state"})
    out = frame.merge(s, on="ccode", how="left")
    first = ["alliance_id", "ccode", "stateabb", "state"]
    return out[first + [c for c in out.columns if c not in first]]


def _active(m: pd.DataFrame, on: pd.Timestamp, use_accession: bool = False) -> pd.Series:
    start = m["accession"].fillna(m["joined"]) if use_accession else m["joined"]
    return (start <= on) & (m["left"].isna() | (m["left"] > on))


def members(alliance_id: str, on, *, use_accession: bool = False) -> pd.DataFrame:
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
    aid = _alliance_id(alliance_id)
    day = _as_date(on, "on")
    if not isinstance(use_accession, (bool, np.bool_)):
        raise ValueError(f"use_accession must be True or False, got {use_accession!r}")
    m = _load("memberships")
    m = m[(m["alliance_id"] == aid) & _active(m, day, bool(use_accession))]
    return _with_states(m).sort_values("ccode").reset_index(drop=True)


def alliances_of(state, on) -> pd.DataFrame:
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
    code = state_code(state)
    day = _as_date(on, "on")
    m = _load("memberships")
    m = m[(m["ccode"] == code) & _active(m, day)]
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
    allowed = f"an integer year in {CINC_YEARS[0]}-{CINC_YEARS[1]}, or a list/range of them"
    if years is None:
        return None
    if isinstance(years, (str, bytes)) or isinstance(years, (bool, np.bool_)):
        raise ValueError(f"years must be {allowed}; got {years!r}")
    items = [years] if isinstance(years, numbers.Number) else years
    try:
        items = list(items)
    except TypeError:
        raise ValueError(f"years must be {allowed}; got {type(years).__name__}") from None
    out = []
    for y in items:
        if isinstance(y, (bool, np.bool_)) or not isinstance(y, numbers.Real) or \
                not float(y).is_integer():
            raise ValueError(f"years must be {allowed}; got {y!r}")
        y = int(y)
        if not CINC_YEARS[0] <= y <= CINC_YEARS[1]:
            raise ValueError(f"years: {y} is outside the CINC data; allowed: {allowed}")
        out.append(y)
    return out


def cinc(states=None, years=None) -> pd.DataFrame:
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
        items = [states] if isinstance(states, (str, numbers.Number)) else states
        try:
            items = list(items)
        except TypeError:
            raise ValueError("states must be a state (code or name) or a list of them; got "
                             f"{type(states).__name__}") from None
        codes = [state_code(s) for s in items]
        have = set(cap["ccode"])
        missing = [c for c in codes if c not in have]
        if missing:
            raise ValueError(f"states: no capability data shipped for {missing}; allowed: the "
                             f"states in table('capabilities') ({sorted(have)})")
        cap = cap[cap["ccode"].isin(codes)]
    if yrs is not None:
        cap = cap[cap["year"].isin(yrs)]
    return cap[["ccode", "stateabb", "year", "cinc"]].reset_index(drop=True)


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
                         (200, 220, 255, 300, 325, 365)),
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
    if not isinstance(name, str):
        raise ValueError(f"name must be a case name (str) from {case_names()}, got "
                         f"{type(name).__name__}")
    if name not in _CASES:
        raise _unknown("case", name, case_names())
    c = _case(name)
    return Case(name=c.name, title=c.title, first_year=c.first_year, last_year=c.last_year,
                alliances=c.alliances.copy(), members=c.members.copy(),
                timeline=c.timeline.copy(), capabilities=c.capabilities.copy())


# --------------------------------------------------------------------------------------------
# durations
# --------------------------------------------------------------------------------------------
_ERAS = ((1815, 1913, "1815-1913"), (1914, 1945, "1914-1945"), (1946, 1989, "1946-1989"),
         (1990, ATOP_LAST_YEAR, "1990-"))


def durations(until: int = 2003) -> pd.DataFrame:
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
    if isinstance(until, (bool, np.bool_)) or not isinstance(until, numbers.Integral) or \
            not 1815 <= int(until) <= ATOP_LAST_YEAR:
        raise ValueError(f"until must be an integer year in 1815-{ATOP_LAST_YEAR} (ATOP v4.01's "
                         f"coverage); got {until!r}")
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
    elif isinstance(key, str):
        keys = [k.strip() for k in key.split(";") if k.strip()]
        if not keys:
            raise ValueError("key must be a source key such as 'atop401' (or None), got ''")
    else:
        raise ValueError(f"key must be a source key (str) or None, got {type(key).__name__}")
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
