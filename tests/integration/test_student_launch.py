"""The student launch, as ``python3 tasks.py course`` starts it in a fresh clone.

- It serves nothing under ``solutions/``, by any spelling, on any route that takes a path, and no
  nbgrader instructor page.
- A lesson run and saved (outputs and all) leaves ``git status`` clean: the nbstripout filter.
- SIGTERM or SIGHUP to the chore stops JupyterLab and every kernel it started.

Each test works in a temporary git clone of the repository, never in the worktree. The chore runs
as a real process (``tasks.py course`` with the port, token and address added); only the venv
step is skipped, so the clone uses this environment instead of building its own.
"""
from __future__ import annotations

import importlib.util
import json
import os
import secrets
import shutil
import signal
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
SET = "ex01-theory"
LESSON = "course/00-welcome.ipynb"
LINUX = sys.platform.startswith("linux")

pytestmark = pytest.mark.skipif(not shutil.which("git"), reason="git is not installed")


def _git(cwd: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True,
                          text=True).stdout


def _clone(destination: Path) -> Path:
    """The repository as a fresh clone has it: the committed files (and git's index)."""
    _git(ROOT, "clone", "-q", "--no-hardlinks", str(ROOT), str(destination))
    # As if the clone were a few seconds old: git re-reads files written in the same second as
    # its index ("racily clean"), through the lesson filter once the launch has installed it,
    # which costs a Python start per lesson. A student's clone is older than that.
    past = time.time() - 10
    for rel in filter(None, _git(destination, "ls-files", "-z").split("\0")):
        os.utime(destination / rel, (past, past))
    _git(destination, "update-index", "-q", "--refresh")
    return destination


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


#: Runs the clone's tasks.py as the chore would, with this environment as its .venv.
CHORE = ("import sys, importlib.util; from pathlib import Path; "
         "spec = importlib.util.spec_from_file_location('tasks', sys.argv[1]); "
         "tasks = importlib.util.module_from_spec(spec); spec.loader.exec_module(tasks); "
         "tasks.ensure_venv = lambda extras, wheelhouse=None: None; "
         "tasks.BIN = Path(sys.executable).parent; "
         "tasks.PYTHON = Path(sys.executable); tasks.main(sys.argv[2:])")


