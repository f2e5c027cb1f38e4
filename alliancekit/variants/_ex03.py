"""Variants of ex03-europe: the lettering of the treaties (Q1), the year of the great powers'
network (Q8) and the reliability of Italy's partners in the member calculus (Q5, Q9).

Q1: the same four treaties in every variant (the Dual Alliance, 7 October 1879; the Three
Emperors' Alliance, 18 June 1881; the Triple Alliance, 20 May 1882; the Reinsurance Treaty, 18
June 1887: ATOP v4.01, Langer 1931, in ``alliances.csv``), lettered differently, so the letters of
the right order differ between each pair of variants.

Q8: a year in which the signed network of the six great powers (`alliancekit.europe`) has closed
triangles, not all twenty triples of powers are closed, and some triangles are unbalanced: 1907
(5 of 6 triangles balanced), 1901 (4 of 6), 1904 (3 of 6), 1908 (6 of 7) and 1910 (7 of 10). The
classmate's mistake (dividing by all twenty triples) is a mistake in every one of them, and the
shares differ between each pair of variants.

Q5 and Q9: the partners' reliability r, the one input of Italy's member calculus that no source in
``member_inputs.csv`` fixes (the model's default, 0.75, is the public variant; the keyed ones are
0.6, 0.65, 0.85 and 0.9). The model's verdict turns at the same coded change in every variant:
Italy would first leave in 1896, with a margin from -0.19 to -0.15 that differs between each pair
of variants; the smallest exit cost that keeps it in to 1913 is 0.52 to 0.57 (its lowest margin
is in 1912 in every variant), always well above the 0.2 of Q10's anchor answer, and at least 0.006
apart between variants (the hidden test allows 0.0005).

Q4 does not vary: in every year from 1904 to 1914 in which one power's positive ties bridge the two
camps, that power is Italy, so a question about another year would have the same answer.
"""
from __future__ import annotations

from alliancekit.variants._rules import Question, SetRules

_DUAL = "the Dual Alliance"
_EMPERORS = "the Three Emperors' Alliance"
_TRIPLE = "the Triple Alliance"
_REINSURANCE = "the Reinsurance Treaty"


def _lettered(*treaties: str) -> dict:
    return {"treaties": dict(zip("abcd", treaties, strict=True))}


_TREATIES = (
    _lettered(_TRIPLE, _DUAL, _REINSURANCE, _EMPERORS),   # public: solutions/
    _lettered(_DUAL, _REINSURANCE, _EMPERORS, _TRIPLE),
    _lettered(_REINSURANCE, _EMPERORS, _TRIPLE, _DUAL),
    _lettered(_EMPERORS, _TRIPLE, _DUAL, _REINSURANCE),
    _lettered(_TRIPLE, _EMPERORS, _REINSURANCE, _DUAL),
)
_BALANCE_YEARS = ({"year": 1907}, {"year": 1901}, {"year": 1904}, {"year": 1908}, {"year": 1910})
_RELIABILITY = ({"reliability": 0.75}, {"reliability": 0.6}, {"reliability": 0.85},
                {"reliability": 0.65}, {"reliability": 0.9})


def _treaty_words(v: dict) -> list[str]:
    return ["Your four treaties (in q1[\"treaties\"], by letter):"] + [
        f"  ({letter}) {treaty}" for letter, treaty in v["treaties"].items()]


def _year_words(label: str):
    def words(v: dict) -> list[str]:
        return ["Your year:", f"  year = {v['year']}   ({label}[\"year\"])"]
    return words


def _reliability_words(label: str):
    def words(v: dict) -> list[str]:
        return ["Your input:",
                f"  reliability = {v['reliability']:g}   the probability that Italy's partners "
                f"honour their promise ({label}[\"reliability\"])"]
    return words


RULES = SetRules(
    set_id="ex03-europe",
    variants=4,
    questions={
        "Q1": Question(_treaty_words, _TREATIES,
                       answer="four letters, a different order in each variant"),
        "Q5": Question(_reliability_words("q5"), _RELIABILITY,
                       answer="the year 1896 and a margin in [-0.2, -0.14]"),
        "Q8": Question(_year_words("q8"), _BALANCE_YEARS,
                       answer='the letter "b" and a share in [0.5, 1)'),
        "Q9": Question(_reliability_words("q9"), same_as="Q5",
                       answer="an exit cost in [0.5, 0.6]"),
    },
    fixed={
        "Q2": "recall: why the Entente Cordiale is not coded as an alliance",
        "Q3": "a function the student writes; the tests call it on their own graphs, so there is "
              "no number to copy",
        "Q4": "the bridging power is Italy in every year that has one (1904-1914): a fact of the "
              "case, not an input",
    },
)
