"""Variants of ex07-managing: the alliance's strength and the seed of its futures (Q3, Q8), and the
analyst's scorecard (Q7).

Q3 and Q8: the four cohesive drivers (T, A, I, R) sit at one level between 0.43 and 0.48 (0.45 in
the public variant), the eroding ones as in the lesson. In every variant dissolution without a
shock is unlikely by 2040 (at most 0.11), a crisis of confidence of size 0.6 does more harm than an
external shock of the same size, and the damage of a doubt shock jumps past a tipping size; the
level and seed were chosen so that the tipping size (0.5 to 0.9) differs in every variant, and the
three probabilities of Q3 too.

Q7: in every variant the raw lowest score belongs to an eroding item that is in fact healthy (the
trap), and the weakest item once the eroding scores are turned round is a different one in each
variant: power asymmetry, leadership volatility, domestic opposition, trust and identity,
institutions.
"""
from __future__ import annotations

from alliancekit.variants._rules import Question, SetRules

_ERODING = {"S": 0.4, "L": 0.4, "H": 0.4, "X": 0.1}


def _drivers(level: float) -> dict:
    return {"T": level, "A": level, "I": level, "R": level, **_ERODING}


_FUTURES = (
    {"drivers": _drivers(0.45), "seed": 7},   # public: solutions/
    {"drivers": _drivers(0.43), "seed": 3},
    {"drivers": _drivers(0.44), "seed": 11},
    {"drivers": _drivers(0.47), "seed": 13},
    {"drivers": _drivers(0.48), "seed": 7},
)

_ITEMS = ("shared threat", "alignment of interests", "institutions", "trust and identity",
          "power asymmetry", "leadership volatility", "domestic opposition")


def _scores(*values: float) -> dict:
    return {"scores": dict(zip(_ITEMS, values, strict=True))}


_SCORECARDS = (
    _scores(0.7, 0.6, 0.8, 0.7, 0.9, 0.3, 0.4),   # public: solutions/
    _scores(0.7, 0.6, 0.8, 0.7, 0.4, 0.85, 0.3),
    _scores(0.7, 0.7, 0.6, 0.8, 0.3, 0.4, 0.9),
    _scores(0.8, 0.7, 0.7, 0.25, 0.5, 0.2, 0.6),
    _scores(0.7, 0.6, 0.2, 0.7, 0.6, 0.5, 0.1),
)


def _future_words(v: dict) -> list[str]:
    d = v["drivers"]
    return ["Your inputs:",
            "  drivers = " + ", ".join(f"{k} {d[k]:g}" for k in d)
            + "   (in the dictionary drivers)",
            f"  seed    = {v['seed']}   the seed of your futures (q3[\"seed\"])"]


def _score_words(v: dict) -> list[str]:
    return ["Your analyst's scorecard (0 = absent, 1 = strong; in the dictionary scores):"] + [
        f"  {item:<24} {score:g}" for item, score in v["scores"].items()]


RULES = SetRules(
    set_id="ex07-managing",
    variants=4,
    questions={
        "Q3": Question(_future_words, _FUTURES,
                       answer="p_base <= 0.11 and p_base < p_external < p_confidence <= 0.7"),
        "Q7": Question(_score_words, _SCORECARDS,
                       answer='the letter "b" and a different weakest item in each variant'),
        "Q8": Question(_future_words, same_as="Q3",
                       answer="a tipping size from 0.5 to 0.9, a different one in each variant"),
    },
    fixed={
        "Q1": "recall: which checklist item each warning sign points at",
        "Q2": "a function the student writes; the tests call it on their own inputs, so there "
              "is no number to copy",
    },
    written={"Q5": ("Q3",)},  # "using your results from Q3": the marker sees the owner's inputs
)
