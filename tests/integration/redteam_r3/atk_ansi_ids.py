"""The instructor's terminal and CSV: cell ids the student chose, in the grader's notes.

The summary table and the CSV report name cells in their notes ("huge output cut short: ...",
"timed out (scored as failed): ..."). Student ids with odd characters are flagged (round 2); but a
student also chooses the ids of the cells they add. ansi01 is honest plus two added cells whose
ids carry terminal escapes (clear screen, colour, a window title): one prints 300,000 lines, one
loops past the cell timeout. nbformat's id pattern is [a-zA-Z0-9-_]{1,64}, but reading an invalid
notebook only logs a warning. Expected if it holds: no ESC byte in the grader's output or CSV.
"""
from common import add_code, honest

GROUP = "main"
STUDENT, SET = "ansi01", "ex01-theory"
ESC = "\x1b"
ID_FLOOD = f"f{ESC}[2J{ESC}[1;31mRT-ANSI-FLOOD{ESC}[0m{ESC}]0;rt-pwned{ESC}\\"
ID_LOOP = f"l{ESC}[1;32mRT-ANSI-LOOP{ESC}[0m"


def build() -> dict:
    nb = honest(SET)
    add_code(nb, "for i in range(300000):\n    print(i)", after="q9-answer")
    nb["cells"][[c["id"] for c in nb["cells"]].index("q9-answer") + 1]["id"] = ID_FLOOD
    add_code(nb, "while True:\n    pass", after="q5-answer")
    nb["cells"][[c["id"] for c in nb["cells"]].index("q5-answer") + 1]["id"] = ID_LOOP
    return nb


SUBMISSIONS = {(STUDENT, SET): build}
EXPECT = "no ESC byte from the student's cell ids in the grader's output or CSV report"


def evaluate(rows: dict, course) -> tuple[str, bool]:
    report = (course / "autograded" / f"grading-report-{SET}.csv")
    csv_text = report.read_text(errors="replace") if report.exists() else ""
    row = rows.get(STUDENT, {})
    in_csv = ESC in csv_text
    return (f"auto {row.get('auto_score')}/{row.get('auto_max')}, status {row.get('status')}; "
            f"notes {row.get('notes')!r}; ESC in CSV: {in_csv} (the grader's stdout is checked by "
            f"run_all: see 'ESC in grader output')"), in_csv
