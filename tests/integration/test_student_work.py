"""A student's own work is never overwritten, and the student's launch does not serve solutions/.

The main test follows one student's day in a scratch copy of the repository (a git repository of
its own): launch with ``tasks.py course`` (the real command line, with a port and token added),
answer two questions in ``my-work/`` through the server's contents API as JupyterLab saves them,
leave a checkpoint in ``exercises/`` as JupyterLab does, receive a course update (a new commit
that changes an answered exercise and adds a new set), regenerate ``exercises/``, run the currency
check and the student's own notebook, and launch again.
"""
from __future__ import annotations

import importlib.util
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest
from process_support import stop_process_group

from alliancekit._env import environment

ROOT = Path(__file__).resolve().parents[2]
ANSWERED = "ex01-theory"
EDITED_IN_EXERCISES = "ex02-patterns"
NEW_SET = "ex09-review"


def _git(cwd: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True,
                          text=True).stdout


def _copy_repository(destination: Path) -> Path:
    """The repository's files as a fresh clone would have them (tracked + new, not ignored)."""
    listed = _git(ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
    for rel in filter(None, listed.split("\0")):
        source = ROOT / rel
        if source.is_file():
            target = destination / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    _git(destination, "init", "-q")
    _git(destination, "add", "-A")
    _git(destination, "commit", "-q", "-m", "course as released")
    return destination


def _tasks(root: Path, monkeypatch):
    """tasks.py of the copy, with set-up and process launching recorded instead of run."""
    name = f"tasks_{secrets.token_hex(4)}"
    spec = importlib.util.spec_from_file_location(name, root / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.calls = []
    monkeypatch.setattr(module, "ensure_venv", lambda extras, wheelhouse=None: None)
    monkeypatch.setattr(module, "install_lesson_filter", lambda: False)
    record = lambda *cmd, env=None: module.calls.append([str(c) for c in cmd])  # noqa: E731
    monkeypatch.setattr(module, "run", record)
    monkeypatch.setattr(module, "run_lab", record)
    return module


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, command: list[str], root: Path, scratch: Path):
        self.port, self.token = _free_port(), secrets.token_hex(16)
        jupyter = Path(sys.executable).with_name("jupyter")
        command = [str(jupyter), *command[1:], "--no-browser", "--ServerApp.ip=127.0.0.1",
                   f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
                   f"--IdentityProvider.token={self.token}"]
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(scratch / "config"),
                   JUPYTER_RUNTIME_DIR=str(scratch / "runtime"), JUPYTER_PLATFORM_DIRS="1")
        env = environment(env)
        self.log = scratch / "server.log"
        with self.log.open("wb") as handle:
            self.process = subprocess.Popen(command, cwd=root, env=env, stdout=handle,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited:\n{self.log.read_text()[-3000:]}")
            try:
                self.request("GET", "api/status")
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the server did not answer:\n{self.log.read_text()[-3000:]}")

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/{path}", data=data, method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def stop(self) -> None:
        stop_process_group(self.process, grace=20)


def _solution_code(name: str, grade_id: str) -> str:
    nb = nbformat.read(ROOT / "solutions" / name / f"{name}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    return "\n".join(line for line in cell.source.splitlines() if "### " not in line)


def _first_autograded_answers(name: str, count: int) -> list[str]:
    """grade_ids of the first ``count`` code answers that are followed by a self-check."""
    nb = nbformat.read(ROOT / "exercises" / name / f"{name}.ipynb", as_version=4)
    found = []
    for cell, after in zip(nb.cells, nb.cells[1:], strict=False):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("solution") and "check(" in after.source:
            found.append(meta["grade_id"])
    return found[:count]


def _update_the_course(root: Path) -> None:
    """What an author's commit does: reword an answered set's intro; add a new set."""
    path = root / "solutions" / ANSWERED / f"{ANSWERED}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"][0]["source"] = "".join(nb["cells"][0]["source"]) + "\n\n(Revised for this term.)"
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    new = root / "solutions" / NEW_SET
    new.mkdir()
    shutil.copy(root / "solutions" / ANSWERED / f"{ANSWERED}.ipynb", new / f"{NEW_SET}.ipynb")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "course update: ex01 revised, ex09 added")


