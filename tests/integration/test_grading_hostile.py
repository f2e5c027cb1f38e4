"""`alliancekit-grade` against submissions that attack the grader, on the real kernel.

One small class of ex01-theory submissions, one per line of the threat model, each written by a
student who knows the course's absolute path (the worst case):

- ``b_swallow_ast``: an AST transformer wraps every later cell in try/except (answers all blank);
- ``b_swallow_input``: an input transformer does the same, with ``set_custom_exc`` and
  ``sys.excepthook`` replaced too;
- ``b_write``: writes a file into ``solutions/``, blanks another student's submission, and starts a
  background process that rewrites the gradebook (50 points for itself, 0 for another student);
- ``b_patch``: two wrong answers, ``alliancekit.checks`` patched in memory and rewritten on disk;
- ``b_read``: reads a canary file and the worked solutions from ``solutions/`` and runs them;
- ``b_resources``: forks 100 processes, maps 3 GiB of private memory (untouched), writes a
  16 MiB file, opens a socket;
- ``b_lock`` (a class of its own, ``--jobs 2``): a background process holds the gradebook lock.

Victims: ``a0_good`` (perfect, graded first), ``z_victim`` (perfect, graded after the writer) and
``z_wrong`` (Q4 and Q5 wrong, graded after the patcher).

Every attack is first shown to *succeed* with ``unsafe=True`` (``--unsafe-trust-submissions``),
where the library the kernels import is a scratch copy, then to fail in the sandbox. The sandboxed
class is graded by one worker process, so every victim is graded after its attacker in the same
process (the harder case for anything an attack leaves behind); grading by two worker processes
meets hostile classes in test_grading_judge_attacks.py and in this module's lock class.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import time
import uuid
from pathlib import Path

import ex01_class as ex01
import nbformat
import pytest
from nbgrader.preprocessors import LimitOutput

from alliancekit import grading
from alliancekit.grading import sandbox

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore:.*not in session")]

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "ex01-theory"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
CELL_TIMEOUT = 10
MARKER = "AK-HOSTILE-DAEMON"
LIMITS = sandbox.Limits(memory_mb=1024, processes=48, file_mb=8, seconds=120)
CANARY = f"canary-{uuid.uuid4().hex}"

if sandbox.sandbox_problem() and not os.environ.get("CI"):
    pytest.skip(f"no grading sandbox here: {sandbox.sandbox_problem()}", allow_module_level=True)


# --------------------------------------------------------------------------------------------
# The class
# --------------------------------------------------------------------------------------------

POINTS = ex01.points()
AUTO_MAX = sum(POINTS.values())  # autograded points of ex01-theory


def _daemon(code: str) -> str:
    """Student code that starts ``code`` in a detached background process."""
    return (
        "import subprocess, sys\n"
        f"subprocess.Popen([sys.executable, '-c', {code!r} + '# {MARKER}'],\n"
        "                 start_new_session=True, stdin=subprocess.DEVNULL,\n"
        "                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n")


SWALLOW_AST = """\
import ast
class _Swallow(ast.NodeTransformer):
    def visit_Module(self, node):
        handler = ast.ExceptHandler(type=None, name=None, body=[ast.Pass()])
        body = [ast.Try(body=node.body or [ast.Pass()], handlers=[handler], orelse=[],
                        finalbody=[])]
        return ast.fix_missing_locations(ast.Module(body=body, type_ignores=[]))
get_ipython().ast_transformers.append(_Swallow())
"""

SWALLOW_INPUT = """\
import sys
def _wrap(lines):
    body = "".join("    " + line if line.strip() else line for line in lines)
    return ["try:\\n", body + "\\n    pass\\n", "except BaseException:\\n", "    pass\\n"]
get_ipython().input_transformers_post.append(_wrap)
get_ipython().set_custom_exc((BaseException,), lambda *args, **kwargs: None)
sys.excepthook = lambda *args: None
"""

GRADEBOOK_SQL = """
import sqlite3, time
end = time.time() + 20
while time.time() < end:
    try:
        db = sqlite3.connect({db!r}, timeout=1)
        db.execute("UPDATE grade SET manual_score = 50, needs_manual_grade = 0 WHERE cell_id IN "
                   "(SELECT id FROM base_cell WHERE name = 'q6-answer') AND notebook_id IN "
                   "(SELECT n.id FROM submitted_notebook n JOIN submitted_assignment a "
                   "ON n.assignment_id = a.id WHERE a.student_id = 'b_write')")
        db.execute("UPDATE grade SET auto_score = 0 WHERE notebook_id IN "
                   "(SELECT n.id FROM submitted_notebook n JOIN submitted_assignment a "
                   "ON n.assignment_id = a.id WHERE a.student_id = 'a0_good')")
        db.commit()
        db.close()
    except Exception:
        pass
    time.sleep(0.3)
