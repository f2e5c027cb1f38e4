"""Landscape theory (Axelrod & Bennett 1993): a specification in tests."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from alliancekit import landscape as L

# --------------------------------------------------------------------------- input generators


@st.composite
def landscapes(draw, min_n=2, max_n=8):
    """Random valid inputs: positive sizes and a symmetric, zero-diagonal propensity matrix."""
    n = draw(st.integers(min_n, max_n))
    sizes = draw(st.lists(st.floats(0.01, 10.0), min_size=n, max_size=n))
    upper = draw(st.lists(st.floats(-5.0, 5.0), min_size=n * (n - 1) // 2,
                          max_size=n * (n - 1) // 2))
    p = np.zeros((n, n))
    p[np.triu_indices(n, 1)] = upper
    p = p + p.T
    config = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    return np.array(sizes), p, np.array(config)


def seeded_inputs(n, seed, min_size):
    """Seeded sizes in [min_size, 1 + min_size) and a symmetric, zero-diagonal propensity."""
    rng = np.random.default_rng(seed)
    s = rng.random(n) + min_size
    p = rng.normal(size=(n, n))
    p = (p + p.T) / 2
    np.fill_diagonal(p, 0)
    return s, p


def brute_energy(config, sizes, p):
    n = len(sizes)
    return sum(sizes[i] * sizes[j] * p[i, j] * (config[i] != config[j])
               for i, j in itertools.combinations(range(n), 2))


# --------------------------------------------------------------------------- energy


@given(landscapes())
@settings(deadline=None)
def test_energy_matches_the_written_out_sum(inp):
    s, p, x = inp
    assert_allclose(L.energy(x, s, p), brute_energy(x, s, p), rtol=1e-9, atol=1e-9)


@given(landscapes())
@settings(deadline=None)
def test_energy_is_invariant_to_swapping_the_two_blocs(inp):
    s, p, x = inp
    assert_allclose(L.energy(x, s, p), L.energy(1 - x, s, p), rtol=1e-12, atol=1e-12)


@given(landscapes(), st.data())
@settings(deadline=None)
def test_a_switch_that_lowers_an_actors_frustration_lowers_the_energy(inp, data):
    s, p, x = inp
    i = data.draw(st.integers(0, len(s) - 1))
    y = x.copy()
    y[i] = 1 - y[i]
    d_frustration = L.frustrations(y, s, p)[i] - L.frustrations(x, s, p)[i]
    d_energy = L.energy(y, s, p) - L.energy(x, s, p)
    # Delta E = s_i * Delta F_i exactly, so the signs agree.
    assert_allclose(d_energy, s[i] * d_frustration, rtol=1e-9, atol=1e-9)
    if d_frustration < -1e-6:  # clear of rounding error
        assert d_energy < 0


@given(st.integers(2, 12))
@settings(deadline=None)
def test_enumeration_counts_exactly_two_to_the_n_minus_1_configurations(n):
    configs = L.configurations(n)
    assert configs.shape == (2 ** (n - 1), n)
    # All distinct, and no two are the same split with the blocs swapped.
    canonical = {tuple(c) if c[0] == 0 else tuple(1 - c) for c in configs}
    assert len(canonical) == 2 ** (n - 1)
    assert len(L.energies(np.ones(n), np.zeros((n, n)))) == 2 ** (n - 1)


@given(landscapes(max_n=7))
@settings(deadline=None, max_examples=40)
def test_energies_agree_with_energy_for_every_configuration(inp):
    s, p, _ = inp
    e = L.energies(s, p)
    for code in range(len(e)):
        assert_allclose(e[code], L.energy(L.decode(code, len(s)), s, p), rtol=1e-9, atol=1e-9)


def test_energies_agree_with_energy_on_both_sides_of_the_bit_split():
    n = 17  # 65,536 configurations: codes split into 8 low bits and 8 high bits
    s, p = seeded_inputs(n, seed=3, min_size=0.1)
    e = L.energies(s, p)
    for code in (0, 1, (1 << 8) - 1, 1 << 8, (1 << 8) + 1, (1 << 15) + 3, (1 << 16) - 1):
        assert_allclose(e[code], L.energy(L.decode(code, n), s, p), rtol=1e-9, atol=1e-9)


@given(landscapes(max_n=7))
@settings(deadline=None)
def test_encode_and_decode_are_inverse(inp):
    s, p, x = inp
    code = L.encode(x)
    back = L.decode(code, len(x))
    assert tuple(back) in (tuple(x), tuple(1 - x))


# --------------------------------------------------------------------------- minimum and dynamics


@given(landscapes(max_n=7))
@settings(deadline=None, max_examples=40)
def test_global_minimum_is_no_higher_than_any_configuration(inp):
    s, p, _ = inp
    m = L.global_minimum(s, p)
    for c in L.configurations(len(s)):
        assert m.energy <= brute_energy(c, s, p) + 1e-9
    assert m.n_configurations == 2 ** (len(s) - 1)
    assert m.n_minima >= 1 and m.code in m.codes


def test_two_hostile_pairs_give_the_obvious_blocs():
    # 0 and 1 like each other, 2 and 3 like each other, the pairs dislike each other.
    p = np.array([[0, 1, -1, -1], [1, 0, -1, -1], [-1, -1, 0, 1], [-1, -1, 1, 0]], float)
    m = L.global_minimum([1, 1, 1, 1], p)
    assert m.blocs(["a", "b", "c", "d"]) == (("a", "b"), ("c", "d"))
    assert m.n_minima == 1


@given(landscapes(max_n=8), st.sampled_from(["steepest", "random"]), st.integers(0, 10))
@settings(deadline=None, max_examples=60)
def test_myopic_dynamics_never_raises_energy_and_stops_at_a_local_minimum(inp, rule, seed):
    s, p, x = inp
    run = L.myopic_dynamics(x, s, p, rule=rule, seed=seed)
    assert run.converged
    assert (np.diff(run.path["energy"]) < 0).all()
    final = np.array(run.final)
    for i in range(len(s)):  # no single switch lowers the energy further
        y = final.copy()
        y[i] = 1 - y[i]
        assert L.energy(y, s, p) >= run.energy - 1e-9


@given(landscapes(max_n=8), st.integers(0, 1000))
@settings(deadline=None, max_examples=30)
def test_results_are_reproducible_under_a_seed(inp, seed):
    s, p, x = inp
    a = L.myopic_dynamics(x, s, p, rule="random", seed=seed)
    b = L.myopic_dynamics(x, s, p, rule="random", seed=seed)
    assert a.final == b.final and a.path.equals(b.path)
    ba = L.basins(s, p, n_starts=50, rule="random", seed=seed)
    bb = L.basins(s, p, n_starts=50, rule="random", seed=seed)
    assert ba.equals(bb)


@given(landscapes(max_n=7))
@settings(deadline=None, max_examples=30)
def test_exhaustive_basins_cover_every_start_and_include_the_global_minimum(inp):
    s, p, _ = inp
    b = L.basins(s, p)
    assert b["exhaustive"].all()
    assert b["n_starts"].sum() == 2 ** (len(s) - 1)
    assert_allclose(b["share"].sum(), 1.0)
    m = L.global_minimum(s, p)
    assert_allclose(b["energy"].min(), m.energy, rtol=1e-9, atol=1e-9)
    assert b.loc[b["is_global"], "energy"].max() <= m.energy + 1e-9


def test_basins_of_every_start_match_one_run_of_myopic_dynamics_each():
    n = 6
    s, p = seeded_inputs(n, seed=7, min_size=0.2)
    b = L.basins(s, p)
    ends = {}
    for c in L.configurations(n):
        end = L.myopic_dynamics(c, s, p).final
        ends[end] = ends.get(end, 0) + 1
    got = {tuple(int(ch) for ch in row.config): row.n_starts for row in b.itertuples()}
    assert got == ends


def test_basins_sample_starts_when_n_is_large():
    n = 20
    s, p = seeded_inputs(n, seed=0, min_size=0.1)
    b = L.basins(s, p, n_starts=200, seed=1)
    assert not b["exhaustive"].any()
    assert b["n_starts"].sum() == 200


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize("sizes, match", [
    ([1, -1, 1], r"sizes .* must hold numbers in \(0, inf\); got -1"),
    ([1, 0, 1], r"sizes .* must hold numbers in \(0, inf\); got 0"),
    ([1, np.nan, 1], r"sizes .* must hold numbers in \(0, inf\); got nan"),
    ([1], "at least 2"),
])
def test_bad_sizes_are_rejected_naming_the_parameter(sizes, match):
    p = np.zeros((len(sizes), len(sizes)))
    with pytest.raises(ValueError, match=match):
        L.energies(sizes, p)


@pytest.mark.parametrize("p, match", [
    ([[0, 1, 0], [0, 0, 0], [0, 0, 0]], "propensity must be symmetric"),
    ([[1, 0, 0], [0, 0, 0], [0, 0, 0]], "propensity must have a zero diagonal"),
    ([[0, 1], [1, 0]], r"propensity must be 3 x 3"),
    ([[0, 1, 1], [1, 0, 1]], "propensity must be a square"),
])
def test_bad_propensity_is_rejected_naming_the_parameter(p, match):
    with pytest.raises(ValueError, match=match):
        L.global_minimum([1, 1, 1], p)


def test_too_many_actors_to_enumerate_is_rejected_with_the_allowed_range():
    n = 21
    with pytest.raises(ValueError, match=r"n \(the number of actors\) must be at most 20"):
        L.energies(np.ones(n), np.zeros((n, n)))


def test_bad_configurations_and_rules_are_rejected():
    p = np.zeros((3, 3))
    with pytest.raises(ValueError, match="config must contain only bloc labels 0 and 1"):
        L.energy([0, 2, 1], [1, 1, 1], p)
    with pytest.raises(ValueError, match="config must be a sequence of 3"):
        L.energy([0, 1], [1, 1, 1], p)
    with pytest.raises(LookupError, match="unknown rule 'greedy'"):
        L.myopic_dynamics([0, 1, 1], [1, 1, 1], p, rule="greedy")
    with pytest.raises(ValueError, match="max_steps must be a whole number"):
        L.myopic_dynamics([0, 1, 1], [1, 1, 1], p, max_steps=0)
    with pytest.raises(ValueError, match="n_starts must be a whole number"):
        L.basins([1, 1, 1], p, n_starts=0)
