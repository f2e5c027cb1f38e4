"""Red team for the grader's hard limits and collection hygiene (issue 20, items 3 to 5).

A small ex01-theory class is graded with the real command, ``alliancekit-grade``, in a child
process whose terminal output the tests read: once as root (a memory cgroup per submission) and
once as a non-root instructor (a Unix user made for the test, no cgroup: user-namespace mode).
Each attacker answers Q1 correctly and then attacks, printing what it achieved on a line starting
``AK-PROBE``, which the tests read back from the autograded notebook:

- ``m_memory`` (root only): four processes together map 2.4 GiB of shared memory, memfd pages and
  a file in ``/dev/shm`` against a 512 MiB limit;
- ``m_files``: a 100 MiB file, then ``/tmp`` filled file by file;
- ``m_rootfs``: writes into ``/``, ``/etc``, ``/dev`` and ``/usr``; a nested user namespace;
- ``m_output``: shows one output 300 times and updates them all at once with 200 kB (60 MB in
  the notebook without a budget that counts display updates); ``m_flood`` prints 100 MB;
- ``m_tty``: writes a marker to ``/dev/tty``, ``/dev/console`` and every inherited descriptor;
- ``m_peek``: looks for the exchange, classmates' inbound folders, the course, the instructor's
  home and an extra file of its own submission folder;
- ``m_die``: kills its own kernel.

Collection: a student's inbound folder holding links to the gradebook and to ``solutions/`` is
refused by ``alliancekit-grade collect``, while plain ``nbgrader collect`` copies their targets.
"""
from __future__ import annotations

import csv
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import ex01_class as ex01
import nbformat
import pytest

from alliancekit.grading import limits, sandbox

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore:.*not in session")]

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = ex01.ASSIGNMENT
NOTEBOOK = ex01.NOTEBOOK
MARK = f"AK-TTY-{uuid.uuid4().hex}"
CANARY = f"canary-{uuid.uuid4().hex}"
MEMORY_MB = 512
GRADE = str(Path(sys.executable).parent / "alliancekit-grade")

if sandbox.sandbox_problem() and not os.environ.get("CI"):
    pytest.skip(f"no grading sandbox here: {sandbox.sandbox_problem()}", allow_module_level=True)

PROBE = "import json as _j\ndef _probe(**kw):\n    print('AK-PROBE', _j.dumps(kw))\n"

MEMORY = PROBE + """\
import subprocess, sys, time
_hog = '''
import mmap, os, time
try:  # be the OOM killer's first choice, so the kernel that prints the probe outlives the hogs
    with open("/proc/self/oom_score_adj", "w") as f:
        f.write("1000")
except OSError:
    pass
shared = mmap.mmap(-1, 300 * 2**20, flags=mmap.MAP_SHARED)
for i in range(0, len(shared), 4096):
    shared[i] = 1
fd = os.memfd_create("hog")
os.ftruncate(fd, 300 * 2**20)
pages = mmap.mmap(fd, 300 * 2**20)
for i in range(0, len(pages), 4096):
    pages[i] = 1
try:
    with open("/dev/shm/hog-%d" % os.getpid(), "wb") as f:
        f.write(b"x" * (15 * 2**20))
except OSError:
    pass
time.sleep(60)
'''
_procs = [subprocess.Popen([sys.executable, "-c", _hog]) for _ in range(4)]
for _ in range(300):
    if all(p.poll() is not None for p in _procs):
        break
    time.sleep(0.1)
_probe(memory=[p.poll() for p in _procs])
for p in _procs:
    p.kill()
"""