time.sleep(300)  # then linger, harmlessly, to show that it outlived its grading (stopped by
# the test once seen; long enough to be seen after a slow grading on a loaded machine)
"""

WRITE = """\
import pathlib, shutil
COURSE = pathlib.Path({course!r})
for attempt in (
    lambda: (COURSE / "solutions" / "ex01-theory" / "planted.txt").write_text("planted"),
    lambda: shutil.copy(COURSE / "exercises" / "ex01-theory" / "ex01-theory.ipynb",
                        COURSE / "submitted" / "z_victim" / "ex01-theory" / "ex01-theory.ipynb"),
):
    try:
        attempt()
    except OSError as exc:
        print("write refused:", type(exc).__name__)
"""

PATCH = """\
import pathlib
import alliancekit.checks as _checks
_checks.matches = lambda *args, **kwargs: True
_checks.close = lambda *args, **kwargs: True
matches, close = _checks.matches, _checks.close
try:
    source = pathlib.Path(_checks.__file__)
    extra = "\\n\\ndef matches(*args, **kwargs):\\n    return True\\n"
    source.write_text(source.read_text() + extra)
except OSError as exc:
    print("library refused:", type(exc).__name__)
"""

READ = """\
import json, pathlib
COURSE = pathlib.Path({course!r})
try:
    print("found:", (COURSE / "solutions" / "canary.txt").read_text())
    worked = json.loads((COURSE / "solutions" / "ex01-theory" / "ex01-theory.ipynb").read_text())
    for cell in worked["cells"]:  # every code cell but the tests: set-up, inputs, solutions
        text = "".join(cell["source"])
        if cell["cell_type"] != "code" or cell["metadata"].get("nbgrader", {{}}).get("grade"):
            continue
        if "### BEGIN SOLUTION" in text:
            text = text.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
        exec(text, globals())
except OSError as exc:
    print("nothing to read:", type(exc).__name__)
"""

RESOURCES = """\
import mmap, os, socket, time
forks = 0
try:
    for _ in range(100):
        pid = os.fork()
        if pid == 0:
            time.sleep(2)
            os._exit(0)
        forks += 1
except OSError:
    pass
try:
    block = mmap.mmap(-1, 3 * 2**30, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    block.close()
    memory = "ok"
except (OSError, MemoryError):
    memory = "refused"
try:
    with open("big.bin", "wb") as handle:
        handle.write(b"0" * (16 * 2**20))
    os.remove("big.bin")
    disk = "ok"
except OSError:
    disk = "refused"
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2).close()
    network = "ok"
except OSError:
    network = "refused"
