"""Per-student variants: who gets which numbers, and that every variant is a fair, working question.

The variant is a pure function of (key, set, overrides); without a key everyone gets the public
variant, the numbers of solutions/. For every converted set, each variant's worked solution passes
its own tests (hidden ones included), its answers lie in the range its rule states, and a student
who hands in a classmate's answer values scores at most half the autograded points.
"""
from __future__ import annotations

import contextlib
import importlib.util
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


def _script():
    spec = importlib.util.spec_from_file_location("variant_digests",
                                                  ROOT / "scripts" / "variant_digests.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DIGESTS = _script()


@contextlib.contextmanager
def _models_computed_once():
    """Memoise the slow, deterministic model calls of the worked solutions (a Cox refit, a global
    minimum over 2**16 configurations) while the solutions run here many times; each call still
    returns what the library computes for those arguments (tables as fresh copies)."""
    from alliancekit import abrogation, europe1936

    saved = {(m, n): getattr(m, n) for m, n in ((abrogation, "fit"), (europe1936, "predict"))}

    def memo(function):
        def call(*args, **kwargs):
            key = (function.__qualname__, repr(args), repr(sorted(kwargs.items())))
            if key not in _MEMO:
                _MEMO[key] = function(*args, **kwargs)
            value = _MEMO[key]
            return value.copy() if hasattr(value, "iloc") else value
        return call

    for (module, name), function in saved.items():
        setattr(module, name, memo(function))
    try:
        yield
    finally:
        for (module, name), function in saved.items():
            setattr(module, name, function)


_MEMO: dict = {}
with _models_computed_once():
    RUNS = {s: [DIGESTS.run_set(s, v) for v in range(variants.rules(s).variants + 1)]
            for s in SETS}


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


# ---- every variant is a working, fair question -----------------------------------------------
@pytest.mark.parametrize("set_id", SETS)
def test_every_variants_worked_solution_passes_its_own_tests(set_id):
    for variant, run in enumerate(RUNS[set_id]):
        failed = {g: repr(e)[:200] for g, e in run["tests"].items() if e is not None}
        assert not failed, f"{set_id} variant {variant}: {failed}"


def _in_range_ex01(a: dict, changes: dict) -> list[str]:
    wrong = []
    if not -0.025 <= a["margin_q1"] <= -0.012:
        wrong.append("Q1 margin")
    if not 0 < a["threshold_threat"] < 1:
        wrong.append("Q2 threshold")
    if not 0 < a["k_large"] < a["k_small"] < 0.25:
        wrong.append("Q3 autonomy costs")
    if (a["bug_q8"], a["stays_q8"]) != ("b", False):
        wrong.append("Q8")
    if not a["keeps_q9"] or not a["keeps_q9"] <= set("abc"):
        wrong.append("Q9")
    return wrong


def _in_range_ex07(a: dict, changes: dict) -> list[str]:
    wrong = []
    if not (a["p_base"] <= 0.11 and a["p_base"] < a["p_external"] < a["p_confidence"] <= 0.7):
        wrong.append("Q3")
    if a["bug_q7"] != "b" or a["weakest_q7"] not in {
            "power asymmetry", "leadership volatility", "domestic opposition",
            "trust and identity", "institutions"}:
        wrong.append("Q7")
    if not 0.5 <= a["doubt_tipping_size"] <= 0.9:
        wrong.append("Q8")
    return wrong


def _in_range_ex05(a: dict, changes: dict) -> list[str]:
    wrong = []
    if not (0.7 <= a["p_1938"] <= 0.85 and a["first_year_likely"] == 1937):
        wrong.append("Q3")
    if not (0.4 <= a["gap_1938"] <= 0.43 and a["gap_peak_year"] == 1934):
        wrong.append("Q4")
    if not (a["bug_q7"] == "b" and 0.02 <= a["s_year"] <= 0.04):
        wrong.append("Q7")
    if not 0 <= a["p_1938_weak_feedback"] <= 0.05:
        wrong.append("Q8")
    return wrong


def _in_range_ex02(a: dict, changes: dict) -> list[str]:
    wrong = []
    shares = list(a["alive"].values())
    if not (len(shares) == 3 and shares[0] > 0.7 and shares[0] > shares[1] > shares[2]
            and shares[2] < 0.5):
        wrong.append("Q2")
    if not (a["longest_lived_era"] == "1914-1945" and 0.2 <= a["longest_lived_share"] <= 0.55):
        wrong.append("Q3")
    if not (a["bug_q7"] == "a" and 11 <= a["km_time"] <= 20.5):
        wrong.append("Q7")
    if not 0.25 <= a["alive_all_ended"] <= 0.6:
        wrong.append("Q8")
    return wrong


def _in_range_ex03(a: dict, changes: dict) -> list[str]:
    wrong = []
    if sorted(a["answer_q1"]) != list("abcd"):
        wrong.append("Q1")
    if not (a["italy_first_leave"] == 1896 and -0.2 <= a["italy_margin_then"] <= -0.14):
        wrong.append("Q5")
    if not (a["bug_q8"] == "b" and 0.5 <= a["balanced_share"] < 1):
        wrong.append("Q8")
    if not 0.5 <= a["exit_cost_needed"] <= 0.6:
        wrong.append("Q9")
    return wrong


def _in_range_ex04(a: dict, changes: dict) -> list[str]:
    wrong = []
    if not (5 <= a["vs_hungary"] <= 6.5 and 2.4 <= a["germany_early"] <= 2.8
            and 4.3 <= a["germany_late"] <= 5.7):
        wrong.append("Q3")
    if sorted(a["answer_q4"]) != list("abcde"):
        wrong.append("Q4")
    if not (a["bug_q7"] == "b" and 2.2 <= a["germany_q7"] <= 3.3):
        wrong.append("Q7")
    if not 0.45 <= a["with_france"] < 1:
        wrong.append("Q8")
    return wrong


def _in_range_ex06(a: dict, changes: dict) -> list[str]:
    wrong = []
    if not (0.13 <= a["gain_correlated"] <= 0.18 and 0.18 <= a["gain_independent"] <= 0.25
            and a["gain_correlated"] < a["gain_independent"]):
        wrong.append("Q2")
    names = {"single patron", "diversification", "autonomy", "hedging"}
    if not (a["best_calm"] in names and a["worst_correlated"] in names - {a["best_calm"]}):
        wrong.append("Q3")
    if not (a["bug_q8"] == "a" and 0.65 <= round(a["p_at_least_one"], 9) <= 0.86):
        wrong.append("Q8")
    calm, correlated = a["partners_calm"], a["partners_correlated"]
    if not (3 <= calm <= 5 and 14 <= correlated <= 25 and correlated >= 3 * calm):
        wrong.append("Q9")
    return wrong


def _in_range_ex09(a: dict, changes: dict) -> list[str]:
    wrong = []
    if not (0.7 <= a["hr_q1"] <= 2.2 and abs(a["percent_higher"] - (a["hr_q1"] - 1) * 100) < 1e-9):
        wrong.append("Q1")
    if not (a["bug_q5"] == "b" and 0.11 <= a["rate_after_1945"] <= 0.23):
        wrong.append("Q5")
    if not (1.8 <= a["hr_power_low"] <= 2.4
            and "new_outside_alliance" in a["significant_at_high"]):
        wrong.append("Q6")
    return wrong


def _in_range_ex10(a: dict, changes: dict) -> list[str]:
    wrong = []
    if not (12 <= a["count_corrected"] <= 14 and 12 <= a["count_registered"] <= 14
            and a["count_corrected"] + len(a["misplaced_corrected"]) == 17):
        wrong.append("Q1")
    if not (a["bug_q4"] == "b" and a["n_basins_corrected"] == 1
            and -0.15 <= a["energy_corrected"] <= -0.09):
        wrong.append("Q4")
    if not (a["right_registered"] <= set("abcd") and a["right_corrected"] <= set("abcd")):
        wrong.append("Q5")
    return wrong


RANGES = {"ex01-theory": _in_range_ex01, "ex05-erosion": _in_range_ex05,
          "ex07-managing": _in_range_ex07}
RANGES["ex02-patterns"] = _in_range_ex02
RANGES["ex03-europe"] = _in_range_ex03
RANGES["ex04-little-entente"] = _in_range_ex04
RANGES["ex06-small-powers"] = _in_range_ex06
RANGES["ex09-evidence"] = _in_range_ex09
RANGES["ex10-landscape"] = _in_range_ex10


def test_every_converted_set_has_its_stated_ranges_checked_here():
    assert set(RANGES) == set(SETS)


@pytest.mark.parametrize("set_id", SETS)
def test_every_variants_answers_lie_in_the_ranges_the_rules_state(set_id):
    for variant, run in enumerate(RUNS[set_id]):
        assert not RANGES[set_id](run["answers"], {}), (set_id, variant)


@pytest.mark.parametrize("set_id", SETS)
def test_handing_in_a_classmates_answers_scores_at_most_half(set_id):
    runs = RUNS[set_id]
    total = sum(runs[0]["points"].values())
    plain = (int, float, str, bool, list, set, tuple, dict)   # what a student can type
    for own in range(len(runs)):
        for other in range(len(runs)):
            if own == other:
                continue
            copied = {n: v for n, v in runs[other]["answers"].items() if isinstance(v, plain)}
            with _models_computed_once():
                run = DIGESTS.run_set(set_id, own, literals=copied)
            score = sum(p for g, p in run["points"].items() if run["tests"][g] is None)
            assert score <= total / 2, (set_id, own, other, score)


@pytest.mark.parametrize("set_id", SETS)
def test_questions_whose_answers_vary_carry_more_than_half_the_points(set_id):
    runs = RUNS[set_id]
    points = runs[0]["points"]
    varying = 0.0
    for grade_id, pts in points.items():
        label = "Q" + grade_id.split("-")[0][1:]
        if label not in variants.rules(set_id).questions:
            continue
        names = _answer_names(set_id, grade_id)
        values = [tuple(repr(r["answers"][n]) for n in names) for r in runs]
        if len(set(values)) == len(values):
            varying += pts
    assert varying > sum(points.values()) / 2


def _answer_names(set_id: str, test_id: str) -> list[str]:
    answer_id = test_id.replace("-tests", "-answer")
    cells = DIGESTS._cells(set_id)
    source = next(s for k, s, m in cells if m.get("grade_id") == answer_id)
    return DIGESTS._assigned(source)


def test_the_digests_in_the_library_are_those_of_the_solutions():
    with _models_computed_once():
        assert DIGESTS.main(["--check"]) == 0


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


def test_every_set_says_which_autograded_questions_do_not_vary():
    for set_id in SETS:
        rules = variants.rules(set_id)
        graded = {"Q" + g.split("-")[0][1:] for g in RUNS[set_id][0]["points"]}
        assert graded == set(rules.questions) | set(rules.fixed), set_id


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