FILES = PROBE + """\
import os
try:
    with open("big.bin", "wb") as f:
        for _ in range(100):
            f.write(b"x" * 2**20)
    _big = os.path.getsize("big.bin")
except OSError as exc:
    _big = exc.errno
_tmp, _n = 0, 0
try:
    while _n < 200:
        with open(f"/tmp/fill-{_n}", "wb") as f:
            for _ in range(7):
                f.write(b"x" * 2**20)
                _tmp += 2**20
        _n += 1
except OSError:
    pass
for _i in range(_n + 1):
    try:
        os.remove(f"/tmp/fill-{_i}")
    except OSError:
        pass
try:
    os.remove("big.bin")
except OSError:
    pass
_probe(big=_big, tmp=_tmp)
"""

ROOTFS = PROBE + """\
import ctypes, os, subprocess
_written = []
for _path in ["/ak-x", "/etc/ak-x", "/dev/ak-x", "/usr/ak-x", "/home/ak-x"]:
    try:
        with open(_path, "w") as f:
            f.write("x" * 2**20)
        _written.append(_path)
    except OSError:
        pass
_libc = ctypes.CDLL(None, use_errno=True)
_unshare = _libc.unshare(0x10000000)
_tool = subprocess.run(["unshare", "--user", "--map-root-user", "true"],
                       capture_output=True).returncode
_probe(written=_written, unshare=_unshare, tool=_tool)
"""

#: a display shown 300 times, then all 300 copies updated with 200 kB (60 MB in the notebook
#: without a budget that counts display updates), each cell under the per-cell cap
OUTPUT = {
    "q3-answer": """\
from IPython.display import display
for _ in range(300):
    display({"text/plain": "a"}, raw=True, display_id="ak-many")
""",
    "q4-answer": """\
from IPython.display import update_display
update_display({"text/plain": "z" * 200_000}, raw=True, display_id="ak-many")
""",
}

FLOOD = """\
_chunk = "x" * 2**20
for _ in range(100):
    print(_chunk)
"""

TTY = PROBE + """\
import os, stat, sys
_reached = []
for _path in ["/dev/tty", "/dev/console"]:
    try:
        with open(_path, "w") as f:
            f.write("{mark}\\n")
        _reached.append(_path)
    except OSError:
        pass
for _fd in range(0, 64):
    try:
        if stat.S_ISSOCK(os.fstat(_fd).st_mode):
            continue  # the kernel's own channels to the grader
        os.write(_fd, b"{mark}\\n")
    except OSError:
        pass
sys.__stdout__.write("{mark}\\n"); sys.__stdout__.flush()
sys.__stderr__.write("{mark}\\n"); sys.__stderr__.flush()
_probe(reached=_reached)
"""

PEEK = PROBE + """\
import os
def _look(path):
    try:
        return sorted(os.listdir(path)) if os.path.isdir(path) else os.path.exists(path)
    except OSError:
        return False
_probe(seen={{p: _look(p) for p in {paths!r}}}, home=_look("/home"),
       extra=_look("secret-extra.txt"), here=_look("."))
"""

DIE = "import os\nos._exit(3)\n"


def _class(course: Path, exchange: Path, home: str, memory: bool) -> dict:
    good = ex01.solution_answers()
    paths = [str(exchange), str(exchange / "alliancekit" / "inbound"), str(course),
             str(course / "submitted"), str(course / "gradebook.db"), home,
             "/srv/nbgrader/exchange"]
    attacks = {
        "m_files": FILES, "m_rootfs": ROOTFS,
        "m_tty": TTY.format(mark=MARK), "m_peek": PEEK.format(paths=paths),
    }
    if memory:
        attacks["m_memory"] = MEMORY
    out = {"a_good": ex01.student(good), "m_die": ex01.student({"q1-answer": DIE})}
    for student, code in attacks.items():
        out[student] = ex01.student(dict(good, **{"q1-answer": good["q1-answer"] + "\n" + code}))
    out["m_output"] = ex01.student({**good, **{k: good[k] + "\n" + v for k, v in OUTPUT.items()}})
    out["m_flood"] = ex01.student(dict(good, **{"q1-answer": good["q1-answer"] + "\n" + FLOOD}))
    return out


