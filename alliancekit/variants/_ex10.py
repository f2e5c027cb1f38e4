"""Variants of ex10-landscape (the 1936 landscape, registered and corrected): the weights of the
comparison of the two codings (Q1), the weights of the bug hunt's basins (Q4), and the state and
new weight of the sensitivity task (Q5).

Q1: each variant compares the codings under one weighting: the registered weights (public, 13 and
13 states right), ideology raised to 1.5, war history raised to 1.5, the border weight raised to
3, rivalry dropped. The two counts and the corrected coding's misplaced states differ from one
variant to the next: 12 and 12 with Finland, or Italy, as a fifth misplaced state (ideology 1.5,
war history 1.5); 14 against 13 when rivalry is dropped; and 14 and 14 at border 3, where the
registered coding misplaces Finland, Romania and the USSR and the corrected one Estonia, Latvia
and Poland: the same count from different states. (Dropping war history, an earlier option, was
replaced: the two codings differ only in war history, so without it they are the same input and
the comparison is empty by construction.)

Q4: under each variant's weights the registered landscape has two basins from 500 starts (seed
1) and the corrected one a single, deeper basin, so the bug changes the answer in every variant;
the deepest energy differs from one variant to the next (about -0.099 to -0.142).

Q5: each variant names a state the registered weights put on the wrong side under both codings
(Poland or Romania) and one new value to which each weight is set in turn. The sets of changes
that put it right differ from one variant to the next: public {c} and none; Romania at 0 {b} and
{b}; Poland at 1.5 {d} and none; Romania at 3 none and {d}; Romania at 1.5 none and none.

Only Poland and Romania are offered: Estonia and Latvia, the other two misplaced states, are
"allies" by a judgement (their legations abroad) that lesson 10 itself puts in question, so
"its wartime side" would be a contested outcome; an earlier option used Estonia at 1.5 and was
replaced by Poland at 1.5, with the same answer. Single changes of one weight give only four
distinct non-empty pairs of sets for these states (every value from 0 to 6 was tried), so the
fifth variant's answer is empty under both codings. It is kept on purpose: Romania at 1.5 shows
that no single change to 1.5 moves Romania under either coding, which is lesson 10's point that
nothing dated 1936 or earlier in these factors foresees its turn to Germany.

Every answer was checked with `alliancekit.europe1936.predict` and `alliancekit.landscape.basins`
on the shipped data. Q2 stays fixed: the written Q3 explains its result state by state.
"""
from __future__ import annotations

from alliancekit.variants._rules import Question, SetRules

_STATES = {"POL": "Poland", "ROM": "Romania"}

_CODINGS = (
    {"weights": {}},   # public: solutions/ (the registered weights)
    {"weights": {"ideology": 1.5}},
    {"weights": {"war_history": 1.5}},
    {"weights": {"border": 3.0}},
    {"weights": {"rivalry": 0.0}},
)

_BASINS = (
    {"weights": {}},   # public: solutions/
    {"weights": {"ideology": 1.5}},
    {"weights": {"border": 0.25}},
    {"weights": {"rivalry": 0.5}},
    {"weights": {"war_history": 1.5}},
)

_CHANGES = (
    {"state": "POL", "value": 0.0},   # public: solutions/
    {"state": "ROM", "value": 0.0},
    {"state": "POL", "value": 1.5},
    {"state": "ROM", "value": 3.0},
    {"state": "ROM", "value": 1.5},
)


def _weights_text(weights: dict) -> str:
    if not weights:
        return "{}   (the registered weights, none changed)"
    return repr(weights) + "   (the other weights as registered)"


def _coding_words(v: dict) -> list[str]:
    return ["Your input:", "  weights = " + _weights_text(v["weights"]) + "   (q1[\"weights\"])"]


def _basin_words(v: dict) -> list[str]:
    return ["Your input:", "  weights = " + _weights_text(v["weights"]) + "   (q4[\"weights\"])"]


def _change_words(v: dict) -> list[str]:
    return ["Your inputs:",
            f"  state = {v['state']!r}   {_STATES[v['state']]} (q5[\"state\"])",
            f"  value = {v['value']:g}   the value each weight is set to, one at a time "
            "(q5[\"value\"])"]


RULES = SetRules(
    set_id="ex10-landscape",
    variants=4,
    questions={
        "Q1": Question(_coding_words, _CODINGS,
                       answer="two counts from 12 to 14 and the misplaced states (a different "
                              "answer in each variant)"),
        "Q4": Question(_basin_words, _BASINS,
                       answer='the letter "b", one basin and an energy in [-0.15, -0.09]'),
        "Q5": Question(_change_words, _CHANGES,
                       answer="two sets of letters a-d (possibly empty), a different pair in "
                              "each variant"),
    },
    fixed={
        "Q2": "the border weight raised from 0.5 to 1.5: the written Q3 explains that result "
              "state by state, and its rubric quotes it",
    },
)
