"""Where the cohesion model's inputs come from, and how much its answer depends on each.

Two questions a reader should ask of any model result. *Which inputs were measured, which were
coded from sources, and which were simply assumed?* `inputs` answers it, one row per input of the
cohesion dynamics (``alliancekit.cohesion``). *Would the answer change if an input were set
differently?* `one_at_a_time` answers it for one outcome, the share of model runs in which the
alliance has dissolved by a given year (for the Little Entente, by 1937: "lost before Munich").
Each input is moved to a low and a high value while all others stay at their defaults or coded
values, with the same random draws (common random numbers), so differences come from the input
alone. ``alliancekit.charts.tornado_chart`` draws the result. Nothing here draws.

One-at-a-time analysis shows how steep the answer is around the defaults; it cannot show
interactions (two inputs moved together), which the erosion explorer lets a student try.

References
----------
Saltelli, A. et al. (2008). Global Sensitivity Analysis: The Primer. Wiley (one-at-a-time designs
and their limits).
"""
from __future__ import annotations

from dataclasses import fields

import numpy as np
import pandas as pd

from alliancekit import _validate as vd
from alliancekit import cohesion, scenarios

__all__ = ["inputs", "one_at_a_time", "DEFAULT_RANGES", "LABELS", "STATUSES"]

#: The three kinds of input the course distinguishes.
STATUSES = ("measured", "coded", "assumed")

# name -> (symbol, status, where it comes from)
_INPUTS = {
    "S": ("S", "measured", "power asymmetry: normalised Herfindahl index of the members' CINC "
                           "shares each year (NMC v6.0, Singer, Bremer & Stuckey 1972)"),
    "event_dates": ("t", "measured", "the year of each dated event (events.csv, each row "
                                     "sourced to a diplomatic history)"),
    "event_selection": ("events", "coded", "which events enter the list at all: chosen by the "
                                           "coder, who knew the outcome (events.csv); without "
                                           "the events no run of the Little Entente dissolves"),
    "T": ("T", "coded", "shared threat, per range of years (cohesion_scenarios.csv: value, "
                        "justification and source on every row)"),
    "A": ("A", "coded", "interest alignment (cohesion_scenarios.csv)"),
    "I": ("I", "coded", "institutionalisation (cohesion_scenarios.csv)"),
    "R": ("R", "coded", "trust and identity (cohesion_scenarios.csv)"),
    "L": ("L", "coded", "leadership volatility between dated events (cohesion_scenarios.csv)"),
    "H": ("H", "coded", "domestic opposition between dated events (cohesion_scenarios.csv)"),
    "X": ("X", "coded", "steady outside pressure (cohesion_scenarios.csv)"),
    "event_size": ("size", "coded", "how hard each dated event hits: 0.25/0.5/0.75/1 by the "
                                    "written rules (events.csv: size and size_basis)"),
    "event_mechanism": ("mechanism", "coded", "which driver each event raises (events.csv: "
                                              "mechanism, from the cited history)"),
    "alpha": ("α", "assumed", "speed toward the target; chosen, not fitted"),
    "gamma": ("γ", "assumed", "erosion of cohesion by doubt; chosen with δ so that the defaults "
                              "are bistable (the tipping point is built in)"),
    "delta": ("δ", "assumed", "growth of doubt below θ; chosen with γ for bistability"),
    "theta": ("θ", "assumed", "cohesion below which doubt grows; chosen"),
    "eta": ("η", "assumed", "doubt added per unit of external shock; chosen"),
    "rho": ("ρ", "assumed", "yearly fading of doubt; chosen"),
    "lam": ("λ", "assumed", "speed of professed cohesion; chosen below α so rhetoric lags"),
    "c_min": ("C_min", "assumed", "dissolution threshold; chosen"),
    "k_years": ("k", "assumed", "years below C_min that count as dissolution; chosen"),
    "noise": ("σ_C", "assumed", "yearly luck; chosen"),
    "driver_sd": ("driver_sd", "assumed", "each run's coding error; chosen"),
    "shock_years": ("shock_years", "assumed", "years an event's effect lasts; chosen (1)"),
    "param_spread": ("param_spread", "assumed", "run-to-run spread of the rates; chosen (0: "
                                                "every run has the same rates)"),
    "shock_size": ("shock_size", "assumed", "size of a shock given without a coded size "
                                            "(the scenarios' events all carry coded sizes)"),
    "beta0": ("β0", "assumed", "intercept of the target; chosen so that middling drivers give a "
                               "healthy alliance (C* about 0.9)"),
    "betas": ("βT … βX", "assumed", "weights of the drivers; chosen, not fitted"),
}

