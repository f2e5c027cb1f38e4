"""Both holes at once: one ex01 notebook for the whole class, no model call, 10 of 13 points.

The digest answers of atk_digest_bruteforce (Q4, Q5, Q8, Q9: 8 points), plus Q2 (2 points) by
way of atk_reorder: the locked q1-inputs cell is deleted, so the judge reads ``q1`` from the
student's kernel, where it is the PUBLIC variant's inputs written as a literal, and
``threshold_threat`` is the public answer written as a literal (0.5258..., computed once from the
public numbers). Right after Q2's test a student cell puts the owner's ``q1`` back (the judge
reads ``q1`` again before each test), so the hidden parts of Q8 and Q9 agree with the digests.
Every student hands in the same file. Expected if variants hold: at most 8/13.
"""
from atk_digest_bruteforce import EX01
from common import add_code, blank, set_source

GROUP = "main"
SET = "ex01-theory"

PUBLIC_Q1 = ('q1 = {"own_cinc": 0.03, "partner_cinc": [0.13, 0.045], "threat": 0.5, '
             '"alignment": [0.7, 0.4], "propensity": [0.25, 0.35], "outside": 0.1}')


def build() -> dict:
    nb = blank(SET)
    for cid, src in EX01.items():
        set_source(nb, cid, src)
    nb["cells"] = [c for c in nb["cells"] if c["id"] != "q1-inputs"]
    set_source(nb, "q2-answer", PUBLIC_Q1 + "\nthreshold_threat = 0.5258259677780264")
    add_code(nb, 'q1 = mine.show("Q1")  # back to my own inputs for the later tests',
             after="q2-tests")
    return nb


SUBMISSIONS = {("combo01", SET): build, ("combo01b", SET): build, ("combo01c", SET): build}
EXPECT = "at most 8/13 each"


def evaluate(rows: dict, course) -> tuple[str, bool]:
    got = {s: rows.get(s, {}).get("auto_score") for s, _ in SUBMISSIONS}
    broke = any(v not in (None, "") and float(v) > 8 for v in got.values())
    return f"auto scores {got}", broke
