"""1500 nested folders in /tmp and the home: a recursive cleaner in Python 3.11 hits its recursion
limit. Expected to fail closed (a new sandbox), not to reach the next kernel."""
from common import Attack

ATTACK = Attack(
    key="s03", name="deep", call="atk_deep()", followers=("observe", "honest"),
    expected="the observer sees no 'd' folder; the honest student scores as the baseline",
)
