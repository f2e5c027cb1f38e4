"""Variants of ex02-patterns: the horizons at which the ATOP survival curve is read (Q2, Q3, Q8)
and the share of alliances ended in the classmate's claim (Q7).

Every variant reads the same data (ATOP v4.01 alliances begun 1815-2003, observed to 31 December
2003, `alliancekit.cases.durations`) with the same Kaplan-Meier estimate; only where the curve is
read changes, so every variant asks the same questions at the same difficulty.

Q2 and Q8: three horizons, a short, a middle and a long one (from 3 to 35 years); Q8 reads the
middle one. In every variant the share still in force is above 0.7 at the short horizon and below
a half at the long one (a minority survives, as Q6's rubric says), and counting the running
alliances as ended lowers the middle share by a tenth to a quarter (0.10 to 0.26): what honest
treatment of censoring is worth. The shares differ between each pair of variants.

Q3: the horizon at which the eras are compared (6 to 15 years). The well-observed eras (fewer
than 10 % censored: 1815-1913 and 1914-1945) are the same in every variant, and at every one of
these horizons 1914-1945 has the higher share; that share (0.22 to 0.53) differs between each pair
of variants, so the answer is the era and its share.

Q7: the classmate claims that a share q of all alliances ended within the q-quantile of the
recorded durations (q from 0.4 to 0.6; 0.5 is the median of the public variant). In every variant
the Kaplan-Meier time by which that share has ended is longer than the naive quantile, and the
times differ between each pair of variants at the checked precision.
"""
from __future__ import annotations

from alliancekit.variants._rules import Question, SetRules


def _option(horizons, compare, ended) -> dict:
    return {"horizons": list(horizons), "horizon": horizons[1], "compare": compare,
            "ended": ended}


_OPTIONS = (
    _option((5, 10, 25), 10, 0.5),   # public: solutions/
    _option((4, 8, 20), 8, 0.4),
    _option((6, 12, 30), 12, 0.6),
    _option((3, 9, 18), 15, 0.55),
    _option((7, 14, 35), 6, 0.45),
)


def _horizon_words(v: dict) -> list[str]:
    short, middle, long = v["horizons"]
    return ["Your horizons (years after signature, in the list q2[\"horizons\"]):",
            f"  {short}, {middle} and {long}"]


def _era_words(v: dict) -> list[str]:
    return ["Your horizon:",
            f"  compare = {v['compare']}   years after signature (q3[\"compare\"])"]


def _claim_words(v: dict) -> list[str]:
    return ["Your share of alliances ended:",
            f"  ended = {v['ended']:g}   (q7[\"ended\"])"]


def _sensitivity_words(v: dict) -> list[str]:
    return ["Your horizon:",
            f"  horizon = {v['horizon']}   years after signature, the middle one of Q2 "
            "(q8[\"horizon\"])"]


RULES = SetRules(
    set_id="ex02-patterns",
    variants=4,
    questions={
        "Q2": Question(_horizon_words, _OPTIONS,
                       answer="three shares falling from about 0.7 to below 0.5"),
        "Q3": Question(_era_words, same_as="Q2",
                       answer="a well-observed era and its share, a different share in each "
                              "variant"),
        "Q7": Question(_claim_words, same_as="Q2",
                       answer='the letter "a" and a Kaplan-Meier time longer than the naive '
                              "quantile"),
        "Q8": Question(_sensitivity_words, same_as="Q2",
                       answer="a share below the middle share of Q2"),
    },
    fixed={
        "Q1": "a function the student writes; the tests call it on their own data, so there is "
              "no number to copy",
        "Q4": "recall: which three states left ECOWAS",
        "Q5": "recall: which kind of arrangement each example is",
    },
)
