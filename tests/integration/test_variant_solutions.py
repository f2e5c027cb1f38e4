"""Every variant of every graded set is a working, fair question (the worked solutions run).

For each set, each variant's worked solution passes its own tests (hidden ones included), its
answers lie in the range its rule states, questions whose answers vary carry more than half the
points, a student who hands in a classmate's answer values scores at most half the autograded
points, and the digests shipped in the library are those of the solutions. These run every
solution in every variant (a few CPU-minutes), so they live with the integration tests; who gets
which variant is specified in tests/unit/test_variants.py.
"""
from __future__ import annotations

import contextlib
import importlib.util
from pathlib import Path

import pytest

from alliancekit import variants

ROOT = Path(__file__).resolve().parents[2]
SETS = variants.sets()


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


def test_every_set_says_which_autograded_questions_do_not_vary():
    for set_id in SETS:
        rules = variants.rules(set_id)
        graded = {"Q" + g.split("-")[0][1:] for g in RUNS[set_id][0]["points"]}
        assert graded == set(rules.questions) | set(rules.fixed), set_id