#: How a chart names each input a student can vary: the symbol of the lesson's equations and a
#: few words (axis labels must not show the library's identifiers, such as ``beta0``).
LABELS = {
    "alpha": "α, speed toward the target", "gamma": "γ, erosion of cohesion by doubt",
    "delta": "δ, growth of doubt", "theta": "θ, cohesion below which doubt grows",
    "eta": "η, doubt added per shock", "rho": "ρ, yearly fading of doubt",
    "lam": "λ, speed of professed cohesion", "c_min": "C_min, dissolution threshold",
    "noise": "σ_C, yearly luck", "driver_sd": "coding error of the drivers",
    "beta0": "β0, intercept of the target", "T": "T, shared threat", "A": "A, interest alignment",
    "I": "I, institutionalisation", "R": "R, trust and identity",
    "L": "L, leadership volatility", "H": "H, domestic opposition", "X": "X, outside pressure",
    "S": "S, power asymmetry", "event_size": "size of every dated event",
}


def _label(name: str) -> str:
    """The words a chart shows for input ``name`` (see `LABELS`)."""
    if name in LABELS:
        return LABELS[name]
    symbol, _, meaning = _INPUTS[name]
    return f"{symbol}, {meaning.split(';')[0].split(' (')[0]}"


#: parameter -> (low, high): the values `one_at_a_time` tries. Drivers and event sizes are
#: shifts / scale factors applied to the coded values; the rest are the parameter's own values.
DEFAULT_RANGES = {
    "alpha": (0.15, 0.35), "gamma": (0.2, 0.6), "delta": (0.5, 1.5), "theta": (0.4, 0.6),
    "eta": (0.25, 1.0), "rho": (0.05, 0.3), "c_min": (0.2, 0.3), "noise": (0.0, 0.06),
    "driver_sd": (0.0, 0.1), "beta0": (-1.5, -0.5),
    "T": (-0.1, 0.1), "A": (-0.1, 0.1), "I": (-0.1, 0.1), "R": (-0.1, 0.1),
    "L": (-0.1, 0.1), "H": (-0.1, 0.1), "X": (-0.1, 0.1), "S": (-0.5, 0.5),
    "event_size": (0.5, 1.5),
}
_DRIVER_SHIFT = {"T", "A", "I", "R", "L", "H", "X"}
_PARAMS = tuple(f.name for f in fields(cohesion.CohesionParams))


def inputs() -> pd.DataFrame:
    """Every input of the cohesion model, marked measured, coded or assumed.

    Returns
    -------
    pandas.DataFrame
        input (name as used in the library), symbol (as in the lesson's equations), status
        (``measured`` from a dataset, ``coded`` by hand from cited sources, or ``assumed``:
        chosen by the course, not fitted to data), source (where the values come from), and
        default (the default for assumed parameters; empty for data).

    Examples
    --------
    >>> t = inputs()
    >>> t.loc[t["input"] == "S", "status"].item()
    'measured'
    >>> sorted(t["status"].unique())
    ['assumed', 'coded', 'measured']
    """
    defaults = cohesion.CohesionParams()
    rows = []
    for name, (symbol, status, source) in _INPUTS.items():
        if name == "betas":
            default = ", ".join(f"{k} {v:g}" for k, v in defaults.betas.items())
        elif hasattr(defaults, name):
            default = f"{getattr(defaults, name):g}"
        else:
            default = ""
        rows.append({"input": name, "symbol": symbol, "status": status, "source": source,
                     "default": default})
    return pd.DataFrame(rows)


