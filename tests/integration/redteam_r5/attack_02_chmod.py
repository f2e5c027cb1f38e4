"""Empty /tmp, /dev/shm and the home, then make them read-only (r-xr-xr-x): a cleaner that only
removes entries finds nothing to do, and the next kernel would get folders it cannot write."""
from common import Attack

ATTACK = Attack(
    key="s02", name="chmod", call="atk_chmod()", followers=("observe", "honest"),
    expected="the observer's /tmp, /dev/shm and home are writable again (or a new sandbox)",
)
