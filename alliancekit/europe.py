r"""The one adapter from the case data on Europe's great powers, 1872-1918, to the pure models.

`alliancekit.networks` (structural balance) and `alliancekit.landscape` (Axelrod & Bennett's
landscape theory) take graphs and arrays and never load data. This module builds their inputs from
`alliancekit.cases`: the alliances and ententes in force on a day, the coded rivalries and wars of
a year, and the powers' CINC scores.

The signed graph of a year (:func:`signed_graph`). Nodes are the six great powers keyed by COW
code (UK 200, France 220, Germany 255, Austria-Hungary 300, Italy 325, Russia 365), with node
attributes ``name``, ``abbreviation`` and ``cinc`` (that year's CINC score, NMC v6.0). For the
chosen year the graph reads the alignment as it stood on a reference day (31 December by default):

- ``+1`` when the two states were members of the same alliance or informal entente in force that
  day (``alliancekit.cases``: alliances and memberships; ententes have kind
  ``informal_entente``);
- ``-1`` when ``rivalries.csv`` codes the pair as rivals (``kind = rivalry``) or at war
  (``kind = war``) in that year.

When a pair is both allied and rival in a year, the rule (``conflict=``) is:

- war always wins: states at war are enemies whatever treaties say;
- otherwise, by default (``conflict="alliance"``), the treaty wins: the edge is +1 and is marked
  ``contested=True``. The reason: balance theory is about alignment, and as long as a treaty was in
  force its members had chosen a side in public. Antal, Krapivsky & Redner (2006, fig. on the
  European great powers 1872-1907) code the Triple Alliance's members, Italy and Austria-Hungary
  included, as friends throughout, and Taylor (1954) treats the Triple Alliance as in force until
  Italy renounced it on 4 May 1915, rivalry over Trentino and the Adriatic notwithstanding
  (Bosworth 1979). ``conflict="rivalry"`` makes the rivalry win instead, so a lesson can show how
  much the conclusion depends on this choice.

Landscape inputs (:func:`great_power_inputs`): sizes are the six powers' CINC scores for a year
(Singer, Bremer & Stuckey 1972; NMC v6.0), and the propensity of a pair is the sign of its edge in
:func:`signed_graph` for that year: +1 allied or in an entente, -1 rivals or at war, 0 otherwise.
This is a deliberately coarse coding (Axelrod & Bennett built their propensities from ethnic,
religious, territorial, ideological and historical ties); it lets a lesson ask whether the blocs
that went to war in 1914 were the landscape minimum.

References
----------
Antal, T., Krapivsky, P. L., & Redner, S. (2006). Social balance on networks: the dynamics of
friendship and enmity. *Physica D*, 224(1-2), 130-136.
Axelrod, R., & Bennett, D. S. (1993). A landscape theory of aggregation. *British Journal of
Political Science*, 23(2), 211-233.
Taylor, A. J. P. (1954). *The Struggle for Mastery in Europe, 1848-1918*. Oxford.
Bosworth, R. J. B. (1979). *Italy, the Least of the Great Powers*. Cambridge.
"""
from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import networkx as nx
import numpy as np
import pandas as pd

from . import _validate as vd
from . import cases
from .cases import GREAT_POWERS
from .networks import _label, frustration, triads

__all__ = [
    "GREAT_POWERS",
    "FIRST_YEAR",
    "LAST_YEAR",
    "LandscapeInputs",
    "signed_graph",
    "balance_by_year",
    "great_power_inputs",
]

FIRST_YEAR, LAST_YEAR = 1872, 1918
_CONFLICT_RULES = ("alliance", "rivalry")


def _check_year(year) -> int:
    return vd.integer("year", year, FIRST_YEAR, LAST_YEAR)


# --------------------------------------------------------------------------- the great powers
@lru_cache(maxsize=1)
def _rivalries():
    return cases.table("rivalries")


@lru_cache(maxsize=None)
def _relations(year: int, day: str):
    """Alliance/entente ties and rivalry/war rows among the great powers on ``year-day``."""
    # one query for all great powers (a call of cases.members per alliance and power cost
    # ~0.1 s per year); membership on the day is cases' rule, joined <= on < left
    m = cases.memberships_on(f"{year}-{day}", list(GREAT_POWERS))
    allied: dict[frozenset, list[str]] = {}
    for alliance_id, rows in m.groupby("alliance_id", sort=False):
        codes = sorted({int(c) for c in rows["ccode"]})
        for a, b in itertools.combinations(codes, 2):
            allied.setdefault(frozenset((a, b)), []).append(alliance_id)
    r = _rivalries()
    r = r[(r["from_year"] <= year) & (r["to_year"] >= year)]
    hostile: dict[frozenset, list[dict]] = {}
    for row in r.to_dict("records"):
        pair = frozenset((int(row["ccode_a"]), int(row["ccode_b"])))
        hostile.setdefault(pair, []).append(row)
    return allied, hostile


