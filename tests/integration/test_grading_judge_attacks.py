"""Red team for the trusted judge: submissions that try to decide their own score, and fail.

One class of ex01-theory submissions is graded in the sandbox (two worker processes). Each hostile
student attacks one property of `alliancekit.grading.judging`; each must gain no point, and the
honest students around them must score exactly as before:

- ``b_session``: a blank notebook whose kernel turns every error reply into a success and drops
  error outputs, by replacing its own message session's ``send`` (it beat the in-kernel grader);
- ``b_audit``: a blank notebook with an audit hook (which cannot be removed) that re-installs an
  AST transformer swallowing every exception, after anything the grader could undo;
- ``b_liars``: answers that are subclasses of ``float``, ``str``, ``list`` and ``set`` whose
  ``__eq__``, comparisons and ``__bool__`` always say yes, with ``alliancekit.checks`` patched in
  its own kernel to pass everything;
- ``b_forger``: replaces the kernel's ``user_expressions`` so that the grader's request for answers
  gets forged payloads (a pickle, names of the judge's own ``check`` and ``matches``, broken
  arrays);
- ``b_huge``: good answers, except Q4 (a 40 MB string) and Q5 (a list nested 100,000 deep);
- ``b_loop``: good answers, but its copy of the plain-data encoder loops forever (every hand-over
  times out, is interrupted, and its test fails);
- ``b_flood``: good answers, but its copy of the in-kernel hand-over answers the request for Q4's
  answer with 40 MB (over the grader's cap on a reply, `alliancekit.grading.sandbox.REPLY_BYTES`):
  the reply is refused as it arrives, and the kernel is stopped;
- ``b_printer``: a blank notebook that prints the judge's pass lines itself;
- ``b_hunter``: good answers, plus a last cell that looks for the text of the hidden tests (a
  canary planted in one of them) in every file it can reach and in its own process memory. Its
  search takes seconds, so it is graded alone with a longer cell timeout (the class keeps a short
  one, which ``b_loop`` waits out seven times).

The session attack and the hunter are also graded with ``--unsafe-trust-submissions`` (tests in
the student's kernel, as before this judge), to show that the attacks are real: there the blank
session attack takes every point and the hunter finds the hidden test's canary.

Finally a kernel that kills itself leaves no sandbox or judge folder behind.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import uuid
from pathlib import Path

import ex01_class as ex01
import nbformat
import pytest

from alliancekit import grading
from alliancekit.grading import sandbox

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore:.*not in session")]

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "ex01-theory"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
CELL_TIMEOUT = 5  # b_loop's seven hand-overs each wait this long
HUNT_TIMEOUT = 60  # the hunter reads every file and its whole memory: seconds on a loaded machine
LIMITS = sandbox.Limits(memory_mb=1536, seconds=240)
CANARY = uuid.uuid4().hex
PREFIX = "AKHIDDEN"

if sandbox.sandbox_problem() and not os.environ.get("CI"):
    pytest.skip(f"no grading sandbox here: {sandbox.sandbox_problem()}", allow_module_level=True)

POINTS = ex01.points()
AUTO_MAX = sum(POINTS.values())

SESSION = """\
_session = get_ipython().kernel.session
_send = _session.send
def _forge(stream, msg_or_type, content=None, parent=None, *args, **kwargs):
    if msg_or_type == "error":
        return None
    if (msg_or_type == "execute_reply" and isinstance(content, dict)
            and content.get("status") == "error"):
        content = {"status": "ok", "execution_count": content.get("execution_count", 0),
                   "user_expressions": {}, "payload": []}
    return _send(stream, msg_or_type, content, parent, *args, **kwargs)
_session.send = _forge
"""

AUDIT = """\
import ast, sys
class _Swallow(ast.NodeTransformer):
    def visit_Module(self, node):
        handler = ast.ExceptHandler(type=None, name=None, body=[ast.Pass()])
        body = [ast.Try(body=node.body or [ast.Pass()], handlers=[handler], orelse=[],
                        finalbody=[])]
        return ast.fix_missing_locations(ast.Module(body=body, type_ignores=[]))
