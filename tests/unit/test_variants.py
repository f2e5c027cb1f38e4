"""Per-student variants: who gets which numbers, and what a question may say about them.

The variant is a pure function of (key, set, overrides); without a key everyone gets the public
variant, the numbers of solutions/. No two variants share a self-check digest, and no question
text or check message quotes a variant's number. That each variant's worked solution passes its
own tests, lies in its stated ranges and cannot be copied for more than half the points is checked
by running the solutions, in tests/integration/test_variant_solutions.py.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancekit import variants
from alliancekit.variants import VariantError
from alliancekit.variants._digests import DIGESTS as LIBRARY_DIGESTS

ROOT = Path(__file__).resolve().parents[2]
SETS = variants.sets()
KEYS = st.binary(min_size=32, max_size=32).map(bytes.hex)


# ---- who gets which variant ------------------------------------------------------------------
def test_a_key_is_the_hmac_sha256_of_the_student_id_under_the_secret():
    import hashlib
    import hmac

    secret = bytes(range(32))
    assert variants.student_key(secret, "s1") == hmac.new(secret, b"s1", hashlib.sha256).hexdigest()


def test_keys_differ_between_students_and_between_courses():
    a, b = bytes(32), bytes([1]) * 32
    assert variants.student_key(a, "s1") != variants.student_key(a, "s2")
    assert variants.student_key(a, "s1") != variants.student_key(b, "s1")


@settings(max_examples=200, deadline=None)
@given(key=KEYS, set_id=st.sampled_from(SETS))
def test_the_variant_is_a_pure_function_of_key_and_set(key, set_id):
    first = variants.variant_number(key, set_id)
    assert first == variants.variant_number(key, set_id) == variants.variant_number(
        key.upper(), set_id)
    assert 1 <= first <= variants.rules(set_id).variants


@settings(max_examples=100, deadline=None)
@given(key=KEYS, set_id=st.sampled_from(SETS), data=st.data())
def test_an_override_gives_exactly_the_chosen_variant(key, set_id, data):
    chosen = data.draw(st.integers(1, variants.rules(set_id).variants))
    assert variants.variant_number(key, set_id, {set_id: chosen}) == chosen
    assert variants.variant_number(key, set_id, f"{set_id}={chosen}") == chosen


@settings(max_examples=50, deadline=None)
@given(key=KEYS, set_id=st.sampled_from(SETS))
def test_the_environment_does_not_change_the_variant_of_a_key(key, set_id):
    import os

    before = variants.variant_number(key, set_id)
    saved = os.environ.get(variants.KEY_VARIABLE)
    os.environ[variants.KEY_VARIABLE] = "f" * 64
    try:
        assert variants.variant_number(key, set_id) == before
    finally:
        if saved is None:
            os.environ.pop(variants.KEY_VARIABLE)
        else:
            os.environ[variants.KEY_VARIABLE] = saved


def test_without_a_key_everyone_gets_the_public_variant():
    assert all(variants.variant_number(None, s) == 0 for s in SETS)


def test_keyed_students_spread_over_every_variant_and_never_get_the_public_one():
    for set_id in SETS:
        seen = {variants.variant_number(variants.student_key(bytes(32), f"s{i}"), set_id)
                for i in range(200)}
        assert seen == set(range(1, variants.rules(set_id).variants + 1))


def test_a_hub_user_name_alone_is_not_a_key(monkeypatch):
    monkeypatch.delenv(variants.KEY_VARIABLE, raising=False)
    monkeypatch.setenv("JUPYTERHUB_USER", "s1")  # Binder sets it too
    assert variants.current_key() is None
    assert variants.YourNumbers("ex01-theory").variant == 0


def test_a_key_in_the_environment_picks_the_students_variant(monkeypatch):
    key = variants.student_key(bytes(32), "s1")
    monkeypatch.setenv(variants.KEY_VARIABLE, key)
    monkeypatch.setenv(variants.OVERRIDES_VARIABLE, "")
    mine = variants.YourNumbers("ex01-theory")
    assert mine.variant == variants.variant_number(key, "ex01-theory") != 0
    monkeypatch.setenv(variants.OVERRIDES_VARIABLE, "ex01-theory=3")
    assert variants.YourNumbers("ex01-theory").variant == 3


def test_show_prints_the_inputs_in_words_and_returns_them(capsys, monkeypatch):
    monkeypatch.delenv(variants.KEY_VARIABLE, raising=False)
    values = variants.YourNumbers("ex01-theory").show("Q1")
    shown = capsys.readouterr().out
    assert values["threat"] == 0.5 and "threat" in shown and "0.5" in shown


# ---- bad input -------------------------------------------------------------------------------
@pytest.mark.parametrize("call, words", [
    (lambda: variants.variant_number(None, "ex99-nothing"), "has no variants"),
    (lambda: variants.variant_number("xyz", "ex01-theory"), "64 hexadecimal"),
    (lambda: variants.variant_number("a" * 64, "ex01-theory", {"ex01-theory": 0}), "from 1 to"),
    (lambda: variants.variant_number("a" * 64, "ex01-theory", {"ex01-theory": 9}), "from 1 to"),
    (lambda: variants.parse_overrides("ex01-theory:2"), "SET=VARIANT"),
    (lambda: variants.inputs("ex01-theory", "Q4", 0), "has no variant rule"),
    (lambda: variants.inputs("ex01-theory", "Q1", 7), "from 0 to 4"),
    (lambda: variants.student_key(b"short", "s1"), "at least 16"),
    (lambda: variants.student_key(bytes(32), ""), "student_id"),
])
def test_bad_input_is_a_clear_error(call, words):
    with pytest.raises(VariantError, match=words):
        call()


def test_a_malformed_key_in_the_environment_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(variants.KEY_VARIABLE, "my-name")
    with pytest.raises(VariantError, match="ALLIANCEKIT_VARIANT_KEY is set but is not a key"):
        variants.YourNumbers("ex01-theory")


@pytest.mark.parametrize("text", ["", "abc", "z" * 64, "a" * 63, "a" * 66])
def test_a_malformed_secret_file_is_a_clear_error(tmp_path, text):
    path = tmp_path / "secret"
    path.write_text(text)
    with pytest.raises(VariantError, match="exactly 64 hexadecimal"):
        variants.read_secret(path)


def test_a_secret_file_is_read_back_as_its_32_bytes(tmp_path):
    path = tmp_path / "secret"
    text = variants.new_secret()
    path.write_text(text + "\n")
    assert variants.read_secret(path) == bytes.fromhex(text)
    with pytest.raises(VariantError, match="cannot read"):
        variants.read_secret(tmp_path / "missing")


# ---- what the digests and the question text give away ----------------------------------------


#: Questions whose answer is, by design, the same in every variant (their rule says so).
SAME_IN_EVERY_VARIANT = {("ex01-theory", "Q8")}


def test_no_two_variants_share_a_self_check_digest():
    # the self-check of one variant must not pass a classmate's answer at its own precision
    shared = []
    for set_id, questions in LIBRARY_DIGESTS.items():
        for question, digests in questions.items():
            if (set_id, question) in SAME_IN_EVERY_VARIANT:
                assert len(set(digests)) == 1, (set_id, question)
                continue
            pairs = [(i, j) for i in range(len(digests)) for j in range(i + 1, len(digests))
                     if digests[i] == digests[j]]
            shared += [(set_id, question, pair) for pair in pairs]
    assert not shared, f"variants sharing a digest (set, question, (variant, variant)): {shared}"


def _numbers(option) -> set[str]:
    found = set()
    for value in option.values():
        for v in value.values() if isinstance(value, dict) else (
                value if isinstance(value, list) else [value]):
            if isinstance(v, float) and v != 0.0:
                found.add(f"{v:g}")
            elif isinstance(v, int) and v > 1000:
                found.add(str(v))
    return found


def _varying_numbers(rules, label: str) -> set[str]:
    """The numbers that some variants of a question show and others do not."""
    question = rules.question(label)
    options = rules.question(question.same_as).options if question.same_as else question.options
    each = [_numbers(o) for o in options]
    return set().union(*each) - set.intersection(*each)


@pytest.mark.parametrize("set_id", SETS)
def test_question_text_and_check_messages_quote_no_variant_number(set_id):
    rules = variants.rules(set_id)
    nb = json.loads((ROOT / "exercises" / set_id / f"{set_id}.ipynb").read_text())
    for cell in nb["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
        label = "Q" + grade_id.split("-")[0][1:]
        if label not in rules.questions or not grade_id.endswith(("-text", "-tests")):
            continue
        numbers = _varying_numbers(rules, label)
        source = "".join(cell["source"])
        text = source if grade_id.endswith("-text") else " ".join(
            re.findall(r'"([^"]*)"', source))
        quoted = {n for n in numbers if re.search(rf"(?<![\d.]){re.escape(n)}(?![\d])", text)}
        assert not quoted, f"{set_id} {grade_id} quotes {sorted(quoted)}"
