"""Variants of ex01-theory (the member calculus): one scenario per variant, shared by Q1-Q3, Q8, Q9.

Every scenario is a small state allied with a large and a middling partner whose margin is
slightly negative (between -0.025 and -0.012), so it leaves "only just" in every variant, as the
questions say; the weaker member always pays the larger autonomy cost (Q3). Q9's four single
changes are shown with their sizes; in every variant each change moves the margin at least 0.004
away from zero (no answer rests on rounding), the threat's fall never keeps the member, and the
set of changes that keep it differs from one variant to the next, so no two variants share
Q9's answer.
"""
from __future__ import annotations

from alliancekit.variants._rules import Question, SetRules


def _scenario(own, partners, threat, alignment, propensity, outside) -> dict:
    return {"own_cinc": own, "partner_cinc": list(partners), "threat": threat,
            "alignment": list(alignment), "propensity": list(propensity), "outside": outside}


_SCENARIOS = (
    _scenario(0.03, [0.13, 0.045], 0.5, [0.7, 0.4], [0.25, 0.35], 0.1),   # public: solutions/
    _scenario(0.025, [0.12, 0.045], 0.5, [0.7, 0.3], [0.2, 0.35], 0.1),
    _scenario(0.03, [0.12, 0.04], 0.55, [0.6, 0.3], [0.25, 0.35], 0.1),
    _scenario(0.03, [0.14, 0.04], 0.5, [0.6, 0.5], [0.25, 0.3], 0.1),
    _scenario(0.025, [0.13, 0.045], 0.5, [0.6, 0.5], [0.25, 0.35], 0.1),
)

_CHANGES = (  # Q9: (a) outside falls by, (b) large partner's propensity falls by,
    #              (c) alignment with the middling partner rises by, (d) threat falls by
    {"a": 0.05, "b": 0.1, "c": 0.2, "d": 0.05},
    {"a": 0.03, "b": 0.1, "c": 0.1, "d": 0.05},
    {"a": 0.02, "b": 0.1, "c": 0.2, "d": 0.05},
    {"a": 0.02, "b": 0.2, "c": 0.1, "d": 0.05},
    {"a": 0.02, "b": 0.2, "c": 0.2, "d": 0.05},
)


def _scenario_words(v: dict) -> list[str]:
    large, middling = v["partner_cinc"]
    return [
        "Your inputs (the small state and its two partners):",
        f"  own_cinc      = {v['own_cinc']:g}   the small state's CINC",
        f"  partner_cinc  = {v['partner_cinc']}   the partners' CINC: large {large:g}, "
        f"middling {middling:g}",
        f"  threat        = {v['threat']:g}   the threat it faces (0 to 1)",
        f"  alignment     = {v['alignment']}   its alignment with each partner",
        f"  propensity    = {v['propensity']}   each partner's propensity to fight",
        f"  outside       = {v['outside']:g}   the value of its outside option",
        "Use them as q1[\"threat\"], q1[\"partner_cinc\"] and so on.",
    ]


def _change_words(v: dict) -> list[str]:
    return [
        "Your four single changes, each made alone to Q1's inputs:",
        f"  (a) its outside option falls by {v['a']:g}",
        f"  (b) the large partner's propensity to fight falls by {v['b']:g}",
        f"  (c) its alignment with the middling partner rises by {v['c']:g}",
        f"  (d) the threat falls by {v['d']:g}",
        "They are also in q9[\"a\"], q9[\"b\"], q9[\"c\"] and q9[\"d\"].",
    ]


RULES = SetRules(
    set_id="ex01-theory",
    variants=4,
    questions={
        "Q1": Question(_scenario_words, _SCENARIOS, answer="a margin in [-0.025, -0.012]"),
        "Q2": Question(_scenario_words, same_as="Q1", answer="a threshold threat in (0, 1)"),
        "Q3": Question(_scenario_words, same_as="Q1",
                       answer="two autonomy costs in (0, 0.25), the small state's the larger"),
        "Q8": Question(_scenario_words, same_as="Q1",
                       answer='the letter "b" and False: the member leaves in every variant'),
        "Q9": Question(_change_words, _CHANGES,
                       answer="a non-empty set of a-c, never d; a different set in each variant"),
    },
    fixed={
        "Q4": "recall of Walt's four sources of threat: a fact about a book, not a computation",
        "Q5": "recall: which theory family each statement comes from",
    },
)
