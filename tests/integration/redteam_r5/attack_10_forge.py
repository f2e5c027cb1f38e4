"""Shell replies for the next five requests, their ids predicted from the current one
(session_pid_count), sent before the grader sends them."""
from common import Attack

ATTACK = Attack(
    key="s10", name="forge", call="atk_forge()", followers=("honest",),
    expected=("the forged replies are dropped (the attacker ends as a dead kernel: needs "
              "attention, 0, a note); the honest student scores as the baseline"),
)
