"""Lower the warm parent's RLIMIT_FSIZE with prlimit(2) (allowed between processes of one uid,
whatever their dumpable flag): limits are inherited through fork, so every later kernel forked
from that parent would start with them."""
from common import Attack

ATTACK = Attack(
    key="s08", name="rlimit-fsize", call='atk_rlimit("FSIZE")', followers=("observe", "honest"),
    expected=("prlimit is refused, or the next kernel's limits are the grader's own (the observer "
              "prints them); the honest student scores as the baseline"),
)
