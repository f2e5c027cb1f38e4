"""Signed networks and structural balance: a specification in tests.

The first part checks the mathematics on small graphs; the second checks the great-power graph
built from the shipped case data against what historians document (not against the model's own
earlier output).
"""
from __future__ import annotations

import itertools

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancekit import networks as N

# --------------------------------------------------------------------------- generators


@st.composite
def balanced_graphs(draw, max_n=9):
    """A graph that is balanced by construction: + inside two blocs, - across them."""
    n = draw(st.integers(1, max_n))
    side = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    edges = []
    for i, j in itertools.combinations(range(n), 2):
        if draw(st.booleans()):
            edges.append((i, j, 1 if side[i] == side[j] else -1))
    return N.build_signed_graph(edges, nodes=range(n)), side


@st.composite
def signed_graphs(draw, min_n=1, max_n=8, complete=False):
    n = draw(st.integers(min_n, max_n))
    edges = []
    for i, j in itertools.combinations(range(n), 2):
        if complete or draw(st.booleans()):
            edges.append((i, j, draw(st.sampled_from([1, -1]))))
    return N.build_signed_graph(edges, nodes=range(n))


def brute_frustration(G):
    nodes = list(G.nodes)
    best = None
    for bits in itertools.product((0, 1), repeat=len(nodes)):
        side = dict(zip(nodes, bits, strict=True))
        k = sum((s > 0) != (side[u] == side[v]) for u, v, s in G.edges(data="sign"))
        best = k if best is None else min(best, k)
    return best


# --------------------------------------------------------------------------- building


def test_builder_accepts_plus_minus_strings_and_fills_missing_pairs():
    G = N.build_signed_graph([("A", "B", "+"), ("B", "C", "-")], fill=-1)
    assert G.edges["A", "B"]["sign"] == 1
    assert G.edges["A", "C"]["sign"] == -1
    assert G.number_of_edges() == 3


@pytest.mark.parametrize("edges, match", [
    ([("A", "B", 0)], r"sign must be \+1 or -1"),
    ([("A", "A", 1)], "self-loops are not allowed"),
    ([("A", "B", 1), ("B", "A", -1)], "repeats the pair"),
])
def test_builder_rejects_bad_edges(edges, match):
    with pytest.raises(ValueError, match=match):
        N.build_signed_graph(edges)


def test_builder_rejects_edges_that_are_not_triples():
    with pytest.raises(TypeError, match="must be a triple"):
        N.build_signed_graph([("A", "B")])


def test_functions_reject_graphs_without_valid_signs():
    G = nx.Graph()
    G.add_edge("A", "B", sign=2)
    with pytest.raises(ValueError, match=r"sign = \+1 or -1"):
        N.frustration(G)
    with pytest.raises(TypeError, match="undirected"):
        N.triads(nx.DiGraph())


# --------------------------------------------------------------------------- triads and frustration


def test_heiders_four_triads():
    cases = {(1, 1, 1): True, (1, -1, -1): True, (1, 1, -1): False, (-1, -1, -1): False}
    for signs, balanced in cases.items():
        G = N.build_signed_graph([("a", "b", signs[0]), ("b", "c", signs[1]),
                                  ("a", "c", signs[2])])
        t = N.triads(G)
        assert len(t) == 1
        assert bool(t["balanced"].iloc[0]) is balanced
        assert t["negatives"].iloc[0] == sum(s < 0 for s in signs)


@given(balanced_graphs())
@settings(deadline=None)
def test_a_fully_balanced_signed_graph_has_frustration_0(graph_and_side):
    G, side = graph_and_side
    f = N.frustration(G)
    assert f.index == 0 and f.violations == ()
    assert N.triads(G)["balanced"].all()
    bloc = [v for v in G.nodes if side[v] == 0]
    assert N.split_violations(G, bloc) == ()


@given(signed_graphs(max_n=7))
@settings(deadline=None, max_examples=80)
def test_frustration_index_equals_brute_force_minimum(G):
    f = N.frustration(G)
    assert f.index == brute_frustration(G)
    assert f.n_splits == 2 ** (G.number_of_nodes() - 1)
    assert len(f.violations) == f.index
    # The reported split really has that many violations.
    assert len(N.split_violations(G, f.blocs[0])) == f.index


