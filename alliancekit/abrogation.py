"""Why states abrogate alliances: a replication of Leeds & Savun (2007) on ATOP v4.01.

The data are ``abrogation.csv`` (``cases.table("abrogation")``): one row per bilateral alliance
and year at risk, built from ATOP, NMC and Polity5 (schema in ``alliancekit/data/README.md``).

Model
-----
A Cox proportional hazards model (Cox 1972) with time-varying covariates, fitted by statsmodels'
``PHReg``. Each alliance-year is an interval (start, stop] of years since signing: the alliance
enters the risk set at ``start`` (delayed entry) and leaves at ``stop``, with an event only on the
row where it ended. Tied ending years are handled by Efron's method.

Competing risks are handled as Leeds & Savun handle them: by **cause-specific hazards**. The
abrogation model counts only abrogations as events; an alliance that ended any other way
(lapsed, replaced, fulfilled, a member lost independence) is censored at that point, because it
can no longer be abrogated. :func:`fit` with ``risk="other"`` fits the mirror model of the other
endings.

Why statsmodels: it is a long-maintained, widely cited scientific library (Seabold & Perktold
2010) that the course's Python stack already resolves without conflicts, and its ``PHReg`` takes
the delayed-entry times that time-varying covariates need. lifelines would also do, but would add
a second modelling dependency for one model. We do not write the estimator ourselves.

Covariates, as close to the paper's as our data allow (definitions written out in
:data:`VARIABLES`): a power shift, a regime change, a new outside alliance, democracy and issue
linkage, with two controls (a major-power member; formed in wartime).

References
----------
Leeds, B. A., & Savun, B. (2007). Terminating alliances: why do states abrogate agreements?
*Journal of Politics*, 69(4), 1118-1132.
Cox, D. R. (1972). Regression models and life-tables. *JRSS B*, 34(2), 187-220.
Seabold, S., & Perktold, J. (2010). statsmodels: econometric and statistical modeling with
Python. *Proceedings of the 9th Python in Science Conference*, 92-96.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _validate as vd
from . import cases

__all__ = ["VARIABLES", "PAPER", "POWER_THRESHOLD", "REGIME_POINTS", "design", "fit", "Fit",
           "compare"]

#: Main power-shift threshold: a member's CINC moved by more than this share since signing.
POWER_THRESHOLD = 0.25
#: A regime change: polity2 moved by at least this many points since signing (Polity's own
#: convention for a regime transition).
REGIME_POINTS = 3

#: Our variables: name -> definition in words.
VARIABLES = {
    "power_shift": "1 if either member's CINC score has changed by more than the threshold "
                   "(25 % unless stated) relative to its score in the year of signing",
    "regime_change": "1 if either member's Polity5 polity2 score has moved by 3 points or more "
                     "since the year of signing",
    "new_outside_alliance": "1 if either member entered an ATOP alliance without its partner "
                            "this year or last year",
    "democracy": "1 if at least one member is a democracy this year (polity2 of 6 or more)",
    "linkage": "1 if the treaty provides for economic aid or comes with a companion agreement "
               "(ATOP ecaid or compag)",
    "major_power": "control: 1 if either member is a COW major power this year",
    "wartime": "control: 1 if the alliance was signed during a war involving a member (ATOP)",
}

#: What the paper's abstract reports for each hypothesis: the expected sign of the effect on
#: the hazard of abrogation, and whether it was found significant. The paper's own table could
#: not be consulted, so coefficients are not quoted.
PAPER = pd.DataFrame([
    ("power_shift", "+", "supported"),
    ("regime_change", "+", "supported"),
    ("new_outside_alliance", "+", "supported"),
    ("democracy", "-", "supported"),
    ("linkage", "-", "supported"),
], columns=["variable", "paper_direction", "paper_finding"])

_RISKS = ("abrogation", "other")


def design(power_threshold: float = POWER_THRESHOLD, regime_points: int = REGIME_POINTS,
           data: pd.DataFrame | None = None) -> pd.DataFrame:
    """The model's data: one row per alliance-year with complete covariates.

    Parameters
    ----------
    power_threshold : float
        Relative change in a member's CINC since signing that counts as a power shift
        (0.25 = 25 %); must be > 0.
    regime_points : int
        Change in polity2 points since signing that counts as a regime change, in 1-20 (polity2
        runs from -10 to 10).
    data : DataFrame, optional
        Rows in the schema of ``abrogation.csv`` (default: the shipped table).

    Returns
    -------
    pandas.DataFrame
        atopid, year, start, stop, ``abrogation`` and ``other`` (1 on the row where the alliance
        ended that way), and the covariates of :data:`VARIABLES` (0/1). Alliance-years with a
        missing CINC or Polity score are dropped.
    """
    power_threshold = vd.number("power_threshold (a share, e.g. 0.25)", power_threshold, 0,
                                None, lo_open=True)
    regime_points = vd.integer("regime_points", regime_points, 1, 20)  # polity2 spans -10..10
    d = cases.table("abrogation") if data is None else data.copy()
    d = d.dropna(subset=["cinc_change", "polity_change", "democracies"])
    ending = d["ending"].fillna("")
    return pd.DataFrame({
        "atopid": d["atopid"].astype(int),
        "year": d["year"].astype(int),
        "start": d["start"].astype(float),
        "stop": d["stop"].astype(float),
        "abrogation": (ending == "abrogation").astype(int),
        "other": (ending == "other").astype(int),
        "power_shift": (d["cinc_change"].astype(float) > power_threshold).astype(int),
        "regime_change": (d["polity_change"].astype(float) >= regime_points).astype(int),
        "new_outside_alliance": (d["new_outside_recent"].astype(int) > 0).astype(int),
        "democracy": (d["democracies"].astype(float) >= 1).astype(int),
        "linkage": d["linkage"].astype(int),
        "major_power": d["major_power"].astype(int),
        "wartime": d["wartime"].astype(int),
    }).reset_index(drop=True)


@dataclass(frozen=True)
class Fit:
    """A fitted cause-specific Cox model.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per covariate: ``variable``, ``coef`` (log hazard ratio), ``hazard_ratio``,
        ``ci_low``/``ci_high`` (95 % confidence interval of the hazard ratio), ``p_value``.
    risk : str
        ``"abrogation"`` or ``"other"``.
    n_alliances, n_rows, n_events : int
        Alliances, alliance-years and events used.
    result : object
        The statsmodels results object, for anything else.
    """

    table: pd.DataFrame
    risk: str
    n_alliances: int
    n_rows: int
    n_events: int
    result: object


def fit(risk: str = "abrogation", covariates=tuple(VARIABLES), data: pd.DataFrame | None = None,
        **design_options) -> Fit:
    """Fit the cause-specific Cox model of one kind of ending.

    Parameters
    ----------
    risk : {"abrogation", "other"}
        The ending counted as an event; the other kind censors the alliance.
    covariates : sequence of str
        Columns of :func:`design` to include (default: all of :data:`VARIABLES`).
    data : DataFrame, optional
        A ready :func:`design` frame (default: built from the shipped data).
    **design_options
        ``power_threshold``, ``regime_points``: passed to :func:`design`.

    Returns
    -------
    Fit

    Examples
    --------
    >>> f = fit()
    >>> f.risk, f.n_events > 50
    ('abrogation', True)
    """
    from statsmodels.duration.hazard_regression import PHReg

    if risk not in _RISKS:
        raise ValueError(f"risk must be one of {_RISKS}; got {risk!r}")
    d = design(**design_options) if data is None else data
    covariates = list(covariates)
    missing = [c for c in covariates if c not in d.columns]
    if missing or not covariates:
        raise ValueError(f"covariates must be columns of the design {list(VARIABLES)}; "
                         f"got {missing or covariates}")
    model = PHReg(d["stop"].to_numpy(float), d[covariates].to_numpy(float),
                  status=d[risk].to_numpy(int), entry=d["start"].to_numpy(float), ties="efron")
    res = model.fit()
    ci = np.asarray(res.conf_int())
    table = pd.DataFrame({
        "variable": covariates,
        "coef": np.asarray(res.params),
        "hazard_ratio": np.exp(res.params),
        "ci_low": np.exp(ci[:, 0]),
        "ci_high": np.exp(ci[:, 1]),
        "p_value": np.asarray(res.pvalues),
    })
    return Fit(table=table, risk=risk, n_alliances=int(d["atopid"].nunique()),
               n_rows=len(d), n_events=int(d[risk].sum()), result=res)


def compare(table: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Our estimates beside the paper's reported direction and finding.

    Parameters
    ----------
    table : DataFrame
        ``Fit.table`` of the abrogation model.
    alpha : float
        Significance level (0.05 = 5 %).

    Returns
    -------
    pandas.DataFrame
        The hypotheses' rows of ``table`` with ``paper_direction``, ``paper_finding``,
        ``our_direction`` (sign of the coefficient), ``same_direction`` and
        ``significant`` (p < alpha).
    """
    vd.frame("table (Fit.table of the abrogation model)", table, ["variable", "p_value"])
    alpha = vd.number("alpha", alpha, 0, 1, lo_open=True, hi_open=True)
    out = PAPER.merge(table, on="variable", how="left")
    out["our_direction"] = np.where(out["coef"] > 0, "+", "-")
    out["same_direction"] = out["our_direction"] == out["paper_direction"]
    out["significant"] = out["p_value"] < alpha
    return out
