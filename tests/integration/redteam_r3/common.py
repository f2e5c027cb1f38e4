"""Shared helpers for the round-3 red team: a scratch class, notebooks to hand in, the grader run.

Written from the instructor-facing documents only (INSTRUCTORS.md, README.md) and the
student's view of a set; nothing here reads the grader's source. Not collected by pytest
(no ``test_`` prefix): ``run_all.py`` drives everything.
"""
from __future__ import annotations

import copy
import csv
import json
import os
import shutil
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
VENV_BIN = REPO / ".venv" / "bin"
SETS = ("ex01-theory", "ex05-erosion")


def env() -> dict[str, str]:
    """The environment the grader and nbgrader need (the venv's bin first on PATH)."""
    out = dict(os.environ)
    out["PATH"] = f"{VENV_BIN}:{out.get('PATH', '')}"
    out.pop("ALLIANCEKIT_VARIANT_KEY", None)
    return out


def make_course(course: Path, secret: Path) -> None:
    """A scratch course with ex01 and ex05 switched to per-student variants."""
    if course.exists():
        shutil.rmtree(course)
    course.mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
    for name in SETS:
        shutil.copytree(REPO / "solutions" / name, course / "solutions" / name)
        shutil.copytree(REPO / "exercises" / name, course / "exercises" / name)
    if not secret.exists():
        secret.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(VENV_BIN / "alliancekit-grade"), "key", "--new-secret", str(secret)],
                       check=True, env=env(), capture_output=True)
    with open(course / "nbgrader_config.py", "a") as fh:
        fh.write("\n# red team r3: variants on\n")
        fh.write(f"c.Variants.secret_file = {str(secret)!r}\n")
        fh.write(f"c.Variants.sets = {list(SETS)!r}\n")


def load(path: Path) -> dict:
    return json.loads(Path(path).read_text())


def _solution_code(src: str) -> str:
    keep = [line for line in src.splitlines()
            if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line]
    return "\n".join(keep)


def honest(set_name: str) -> dict:
    """The released notebook with every code answer filled in from the worked solution."""
    nb = load(REPO / "exercises" / set_name / f"{set_name}.ipynb")
    sol = load(REPO / "solutions" / set_name / f"{set_name}.ipynb")
    answers = {c["id"]: "".join(c["source"]) for c in sol["cells"]
               if c["cell_type"] == "code"
               and c.get("metadata", {}).get("nbgrader", {}).get("solution")}
    for cell in nb["cells"]:
        if cell["id"] in answers:
            cell["source"] = _solution_code(answers[cell["id"]])
    return nb


def blank(set_name: str) -> dict:
    return load(REPO / "exercises" / set_name / f"{set_name}.ipynb")


def cell(nb: dict, cell_id: str) -> dict:
    for c in nb["cells"]:
        if c["id"] == cell_id:
            return c
    raise KeyError(cell_id)


def set_source(nb: dict, cell_id: str, source: str) -> dict:
    cell(nb, cell_id)["source"] = source
    return nb


def prepend(nb: dict, cell_id: str, source: str) -> dict:
    c = cell(nb, cell_id)
    c["source"] = source + "\n" + "".join(c["source"])
    return nb


def add_code(nb: dict, source: str, after: str | None = None) -> dict:
    """A student's own code cell (no nbgrader metadata), after ``after`` or at the end."""
    new = {"cell_type": "code", "execution_count": None, "id": "rt-" + uuid.uuid4().hex[:8],
           "metadata": {}, "outputs": [], "source": source}
    if after is None:
        nb["cells"].append(new)
    else:
        idx = [c["id"] for c in nb["cells"]].index(after)
        nb["cells"].insert(idx + 1, new)
    return nb


def hand_in(course: Path, student: str, set_name: str, nb: dict) -> Path:
    folder = course / "submitted" / student / set_name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    path = folder / f"{set_name}.ipynb"
    path.write_text(json.dumps(copy.deepcopy(nb), indent=1))
    return path


def _tree(root: int) -> list[int]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        kids.setdefault(ppid, []).append(int(d))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, []))
    return out


