"""Chart builders for bands, competing risks and sensitivity (alliancekit.charts)."""
from __future__ import annotations

import pandas as pd
import pytest

from alliancekit import charts
from alliancekit.survival import cumulative_incidence, kaplan_meier

D = pd.DataFrame({"years": [1.0, 2.0, 2.0, 3.0, 12.0, 15.0],
                  "ended": [True, True, False, True, True, False],
                  "cause": ["a", "b", "", "a", "b", ""]})
SENS = pd.DataFrame({"parameter": ["gamma", "S"], "status": ["assumed", "measured"],
                     "low_value": [0.2, -0.5], "high_value": [0.6, 0.5], "at_low": [0.1, 0.7],
                     "at_high": [0.9, 0.75], "base": [0.72, 0.72]})


def test_survival_band_chart_states_the_ten_year_share_and_its_band():
    text = charts.describe(charts.survival_band_chart(kaplan_meier(D)))
    assert "at 10 years" in text and "95% band" in text


def test_incidence_chart_names_each_cause_with_its_final_share():
    text = charts.describe(charts.incidence_chart(cumulative_incidence(D)))
    assert "a 39%" in text and "b 39%" in text    # 7/18 each, as in test_competing_risks


def test_tornado_chart_puts_the_widest_swing_first_and_states_the_base():
    chart = charts.tornado_chart(SENS)
    text = charts.describe(chart)
    assert "at the defaults: 72%" in text and "widest swing is gamma" in text
    charts.to_svg(chart)


def test_tornado_chart_names_a_missing_column():
    with pytest.raises(ValueError, match="at_high"):
        charts.tornado_chart(SENS.drop(columns="at_high"))


def test_margin_compare_chart_names_the_years_whose_margin_differs():
    frame = pd.DataFrame({"year": [1913, 1914, 1915], "margin": [-0.5, -0.7, -0.9],
                          "margin_alt": [-0.5, -0.7, -0.8]})
    text = charts.describe(charts.margin_compare_chart(frame))
    assert "1915: -0.90 as coded, -0.80 with the alternative" in text and "1914:" not in text
