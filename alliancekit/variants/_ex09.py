"""Variants of ex09-evidence (re-running published findings): the variable read from the fitted
abrogation model (Q1), the coding and kind of pact of the bug hunt's rate after 1945 (Q5), and the
two power-shift thresholds of the sensitivity task (Q6).

Q1: each variant reads the hazard ratio of one of the five hypotheses' variables from the one
fitted model the set-up cell shows (new outside alliance 2.18 in the public variant; power shift
1.70, regime change 1.38, democracy 0.75, linkage 0.83): the same reading of a table, with a
different row; two of the five lower the hazard, so the percentage is negative there.

Q5: the bug (the ``sample`` flag) is the same in every variant; the rate the classmate meant is
taken, on the cases from 1945 on, under Berkemeier & Fuhrmann's or the re-created Leeds, Long &
Mitchell coding, over every pact or over the pacts carrying one obligation (ATOP's ``defense`` or
``consul`` flag; a pact may carry several). Each counts at least 30 commitments, every rate lies
between 0.11 and 0.23 (BF all 11 of 53, LLM all 12 of 54, BF defence 5 of 42, LLM defence 6 of
43, BF consultation 5 of 30), and no two are equal to the third decimal.

Non-aggression pacts are not offered, although Berkemeier & Fuhrmann report them: in the file a
row whose only obligation at stake was non-aggression is set aside (``nonagg…`` = 1, never also
coded violated) while rows of pure non-aggression pacts coded violated are counted, so on the
cases from 1945 on 108 rows of non-aggression pacts are set aside against 28 counted (5
honoured). A rate over them measures that rule more than how reliable the pacts were; the question
would teach the wrong reading.

Q6: the lower threshold's power-shift hazard ratio differs from one variant to the next (2.38,
2.23, 2.09, 1.89, 2.25 to two decimals); at the higher threshold new outside alliances stay
significant in every variant and power shifts in some.

Checked by refitting `alliancekit.abrogation.fit` and `alliancekit.fulfilment.honour_rate` on the
shipped data; Q2 and Q3 read the one model and the Leeds, Long & Mitchell cases that the written
Q4 argues from, so they stay fixed.
"""
from __future__ import annotations

from alliancekit.variants._rules import Question, SetRules

_MEANING = {  # what 1 means for each variable (alliancekit.abrogation.VARIABLES, shortened)
    "new_outside_alliance": "a member entered an ATOP alliance without its partner this year or "
                            "last year",
    "power_shift": "a member's CINC score has moved by more than 25 % since signing",
    "regime_change": "a member's polity2 score has moved by 3 points or more since signing",
    "democracy": "at least one member is a democracy this year (polity2 of 6 or more)",
    "linkage": "the treaty provides for economic aid or comes with a companion agreement",
}

_OBLIGATION = {"defense": "a promise of defence", "consul": "a promise to consult"}

_VARIABLES = tuple({"variable": v} for v in (
    "new_outside_alliance",   # public: solutions/
    "power_shift", "regime_change", "democracy", "linkage"))

_RATES = (
    {"coding": "BF", "pacts": "all"},   # public: solutions/
    {"coding": "LLM", "pacts": "all"},
    {"coding": "BF", "pacts": "defense"},
    {"coding": "LLM", "pacts": "defense"},
    {"coding": "BF", "pacts": "consul"},
)

_THRESHOLDS = (
    {"low": 0.1, "high": 0.5},   # public: solutions/
    {"low": 0.15, "high": 0.6},
    {"low": 0.2, "high": 0.4},
    {"low": 0.225, "high": 0.75},
    {"low": 0.3, "high": 0.6},
)


def _variable_words(v: dict) -> list[str]:
    return ["Your input:",
            f"  variable = {v['variable']}   (q1[\"variable\"]): 1 when "
            f"{_MEANING[v['variable']]}"]


def _rate_words(v: dict) -> list[str]:
    lines = ["Your inputs:",
             f"  coding = {v['coding']!r}   the coding to count with (q5[\"coding\"])"]
    pacts = v["pacts"]
    if pacts == "all":
        return lines + ["  pacts  = 'all'   the rows to count: every pact (q5[\"pacts\"])"]
    return lines + [f"  pacts  = {pacts!r}   the rows to count: the pacts with {pacts} == 1 "
                    "only (q5[\"pacts\"]),",
                    f"           whose treaty carries {_OBLIGATION[pacts]}, beside any others"]


def _threshold_words(v: dict) -> list[str]:
    return ["Your inputs (power_threshold is a share: the lesson's 0.25 is 25 %):",
            f"  low  = {v['low']:g}   the lower power-shift threshold (q6[\"low\"])",
            f"  high = {v['high']:g}   the higher power-shift threshold (q6[\"high\"])"]


RULES = SetRules(
    set_id="ex09-evidence",
    variants=4,
    questions={
        "Q1": Question(_variable_words, _VARIABLES,
                       answer="a hazard ratio in [0.7, 2.2] and (ratio - 1) x 100"),
        "Q5": Question(_rate_words, _RATES,
                       answer='the letter "b" and a rate in [0.11, 0.23]'),
        "Q6": Question(_threshold_words, _THRESHOLDS,
                       answer="a hazard ratio in [1.8, 2.4] and a set holding "
                              "new_outside_alliance"),
    },
    fixed={
        "Q2": "reads the whole table of the one replication model (the significant variables); "
              "Q1 and Q6 vary around that model",
        "Q3": "the plain and generous rates on Leeds, Long & Mitchell's own cases, which the "
              "written Q4 argues from: a fact of the file that the rubric quotes",
    },
)
