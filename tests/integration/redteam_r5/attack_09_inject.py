"""Wrong answers, plus iopub messages (clear_output, pass lines, an execute_result) under every
request the grader sends after the attack cell (the answer hand-over included), from a patched
user_expressions and a thread. A plain wrong student follows: the attacker must score the same."""
from common import Attack

ATTACK = Attack(
    key="s09", name="inject", call="atk_inject()", wrong=True, followers=("wrong", "honest"),
    expected="the attacker's score equals the plain wrong student's",
)
