"""The cohesion model's inputs table and its one-at-a-time sensitivity analysis."""
from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from alliancekit import cohesion, sensitivity

README = Path(__file__).parents[2] / "alliancekit" / "data" / "README.md"
SMALL = {"runs": 60, "seed": 3}


def test_every_rate_and_driver_of_the_model_is_in_the_inputs_table():
    listed = set(sensitivity.inputs()["input"])
    params = {f.name for f in fields(cohesion.CohesionParams)}
    assert params <= listed and set(cohesion.DRIVERS) <= listed


def test_every_input_is_measured_coded_or_assumed():
    assert set(sensitivity.inputs()["status"]) == set(sensitivity.STATUSES)


def test_only_asymmetry_and_event_dates_are_measured():
    t = sensitivity.inputs()
    assert set(t.loc[t["status"] == "measured", "input"]) == {"S", "event_dates"}


def test_the_data_readme_table_agrees_with_the_library():
    rows = dict(re.findall(r"^\| `(\w+)` \| [^|]* \| \*\*(\w+)\*\* \|", README.read_text(),
                           flags=re.M))
    t = sensitivity.inputs()
    assert rows == dict(zip(t["input"], t["status"], strict=True))


def test_the_base_outcome_is_the_share_of_runs_dissolved_by_the_year():
    out = sensitivity.one_at_a_time(by_year=1937, ranges={"gamma": (0.3, 0.5)}, **SMALL)
    frame = cohesion.simulate("little_entente", **SMALL)
    share = cohesion.dissolution_probability(frame).set_index("year").loc[1937, "probability"]
    assert out["base"].iloc[0] == pytest.approx(share)


def test_an_input_the_outcome_does_not_use_has_no_swing():
    # professed cohesion (lam) never feeds back on cohesion, and the draws are shared
    out = sensitivity.one_at_a_time(ranges={"lam": (0.05, 0.2)}, **SMALL)
    assert out["swing"].iloc[0] == 0


@pytest.mark.parametrize("name, rises", [("event_size", True), ("X", True), ("L", True),
                                         ("T", False), ("R", False)])
def test_eroding_inputs_never_lower_the_share_dissolved_and_holding_ones_never_raise_it(
        name, rises):
    row = sensitivity.one_at_a_time(ranges={name: sensitivity.DEFAULT_RANGES[name]},
                                    **SMALL).iloc[0]
    assert (row["at_high"] >= row["at_low"]) if rises else (row["at_high"] <= row["at_low"])


def test_rows_come_widest_swing_first():
    out = sensitivity.one_at_a_time(ranges={k: sensitivity.DEFAULT_RANGES[k]
                                            for k in ("gamma", "S", "T")}, **SMALL)
    assert out["swing"].is_monotonic_decreasing


def test_rejects_a_year_outside_the_scenario():
    with pytest.raises(ValueError, match=r"by_year.*\[1920, 1938\]"):
        sensitivity.one_at_a_time(by_year=1950, **SMALL)


def test_rejects_an_unknown_input():
    with pytest.raises(ValueError, match="unknown input"):
        sensitivity.one_at_a_time(ranges={"zeta": (0, 1)}, **SMALL)
