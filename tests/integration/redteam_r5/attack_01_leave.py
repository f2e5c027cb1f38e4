"""Leave everything behind for the next kernel of the same warm parent: files (hidden, odd names,
a locked folder) in every writable place, Python start-up hooks (sitecustomize, .pth, IPython
startup), keys in the session, user and persistent keyrings, System V shm/sem/msg, a POSIX
message queue, a daemon that ignores signals, hops pids and holds an abstract Unix socket and a
TCP port, the parent reniced and pinned to one CPU, a marker in any shared writable mapping.
An observer follows, then an honest student."""
from common import Attack

ATTACK = Attack(
    key="s01", name="leave", call="atk_leave()", followers=("observe", "honest"),
    expected=("the observer finds none of it (no marker file, hook, key, IPC object, daemon, "
              "socket; nice 0, all CPUs); the honest student scores as the baseline"),
)