def _course(root: Path, exchange: Path, home: str, memory: bool) -> Path:
    course = root / "course"
    course.mkdir()
    config = (ROOT / "nbgrader_config.py").read_text()
    config += f"\nc.Exchange.root = {str(exchange)!r}\nc.Execute.timeout = 60\n"
    (course / "nbgrader_config.py").write_text(config)
    shutil.copytree(ROOT / "solutions" / ASSIGNMENT, course / "solutions" / ASSIGNMENT)
    shutil.copytree(ROOT / "exercises" / ASSIGNMENT, course / "exercises" / ASSIGNMENT)
    (course / "solutions" / "canary.txt").write_text(CANARY)
    for student, nb in _class(course, exchange, home, memory).items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / NOTEBOOK)
    (course / "submitted" / "m_peek" / ASSIGNMENT / "secret-extra.txt").write_text(CANARY)
    # a data file the set hands out: the one kind of file the kernel is shown
    (course / "exercises" / ASSIGNMENT / "table.csv").write_text("a,b\n1,2\n")
    (course / "submitted" / "m_peek" / ASSIGNMENT / "table.csv").write_text("a,b\n1,2\n")
    inbound = exchange / "alliancekit" / "inbound"
    inbound.mkdir(parents=True)
    classmate = inbound / f"classmate+{ASSIGNMENT}+2026-12-01 10:00:00.000000 UTC+x"
    classmate.mkdir()
    nbformat.write(ex01.student(good_answers()), classmate / NOTEBOOK)
    return course


def good_answers() -> dict:
    return ex01.solution_answers()


def _leftover_cgroups() -> list[str]:
    """Per-submission cgroups whose grading process is gone (should never exist)."""
    plan = limits.find_cgroups()
    found = []
    for parent in (plan.memory, plan.pids):
        if parent and Path(parent).is_dir():
            for folder in Path(parent).glob(f"{limits.PREFIX}*"):
                owner = folder.name[len(limits.PREFIX):].split("-")[0]
                if not Path(f"/proc/{owner}").exists():
                    found.append(str(folder))
    return found


def _with_python_reachable(command: list[str], stage: Path) -> list[str]:
    """``command`` run in a private mount namespace where a folder of Python's under a closed
    ``/root`` (mode 700, as on these machines) can be reached by an ordinary user.

    The real ``/root`` is hidden behind an empty, world-traversable in-memory folder holding only
    the way to Python; nothing changes outside the namespace, which ends with the command.
    """
    closed = [p for p in map(Path, sandbox.library_dirs())
              if Path("/root") in p.parents]
    if not closed or os.stat("/root").st_mode & 0o001:
        return command
    top = {p.relative_to("/root").parts[0] for p in closed}
    stage.mkdir(mode=0o755)
    script = []
    for i, name in enumerate(sorted(top)):
        (stage / str(i)).mkdir(mode=0o755)
        script.append(f'mount --bind "/root/{name}" "{stage / str(i)}"')
    script.append("mount -t tmpfs -o mode=0755,size=1m ak-root /root")
    for i, name in enumerate(sorted(top)):
        script += [f'mkdir "/root/{name}"', f'mount --bind "{stage / str(i)}" "/root/{name}"']
    return ["unshare", "--mount", "--propagation", "private", "--", "sh", "-ec",
            "\n".join(script) + '\nexec "$@"', "ak-python-reachable", *command]


def _run(course: Path, tmpdir: Path, user: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COV"))}
    env.update(TMPDIR=str(tmpdir), PATH=f"{Path(sys.executable).parent}:{env.get('PATH', '')}")
    command = [GRADE, ASSIGNMENT, "--course", str(course), "--jobs", "2", "--no-progress",
               "--memory-mb", str(MEMORY_MB), "--max-seconds", "240"]
    if user:
        home = pwd.getpwnam(user).pw_dir
        env.update(HOME=home, USER=user, LOGNAME=user)
        command = ["runuser", "-u", user, "--", "env", *[f"{k}={v}" for k, v in env.items()],
                   *command]
        command = _with_python_reachable(command, tmpdir.parent / "python-stage")
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, env=env,
                          stdin=subprocess.DEVNULL)
    report = course / "autograded" / f"grading-report-{ASSIGNMENT}.csv"
    with open(report, newline="") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    return {"course": course, "home": env.get("HOME", str(Path.home())),
            "stdout": done.stdout, "stderr": done.stderr, "code": done.returncode, "rows": rows,
            "boxes": sorted(p.name for p in tmpdir.iterdir()),
            "cgroups": _leftover_cgroups()}


