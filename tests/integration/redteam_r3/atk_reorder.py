"""Cell order: does the judge rebuild its names from the gradebook whatever the notebook's order?

nbgrader restores a read-only cell's *source*, not its *place*. Three ex01 students answer with the
PUBLIC variant's numbers (key dropped in their own kernel, as in atk_variant_public), then:

- reorder01 moves the locked input cells (q1-inputs, q9-inputs) to the end of the notebook, so
  that in notebook order Q2's test reads ``q1`` before the judge's own ``q1`` exists;
- delete01 deletes those two cells (nbgrader may put them back somewhere, or not at all);
- setuplast01 also moves the set-up cell (``ak``, ``check``, ``matches``, ``close``, ``mine``) to
  the end, gives every answer a WRONG value and defines ``matches`` and ``close`` in its own
  kernel as functions that always say yes.

If the judge took any of ``q1``, ``q9``, ``mine``, ``matches`` or ``close`` from the student's
kernel, Q2 (no digest; checked only against ``q1``) would pass with public numbers, or wrong
answers would pass. Expected if the judge holds: reorder01 and delete01 at most 6/13 (like
public01), setuplast01 0/13.
"""
import copy

from common import add_code, blank, cell, honest

GROUP = "main"
SET = "ex01-theory"

PUBLIC = r'''
import os as _rt_os
_rt_os.environ.pop("ALLIANCEKIT_VARIANT_KEY", None)
from alliancekit.variants import YourNumbers as _RtYN
_rt_pub = _RtYN("ex01-theory")
mine = _rt_pub
q1 = _rt_pub.show("Q1")
q9 = _rt_pub.show("Q9")
print("RT-PUBLIC", repr(_rt_pub), _rt_pub.show("Q1"))
'''

ALWAYS_YES = r'''
import alliancekit as ak
from alliancekit.checks import check
def matches(*a, **k):
    return True
def close(*a, **k):
    return True
mine = None
q1 = {"own_cinc": 0.01, "partner_cinc": [0.2, 0.05], "threat": 0.5, "alignment": [0.5, 0.5],
      "propensity": [0.5, 0.5], "outside": 0.1}
q9 = {"a": 0.1, "b": 0.1, "c": 0.1, "d": 0.1}
'''

WRONG = {"q1-answer": "margin_q1 = 0.5", "q2-answer": "threshold_threat = 0.5",
         "q3-answer": "k_small, k_large = 0.9, 0.1", "q4-answer": 'answer_q4 = "d"',
         "q5-answer": 'answer_q5 = ["realism"] * 4',
         "q8-answer": 'bug_q8, stays_q8 = "a", True', "q9-answer": 'keeps_q9 = {"a", "b"}'}


def _move_to_end(nb, ids):
    moved = [cell(nb, i) for i in ids]
    nb["cells"] = [c for c in nb["cells"] if c["id"] not in ids] + moved
    return nb


def _public_honest():
    nb = honest(SET)
    nb["cells"] = [c for c in nb["cells"] if c["id"] not in ("q1-inputs", "q9-inputs")] \
        + [copy.deepcopy(cell(nb, "q1-inputs")), copy.deepcopy(cell(nb, "q9-inputs"))]
    add_code(nb, PUBLIC, after="setup")
    return nb


def build_reorder():
    return _public_honest()


def build_delete():
    nb = _public_honest()
    nb["cells"] = [c for c in nb["cells"] if c["id"] not in ("q1-inputs", "q9-inputs")]
    return nb


def build_setuplast():
    nb = blank(SET)
    for cid, src in WRONG.items():
        cell(nb, cid)["source"] = src
    add_code(nb, ALWAYS_YES, after="intro")
    return _move_to_end(nb, ["setup", "q1-inputs", "q9-inputs"])


SUBMISSIONS = {("reorder01", SET): build_reorder, ("delete01", SET): build_delete,
               ("setuplast01", SET): build_setuplast}
EXPECT = "reorder01, delete01 at most 6/13; setuplast01 0/13"


def evaluate(rows: dict, course) -> tuple[str, bool]:
    got, broke = {}, False
    limits = {"reorder01": 6, "delete01": 6, "setuplast01": 0}
    for s, limit in limits.items():
        r = rows.get(s, {})
        got[s] = f"{r.get('auto_score')}/{r.get('auto_max')} {r.get('status')} ({r.get('notes')})"
        try:
            broke |= float(r.get("auto_score")) > limit
        except (TypeError, ValueError):
            pass
    return "\n".join(f"{k}: {v}" for k, v in got.items()), broke
