"""Confidence bands and competing risks (alliancekit.survival), and ATOP termination labels."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancekit import cases, termination
from alliancekit.survival import cumulative_incidence, kaplan_meier

TOY = pd.DataFrame({"years": [1.0, 2.0, 2.0, 5.0], "ended": [True, True, False, True]})

# Six alliances, two ways of ending ("a", "b"), two censored:
#   t=1: 6 at risk, one ends by a  -> F_a = 1/6,                  S = 5/6
#   t=2: 5 at risk, one ends by b, one censored -> F_b = 5/6 * 1/5 = 1/6,  S = 2/3
#   t=3: 3 at risk, one ends by a  -> F_a = 1/6 + 2/3 * 1/3 = 7/18, S = 4/9
#   t=4: 2 at risk, one ends by b  -> F_b = 1/6 + 4/9 * 1/2 = 7/18, S = 2/9
#   t=5: 1 at risk, censored
SMALL = pd.DataFrame({"years": [1.0, 2.0, 2.0, 3.0, 4.0, 5.0],
                      "ended": [True, True, False, True, True, False],
                      "cause": ["a", "b", "", "a", "b", ""]})


def _at(table, cause, years, column="incidence"):
    rows = table[(table["cause"] == cause) & (table["years"] <= years)]
    return float(rows[column].iloc[-1])


def test_greenwood_band_matches_a_hand_computation():
    # t=1: S = 3/4, Greenwood sum = 1/(4*3); se of log(-log S) = sqrt(S^2/12) / (S |log S|)
    s = 0.75
    se = math.sqrt(s * s / 12) / (s * abs(math.log(s)))
    row = kaplan_meier(TOY).iloc[1]
    assert row["low"] == pytest.approx(s ** math.exp(1.959964 * se), rel=1e-5)
    assert row["high"] == pytest.approx(s ** math.exp(-1.959964 * se), rel=1e-5)


def test_band_collapses_where_the_estimate_is_one_or_zero():
    table = kaplan_meier(TOY)
    assert (table.iloc[0][["low", "high"]] == 1.0).all()
    assert (table.iloc[-1][["low", "high"]] == 0.0).all()


def test_a_wider_level_gives_a_wider_band():
    narrow, wide = kaplan_meier(TOY, level=0.5).iloc[2], kaplan_meier(TOY, level=0.99).iloc[2]
    assert wide["low"] < narrow["low"] < narrow["survival"] < narrow["high"] < wide["high"]


def test_rejects_a_level_outside_zero_and_one():
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        kaplan_meier(TOY, level=95)


def test_cumulative_incidence_matches_the_hand_computation():
    table = cumulative_incidence(SMALL)
    assert _at(table, "a", 1) == pytest.approx(1 / 6)
    assert _at(table, "b", 2) == pytest.approx(1 / 6)
    assert _at(table, "a", 3) == pytest.approx(7 / 18)
    assert _at(table, "b", 4) == pytest.approx(7 / 18)
    assert _at(table, "a", 5) == pytest.approx(7 / 18)


def test_first_variance_is_the_binomial_one():
    # before any other ending, F_a(1) = 1/6 from 6 at risk: Var = (1/6)(5/6)/6
    f, var = 1 / 6, (1 / 6) * (5 / 6) / 6
    se = math.sqrt(var) / (f * abs(math.log(f)))
    assert _at(cumulative_incidence(SMALL), "a", 1, "low") == \
        pytest.approx(f ** math.exp(1.959964 * se), rel=1e-5)


def test_variance_at_three_years_matches_the_delta_method_by_hand():
    # Marubini & Valsecchi's terms for F_a(3) = 7/18, summed over t = 1, 2, 3:
    # t=1: (2/9)^2/30 + 5/216 - 2(2/9)/36 ; t=2: (2/9)^2/20 ; t=3: (2/3)^2 * 2/27
    var = (2 / 9) ** 2 / 30 + 5 / 216 - 2 * (2 / 9) / 36 + (2 / 9) ** 2 / 20 + (4 / 9) * 2 / 27
    f = 7 / 18
    se = math.sqrt(var) / (f * abs(math.log(f)))
    assert _at(cumulative_incidence(SMALL), "a", 3, "high") == \
        pytest.approx(f ** math.exp(-1.959964 * se), rel=1e-5)


def test_curves_of_all_causes_add_up_to_one_minus_survival():
    table = cumulative_incidence(SMALL)
    km = kaplan_meier(SMALL)
    for t in (1, 2, 3, 4, 5):
        total = sum(_at(table, c, t) for c in ("a", "b"))
        assert total == pytest.approx(1 - float(km[km["years"] <= t]["survival"].iloc[-1]))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 100, allow_nan=False), st.sampled_from(["x", "y", ""])),
                min_size=1, max_size=30))
def test_incidence_is_a_rising_share_inside_its_band(rows):
    d = pd.DataFrame(rows, columns=["years", "cause"]).assign(
        ended=lambda f: f["cause"] != "")
    table = cumulative_incidence(d)
    for _, part in table.groupby("cause"):
        inc = part["incidence"].to_numpy()
        assert np.all(np.diff(inc) >= -1e-12) and np.all((inc >= 0) & (inc <= 1 + 1e-12))
        assert np.all(part["low"] <= inc + 1e-9) and np.all(inc <= part["high"] + 1e-9)


def test_an_ended_row_without_a_cause_is_refused():
    bad = SMALL.assign(cause=["a", "", "", "a", "b", ""])
    with pytest.raises(ValueError, match="needs a 'cause'"):
        cumulative_incidence(bad)


def test_every_termmode_code_has_a_label_a_meaning_and_checkable_cases():
    for row in termination.describe():
        assert row["label"] in termination.CAUSES and row["meaning"]
        assert row["cases"].count("ATOP ") >= 3


def test_label_refuses_a_code_atop_does_not_use():
    with pytest.raises(ValueError, match="unknown ATOP termmode 9"):
        termination.label(9)


def test_the_atop_extract_carries_each_ending_and_its_label_in_one_place():
    a = cases.table("atop_alliances")
    ended = a[a["termmode"].notna()]
    assert (ended["end_cause"] == ended["termmode"].map(termination.label)).all()
    assert a.loc[a["end"].isna(), "end_cause"].eq("").all()


def test_checkable_cases_carry_their_label():
    a = cases.table("atop_alliances").set_index("atopid")
    assert a.loc[2085, "end_cause"] == "violated_or_abrogated"   # Yugoslav-Romanian, Aug 1940
    assert a.loc[2050, "end_cause"] == "lost_independence"       # Czechoslovakia, Mar 1939
    assert a.loc[1370, "end_cause"] == "expired"                 # Reinsurance Treaty, 1890


def test_durations_give_a_cause_to_every_ended_alliance_and_none_to_censored_ones():
    d = cases.durations()
    assert (d.loc[d["ended"], "cause"] != "").all()
    assert (d.loc[~d["ended"], "cause"] == "").all()
