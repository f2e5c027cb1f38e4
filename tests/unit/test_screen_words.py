"""Charts and explorers speak in words a student reads: no data codes or library identifiers."""
from __future__ import annotations

import json
import re

import pytest

from alliancekit import cases, charts, sensitivity, survival, termination, widgets

#: ATOP's obligation codes as they stand in the data; none may reach a student's screen.
RAW_CODES = re.compile(r"\b(defense|offense|neutral|nonagg|consul)\b")


@pytest.fixture(scope="module")
def by_obligation():
    return widgets.survival_explorer("obligations")


def test_comparing_by_obligation_draws_one_curve_per_obligation(by_obligation):
    groups = list(dict.fromkeys(by_obligation.view.data["group"]))
    assert groups == ["includes defence", "includes offence", "includes neutrality",
                      "includes non-aggression", "includes consultation"]


def test_curves_and_summary_name_obligations_in_words(by_obligation):
    groups = by_obligation.view.data["group"].unique()
    assert not [g for g in groups if RAW_CODES.search(g) or ";" in g]
    assert not RAW_CODES.search(by_obligation.view.summary)


def test_the_summary_counts_alliances_not_curves(by_obligation):
    everything = widgets.survival_explorer("nothing")
    total = int(everything.view.summary.split()[0])
    shown = int(by_obligation.view.summary.split()[0])
    assert shown == total


def test_the_compare_menu_offers_words(by_obligation):
    labels = [label for label, _ in by_obligation.controls["compare"].options]
    assert "obligation included" in labels


def test_the_ways_of_ending_are_named_in_words():
    table = survival.cumulative_incidence(cases.durations())
    spec = json.dumps(charts.incidence_chart(table).to_dict())
    assert not [code for code in termination.CAUSES if "_" in code and code in spec]
    assert "a member was defeated in war" in spec


@pytest.mark.parametrize("name", sorted(sensitivity.DEFAULT_RANGES))
def test_every_input_a_tornado_can_show_has_a_label_in_words(name):
    label = sensitivity.LABELS[name]
    assert label != name and " " in label


def test_the_tornado_names_its_bars_in_words_not_identifiers():
    ranges = {"beta0": (-1.5, -0.5), "c_min": (0.2, 0.3), "driver_sd": (0.0, 0.1)}
    table = sensitivity.one_at_a_time("little_entente", by_year=1937, runs=20, ranges=ranges)
    spec = json.dumps(charts.tornado_chart(table).to_dict(), ensure_ascii=False)
    assert not [name for name in ranges if f'"{name}"' in spec]
    assert "β0, intercept of the target" in spec


def test_the_weight_sensitivity_panels_sit_in_one_row_named_in_words():
    from alliancekit import europe1936, replication_charts

    frame = europe1936.weight_sensitivity(coding="corrected")
    spec = replication_charts.sensitivity_chart(frame).to_dict()
    factors = frame["factor"].nunique()
    assert spec["columns"] == factors          # no empty panel, one y-axis title for the row
    shown = {row["factor"] for row in spec["datasets"][next(iter(spec["datasets"]))]}
    assert not [name for name in shown if "_" in name]


def test_the_1936_results_name_states_as_the_prose_does_not_by_cow_code():
    from alliancekit import europe1936

    codes = re.compile(r"\b(GMY|UKG|POL|ROM|RUS|ITA|FRN|EST|LAT|LIT|FIN)\b")
    scored = europe1936.predict(coding="corrected")
    assert not [s for s in scored["state"] if codes.search(s)]
    assert "Poland" in set(scored["state"])
    misplaced = europe1936.weight_sensitivity(values=(1.0,), coding="corrected")["misplaced"]
    assert not [m for m in misplaced if codes.search(m)]
