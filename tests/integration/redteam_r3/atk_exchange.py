"""Through nbgrader's exchange, with real Unix users (run as root, on a scratch machine only).

    .venv/bin/python tests/integration/redteam_r3/atk_exchange.py

Two students, rt3a (the attacker) and rt3b (a classmate), fetch ex01 from a scratch exchange.
The set is due in the past, with late work scored zero (``LateSubmissionPlugin.penalty_method``).

- rt3b submits the worked solution.
- rt3a submits the worked solution too (late), then rewrites the ``timestamp.txt`` of its own
  inbound folder to a time before the due date: does grading still see the work as late?
- rt3a then creates, in the shared inbound folder, a folder named as *rt3b's* submission, with a
  newer timestamp and a blank notebook: is it collected as rt3b's work (rt3b graded on the
  attacker's notebook, and the judge given rt3b's id and variant)?

Expected if collection holds: rt3a penalised as late; the forged rt3b folder refused (owned by
another Unix user); rt3b graded on its own notebook (13/13). Users and folders are removed after.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402

EXCHANGE = Path("/tmp/rt3-exchange")
COURSE = Path("/tmp/rt3-xcourse")
USERS = ("rt3a", "rt3b")
SET = "ex01-theory"


def sh(cmd: list[str], user: str | None = None, cwd: Path | None = None,
       check: bool = True) -> subprocess.CompletedProcess:
    env = common.env()
    if user:
        env.update(HOME=f"/home/{user}", USER=user, LOGNAME=user)
        cmd = ["runuser", "-u", user, "--", "env", f"HOME=/home/{user}", f"USER={user}",
               f"PATH={env['PATH']}"] + cmd
    res = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    print(f"$ {' '.join(cmd[-6:])}  -> {res.returncode}")
    if check and res.returncode != 0:
        print(res.stdout[-2000:], res.stderr[-2000:])
        raise SystemExit(1)
    return res


def nbg(*args: str, user: str | None = None, cwd: Path | None = None, check: bool = True):
    return sh([str(common.VENV_BIN / "nbgrader"), *args, f"--Exchange.root={EXCHANGE}"],
              user=user, cwd=cwd, check=check)


def cleanup() -> None:
    for u in USERS:
        subprocess.run(["userdel", "-r", u], capture_output=True)
    shutil.rmtree(EXCHANGE, ignore_errors=True)


def fill(user: str, honest: bool) -> None:
    nb = common.honest(SET) if honest else common.blank(SET)
    path = Path(f"/home/{user}/{SET}/{SET}.ipynb")
    fetched = json.loads(path.read_text())
    by_id = {c["id"]: c for c in nb["cells"]}
    for c in fetched["cells"]:
        if c["id"] in by_id:
            c["source"] = by_id[c["id"]]["source"]
    path.write_text(json.dumps(fetched, indent=1))


def main() -> int:
    cleanup()
    for u in USERS:
        sh(["useradd", "-m", "-s", "/bin/bash", u])
    EXCHANGE.mkdir(mode=0o777)
    os.chmod(EXCHANGE, 0o1777)
    common.make_course(COURSE, Path("/tmp/rt3-secret/variant-secret"))
    with open(COURSE / "nbgrader_config.py", "a") as fh:
        fh.write(f"c.Exchange.root = {str(EXCHANGE)!r}\n")
        fh.write('c.LateSubmissionPlugin.penalty_method = "zero"\n')
    try:
        nbg("generate_assignment", SET, "--force", cwd=COURSE)
        nbg("db", "assignment", "add", SET, "--duedate=2026-12-01 00:00:00 UTC", cwd=COURSE)
        nbg("release_assignment", SET, "--force", cwd=COURSE)
        for u in USERS:
            nbg("fetch_assignment", SET, "--course", "alliancekit", user=u, cwd=Path(f"/home/{u}"))
            fill(u, honest=True)
            nbg("submit", SET, "--course", "alliancekit", user=u, cwd=Path(f"/home/{u}"))
        inbound = EXCHANGE / "alliancekit" / "inbound"
        print("inbound:", sorted(p.name for p in inbound.iterdir()))
        # 1. rt3a back-dates its own submission
        own = [p for p in inbound.iterdir() if p.name.startswith("rt3a+")][0]
        sh(["sh", "-c", f"printf '2026-11-30 12:00:00.000000 UTC' > '{own}/timestamp.txt'"],
           user="rt3a", check=False)
        # 2. rt3a writes a folder named as rt3b's, newer, holding a blank notebook
        forged = inbound / "rt3b+ex01-theory+2026-12-07 23:59:59.000000 UTC+rt3forged"
        blank = Path("/home/rt3a/blank.ipynb")
        blank.write_text(json.dumps(common.blank(SET), indent=1))
        shutil.chown(blank, "rt3a", "rt3a")
        sh(["sh", "-c", f"mkdir '{forged}' && cp {blank} '{forged}/{SET}.ipynb' && "
                        f"printf '2026-11-30 12:00:00.000000 UTC' > '{forged}/timestamp.txt'"],
           user="rt3a", check=False)
        print("inbound after:", sorted(p.name for p in inbound.iterdir()))
        col = sh([str(common.VENV_BIN / "alliancekit-grade"), "collect", SET, "--course",
                  str(COURSE)], check=False)
        print("collect rc", col.returncode, "\n", col.stdout[-3000:], col.stderr[-3000:])
        # 3. the instructor removes the forged folder by hand and collects again
        shutil.rmtree(forged, ignore_errors=True)
        col = sh([str(common.VENV_BIN / "alliancekit-grade"), "collect", SET, "--course",
                  str(COURSE)], check=False)
        print("collect again rc", col.returncode, "\n", col.stdout[-3000:], col.stderr[-3000:])
        for u in USERS:
            p = COURSE / "submitted" / u / SET
            if p.exists():
                ts = (p / "timestamp.txt").read_text() if (p / "timestamp.txt").exists() else "-"
                nb = json.loads((p / f"{SET}.ipynb").read_text())
                answered = "raise NotImplementedError" not in json.dumps(nb)
                print(f"submitted/{u}: timestamp {ts!r}, answered={answered}")
        res = common.grade(COURSE, SET, [], jobs=2)
        print(res["out"][-2500:])
        sh([str(common.VENV_BIN / "nbgrader"), "export", "--to", str(COURSE / "grades.csv")],
           cwd=COURSE, check=False)
        print((COURSE / "grades.csv").read_text() if (COURSE / "grades.csv").exists() else "")
    finally:
        cleanup()
        print("users and exchange removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
