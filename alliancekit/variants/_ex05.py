"""Variants of ex05-erosion: the seed of the Little Entente's simulated futures (Q3, Q4), the
weakened feedback of the sensitivity task (Q8) and the year of the CINC scores (Q7).

Every seed gives 200 futures of the same scenario, so every variant asks the same questions of the
same model; the answers differ by chance alone: the probability of dissolution by 1938 (Q3) and
the mean gap in 1938 (Q4) differ between each pair of variants, while the first likely year and the
year of the largest gap are the same in all (the model's, not the seed's). Q8 removes the feedback
in the public variant (gamma 0, as in solutions/) and halves it (gamma 0.2, default 0.4) in the
keyed ones: in every variant most of the simulated dissolution rests on the feedback, and the
answer differs between each pair. Q7's years are ones in which the three CINC shares are modestly
unequal (Czechoslovakia 43 to 45 per cent), as in 1930.
"""
from __future__ import annotations

from alliancekit.variants._rules import Question, SetRules

_SEEDS = ({"seed": 1}, {"seed": 2}, {"seed": 4}, {"seed": 17}, {"seed": 9})
_FEEDBACK = ({"seed": 1, "gamma": 0.0}, {"seed": 2, "gamma": 0.2}, {"seed": 4, "gamma": 0.2},
             {"seed": 17, "gamma": 0.2}, {"seed": 9, "gamma": 0.2})
_YEARS = ({"year": 1930}, {"year": 1926}, {"year": 1927}, {"year": 1933}, {"year": 1935})


def _seed_words(v: dict) -> list[str]:
    return ["Your input:",
            f"  seed = {v['seed']}   the seed of your 200 simulated futures (q3[\"seed\"])"]


def _feedback_words(v: dict) -> list[str]:
    return ["Your inputs:",
            f"  seed  = {v['seed']}   the same seed as in Q3 (q8[\"seed\"])",
            f"  gamma = {v['gamma']:g}   the feedback's rate to rerun with (q8[\"gamma\"]; "
            "the default is 0.4, 0 removes the feedback)"]


def _year_words(v: dict) -> list[str]:
    return ["Your input:",
            f"  year = {v['year']}   the year of the classmate's CINC scores (q7[\"year\"])"]


RULES = SetRules(
    set_id="ex05-erosion",
    variants=4,
    questions={
        "Q3": Question(_seed_words, _SEEDS,
                       answer="a probability in [0.7, 0.85] and the year 1937"),
        "Q4": Question(_seed_words, same_as="Q3",
                       answer="a mean gap in [0.4, 0.43] and the year 1934"),
        "Q7": Question(_year_words, _YEARS,
                       answer='the letter "b" and an asymmetry index in [0.02, 0.04]'),
        "Q8": Question(_feedback_words, _FEEDBACK, answer="a probability in [0, 0.05]"),
    },
    fixed={
        "Q1": "recall: which mechanism each historical episode illustrates",
        "Q2": "recall: which parameter of the model sets the lag of professed cohesion",
    },
)
