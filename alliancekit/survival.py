"""How long alliances last: the Kaplan-Meier survival estimate of alliance durations.

Alliances still in force when the data end are *right-censored*: we know they lasted at least
that long, not how long they will last. Dropping them, or treating their end of observation as an
ending, biases any average. Kaplan & Meier (1958) use every alliance while it is observed:

.. math::

    \\hat S(t) = \\prod_{t_k \\le t} \\left(1 - \\frac{e_k}{n_k}\\right)

where the :math:`t_k` are the distinct durations observed, :math:`e_k` the number of alliances that
*ended* after exactly :math:`t_k` years, and :math:`n_k` the number still *at risk* (neither ended
nor censored before :math:`t_k`). :math:`\\hat S(t)` is the estimated share of alliances still in
force :math:`t` years after they began. Lesson 02 reads it from ``cases.durations()`` (ATOP v4.01).

References
----------
Kaplan, E. L. & Meier, P. (1958). Nonparametric estimation from incomplete observations.
Journal of the American Statistical Association 53(282): 457-481.
Leeds, B. A., Ritter, J. M., Mitchell, S. M. & Long, A. G. (2002). Alliance Treaty Obligations
and Provisions, 1815-1944. International Interactions 28: 237-260.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = ["kaplan_meier", "share_alive", "median_lifespan"]

_COLUMNS = ["group", "years", "survival", "at_risk", "ended", "censored"]


def kaplan_meier(durations: pd.DataFrame, group: str | None = None) -> pd.DataFrame:
    """Kaplan-Meier survival table of alliance durations.

    Parameters
    ----------
    durations : DataFrame
        One row per alliance with ``years`` (float >= 0, how long it was observed) and ``ended``
        (bool; False means still in force when the data end, i.e. right-censored), as returned
        by ``alliancekit.cases.durations()``.
    group : str, optional
        A column of ``durations`` to estimate separately for (e.g. ``"era"``).

    Returns
    -------
    pandas.DataFrame
        group, years, survival (share still in force, in [0, 1]), at_risk, ended, censored: one
        row per distinct duration in each group, after a first row at 0 years with survival 1.

    Raises
    ------
    ValueError
        If a column is missing or a duration is negative or missing.

    Examples
    --------
    >>> d = pd.DataFrame({"years": [1.0, 2.0, 2.0, 5.0], "ended": [True, True, False, True]})
    >>> kaplan_meier(d)["survival"].round(3).tolist()
    [1.0, 0.75, 0.5, 0.0]
    """
    needed = ["years", "ended"] + ([group] if group is not None else [])
    missing = [c for c in needed if c not in durations.columns]
    if missing:
        raise ValueError(f"durations lacks column(s) {missing}; it needs {needed}")
    parts = [("all", durations)] if group is None else list(durations.groupby(group, sort=True))
    frames = [_one_group(str(key), part) for key, part in parts]
    if not frames:
        return pd.DataFrame(columns=_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def _one_group(key: str, part: pd.DataFrame) -> pd.DataFrame:
    years = part["years"].to_numpy(float)
    ended = part["ended"].to_numpy(bool)
    if np.any(np.isnan(years)) or np.any(years < 0):
        raise ValueError("durations['years'] must be non-negative numbers without gaps")
    times, which = np.unique(years, return_inverse=True)
    at_risk = len(years) - np.searchsorted(np.sort(years), times, side="left")
    events = np.bincount(which, weights=ended, minlength=len(times)).astype(int)
    censored = np.bincount(which, weights=~ended, minlength=len(times)).astype(int)
    survival = np.cumprod(1.0 - events / at_risk)
    return pd.DataFrame({
        "group": key, "years": np.concatenate(([0.0], times)),
        "survival": np.concatenate(([1.0], survival)),
        "at_risk": np.concatenate(([len(years)], at_risk)),
        "ended": np.concatenate(([0], events)), "censored": np.concatenate(([0], censored)),
    })


def share_alive(table: pd.DataFrame, years: float | Iterable[float]) -> pd.Series | float:
    """The estimated share of alliances still in force ``years`` after they began.

    Parameters
    ----------
    table : DataFrame
        A `kaplan_meier` table of one group (or filter it to one group first).
    years : float or iterable of float
        Time(s) since the alliance began, in years (>= 0).

    Returns
    -------
    float or pandas.Series
        The survival estimate at each time (a step function: the value at the last observed
        duration not after ``years``), indexed by ``years`` when several are asked for.

    Examples
    --------
    >>> d = pd.DataFrame({"years": [1.0, 2.0, 2.0, 5.0], "ended": [True, True, False, True]})
    >>> share_alive(kaplan_meier(d), 3)
    0.5
    """
    if table["group"].nunique() > 1:
        raise ValueError("table holds several groups; pass one group's rows, e.g. "
                         "table[table['group'] == 'defense']")
    many = not np.isscalar(years)
    asked = np.atleast_1d(np.asarray(list(years) if many else [years], dtype=float))
    if np.any(np.isnan(asked)) or np.any(asked < 0):
        raise ValueError(f"years must be non-negative numbers; got {years!r}")
    position = np.searchsorted(table["years"].to_numpy(float), asked, side="right") - 1
    values = table["survival"].to_numpy(float)[position]
    return pd.Series(values, index=asked, name="survival") if many else float(values[0])


def median_lifespan(table: pd.DataFrame) -> float:
    """The first duration (years) at which the estimated share still in force is 1/2 or less.

    Returns ``nan`` when more than half the alliances were still in force at the longest observed
    duration (the median is then not identified by the data).

    Examples
    --------
    >>> d = pd.DataFrame({"years": [1.0, 2.0, 2.0, 5.0], "ended": [True, True, False, True]})
    >>> median_lifespan(kaplan_meier(d))
    2.0
    """
    if table["group"].nunique() > 1:
        raise ValueError("table holds several groups; pass one group's rows")
    half = table.loc[table["survival"] <= 0.5, "years"]
    return float(half.iloc[0]) if len(half) else float("nan")
