"""Argument checks shared by every public function of the package: one family, one wording.

Three kinds of error, always naming the parameter, quoting the bad value and saying what is
allowed:

- `TypeError` when the value has the wrong type (a string where a number belongs, ``None`` where a
  table belongs);
- `ValueError` when the type is right but the value is not (a negative share, NaN, an empty list);
- `UnknownNameError` (a `LookupError`) for a name the package does not know; its message and its
  ``matches`` attribute give the close matches. It is also a `ValueError`, so code written
  against the older behaviour (``except ValueError``) still catches it.

Every stochastic function takes ``seed`` through `generator`: ``None`` (fresh entropy), a whole
number >= 0, or a ready `numpy.random.Generator`.

Nothing here imports pandas at module level: the pure models import this module too.
"""
from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Iterable, Mapping

import numpy as np

__all__ = [
    "UnknownNameError", "show", "unknown", "choice", "text", "flag", "number", "integer",
    "years", "year_span", "date", "probability", "array", "frame", "mapping", "generator",
]


class UnknownNameError(LookupError, ValueError):
    """A name (table, state, alliance, case, scenario, option ...) that the package does not know.

    The message lists close matches; they are also in the ``matches`` attribute.
    """

    def __init__(self, message: str, matches: list[str] | None = None):
        super().__init__(message)
        self.matches = list(matches or [])


def show(value) -> str:
    """A short ``repr`` of a value for an error message (long values are cut)."""
    text_ = repr(value)
    return text_ if len(text_) <= 80 else text_[:77] + "..."


def _got(value) -> str:
    """``None``, or the value's type and short repr, e.g. ``str 'abc'``."""
    return "None" if value is None else f"{type(value).__name__} {show(value)}"


def unknown(kind: str, value, known: Iterable) -> UnknownNameError:
    """The error for an unknown name: close matches first, then (up to 30 of) the known names.

    Parameters
    ----------
    kind : str
        What the name should be, e.g. ``"alliance_id"`` or ``"scenario"``.
    value : object
        The name given.
    known : iterable
        Every allowed name.

    Returns
    -------
    UnknownNameError
        To be raised by the caller.
    """
    known = [str(k) for k in known]
    close = difflib.get_close_matches(str(value), known, n=5, cutoff=0.5)
    if not close:
        low = str(value).lower()
        close = [k for k in known if low and (low in k.lower() or k.lower() in low)][:5]
    hint = f"; close matches: {close}" if close else ""
    shown = known if len(known) <= 30 else known[:30] + ["..."]
    return UnknownNameError(f"unknown {kind} {show(value)}{hint}. Known: {shown}", close)


def text(name: str, value, *, empty: bool = False) -> str:
    """``value`` as a string; TypeError for another type, ValueError for ``''`` unless allowed."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string; got {_got(value)}")
    if not empty and not value.strip():
        raise ValueError(f"{name} must be a non-empty string; got {value!r}")
    return value


def choice(name: str, value, allowed: Iterable) -> str:
    """``value`` if it is one of the ``allowed`` strings (UnknownNameError otherwise)."""
    allowed = tuple(allowed)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {allowed}; got {_got(value)}")
    if value not in allowed:
        raise unknown(name, value, allowed)
    return value


def flag(name: str, value) -> bool:
    """``value`` as a bool; TypeError for anything but True or False."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {_got(value)}")
    return bool(value)


def _range_text(lo, hi, lo_open: bool = False, hi_open: bool = False) -> str:
    left = "(" if lo_open or lo is None else "["
    right = ")" if hi_open or hi is None else "]"
    low = "-inf" if lo is None else f"{lo:g}"
    high = "inf" if hi is None else f"{hi:g}"
    return f"{left}{low}, {high}{right}"


def _outside(x, lo, hi, lo_open: bool, hi_open: bool):
    bad = ~np.isfinite(x)
    if lo is not None:
        bad = bad | ((x <= lo) if lo_open else (x < lo))
    if hi is not None:
        bad = bad | ((x >= hi) if hi_open else (x > hi))
    return bad


