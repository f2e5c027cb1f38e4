"""Self-check digests as an answer oracle: one notebook, the same for every student and every
variant, that calls no model at all. Each answer is found by hashing candidates until the digest of
the student's own variant (``mine.digest``), or the fixed digest in the test, matches.
Discrete answers (letters, lists of labels, sets, bools) and numbers on a coarse grid (ex05's
probabilities are multiples of 1/200, which three decimals pin down exactly) pass the hidden tests
too. Continuous numbers are found only to three decimals, which the hidden tests (1e-9) reject.
Expected: 8/13 on ex01 (Q4, Q5, Q8, Q9) and 8/13 on ex05 (Q1, Q2, Q3, Q8) for ANY student.
"""
from common import blank, set_source

GROUP = "main"

EX01 = {
    "q1-answer": '''from alliancekit.checks import digest as _d
_t = mine.digest("Q1")
margin_q1 = next(x / 1000 for x in range(-1000, 1001) if _d(x / 1000, decimals=3) == _t)
margin_q1''',
    "q4-answer": '''from alliancekit.checks import digest as _d
answer_q4 = next(x for x in "abcd" if _d(x) == "ca978112ca1b")''',
    "q5-answer": '''import itertools
from alliancekit.checks import digest as _d
_fam = ["realism", "liberalism", "constructivism", "neoclassical realism"]
answer_q5 = next(list(p) for p in itertools.product(_fam, repeat=4)
                 if _d(list(p)) == "16a9bcb2b08f")''',
    "q8-answer": '''from alliancekit.checks import digest as _d
bug_q8, stays_q8 = next((b, s) for b in "abcd" for s in (True, False)
                        if _d([b, s]) == mine.digest("Q8"))''',
    "q9-answer": '''import itertools
from alliancekit.checks import digest as _d
keeps_q9 = next(set(c) for n in range(4) for c in itertools.combinations("abc", n)
                if _d(set(c)) == mine.digest("Q9"))
keeps_q9''',
}

EX05 = {
    "q1-answer": '''import itertools
from alliancekit.checks import digest as _d
_m = ["leadership", "domestic politics", "power asymmetry", "external shock"]
answer_q1 = next(list(p) for p in itertools.product(_m, repeat=4)
                 if _d(list(p)) == "a469ddf34310")''',
    "q2-answer": '''from alliancekit.checks import digest as _d
answer_q2 = next(x for x in "abcd" if _d(x) == "2e7d2c03a950")''',
    "q3-answer": '''import pandas as pd
from alliancekit.checks import digest as _d
_t = mine.digest("Q3")
p_1938, first_year_likely = next((k / 200, y) for k in range(201) for y in range(1900, 2001)
                                 if _d([k / 200, y], decimals=3) == _t)
futures = pd.DataFrame({"run": list(range(200)), "year": [1900 + i % 101 for i in range(200)]})
p_1938, first_year_likely''',
    "q8-answer": '''from alliancekit.checks import digest as _d
p_1938_weak_feedback = next(k / 200 for k in range(201)
                            if _d(k / 200, decimals=3) == mine.digest("Q8"))
p_1938_weak_feedback''',
}


def _build(set_name, answers):
    def build():
        nb = blank(set_name)
        for cid, src in answers.items():
            set_source(nb, cid, src)
        return nb
    return build


SUBMISSIONS = {("digest01", "ex01-theory"): _build("ex01-theory", EX01),
               ("digest01b", "ex01-theory"): _build("ex01-theory", EX01),
               ("digest05", "ex05-erosion"): _build("ex05-erosion", EX05),
               ("digest05b", "ex05-erosion"): _build("ex05-erosion", EX05)}
EXPECT = "8/13 on each set for every student, with no call to the model"


def evaluate(rows: dict, course) -> tuple[str, bool]:
    got = {s: f"{rows.get(s, {}).get('auto_score')}/{rows.get(s, {}).get('auto_max')}"
           for s, _ in SUBMISSIONS}
    ok = all(v.startswith("8") for v in got.values())
    return f"auto scores {got}", ok
