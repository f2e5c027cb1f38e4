r"""Signed alliance networks and structural balance.

A *signed graph* has states as nodes and an edge between two states whose ``sign`` attribute is
``+1`` (friends: an alliance or entente) or ``-1`` (enemies: a rivalry or a war). A pair with no
edge has no coded relation.

Triad balance (Heider 1946; Cartwright & Harary 1956). A closed triad {a, b, c} is *balanced*
when the product of its three signs is positive::

    balanced(a, b, c)  <=>  sign(a, b) * sign(b, c) * sign(a, c) = +1

so "the friend of my friend is my friend" (+ + +) and "the enemy of my enemy is my friend"
(+ - -) are balanced, while + + - and - - - are not. Cartwright & Harary's structure theorem: a
signed graph is balanced (every cycle has a positive product) exactly when its nodes can be split
into two blocs with every + edge inside a bloc and every - edge between the blocs.

Frustration index. For a split of the nodes into blocs (X assigns bloc 0 or 1), an edge
*violates* the split when it is a + edge across the blocs or a - edge inside one::

    violations(X) = #{(u, v) : sign = +1 and X_u != X_v}  +  #{(u, v) : sign = -1 and X_u == X_v}
    frustration(G) = min over X of violations(X)

It is 0 exactly for balanced graphs. Here it is computed exactly by enumerating the 2**(n-1)
splits (the first node always in bloc 0), vectorised with numpy, for n <= 20.

Local triad dynamics (Antal, Krapivsky & Redner 2006). Write Delta_k for a triad with k negative
links; Delta_1 and Delta_3 are unbalanced. At each step pick an unbalanced triad uniformly at
random:

- a Delta_1 (+ + -): with probability p its - link becomes + (giving Delta_0); otherwise one of
  its two + links, chosen at random, becomes - (giving Delta_2);
- a Delta_3 (- - -): one of its links, chosen at random, becomes + (giving Delta_2), with
  probability 1.

Repeat until no triad is unbalanced, or ``max_steps``. On a complete graph Antal et al. show that
the system reaches balance (for p < 1/2, typically as two hostile blocs). Only closed triangles
take part: pairs without an edge stay without one. Complete a graph with
``build_signed_graph(..., fill=-1)`` to run the model as they did.

The module is pure: graphs come in as arguments and nothing is read from the data. The great
powers' signed graph of a year is built from the case data by
:func:`alliancekit.europe.signed_graph`; ``signed_graph`` here is a thin adapter to it, kept for
lesson 03 and exercise set 03, which reads the data on call (never on import).

References
----------
Heider, F. (1946). Attitudes and cognitive organization. *Journal of Psychology*, 21(1), 107-112.
Cartwright, D., & Harary, F. (1956). Structural balance: a generalization of Heider's theory.
*Psychological Review*, 63(5), 277-293.
Antal, T., Krapivsky, P. L., & Redner, S. (2006). Social balance on networks: the dynamics of
friendship and enmity. *Physica D*, 224(1-2), 130-136.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import networkx as nx
import numpy as np
import pandas as pd

from . import _bipartition
from . import _validate as vd

__all__ = [
    "MAX_EXACT",
    "Frustration",
    "TriadDynamics",
    "build_signed_graph",
    "edge_table",
    "triads",
    "is_balanced",
    "frustration",
    "split_violations",
    "triad_dynamics",
    "node_positions",
    "signed_graph",
]

#: Largest graph whose frustration index is computed exactly (2**(n-1) splits).
MAX_EXACT = _bipartition.MAX_ACTORS


# ------------------------------------------------------------- kept names (thin adapters)
def signed_graph(year: int, *, conflict: str = "alliance", day: str = "12-31") -> nx.Graph:
    """The great powers' signed graph in ``year``: the same as `alliancekit.europe.signed_graph`,
    kept here for lesson 03 and exercise set 03 (``ak.networks.signed_graph``).

    The one name of this pure module that reads the case data, through its home, on call.

    Parameters
    ----------
    year : int
        1872..1918.
    conflict : {"alliance", "rivalry"}
        Sign of a pair both allied and rival that year (see `alliancekit.europe`).
    day : str
        Month and day ("MM-DD") on which alliances are read.

    Returns
    -------
    networkx.Graph
    """
    from . import europe

    return europe.signed_graph(year, conflict=conflict, day=day)


# --------------------------------------------------------------------------- building graphs
def _check_sign(sign, what: str) -> int:
    if isinstance(sign, (bool, np.bool_)) or not isinstance(sign, (int, float, np.number)):
        raise TypeError(f"{what} must be +1 or -1; got {vd.show(sign)}")
    if sign not in (1, -1):
        raise ValueError(f"{what} must be +1 or -1; got {vd.show(sign)}")
    return int(sign)


def build_signed_graph(
    edges: Iterable,
    nodes: Iterable | None = None,
    *,
    fill: int | None = None,
) -> nx.Graph:
    """A signed graph from an edge list.

    Parameters
    ----------
    edges : iterable of (u, v, sign)
        Each sign is +1 (friends) or -1 (enemies). Strings "+" and "-" are accepted too. A pair
        may appear only once, and no node may be linked to itself.
    nodes : iterable, optional
        Nodes to include (also isolated ones), in this order; by default the nodes of ``edges``
        in order of appearance.
    fill : {None, +1, -1}
        If given, every pair without an edge gets this sign (a complete graph, as in Antal et al.).

    Returns
    -------
    networkx.Graph
        Edge attribute ``sign`` in {+1, -1}.

    Examples
    --------
    >>> G = build_signed_graph([("A", "B", "+"), ("B", "C", "-"), ("A", "C", "-")])
    >>> frustration(G).index
    0
    """
    for name, value in (("edges", edges), ("nodes", nodes)):
        if (value is None and name == "edges") or isinstance(value, (str, bytes, dict)) or (
                value is not None and not hasattr(value, "__iter__")):
            raise TypeError(f"{name} must be a list of "
                            f"{'(u, v, sign) triples' if name == 'edges' else 'nodes'}; got "
                            f"{vd.show(value)}")
    g = nx.Graph()
    if nodes is not None:
        g.add_nodes_from(nodes)
    for k, e in enumerate(edges):
        try:
            u, v, sign = e
        except (TypeError, ValueError):
            raise TypeError(f"edges[{k}] must be a triple (u, v, sign); got {e!r}") from None
        if isinstance(sign, str):
            if sign not in ("+", "-", "+1", "-1"):
                raise ValueError(f"edges[{k}] sign must be +1, -1, '+' or '-'; got {sign!r}")
            sign = 1 if sign.startswith("+") else -1
        sign = _check_sign(sign, f"edges[{k}] sign")
        if u == v:
            raise ValueError(f"edges[{k}] links {u!r} to itself; self-loops are not allowed")
        if g.has_edge(u, v):
            raise ValueError(f"edges[{k}] repeats the pair ({u!r}, {v!r}); list each pair once")
        g.add_edge(u, v, sign=sign)
    if fill is not None:
        fill = _check_sign(fill, "fill")
        for u, v in itertools.combinations(list(g.nodes), 2):
            if not g.has_edge(u, v):
                g.add_edge(u, v, sign=fill)
    return g


def _check_graph(G) -> None:
    if not isinstance(G, nx.Graph):
        raise TypeError(f"G must be an undirected networkx.Graph; got {type(G).__name__}")
    if G.is_directed() or G.is_multigraph():
        raise TypeError(
            f"G must be an undirected networkx.Graph (not directed, not a multigraph); "
            f"got {type(G).__name__}"
        )
    for u, v, s in G.edges(data="sign"):
        if isinstance(s, bool) or s not in (1, -1):
            raise ValueError(
                f"G edge ({u!r}, {v!r}) must have attribute sign = +1 or -1; got {s!r}"
            )
        if u == v:
            raise ValueError(f"G has a self-loop at {u!r}; signed graphs here have none")


def edge_table(G: nx.Graph) -> pd.DataFrame:
    """The edges of a signed graph as a DataFrame (u, v, sign, and any other edge attributes).

    Parameters
    ----------
    G : networkx.Graph
        A signed graph (edge attribute ``sign`` in {+1, -1}).

    Returns
    -------
    pandas.DataFrame
        One row per edge: ``u``, ``v``, ``sign`` and the other edge attributes.
    """
    _check_graph(G)
    rows = [{"u": u, "v": v, **d} for u, v, d in G.edges(data=True)]
    return pd.DataFrame(rows, columns=None if rows else ["u", "v", "sign"])


# --------------------------------------------------------------------------- balance
def _label(G, v) -> str:
    return str(G.nodes[v].get("abbreviation", v))


def triads(G: nx.Graph) -> pd.DataFrame:
    """Every closed triad (triangle) of a signed graph and whether it is balanced.

    Parameters
    ----------
    G : networkx.Graph
        A signed graph (edge attribute ``sign`` in {+1, -1}).

    Returns
    -------
    pandas.DataFrame
        One row per triangle: ``a``, ``b``, ``c`` (nodes, in G's node order), ``label`` (e.g.
        "UKG-FRN-RUS", from the ``abbreviation`` node attribute when present), ``sign_ab``,
        ``sign_bc``, ``sign_ac``, ``negatives`` (k of Delta_k), ``product`` and ``balanced``.

    References
    ----------
    Heider (1946); Cartwright & Harary (1956).

    Examples
    --------
    >>> G = build_signed_graph([("A", "B", 1), ("B", "C", 1), ("A", "C", -1)])
    >>> triads(G)[["label", "balanced"]].to_dict("records")
    [{'label': 'A-B-C', 'balanced': False}]
    """
    _check_graph(G)
    rows = []
    for a, b, c in _triangles(G):
        s = (G.edges[a, b]["sign"], G.edges[b, c]["sign"], G.edges[a, c]["sign"])
        product = s[0] * s[1] * s[2]
        rows.append({
            "a": a, "b": b, "c": c,
            "label": "-".join(_label(G, v) for v in (a, b, c)),
            "sign_ab": s[0], "sign_bc": s[1], "sign_ac": s[2],
            "negatives": sum(x < 0 for x in s),
            "product": product,
            "balanced": product > 0,
        })
    columns = ["a", "b", "c", "label", "sign_ab", "sign_bc", "sign_ac", "negatives", "product",
               "balanced"]
    return pd.DataFrame(rows, columns=columns)


def _triangles(G) -> list[tuple]:
    nodes = list(G.nodes)
    order = {v: k for k, v in enumerate(nodes)}
    out = []
    for a in nodes:
        later = sorted((v for v in G[a] if order[v] > order[a]), key=order.get)
        for i, b in enumerate(later):
            for c in later[i + 1:]:
                if G.has_edge(b, c):
                    out.append((a, b, c))
    return out


def is_balanced(G: nx.Graph) -> bool:
    """True when the signed graph is balanced (frustration index 0).

    Parameters
    ----------
    G : networkx.Graph
        A signed graph with at most 20 nodes.

    Returns
    -------
    bool

    References
    ----------
    Cartwright & Harary (1956).
    """
    return frustration(G).index == 0


@dataclass(frozen=True)
class Frustration:
    """The frustration index of a signed graph and a best two-bloc split.

    Attributes
    ----------
    index : int
        The minimum number of violating edges over all two-bloc splits.
    blocs : tuple of two tuples
        A best split (the bloc holding G's first node first; nodes in G's order). When several
        splits tie, the first in enumeration order is given.
    violations : tuple of (u, v, sign)
        The edges that violate that split (+ across, - inside).
    n_optimal : int
        How many splits (counted up to swapping the blocs) reach the minimum.
    n_splits : int
        How many splits were examined: 2**(n-1).
    optimal_blocs : tuple
        Every best split, as ``blocs`` is (the first 100 if there are more).
    """

    index: int
    blocs: tuple
    violations: tuple
    n_optimal: int
    n_splits: int
    optimal_blocs: tuple = ()


def _edge_arrays(G):
    nodes = list(G.nodes)
    index = {v: k for k, v in enumerate(nodes)}
    edges = list(G.edges(data="sign"))
    u = np.array([index[a] for a, _, _ in edges], dtype=np.int64)
    v = np.array([index[b] for _, b, _ in edges], dtype=np.int64)
    s = np.array([sg for _, _, sg in edges], dtype=np.int8)
    return nodes, edges, u, v, s


def frustration(G: nx.Graph) -> Frustration:
    """The exact frustration index of a signed graph, by enumerating all 2**(n-1) splits.

    Parameters
    ----------
    G : networkx.Graph
        A signed graph with 1 <= n <= 20 nodes (edge attribute ``sign`` in {+1, -1}).

    Returns
    -------
    Frustration
        Index, a best split, its violating edges, and the number of tied best splits.

    Raises
    ------
    ValueError
        If G has more than 20 nodes (too many splits to enumerate), none, or bad signs.

    References
    ----------
    Cartwright & Harary (1956); Antal, Krapivsky & Redner (2006).

    Examples
    --------
    >>> G = build_signed_graph([("A", "B", 1), ("B", "C", 1), ("A", "C", -1)])
    >>> f = frustration(G)
    >>> f.index, f.n_optimal
    (1, 3)
    """
    _check_graph(G)
    n = G.number_of_nodes()
    if n < 1:
        raise ValueError("G must have at least 1 node")
    if n > MAX_EXACT:
        raise ValueError(
            f"G must have at most {MAX_EXACT} nodes for the exact frustration index "
            f"(2**(n-1) splits; allowed n: 1..{MAX_EXACT}); got n = {n}"
        )
    nodes, edges, u, v, s = _edge_arrays(G)
    total = 1 << (n - 1)
    if n == 1:
        counts_all = np.zeros(1, dtype=np.int64)
    else:
        # violations(X) = sum_edges (1 - sign * sigma_u * sigma_v) / 2
        #               = |E| / 2 - sigma' A sigma / 4, with A the signed adjacency matrix;
        # _bipartition.quadratic_all evaluates sigma' A sigma for all splits at once.
        a = np.zeros((n, n))
        a[u, v] = s
        a[v, u] = s
        counts_all = np.rint(len(edges) / 2 - _bipartition.quadratic_all(a) / 4).astype(np.int64)
    best = int(counts_all.min())
    tied = np.flatnonzero(counts_all == best)
    best_code = int(tied[0])
    n_opt = int(tied.size)
    x = _bipartition.split_of(best_code, n)
    side = dict(zip(nodes, x, strict=True))
    blocs = _bipartition.blocs(nodes, x)
    viol = tuple(
        (a, b, int(sg)) for a, b, sg in edges
        if (sg > 0 and side[a] != side[b]) or (sg < 0 and side[a] == side[b])
    )
    optimal = [_bipartition.blocs(nodes, split) for split in _bipartition.bits(tied[:100], n)]
    return Frustration(index=best, blocs=blocs, violations=viol, n_optimal=n_opt,
                       n_splits=total, optimal_blocs=tuple(optimal))


def split_violations(G: nx.Graph, bloc: Iterable) -> tuple:
    """The edges that violate the split of G into ``bloc`` and the rest.

    Parameters
    ----------
    G : networkx.Graph
        A signed graph.
    bloc : iterable
        The nodes of one bloc; every other node is in the other bloc.

    Returns
    -------
    tuple of (u, v, sign)
        + edges across the split and - edges inside a bloc. ``len(...)`` is the number of
        violations; 0 means the split shows G is balanced.

    Examples
    --------
    >>> G = build_signed_graph([("A", "B", 1), ("B", "C", -1), ("A", "C", -1)])
    >>> split_violations(G, ["A", "B"])
    ()
    """
    _check_graph(G)
    if bloc is None or isinstance(bloc, (str, bytes)) or not hasattr(bloc, "__iter__"):
        raise TypeError(f"bloc must be an iterable of nodes of G; got {vd.show(bloc)}")
    bloc = set(bloc)
    unknown = bloc - set(G.nodes)
    if unknown:
        raise ValueError(f"bloc must contain nodes of G; unknown: {sorted(map(str, unknown))}")
    out = []
    for a, b, sg in G.edges(data="sign"):
        same = (a in bloc) == (b in bloc)
        if (sg > 0 and not same) or (sg < 0 and same):
            out.append((a, b, int(sg)))
    return tuple(out)


# --------------------------------------------------------------------------- dynamics
@dataclass(frozen=True)
class TriadDynamics:
    """A run of local triad dynamics.

    Attributes
    ----------
    path : pandas.DataFrame
        One row per step (step 0 = the start): ``step``, ``flipped`` (the edge flipped, "u-v"),
        ``to_sign``, ``unbalanced`` (number of unbalanced triads after the step),
        ``positive_share`` (share of + edges), and ``frustration`` (exact index, when the graph
        has at most ``frustration_up_to`` nodes; otherwise missing).
    graph : networkx.Graph
        The final graph (a copy; the input is left untouched).
    balanced : bool
        True when the run ended with no unbalanced triad.
    steps : int
        Number of flips made.
    """

    path: object
    graph: object
    balanced: bool
    steps: int


def triad_dynamics(
    G: nx.Graph,
    p: float = 0.5,
    max_steps: int = 10_000,
    seed: int | None = None,
    *,
    frustration_up_to: int = 12,
) -> TriadDynamics:
    """Simulate the local triad dynamics of Antal, Krapivsky & Redner (2006).

    Parameters
    ----------
    G : networkx.Graph
        A signed graph; only its closed triangles evolve.
    p : float
        Probability, in [0, 1], that an unbalanced + + - triad is resolved by making its - link +
        (otherwise one of its + links becomes -).
    max_steps : int
        Maximum number of flips, 0..10,000,000.
    seed : int, optional
        Random seed; the same seed gives the same run.
    frustration_up_to : int
        Record the exact frustration index at every step when G has at most this many nodes
        (0..20); larger graphs get a missing value (it costs 2**(n-1) per step).

    Returns
    -------
    TriadDynamics

    References
    ----------
    Antal, T., Krapivsky, P. L., & Redner, S. (2006). Social balance on networks. *Physica D*
    224, 130-136 (local triad dynamics, section 2).

    Examples
    --------
    >>> G = build_signed_graph([("A", "B", 1), ("B", "C", 1), ("A", "C", -1)])
    >>> run = triad_dynamics(G, p=1.0, seed=1)
    >>> run.balanced, run.steps, run.graph.edges["A", "C"]["sign"]
    (True, 1, 1)
    """
    _check_graph(G)
    p = vd.probability("p", p)
    max_steps = vd.integer("max_steps", max_steps, 0, 10_000_000)
    frustration_up_to = vd.integer("frustration_up_to", frustration_up_to, 0, MAX_EXACT)
    rng = vd.generator(seed)
    H = G.copy()
    edges = list(H.edges)
    eindex = {frozenset(e): k for k, e in enumerate(edges)}
    signs = np.array([H.edges[e]["sign"] for e in edges], dtype=np.int8)
    tris = np.array(
        [[eindex[frozenset((a, b))], eindex[frozenset((b, c))], eindex[frozenset((a, c))]]
         for a, b, c in _triangles(H)],
        dtype=np.int64,
    ).reshape(-1, 3)
    n = H.number_of_nodes()
    track = 1 <= n <= frustration_up_to
    if track:
        # Which edges cross each of the 2**(n-1) splits, computed once: shape (splits, edges).
        order = {v: k for k, v in enumerate(H.nodes)}
        x = _bipartition.splits(n).astype(bool)
        across = (x[:, [order[a] for a, _ in edges]] != x[:, [order[b] for _, b in edges]])

    def record(step, flipped, to_sign):
        unbalanced = int((signs[tris].prod(axis=1) < 0).sum()) if len(tris) else 0
        f = int((across == (signs > 0)).sum(axis=1).min()) if track else None
        return {"step": step, "flipped": flipped, "to_sign": to_sign, "unbalanced": unbalanced,
                "positive_share": float((signs > 0).mean()) if signs.size else float("nan"),
                "frustration": f}

    rows = [record(0, "", 0)]
    steps = 0
    while steps < max_steps:
        if not len(tris):
            break
        unbalanced = np.flatnonzero(signs[tris].prod(axis=1) < 0)
        if unbalanced.size == 0:
            break
        t = tris[unbalanced[rng.integers(unbalanced.size)]]
        s = signs[t]
        negatives = t[s < 0]
        if negatives.size == 3:
            target, to_sign = negatives[rng.integers(3)], 1
        elif rng.random() < p:
            target, to_sign = negatives[0], 1
        else:
            positives = t[s > 0]
            target, to_sign = positives[rng.integers(2)], -1
        signs[target] = to_sign
        steps += 1
        a, b = edges[target]
        rows.append(record(steps, f"{_label(H, a)}-{_label(H, b)}", to_sign))
    for k, e in enumerate(edges):
        H.edges[e]["sign"] = int(signs[k])
    balanced = not (len(tris) and (signs[tris].prod(axis=1) < 0).any())
    path = pd.DataFrame(rows)
    path["frustration"] = path["frustration"].astype("Int64")
    return TriadDynamics(path=path, graph=H, balanced=bool(balanced), steps=steps)


# --------------------------------------------------------------------------- layout
@lru_cache(maxsize=64)
def _positions(nodes: tuple, edges: tuple, layout: str, seed: int) -> tuple:
    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_edges_from(edges)
    if layout == "circular":
        pos = nx.circular_layout(g)
    elif layout == "spring":
        pos = nx.spring_layout(g, seed=seed)
    elif layout == "kamada_kawai":
        pos = nx.kamada_kawai_layout(g)
    else:  # pragma: no cover - checked by the caller
        raise AssertionError(layout)
    return tuple((v, float(pos[v][0]), float(pos[v][1])) for v in nodes)


_LAYOUTS = ("circular", "spring", "kamada_kawai")


def node_positions(G: nx.Graph, layout: str = "circular", seed: int = 0) -> pd.DataFrame:
    """Node positions for drawing a graph (e.g. with altair), seeded and cached.

    Parameters
    ----------
    G : networkx.Graph
        Any graph.
    layout : {"circular", "spring", "kamada_kawai"}
        networkx layout. ``"circular"`` depends only on the node order, so the six great powers
        stay in the same place in every year; ``"spring"`` uses the edges and ``seed``.
    seed : int
        Seed for ``"spring"``.

    Returns
    -------
    pandas.DataFrame
        ``node``, ``x``, ``y`` plus every node attribute (e.g. ``name``, ``abbreviation``,
        ``cinc``). A fresh frame each call; the layout itself is cached.
    """
    if not isinstance(G, nx.Graph):
        raise TypeError(f"G must be a networkx graph; got {type(G).__name__}")
    vd.choice("layout", layout, _LAYOUTS)
    seed = vd.integer("seed", seed, 0)
    edges = tuple(G.edges) if layout != "circular" else ()
    pos = _positions(tuple(G.nodes), edges, layout, int(seed))
    rows = [{"node": v, "x": x, "y": y, **G.nodes[v]} for v, x, y in pos]
    return pd.DataFrame(rows)