@lru_cache(maxsize=None)
def _names(year: int):
    states = cases.table("states").set_index("ccode")
    c = cases.cinc(states=list(GREAT_POWERS), years=[year])
    cinc = {int(k): float(v) for k, v in zip(c["ccode"], c["cinc"], strict=True)}
    out = {}
    for code in GREAT_POWERS:
        out[code] = {
            "name": str(states.loc[code, "name"]),
            "abbreviation": str(states.loc[code, "stateabb"]),
            "cinc": cinc.get(code, float("nan")),
        }
    return out


def signed_graph(year: int, *, conflict: str = "alliance", day: str = "12-31") -> nx.Graph:
    """The signed graph of the six great powers in ``year``, from the case data.

    Parameters
    ----------
    year : int
        1872..1918.
    conflict : {"alliance", "rivalry"}
        Which sign a pair gets when it is both allied and (non-war) rival that year; see the
        module docstring. War always gives -1.
    day : str
        Month and day ("MM-DD") on which alliances are read; default "12-31" (the alignment as the
        year ended). Rivalries are coded by year.

    Returns
    -------
    networkx.Graph
        Nodes: COW codes, with attributes ``name``, ``abbreviation``, ``cinc``. Edges: ``sign``
        (+1/-1), ``alliances`` (ids of shared alliances/ententes, possibly empty), ``rivalry``
        (kind of hostility coded: "", "rivalry" or "war"), ``contested`` (True when both an
        alliance and a rivalry held), ``source`` (source keys, ";"-separated).

    References
    ----------
    Antal, Krapivsky & Redner (2006); Taylor (1954).
    """
    year = _check_year(year)
    vd.choice("conflict", conflict, _CONFLICT_RULES)
    _check_day(day)
    allied, hostile = _relations(year, day)
    alliance_sources = _alliance_sources()
    g = nx.Graph(year=year, conflict=conflict, day=day)
    for code, attrs in _names(year).items():
        g.add_node(code, **attrs)
    for a, b in itertools.combinations(GREAT_POWERS, 2):
        pair = frozenset((a, b))
        ties = allied.get(pair, [])
        rows = hostile.get(pair, [])
        kinds = {row["kind"] for row in rows}
        hostility = "war" if "war" in kinds else ("rivalry" if kinds else "")
        if not ties and not hostility:
            continue
        if hostility == "war":
            sign = -1
        elif ties and hostility:
            sign = 1 if conflict == "alliance" else -1
        else:
            sign = 1 if ties else -1
        sources = [alliance_sources.get(t, "") for t in ties] + [row["source"] for row in rows]
        keys = sorted({k for s in sources for k in str(s).split(";") if k})
        g.add_edge(
            a, b,
            sign=sign,
            alliances=tuple(ties),
            rivalry=hostility,
            contested=bool(ties and hostility),
            source=";".join(keys),
        )
    return g


def _check_day(day: str) -> None:
    vd.text("day", day)
    try:
        datetime.date.fromisoformat(f"2000-{day}")
    except ValueError:
        raise ValueError(f"day must be 'MM-DD' (e.g. '12-31'); got {day!r}") from None


@lru_cache(maxsize=1)
def _alliance_sources() -> dict:
    a = cases.table("alliances")
    return dict(zip(a["alliance_id"], a["source"].astype(str), strict=True))