def _probes(course: Path, student: str) -> dict:
    path = course / "autograded" / student / ASSIGNMENT / NOTEBOOK
    nb = nbformat.read(path, as_version=4)
    found = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            for line in str(out.get("text", "")).splitlines():
                if line.startswith("AK-PROBE "):
                    found.update(json.loads(line[len("AK-PROBE "):]))
    return found


@pytest.fixture(scope="module")
def as_root():
    """The class graded by root, in a folder of its own (pytest's may be pruned meanwhile)."""
    if os.geteuid() != 0:
        pytest.skip("the cgroup half of the red team runs as root")
    root = Path(tempfile.mkdtemp(prefix="ak-limits-root-"))
    try:
        course = _course(root, root / "exchange", str(Path.home()), memory=True)
        tmpdir = root / "tmp"
        tmpdir.mkdir()
        yield _run(course, tmpdir, None)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _kill_processes_of(uid: int) -> None:
    """Kill, by process id, whatever the temporary instructor still runs."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    os.kill(int(entry.name), 9)
            except OSError:
                pass


@pytest.fixture(scope="module")
def as_user():
    """The class graded by a non-root instructor: a Unix user made here and removed after."""
    if os.geteuid() != 0 or shutil.which("useradd") is None:
        pytest.skip("making a temporary instructor needs root and useradd")
    user = f"akg{uuid.uuid4().hex[:8]}"
    subprocess.run(["useradd", "--create-home", "--shell", "/bin/sh", user], check=True)
    root = Path(tempfile.mkdtemp(prefix="ak-limits-user-"))
    try:
        home = pwd.getpwnam(user).pw_dir
        (Path(home) / "private.txt").write_text(CANARY)
        exchange = root / "exchange"
        course = _course(root, exchange, home, memory=False)
        tmpdir = root / "tmp"
        tmpdir.mkdir()
        os.chmod(root, 0o755)
        for here, dirs, files in os.walk(root):
            for name in [here, *(os.path.join(here, n) for n in dirs + files)]:
                shutil.chown(name, user, user)
        shutil.chown(Path(home) / "private.txt", user, user)
        yield _run(course, tmpdir, user)
    finally:
        _kill_processes_of(pwd.getpwnam(user).pw_uid)
        subprocess.run(["userdel", "--remove", user], check=False, capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module", params=["root", "user"])
def graded(request):
    return request.getfixturevalue("as_root" if request.param == "root" else "as_user")


# --------------------------------------------------------------------------------------------
# Honest work and the grader itself
# --------------------------------------------------------------------------------------------
def test_an_honest_submission_keeps_every_point(graded):
    row = graded["rows"]["a_good"]
    assert float(row["auto_score"]) == float(row["auto_max"]) == sum(ex01.points().values())
    assert row["status"] == "graded", row["notes"]


@pytest.mark.parametrize("student", ["m_files", "m_rootfs", "m_output", "m_tty", "m_peek"])
def test_an_attacker_that_keeps_its_kernel_is_still_scored_on_its_answers(graded, student):
    row = graded["rows"][student]
    assert float(row["auto_score"]) == float(row["auto_max"]), row["notes"]


def test_a_kernel_that_dies_scores_zero_and_needs_attention(graded):
    row = graded["rows"]["m_die"]
    assert row["status"] == "needs attention" and float(row["auto_score"]) == 0.0


def test_a_dying_kernel_leaves_no_sandbox_folder_behind(graded):
    assert graded["boxes"] == []


def test_no_cgroup_is_left_behind(graded):
    assert graded["cgroups"] == []


# --------------------------------------------------------------------------------------------
# Memory: the whole submission, in a cgroup (root)
# --------------------------------------------------------------------------------------------
def test_processes_sharing_memory_past_the_limit_are_killed(as_root):
    codes = _probes(as_root["course"], "m_memory")["memory"]
    # none is left holding its memory: killed by the kernel's OOM killer (-9), or failed to
    # allocate (a MemoryError or ENOMEM, exit 1); a process within its memory would still sleep
    assert len(codes) == 4 and None not in codes and 0 not in codes, codes
    assert -9 in codes, codes


def test_a_submission_over_its_memory_is_flagged_and_the_grader_goes_on(as_root):
    row = as_root["rows"]["m_memory"]
    assert row["status"] == "needs attention"
    assert "over its memory limit" in row["notes"]
    assert float(as_root["rows"]["a_good"]["auto_score"]) == sum(ex01.points().values())


def test_without_a_cgroup_the_bound_enforced_is_printed_once(as_user):
    assert as_user["stderr"].count("no memory cgroup for submissions here") == 1
    assert "NOT bounded" in as_user["stderr"]


def test_with_a_cgroup_nothing_about_rlimits_is_printed(as_root):
    assert "no memory cgroup" not in as_root["stderr"]


# --------------------------------------------------------------------------------------------
# Disk: file size, /tmp, a read-only root, no nested user namespace
# --------------------------------------------------------------------------------------------
def test_a_huge_file_cannot_be_written(graded):
    probe = _probes(graded["course"], "m_files")
    assert probe["big"] == 27  # EFBIG: past the file-size limit


def test_tmp_fills_only_to_its_size(graded):
    assert _probes(graded["course"], "m_files")["tmp"] <= sandbox.Limits.disk_mb * 2**20


def test_the_root_etc_dev_and_usr_cannot_be_written(graded):
    assert _probes(graded["course"], "m_rootfs")["written"] == []


def test_no_user_namespace_can_be_made_inside(graded):
    probe = _probes(graded["course"], "m_rootfs")
    assert probe["unshare"] == -1 and probe["tool"] != 0


# --------------------------------------------------------------------------------------------
# Output: a budget per notebook and per feedback page; nothing reaches the grader's terminal
# --------------------------------------------------------------------------------------------
def test_a_display_update_of_300_copies_is_capped_to_the_notebooks_budget(graded):
    path = graded["course"] / "autograded" / "m_output" / ASSIGNMENT / NOTEBOOK
    assert path.stat().st_size <= 5 * 2**20 + 512 * 1024
    assert "past its budget of 5 MiB" in path.read_text()


def test_a_100_mb_print_is_capped_or_flagged_and_never_reaches_the_grader(graded):
    # nbclient gives up waiting for so much output (its IOPub timeout) on a busy machine, and
    # nbgrader then fails the submission: flagged, zero; otherwise the notebook is capped
    path = graded["course"] / "autograded" / "m_flood" / ASSIGNMENT / NOTEBOOK
    row = graded["rows"]["m_flood"]
    if path.exists():
        assert path.stat().st_size <= 5 * 2**20 + 512 * 1024
    else:
        assert row["status"] == "needs attention" and float(row["auto_score"]) == 0.0
    assert "x" * 4096 not in graded["stdout"] + graded["stderr"]


def test_the_feedback_page_of_a_huge_output_stays_within_its_budget(as_root):
    from nbgrader.apps import NbGraderAPI

    from alliancekit.grading import _load_config

    api = NbGraderAPI(config=_load_config(as_root["course"]))
    assert api.generate_feedback(ASSIGNMENT, "m_output")["success"]
    page = as_root["course"] / "feedback" / "m_output" / ASSIGNMENT / "ex01-theory.html"
    assert page.stat().st_size <= 2 * 2**20 + 512 * 1024


def test_the_kernel_cannot_write_to_the_graders_terminal(graded):
    assert _probes(graded["course"], "m_tty")["reached"] == []
    assert MARK not in graded["stdout"] and MARK not in graded["stderr"]


# --------------------------------------------------------------------------------------------
# What the kernel sees: the set's own files, no exchange, no home, no course
# --------------------------------------------------------------------------------------------
def _on_the_way_to_python(folder: str) -> set[str]:
    """Names in ``folder`` the sandbox shows because Python or the library lies below them."""
    found = set()
    for d in sandbox.library_dirs():
        if Path(folder) in Path(d).parents:
            found.add(Path(d).relative_to(folder).parts[0])
    return found


def test_the_exchange_the_course_and_the_home_are_not_visible(graded):
    seen = dict(_probes(graded["course"], "m_peek")["seen"])
    home = graded["home"]
    assert seen.pop(home) in (False, sorted(_on_the_way_to_python(home)))
    assert seen and all(v is False for v in seen.values()), seen


def test_the_sandbox_has_its_own_home_only(graded):
    assert _probes(graded["course"], "m_peek")["home"] == ["student"]


def test_extra_files_of_a_submission_never_reach_the_sandbox(graded):
    probe = _probes(graded["course"], "m_peek")
    assert probe["extra"] is False
    assert probe["here"] == ["table.csv"]  # the set's data file; not even the notebook


# --------------------------------------------------------------------------------------------
# Collection: links in inbound
# --------------------------------------------------------------------------------------------
def _exchange_course(root: Path) -> tuple[Path, Path]:
    course = root / "course"
    exchange = root / "exchange"
    course.mkdir()
    config = (ROOT / "nbgrader_config.py").read_text()
    (course / "nbgrader_config.py").write_text(config + f"\nc.Exchange.root = {str(exchange)!r}\n")
    shutil.copytree(ROOT / "exercises" / ASSIGNMENT, course / "exercises" / ASSIGNMENT)
    shutil.copytree(ROOT / "solutions" / ASSIGNMENT, course / "solutions" / ASSIGNMENT)
    (course / "solutions" / "canary.txt").write_text(CANARY)
    import sqlite3

    sqlite3.connect(course / "gradebook.db").close()  # nbgrader fills it in on first use
    inbound = exchange / "alliancekit" / "inbound"
    inbound.mkdir(parents=True)
    stamp = "2026-12-01 10:00:00.000000 UTC"
    for student in ("honest", "linker"):
        folder = inbound / f"{student}+{ASSIGNMENT}+{stamp}+r"
        folder.mkdir()
        nbformat.write(ex01.student({}), folder / NOTEBOOK)
        (folder / "timestamp.txt").write_text(stamp)
    linker = inbound / f"linker+{ASSIGNMENT}+{stamp}+r"
    os.symlink(course / "gradebook.db", linker / "gradebook.db")
    os.symlink(course / "solutions", linker / "answers")
    (inbound / f"honest+{ASSIGNMENT}+{stamp}+r" / "notes.txt").write_text("mine")
    return course, exchange


def test_plain_nbgrader_collect_follows_a_link_to_the_gradebook(tmp_path):
    from nbgrader.apps import NbGraderAPI

    from alliancekit.grading import _load_config

    course, _ = _exchange_course(tmp_path)
    assert NbGraderAPI(config=_load_config(course)).collect(ASSIGNMENT)["success"]
    copied = course / "submitted" / "linker" / ASSIGNMENT
    assert (copied / "answers" / "canary.txt").read_text() == CANARY
    assert (copied / "gradebook.db").read_bytes().startswith(b"SQLite format 3")


def test_collect_refuses_a_link_to_the_gradebook_or_solutions_and_collects_the_rest(
        tmp_path, capsys):
    from alliancekit import grading

    course, _ = _exchange_course(tmp_path)
    code = grading.main(["collect", ASSIGNMENT, "--course", str(course)])
    out = capsys.readouterr().out
    assert code == 1
    assert "REFUSED linker" in out and "gradebook.db is a symbolic link" in out
    assert "answers is a symbolic link" in out
    assert not (course / "submitted" / "linker").exists()
    assert (course / "submitted" / "honest" / ASSIGNMENT / NOTEBOOK).exists()
    assert "notes.txt" in out  # reported as not part of the set


def test_the_safe_copy_never_follows_a_link_even_if_made_after_the_check(tmp_path):
    from alliancekit.grading.collect import SafeCollect

    src = tmp_path / "src"
    src.mkdir()
    (src / "ok.ipynb").write_text("{}")
    (tmp_path / "secret").write_text(CANARY)
    os.symlink(tmp_path / "secret", src / "late-link")
    copier = SafeCollect()
    copier.do_copy(str(src), str(tmp_path / "dest"))
    assert sorted(p.name for p in (tmp_path / "dest").iterdir()) == ["ok.ipynb"]


def test_collect_takes_the_time_from_the_folders_name_not_a_back_dated_timestamp_txt(
        tmp_path, capsys):
    """Red team round 3, R5: a late student back-dates timestamp.txt in their inbound folder."""
    from alliancekit import grading

    course, exchange = _exchange_course(tmp_path)
    inbound = exchange / "alliancekit" / "inbound"
    late = inbound / f"honest+{ASSIGNMENT}+2026-12-07 09:20:43.000000 UTC+z"
    late.mkdir()
    nbformat.write(ex01.student({}), late / NOTEBOOK)
    (late / "timestamp.txt").write_text("2026-11-30 12:00:00.000000 UTC")
    grading.main(["collect", ASSIGNMENT, "--course", str(course)])
    out = capsys.readouterr().out
    stamp = course / "submitted" / "honest" / ASSIGNMENT / "timestamp.txt"
    assert stamp.read_text().startswith("2026-12-07 09:20:43")
    assert "timestamp.txt says '2026-11-30 12:00:00.000000 UTC'" in out


@pytest.mark.skipif(os.geteuid() != 0, reason="making files owned by another user needs root")
def test_a_folder_forged_under_a_classmates_id_is_refused_and_theirs_still_collected(
        tmp_path, capsys):
    """Red team round 3: a classmate's newer forged folder (and a stray file) under one's id."""
    from alliancekit import grading

    victim = pwd.getpwnam("nobody")
    course, exchange = _exchange_course(tmp_path)
    inbound = exchange / "alliancekit" / "inbound"
    own = inbound / f"nobody+{ASSIGNMENT}+2026-12-01 10:00:00.000000 UTC+r"
    own.mkdir()
    nbformat.write(ex01.student({}), own / NOTEBOOK)
    for path in (own, own / NOTEBOOK):
        os.chown(path, victim.pw_uid, victim.pw_gid)
    forged = inbound / f"nobody+{ASSIGNMENT}+2026-12-02 10:00:00.000000 UTC+x"
    forged.mkdir()  # owned by root here: by someone other than nobody
    nbformat.write(ex01.student({}), forged / NOTEBOOK)
    (inbound / f"nobody+{ASSIGNMENT}+2026-12-03 10:00:00.000000 UTC+y").write_text("stray")
    code = grading.main(["collect", ASSIGNMENT, "--course", str(course)])
    out = capsys.readouterr().out
    assert code == 1  # something was refused: the instructor should look
    assert "ok      nobody" in out
    assert f"REFUSED folder {forged.name}: the folder belongs to uid 0, not to nobody" in out
    assert "+y: " in out and "is a link or not a folder" in out
    stamp = course / "submitted" / "nobody" / ASSIGNMENT / "timestamp.txt"
    assert stamp.read_text().startswith("2026-12-01 10:00:00")