@given(signed_graphs(min_n=3, max_n=7, complete=True))
@settings(deadline=None)
def test_on_complete_graphs_balance_of_every_triad_means_frustration_0(G):
    # Cartwright & Harary: a complete signed graph is balanced iff every triangle is.
    assert N.triads(G)["balanced"].all() == (N.frustration(G).index == 0)


def test_frustration_sees_unbalanced_cycles_longer_than_triads():
    # A square with one negative edge has no triangle at all, yet cannot be split cleanly.
    G = N.build_signed_graph([("a", "b", 1), ("b", "c", 1), ("c", "d", 1), ("d", "a", -1)])
    assert N.triads(G).empty
    assert N.frustration(G).index == 1


def test_exact_frustration_refuses_graphs_too_large_to_enumerate():
    G = N.build_signed_graph([], nodes=range(21))
    with pytest.raises(ValueError, match=r"at most 20 nodes .* allowed n: 1..20"):
        N.frustration(G)


# --------------------------------------------------------------------------- triad dynamics


@given(signed_graphs(min_n=3, max_n=7, complete=True), st.floats(0, 1), st.integers(0, 10**6))
@settings(max_examples=30, deadline=None)
def test_triad_dynamics_is_reproducible_under_a_seed(G, p, seed):
    a = N.triad_dynamics(G, p=p, max_steps=300, seed=seed)
    b = N.triad_dynamics(G, p=p, max_steps=300, seed=seed)
    assert a.path.equals(b.path)
    assert nx.utils.edges_equal(a.graph.edges(data="sign"), b.graph.edges(data="sign"))


@given(signed_graphs(min_n=3, max_n=6, complete=True), st.integers(0, 10**6))
@settings(max_examples=30, deadline=None)
def test_triad_dynamics_ends_balanced_or_at_max_steps(G, seed):
    run = N.triad_dynamics(G, p=0.5, max_steps=2_000, seed=seed)
    assert run.balanced == (run.path["unbalanced"].iloc[-1] == 0)
    if run.balanced:
        assert N.frustration(run.graph).index == 0
    else:
        assert run.steps == 2_000


@given(signed_graphs(min_n=3, max_n=6, complete=True), st.integers(0, 10**6))
@settings(max_examples=20, deadline=None)
def test_each_step_flips_one_link_of_an_unbalanced_triad(G, seed):
    run = N.triad_dynamics(G, p=0.3, max_steps=50, seed=seed)
    before = {frozenset(e): s for *e, s in G.edges(data="sign")}
    after = {frozenset(e): s for *e, s in run.graph.edges(data="sign")}
    changed = sum(before[e] != after[e] for e in before)
    assert changed <= run.steps
    assert G.number_of_edges() == run.graph.number_of_edges()  # input untouched, no new edges


def test_with_p_1_every_unbalanced_triad_resolves_towards_friendship():
    # Antal et al.: for p = 1 a - link of the chosen triad always becomes +.
    G = N.build_signed_graph([], nodes=range(5), fill=-1)
    run = N.triad_dynamics(G, p=1.0, max_steps=10_000, seed=3)
    assert run.balanced
    assert (run.path["to_sign"].iloc[1:] == 1).all()


@pytest.mark.parametrize("kwargs, match", [
    ({"p": 1.5}, r"p must be a probability in \[0, 1\]"),
    ({"p": -0.1}, r"p must be a probability in \[0, 1\]"),
    ({"max_steps": -1}, "max_steps must be a whole number"),
    ({"frustration_up_to": 25}, r"frustration_up_to must be a whole number in \[0, 20\]"),
])
def test_triad_dynamics_rejects_bad_parameters(kwargs, match):
    G = N.build_signed_graph([("a", "b", 1), ("b", "c", 1), ("a", "c", -1)])
    with pytest.raises(ValueError, match=match):
        N.triad_dynamics(G, **kwargs)


# --------------------------------------------------------------------------- layout


def test_node_positions_are_seeded_cached_and_fresh_frames():
    G = N.build_signed_graph([("a", "b", 1), ("b", "c", -1)])
    a = N.node_positions(G, "spring", seed=4)
    b = N.node_positions(G, "spring", seed=4)
    assert a.equals(b) and a is not b
    assert list(a.columns[:3]) == ["node", "x", "y"]
    with pytest.raises(LookupError, match="unknown layout 'hairball'"):
        N.node_positions(G, "hairball")