def _rearm(event, args):
    shell = get_ipython()
    if shell is not None and not any(isinstance(t, _Swallow) for t in shell.ast_transformers):
        shell.ast_transformers.append(_Swallow())
sys.addaudithook(_rearm)
"""

LIARS = """\
class _Yes:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __lt__(self, other): return True
    __le__ = __gt__ = __ge__ = __lt__
    def __bool__(self): return True
    def __hash__(self): return 0
class LiarFloat(_Yes, float):
    def __abs__(self): return 0.0
    def __sub__(self, other): return LiarFloat(0.0)
    __rsub__ = __add__ = __radd__ = __sub__
class LiarStr(_Yes, str):
    def strip(self, *a): return self
    def lower(self): return self
class LiarList(_Yes, list): pass
class LiarSet(_Yes, set): pass
import alliancekit.checks as _checks
_checks.matches = _checks.close = lambda *args, **kwargs: True
matches = close = _checks.matches
margin_q1 = threshold_threat = k_small = LiarFloat(0.5)
k_large = LiarFloat(0.1)
answer_q4 = bug_q8 = LiarStr("a")
answer_q5 = LiarList(["realism"] * 4)
stays_q8 = True
keeps_q9 = LiarSet({"a"})
"""

FORGER = """\
import base64, json
def _payload(nodes):
    return repr(base64.b64encode(json.dumps({"v": 1, "nodes": nodes}).encode()).decode())
_FORGED = {
    "check": "anything", "matches": {"t": "function"}, "__builtins__": None,
    "margin_q1": {"t": "pickle", "v": "gASVAAAAAAAAAAA="},
    "threshold_threat": {"t": "ndarray", "dtype": "|O", "shape": [1], "b64": "AAAAAAAAAAA="},
    "k_small": {"t": "npscalar", "a": {"t": "ndarray", "dtype": "<f8", "shape": [9],
                                       "b64": "AAAAAAAAAAA="}},
    "answer_q4": {"t": "list", "v": "a"}, "answer_q5": {"t": "function"},
    "bug_q8": {"t": "missing"}, "keeps_q9": {"t": "set", "v": [{"t": "list", "v": []}]},
}
def _user_expressions(expressions):
    return {name: {"status": "ok", "data": {"text/plain": _payload(_FORGED)}, "metadata": {}}
            for name in expressions}
get_ipython().user_expressions = _user_expressions
"""

LOOP = """\
import alliancekit.grading.plaindata as _plain
def _forever(*args, **kwargs):
    while True:
        pass
_plain.encode = _forever
"""

PRINTER = """\
for _q in ("Q1", "Q2", "Q3", "Q4", "Q5", "Q8", "Q9"):
    print(f"[PASS] {_q}: correct, all visible checks pass.")
"""

FLOOD = """\
import alliancekit.grading._inkernel as _handover
_real_answers = _handover.answers
def _flood(names, *args):
    if "answer_q4" in names:
        return "A" * 40_000_000
    return _real_answers(names, *args)
_handover.answers = _flood
"""

HUNTER = f"""\
import os, re
_found = set()
_pattern = re.compile(rb"{PREFIX}([0-9a-f]{{32}})")
_tops = [os.getcwd()]
if os.environ.get("HOME") == "/home/student":  # in the sandbox: all it can write
    _tops += ["/home/student", "/tmp"]
for _top in _tops:
    for _dir, _subdirs, _files in os.walk(_top):
        for _name in _files:
            try:
                with open(os.path.join(_dir, _name), "rb") as _handle:
                    _found |= set(_pattern.findall(_handle.read(20_000_000)))
            except OSError:
                pass
with open("/proc/self/maps") as _maps, open("/proc/self/mem", "rb", 0) as _mem:
    for _line in _maps:
        _span, _perms = _line.split()[:2]
        _start, _end = (int(x, 16) for x in _span.split("-"))
        if not _perms.startswith("rw") or "[v" in _line or _end - _start > 1 << 29:
            continue
        for _at in range(_start, _end, 1 << 24):
            try:
                _mem.seek(_at)
                _found |= set(_pattern.findall(_mem.read(min(1 << 24, _end - _at) + 40)))
            except (OSError, ValueError, OverflowError):
                pass
