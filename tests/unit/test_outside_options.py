"""Italy's outside option coded from the offers before April 1915 (alliancekit.outside_options)."""
from __future__ import annotations

import pytest

from alliancekit import cohesion, outside_options


def test_the_alternative_changes_only_the_years_it_codes():
    both = outside_options.compare("triple_alliance", "Italy", "before_london")
    same = both[both["year"] < 1915]
    assert (same["margin"] == same["margin_alt"]).all()
    assert both.loc[both["year"] == 1915, "outside_alt"].item() == 0.5


def test_the_margin_moves_by_exactly_the_change_in_the_outside_option():
    both = outside_options.compare("triple_alliance", "Italy", "before_london")
    row = both[both["year"] == 1915].iloc[0]
    assert row["margin_alt"] - row["margin"] == pytest.approx(row["outside"] - row["outside_alt"])


def test_it_agrees_with_the_calculus_run_on_the_alternative_inputs():
    # m = B - K - E - O + chi, so recompute 1915 from the calculus' own terms
    frame = cohesion.member_calculus("triple_alliance", "Italy", years=[1915])
    b, k, e = frame[["benefit", "autonomy_cost", "entrapment"]].iloc[0]
    both = outside_options.compare("triple_alliance", "Italy", "before_london")
    assert both.loc[both["year"] == 1915, "margin_alt"].item() == pytest.approx(b - k - e - 0.5)


def test_an_unknown_variant_lists_the_coded_ones():
    with pytest.raises(LookupError, match="before_london"):
        outside_options.compare("triple_alliance", "Italy", "after_versailles")


def test_every_alternative_has_a_justification_and_a_source():
    t = outside_options.alternatives()
    assert t["justification"].str.len().gt(40).all() and t["source"].str.len().gt(0).all()