def balance_by_year(
    years: Iterable[int] | None = None, *, conflict: str = "alliance", day: str = "12-31"
) -> pd.DataFrame:
    """Structural balance of the great-power graph, year by year.

    Parameters
    ----------
    years : iterable of int, optional
        Years in 1872..1918; default all of them.
    conflict, day
        As in :func:`signed_graph`.

    Returns
    -------
    pandas.DataFrame
        One row per year: ``year``, ``positive`` and ``negative`` (edge counts), ``contested``
        (pairs both allied and rival), ``triads`` (closed triads), ``unbalanced_triads``,
        ``frustration`` (exact index), ``n_optimal`` (tied best splits), ``bloc_a`` and
        ``bloc_b`` (a best split, COW abbreviations joined by ", "; the bloc with the United
        Kingdom first), ``violations`` (the pairs violating that split, e.g. "FRN+ITA") and
        ``other_best_splits`` (any tied best splits, "A, B vs C, D", separated by " | ").

    References
    ----------
    Cartwright & Harary (1956); Antal, Krapivsky & Redner (2006).
    """
    if years is None:
        years = range(FIRST_YEAR, LAST_YEAR + 1)
    else:
        years = vd.years("years", years, FIRST_YEAR, LAST_YEAR)
    rows = []
    for year in years:
        g = signed_graph(year, conflict=conflict, day=day)
        f = frustration(g)
        t = triads(g)
        ab = {v: _label(g, v) for v in g.nodes}
        signs = [s for *_, s in g.edges(data="sign")]
        rows.append({
            "year": int(year),
            "positive": sum(s > 0 for s in signs),
            "negative": sum(s < 0 for s in signs),
            "contested": sum(bool(c) for *_, c in g.edges(data="contested")),
            "triads": len(t),
            "unbalanced_triads": int((~t["balanced"]).sum()) if len(t) else 0,
            "frustration": f.index,
            "n_optimal": f.n_optimal,
            "bloc_a": ", ".join(ab[v] for v in f.blocs[0]),
            "bloc_b": ", ".join(ab[v] for v in f.blocs[1]),
            "violations": "; ".join(f"{ab[u]}{'+' if s > 0 else '-'}{ab[v]}"
                                    for u, v, s in f.violations),
            "other_best_splits": " | ".join(
                " vs ".join(", ".join(ab[v] for v in side) for side in split)
                for split in f.optimal_blocs[1:]),
        })
    return pd.DataFrame(rows)



@dataclass(frozen=True)
class LandscapeInputs:
    """Sizes and propensities for the great powers in one year.

    Attributes
    ----------
    year : int
    names : tuple of str
        COW abbreviations, in the order of ``sizes`` and ``propensity``.
    ccodes : tuple of int
    sizes : numpy.ndarray
        CINC scores that year.
    propensity : numpy.ndarray
        +1 allied or in an entente, -1 rivals or at war, 0 otherwise (the edge signs of
        :func:`signed_graph`).
    """

    year: int
    names: tuple
    ccodes: tuple
    sizes: np.ndarray
    propensity: np.ndarray


def great_power_inputs(year: int, **graph_options) -> LandscapeInputs:
    """Landscape inputs for the six great powers in ``year`` (1872-1918), from the case data.

    Parameters
    ----------
    year : int
        1872..1918.
    **graph_options
        Passed on to :func:`signed_graph` (for example ``conflict=``).

    Returns
    -------
    LandscapeInputs
        Sizes = CINC that year; propensity = the signed relation of each pair that year.

    Examples
    --------
    >>> inp = great_power_inputs(1913)
    >>> from alliancekit.landscape import global_minimum
    >>> global_minimum(inp.sizes, inp.propensity).blocs(inp.names)
    (('UKG', 'FRN', 'RUS'), ('GMY', 'AUH', 'ITA'))
    """
    g = signed_graph(year, **graph_options)
    return _inputs_from_graph(g, year)


def _inputs_from_graph(g, year: int) -> LandscapeInputs:
    nodes = list(g.nodes)
    index = {v: k for k, v in enumerate(nodes)}
    n = len(nodes)
    p = np.zeros((n, n))
    for u, v, sign in g.edges(data="sign"):
        p[index[u], index[v]] = p[index[v], index[u]] = float(sign)
    sizes = np.array([float(g.nodes[v]["cinc"]) for v in nodes])
    missing = [g.nodes[v].get("abbreviation", v) for v, c in zip(nodes, sizes, strict=True)
               if not np.isfinite(c) or c <= 0]
    if missing:
        raise ValueError(
            f"year {year}: the case data have no positive CINC score for {missing}, so the "
            f"landscape has no sizes; choose a year in which all six powers have one"
        )
    return LandscapeInputs(
        year=int(year),
        names=tuple(g.nodes[v].get("abbreviation", str(v)) for v in nodes),
        ccodes=tuple(int(v) for v in nodes),
        sizes=sizes,
        propensity=p,
    )
