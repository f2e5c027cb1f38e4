"""Kaplan-Meier estimates of how long alliances last (alliancekit.survival)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancekit import cases
from alliancekit.survival import kaplan_meier, median_lifespan, share_alive

TOY = pd.DataFrame({"years": [1.0, 2.0, 2.0, 5.0], "ended": [True, True, False, True]})


def test_matches_a_hand_computed_kaplan_meier():
    # t=1: 3 of 4 survive; t=2: 3 at risk, 1 ends -> 3/4 * 2/3; t=5: the last one ends -> 0
    table = kaplan_meier(TOY)
    np.testing.assert_allclose(table["survival"], [1.0, 0.75, 0.5, 0.0])
    assert table["censored"].tolist() == [0, 0, 1, 0]


def test_without_endings_the_share_stays_at_one():
    d = pd.DataFrame({"years": [1.0, 3.0], "ended": [False, False]})
    assert kaplan_meier(d)["survival"].eq(1.0).all()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 200, allow_nan=False), st.booleans()), min_size=1,
                max_size=40))
def test_survival_is_a_non_increasing_share(rows):
    s = kaplan_meier(pd.DataFrame(rows, columns=["years", "ended"]))["survival"].to_numpy()
    assert np.all((s >= 0) & (s <= 1)) and np.all(np.diff(s) <= 1e-12)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=30))
def test_with_no_censoring_it_equals_the_plain_share_still_running(years):
    d = pd.DataFrame({"years": years, "ended": True})
    table = kaplan_meier(d)
    for t in (0.0, 10.0, 50.0):
        assert share_alive(table, t) == pytest.approx(np.mean(np.asarray(years) > t))


def test_groups_are_estimated_separately():
    d = pd.concat([TOY.assign(kind="a"), TOY.assign(kind="b", years=TOY["years"] * 2)])
    table = kaplan_meier(d, group="kind")
    assert share_alive(table[table["group"] == "a"], 1) == 0.75
    assert share_alive(table[table["group"] == "b"], 1) == 1.0


def test_share_alive_reads_the_step_function_at_several_times():
    assert share_alive(kaplan_meier(TOY), [0.5, 1, 3, 10]).tolist() == [1.0, 0.75, 0.5, 0.0]


def test_median_lifespan_is_the_first_time_half_have_ended():
    assert median_lifespan(kaplan_meier(TOY)) == 2.0


def test_median_lifespan_is_nan_when_fewer_than_half_ended():
    d = pd.DataFrame({"years": [1.0, 3.0, 4.0], "ended": [True, False, False]})
    assert math.isnan(median_lifespan(kaplan_meier(d)))


def test_rejects_negative_durations():
    with pytest.raises(ValueError, match="non-negative"):
        kaplan_meier(pd.DataFrame({"years": [-1.0], "ended": [True]}))


def test_names_a_missing_column():
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['ended'\]"):
        kaplan_meier(pd.DataFrame({"years": [1.0]}))


def test_share_alive_rejects_a_table_of_several_groups():
    table = kaplan_meier(pd.concat([TOY.assign(g="a"), TOY.assign(g="b")]), group="g")
    with pytest.raises(ValueError, match="several groups"):
        share_alive(table, 5)


def test_share_alive_rejects_negative_times():
    with pytest.raises(ValueError, match="non-negative"):
        share_alive(kaplan_meier(TOY), -1)


def test_atop_alliances_mostly_outlive_five_years_but_not_twenty_five():
    # Documented pattern (Leeds et al. 2002 data; lesson 02): most alliances pass five years,
    # and fewer than half are still in force after twenty-five.
    table = kaplan_meier(cases.durations())
    assert share_alive(table, 5) > 0.5 > share_alive(table, 25)


def test_a_band_just_below_one_is_the_whole_range_without_a_warning():
    import warnings

    from alliancekit.survival import _loglog_band

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow warning would fail the test
        low, high = _loglog_band(np.array([1 - 2 ** -53]), np.array([0.01]), 1.96)
    assert (low[0], high[0]) == (0.0, 1.0)
