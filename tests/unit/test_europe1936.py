"""The pre-registered coding of Axelrod & Bennett's 1936 Europe (lesson 10), and its correction.

These tests pin the factors, weights and inputs exactly as they were committed *before* any
configuration was computed from them. A failing pin means the coding was changed after the
fact: do not update the pin to make it pass; the coding must stay as registered.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from alliancekit import cases, europe1936

DATA = Path(__file__).resolve().parents[2] / "alliancekit" / "data"

#: sha256 of each file as pre-registered.
REGISTERED = {
    "europe1936_ideology.csv": "3d225e45ecc97285d877a31257df62918372149be0e9f145ce4e335a17e11554",
    "europe1936_pairs.csv": "fd0cded471e3dba883bdae3a30c8bb194d7b1a189c29a146d720e210d26a5b7a",
    "europe1936_sides.csv": "2454817e4f83d981ac6908e2fbe8ec439ea04491c6681ac94a45184e54334852",
    "europe1936_sizes.csv": "b24e90908ce661cd4e270116cfbdf670ea5d42936c128a70954c6d117d7c8e70",
    "europe1936_weights.csv": "837434893d3fb7cc136a801d774ae08cb1696a70c90c07d42b987df482f88052",
}
#: sha256 of the corrected pairs file: a documented deviation from the registration
#: (alliancekit/data/README.md), pinned on its own so it cannot drift either.
CORRECTED = {
    "europe1936_pairs_corrected.csv":
        "953edc0ec3732c6132cef75f564611633c3bbbc56a07f20c828ab3936ac575fb",
}
WEIGHTS = {"ideology": 1.0, "war_history": 1.0, "rivalry": 1.0, "border": 0.5}
IDEOLOGY = {200: "democracy", 220: "democracy", 235: "authoritarian", 255: "fascism",
            290: "authoritarian", 310: "authoritarian", 315: "democracy", 325: "fascism",
            345: "authoritarian", 350: "authoritarian", 360: "authoritarian", 365: "communism",
            366: "authoritarian", 367: "authoritarian", 368: "authoritarian", 375: "democracy",
            390: "democracy"}
AXIS = {255, 310, 325, 360, 375}


@pytest.mark.parametrize("name", sorted(REGISTERED))
def test_registered_file_is_unchanged(name):
    digest = hashlib.sha256((DATA / name).read_bytes()).hexdigest()
    assert digest == REGISTERED[name], f"{name} changed after pre-registration"


@pytest.mark.parametrize("name", sorted(CORRECTED))
def test_corrected_file_is_unchanged(name):
    digest = hashlib.sha256((DATA / name).read_bytes()).hexdigest()
    assert digest == CORRECTED[name], f"{name} changed after its deviation was recorded"


def test_the_corrected_coding_differs_from_the_registered_one_in_one_pair_only():
    registered = cases.table("europe1936_pairs").set_index(["ccode_a", "ccode_b"])
    corrected = cases.table("europe1936_pairs_corrected").set_index(["ccode_a", "ccode_b"])
    differs = registered.ne(corrected) & ~(registered.isna() & corrected.isna())
    changed = differs.any(axis=1)
    assert list(changed[changed].index) == [(255, 365)]
    assert corrected.loc[(255, 365), "last_war_relation"] == "against"
    assert registered.loc[(255, 365), "last_war_relation"] == "with"


def test_germany_and_the_ussr_are_enemies_only_in_the_corrected_coding():
    # COW war 108 (1918-20): Germany 255 against Soviet Russia 365, sides 1 and 2
    assert europe1936.factor_values("corrected").set_index(["ccode_a", "ccode_b"]).loc[
        (255, 365), "war_history"] == -1
    assert europe1936.factor_values("registered").set_index(["ccode_a", "ccode_b"]).loc[
        (255, 365), "war_history"] == 1


def test_an_unknown_coding_is_refused():
    with pytest.raises(LookupError, match="coding"):
        europe1936.predict(coding="hindsight")


def test_weights_are_the_registered_ones():
    assert europe1936.weights() == WEIGHTS


def test_ideology_coding_is_the_registered_one_and_every_row_has_a_source():
    table = cases.table("europe1936_ideology")
    assert dict(zip(table.ccode, table.ideology, strict=True)) == IDEOLOGY
    assert table.source.str.len().gt(0).all() and table.justification.str.len().gt(20).all()


def test_sides_are_the_registered_ones():
    assert set(europe1936.sides()[lambda s: s == "axis"].index) == AXIS
    assert len(europe1936.sides()) == 17


def test_every_weight_is_marked_assumed_with_a_justification():
    table = cases.table("europe1936_weights")
    assert set(table.basis) == {"assumed"}
    assert table.justification.str.len().gt(20).all()


# ---------------------------------------------------------------- nothing after 1936
def test_no_ideology_is_coded_as_of_a_later_year():
    assert (cases.table("europe1936_ideology").as_of <= 1936).all()


def test_sizes_are_of_1936():
    assert set(cases.table("europe1936_sizes").year) == {1936}


def test_no_pair_fact_is_dated_after_1936():
    pairs = cases.table("europe1936_pairs")
    for col in ("border_since", "last_war_year", "rivalry_since", "latest_year_used"):
        assert (pairs[col].dropna() <= 1936).all(), col


def test_the_inputs_never_read_the_wartime_sides(monkeypatch):
    real = cases.table

    def guarded(name):
        if name == "europe1936_sides":
            raise AssertionError("the landscape inputs read the outcome")
        return real(name)

    monkeypatch.setattr(cases, "table", guarded)
    inp = europe1936.inputs()
    assert inp.propensity.shape == (17, 17)


# ---------------------------------------------------------------- how factors combine
def test_propensity_is_symmetric_with_a_zero_diagonal():
    p = europe1936.inputs().propensity
    assert np.allclose(p, p.T) and np.all(np.diag(p) == 0)


def test_france_and_germany_add_up_all_four_hostile_factors():
    # democracy vs fascism -1, last war against -1, rivalry -1, land border -0.5
    assert europe1936.propensity().loc[220, 255] == pytest.approx(-3.5)


def test_two_democracies_that_fought_together_add_up():
    # Britain and France: same camp +1, allies in 1914-18 +1, no rivalry, no land border
    assert europe1936.propensity().loc[200, 220] == pytest.approx(2.0)


def test_changing_one_weight_scales_only_that_factor():
    values = europe1936.factor_values().set_index(["ccode_a", "ccode_b"])
    base = europe1936.propensity()
    moved = europe1936.propensity({"border": 2.0})
    for (a, b), row in values.iterrows():
        assert moved.loc[a, b] - base.loc[a, b] == pytest.approx(1.5 * row.border)


def test_unknown_or_non_numeric_weights_are_refused():
    with pytest.raises(LookupError, match="unknown weights factor 'religion'"):
        europe1936.propensity({"religion": 1.0})
    with pytest.raises(ValueError, match="must be a number"):
        europe1936.propensity({"border": float("nan")})


# ---------------------------------------------------------------- scoring a configuration
def test_scoring_names_the_blocs_to_match_most_states():
    codes = sorted(IDEOLOGY)
    exact = [1 if c in AXIS else 0 for c in codes]
    flipped = [1 - b for b in exact]
    assert europe1936.on_their_side(exact, codes).correct.all()
    assert europe1936.on_their_side(flipped, codes).correct.all()


def test_scoring_counts_a_misplaced_state():
    codes = sorted(IDEOLOGY)
    config = [1 if c in AXIS or c == 290 else 0 for c in codes]   # Poland with the Axis
    scored = europe1936.on_their_side(config, codes).set_index("ccode")
    assert scored.correct.sum() == 16 and not scored.loc[290, "correct"]
