r"""Axelrod & Bennett's (1993) Europe of 1936, rebuilt from facts dated 1936 or earlier.

The facts are dated 1936 or earlier; the datasets that code them are later (NMC v6.0, 2017;
Thompson & Dreyer, 2011; COW contiguity v3.2, 2002; COW wars v4.0, 2010), so a retrospective
coding, of rivalries above all, can carry hindsight.

This module is the adapter between the case data and the pure landscape model
(:mod:`alliancekit.landscape`): it turns the shipped 1936 tables into sizes and a propensity
matrix, and scores a configuration against the side each state took in the Second World War.
It never looks at alliances, so the landscape cannot simply read back the answer.

The coding was **pre-registered**: the factors, their weights and every input were committed, and
pinned by ``tests/unit/test_europe1936.py``, before any configuration was computed from them.

Inputs (``alliancekit/data/``; schema in its README):

- ``europe1936_sizes.csv``: NMC CINC of each of the 17 states in 1936 (*measured*);
- ``europe1936_pairs.csv``: COW contiguity, COW inter-state wars up to 1935, Thompson-Dreyer
  rivalries in progress in 1936 (*measured*), as **registered**;
- ``europe1936_pairs_corrected.csv``: the same, with the war history read from each COW dyad's
  own sides (the **corrected** coding, a documented deviation from the registration: the
  registered build put Germany and the USSR on one side of COW war 108, 1918-20, where COW's
  dyads put them on opposite sides);
- ``europe1936_ideology.csv``: each state's regime camp in 1936 (*coded*, with a source each);
- ``europe1936_weights.csv``: one weight per factor (*assumed*, with a justification each).

The propensity of a pair is the weighted sum of its factor values,

.. math::

    p_{ij} = \sum_k w_k f_k(i, j), \qquad f_k(i, j) \in \{-1, 0, +1\},

and each factor's definition is written out in the weights file.

Every function that reads the pairs takes ``coding``: ``"registered"`` (the default, the file as
pre-registered and pinned) or ``"corrected"``. Report both; say which one a number comes from.

``europe1936_sides.csv`` holds the outcome (the side each state took in the war). It is read only
by :func:`on_their_side`, never by the inputs.

References
----------
Axelrod, R., & Bennett, D. S. (1993). A landscape theory of aggregation. *British Journal of
Political Science*, 23(2), 211-233.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd

from . import _validate as vd
from . import cases

__all__ = ["FACTORS", "CAMPS", "CODINGS", "Inputs", "weights", "factor_values", "propensity",
           "inputs", "sides", "on_their_side", "predict", "weight_sensitivity"]

#: The factors of the propensity, in the order of the weights file.
FACTORS = ("ideology", "war_history", "rivalry", "border")
#: The three ideological camps of 1936; any other regime is ``authoritarian``.
CAMPS = ("democracy", "fascism", "communism")
_IDEOLOGIES = (*CAMPS, "authoritarian")
#: The two codings of the pair inputs, and the table each reads: the registered one (pinned) and
#: the corrected one (a deviation from the registration; alliancekit/data/README.md).
CODINGS = {"registered": "europe1936_pairs", "corrected": "europe1936_pairs_corrected"}


def _pairs(coding: str) -> pd.DataFrame:
    return cases.table(CODINGS[vd.choice("coding", coding, CODINGS)])


@dataclass(frozen=True)
class Inputs:
    """Sizes and propensities of the 17 states, in one order.

    Attributes
    ----------
    ccodes : tuple of int
        COW codes, sorted.
    names : tuple of str
        COW abbreviations in the same order.
    sizes : numpy.ndarray
        CINC scores in 1936 (share of world capabilities, 0-1).
    propensity : numpy.ndarray
        Symmetric 17 x 17 matrix with a zero diagonal.
    weights : dict
        The factor weights used.
    """

    ccodes: tuple
    names: tuple
    sizes: np.ndarray
    propensity: np.ndarray
    weights: dict


def weights() -> dict[str, float]:
    """The pre-registered factor weights, from ``europe1936_weights.csv``.

    Returns
    -------
    dict
        ``{factor: weight}`` for the factors in :data:`FACTORS`.
    """
    table = cases.table("europe1936_weights").set_index("factor")
    return {f: float(table.loc[f, "weight"]) for f in FACTORS}


def _check_weights(given: Mapping[str, float] | None) -> dict[str, float]:
    w = weights()
    if given is None:
        return w
    vd.mapping("weights (factor -> weight)", given, empty=True)
    for f, v in given.items():
        vd.choice("weights factor", f, FACTORS)
        w[f] = vd.number(f"weights[{f!r}]", v)
    return w


def _ideology_value(a: str, b: str) -> int:
    if a not in CAMPS or b not in CAMPS:
        return 0
    return 1 if a == b else -1


def factor_values(coding: str = "registered") -> pd.DataFrame:
    """Each pair's value on each factor (-1, 0 or +1), before weighting.

    Parameters
    ----------
    coding : {"registered", "corrected"}
        Which pair inputs to use: the pre-registered file, or the corrected war history.

    Returns
    -------
    pandas.DataFrame
        One row per pair: ``ccode_a``, ``ccode_b``, then one column per factor in
        :data:`FACTORS`.
    """
    pairs = _pairs(coding)
    ideology = cases.table("europe1936_ideology").set_index("ccode")["ideology"]
    bad = sorted(set(ideology) - set(_IDEOLOGIES))
    if bad:
        raise cases.DataError(f"europe1936_ideology.csv: ideologies {bad}; allowed: "
                              f"{list(_IDEOLOGIES)}")
    relation = pairs["last_war_relation"].fillna("")
    return pd.DataFrame({
        "ccode_a": pairs["ccode_a"],
        "ccode_b": pairs["ccode_b"],
        "ideology": [_ideology_value(ideology[a], ideology[b])
                     for a, b in zip(pairs["ccode_a"], pairs["ccode_b"], strict=True)],
        "war_history": np.select([relation == "against", relation == "with"], [-1, 1], 0),
        "rivalry": -pairs["rivalry"].astype(int),
        "border": -(pairs["border"] == 1).astype(int),
    })


def propensity(weights: Mapping[str, float] | None = None,
               coding: str = "registered") -> pd.DataFrame:
    """The propensity matrix p_ij = sum_k w_k f_k(i, j) as a labelled DataFrame.

    Parameters
    ----------
    weights : mapping, optional
        Factor weights (any subset of :data:`FACTORS`, each a finite number; negative allowed)
        replacing the pre-registered ones. Unitless: a propensity is a weighted count of ties.
    coding : {"registered", "corrected"}
        Which pair inputs to use: the pre-registered file, or the corrected war history.

    Returns
    -------
    pandas.DataFrame
        17 x 17, indexed and labelled by COW code, symmetric with a zero diagonal.
    """
    w = _check_weights(weights)
    values = factor_values(coding)
    p = sum(w[f] * values[f] for f in FACTORS)
    codes = sorted(set(values["ccode_a"]) | set(values["ccode_b"]))
    out = pd.DataFrame(0.0, index=codes, columns=codes)
    for a, b, v in zip(values["ccode_a"], values["ccode_b"], p, strict=True):
        out.loc[a, b] = out.loc[b, a] = float(v)
    return out


def inputs(weights: Mapping[str, float] | None = None, coding: str = "registered") -> Inputs:
    """Sizes (CINC 1936) and propensities of the 17 states, ready for the landscape model.

    Parameters
    ----------
    weights : mapping, optional
        As in :func:`propensity`.
    coding : {"registered", "corrected"}
        As in :func:`propensity`.

    Returns
    -------
    Inputs
    """
    w = _check_weights(weights)
    sizes = cases.table("europe1936_sizes").sort_values("ccode")
    p = propensity(w, coding)
    codes = tuple(int(c) for c in sizes["ccode"])
    if codes != tuple(p.index):
        raise cases.DataError("europe1936_sizes.csv and europe1936_pairs.csv list different states")
    return Inputs(ccodes=codes, names=tuple(sizes["stateabb"]),
                  sizes=sizes["cinc"].to_numpy(dtype=float), propensity=p.to_numpy(), weights=w)


def sides() -> pd.Series:
    """The side each state took in the Second World War (``allies`` or ``axis``), by COW code.

    This is the outcome the landscape is judged against; no input reads it.
    """
    return cases.table("europe1936_sides").set_index("ccode")["side"].sort_index()


def on_their_side(config, ccodes) -> pd.DataFrame:
    """Which states a two-bloc configuration puts on the side they took in the war.

    The two blocs of a configuration carry no names, so bloc 0 is called ``allies`` or ``axis``
    whichever matches more states (ties: ``allies``), as Axelrod & Bennett compare them.

    Parameters
    ----------
    config : sequence of {0, 1}
        Bloc of each state, in the order of ``ccodes``.
    ccodes : sequence of int
        COW codes of the states.

    Returns
    -------
    pandas.DataFrame
        One row per state: ``ccode``, ``bloc`` (0/1), ``predicted`` and ``actual`` side, and
        ``correct`` (bool). ``df.correct.sum()`` is the count the lesson reports.
    """
    for name, value in (("config", config), ("ccodes", ccodes)):
        if value is None or isinstance(value, (str, bytes, dict)) or not hasattr(value,
                                                                                 "__iter__"):
            raise TypeError(f"{name} must be a sequence; got {vd.show(value)}")
    config = [vd.integer("config", b, 0, 1) for b in config]
    ccodes = [vd.integer("ccodes", c, 1) for c in ccodes]
    if not ccodes:
        raise ValueError("ccodes must list at least one state; got an empty list")
    if len(config) != len(ccodes) or not set(config) <= {0, 1}:
        raise ValueError(f"config must give bloc 0 or 1 for each of the {len(ccodes)} states; "
                         f"got {config}")
    actual = sides()
    missing = sorted(set(ccodes) - set(actual.index))
    if missing:
        raise ValueError(f"no recorded wartime side for states {missing}")
    truth = [actual[c] for c in ccodes]
    label_a = ["allies" if b == 0 else "axis" for b in config]
    label_b = ["axis" if b == 0 else "allies" for b in config]
    hits_a = sum(p == t for p, t in zip(label_a, truth, strict=True))
    hits_b = sum(p == t for p, t in zip(label_b, truth, strict=True))
    predicted = label_a if hits_a >= hits_b else label_b
    return pd.DataFrame({"ccode": ccodes, "bloc": config, "predicted": predicted,
                         "actual": truth,
                         "correct": [p == t for p, t in zip(predicted, truth, strict=True)]})


def predict(weights: Mapping[str, float] | None = None,
            coding: str = "registered") -> pd.DataFrame:
    """The landscape's global minimum for 1936, scored against the wartime sides.

    Parameters
    ----------
    weights : mapping, optional
        As in :func:`propensity` (default: the pre-registered weights).
    coding : {"registered", "corrected"}
        As in :func:`propensity`.

    Returns
    -------
    pandas.DataFrame
        :func:`on_their_side` of the exact global minimum, with ``name`` (COW abbreviation),
        ``state`` (the state's name, for what a student reads) and ``size`` (CINC 1936);
        ``df.attrs`` holds ``energy`` and ``n_minima`` (tied minima).
    """
    from . import landscape

    inp = inputs(weights, coding)
    best = landscape.global_minimum(inp.sizes, inp.propensity)
    scored = on_their_side(best.config, inp.ccodes)
    scored.insert(1, "name", inp.names)
    scored.insert(2, "state", [cases.state_name(int(c)) for c in inp.ccodes])
    scored.insert(3, "size", inp.sizes)
    scored.attrs.update(energy=best.energy, n_minima=best.n_minima)
    return scored


def weight_sensitivity(values=(0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0),
                       coding: str = "registered") -> pd.DataFrame:
    """How many states land on their wartime side as each weight varies, the others held.

    Parameters
    ----------
    values : sequence of float
        Weights to try for each factor in turn (unitless; the registered weights are 1 and 0.5).
    coding : {"registered", "corrected"}
        As in :func:`propensity`.

    Returns
    -------
    pandas.DataFrame
        One row per factor and value: ``factor``, ``weight``, ``correct`` (0-17),
        ``registered`` (True where the weight is the pre-registered one) and ``misplaced``
        (the misplaced states' names, comma-separated).
    """
    if values is None or isinstance(values, (str, bytes, dict)) or not hasattr(values,
                                                                               "__iter__"):
        raise TypeError(f"values must be a list of weights; got {vd.show(values)}")
    values = [vd.number("values", v) for v in values]
    vd.choice("coding", coding, CODINGS)
    if not values:
        raise ValueError("values must list at least one weight; got an empty list")
    base = weights()
    rows = []
    for factor in FACTORS:
        for v in values:
            scored = predict({factor: float(v)}, coding)
            rows.append({"factor": factor, "weight": float(v),
                         "correct": int(scored["correct"].sum()),
                         "registered": bool(np.isclose(v, base[factor])),
                         "misplaced": ", ".join(scored.loc[~scored["correct"], "state"])})
    return pd.DataFrame(rows)
