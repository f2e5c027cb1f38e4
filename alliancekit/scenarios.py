"""Named scenarios for the cohesion dynamics: the drivers of each case, coded year by year.

A scenario is one alliance over a span of years: the baseline level of each of the eight drivers
of `alliancekit.cohesion` (coded in ``cases.table("cohesion_scenarios")`` with a justification
and a source for every value), and the dated shocks taken from the events table. Power asymmetry
S, where the coding leaves it out, is computed from the members' CINC shares with `asymmetry`: a
normalised Herfindahl index, 0 when all members are equal and 1 when one holds everything.

Drivers: shared threat T, interest alignment A, institutionalisation I, trust and identity R hold
an alliance together; power asymmetry S, leadership volatility L, domestic opposition H and
external shock X erode it. Each event of the events table raises one of them (or, for
``signalling_perception``, adds to doubt directly): see `MECHANISM_DRIVER`.

References
----------
Owusu, O. & Bruce-Ghartey, E. A. (2026). The Illusion of Permanent Allies. IJRISS.
Walt, S. M. (1987). The Origins of Alliances. Cornell University Press.
Singer, Bremer & Stuckey (1972); National Material Capabilities v6.0 (CINC).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from . import _validate as vd
from . import cases

__all__ = [
    "DRIVERS", "DRIVER_NAMES", "MECHANISM_DRIVER", "Scenario", "UnknownScenarioError",
    "asymmetry", "scenario", "scenario_names",
]

#: Driver names in the order used by the arrays: four that hold, four that erode.
DRIVERS = ("T", "A", "I", "R", "S", "L", "H", "X")
HOLDING = ("T", "A", "I", "R")
DRIVER_NAMES = {
    "T": "shared threat", "A": "interest alignment", "I": "institutionalisation",
    "R": "trust and identity", "S": "power asymmetry", "L": "leadership volatility",
    "H": "domestic opposition", "X": "external shock",
}
#: Which driver an event of each mechanism raises ("doubt" = a pulse added to doubt).
MECHANISM_DRIVER = {
    "leadership": "L", "domestic_politics": "H", "power_asymmetry": "S",
    "external_shock": "X", "signalling_perception": "doubt",
}


def _scalar_or_array(a):
    a = np.asarray(a)
    return a.item() if a.ndim == 0 else a


def asymmetry(shares: ArrayLike, method: str = "herfindahl") -> float | np.ndarray:
    """Power asymmetry S of an alliance from its members' capabilities, in [0, 1].

    Parameters
    ----------
    shares : array, shape (..., n_members)
        Capabilities (e.g. CINC scores) of the members, >= 0, not all 0; normalised here.
    method : {"herfindahl", "entropy"}
        ``"herfindahl"``: (Σ s² − 1/n) / (1 − 1/n); ``"entropy"``: 1 − (−Σ s ln s) / ln n.
        Both are 0 when members are equal and 1 when one member holds everything.

    Returns
    -------
    float or array, shape (...)
        0 for a single member.

    Examples
    --------
    >>> asymmetry([1, 1, 1])
    0.0
    >>> round(asymmetry([3, 1]), 3)
    0.25
    """
    vd.choice("method", method, ("herfindahl", "entropy"))
    x = vd.array("shares", shares, 0, None)
    if x.ndim == 0:
        raise ValueError("shares must be an array over members (last axis); got a scalar")
    total = x.sum(axis=-1, keepdims=True)
    if np.any(total <= 0):
        raise ValueError("shares must not all be 0")
    s = x / total
    n = s.shape[-1]
    if n == 1:
        return _scalar_or_array(np.zeros(s.shape[:-1]))
    if method == "herfindahl":
        out = ((s ** 2).sum(axis=-1) - 1 / n) / (1 - 1 / n)
    else:
        logs = np.log(s, out=np.zeros_like(s), where=s > 0)
        out = 1 + (s * logs).sum(axis=-1) / np.log(n)
    return _scalar_or_array(np.clip(out, 0.0, 1.0))


@dataclass(frozen=True)
class Scenario:
    """A named case: baseline drivers by year and the dated shocks taken from the events table.

    Attributes
    ----------
    name, title, alliance_id : str
    drivers : pandas.DataFrame
        Indexed by year, one column per driver in `DRIVERS` (baseline, before shocks).
    shocks : pandas.DataFrame
        event_id, date, year, mechanism, driver (a driver name or "doubt"), size (coded from
        sources by the rules in data/README.md, in [0, 1]), size_basis (the rule applied and
        why), description, source.
    coding : pandas.DataFrame
        The rows of ``cohesion_scenarios.csv`` behind the drivers (value, justification, source).
    """

    name: str
    title: str
    alliance_id: str
    drivers: object
    shocks: object
    coding: object

    @property
    def years(self):
        """First and last year of the scenario."""
        return int(self.drivers.index[0]), int(self.drivers.index[-1])


_SCENARIOS = {
    "little_entente": ("The Little Entente, 1920-1938", "little_entente"),
    "ecowas": ("ECOWAS and the Sahel exits, 2010-2030", "ecowas"),
    # pre-registered: coded by the rules in data/README.md before the model was run on it
    "balkan_entente": ("The Balkan Entente, 1934-1940 (pre-registered)", "balkan_entente_1934"),
}


class UnknownScenarioError(vd.UnknownNameError):
    """Raised for a scenario name that is not defined (a `LookupError`; close matches listed)."""


def scenario_names() -> list[str]:
    """Names accepted by `scenario` and `simulate`.

    Examples
    --------
    >>> scenario_names()
    ['balkan_entente', 'ecowas', 'little_entente']
    """
    return sorted(_SCENARIOS)


def _check_name(name):
    if isinstance(name, Scenario):
        name = name.name
    if not isinstance(name, str):
        raise TypeError(f"scenario must be a name from {scenario_names()} or a Scenario; got "
                        f"{type(name).__name__} {vd.show(name)}")
    if name not in _SCENARIOS:
        err = vd.unknown("scenario", name, scenario_names())
        raise UnknownScenarioError(str(err), err.matches)
    return name


@functools.lru_cache(maxsize=1)
def _scenario_coding():
    return cases.table("cohesion_scenarios")


@functools.lru_cache(maxsize=None)
def _scenario(name):
    _check_name(name)
    title, alliance_id = _SCENARIOS[name]
    coding = _scenario_coding()
    coding = coding[coding["scenario"] == name].reset_index(drop=True)
    first, last = int(coding["first_year"].min()), int(coding["last_year"].max())
    years = np.arange(first, last + 1)
    drivers = pd.DataFrame(index=pd.Index(years, name="year"), columns=list(DRIVERS),
                           dtype=float)
    for row in coding.itertuples():
        if row.driver not in DRIVERS:
            raise ValueError(f"cohesion_scenarios.csv: unknown driver {row.driver!r}")
        drivers.loc[row.first_year:row.last_year, row.driver] = float(row.value)
    if drivers["S"].isna().any():
        drivers["S"] = drivers["S"].fillna(_asymmetry_by_year(alliance_id, years))
    missing = drivers.columns[drivers.isna().any()].tolist()
    if missing:
        raise ValueError(f"cohesion_scenarios.csv does not cover every year of {name} for "
                         f"drivers {missing}")
    events = cases.table("events")
    events = events[events["alliance_id"] == alliance_id].copy()
    events["year"] = pd.to_datetime(events["date"]).dt.year
    events = events[(events["year"] >= first) & (events["year"] <= last)]
    events["driver"] = events["mechanism"].map(MECHANISM_DRIVER)
    uncoded = events.loc[events["size"].isna(), "event_id"].tolist()
    if uncoded:
        raise ValueError(f"events.csv: every event of scenario {name} needs a coded size "
                         f"(see the coding rules in data/README.md); missing for {uncoded}")
    shocks = events[["event_id", "date", "year", "mechanism", "driver", "size", "size_basis",
                     "description", "source"]].sort_values("date").reset_index(drop=True)
    return Scenario(name=name, title=title, alliance_id=alliance_id, drivers=drivers,
                    shocks=shocks, coding=coding)


def _asymmetry_by_year(alliance_id, years):
    """S from members' CINC shares each year; the last CINC year is carried forward.

    Members are those in force on 1 July, or on 31 December when fewer than two were in force on
    1 July (an alliance founded that summer).
    """
    def members_in(year):
        found = cases.members(alliance_id, f"{year}-07-01")["ccode"]
        if len(found) < 2:
            found = cases.members(alliance_id, f"{year}-12-31")["ccode"]
        return sorted(int(c) for c in found)

    member_sets = {int(y): members_in(int(y)) for y in years}
    states = sorted({c for s in member_sets.values() for c in s})
    cap = cases.cinc(states=states)
    wide = cap.pivot_table(index="year", columns="ccode", values="cinc")
    wide = wide.reindex(range(int(wide.index.min()), max(int(years[-1]), int(wide.index.max()))
                              + 1)).ffill()
    values = []
    for y in years:
        members = [c for c in member_sets[int(y)] if c in wide.columns]
        shares = wide.loc[int(y), members].to_numpy(float) if int(y) in wide.index else []
        shares = np.nan_to_num(np.asarray(shares, float))
        values.append(asymmetry(shares) if len(shares) and shares.sum() > 0 else np.nan)
    return pd.Series(values, index=pd.Index(years, name="year"))


def scenario(name: str) -> Scenario:
    """A named scenario: baseline drivers by year, dated shocks, and the coding behind them.

    Parameters
    ----------
    name : str
        One of `scenario_names`: ``"little_entente"`` (1920-1938), ``"ecowas"`` (2010-2030) or
        ``"balkan_entente"`` (1934-1940, coded before the model was first run on it).

    Returns
    -------
    Scenario
        name, title, alliance_id, drivers (DataFrame by year), shocks (DataFrame), coding.

    Raises
    ------
    LookupError
        (`UnknownScenarioError`) for an unknown name, listing the known ones.
    """
    _check_name(name)
    s = _scenario(name)
    return replace(s, drivers=s.drivers.copy(), shocks=s.shocks.copy(), coding=s.coding.copy())


@functools.lru_cache(maxsize=None)
def _compiled_scenario(name):
    s = _scenario(name)
    years = s.drivers.index.to_numpy()
    base = s.drivers[list(DRIVERS)].to_numpy(float)
    base.setflags(write=False)
    shocks = tuple((int(y), d, float(size)) for y, d, size in
                   zip(s.shocks["year"], s.shocks["driver"], s.shocks["size"], strict=True))
    return years, base, shocks
