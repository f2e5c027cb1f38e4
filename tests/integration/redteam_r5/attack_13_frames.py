"""One iopub message of two million empty frames: over the relay's part count by far, and heavy
for whoever holds all the frames at once."""
from common import Attack

ATTACK = Attack(
    key="s13", name="frames", call="atk_frames()", followers=("honest",),
    expected=("the relay drops it or gives up (the attacker stopped with a note); the grader's "
              "memory stays bounded; the honest student scores as the baseline"),
)
