"""Lesson 09's chart builders: valid Vega-Lite, titled, described in words with the numbers."""
from __future__ import annotations

import pandas as pd
import pytest

from alliancekit import abrogation, europe1936, fulfilment
from alliancekit import replication_charts as rc


def _checked(chart) -> str:
    spec = chart.to_dict()                        # validates against the Vega-Lite schema
    assert spec.get("title") and spec.get("description")
    return spec["description"]


def test_hazard_ratio_chart_describes_every_ratio():
    table = abrogation.fit().table
    text = _checked(rc.hazard_ratio_chart(table))
    for r in table.itertuples():
        assert f"{r.variable} {r.hazard_ratio:.2f}" in text


def test_honour_rate_chart_gives_published_and_our_rates():
    text = _checked(rc.honour_rate_chart(fulfilment.replication_table()))
    assert "published 74%" in text or "published 75%" in text
    assert "LLM columns 50.0%" in text


def test_blocs_chart_counts_the_states_on_their_side():
    scored = europe1936.predict()
    text = _checked(rc.blocs_chart(scored))
    assert f"{int(scored.correct.sum())} of 17" in text


def test_sensitivity_chart_has_a_panel_per_factor_in_one_row():
    frame = europe1936.weight_sensitivity(values=(0.0, 1.0))
    spec = rc.sensitivity_chart(frame).to_dict()
    assert spec["facet"]["field"] == "factor"
    assert spec["columns"] == frame["factor"].nunique()  # no empty panel under a lone axis
    assert "paper's 15" in spec["description"]


def test_builders_refuse_a_frame_without_their_columns():
    with pytest.raises(ValueError, match="lacks"):
        rc.hazard_ratio_chart(pd.DataFrame({"variable": ["x"]}))