def number(name: str, value, lo: float | None = None, hi: float | None = None, *,
           lo_open: bool = False, hi_open: bool = False, meaning: str = "",
           kind: str = "a number") -> float:
    """``value`` as a finite float in the given range.

    TypeError unless a real number (bools are refused); ValueError for NaN, infinity or a value
    out of range. ``meaning``, when given, is added to the message.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}{_about(meaning)} must be "
                        f"{kind} in {_range_text(lo, hi, lo_open, hi_open)}; got {_got(value)}")
    x = float(value)
    if not math.isfinite(x) or (lo is not None and (x <= lo if lo_open else x < lo)) \
            or (hi is not None and (x >= hi if hi_open else x > hi)):
        raise ValueError(f"{name}{_about(meaning)} must be "
                         f"{kind} in {_range_text(lo, hi, lo_open, hi_open)}; got {show(value)}")
    return x


def _about(meaning: str) -> str:
    return f" ({meaning})" if meaning else ""


def probability(name: str, value) -> float:
    """``value`` as a probability in [0, 1] (see `number`)."""
    return number(name, value, 0.0, 1.0, kind="a probability")


def integer(name: str, value, lo: int | None = None, hi: int | None = None) -> int:
    """``value`` as an int in [lo, hi]; whole floats such as ``1913.0`` are accepted.

    TypeError unless an integer (bools and strings are refused); ValueError for a fraction, NaN
    or a value out of range.
    """
    if type(value) is int:        # the common case, checked without building any message
        v = value
    else:
        allowed = _whole_text(lo, hi)
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name} must be {allowed}; got {_got(value)}")
        if not isinstance(value, numbers.Integral):
            if not math.isfinite(float(value)) or not float(value).is_integer():
                raise ValueError(f"{name} must be {allowed}; got {show(value)}")
        v = int(value)
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise ValueError(f"{name} must be {_whole_text(lo, hi)}; got {v}")
    return v


def years(name: str, value, lo: int, hi: int) -> list[int]:
    """``value`` (one year, or a list/range of years) as a list of ints in [lo, hi].

    TypeError for text, a mapping or anything that is neither a number nor iterable; ValueError
    for an empty list, or a year that is not whole or out of range (see `integer`).
    """
    allowed = f"a whole year in {lo}-{hi}, or a list/range of them"
    if isinstance(value, (str, bytes, bool, np.bool_, Mapping)) or not (
            isinstance(value, numbers.Number) or hasattr(value, "__iter__")):
        raise TypeError(f"{name} must be {allowed}; got {_got(value)}")
    items = [value] if isinstance(value, numbers.Number) else list(value)
    if not items:
        raise ValueError(f"{name} must be {allowed}; got an empty list")
    return [integer(name, y, lo, hi) for y in items]


def year_span(first_name: str, first, last_name: str, last, lo: int = 1,
              hi: int = 9999) -> tuple[int, int]:
    """Two whole years in [lo, hi] with ``first <= last``, as ints (see `integer`).

    ValueError names both parameters when the span runs backwards.
    """
    first = integer(first_name, first, lo, hi)
    last = integer(last_name, last, lo, hi)
    if last < first:
        raise ValueError(f"{first_name} and {last_name} must have first <= last; got "
                         f"{first_name}={first}, {last_name}={last}")
    return first, last


def date(name: str, value, first=None, last=None):
    """``value`` (text 'YYYY-MM-DD', `datetime.date`, `numpy.datetime64` or `pandas.Timestamp`)
    as a `pandas.Timestamp` at midnight, without a time zone, in [first, last] when given.

    TypeError for another type; ValueError for text that is not a date, NaT, or a day out of
    range.
    """
    import datetime

    import pandas as pd

    allowed = "a date as 'YYYY-MM-DD', datetime.date or pandas.Timestamp"
    if first is not None and last is not None:
        allowed = (f"a date between {pd.Timestamp(first).date()} and {pd.Timestamp(last).date()}"
                   f", as 'YYYY-MM-DD', datetime.date or pandas.Timestamp")
    if not isinstance(value, (str, datetime.date, np.datetime64, pd.Timestamp)):
        raise TypeError(f"{name} must be {allowed}; got {_got(value)}")
    try:
        day = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime):
        raise ValueError(f"{name}={value!r} is not a date; it must be {allowed}") from None
    if day is pd.NaT or pd.isna(day):
        raise ValueError(f"{name} must be {allowed}; got {value!r}")
    if day.tzinfo is not None:
        day = day.tz_localize(None)
    day = day.normalize()
    if (first is not None and day < pd.Timestamp(first)) or (last is not None
                                                             and day > pd.Timestamp(last)):
        raise ValueError(f"{name}={day.date()} is out of range; it must be {allowed}")
    return day


def _whole_text(lo, hi) -> str:
    return "a whole number" + ("" if lo is None and hi is None else
                               f" in {_range_text(lo, hi).replace('inf', '...')}")


def array(name: str, value, lo: float | None = None, hi: float | None = None, *,
          lo_open: bool = False, hi_open: bool = False, ndim: int | None = None,
          min_size: int = 0, meaning: str = "") -> np.ndarray:
    """``value`` (a number or array-like of numbers) as a float array in the given range.

    TypeError for ``None``, strings, bools, or sequences holding something else than numbers;
    ValueError for the wrong number of dimensions, too few entries, NaN or values out of range.
    """
    about = f" ({meaning})" if meaning else ""
    allowed = f"numbers in {_range_text(lo, hi, lo_open, hi_open)}"
    if value is None or isinstance(value, (str, bytes, bool, np.bool_, Mapping)):
        raise TypeError(f"{name}{about} must be a number or an array of {allowed}; got "
                        f"{_got(value)}")
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name}{about} must be an array of {allowed}; got {show(value)}") from None
    if arr.dtype.kind == "b" or (arr.dtype.kind not in "iuf"):
        raise TypeError(f"{name}{about} must hold {allowed}; got {arr.dtype} values "
                        f"{show(value)}")
    arr = arr.astype(float)
    if ndim is not None and arr.ndim != ndim:
        shape = "one-dimensional" if ndim == 1 else f"{ndim}-dimensional"
        raise ValueError(f"{name}{about} must be {shape}; got shape {arr.shape}")
    if arr.size < min_size:
        raise ValueError(f"{name}{about} must hold at least {min_size} value(s); got "
                         f"{arr.size}")
    bad = _outside(arr, lo, hi, lo_open, hi_open)
    if np.any(bad):
        example = float(arr[bad].flat[0] if arr.ndim else arr)
        raise ValueError(f"{name}{about} must hold {allowed}; got {example!r}")
    return arr


def frame(name: str, value, columns: Iterable[str] = (), *, empty: bool = False):
    """``value`` if it is a pandas DataFrame with the given columns (and rows, unless allowed)."""
    import pandas as pd

    columns = list(columns)
    if not isinstance(value, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame with columns {columns}; got "
                        f"{_got(value)}")
    missing = [c for c in columns if c not in value.columns]
    if missing:
        raise ValueError(f"{name} lacks column(s) {missing}; it needs {columns} and has "
                         f"{list(value.columns)}")
    if not empty and len(value) == 0:
        raise ValueError(f"{name} must have at least one row; got an empty DataFrame")
    return value


def mapping(name: str, value, *, empty: bool = False) -> Mapping:
    """``value`` if it is a mapping (dict); ValueError when empty unless allowed."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping (dict); got {_got(value)}")
    if not empty and not value:
        raise ValueError(f"{name} must not be empty")
    return value


def generator(seed, name: str = "seed") -> np.random.Generator:
    """A numpy Generator from ``seed``: None, a whole number >= 0, or a Generator (used as is)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"{name} must be None, a whole number >= 0 or a numpy Generator; got "
                        f"{_got(seed)}")
    if seed < 0:
        raise ValueError(f"{name} must be None, a whole number >= 0 or a numpy Generator; got "
                         f"{seed}")
    return np.random.default_rng(int(seed))