def _generator(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env = environment(env)
    return subprocess.run([sys.executable, "scripts/generate_exercises.py", *args], cwd=root,
                          env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def day(tmp_path, monkeypatch):
    root = _copy_repository(tmp_path / "course")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    tasks = _tasks(root, monkeypatch)
    tasks.course([])  # 1. launch: fills my-work/, then starts JupyterLab (recorded, started below)
    server = Server(tasks.calls[-1], root, scratch)
    yield root, tasks, server
    server.stop()


@pytest.mark.notebooks
def test_the_student_launch_does_not_serve_solutions(day):
    root, _, server = day
    assert (root / "solutions" / ANSWERED / f"{ANSWERED}.ipynb").exists()  # on disk, not served
    for path in ("api/contents/solutions",
                 f"api/contents/solutions/{ANSWERED}/{ANSWERED}.ipynb",
                 f"files/solutions/{ANSWERED}/{ANSWERED}.ipynb"):
        status, _ = server.request("GET", path)
        assert status == 404, (path, status)
    status, body = server.request("GET", "api/contents")
    names = {entry["name"] for entry in json.loads(body)["content"]}
    assert status == 200 and "solutions" not in names and {"course", "my-work"} <= names
    status, _ = server.request("GET", f"files/my-work/{ANSWERED}/{ANSWERED}.ipynb")
    assert status == 200
    status, _ = server.request("PUT", f"api/contents/solutions/{ANSWERED}/copy.ipynb",
                               {"type": "file", "format": "text", "content": "x"})
    assert status in (400, 404) and not (root / "solutions" / ANSWERED / "copy.ipynb").exists()


@pytest.mark.notebooks
def test_a_students_day_answers_survive_a_course_update(day, monkeypatch):
    root, tasks, server = day
    mine = f"my-work/{ANSWERED}/{ANSWERED}.ipynb"
    assert (root / mine).exists(), "the launch should copy every set into my-work/"
    # 2. answer two questions in the working copy, saved through the server as JupyterLab does
    status, body = server.request("GET", f"api/contents/{mine}")
    model = json.loads(body)["content"]
    answered = _first_autograded_answers(ANSWERED, 2)
    for cell in model["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in answered:
            cell["source"] = _solution_code(ANSWERED, grade_id)
    status, _ = server.request("PUT", f"api/contents/{mine}",
                               {"type": "notebook", "format": "json", "content": model})
    assert status == 200
    for path in (mine, f"exercises/{ANSWERED}/{ANSWERED}.ipynb"):  # checkpoints, as JupyterLab
        assert server.request("POST", f"api/contents/{path}/checkpoints")[0] == 201
    assert (root / "exercises" / ANSWERED / ".ipynb_checkpoints").is_dir()
    saved = (root / mine).read_bytes()
    # an old habit: answers typed straight into the generated exercises/ of another set
    habit = root / "exercises" / EDITED_IN_EXERCISES / f"{EDITED_IN_EXERCISES}.ipynb"
    habit.write_text(habit.read_text(encoding="utf-8").replace("YOUR ANSWER HERE",
                                                               "my own words", 1),
                     encoding="utf-8")
    server.stop()

    # 3. the course is updated, 4. exercises/ regenerated (as the author's chore does)
    _update_the_course(root)
    result = _generator(root, ANSWERED, EDITED_IN_EXERCISES, NEW_SET)
    assert result.returncode == 0, result.stderr[-3000:]
    regenerated = root / "exercises" / ANSWERED / f"{ANSWERED}.ipynb"
    assert "Revised for this term" in regenerated.read_text(encoding="utf-8")
    kept = list((root / "my-work" / EDITED_IN_EXERCISES).glob("*edited-in-exercises*.ipynb"))
    assert len(kept) == 1 and "my own words" in kept[0].read_text(encoding="utf-8")
    assert (root / "exercises" / ANSWERED / ".ipynb_checkpoints").is_dir()  # not deleted

    # the currency check ignores the checkpoint and anything not generated
    (root / "exercises" / ANSWERED / "notes.txt").write_text("a student's stray note")
    check = _generator(root, "--check", ANSWERED, EDITED_IN_EXERCISES, NEW_SET)
    assert check.returncode == 0, check.stderr[-3000:]
    assert (root / "exercises" / ANSWERED / "notes.txt").exists()

    # launch again: the new set arrives, the answered one is left exactly as the student saved it
    tasks.calls.clear()
    tasks.my_work([])
    assert (root / "my-work" / NEW_SET / f"{NEW_SET}.ipynb").exists()
    assert (root / mine).read_bytes() == saved
    assert _git(root, "status", "--porcelain", "--", "my-work") == ""  # git-ignored

    # the student's own checks pass on their answers
    sys.path.insert(0, str(Path(__file__).parent))
    from nbrun import run_notebook

    ran = run_notebook(root / mine, timeout=60)
    said = "".join(o.get("text", "") for o in ran.cells[-1].outputs)
    assert said.startswith("2 of "), said


def test_binder_start_fills_my_work_and_serves_the_student_view(tmp_path):
    root = _copy_repository(tmp_path / "course")
    assert os.access(root / "binder" / "start", os.X_OK), "binder/start must be executable"
    probe = ("from jupyter_server.serverapp import ServerApp; app = ServerApp(); "
             "app.config_file_paths; app.load_config_file(); "
             "print(app.config.ServerApp.contents_manager_class)")
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    result = subprocess.run(["bash", "binder/start", sys.executable, "-c", probe], cwd=root,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "alliancekit.studentview.StudentContentsManager" in result.stdout
    assert (root / "my-work" / ANSWERED / f"{ANSWERED}.ipynb").exists()


def test_lessons_send_students_to_their_own_copy_not_to_exercises():
    for lesson in sorted((ROOT / "course").glob("[0-9][0-9]-*.ipynb")):
        text = "\n".join(c.source for c in nbformat.read(lesson, as_version=4).cells
                         if c.cell_type == "markdown")
        assert "](../exercises/" not in text, f"{lesson.name} links into exercises/"
        name = "ex" + lesson.stem
        if (ROOT / "exercises" / name / f"{name}.ipynb").exists():
            assert f"](../my-work/{name}/{name}.ipynb)" in text, (
                f"{lesson.name} should link to ../my-work/{name}/{name}.ipynb")
