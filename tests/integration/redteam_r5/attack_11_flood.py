"""A thread that floods iopub for the rest of the kernel's life with small comm_open (widget state,
new comm id each), display_data (new display id each) and stream messages under the latest
request: each under every cap, so the relay passes them."""
from common import Attack

ATTACK = Attack(
    key="s11", name="flood", call="atk_flood()", followers=("honest",),
    expected=("graded within its time limits; the grader's own peak memory stays bounded (a few "
              "hundred MiB); the honest student scores as the baseline"),
)
