"""Run every r5 red-team attack against `alliancekit-grade` as root, in a crafted temp class.

    .venv/bin/python tests/integration/redteam_r5/run_all.py --jobs 1 --jobs 2 \
        [--only s01,s04] [--keep]

For each --jobs value: a new course in /tmp (the repository's nbgrader_config.py, solutions/ and
exercises/ of ex01-theory), one submission per student of each attack (attacker, then its
followers, named so that they sort in that order, after an honest baseline `s00a-honest` and an
observer `s00b-observe`), graded
with `alliancekit-grade ex01-theory --jobs N`. While it runs the grader's process tree is sampled
(peak memory per process); after it, the report, each student's findings (the lines the attack
and observer cells printed) and the host (files in /tmp and /dev/shm, System V IPC, keys per uid,
processes, cgroups) are compared with before. Results go to
results/jobs<N>.json beside this file.
Not part of CI. The course folder is removed afterwards unless --keep.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402

TAGS = ("ANCESTRY", "LEAVE", "OBSERVE", "CHMOD", "DEEP", "SIGSTOP", "RLIMIT", "INJECT", "FORGE",
        "FLOOD", "NOINT", "FRAMES", "CALLS")


def attacks(only: set[str] | None) -> list[common.Attack]:
    out = []
    for path in sorted(HERE.glob("attack_*.py")):
        mod = importlib.import_module(path.stem)
        if only is None or mod.ATTACK.key in only:
            out.append(mod.ATTACK)
    return out


def ex01_plan(atks: list[common.Attack], autonomy: str) -> list[dict]:
    """Every student of the ex01 class, in grading order, with their notebook."""
    # An honest baseline, then an observer: what does a kernel find of the one before it?
    plan = [{"student": "s00a-honest", "role": "honest", "attack": None},
            {"student": "s00b-observe", "role": "observe", "attack": None}]
    for atk in atks:
        for sid, role in atk.students():
            plan.append({"student": sid, "role": role, "attack": atk.key})
    by_key = {a.key: a for a in atks}
    for row in plan:
        atk = by_key.get(row["attack"])
        if atk is None and row["role"] == "observe":
            row["nb"] = common.build_notebook(dict(common.HONEST),
                                              common.attack_cell("atk_observe()"), autonomy)
        elif atk is None:
            row["nb"] = common.build_notebook(dict(common.HONEST), None, autonomy)
        else:
            row["nb"] = common.notebook_for(atk, row["role"], autonomy)
    return plan


def make_course(plan: list[dict], set_name: str) -> Path:
    course = Path(tempfile.mkdtemp(prefix="atk-r5-course-", dir="/tmp"))
    shutil.copy(common.REPO / "nbgrader_config.py", course)
    for part in ("solutions", "exercises"):
        shutil.copytree(common.REPO / part / set_name, course / part / set_name)
    for row in plan:
        dest = course / "submitted" / row["student"] / set_name
        dest.mkdir(parents=True)
        (dest / f"{set_name}.ipynb").write_text(json.dumps(row["nb"], indent=1))
    return course


# ---------------------------------------------------------------- the host, before and after
def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError as exc:
        return repr(exc)


def _cgroups() -> set[str]:
    out = set()
    for root, dirs, _files in os.walk("/sys/fs/cgroup"):
        out.add(root)
        if root.count("/") > 8:
            dirs[:] = []
    return out


def host_snapshot() -> dict:
    procs = {}
    for pid in (p for p in os.listdir("/proc") if p.isdigit()):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")[:160]
            uid = Path(f"/proc/{pid}/status").read_text().split("Uid:")[1].split()[0]
            procs[pid] = f"uid={uid} {cmd.decode(errors='replace')}"
        except (OSError, IndexError):
            continue
    return {
        "tmp": sorted(os.listdir("/tmp")),
        "shm": sorted(os.listdir("/dev/shm")),
        "ipcs": subprocess.run(["ipcs", "-a"], capture_output=True, text=True).stdout,
        "key-users": _read("/proc/key-users"),
        "procs": procs,
        "cgroups": sorted(_cgroups()),
        "passwd": _read("/etc/passwd").splitlines(),
    }


def host_diff(before: dict, after: dict) -> dict:
    new_procs = {p: c for p, c in after["procs"].items() if p not in before["procs"]}
    return {
        "tmp+": sorted(set(after["tmp"]) - set(before["tmp"])),
        "shm+": sorted(set(after["shm"]) - set(before["shm"])),
        "ipcs-changed": before["ipcs"] != after["ipcs"],
        "ipcs-after": after["ipcs"] if before["ipcs"] != after["ipcs"] else "",
        "key-users-before": before["key-users"],
        "key-users-after": after["key-users"],
        "new-procs": {p: c for p, c in new_procs.items()
                      if any(w in c for w in ("python", "bwrap", "atk", "kernel", "relay"))},
        "cgroups+": sorted(set(after["cgroups"]) - set(before["cgroups"])),
        "passwd+": sorted(set(after["passwd"]) - set(before["passwd"])),
    }


# ---------------------------------------------------------------- the grader's memory
class Sampler(threading.Thread):
    """Peak VmHWM of every process under the grader, read every 0.2 s."""

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root, self.peaks, self.stop = root, {}, threading.Event()

    def tree(self) -> list[int]:
        kids: dict[int, list[int]] = {}
        for pid in (p for p in os.listdir("/proc") if p.isdigit()):
            try:
                raw = Path(f"/proc/{pid}/stat").read_text()
                ppid = int(raw[raw.rindex(")") + 2:].split()[1])
            except (OSError, ValueError):
                continue
            kids.setdefault(ppid, []).append(int(pid))
        out, todo = [], [self.root]
        while todo:
            p = todo.pop()
            out.append(p)
            todo.extend(kids.get(p, []))
        return out

    def run(self) -> None:
        while not self.stop.is_set():
            for pid in self.tree():
                try:
                    st = Path(f"/proc/{pid}/status").read_text()
                    hwm = int(st.split("VmHWM:")[1].split()[0]) if "VmHWM:" in st else 0
                    uid = st.split("Uid:")[1].split()[0]
                    cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")[:140]
                except (OSError, IndexError, ValueError):
                    continue
                key = f"{pid} uid={uid} {cmd.decode(errors='replace')}"
                self.peaks[key] = max(self.peaks.get(key, 0), hwm)
            time.sleep(0.2)


# ---------------------------------------------------------------- reading the results
def findings(course: Path, student: str, set_name: str) -> dict:
    path = course / "autograded" / student / set_name / f"{set_name}.ipynb"
    if not path.exists():
        return {"autograded": False}
    nb = json.loads(path.read_text())
    out: dict = {"autograded": True, "lines": [], "tests": {}}
    for cell in nb["cells"]:
        texts = []
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                texts.append("".join(o.get("text", "")))
            elif "data" in o:
                texts.append("".join(o["data"].get("text/plain", "")))
            elif o.get("output_type") == "error":
                texts.append(f"ERROR {o.get('ename')}: {o.get('evalue')}")
        text = "\n".join(texts)
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        if gid.endswith("-tests"):
            out["tests"][gid] = text[:300]
        for line in text.splitlines():
            if line.split(" ", 1)[0] in TAGS or "Traceback" in line or "Error" in line[:40]:
                out["lines"].append(line[:20000])
    return out


def report_rows(course: Path, set_name: str) -> dict:
    import csv
    path = course / "autograded" / f"grading-report-{set_name}.csv"
    if not path.exists():
        return {}
    with path.open() as fh:
        return {row["student"]: row for row in csv.DictReader(fh)}


def run_one(jobs: int, plan: list[dict], set_name: str, expected: dict, args) -> dict:
    course = make_course(plan, set_name)
    before = host_snapshot()
    venv_bin = common.REPO / ".venv" / "bin"
    env = dict(os.environ, PATH=f"{venv_bin}:{os.environ['PATH']}")
    cmd = [str(venv_bin / "alliancekit-grade"), set_name, "--jobs", str(jobs),
           "--timeout", str(args.timeout)] + args.grade_args
    if args.max_seconds:
        cmd += ["--max-seconds", str(args.max_seconds)]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=course, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    sampler = Sampler(proc.pid)
    sampler.start()
    try:
        output, _ = proc.communicate(timeout=args.limit)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)  # the grader's own process group, started above
        output, _ = proc.communicate()
        output += f"\n[run_all] KILLED after {args.limit} s"
    wall = time.monotonic() - t0
    sampler.stop.set()
    sampler.join()
    time.sleep(3)
    after = host_snapshot()
    rows = report_rows(course, set_name)
    result = {
        "jobs": jobs, "command": " ".join(cmd), "course": str(course), "exit": proc.returncode,
        "wall_s": round(wall, 1), "output_tail": output[-6000:],
        "peaks_kib": dict(sorted(sampler.peaks.items(), key=lambda kv: -kv[1])[:15]),
        "grader_peaks_kib": dict(sorted(((k, v) for k, v in sampler.peaks.items()
                                         if " uid=0 " in f" {k} " and "bwrap" not in k),
                                        key=lambda kv: -kv[1])[:15]),
        "host": host_diff(before, after),
        "students": [],
        "expected": expected,
    }
    for row in plan:
        rep = rows.get(row["student"], {})
        meta = {k: v for k, v in row.items() if k != "nb"}
        result["students"].append({**meta, "status": rep.get("status"),
                                   "auto": f"{rep.get('auto_score')}/{rep.get('auto_max')}",
                                   "secs": rep.get("seconds"), "notes": rep.get("notes"),
                                   "found": findings(course, row["student"], set_name)})
    if not args.keep:
        shutil.rmtree(course, ignore_errors=True)
    return result


def summary(result: dict) -> str:
    lines = [f"jobs={result['jobs']} exit={result['exit']} wall={result['wall_s']} s",
             "student                  role     status           auto    secs  notes"]
    for s in result["students"]:
        lines.append(f"{s['student']:<24} {s['role']:<8} {s['status']!s:<16} {s['auto']:<7} "
                     f"{s['secs']!s:<5} {(s['notes'] or '')[:150]}")
    top = list(result["grader_peaks_kib"].items())[:6]
    lines.append("grader's own peak VmHWM (KiB): " + "; ".join(f"{v} {k[:90]}" for k, v in top))
    lines.append("host diff: " + json.dumps({k: v for k, v in result["host"].items()
                                             if k not in ("key-users-before",)})[:3000])
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, action="append")
    ap.add_argument("--only", help="attack keys, e.g. s01,s04")
    ap.add_argument("--timeout", type=int, default=15, help="the grader's per-cell timeout")
    ap.add_argument("--limit", type=int, default=900, help="seconds before the run is killed")
    ap.add_argument("--autonomy", default="autonomy_cost", help="the K field of commitment_margin")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--max-seconds", type=int, default=0,
                    help="passed to alliancekit-grade (its per-submission wall-clock limit)")
    ap.add_argument("--tag", default="", help="added to the results file's name")
    ap.add_argument("--grade-args", nargs="*", default=[])
    args = ap.parse_args()
    if os.geteuid() != 0:
        print("run as root: the warm kernels are the root mode's", file=sys.stderr)
        return 2
    only = set(args.only.split(",")) if args.only else None
    atks = attacks(only)
    outdir = HERE / "results"
    outdir.mkdir(exist_ok=True)
    plan = ex01_plan(atks, args.autonomy)
    expected = {a.key: a.expected for a in atks}
    for jobs in args.jobs or [1]:
        result = run_one(jobs, plan, common.SET, expected, args)
        name = f"jobs{jobs}" + (f"-{args.tag}" if args.tag else "")
        (outdir / f"{name}.json").write_text(json.dumps(result, indent=1, default=repr))
        print(summary(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