class Chore:
    """``tasks.py course`` running in ``root``, on 127.0.0.1 with a token; stopped by its PID."""

    def __init__(self, root: Path, scratch: Path):
        self.root, self.scratch = root, scratch
        self.port, self.token = _free_port(), secrets.token_hex(16)
        self.runtime = scratch / "runtime"
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(scratch / "config"),
                   JUPYTER_RUNTIME_DIR=str(self.runtime), JUPYTER_PLATFORM_DIRS="1",
                   JUPYTERLAB_SETTINGS_DIR=str(scratch / "settings"))
        env.pop("JUPYTER_CONFIG_PATH", None)
        self.log = scratch / "chore.log"
        command = [sys.executable, "-c", CHORE, str(root / "tasks.py"), "course", "--no-browser",
                   "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
                   "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}"]
        with self.log.open("wb") as handle:
            self.process = subprocess.Popen(command, cwd=root, env=environment(env),
                                            stdout=handle, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the chore exited:\n{self.log.read_text()[-3000:]}")
            try:
                self.request("GET", "api/status")
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"JupyterLab did not answer:\n{self.log.read_text()[-3000:]}")

    def request(self, method: str, path: str, body: dict | None = None,
                token: bool = True) -> tuple[int, bytes]:
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"token {self.token}"
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/{path}", data=data,
                                         method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def port_open(self) -> bool:
        with socket.socket() as sock:
            sock.settimeout(1)
            return sock.connect_ex(("127.0.0.1", self.port)) == 0

    def kernel_pids(self) -> list[int]:
        """Kernels of this launch: processes whose command line names its runtime folder."""
        found = []
        for entry in Path("/proc").glob("[0-9]*"):
            try:
                cmdline = entry.joinpath("cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if "ipykernel" in cmdline and str(self.runtime) in cmdline:
                found.append(int(entry.name))
        return found

    def stop(self) -> None:
        stop_process_group(self.process, grace=40)


@pytest.fixture(scope="module")
def launch(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("launch")
    root = _clone(tmp / "clone")
    (tmp / "scratch").mkdir()
    chore = Chore(root, tmp / "scratch")
    yield chore
    chore.stop()


# ----------------------------------------------------------------------------- solutions/ withheld
NOTEBOOK = f"{SET}/{SET}.ipynb"
#: Spellings of solutions/<set>/<set>.ipynb as a URL path (none of them may reach the file).
SPELLINGS = [
    f"solutions/{NOTEBOOK}",
    f"./solutions/{NOTEBOOK}",
    f"course/../solutions/{NOTEBOOK}",
    f"%2E/solutions/{NOTEBOOK}",
    f"course/%2e%2e/solutions/{NOTEBOOK}",
    f"my-work/../solutions/{NOTEBOOK}",
    f"/solutions/{NOTEBOOK}",
    f"solutions/./{NOTEBOOK}",
    f"SOLUTIONS/{NOTEBOOK}",
    f"my-work/link/{NOTEBOOK}",
    f"solutions%2F{SET}%2F{SET}.ipynb",
    f"course%2F..%2Fsolutions/{NOTEBOOK}",
    f"course\\..\\solutions/{NOTEBOOK}",
    f"%252E/solutions/{NOTEBOOK}",
    f"solutions%2f{SET}",
    "solutions",
    "my-work/link",
]
#: Routes that take a path: (method, URL prefix).
ROUTES = [
    ("GET", "api/contents/"), ("GET", "files/"), ("GET", "view/"), ("GET", "nbconvert/html/"),
    ("GET", "tree/"), ("GET", "notebooks/"), ("GET", "edit/"), ("GET", "lab/tree/"),
    ("GET", "doc/tree/"), ("GET", "lab/workspaces/x/tree/"),
]
#: nbgrader's instructor pages and APIs.
INSTRUCTOR_URLS = ["formgrader", "formgrader/", "formgrader/manage_assignments",
                   "formgrader/api/assignments", "formgrader/api/status",
                   f"formgrader/api/assignment/{SET}", "formgraders", "create_assignment"]


def _link_into_solutions(root: Path) -> None:
    link = root / "my-work" / "link"
    if not link.is_symlink():
        link.symlink_to(Path("..") / "solutions", target_is_directory=True)


@pytest.mark.notebooks
def test_no_spelling_of_a_path_into_solutions_is_served_on_any_route(launch):
    assert (launch.root / "solutions" / NOTEBOOK).exists()  # on disk, not served
    _link_into_solutions(launch.root)
    served = []
    for method, prefix in ROUTES:
        for spelling in SPELLINGS:
            status, body = launch.request(method, prefix + spelling)
            if status != 404:
                served.append((prefix + spelling, status))
    assert not served, served


@pytest.mark.notebooks
def test_a_student_who_opens_the_solutions_page_is_told_why_and_what_to_do(launch):
    status, body = launch.request("GET", f"lab/tree/solutions/{NOTEBOOK}")
    assert status == 404
    page = body.decode("utf-8")
    assert "Not served here" in page and "tasks.py solutions" in page


@pytest.mark.notebooks
def test_checkpoints_copies_and_sessions_into_solutions_are_refused(launch):
    _link_into_solutions(launch.root)
    calls = [("POST", f"api/contents/solutions/{NOTEBOOK}/checkpoints", None),
             ("GET", f"api/contents/./solutions/{NOTEBOOK}/checkpoints", None),
             ("POST", f"api/contents/my-work/link/{NOTEBOOK}/checkpoints", None),
             ("POST", "api/contents/my-work", {"copy_from": f"course/../solutions/{NOTEBOOK}"}),
             ("POST", "api/contents/my-work", {"copy_from": f"my-work/link/{NOTEBOOK}"}),
             ("PUT", "api/contents/my-work/link/new.txt",
              {"type": "file", "format": "text", "content": "x"}),
             ("PATCH", f"api/contents/my-work/{NOTEBOOK}", {"path": "solutions/moved.ipynb"})]
    for spelling in ("solutions", "./solutions", "my-work/../solutions", "my-work/link"):
        calls.append(("POST", "api/sessions", {"path": f"{spelling}/{NOTEBOOK}", "type": "notebook",
                                               "name": "", "kernel": {"name": "python3"}}))
        calls.append(("POST", "api/kernels", {"name": "python3", "path": spelling}))
    answered = [(method, path, launch.request(method, path, body)[0])
                for method, path, body in calls]
    assert all(status in (400, 404) for *_, status in answered), "\n".join(map(str, answered))
    assert not (launch.root / "solutions" / SET / ".ipynb_checkpoints").exists()
    assert not list((launch.root / "solutions").rglob("new.txt"))
    assert launch.request("GET", "api/sessions")[1] == b"[]"
    assert launch.request("GET", "api/kernels")[1] == b"[]"


@pytest.mark.notebooks
def test_the_folder_listings_leave_solutions_and_links_to_it_out(launch):
    _link_into_solutions(launch.root)
    names = {e["name"] for e in json.loads(launch.request("GET", "api/contents")[1])["content"]}
    assert "solutions" not in names and {"course", "my-work", "exercises"} <= names
    mine = json.loads(launch.request("GET", "api/contents/my-work")[1])["content"]
    assert SET in {e["name"] for e in mine} and "link" not in {e["name"] for e in mine}
    assert launch.request("GET", f"api/contents/my-work/{NOTEBOOK}")[0] == 200
    assert launch.request("GET", f"files/course/../{LESSON}")[0] == 200  # not over-refused


@pytest.mark.notebooks
def test_no_nbgrader_instructor_page_or_panel_is_served_to_students(launch):
    for url in INSTRUCTOR_URLS:
        assert launch.request("GET", url)[0] == 404, url
    assert launch.request("GET", "assignments")[0] == 404  # no exchange outside a hub
    page = launch.request("GET", "lab")[1].decode()
    config = json.loads(page.split('id="jupyter-config-data" type="application/json">', 1)[1]
                        .split("</script>", 1)[0])
    disabled = config["disabledExtensions"]
    for plugin in ("formgrader", "course-list", "create-assignment", "assignment-list"):
        assert f"@jupyter/nbgrader:{plugin}" in disabled, plugin
    assert "@jupyter/nbgrader:validate-assignment" not in disabled


# ----------------------------------------------------------------------------- git never sees a run
@pytest.mark.notebooks
def test_a_lesson_run_and_saved_through_jupyterlab_leaves_git_clean(launch):
    sys.path.insert(0, str(Path(__file__).parent))
    from nbrun import run_notebook

    assert _git(launch.root, "config", "filter.nbstripout.clean")  # installed by the launch
    assert _git(launch.root, "status", "--porcelain") == ""
    ran = run_notebook(launch.root / LESSON, timeout=120)
    specs = json.loads(launch.request("GET", "api/kernelspecs")[1])["kernelspecs"]
    ran.metadata.kernelspec.display_name = specs["python3"]["spec"]["display_name"]  # as Lab does
    ran.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    for cell in ran.cells:
        if cell.cell_type == "code":
            cell.metadata["execution"] = {"iopub.status.idle": "2026-12-07T03:00:00.000Z"}
    assert any(c.get("outputs") for c in ran.cells)
    model = {"type": "notebook", "format": "json", "content": json.loads(nbformat.writes(ran))}
    status, _ = launch.request("PUT", f"api/contents/{LESSON}", model)
    assert status == 200
    assert '"output_type"' in (launch.root / LESSON).read_text(encoding="utf-8")  # kept on disk
    # the index is refreshed just after the save has answered (studentview.save)
    deadline = time.monotonic() + 120
    while _git(launch.root, "status", "--porcelain") and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _git(launch.root, "status", "--porcelain") == ""
    assert _git(launch.root, "diff", "--stat") == ""
    # the clone's own committed-lesson test (it reads git's index), run on the clone
    spec = importlib.util.spec_from_file_location(
        f"clone_lessons_{secrets.token_hex(4)}", launch.root / "tests/integration/test_lessons.py")
    lessons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lessons)
    assert lessons.ROOT == launch.root and lessons.PATHS
    for path in lessons.PATHS:
        lessons.test_committed_lesson_has_no_outputs_or_execution_counts(path)
    # ... and it still fails for a lesson staged with its outputs (the filter bypassed)
    blob = _git(launch.root, "hash-object", "-w", "--no-filters", LESSON).strip()
    _git(launch.root, "update-index", "--cacheinfo", f"100644,{blob},{LESSON}")
    with pytest.raises(AssertionError, match="outputs or execution counts"):
        lessons.test_committed_lesson_has_no_outputs_or_execution_counts(launch.root / LESSON)
    _git(launch.root, "reset", "-q", "--", LESSON)


# ----------------------------------------------------------------------------- stopping the chore
@pytest.mark.notebooks
@pytest.mark.skipif(not LINUX, reason="finds kernel processes through /proc (Linux)")
@pytest.mark.parametrize("sig", ["SIGTERM", "SIGHUP"])
def test_a_stop_signal_to_the_chore_stops_jupyterlab_and_its_kernels(sig, tmp_path):
    root = _clone(tmp_path / "clone")
    (tmp_path / "scratch").mkdir()
    chore = Chore(root, tmp_path / "scratch")
    try:
        status, _ = chore.request("POST", "api/sessions", {
            "path": LESSON, "type": "notebook", "name": "", "kernel": {"name": "python3"}})
        assert status == 201
        deadline = time.monotonic() + 30
        while not chore.kernel_pids() and time.monotonic() < deadline:
            time.sleep(0.2)
        kernels = chore.kernel_pids()
        assert kernels, "the session should have started a kernel"
        chore.process.send_signal(getattr(signal, sig))  # the chore alone, as a terminal would
        chore.process.wait(timeout=60)
        assert not chore.port_open()
        deadline = time.monotonic() + 10
        while chore.kernel_pids() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert chore.kernel_pids() == []
    finally:
        chore.stop()
        for pid in chore.kernel_pids():  # never leave a kernel behind, even when the test fails
            os.kill(pid, signal.SIGKILL)