def _rss_uid(pid: int) -> tuple[int, int, str]:
    rss, uid = 0, -1
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith("Uid:"):
                    uid = int(line.split()[1])
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmd = fh.read().replace(b"\0", b" ").decode(errors="replace")[:120]
    except OSError:
        return 0, -1, ""
    return rss, uid, cmd


def _available() -> int:
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return 0


class Monitor(threading.Thread):
    """Peak RSS of the grader's own processes (the instructor's uid), with a kill switch.

    Sandboxed kernels and judges run under other uids (as root) and are counted apart. When the
    machine's available memory falls below ``floor`` bytes, the grader's process group (which
    this script started) is killed.
    """

    def __init__(self, pid: int, floor: int = 6 << 30) -> None:
        super().__init__(daemon=True)
        self.pid, self.floor = pid, floor
        self.peak_grader = 0        # largest single process of the instructor's uid
        self.peak_grader_cmd = ""
        self.peak_total_grader = 0  # all of the instructor's processes in the tree together
        self.peak_sandbox = 0
        self.killed = False
        self.stop = threading.Event()

    def run(self) -> None:
        me = os.getuid()
        while not self.stop.is_set():
            total = sandbox = 0
            for pid in _tree(self.pid):
                rss, uid, cmd = _rss_uid(pid)
                if uid == me:
                    total += rss
                    if rss > self.peak_grader:
                        self.peak_grader, self.peak_grader_cmd = rss, cmd
                else:
                    sandbox += rss
            self.peak_total_grader = max(self.peak_total_grader, total)
            self.peak_sandbox = max(self.peak_sandbox, sandbox)
            if _available() < self.floor and not self.killed:
                self.killed = True
                try:
                    os.killpg(self.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.1)


def grade(course: Path, set_name: str, students: list[str], jobs: int = 2,
          extra: list[str] | None = None, timeout: int = 1500, floor: int = 3 << 30) -> dict:
    """Run ``alliancekit-grade`` on some students; return exit code, output, peaks, report rows."""
    cmd = [str(VENV_BIN / "alliancekit-grade"), set_name, "--course", str(course),
           "--jobs", str(jobs)]
    for s in students:
        cmd += ["--student", s]
    cmd += extra or []
    t0 = time.time()
    proc = subprocess.Popen(cmd, env=env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    mon = Monitor(proc.pid, floor)
    mon.start()
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        out += "\n[run_all: grader killed after timeout]"
    mon.stop.set()
    mon.join()
    rows = {}
    report = course / "autograded" / f"grading-report-{set_name}.csv"
    if report.exists():
        with open(report, newline="") as fh:
            rows = {r["student"]: r for r in csv.DictReader(fh)}
    return {"rc": proc.returncode, "out": out, "secs": round(time.time() - t0, 1),
            "peak_grader_mb": mon.peak_grader >> 20, "peak_grader_cmd": mon.peak_grader_cmd,
            "peak_total_grader_mb": mon.peak_total_grader >> 20,
            "peak_sandbox_mb": mon.peak_sandbox >> 20, "killed": mon.killed, "rows": rows}


def graded_notebook(course: Path, student: str, set_name: str) -> dict | None:
    path = course / "autograded" / student / set_name / f"{set_name}.ipynb"
    return load(path) if path.exists() else None


def outputs_text(nb: dict | None) -> str:
    """Every text output of a graded notebook, joined (streams, plain text, errors)."""
    if nb is None:
        return ""
    parts = []
    for c in nb["cells"]:
        for o in c.get("outputs", []):
            if "text" in o:
                parts.append("".join(o["text"]))
            for key in ("text/plain", "text/html", "text/markdown"):
                if key in o.get("data", {}):
                    parts.append("".join(o["data"][key]))
            if o.get("output_type") == "error":
                parts.append(o.get("ename", "") + ": " + o.get("evalue", ""))
                parts.append("\n".join(o.get("traceback", [])))
    return "\n".join(parts)


def cell_outputs(nb: dict | None, cell_id: str) -> str:
    if nb is None:
        return ""
    for c in nb["cells"]:
        if c["id"] == cell_id:
            return outputs_text({"cells": [c]})
    return ""
