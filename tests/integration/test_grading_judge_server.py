"""Red team for the judges' parent: a judge that was taken over leaves nothing to the next one.

Each submission's judge is forked from one parent per grading process
(`alliancekit.grading.judgeserver`), in the judge's sandbox. Here a judge plays a judge that a
submission's data took over (it runs code of the test's choosing): it leaves files in every
writable folder (one of them behind a folder it made unreadable), starts a process that would
outlive it, and tries to read its parent's memory. The next judge, forked from the same parent,
finds none of it; and a judge that kills its parent only makes the grader start a new one.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from alliancekit.grading import judging, plaindata, sandbox

if sandbox.sandbox_problem() and not os.environ.get("CI"):
    pytest.skip(f"no grading sandbox here: {sandbox.sandbox_problem()}", allow_module_level=True)

LIMITS = sandbox.Limits(seconds=120)

TAKEN_OVER = """\
import os, subprocess
for folder in ("/tmp", os.environ["HOME"], "/dev/shm"):
    try:
        with open(os.path.join(folder, "left-behind"), "w") as handle:
            handle.write("from the last judge")
    except PermissionError:  # /dev/shm is not the judge's to write when grading as root
        pass
os.makedirs("/tmp/locked/inner")
open("/tmp/locked/inner/file", "w").close()
os.chmod("/tmp/locked/inner", 0)
os.chmod("/tmp/locked", 0)
subprocess.Popen(["sleep", "600"], start_new_session=True)
try:
    with open(f"/proc/{os.getppid()}/mem", "rb") as memory:
        memory.read(1)
    print("REPORT", "parent's memory readable")
except OSError as exc:
    print("REPORT", "parent's memory refused:", type(exc).__name__)
"""

ROOT = Path(__file__).resolve().parents[2]

#: Where the repository or Python lies under /tmp, the sandbox's /tmp holds the empty folders that
#: its read-only bind mounts hang from: nobody left them behind.
BOUND = sorted({p.relative_to("/tmp").parts[0] for p in
                (ROOT, Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve())
                if p.is_relative_to("/tmp") and p != Path("/tmp")})

LOOK = """\
import json, os
print("REPORT", json.dumps({
    "tmp": sorted(n for n in os.listdir("/tmp") if not n.startswith("ak-judge-")
                  and n not in BOUND),
    "home": sorted(os.listdir(os.environ["HOME"])),
    "shm": sorted(os.listdir("/dev/shm")),
    "others": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()
                     and int(p) not in (1, os.getpid(), os.getppid())),
}))
""".replace("BOUND", repr(BOUND))


def _run(code: str) -> str:
    judge = judging.fork_judge(LIMITS, True, [], 60)
    try:
        judge.send({"op": "test", "code": code, "answers": plaindata.pack({})}, 60)
        outputs = judge.receive(60)["outputs"]
    finally:
        judge.close()
    text = "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream")
    errors = [o for o in outputs if o["output_type"] == "error"]
    assert not errors, errors
    return text.split("REPORT ", 1)[1].strip()


@pytest.fixture(scope="module")
def after_a_takeover():
    judging.stop_judges()
    try:
        first = _run(TAKEN_OVER)
        server = judging._SERVER["server"]
        second = json.loads(_run(LOOK))
        same_parent = judging._SERVER["server"] is server
        yield first, second, same_parent
    finally:
        judging.stop_judges()


def test_a_judge_cannot_read_its_parents_memory(after_a_takeover):
    assert after_a_takeover[0].startswith("parent's memory refused")


def test_the_next_judge_comes_from_the_same_parent(after_a_takeover):
    assert after_a_takeover[2]


def test_the_next_judge_finds_no_file_left_behind(after_a_takeover):
    found = after_a_takeover[1]
    assert (found["tmp"], found["home"], found["shm"]) == ([], [], [])


def test_the_next_judge_finds_no_process_left_behind(after_a_takeover):
    assert after_a_takeover[1]["others"] == []


def test_a_judge_that_kills_its_parent_only_gets_a_new_parent_started():
    judging.stop_judges()
    try:
        judge = judging.fork_judge(LIMITS, True, [], 60)
        server = judging._SERVER["server"]
        kill = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)"
        judge.send({"op": "test", "code": kill, "answers": plaindata.pack({})}, 60)
        judge.receive(60)
        judge.close()
        server.process.wait(timeout=30)
        assert json.loads(_run(LOOK))["others"] == []
        assert judging._SERVER["server"] is not server
    finally:
        judging.stop_judges()


def test_a_judge_cannot_make_a_user_namespace():
    code = ("import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"
            "print('REPORT', libc.unshare(0x10000000), os.strerror(ctypes.get_errno()))")
    try:
        assert _run(code) == "-1 Operation not permitted"
    finally:
        judging.stop_judges()
