"""Remove what an r5 attack may have left on the HOST (run as root, after run_all.py):

    .venv/bin/python tests/integration/redteam_r5/cleanup.py --uid 1001 [--uid ...]

- keys described "atk-r5" in the user, user-session and persistent keyrings of each given uid
  (a child process takes that uid, finds the key and invalidates it);
- System V objects with the attack's keys (0x41544b35, 0x41544b36), if any reached the host.
"""
from __future__ import annotations

import argparse
import ctypes
import os
import subprocess

KEYCTL = 250  # x86_64
LIBC = ctypes.CDLL(None, use_errno=True)
LIBC.syscall.restype = ctypes.c_long


def _keyctl(*args) -> int:
    conv = [a if isinstance(a, bytes) else ctypes.c_long(a) for a in args]
    return LIBC.syscall(ctypes.c_long(KEYCTL), *conv)


def clear_keys(uid: int) -> None:
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.setgroups([])
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
            rings = [-4, -5, _keyctl(22, -1, -2)]  # user, user-session, persistent
            for ring in rings:
                while True:
                    key = _keyctl(10, ring, b"user", b"atk-r5", 0)  # KEYCTL_SEARCH
                    if key < 0:
                        break
                    _keyctl(21, key)  # KEYCTL_INVALIDATE
                    print(f"uid {uid}: invalidated key {key} (ring {ring})")
            if rings[2] >= 0 and _keyctl(21, rings[2]) == 0:  # the persistent ring itself
                print(f"uid {uid}: invalidated its persistent keyring {rings[2]}")
            code = 0
        finally:
            os._exit(code)
    os.waitpid(pid, 0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--uid", type=int, action="append", default=[])
    args = ap.parse_args()
    for uid in args.uid:
        clear_keys(uid)
    for flag in ("-M", "-S", "-Q"):
        for key in ("0x41544b35", "0x41544b36"):
            subprocess.run(["ipcrm", flag, key], capture_output=True)
    print(open("/proc/key-users").read())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