def _outcome(scenario: str, by_year: int, runs: int, seed: int, **kwargs) -> float:
    paths = cohesion.simulate_paths(scenario, runs=runs, seed=seed, **kwargs)
    col = int(np.searchsorted(paths.years, by_year))
    return float(paths.dissolved[:, col].mean())


def _setting(scenario, name, value):
    """Keyword arguments for `cohesion.simulate_paths` that set one input to ``value``."""
    s = scenarios.scenario(scenario)
    if name in _DRIVER_SHIFT or name == "S":
        coded = s.drivers[name].to_numpy(float)
        moved = coded * (1 + value) if name == "S" else coded + value
        return {"drivers": {name: np.clip(moved, 0.0, 1.0)}}
    if name == "event_size":
        return {"shocks": [(int(y), d, min(1.0, float(z) * value)) for y, d, z in
                           zip(s.shocks["year"], s.shocks["driver"], s.shocks["size"],
                               strict=True)]}
    return {name: value}


def one_at_a_time(scenario: str = "little_entente", by_year: int = 1937, runs: int = 400,
                  seed: int = 1, ranges: dict | None = None) -> pd.DataFrame:
    """How the share of runs dissolved by ``by_year`` moves when each input moves alone.

    Parameters
    ----------
    scenario : str
        A name from ``cohesion.scenario_names()``.
    by_year : int
        The outcome is the share of model runs dissolved by the end of this year (a share of
        runs of this model, not a calibrated probability). Default 1937: for the Little Entente,
        the last full year before Munich.
    runs : int
        Runs per setting (>= 1); every setting uses the same seed, so the same random draws.
    seed : int
        Seed of the random draws (>= 0).
    ranges : dict, optional
        parameter -> (low, high), replacing `DEFAULT_RANGES` (its keys name what is varied):
        any key of `DEFAULT_RANGES` or any other numeric field of ``cohesion.CohesionParams``.
        Rates and weights take their own values; drivers ``T`` ... ``X`` take shifts added to the
        coded values (clipped to [0, 1]); ``S`` a relative change (-0.5 halves the measured
        asymmetry); ``event_size`` a factor on every coded event size (capped at 1).

    Returns
    -------
    pandas.DataFrame
        parameter, label (the words a chart shows for it, from `LABELS`), status (measured /
        coded / assumed), low_value, high_value, at_low, at_high
        (the outcome at each end, in [0, 1]), base (the outcome at the defaults and coded
        values), swing (|at_high - at_low|); sorted by swing, largest first.

    Raises
    ------
    ValueError
        If ``by_year`` is outside the scenario's years, or a range names an unknown input
        (TypeError if it is not a whole number).
    """
    if ranges is not None:
        vd.mapping("ranges (input -> (low, high))", ranges)
        for name, pair in ranges.items():
            if isinstance(pair, (str, bytes)) or not hasattr(pair, "__len__") or len(pair) != 2:
                raise TypeError(f"ranges[{name!r}] must be a pair (low, high); got "
                                f"{vd.show(pair)}")
    ranges = dict(DEFAULT_RANGES if ranges is None else ranges)
    first, last = scenarios.scenario(scenario).years
    by_year = vd.integer(f"by_year (a year of the {scenario} scenario)", by_year, first, last)
    allowed = set(DEFAULT_RANGES) | {f for f in _PARAMS if f not in ("betas", "k_years",
                                                                     "shock_years")}
    unknown = set(ranges) - allowed
    if unknown:
        raise ValueError(f"ranges has unknown input(s) {sorted(unknown)}; allowed: "
                         f"{sorted(allowed)}")
    base = _outcome(scenario, by_year, runs, seed)
    rows = []
    for name, (low, high) in ranges.items():
        at = [_outcome(scenario, by_year, runs, seed, **_setting(scenario, name, v))
              for v in (low, high)]
        rows.append({"parameter": name, "label": _label(name), "status": _INPUTS[name][1],
                     "low_value": float(low), "high_value": float(high), "at_low": at[0],
                     "at_high": at[1], "base": base, "swing": abs(at[1] - at[0])})
    out = pd.DataFrame(rows)
    return out.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
