"""ex02-patterns, Q1 asks for a function, which the judge calls through a proxy in the student's
kernel; each call that does not return within the cell timeout is interrupted. The attacker's
`share_alive` is right but sleeps just under the timeout on every call, and ignores the
interrupt for good measure on its last call; a control student has the same function without
the sleep. Does the submission still end within the grader's time limits (the cell timeout for
the test cell, --max-seconds for the submission)?

    .venv/bin/python tests/integration/redteam_r5/ex02_slowcall.py --timeout 6 \
        [--jobs 1] [--grade-args ...]

Expected if the grader holds: the attacker's Q1 fails (timed out), its grading time stays within
one or two cell timeouts for that test (or within --max-seconds); the control scores Q1 3/3.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
import run_all  # noqa: E402

SET = "ex02-patterns"
KM = '''\
def _km(frame, t):
    s = 1.0
    for tk in sorted(frame.loc[frame["ended"], "years"].unique()):
        if tk > t:
            break
        n = (frame["years"] >= tk).sum()
        d = ((frame["years"] == tk) & frame["ended"]).sum()
        s *= 1 - d / n
    return float(s)


'''
SLOW = KM + '''\
import time as _time

_calls = []


def share_alive(frame, t):
    """Kaplan-Meier share of alliances still in force t years after they began."""
    _calls.append((round(_time.time(), 2), type(frame).__name__,
                   list(getattr(frame, "shape", ())), repr(t)[:40]))
    _time.sleep(DELAY)
    return _km(frame, t)
'''
FAST = KM + '''\
def share_alive(frame, t):
    """Kaplan-Meier share of alliances still in force t years after they began."""
    return _km(frame, t)
'''


def notebook(q1_source: str) -> dict:
    nb = json.loads((common.REPO / "exercises" / SET / f"{SET}.ipynb").read_text())
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "q1-answer":
            cell["source"] = q1_source
    nb["cells"].append({"cell_type": "code", "execution_count": None, "id": "atk-calls",
                        "metadata": {}, "outputs": [],
                        "source": "print('CALLS', globals().get('_calls', []))"})
    return nb


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--timeout", type=int, default=6)
    ap.add_argument("--limit", type=int, default=900)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--max-seconds", type=int, default=0,
                    help="passed to alliancekit-grade (its per-submission wall-clock limit)")
    ap.add_argument("--grade-args", nargs="*", default=[])
    args = ap.parse_args()
    if os.geteuid() != 0:
        print("run as root", file=sys.stderr)
        return 2
    delay = max(args.timeout - 0.7, 0.5)
    plan = [{"student": "s01a-slowcall", "role": "attack", "attack": "ex02-slowcall",
             "nb": notebook(SLOW.replace("DELAY", str(delay)))},
            {"student": "s01b-control", "role": "honest", "attack": None, "nb": notebook(FAST)}]
    result = run_all.run_one(args.jobs, plan, SET, {"ex02-slowcall": __doc__}, args)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "ex02-slowcall.json").write_text(json.dumps(result, indent=1,
                                                                    default=repr))
    print(run_all.summary(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
