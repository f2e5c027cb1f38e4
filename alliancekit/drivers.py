"""The cohesion model's inputs: its eight drivers, power asymmetry, and the `Scenario` it runs.

Pure: nothing here reads the case data. A named scenario's coded drivers and dated shocks are
loaded by `alliancekit.scenarios` (the adapter) and handed to `alliancekit.cohesion` as a
`Scenario`.

Drivers: shared threat T, interest alignment A, institutionalisation I, trust and identity R hold
an alliance together; power asymmetry S, leadership volatility L, domestic opposition H and
external shock X erode it. Each event of the events table raises one of them (or, for
``signalling_perception``, adds to doubt directly): see `MECHANISM_DRIVER`. S, where a coding
leaves it out, is computed from the members' capabilities with `asymmetry`: a normalised
Herfindahl index, 0 when all members are equal and 1 when one holds everything.

References
----------
Owusu, O. & Bruce-Ghartey, E. A. (2026). The Illusion of Permanent Allies. IJRISS.
Walt, S. M. (1987). The Origins of Alliances. Cornell University Press.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from . import _validate as vd

__all__ = [
    "DRIVERS", "HOLDING", "DRIVER_NAMES", "MECHANISM_DRIVER", "Scenario", "UnknownScenarioError",
    "asymmetry", "scenario_arrays",
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


class UnknownScenarioError(vd.UnknownNameError):
    """Raised for a scenario name that is not defined (a `LookupError`; close matches listed)."""



def scenario_arrays(scenario: Scenario) -> tuple[np.ndarray, np.ndarray, tuple]:
    """A scenario as the arrays the cohesion model runs on.

    Parameters
    ----------
    scenario : Scenario
        Baseline drivers by year (every driver of `DRIVERS` in [0, 1], consecutive years) and
        dated shocks (year, driver, size).

    Returns
    -------
    tuple
        years (n_years,), the baseline drivers (n_years, 8; read-only) in the order of
        `DRIVERS`, and the shocks as a tuple of (year, driver, size).

    Raises
    ------
    TypeError
        If ``scenario`` is not a `Scenario`.
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario must be a Scenario (see alliancekit.scenarios.scenario); got "
                        f"{type(scenario).__name__} {vd.show(scenario)}")
    years = scenario.drivers.index.to_numpy()
    base = scenario.drivers[list(DRIVERS)].to_numpy(float)
    base.setflags(write=False)
    shocks = tuple((int(y), d, float(size)) for y, d, size in
                   zip(scenario.shocks["year"], scenario.shocks["driver"],
                       scenario.shocks["size"], strict=True))
    return years, base, shocks
