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
Kalbfleisch, J. D. & Prentice, R. L. (2002). The Statistical Analysis of Failure Time Data, 2nd
ed. Wiley (Greenwood's variance, the log(-log) band, cumulative incidence under competing risks).
Marubini, E. & Valsecchi, M. G. (1995). Analysing Survival Data from Clinical Trials and
Observational Studies. Wiley (the delta-method variance of the cumulative incidence).
Leeds, B. A., Ritter, J. M., Mitchell, S. M. & Long, A. G. (2002). Alliance Treaty Obligations
and Provisions, 1815-1944. International Interactions 28: 237-260.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from . import _validate as vd

__all__ = ["kaplan_meier", "share_alive", "median_lifespan", "cumulative_incidence"]

_COLUMNS = ["group", "years", "survival", "low", "high", "at_risk", "ended", "censored"]


def _z(level: float) -> float:
    """Two-sided standard-normal quantile for a confidence level in (0, 1)."""
    from statistics import NormalDist

    level = vd.number("level", level, 0, 1, lo_open=True, hi_open=True,
                      kind="a confidence level strictly between 0 and 1 (e.g. 0.95):")
    return NormalDist().inv_cdf(0.5 + level / 2)


def _loglog_band(estimate: np.ndarray, variance: np.ndarray, z: float):
    """Bounds from the log(-log) transform: est ** exp(±z·se), se = sqrt(var) / |est·log est|.

    Where the estimate is 0 or 1, or the variance is not finite, the band collapses onto it.
    Just below 1, ``se`` is so large that ``exp`` overflows: the band is then (0, 1), the limit
    of the formula as the estimate nears 1.
    """
    est = np.asarray(estimate, float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        se = np.sqrt(variance) / np.abs(est * np.log(est))
        low, high = est ** np.exp(z * se), est ** np.exp(-z * se)
    inside = (est > 0) & (est < 1) & np.isfinite(se)
    return np.where(inside, low, est), np.where(inside, high, est)


def kaplan_meier(durations: pd.DataFrame, group: str | None = None,
                 level: float = 0.95) -> pd.DataFrame:
    """Kaplan-Meier survival table of alliance durations.

    Parameters
    ----------
    durations : DataFrame
        One row per alliance with ``years`` (float >= 0, how long it was observed) and ``ended``
        (bool; False means still in force when the data end, i.e. right-censored), as returned
        by ``alliancekit.cases.durations()``.
    group : str, optional
        A column of ``durations`` to estimate separately for (e.g. ``"era"``).
    level : float, default 0.95
        Confidence level of the pointwise band (``low``, ``high``), strictly between 0 and 1.

    Returns
    -------
    pandas.DataFrame
        group, years, survival (share still in force, in [0, 1]), low and high (the pointwise
        confidence band: Greenwood's variance on the log(-log) scale, as in Kalbfleisch &
        Prentice 2002, so the band stays inside [0, 1]; it collapses onto the estimate where
        that is 1 or 0), at_risk, ended, censored: one row per distinct duration in each group,
        after a first row at 0 years with survival 1.

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
    if group is not None:
        vd.text("group", group)
    needed = ["years", "ended"] + ([group] if group is not None else [])
    vd.frame("durations", durations, needed, empty=True)
    parts = [("all", durations)] if group is None else list(durations.groupby(group, sort=True))
    z = _z(level)
    frames = [_one_group(str(key), part, z) for key, part in parts]
    if not frames:
        return pd.DataFrame(columns=_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def _risk_table(years: np.ndarray, ended: np.ndarray):
    """Distinct times, the number at risk just before each, endings and censorings at each."""
    if np.any(np.isnan(years)) or np.any(years < 0):
        raise ValueError("durations['years'] must be non-negative numbers without gaps")
    times, which = np.unique(years, return_inverse=True)
    at_risk = len(years) - np.searchsorted(np.sort(years), times, side="left")
    events = np.bincount(which, weights=ended, minlength=len(times)).astype(int)
    censored = np.bincount(which, weights=~ended, minlength=len(times)).astype(int)
    return times, which, at_risk, events, censored


def _one_group(key: str, part: pd.DataFrame, z: float) -> pd.DataFrame:
    years = part["years"].to_numpy(float)
    ended = part["ended"].to_numpy(bool)
    times, _, at_risk, events, censored = _risk_table(years, ended)
    survival = np.cumprod(1.0 - events / at_risk)
    with np.errstate(divide="ignore", invalid="ignore"):
        greenwood = np.cumsum(events / (at_risk * (at_risk - events)))
        variance = survival ** 2 * greenwood
    low, high = _loglog_band(survival, variance, z)
    return pd.DataFrame({
        "group": key, "years": np.concatenate(([0.0], times)),
        "survival": np.concatenate(([1.0], survival)),
        "low": np.concatenate(([1.0], low)), "high": np.concatenate(([1.0], high)),
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
    _one_table(table)
    many = not np.isscalar(years)
    asked = vd.array("years", list(years) if many and years is not None else years, 0, None,
                     min_size=1, meaning="non-negative times since the alliance began")
    asked = np.atleast_1d(asked)
    position = np.searchsorted(table["years"].to_numpy(float), asked, side="right") - 1
    values = table["survival"].to_numpy(float)[position]
    return pd.Series(values, index=asked, name="survival") if many else float(values[0])


def _one_table(table) -> None:
    """``table`` must be a `kaplan_meier` table of one group (TypeError/ValueError naming it)."""
    vd.frame("table (a kaplan_meier table)", table, ["group", "years", "survival"])
    if table["group"].nunique() > 1:
        raise ValueError("table holds several groups; pass one group's rows, e.g. "
                         "table[table['group'] == 'defense']")


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
    _one_table(table)
    half = table.loc[table["survival"] <= 0.5, "years"]
    return float(half.iloc[0]) if len(half) else float("nan")


def cumulative_incidence(durations: pd.DataFrame, cause: str = "cause",
                         level: float = 0.95) -> pd.DataFrame:
    """Cumulative incidence of each way of ending, with competing risks (Aalen-Johansen).

    An alliance can end in several ways (violated, expired, fulfilled, replaced ...). Treating one
    way as "the" ending and the others as censoring overstates it, because an alliance that was
    replaced can no longer be violated. The cumulative incidence of cause *k* is the estimated
    share of alliances that have ended *by cause k* within ``t`` years:

    .. math::

        \\hat F_k(t) = \\sum_{t_j \\le t} \\hat S(t_{j-1}) \\, \\frac{e_{kj}}{n_j}

    with :math:`\\hat S` the Kaplan-Meier estimate of lasting (every cause counted as an
    ending), :math:`e_{kj}` the endings by cause *k* at :math:`t_j` and :math:`n_j` the number
    at risk. The curves of all causes add up to :math:`1 - \\hat S(t)`.

    Parameters
    ----------
    durations : DataFrame
        ``years`` (float >= 0), ``ended`` (bool) and the ``cause`` column (str; ignored where
        ``ended`` is False), as returned by ``alliancekit.cases.durations()``.
    cause : str, default "cause"
        The column naming how each alliance ended.
    level : float, default 0.95
        Confidence level of the pointwise band, strictly between 0 and 1.

    Returns
    -------
    pandas.DataFrame
        cause, years, incidence (share ended by that cause, in [0, 1]), low, high (band from the
        delta-method variance of Marubini & Valsecchi 1995 on the log(-log) scale): one row per
        cause and distinct duration, after a first row at 0 years with incidence 0.

    Raises
    ------
    ValueError
        If a column is missing, a duration is negative, or an ended row has no cause.

    Examples
    --------
    >>> d = pd.DataFrame({"years": [1.0, 2.0, 3.0], "ended": [True, True, False],
    ...                   "cause": ["a", "b", ""]})
    >>> t = cumulative_incidence(d)
    >>> t[t["cause"] == "a"]["incidence"].round(3).tolist()
    [0.0, 0.333, 0.333, 0.333]
    """
    vd.text("cause", cause)
    vd.frame("durations", durations, ["years", "ended", cause], empty=True)
    years = durations["years"].to_numpy(float)
    ended = durations["ended"].to_numpy(bool)
    causes = durations[cause].astype(str).to_numpy()
    if np.any(ended & (causes == "")):
        raise ValueError(f"every ended row needs a {cause!r}; some are empty")
    z = _z(level)
    times, which, at_risk, events, _ = _risk_table(years, ended)
    survival = np.cumprod(1.0 - events / at_risk)
    before = np.concatenate(([1.0], survival[:-1]))            # S(t_{j-1})
    with np.errstate(divide="ignore", invalid="ignore"):
        greenwood_step = np.where(at_risk > events, events / (at_risk * (at_risk - events)), 0.0)
    frames = []
    for name in sorted(set(causes[ended])):
        e_k = np.bincount(which, weights=ended & (causes == name), minlength=len(times))
        incidence = np.cumsum(before * e_k / at_risk)
        # Delta-method variance at each t_i: the sum over t_j <= t_i of
        #   (F_i - F_j)^2 g_j + S_{j-1}^2 e_kj (n_j - e_kj) / n_j^3
        #   - 2 (F_i - F_j) S_{j-1} e_kj / n_j^2
        # with g_j the Greenwood step; expanding the squares turns it into running sums.
        g = greenwood_step
        c = before * e_k / at_risk ** 2
        b = before ** 2 * e_k * (at_risk - e_k) / at_risk ** 3
        f = incidence
        variance = (f ** 2 * np.cumsum(g) - 2 * f * np.cumsum(f * g) + np.cumsum(f ** 2 * g)
                    + np.cumsum(b) - 2 * f * np.cumsum(c) + 2 * np.cumsum(f * c))
        low, high = _loglog_band(incidence, np.maximum(variance, 0.0), z)
        frames.append(pd.DataFrame({
            "cause": name, "years": np.concatenate(([0.0], times)),
            "incidence": np.concatenate(([0.0], incidence)),
            "low": np.concatenate(([0.0], low)), "high": np.concatenate(([0.0], high)),
        }))
    if not frames:
        return pd.DataFrame(columns=["cause", "years", "incidence", "low", "high"])
    return pd.concat(frames, ignore_index=True)
