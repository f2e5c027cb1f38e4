"""SIGSTOP the warm parent (the kernel's parent process, same sandbox)."""
from common import Attack

ATTACK = Attack(
    key="s04", name="sigstop", call="atk_sigstop()", followers=("honest",),
    expected=("the signal is refused, or the grader notices and starts a new sandbox; the honest "
              "student is graded in normal time and scores as the baseline"),
)
