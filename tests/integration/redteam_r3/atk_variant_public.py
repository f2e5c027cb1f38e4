"""Graded on the public variant? The student drops their key inside their own kernel, rebuilds the
public numbers (``YourNumbers`` without a key), rebinds ``mine``, ``q1`` and ``q9`` to them after
the locked input cells, and answers with the worked solution's code: every answer is the PUBLIC
variant's. If the judge read any of those names from the student's kernel, public answers would
pass. Expected if the judge holds: at most 6 of 13 (INSTRUCTORS.md: a classmate's values as
literals score at most 6 of 13 on ex01), and no more than the literal public answers.
"""
from common import add_code, honest

GROUP = "main"
STUDENT, SET = "public01", "ex01-theory"

DROP = r'''
import os as _rt_os
_rt_os.environ.pop("ALLIANCEKIT_VARIANT_KEY", None)
_rt_os.environ.pop("ALLIANCEKIT_VARIANT_OVERRIDES", None)
from alliancekit.variants import YourNumbers as _RtYN
_rt_pub = _RtYN("ex01-theory")
mine = _rt_pub
print("RT-PUBLIC", repr(_rt_pub), _rt_pub.show("Q1"))
'''


def build() -> dict:
    nb = honest(SET)
    add_code(nb, DROP, after="setup")
    add_code(nb, 'q1 = _rt_pub.show("Q1")\nmine = _rt_pub', after="q1-inputs")
    add_code(nb, 'q9 = _rt_pub.show("Q9")\nmine = _rt_pub', after="q9-inputs")
    return nb


SUBMISSIONS = {(STUDENT, SET): build}
EXPECT = "at most 6/13"


def evaluate(rows: dict, course) -> tuple[str, bool]:
    row = rows.get(STUDENT, {})
    try:
        score = float(row.get("auto_score", "nan"))
    except ValueError:
        score = float("nan")
    return f"auto {row.get('auto_score')}/{row.get('auto_max')}, status {row.get('status')}, " \
           f"notes {row.get('notes')}", score > 6
