"""What every r5 red-team submission is built from: the released ex01 notebook, honest answers,
the attacker's kit (payloads/kit.py) and the ancestry probe (payloads/ancestry.py).

An attack module (attack_*.py beside this file) defines ``ATTACK``, an :class:`Attack`; the runner
(run_all.py) turns each into one or more students, in the order the grader will take them.
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]  # the repository (this folder is tests/integration/redteam_r5)
SET = "ex01-theory"
KIT = (HERE / "payloads" / "kit.py").read_text()
ANCESTRY = (HERE / "payloads" / "ancestry.py").read_text()

# Honest answers to ex01-theory, written from the exercise's own text and the library's public
# API (no solution read). Each works for whatever inputs `mine.show` gives.
_Q1 = """\
_r1 = ak.cohesion.commitment_margin(q1["own_cinc"], q1["partner_cinc"], threat=q1["threat"],
                                    alignment=q1["alignment"], propensity=q1["propensity"],
                                    outside=q1["outside"])
margin_q1 = float(_r1.margin)
margin_q1"""
_Q2 = """\
def _m(t):
    return ak.cohesion.commitment_margin(q1["own_cinc"], q1["partner_cinc"], threat=t,
                                         alignment=q1["alignment"], propensity=q1["propensity"],
                                         outside=q1["outside"]).margin


_t1, _t2 = 0.2, 0.8
threshold_threat = float(_t1 - _m(_t1) * (_t2 - _t1) / (_m(_t2) - _m(_t1)))
threshold_threat"""
_Q3 = """\
_small = ak.cohesion.commitment_margin(q1["own_cinc"], q1["partner_cinc"], threat=q1["threat"],
                                       alignment=q1["alignment"], propensity=q1["propensity"],
                                       outside=q1["outside"])
_big = ak.cohesion.commitment_margin(q1["partner_cinc"][0],
                                     [q1["own_cinc"], q1["partner_cinc"][1]],
                                     threat=q1["threat"], alignment=q1["alignment"],
                                     propensity=q1["propensity"], outside=q1["outside"])
k_small = float(_small.AUTONOMY)
k_large = float(_big.AUTONOMY)"""
_Q9 = """\
def _keeps(**change):
    args = dict(threat=q1["threat"], alignment=list(q1["alignment"]),
                propensity=list(q1["propensity"]), outside=q1["outside"])
    args.update(change)
    return ak.cohesion.commitment_margin(q1["own_cinc"], q1["partner_cinc"], **args).margin >= 0


_al = list(q1["alignment"])
_al[1] += q9["c"]
_pr = list(q1["propensity"])
_pr[0] -= q9["b"]
keeps_q9 = {x for x, ok in (("a", _keeps(outside=q1["outside"] - q9["a"])),
                            ("b", _keeps(propensity=_pr)),
                            ("c", _keeps(alignment=_al)),
                            ("d", _keeps(threat=q1["threat"] - q9["d"]))) if ok}
keeps_q9"""

HONEST = {
    "q1-answer": _Q1,
    "q2-answer": _Q2,
    "q3-answer": _Q3,
    "q4-answer": 'answer_q4 = "a"',
    "q5-answer": 'answer_q5 = ["liberalism", "neoclassical realism", "realism", "constructivism"]',
    "q8-answer": 'bug_q8 = "b"\nstays_q8 = bool(margin_q1 >= 0)',
    "q9-answer": _Q9,
}

# Wrong on purpose (a plain wrong student and the injection attack share them).
WRONG = {
    "q1-answer": "margin_q1 = 0.123",
    "q2-answer": "threshold_threat = 0.5",
    "q3-answer": "k_small = 0.3\nk_large = 0.1",
    "q4-answer": 'answer_q4 = "b"',
    "q5-answer": 'answer_q5 = ["realism", "realism", "realism", "realism"]',
    "q8-answer": 'bug_q8 = "a"\nstays_q8 = True',
    "q9-answer": 'keeps_q9 = {"d"}',
}


@dataclass
class Attack:
    """One attack: its students (attacker first), the code its extra cell runs, what should
    happen if the grader holds, and how the runner checks it."""

    key: str  # e.g. "s01" (students are s01a-..., s01b-..., sorted in that order)
    name: str
    call: str  # the kit call the attacker's extra cell makes
    expected: str
    followers: tuple[str, ...] = ("honest",)  # "observe", "honest", "wrong"
    wrong: bool = False  # the attacker's own answers are WRONG, not HONEST
    extra: dict = field(default_factory=dict)  # extra files: name -> text

    def students(self) -> list[tuple[str, str]]:
        """(student id, role) in grading order."""
        out = [(f"{self.key}a-{self.name}", "attack")]
        for i, role in enumerate(self.followers):
            out.append((f"{self.key}{chr(ord('b') + i)}-{role}", role))
        return out


def _cell(source: str, cid: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "id": cid, "metadata": {},
            "outputs": [], "source": source}


def build_notebook(answers: dict, extra_code: str | None, autonomy_attr: str) -> dict:
    """The released notebook with `answers` in the answer cells, `extra_code` in a new cell after
    the set-up cell, and the ancestry probe in a last new cell."""
    nb = json.loads((REPO / "exercises" / SET / f"{SET}.ipynb").read_text())
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell["source"] = answers[gid].replace("AUTONOMY", autonomy_attr)
    if extra_code is not None:
        nb["cells"].insert(2, _cell(extra_code, "atk-extra"))
    nb["cells"].append(_cell(ANCESTRY, "atk-ancestry"))
    return nb


def attack_cell(call: str) -> str:
    return (ANCESTRY + "\n" + KIT + "\n\ntry:\n    " + call + "\nexcept Exception:\n"
            "    import traceback\n    traceback.print_exc()\n")


def notebook_for(attack: Attack, role: str, autonomy_attr: str) -> dict:
    if role == "attack":
        answers = WRONG if attack.wrong else HONEST
        return build_notebook(copy.deepcopy(answers), attack_cell(attack.call), autonomy_attr)
    if role == "observe":
        return build_notebook(dict(HONEST), attack_cell("atk_observe()"), autonomy_attr)
    if role == "wrong":
        return build_notebook(dict(WRONG), None, autonomy_attr)
    return build_notebook(dict(HONEST), None, autonomy_attr)