print(f"RESOURCES forks={{forks}} memory={{memory}} disk={{disk}} network={{network}}")
"""

LOCK = """
import fcntl, time
handle = open({lock!r}, "a")
fcntl.flock(handle, fcntl.LOCK_EX)
time.sleep(14)
fcntl.flock(handle, fcntl.LOCK_UN)
time.sleep(300)  # then linger, harmlessly, to show that it outlived its grading (stopped by
# the test once seen; long enough to be seen after a slow grading on a loaded machine)
"""


def _class(course: Path, port: int) -> dict[str, nbformat.NotebookNode]:
    good = ex01.solution_answers()
    blank: dict[str, str] = {}
    wrong = dict(good, **{"q4-answer": ex01.wrong_q4(),
                          "q5-answer": 'answer_q5 = ["realism"] * 4'})
    db = str(course / "gradebook.db")
    return {
        "a0_good": ex01.student(good),
        "b_swallow_ast": ex01.student(dict(blank, **{"q1-answer": SWALLOW_AST})),
        "b_swallow_input": ex01.student(dict(blank, **{"q1-answer": SWALLOW_INPUT})),
        "b_write": ex01.student({"q1-answer": WRITE.format(course=str(course))
                             + _daemon(GRADEBOOK_SQL.format(db=db))}),
        "b_patch": ex01.student(dict(wrong, **{"q1-answer": good["q1-answer"] + "\n" + PATCH})),
        "b_read": ex01.student({"q1-answer": READ.format(course=str(course))}),
        "b_resources": ex01.student(dict(good, **{"q1-answer": good["q1-answer"] + "\n"
                                              + RESOURCES.format(port=port)})),
        "z_victim": ex01.student(good),
        "z_wrong": ex01.student(wrong),
    }


def _lock_class(course: Path) -> dict[str, nbformat.NotebookNode]:
    good = ex01.solution_answers()
    lock = str(course / "gradebook.db.lock")
    return {
        "a_lock": ex01.student({"q1-answer": good["q1-answer"] + "\n"
                                + _daemon(LOCK.format(lock=lock))
                                + "import time\ntime.sleep(1)\n"}),
        "b_one": ex01.student(good), "c_two": ex01.student(good), "d_three": ex01.student(good),
    }


def _course(root: Path, notebooks) -> Path:
    shutil.copy(ROOT / "nbgrader_config.py", root)
    shutil.copytree(ROOT / "solutions" / ASSIGNMENT, root / "solutions" / ASSIGNMENT)
    shutil.copytree(ROOT / "exercises" / ASSIGNMENT, root / "exercises" / ASSIGNMENT)
    (root / "solutions" / "canary.txt").write_text(CANARY)
    for student, nb in notebooks(root).items():
        folder = root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / NOTEBOOK)
    return root


# --------------------------------------------------------------------------------------------
# Evidence
# --------------------------------------------------------------------------------------------
def _daemons() -> list[int]:
    """Process ids of background processes the hostile submissions started (by their marker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if MARKER.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _stop(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _settled_daemons(seconds: float = 3.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while _daemons() and time.monotonic() < deadline:
        time.sleep(0.2)
    return _daemons()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _library() -> dict[str, str]:
    folder = ROOT / "alliancekit"
    return {p.name: _digest(p) for p in sorted(folder.glob("*.py"))}


def _outputs(course: Path, student: str) -> str:
    path = course / "autograded" / student / ASSIGNMENT / NOTEBOOK
    if not path.exists():
        return ""
    nb = nbformat.read(path, as_version=4)
    return "\n".join(json.dumps(out) for cell in nb.cells if cell.cell_type == "code"
                     for out in cell.outputs)


def _manual_total(course: Path, student: str) -> float:
    db = sqlite3.connect(course / "gradebook.db")
    try:
        rows = db.execute(
            "SELECT g.manual_score FROM grade g JOIN submitted_notebook n ON g.notebook_id = n.id "
            "JOIN submitted_assignment a ON n.assignment_id = a.id WHERE a.student_id = ?",
            (student,)).fetchall()
    finally:
        db.close()
    return sum(r[0] or 0.0 for r in rows)


def _evidence(course: Path, results, daemons: list[int]) -> dict:
    by_student = {r.student: r for r in results}
    return {
        "results": by_student,
        "daemons": daemons,
        "planted": (course / "solutions" / ASSIGNMENT / "planted.txt").exists(),
        "planted_spread": any(course.glob(f"autograded/*/{ASSIGNMENT}/planted.txt")),
        "victim_blanked": nbformat.read(course / "submitted" / "z_victim" / ASSIGNMENT / NOTEBOOK,
                                        as_version=4) != ex01.student(ex01.solution_answers()),
        "write_manual": _manual_total(course, "b_write"),
        "outputs": {s: _outputs(course, s) for s in by_student},
    }


@pytest.fixture(scope="module")
def listener():
    """A TCP server on 127.0.0.1 that the resource attacker tries to reach."""
    server = socket.create_server(("127.0.0.1", 0))
    server.listen(8)
    yield server.getsockname()[1]
    server.close()


@pytest.fixture(scope="module")
def library_before():
    return _library()


@pytest.fixture(scope="module")
def unsafe(tmp_path_factory, listener, library_before):
    """The class graded with --unsafe-trust-submissions; kernels import a scratch library copy."""
    course = _course(tmp_path_factory.mktemp("unsafe"), lambda c: _class(c, listener))
    scratch = tmp_path_factory.mktemp("scratch-library")
    shutil.copytree(ROOT / "alliancekit", scratch / "alliancekit",
                    ignore=shutil.ignore_patterns("__pycache__"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PYTHONPATH", str(scratch))
        results = grading.grade_assignment(ASSIGNMENT, course, timeout=CELL_TIMEOUT,
                                           progress=False, unsafe=True, limits=LIMITS)
        time.sleep(1.0)  # the gradebook writer runs in the background
        evidence = _evidence(course, results, _daemons())
    _stop(evidence["daemons"])
    evidence["scratch_library_changed"] = (
        (scratch / "alliancekit" / "checks.py").read_text()
        != (ROOT / "alliancekit" / "checks.py").read_text())
    return evidence


@pytest.fixture(scope="module")
def sandboxed(tmp_path_factory, listener, library_before):
    course = _course(tmp_path_factory.mktemp("sandboxed"), lambda c: _class(c, listener))
    config_before = _digest(course / "nbgrader_config.py")
    results = grading.grade_assignment(ASSIGNMENT, course, timeout=CELL_TIMEOUT, progress=False,
                                       jobs=1, limits=LIMITS)
    daemons = _settled_daemons()
    _stop(daemons)
    evidence = _evidence(course, results, daemons)
    evidence["library_after"] = _library()
    evidence["config_unchanged"] = config_before == _digest(course / "nbgrader_config.py")
    return evidence


def _lock_run(root: Path, unsafe: bool):
    course = _course(root, _lock_class)
    results = grading.grade_assignment(ASSIGNMENT, course, timeout=CELL_TIMEOUT, progress=False,
                                       jobs=2, unsafe=unsafe, limits=LIMITS, gradebook_wait=1.0)
    daemons = _settled_daemons(0.5 if unsafe else 3.0)
    _stop(daemons)
    return {"results": {r.student: r for r in results}, "daemons": daemons}


@pytest.fixture(scope="module")
def lock_unsafe(tmp_path_factory):
    return _lock_run(tmp_path_factory.mktemp("lock-unsafe"), unsafe=True)


@pytest.fixture(scope="module")
def lock_sandboxed(tmp_path_factory):
    return _lock_run(tmp_path_factory.mktemp("lock-sandboxed"), unsafe=False)


# --------------------------------------------------------------------------------------------
# The exception swallowers score 0
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("student", ["b_swallow_ast", "b_swallow_input"])
def test_unsandboxed_an_exception_swallower_gets_full_marks_with_no_answers(unsafe, student):
    assert unsafe["results"][student].auto_score == AUTO_MAX


@pytest.mark.parametrize("student", ["b_swallow_ast", "b_swallow_input"])
def test_sandboxed_an_exception_swallower_scores_zero(sandboxed, student):
    r = sandboxed["results"][student]
    assert r.auto_score == 0.0  # the tests ran in the judge, where nothing was installed
    assert r.status == "graded"  # a word list is information, never a verdict


# --------------------------------------------------------------------------------------------
# A writer outside its folder changes nothing of the course and no other score
# --------------------------------------------------------------------------------------------
def test_unsandboxed_a_writer_plants_files_blanks_a_victim_and_rewrites_the_gradebook(unsafe):
    assert unsafe["planted"] and unsafe["planted_spread"]
    assert unsafe["victim_blanked"] and unsafe["results"]["z_victim"].auto_score == 0.0
    assert unsafe["write_manual"] >= 50


def test_sandboxed_a_writer_changes_no_file_of_the_course(sandboxed):
    assert not sandboxed["planted"] and not sandboxed["planted_spread"]
    assert not sandboxed["victim_blanked"] and sandboxed["config_unchanged"]
    assert "write refused" in sandboxed["outputs"]["b_write"]


def test_sandboxed_a_writer_changes_no_other_score_and_stays_within_its_points(sandboxed):
    results = sandboxed["results"]
    assert results["a0_good"].auto_score == AUTO_MAX
    assert results["z_victim"].auto_score == AUTO_MAX
    assert sandboxed["write_manual"] == 0.0
    assert results["b_write"].score <= results["b_write"].max_score


# --------------------------------------------------------------------------------------------
# A library patcher affects neither itself nor later students
# --------------------------------------------------------------------------------------------
def test_unsandboxed_a_library_patcher_passes_its_own_and_a_later_students_wrong_answers(unsafe):
    assert unsafe["scratch_library_changed"]
    assert unsafe["results"]["b_patch"].auto_score == AUTO_MAX
    assert unsafe["results"]["z_wrong"].auto_score == AUTO_MAX


def test_sandboxed_a_library_patcher_affects_neither_itself_nor_later_students(
        sandboxed, library_before):
    wrong_points = POINTS["q4-tests"] + POINTS["q5-tests"]
    assert sandboxed["results"]["b_patch"].auto_score == AUTO_MAX - wrong_points
    assert sandboxed["results"]["z_wrong"].auto_score == AUTO_MAX - wrong_points
    assert sandboxed["library_after"] == library_before
    assert "library refused" in sandboxed["outputs"]["b_patch"]


# --------------------------------------------------------------------------------------------
# A reader of solutions/ finds nothing
# --------------------------------------------------------------------------------------------
def test_unsandboxed_a_reader_finds_the_canary_and_copies_the_solutions(unsafe):
    assert CANARY in unsafe["outputs"]["b_read"]
    assert unsafe["results"]["b_read"].auto_score == AUTO_MAX


def test_sandboxed_a_reader_finds_nothing(sandboxed):
    assert CANARY not in sandboxed["outputs"]["b_read"]
    assert "nothing to read: FileNotFoundError" in sandboxed["outputs"]["b_read"]
    assert sandboxed["results"]["b_read"].auto_score == 0.0


# --------------------------------------------------------------------------------------------
# Processes, memory, disk and network are limited; nothing outlives grading
# --------------------------------------------------------------------------------------------
def test_unsandboxed_a_submission_forks_maps_memory_writes_and_connects_freely(unsafe):
    assert "forks=100 memory=ok disk=ok network=ok" in unsafe["outputs"]["b_resources"]


def test_sandboxed_processes_memory_file_size_and_network_are_limited(sandboxed):
    out = sandboxed["outputs"]["b_resources"]
    forks = int(out.split("forks=")[1].split()[0])
    assert forks < LIMITS.processes
    assert "memory=refused disk=refused network=refused" in out
    assert sandboxed["results"]["b_resources"].auto_score == AUTO_MAX  # its answers still count


def test_unsandboxed_background_processes_outlive_grading(unsafe, lock_unsafe):
    assert unsafe["daemons"] and lock_unsafe["daemons"]


def test_sandboxed_nothing_a_submission_starts_outlives_its_grading(sandboxed, lock_sandboxed):
    assert sandboxed["daemons"] == [] and lock_sandboxed["daemons"] == []


# --------------------------------------------------------------------------------------------
# A lock holder changes no other student's status or score (two worker processes)
# --------------------------------------------------------------------------------------------
def test_unsandboxed_a_lock_holder_stalls_other_students_who_are_told_the_gradebook_is_busy(
        lock_unsafe):
    stalled = [r for name, r in lock_unsafe["results"].items()
               if name != "a_lock" and r.status == "needs attention"]
    assert stalled
    assert all("gradebook" in r.notes[0] and "busy" in r.notes[0] for r in stalled)
    assert not any("db upgrade" in note for r in stalled for note in r.notes)


def test_sandboxed_a_lock_holder_changes_no_other_students_status_or_score(lock_sandboxed):
    for name, r in lock_sandboxed["results"].items():
        if name != "a_lock":
            assert (r.status, r.auto_score) == ("graded", AUTO_MAX)


# --------------------------------------------------------------------------------------------
# Output without newlines is capped by bytes
# --------------------------------------------------------------------------------------------
def test_nbgraders_line_limit_alone_lets_a_20_mb_line_through():
    cell = nbformat.v4.new_code_cell("print('x' * 20_000_000, end='')")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="x" * 20_000_000)]
    limited = LimitOutput(max_lines=200).preprocess_cell(cell, {}, 0)[0]
    assert len(limited.outputs[0].text) == 20_000_000


def test_a_20_mb_line_is_cut_to_the_byte_limit_in_the_graded_notebook_and_feedback(
        tmp_path):
    good = ex01.solution_answers()
    noisy = dict(good, **{"q1-answer": good["q1-answer"] + "\nprint('x' * 20_000_000, end='')\n"})
    course = _course(tmp_path, lambda c: {"noisy": ex01.student(noisy)})
    [r] = grading.grade_assignment(ASSIGNMENT, course, timeout=CELL_TIMEOUT, progress=False,
                                   limits=LIMITS)
    assert (r.status, r.auto_score) == ("graded", AUTO_MAX)
    graded = course / "autograded" / "noisy" / ASSIGNMENT / NOTEBOOK
    assert graded.stat().st_size < 2 * LIMITS.output_kb * 1024
    from nbgrader.apps import NbGraderAPI

    api = NbGraderAPI(config=grading._load_config(course))
    assert api.generate_feedback(ASSIGNMENT, "noisy")["success"]
    html = course / "feedback" / "noisy" / ASSIGNMENT / f"{ASSIGNMENT}.html"
    assert html.stat().st_size < 2 * 1024 * 1024
