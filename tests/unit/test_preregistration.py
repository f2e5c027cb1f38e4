"""The pre-registered Balkan Entente coding is complete, follows the rules, and is never retuned.

The coding was committed before the cohesion model was first run on the case (see the data
README). These tests read the coding only; they do not run the model.
"""
from __future__ import annotations

import hashlib
from importlib import resources

from alliancekit import cohesion

PINNED = {  # sha256 of the case's rows, as committed before the first run
    "cohesion_scenarios.csv": ("balkan_entente,",
                               "636d06f56e4c522eecc58c8c2d72c726bdd6701aa5f6975d188c83366114c49d"),
    "events.csv": (",balkan_entente_1934,",
                   "22a95e1ccc1d3090f4af773df64ede57c8cd4f08e1acf7deacb3f7c0f4d3aeaa"),
}
RULE_SIZES = {"m": 0.25, "M": 0.5, "J": 0.75, "D": 1.0}


def _rows(name, marker):
    text = (resources.files("alliancekit") / "data" / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines(keepends=True) if marker in line]


def test_the_preregistered_coding_has_not_changed_since_it_was_committed():
    for name, (marker, digest) in PINNED.items():
        got = hashlib.sha256("".join(_rows(name, marker)).encode()).hexdigest()
        assert got == digest, f"{name}: the pre-registered Balkan Entente rows were edited"


def test_every_driver_row_is_marked_preregistered():
    coding = cohesion.scenario("balkan_entente").coding
    assert coding["justification"].str.startswith("PRE-REGISTERED").all()


def test_the_case_covers_the_alliance_years_1934_to_1940():
    assert cohesion.scenario("balkan_entente").years == (1934, 1940)


def test_every_event_size_is_the_size_of_the_rule_it_cites():
    shocks = cohesion.scenario("balkan_entente").shocks
    assert len(shocks) == 14
    for size, basis in zip(shocks["size"], shocks["size_basis"], strict=True):
        rule = basis.split()[1]
        assert RULE_SIZES[rule] == size, basis
