"""Reading and checking the shipped CSV tables: the one place in the package that reads files.

Every table lives as a CSV file in ``alliancekit/data/`` (schema: ``alliancekit/data/README.md``).
This module reads each with `importlib.resources` once per session (cached), types its columns,
and checks it against its schema, its source keys and the other tables. `table` hands out a fresh
copy each call, so changing a result never changes the data.
"""
from __future__ import annotations

import functools
import io
from importlib import resources

import pandas as pd

from .. import _validate as vd
from ..termination import CAUSES

__all__ = ["DataError", "table", "table_names", "KINDS", "EXIT_MODES", "MECHANISMS", "PRECISIONS"]

KINDS = ("formal_alliance", "informal_entente", "regional_organisation", "coalition")
EXIT_MODES = ("in_force", "expired", "renounced", "defected", "lost_independence", "dissolved",
              "replaced", "suspended")
MECHANISMS = ("leadership", "domestic_politics", "power_asymmetry", "external_shock",
              "signalling_perception")
PRECISIONS = ("day", "month", "year")


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
    "capitals": {"ccode": "int", "name": "str", "capital": "str", "from_date": "date",
                 "to_date": "date", "lat": "float", "lng": "float", "source": "str"},
    "basemap_land": {"polygon": "int", "ring": "int", "points": "str", "source": "str"},
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
    "capitals": ("capital", "from_date", "to_date", "source"),
    "basemap_land": ("points", "source"),
}
_KEYS = {
    "sources": ("key",), "states": ("ccode",), "alliances": ("alliance_id",),
    "memberships": ("alliance_id", "ccode", "phase"), "events": ("event_id",),
    "capabilities": ("ccode", "year"), "atop_alliances": ("atopid",),
    "capitals": ("ccode", "from_date"),
    "basemap_land": ("polygon", "ring"),
}


def _data_dir():
    return resources.files("alliancekit") / "data"


def table_names() -> list[str]:
    """Names accepted by `table`: every CSV file shipped in ``alliancekit/data/``.

    >>> "alliances" in table_names()
    True
    """
    return sorted(p.name[:-4] for p in _data_dir().iterdir() if p.name.endswith(".csv"))


@functools.lru_cache(maxsize=None)
def _read_text(name: str) -> str:
    return (_data_dir() / f"{name}.csv").read_text(encoding="utf-8")


#: Schema types that pandas' C parser reads straight into numbers (`_parse`).
_NUMBERS = {"int": "int64", "flag": "int64", "float": "float64", "optional_float": "float64"}


def _parse(text: str, schema: dict[str, str]) -> pd.DataFrame:
    """A table's CSV text read once: number columns parsed as numbers, the others kept as text.

    Reading every cell as text and converting the numbers afterwards made a Python string of each
    cell first (capabilities.csv: some 90,000). pandas' default parser gives every float of the
    shipped tables exactly the value Python's ``float`` gives its text (checked column by column;
    its ``float_precision`` option is deprecated in pandas 3). When a
    number column does not parse (an empty or malformed cell), every column is read as text
    instead, and `_typed` names the column and what is wrong.
    """
    numbers = {col: _NUMBERS[kind] for col, kind in schema.items() if kind in _NUMBERS}
    missing = {col: [""] for col, kind in schema.items() if kind == "optional_float"}
    try:
        return pd.read_csv(io.StringIO(text), dtype={**dict.fromkeys(schema, str), **numbers},
                           keep_default_na=False, na_values=missing)
    except (ValueError, TypeError, OverflowError):
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def _typed(frame: pd.DataFrame, name: str, schema: dict[str, str]) -> pd.DataFrame:
    """Each column converted to its schema type (columns `_parse` read as numbers are kept)."""
    cols = list(frame.columns)
    if cols != list(schema):
        raise DataError(f"{name}.csv: columns {cols} differ from the schema {list(schema)}")
    out = {}
    for col, kind in schema.items():
        s = frame[col]
        try:
            if kind in _NUMBERS and s.dtype == _NUMBERS[kind]:
                out[col] = s
            elif kind == "str":
                out[col] = s.astype(str)
            elif kind in ("int", "flag"):
                if (s == "").any():
                    raise ValueError("empty cell")
                out[col] = s.astype("int64")
            elif kind == "optional_int":
                out[col] = pd.to_numeric(s.replace("", None)).astype("Int64")
            elif kind == "float":
                out[col] = s.astype("float64")
            elif kind == "optional_float":
                out[col] = pd.to_numeric(s.replace("", None)).astype("float64")
            elif kind == "date":
                out[col] = pd.to_datetime(s.replace("", None), format="%Y-%m-%d").astype(
                    "datetime64[ns]")
            if kind == "flag" and not out[col].isin([0, 1]).all():
                raise ValueError("values other than 0 and 1")
        except (ValueError, TypeError) as err:
            raise DataError(f"{name}.csv: column {col!r} is not {kind}: {err}") from None
    return pd.DataFrame(out)


def _check_sources(frame: pd.DataFrame, name: str, keys: set[str]) -> None:
    if "source" not in frame.columns:
        raise DataError(f"{name}.csv has no 'source' column: every row must cite a source")
    texts = frame["source"].astype(str)
    # a table repeats few source texts (capabilities: 8,000 rows): each is checked once, in the
    # order of its first row, so the error names the first bad row
    for text in pd.unique(texts):
        parts = [p.strip() for p in text.split(";") if p.strip()]
        bad = [p for p in parts if p not in keys]
        if not parts or bad:
            i = texts.index[texts.to_numpy() == text][0]
            raise DataError(f"{name}.csv row {i}: source {text!r} has keys not in sources.csv: "
                            f"{bad or '(empty)'}")


@functools.lru_cache(maxsize=None)
def _load(name: str) -> pd.DataFrame:
    """Read, type and check one table (cached; never hand the cached frame out)."""
    text = _read_text(name)
    if name in _SCHEMAS:
        frame = _typed(_parse(text, _SCHEMAS[name]), name, _SCHEMAS[name])
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
    vd.text("name", name)
    if name.endswith(".csv"):
        name = name[:-4]
    if name not in table_names():
        raise vd.unknown("table", name, table_names())
    return _load(name).copy()
