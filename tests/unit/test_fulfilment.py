"""Honour rates from the shipped data (`alliancekit.fulfilment`), beside the published figure."""
from __future__ import annotations

import pytest

from alliancekit import fulfilment as F
from alliancekit import strategies as S
from alliancekit.published import LLM_PUBLISHED_RATE


def test_reliability_estimates_count_honoured_and_violated_commitments():
    t = F.reliability_estimates()
    assert {"berkemeier_fuhrmann", "leeds_long_mitchell"} <= set(t["coding"])
    assert (t["honoured"] + t["violated"] == t["n"]).all()
    assert ((t["low"] <= t["share_honoured"]) & (t["share_honoured"] <= t["high"])).all()


def test_commitments_were_honoured_about_half_the_time_not_three_in_four():
    """Berkemeier & Fuhrmann (2018) re-examined wars 1816-2003 and found commitments honoured
    about half the time, well below the roughly 75 % that Leeds, Long & Mitchell (2000) reported
    for 1816-1944."""
    t = F.reliability_estimates()
    overall = t[(t["coding"] == "berkemeier_fuhrmann") & (t["sample"] == "all")].iloc[0]
    assert overall["n"] > 100
    assert 0.4 <= overall["share_honoured"] <= 0.6
    assert overall["high"] < LLM_PUBLISHED_RATE


def test_leeds_long_and_mitchells_figure_has_one_home():
    assert F.LLM_PUBLISHED_RATE is LLM_PUBLISHED_RATE and S.LLM_HONOURED is LLM_PUBLISHED_RATE


@pytest.mark.parametrize("flag", ["count_nonaggression", "count_consultation"])
@pytest.mark.parametrize("value", ["no", 1, None])
def test_a_flag_that_is_not_true_or_false_is_refused_not_read_as_true(flag, value):
    with pytest.raises(TypeError, match=flag):
        F.honour_rate(**{flag: value})


@pytest.mark.parametrize("coding", F.CODINGS)
def test_a_non_aggression_promise_is_set_aside_when_kept_and_counted_when_broken(coding):
    """Lessons 09 and ex09 read B&F's 37 % for non-aggression pacts with this rule in mind: no row
    set aside as non-aggression-only is coded violated, yet rows of pacts whose only obligation
    is non-aggression are coded violated and counted."""
    d = F.rows()
    set_aside = d[d[f"nonagg{coding}"] == 1]
    assert len(set_aside) > 100 and (set_aside[f"violate{coding}"] == 0).all()
    pure = d[(d["nonagg"] == 1) & (d[["defense", "offense", "neutral", "consul"]] == 0).all(axis=1)]
    assert F.honour_rate(pure, coding)["violated"] > 0
