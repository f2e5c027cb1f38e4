"""Variants of ex06-small-powers (help under a common shock): the reliabilities and shocks of
Q2, Q8 and Q9, and the strategy comparison of Q3.

Q2: a second partner of the same reliability adds less under a likely, deep common shock than
when partners decide independently, in every variant (reliability 0.55 to 0.75, shock probability
0.4 to 0.6, depth 0.8 or 0.9; with a more reliable partner, above about 0.8, the shocked partner's
lower reliability can make the second one worth *more*, so no variant goes there). The pair of
gains differs from one variant to the next (independent 0.18 to 0.25, correlated 0.13 to 0.18).

Q3: with the default reliability and cost of capability, the best strategy in calm times and
the worst under a common shock came out the same for every shock tried, so each variant sets the
partners' observed honour rate and the cost of own capability as well as the shock. The rates
are the published ones (0.745, Leeds, Long & Mitchell 2000; about 0.50, Berkemeier & Fuhrmann
2018; about 0.2 to 0.3 after 1945, Berkemeier & Fuhrmann's later wars) and one between them; the
costs lie between 0.1 and 0.6 around the default 0.4. The pair (best in calm times, worst under
the shock) is different in every variant: (single patron, diversification), (hedging,
diversification), (single patron, autonomy), (hedging, autonomy), (autonomy, single patron), each
ahead of (or behind) the runner-up by at least 0.025 in net value, so no answer rests on
rounding. Checked with `alliancekit.strategies.compare_strategies`.

Q8: two partners who decide independently; the product of their reliabilities (the bug) is the
chance that *both* help, and the chance that at least one helps differs in every variant.

Q9: partners of one reliability, a target and a common shock; in every variant the correlated
case needs at least three times as many partners as the calm one (3 to 5 calm, 14 to 25
correlated), and the pair of counts differs from one variant to the next.
"""
from __future__ import annotations

from alliancekit.variants._rules import Question, SetRules

_GAINS = (
    {"r": 0.75, "q": 0.5, "phi": 0.8},   # public: solutions/
    {"r": 0.6, "q": 0.5, "phi": 0.8},
    {"r": 0.7, "q": 0.4, "phi": 0.9},
    {"r": 0.55, "q": 0.6, "phi": 0.9},
    {"r": 0.65, "q": 0.6, "phi": 0.8},
)

_STRATEGIES = (
    {"reliability": 0.745, "cost_per_capability": 0.4, "q": 0.25, "phi": 1.0},   # public
    {"reliability": 0.5, "cost_per_capability": 0.2, "q": 0.25, "phi": 1.0},
    {"reliability": 0.6, "cost_per_capability": 0.6, "q": 0.25, "phi": 1.0},
    {"reliability": 0.5, "cost_per_capability": 0.4, "q": 0.2, "phi": 0.5},
    {"reliability": 0.3, "cost_per_capability": 0.1, "q": 0.1, "phi": 1.0},
)

_PAIRS = (
    {"r": [0.6, 0.5]},   # public: solutions/
    {"r": [0.7, 0.4]},
    {"r": [0.5, 0.3]},
    {"r": [0.8, 0.3]},
    {"r": [0.6, 0.25]},
)

_PARTNERS = (
    {"r": 0.5, "target": 0.9, "q": 0.5, "phi": 0.8},   # public: solutions/
    {"r": 0.4, "target": 0.9, "q": 0.5, "phi": 0.8},
    {"r": 0.6, "target": 0.95, "q": 0.5, "phi": 0.8},
    {"r": 0.5, "target": 0.85, "q": 0.6, "phi": 0.8},
    {"r": 0.4, "target": 0.85, "q": 0.4, "phi": 0.9},
)


def _gain_words(v: dict) -> list[str]:
    return ["Your inputs:",
            f"  r   = {v['r']:g}   the reliability of each partner (q2[\"r\"])",
            f"  q   = {v['q']:g}   the probability of the common shock (q2[\"q\"])",
            f"  phi = {v['phi']:g}   its depth: the share of each partner's reliability it "
            "takes away (q2[\"phi\"])"]


def _strategy_words(v: dict) -> list[str]:
    return ["Your inputs (pass the first two to compare_strategies as keyword arguments):",
            f"  reliability         = {v['reliability']:g}   the partners' observed honour "
            "rate (q3[\"reliability\"])",
            f"  cost_per_capability = {v['cost_per_capability']:g}   the cost of each unit of "
            "own capability (q3[\"cost_per_capability\"])",
            f"  q, phi              = {v['q']:g}, {v['phi']:g}   the common shock for the worst "
            "strategy (q3[\"q\"], q3[\"phi\"])"]


def _pair_words(v: dict) -> list[str]:
    first, second = v["r"]
    return ["Your input:",
            f"  r = {v['r']}   the two partners' reliabilities, {first:g} and {second:g} "
            "(q8[\"r\"])"]


def _partner_words(v: dict) -> list[str]:
    return ["Your inputs:",
            f"  r      = {v['r']:g}   the reliability of each partner (q9[\"r\"])",
            f"  target = {v['target']:g}   the probability of help to reach (q9[\"target\"])",
            f"  q, phi = {v['q']:g}, {v['phi']:g}   the likely, deep common shock "
            "(q9[\"q\"], q9[\"phi\"])"]


RULES = SetRules(
    set_id="ex06-small-powers",
    variants=4,
    questions={
        "Q2": Question(_gain_words, _GAINS,
                       answer="gains in [0.18, 0.25] independent and [0.13, 0.18] correlated, "
                              "the correlated one the smaller"),
        "Q3": Question(_strategy_words, _STRATEGIES,
                       answer="two different strategy names; a different pair in each variant"),
        "Q8": Question(_pair_words, _PAIRS,
                       answer='the letter "a" and a probability in [0.65, 0.86]'),
        "Q9": Question(_partner_words, _PARTNERS,
                       answer="3 to 5 partners calm, 14 to 25 correlated (at least three times "
                              "as many)"),
    },
    fixed={
        "Q1": "a function the student writes; the tests call it on their own inputs, so there "
              "is no number to copy",
        "Q4": "recall: which strategy each case illustrates",
        "Q5": "recall: which risk Italy's reasoning in 1914-15 illustrates",
    },
)
