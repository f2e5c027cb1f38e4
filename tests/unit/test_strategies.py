"""Small-state portfolios (docs/model.md, section 5): a specification in tests."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from alliancekit import strategies as S

probability = st.floats(0.0, 1.0)
reliabilities = st.lists(probability, min_size=0, max_size=6)


# --------------------------------------------------------------------------- help probability


def test_without_shocks_help_probability_is_one_minus_nobody_helps():
    assert_allclose(S.help_probability([0.75, 0.5], q=0, phi=0), 1 - 0.25 * 0.5)


def test_no_partners_means_no_help():
    assert S.help_probability([], q=0.3, phi=0.5) == 0.0


@given(reliabilities, probability, probability)
@settings(deadline=None)
def test_help_probability_is_a_probability(r, q, phi):
    assert 0.0 <= S.help_probability(r, q, phi) <= 1.0


@given(st.lists(st.floats(0.05, 0.95), min_size=1, max_size=4), probability, probability,
       st.integers(0, 10_000))
@settings(max_examples=25, deadline=None)
def test_closed_form_help_probability_matches_monte_carlo(r, q, phi, seed):
    mc = S.help_probability_mc(r, q, phi, n_draws=40_000, seed=seed)
    exact = S.help_probability(r, q, phi)
    # 5 standard errors (plus a floor for estimates near 0 or 1): fails by chance < 1e-6.
    assert abs(mc.estimate - exact) <= 5 * math.sqrt(exact * (1 - exact) / mc.n_draws) + 2e-3


@given(reliabilities, probability, probability, probability)
@settings(deadline=None)
def test_adding_an_independent_partner_never_lowers_help_probability(r, extra, q, phi):
    before = S.help_probability(r, q, phi)
    after = S.help_probability([*r, extra], q, phi)
    assert after >= before - 1e-12


@given(st.lists(probability, min_size=1, max_size=4), probability, probability,
       st.integers(0, 2**32 - 1))
@settings(deadline=None, max_examples=20)
def test_monte_carlo_is_reproducible_under_a_seed(r, q, phi, seed):
    a = S.help_probability_mc(r, q, phi, n_draws=2_000, seed=seed)
    b = S.help_probability_mc(r, q, phi, n_draws=2_000, seed=seed)
    assert a == b


def test_a_deeper_common_shock_never_raises_help_probability():
    r = [0.8, 0.7, 0.6]
    values = [S.help_probability(r, 0.4, phi) for phi in np.linspace(0, 1, 11)]
    assert all(b <= a + 1e-12 for a, b in zip(values[:-1], values[1:], strict=True))


# --------------------------------------------------------------------------- correlation


def test_the_common_shock_induces_the_stated_correlation():
    r, q, phi = 0.9, 0.3, 0.7
    rng = np.random.default_rng(11)
    n = 400_000
    shock = rng.random(n) < q
    p = np.where(shock, r * (1 - phi), r)
    a, b = rng.random(n) < p, rng.random(n) < p
    observed = np.corrcoef(a, b)[0, 1]
    assert_allclose(observed, S.honour_correlation(r, r, q, phi), atol=0.01)


def test_without_a_shock_partners_are_uncorrelated():
    assert S.honour_correlation(0.7, 0.6, q=0.0, phi=1.0) == 0.0
    assert S.honour_correlation(0.7, 0.6, q=0.5, phi=0.0) == 0.0


def test_calibration_keeps_the_observed_honour_rate_fixed():
    for q, phi in [(0.1, 0.5), (0.25, 1.0), (0.2, 0.3)]:
        r = S.normal_times_reliability(0.75, q, phi)
        assert_allclose(S.help_probability([r], q, phi), 0.75)


def test_correlated_partners_make_diversification_worth_less():
    """At a fixed observed honour rate, a deeper common shock (more correlation) lowers the
    portfolio's help probability but leaves a single patron's unchanged (docs/model.md, section
    5)."""
    sweep = S.correlation_sweep(q=0.25, phis=np.linspace(0, 1, 6))
    div = sweep[sweep["strategy"] == "diversification"].sort_values("correlation")
    one = sweep[sweep["strategy"] == "single patron"].sort_values("correlation")
    assert (np.diff(div["correlation"]) > 0).all()
    assert (np.diff(div["help_probability"]) < 0).all()
    assert_allclose(one["help_probability"], S.LLM_HONOURED)
    # Diversification's edge over a single patron shrinks as correlation grows.
    edge = div["net"].to_numpy() - one["net"].to_numpy()
    assert (np.diff(edge) < 0).all()


def test_the_ranking_changes_as_correlation_grows():
    low = S.compare_strategies(0.25, 0.0).set_index("strategy")
    high = S.compare_strategies(0.25, 1.0).set_index("strategy")
    # With the default strategies: diversification beats autonomy when partners are
    # independent and falls behind it when they fail together.
    assert low.loc["diversification", "net"] > low.loc["autonomy", "net"]
    assert high.loc["diversification", "net"] < high.loc["autonomy", "net"]
    assert high.loc["diversification", "rank"] > low.loc["diversification", "rank"]
    # Autonomy's value does not depend on partners at all.
    assert high.loc["autonomy", "net"] == low.loc["autonomy", "net"]


def test_without_calibration_a_shock_lowers_every_partner_strategy():
    calm = S.compare_strategies(0.3, 0.0, calibrate=False).set_index("strategy")
    shocked = S.compare_strategies(0.3, 0.8, calibrate=False).set_index("strategy")
    for name in ("single patron", "diversification", "hedging"):
        assert shocked.loc[name, "security"] < calm.loc[name, "security"]
    assert_allclose(shocked.loc["autonomy", "security"], calm.loc["autonomy", "security"])


def test_compare_strategies_returns_one_ranked_row_per_strategy():
    t = S.compare_strategies(0.2, 0.5)
    assert sorted(t["strategy"]) == sorted(S.DEFAULT_STRATEGIES)
    assert list(t["rank"]) == [1, 2, 3, 4]
    assert (np.diff(t["net"]) <= 0).all()


# --------------------------------------------------------------------------- portfolio


@given(st.lists(probability, min_size=1, max_size=5), st.floats(0, 3), probability, probability)
@settings(deadline=None)
def test_with_equal_capacities_security_is_pi_times_capacity_plus_own_capability(r, h, q, phi):
    partners = [{"reliability": x, "capacity": h} for x in r]
    res = S.portfolio(partners, own_capability=0.2, q=q, phi=phi)
    assert_allclose(res.security, S.help_probability(r, q, phi) * h + 0.2, atol=1e-12)


def test_entanglement_cost_grows_with_depth_and_number_of_commitments():
    one = S.portfolio([{"reliability": 0.7, "depth": 0.5, "entanglement": 0.1}])
    deeper = S.portfolio([{"reliability": 0.7, "depth": 1.0, "entanglement": 0.1}])
    two = S.portfolio([{"reliability": 0.7, "depth": 0.5, "entanglement": 0.1}] * 2)
    assert one.entanglement_cost < deeper.entanglement_cost
    assert one.entanglement_cost < two.entanglement_cost


def test_own_capability_is_security_that_no_shock_can_take_away():
    calm = S.portfolio([], own_capability=0.5, q=0.0, phi=0.0)
    shocked = S.portfolio([], own_capability=0.5, q=1.0, phi=1.0)
    assert calm.security == shocked.security == 0.5


def test_the_strongest_partner_that_turns_up_sets_the_help():
    # A sure strong partner and a sure weak one: help is the strong one's capacity, not the sum.
    res = S.portfolio([{"reliability": 1.0, "capacity": 0.3}, {"reliability": 1.0, "capacity": 1}])
    assert_allclose(res.expected_help, 1.0)


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize("call, match", [
    (lambda: S.help_probability([0.5, 1.2], 0.1, 0.1),
     r"reliability \(probabilities.*\) must hold numbers in \[0, 1\]; got 1.2"),
    (lambda: S.help_probability([0.5], -0.1, 0.1), r"q must be a probability in \[0, 1\]"),
    (lambda: S.help_probability([0.5], 0.1, 1.5), r"phi must be a probability in \[0, 1\]"),
    (lambda: S.help_probability_mc([0.5], 0.1, 0.1, n_draws=0), "n_draws must be a whole number"),
    (lambda: S.portfolio([{"reliability": 0.5, "capacity": -1}]), r"capacity must be a number"),
    (lambda: S.portfolio([{"reliability": 0.5, "depth": 2}]), r"depth must be a probability"),
    (lambda: S.portfolio([], own_capability=0.0), "own_capability must be at least"),
    (lambda: S.compare_strategies(0.5, 0.8), r"q \* phi must be at most 1 - marginal"),
    (lambda: S.compare_strategies(0.1, 0.1, reliability=2), r"reliability must be a probability"),
])
def test_bad_parameters_are_rejected_naming_the_parameter_and_range(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_a_partner_with_an_unknown_attribute_is_a_type_error_naming_it():
    with pytest.raises(TypeError, match=r"partners\[0\]"):
        S.portfolio([{"reliability": 0.5, "colour": 2}])
