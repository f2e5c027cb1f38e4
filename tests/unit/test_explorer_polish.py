"""What a student sees in the explorers: words not codes, years labelled once, refusals undone."""
from __future__ import annotations

import re

import ipywidgets as W
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliancekit import render, widgets

CODE = re.compile(r"_|\b(?:consul|nonagg|neutral|defense|offense)\b")


@given(st.integers(1800, 2100), st.integers(0, 250), st.integers(2, 12))
def test_year_ticks_are_round_distinct_and_few(first, span, most):
    last = first + span
    ticks = render.year_ticks(first, last, most)
    assert ticks == sorted(set(ticks))
    assert 1 <= len(ticks) <= max(most, 2)
    assert all(first <= t <= last for t in ticks)
    if len(ticks) > 1:
        steps = {b - a for a, b in zip(ticks, ticks[1:], strict=False)}
        assert len(steps) == 1 and all(t % steps.pop() == 0 for t in ticks[:1])


def test_year_ticks_refuse_a_backwards_span():
    with pytest.raises(ValueError, match="first <= last"):
        render.year_ticks(1939, 1920)


@pytest.mark.parametrize("key", sorted(widgets.EXPLORERS))
def test_menus_and_buttons_offer_words_not_codes(key):
    explorer = widgets.EXPLORERS[key]()
    for name, control in explorer.controls.items():
        if isinstance(control, (W.Dropdown, W.ToggleButtons)):
            for label in control.options:   # (label, value) pairs or plain labels
                label = label[0] if isinstance(label, tuple) else label
                assert not CODE.search(str(label)), f"{key} {name}: option {label!r} is a code"


def test_explorer_controls_share_one_label_width():
    widths = {c.style.description_width for key in ("01", "02", "03", "05", "06", "07")
              for c in widgets.EXPLORERS[key]().controls.values()
              if hasattr(c.style, "description_width") and c.description
              and not isinstance(c, W.Checkbox)}
    assert widths == {"16em"}


def test_a_refused_setting_puts_the_control_back_and_says_why():
    explorer = widgets.portfolio_explorer()
    before = explorer.values()
    explorer.controls["reliability"].value = 0.95        # needs q * phi <= 0.05
    assert explorer.message and "q * phi" in explorer.message
    assert explorer.values() == before, "the slider should show the setting the chart shows"
    assert "Not possible" in explorer._summary.value
    explorer.controls["q"].value = 0.1                   # a valid change clears the message
    assert explorer.message == ""


def test_the_calculus_explorer_says_it_has_one_partner():
    explorer = widgets.member_calculus_explorer()
    assert "one partner" in explorer.summary.lower()
    assert "one partner" in explorer.note.lower()


def test_the_entente_summary_speaks_for_both_ends_of_the_years():
    explorer = widgets.little_entente_explorer()
    assert "in 1920" in explorer.summary and "in 1938" in explorer.summary
