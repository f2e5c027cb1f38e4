"""The replication models of lesson 09 against independent computations on small cases.

- abrogation: statsmodels' Cox fit against a Cox partial likelihood written out here and
  maximised by Newton's method, with and without delayed entry;
- fulfilment: honour rates against counts by hand, and the meaning of the ``sample`` flag;
- europe1936: the reported global minimum against a brute-force enumeration of every split.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliancekit import abrogation, europe1936, fulfilment, landscape


# ------------------------------------------------------------------------------ Cox model
def _cox_by_hand(start, stop, event, x) -> float:
    """Maximise the Cox partial likelihood (one covariate, no tied event times) by Newton."""
    beta = 0.0
    for _ in range(50):
        score = info = 0.0
        for k in np.flatnonzero(event):
            at_risk = (start < stop[k]) & (stop >= stop[k])
            w = np.exp(beta * x[at_risk])
            mean = (w * x[at_risk]).sum() / w.sum()
            score += x[k] - mean
            info += (w * x[at_risk] ** 2).sum() / w.sum() - mean ** 2
        step = score / info
        beta += step
        if abs(step) < 1e-12:
            break
    return beta


def _frame(start, stop, event, x) -> pd.DataFrame:
    n = len(stop)
    return pd.DataFrame({"atopid": np.arange(n), "year": np.zeros(n, int), "start": start,
                         "stop": stop, "abrogation": event, "other": np.zeros(n, int),
                         "power_shift": x})


def test_cox_coefficient_matches_the_partial_likelihood_by_hand():
    stop = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0])
    start = np.zeros(8)
    event = np.array([1, 1, 0, 1, 1, 0, 1, 1])
    x = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0])
    fit = abrogation.fit(data=_frame(start, stop, event, x), covariates=["power_shift"])
    assert fit.table.coef.iloc[0] == pytest.approx(_cox_by_hand(start, stop, event, x), abs=1e-6)
    assert fit.table.hazard_ratio.iloc[0] == pytest.approx(np.exp(fit.table.coef.iloc[0]))


def test_cox_with_delayed_entry_matches_the_hand_computation():
    # alliance-years: some enter the risk set late, as time-varying rows do
    start = np.array([0.0, 0.0, 2.0, 1.0, 3.0, 0.0, 4.0, 2.0, 0.0])
    stop = np.array([2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 1.5])
    event = np.array([1, 0, 1, 1, 0, 1, 1, 0, 1])
    x = np.array([1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0])
    fit = abrogation.fit(data=_frame(start, stop, event, x), covariates=["power_shift"])
    assert fit.table.coef.iloc[0] == pytest.approx(_cox_by_hand(start, stop, event, x), abs=1e-6)


def test_confidence_interval_brackets_the_hazard_ratio():
    table = abrogation.fit().table
    assert (table.ci_low < table.hazard_ratio).all() and (table.hazard_ratio < table.ci_high).all()
    assert table.p_value.between(0, 1).all()


def test_other_endings_censor_the_abrogation_model_and_vice_versa():
    d = abrogation.design()
    assert not ((d.abrogation == 1) & (d.other == 1)).any()
    assert abrogation.fit("abrogation", data=d).n_events == d.abrogation.sum()
    assert abrogation.fit("other", data=d).n_events == d.other.sum()


def test_power_shift_follows_the_threshold():
    raw = abrogation.cases.table("abrogation").dropna(
        subset=["cinc_change", "polity_change", "democracies"]).reset_index(drop=True)
    for threshold in (0.1, 0.25, 0.5):
        d = abrogation.design(power_threshold=threshold)
        assert (d.power_shift == (raw.cinc_change > threshold).astype(int)).all()


@pytest.mark.parametrize("bad", [0, -0.1, float("nan")])
def test_design_refuses_an_impossible_threshold(bad):
    with pytest.raises(ValueError, match="power_threshold"):
        abrogation.design(power_threshold=bad)


def test_design_refuses_a_threshold_that_is_not_a_number():
    with pytest.raises(TypeError, match="power_threshold"):
        abrogation.design(power_threshold=True)


def test_fit_refuses_an_unknown_risk_or_covariate():
    with pytest.raises(ValueError, match="risk"):
        abrogation.fit("expiry")
    with pytest.raises(ValueError, match="covariates"):
        abrogation.fit(covariates=["gdp"])


def test_comparison_lists_the_five_hypotheses_of_the_abstract():
    out = abrogation.compare(abrogation.fit().table)
    assert list(out.variable) == list(abrogation.PAPER.variable)
    assert set(out.our_direction) <= {"+", "-"}


# ------------------------------------------------------------------------------ reliability
def test_honour_rate_by_hand_on_a_small_table():
    d = pd.DataFrame({"honorLLM": [1, 1, 1, 0, 0, 0], "violateLLM": [0, 0, 0, 1, 0, 0],
                      "nonaggLLM": [0, 0, 0, 0, 1, 0], "consulLLM": [0, 0, 0, 0, 0, 1]})
    assert fulfilment.honour_rate(d, "LLM")["rate"] == pytest.approx(3 / 4)
    both = fulfilment.honour_rate(d, "LLM", count_nonaggression=True, count_consultation=True)
    assert (both["honoured"], both["counted"]) == (5, 6)


def test_honour_rate_refuses_an_unknown_coding():
    with pytest.raises(ValueError, match="coding"):
        fulfilment.honour_rate(coding="COW")


def test_sample_flag_is_war_and_alliance_before_1945():
    table = fulfilment.sample_rule()
    assert table.loc[0, 1] == 0 and table.loc[1, 0] == 0
    assert table.values.sum() == 575


def test_plain_count_of_the_bf_columns_gives_about_half():
    assert fulfilment.honour_rate(coding="BF")["rate"] == pytest.approx(0.496, abs=0.001)


# ------------------------------------------------------------------------------ 1936
def _brute_force_minimum(sizes, p) -> float:
    """The lowest energy over every split, enumerated directly in blocks."""
    n = len(sizes)
    w = np.triu(np.outer(sizes, sizes) * p, 1)
    best = np.inf
    codes = np.arange(1 << (n - 1))
    for chunk in np.array_split(codes, 32):
        bits = np.zeros((chunk.size, n), dtype=np.int8)
        bits[:, 1:] = (chunk[:, None] >> np.arange(n - 1)) & 1
        apart = bits[:, :, None] != bits[:, None, :]
        best = min(best, float((apart * w).sum(axis=(1, 2)).min()))
    return best


def test_1936_prediction_is_the_exact_global_minimum():
    inp = europe1936.inputs()
    scored = europe1936.predict()
    assert scored.attrs["energy"] == pytest.approx(
        _brute_force_minimum(inp.sizes, inp.propensity), rel=1e-9)
    assert landscape.energy(scored.bloc, inp.sizes, inp.propensity) == pytest.approx(
        scored.attrs["energy"])


def test_sensitivity_marks_the_registered_weight_once_per_factor():
    frame = europe1936.weight_sensitivity(values=(0.5, 1.0))
    assert frame.groupby("factor").registered.sum().to_dict() == {
        "border": 1, "ideology": 1, "rivalry": 1, "war_history": 1}
    assert frame.correct.between(0, 17).all()


def test_1936_inputs_never_read_the_alliance_data(monkeypatch):
    """The landscape must not see the alignments it is meant to predict."""
    real = europe1936.cases.table
    forbidden = {"alliances", "memberships", "atop_alliances", "rivalries", "europe1936_sides"}

    def guarded(name):
        assert name not in forbidden, f"the 1936 inputs read {name}"
        return real(name)

    monkeypatch.setattr(europe1936.cases, "table", guarded)
    assert europe1936.inputs().propensity.shape == (17, 17)


def test_weighted_honour_rate_counts_each_row_its_weight():
    d = pd.DataFrame({"honorBF": [1, 0], "violateBF": [0, 1], "nonaggBF": [0, 0],
                      "consulBF": [0, 0]})
    out = fulfilment.honour_rate(d, weights=pd.Series([1.0, 3.0]))
    assert (out["honoured"], out["violated"], out["rate"]) == (1.0, 3.0, 0.25)
    with pytest.raises(ValueError, match="weights"):
        fulfilment.honour_rate(d, weights=pd.Series([1.0, -1.0]))
