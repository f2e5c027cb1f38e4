"""Named scenarios for the cohesion dynamics: each case's drivers, coded year by year.

The adapter between the case data and the pure `alliancekit.cohesion` model, as
`alliancekit.europe1936` is for the 1936 landscape. A scenario is one alliance over a span of
years: the baseline level of each of the eight drivers (coded in
``cases.table("cohesion_scenarios")`` with a justification and a source for every value) and the
dated shocks taken from the events table. Power asymmetry S, where the coding leaves it out, is
computed from the members' CINC shares with `asymmetry`. The drivers, `Scenario` and `asymmetry`
themselves are defined in `alliancekit.drivers` and re-exported here (``ak.scenarios.asymmetry``
in lessons 04 and 05).

References
----------
Owusu, O. & Bruce-Ghartey, E. A. (2026). The Illusion of Permanent Allies. IJRISS.
Singer, Bremer & Stuckey (1972); National Material Capabilities v6.0 (CINC).
"""
from __future__ import annotations

import functools
from dataclasses import replace

import numpy as np
import pandas as pd

from . import _validate as vd
from . import cases
from .drivers import (  # re-exported: the scenario vocabulary, for ak.scenarios.<name>
    DRIVER_NAMES,
    DRIVERS,
    HOLDING,
    MECHANISM_DRIVER,
    Scenario,
    UnknownScenarioError,
    asymmetry,
    scenario_arrays,
)

__all__ = [
    "scenario", "scenario_names", "scenario_arrays_named",
    # re-exported from alliancekit.drivers
    "DRIVERS", "HOLDING", "DRIVER_NAMES", "MECHANISM_DRIVER", "Scenario", "UnknownScenarioError",
    "asymmetry",
]

_SCENARIOS = {
    "little_entente": ("The Little Entente, 1920-1938", "little_entente"),
    "ecowas": ("ECOWAS and the Sahel exits, 2010-2030", "ecowas"),
    # pre-registered: coded by the rules in data/README.md before the model was run on it
    "balkan_entente": ("The Balkan Entente, 1934-1940 (pre-registered)", "balkan_entente_1934"),
}


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
    # members on 1 July and on 31 December of every year, found in one pass
    codes = cases.member_codes(alliance_id, [f"{int(y)}-{day}" for y in years
                                             for day in ("07-01", "12-31")])
    member_sets = {int(y): july if len(july) >= 2 else december
                   for y, july, december in zip(years, codes[::2], codes[1::2], strict=True)}
    states = sorted({c for s in member_sets.values() for c in s})
    cap = cases.cinc(states=states)
    wide = cap.pivot(index="year", columns="ccode", values="cinc")   # (ccode, year) is a key
    wide = wide.reindex(range(int(wide.index.min()), max(int(years[-1]), int(wide.index.max()))
                              + 1)).ffill()
    table = wide.to_numpy(float)
    row = {int(y): i for i, y in enumerate(wide.index)}
    column = {int(c): i for i, c in enumerate(wide.columns)}
    values = []
    for y in years:
        members = [column[c] for c in member_sets[int(y)] if c in column]
        shares = table[row[int(y)], members] if int(y) in row else []
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


def scenario_arrays_named(name: str) -> tuple[np.ndarray, np.ndarray, tuple]:
    """`alliancekit.drivers.scenario_arrays` of a named scenario, computed once per name.

    Parameters
    ----------
    name : str
        One of `scenario_names`.

    Returns
    -------
    tuple
        years, baseline drivers (read-only) and shocks, as `scenario_arrays` gives them.
    """
    return _arrays(_check_name(name))


@functools.lru_cache(maxsize=None)
def _arrays(name):
    return scenario_arrays(_scenario(name))
