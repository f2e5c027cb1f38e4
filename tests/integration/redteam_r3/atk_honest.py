"""Control: the worked solutions handed in by honest students (each on their own variant)."""
from common import honest

GROUP = "main"
SUBMISSIONS = {("honest01", "ex01-theory"): lambda: honest("ex01-theory"),
               ("honest05", "ex05-erosion"): lambda: honest("ex05-erosion")}
EXPECT = "13/13 autograded points on each set"


def evaluate(rows: dict, course) -> tuple[str, bool]:
    got = {k: rows.get(k[0], {}).get("auto_score") for k in SUBMISSIONS}
    ok = all(str(v).startswith("13") for v in got.values())
    return f"auto scores {got}", not ok   # "success" of a control = something broke
