"""Red team: a kernel's messages are bounded whole, so the grader's memory stays bounded.

ZMQ's ``MAXMSGSIZE`` bounds each frame of a message, not their number, and ZMQ hands a message
over only once every frame has arrived. Before the relay (`alliancekit.grading.relay`), a kernel
that attached many 32 MiB "buffers" to a hand-over reply made the grader hold all of them (3 GB
seen, 13/13, no note), and one 160 MiB frame on an output message was accepted whole (red team
round 3, R2 and R3). One small class is graded, in a fresh process whose peak memory is measured:

- ``b_frames``: honest answers, but every hand-over reply carries 24 buffers of 32 MiB (768 MiB);
- ``b_iopub``: honest answers, plus one output message with a 160 MiB frame;
- ``c_flood``: honest answers, but its first execute reply goes out 21 times, 20 of them padded
  with 4 MiB (each under the reply cap; the grader's ZMQ would queue them all, read or not);
- ``d_relay_dies``: honest answers, but its relay is killed while its kernel runs;
- ``a_good``: the honest control.

How the peak is measured, and why not with ``ru_maxrss``: ``getrusage(RUSAGE_SELF).ru_maxrss``
of a process started with fork or vfork and exec begins at its parent's memory (Linux copies the
parent's high-water mark at fork, and at exec records the old address space's mark; CPython's
subprocess uses vfork, so the mark is the parent's *peak*). This test's first version measured
that way: alone, the parent (pytest) was small and the grader's peak read 130-200 MiB; in CI, in
a pytest-xdist worker that had run hundreds of tests before, the same grading read 741 MiB, the
worker's own peak, not the grader's. Run from a pytest process that had first peaked at 760 MiB,
on a loaded machine, this grading reads 788 MiB by ``ru_maxrss`` and 144 MiB by ``VmHWM``.
``VmHWM`` in ``/proc/self/status`` is the high-water mark of the grading process's own address
space, made new at its exec: what the grader itself held.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import ex01_class as ex01
import nbformat
import pytest

from alliancekit.grading import sandbox

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore:.*not in session")]

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "ex01-theory"
MiB = 2 ** 20
#: The grader's own peak memory allowed while grading this class (honest grading: about 130 MiB).
GRADER_PEAK_MIB = 400

if sandbox.sandbox_problem() and not os.environ.get("CI"):
    pytest.skip(f"no grading sandbox here: {sandbox.sandbox_problem()}", allow_module_level=True)

FRAMES = """
_k = get_ipython().kernel
_send, _big = _k.session.send, memoryview(bytearray(32 << 20))
def _many(stream, t, content=None, parent=None, *a, **kw):
    if t == "execute_reply" and (parent or {}).get("content", {}).get("user_expressions"):
        kw["buffers"] = [_big] * 24
    return _send(stream, t, content, parent, *a, **kw)
_k.session.send = _many
"""

IOPUB = """
_k = get_ipython().kernel
_k.session.send(_k.iopub_socket, "stream", {"name": "stdout", "text": "x"},
                _k.get_parent("shell"), buffers=[memoryview(bytearray(160 << 20))])
"""

FLOOD = """
_k = get_ipython().kernel
_send, _pad = _k.session.send, "y" * (4 << 20)
def _flood(stream, t, content=None, parent=None, *a, **kw):
    if t == "execute_reply" and not _flood.done:
        _flood.done = True
        for _ in range(20):
            _send(stream, t, dict(content or {}, pad=_pad), parent, *a, **kw)
    return _send(stream, t, content, parent, *a, **kw)
_flood.done = False
_k.session.send = _flood
"""

SLOW = """
import time
time.sleep(8)
"""

GRADE = """
import json, re, resource, sys, threading
from pathlib import Path
from alliancekit import grading
from alliancekit.grading import sandbox

start_relay = sandbox.SandboxKernelManager._start_relay
def _start_relay(manager):  # d_relay_dies: its relay is killed 3 s after its kernel started
    start_relay(manager)
    if manager.submission is not None and manager.submission.student == "d_relay_dies":
        threading.Timer(3.0, manager._relay.process.kill).start()
sandbox.SandboxKernelManager._start_relay = _start_relay

results = grading.grade_assignment(sys.argv[1], sys.argv[2], timeout=10, jobs=1, progress=False,
                                   limits=sandbox.Limits(memory_mb=1536, seconds=240))
status = Path("/proc/self/status").read_text()
print(json.dumps({"peak_mib": int(re.search(r"VmHWM:\\s*(\\d+) kB", status).group(1)) / 1024,
                  "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "results": {r.student: [r.status, r.auto_score, list(r.notes)]
                              for r in results}}))
"""


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = tmp_path_factory.mktemp("caps")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions" / ASSIGNMENT, course / "solutions" / ASSIGNMENT)
    good = ex01.solution_answers()
    students = {"a_good": good,
                "b_frames": dict(good, **{"q1-answer": good["q1-answer"] + FRAMES}),
                "b_iopub": dict(good, **{"q1-answer": good["q1-answer"] + IOPUB}),
                "c_flood": dict(good, **{"q1-answer": good["q1-answer"] + FLOOD}),
                "d_relay_dies": dict(good, **{"q1-answer": good["q1-answer"] + SLOW})}
    for student, answers in students.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(ex01.student(answers), folder / ex01.NOTEBOOK)
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    run = subprocess.run([sys.executable, "-c", GRADE, ASSIGNMENT, str(course)], env=env,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_the_grader_holds_no_oversized_message_while_grading(graded):
    """The grading process's own peak (see the module docstring); ru_maxrss shown for contrast."""
    print(f"grader peak {graded['peak_mib']:.0f} MiB (VmHWM); ru_maxrss "
          f"{graded['maxrss_mib']:.0f} MiB, which counts the parent's peak")
    assert graded["peak_mib"] < GRADER_PEAK_MIB, graded


def test_the_honest_control_gets_every_point(graded):
    status, score, _ = graded["results"]["a_good"]
    assert (status, score) == ("graded", sum(ex01.points().values()))


def test_a_reply_of_many_frames_under_the_frame_cap_is_refused_with_a_note(graded):
    status, score, notes = graded["results"]["b_frames"]
    assert (status, score) == ("needs attention", 0.0)
    assert any("larger than the grader's relay could hold" in n for n in notes), notes


def test_an_output_message_with_a_huge_frame_is_dropped_with_a_note(graded):
    status, score, notes = graded["results"]["b_iopub"]
    assert status == "graded"  # the student's answers are still judged
    assert score == sum(ex01.points().values())
    assert any("output message(s) over the grader's budget" in n
               and "160 MiB" in n for n in notes), notes


def test_replies_the_grader_did_not_ask_for_are_dropped_with_a_note(graded):
    """One reply per request passes (here the first copy); the other 20 are dropped unread."""
    status, score, notes = graded["results"]["c_flood"]
    assert (status, score) == ("graded", sum(ex01.points().values())), notes
    assert any("message(s) the grader had not asked for" in n for n in notes), notes


def test_a_submission_whose_relay_dies_fails_with_a_note_and_is_not_graded(graded):
    """No other way to the kernel exists: without its relay the kernel is stopped, never graded."""
    status, score, notes = graded["results"]["d_relay_dies"]
    assert (status, score) == ("needs attention", 0.0)
    assert any("message relay to its kernel stopped" in n for n in notes), notes