print("HUNTED", sorted(x.decode() for x in _found))
"""


def _with_cell(nb: nbformat.NotebookNode, source: str) -> nbformat.NotebookNode:
    nb.cells.append(nbformat.v4.new_code_cell(source))
    return nb


def _class() -> dict[str, nbformat.NotebookNode]:
    good = ex01.solution_answers()
    return {
        "a_good": ex01.student(good),
        "b_session": ex01.student({"q1-answer": SESSION}),
        "b_audit": ex01.student({"q1-answer": AUDIT}),
        "b_liars": ex01.student({"q1-answer": LIARS}),
        "b_forger": ex01.student({"q1-answer": FORGER}),
        "b_huge": ex01.student(dict(good, **{
            "q4-answer": 'answer_q4 = "a" * 40_000_000',
            "q5-answer": "answer_q5 = []\nfor _ in range(100_000):\n    answer_q5 = [answer_q5]"})),
        "b_loop": ex01.student(dict(good, **{"q1-answer": good["q1-answer"] + "\n" + LOOP})),
        "b_flood": ex01.student(dict(good, **{"q1-answer": good["q1-answer"] + "\n" + FLOOD})),
        "b_printer": ex01.student({"q1-answer": PRINTER}),
        "z_good": ex01.student(good),
    }


def _hunter() -> nbformat.NotebookNode:
    return _with_cell(ex01.student(ex01.solution_answers()), HUNTER)


def _course(root: Path, students: dict) -> Path:
    shutil.copy(ROOT / "nbgrader_config.py", root)
    shutil.copytree(ROOT / "solutions" / ASSIGNMENT, root / "solutions" / ASSIGNMENT)
    source = root / "solutions" / ASSIGNMENT / NOTEBOOK
    nb = nbformat.read(source, as_version=4)
    for cell in nb.cells:
        if ex01.gid(cell) == "q1-tests":  # a canary in the hidden part of Q1's tests
            cell.source = cell.source.replace(
                "### END HIDDEN TESTS", f'_canary = "{PREFIX}{CANARY}"\n### END HIDDEN TESTS')
            assert CANARY in cell.source
    nbformat.write(nb, source)
    for student, notebook in students.items():
        folder = root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / NOTEBOOK)
    return root


def _graded(course: Path, student: str) -> nbformat.NotebookNode:
    return nbformat.read(course / "autograded" / student / ASSIGNMENT / NOTEBOOK, as_version=4)


def _hunted(course: Path, student: str) -> list[str]:
    text = json.dumps([c.get("outputs", []) for c in _graded(course, student).cells])
    match = re.search(r"HUNTED \[([^\]]*)\]", text)
    assert match, "the hunter's cell did not run to its end"
    return re.findall(r"[0-9a-f]{32}", match.group(1))


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    course = _course(tmp_path_factory.mktemp("judged"), _class())
    results = grading.grade_assignment(ASSIGNMENT, course, timeout=CELL_TIMEOUT, jobs=2,
                                       progress=False, limits=LIMITS)
    return course, {r.student: r for r in results}


@pytest.fixture(scope="module")
def hunted(tmp_path_factory):
    """The hunter graded alone, with a cell timeout its long search cannot reach."""
    course = _course(tmp_path_factory.mktemp("hunted"), {"b_hunter": _hunter()})
    [result] = grading.grade_assignment(ASSIGNMENT, course, timeout=HUNT_TIMEOUT, progress=False,
                                        limits=LIMITS)
    return course, result


@pytest.fixture(scope="module")
def unsafe(tmp_path_factory):
    students = {"b_session": _class()["b_session"], "b_hunter": _hunter()}
    course = _course(tmp_path_factory.mktemp("unsafe"), students)
    results = grading.grade_assignment(ASSIGNMENT, course, timeout=HUNT_TIMEOUT, progress=False,
                                       unsafe=True, limits=LIMITS)
    return course, {r.student: r for r in results}


# --------------------------------------------------------------------------------------------
# Honest students are scored as before
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("student", ["a_good", "z_good"])
def test_honest_students_around_the_attackers_get_every_point(judged, student):
    r = judged[1][student]
    assert (r.status, r.auto_score) == ("graded", AUTO_MAX)


# --------------------------------------------------------------------------------------------
# The kernel's own reply path, hooks and transformers decide nothing
# --------------------------------------------------------------------------------------------
def test_without_the_judge_a_blank_notebook_forging_its_replies_takes_every_point(unsafe):
    assert unsafe[1]["b_session"].auto_score == AUTO_MAX


def test_a_blank_notebook_forging_its_kernels_replies_scores_zero(judged):
    assert judged[1]["b_session"].auto_score == 0.0


def test_an_audit_hook_rearming_an_exception_swallower_scores_zero(judged):
    assert judged[1]["b_audit"].auto_score == 0.0


def test_printed_pass_lines_score_zero_and_never_reach_a_test_cells_outputs(judged):
    course, results = judged
    assert results["b_printer"].auto_score == 0.0
    for cell in _graded(course, "b_printer").cells:
        if cell.cell_type == "code" and ex01.gid(cell) in POINTS:
            assert not any("[PASS]" in str(out.get("text", "")) for out in cell.outputs)


# --------------------------------------------------------------------------------------------
# Only plain data crosses: liars, forgeries, huge, deep and looping values gain nothing
# --------------------------------------------------------------------------------------------
def test_answers_that_lie_in_eq_and_bool_with_checks_patched_score_zero(judged):
    course, results = judged
    assert results["b_liars"].auto_score == 0.0
    text = json.dumps([c.get("outputs", []) for c in _graded(course, "b_liars").cells])
    assert "cannot be graded" in text  # the learner is told why, in plain words


def test_forged_answer_payloads_score_zero_and_cannot_replace_the_judges_names(judged):
    course, results = judged
    assert results["b_forger"].auto_score == 0.0
    assert results["b_forger"].status == "graded"  # a forgery fails tests, not the grader


def test_a_huge_and_a_deeply_nested_answer_fail_only_their_own_questions(judged):
    r = judged[1]["b_huge"]
    assert (r.status, r.auto_score) == ("graded",
                                        AUTO_MAX - POINTS["q4-tests"] - POINTS["q5-tests"])


def test_an_encoder_that_never_returns_costs_its_points_but_not_the_grader(judged):
    r = judged[1]["b_loop"]
    assert (r.status, r.auto_score) == ("graded", 0.0)


def test_a_reply_over_the_cap_is_refused_and_stops_its_kernel(judged):
    r = judged[1]["b_flood"]
    assert (r.status, r.auto_score) == ("needs attention", 0.0)
    assert any(f"reply over {sandbox.REPLY_BYTES // 2 ** 20} MiB" in note for note in r.notes)


# --------------------------------------------------------------------------------------------
# The hidden tests never reach the student's sandbox
# --------------------------------------------------------------------------------------------
def test_without_the_judge_the_hunter_finds_the_hidden_tests_canary_in_its_memory(unsafe):
    assert CANARY in _hunted(unsafe[0], "b_hunter")


def test_the_hidden_tests_text_is_nowhere_in_the_students_files_or_memory(hunted):
    course, result = hunted
    assert CANARY not in _hunted(course, "b_hunter")
    assert result.auto_score == AUTO_MAX


# --------------------------------------------------------------------------------------------
# A dying kernel leaves nothing behind
# --------------------------------------------------------------------------------------------
def test_a_kernel_that_dies_leaves_no_sandbox_or_judge_folder(tmp_path, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    good = ex01.solution_answers()
    dead = ex01.student(dict(good, **{"q3-answer": "import os\nos._exit(1)"}))
    (tmp_path / "course").mkdir()
    course = _course(tmp_path / "course", {"dead": dead})
    [r] = grading.grade_assignment(ASSIGNMENT, course, timeout=CELL_TIMEOUT, progress=False,
                                   limits=LIMITS)
    assert r.status == "needs attention" and "kernel died" in r.notes[0]
    assert sorted(p.name for p in scratch.iterdir() if p.name.startswith("ak-")) == []
