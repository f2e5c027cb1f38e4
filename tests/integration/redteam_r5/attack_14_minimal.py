"""The smallest form of attack 05, as a student would write it: one line in an extra cell of an
otherwise honest notebook lowers the warm parent's open-file limit. Every later kernel forked from
that parent inherits it."""
from common import Attack

ATTACK = Attack(
    key="s14", name="minimal", followers=("honest", "honest"),
    call="import resource; resource.prlimit(os.getppid(), resource.RLIMIT_NOFILE, (16, 16))",
    expected="refused, or the honest students after it still score as the baseline",
)
