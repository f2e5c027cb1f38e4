"""Explorers speak in words a student reads: no raw data codes, no more curves than a legend holds."""
from __future__ import annotations

import re

import pytest

from alliancekit import widgets

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
