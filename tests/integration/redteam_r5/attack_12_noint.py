"""Ignore SIGINT and the control channel's interrupt_request, then spin forever in the attack
cell: the per-cell timeout cannot interrupt it, so only the submission's hard time limit (or the
grader's giving up on the kernel) ends it."""
from common import Attack

ATTACK = Attack(
    key="s12", name="noint", call="atk_noint()", followers=("honest",),
    expected=("the submission ends by the grader's limit (needs attention or timed-out cells), "
              "within --max-seconds; the honest student scores as the baseline"),
)
