"""Classmates' variant keys in the process table (run as root, while a grading run is going on).

    .venv/bin/python tests/integration/redteam_r3/atk_keys_ps.py /tmp/rt3-secret/variant-secret

The sandbox is started as ``bwrap ... --setenv ALLIANCEKIT_VARIANT_KEY <key> ...``: the key is a
command-line argument, and /proc/PID/cmdline is readable by every local user unless /proc is
mounted with ``hidepid``. An unprivileged user made for the check (rt3spy, no login shell, no home)
runs ``ps -eo args``; every key it finds is matched against ``alliancekit-grade key`` for the
students of the course being graded. On the one-machine hub the instructor grades on the same
machine where every student has a kernel of their own. Expected if it holds: no key found.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402


def main(secret: str, course: str = "/tmp/rt3-main") -> int:
    subprocess.run(["useradd", "-M", "-s", "/usr/sbin/nologin", "rt3spy"], capture_output=True)
    try:
        seen = subprocess.run(["runuser", "-u", "rt3spy", "--", "ps", "-eo", "args"],
                              capture_output=True, text=True).stdout
    finally:
        subprocess.run(["userdel", "rt3spy"], capture_output=True)
    keys = set(re.findall(r"ALLIANCEKIT_VARIANT_KEY ([0-9a-f]{64})", seen))
    students = sorted(p.name for p in (Path(course) / "submitted").iterdir())
    table = subprocess.run([str(common.VENV_BIN / "alliancekit-grade"), "key", *students,
                            "--variant-secret", secret], capture_output=True, text=True,
                           env=common.env()).stdout
    owners = {line.split("\t")[1]: line.split("\t")[0]
              for line in table.splitlines() if "\t" in line}
    print(f"{len(keys)} keys read by an unprivileged user; of this course's students: "
          f"{sorted(owners[k] for k in keys if k in owners)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
