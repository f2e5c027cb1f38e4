"""tasks.py, the README's entry point: its commands and its answer to a wrong one."""
from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tasks(monkeypatch):
    spec = importlib.util.spec_from_file_location("tasks", ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    calls = []
    monkeypatch.setattr(module, "ensure_venv",
                        lambda extras, wheelhouse=None: calls.append(("venv", extras)))
    monkeypatch.setattr(module, "ensure_chromium", lambda: calls.append(("chromium",)))
    monkeypatch.setattr(module, "run", lambda *cmd, env=None: calls.append(tuple(map(str, cmd))))
    module.envs = []

    def run_lab(*cmd, env=None):
        calls.append(tuple(map(str, cmd)))
        module.envs.append(env)

    monkeypatch.setattr(module, "run_lab", run_lab)
    monkeypatch.setattr(module, "install_lesson_filter", lambda: calls.append(("filter",)))
    module.real_fill_working_copy = module.fill_working_copy
    monkeypatch.setattr(module, "fill_working_copy",  # never write the repository's my-work/
                        lambda: calls.append(("my-work",)) or {"added": [], "updated_upstream": []})
    module.calls = calls
    return module


def test_an_unknown_task_is_refused_with_the_list_of_tasks():
    result = subprocess.run([sys.executable, str(ROOT / "tasks.py"), "nope"],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "course, test, exercises, data, bench" in result.stderr


def test_course_serves_the_whole_repository_and_opens_the_welcome_lesson(tasks):
    tasks.course([])
    command = tasks.calls[-1]
    assert command[1:3] == ("lab", f"--ServerApp.root_dir={ROOT}")
    assert "--LabApp.default_url=/lab/tree/course/00-welcome.ipynb" in command


def test_test_installs_chromium_and_runs_pytest_on_every_core(tasks):
    tasks.test(["-k", "cases"])
    assert ("chromium",) in tasks.calls
    assert tasks.calls[-1][1:] == ("-m", "pytest", "-n", "auto", "--dist", "loadfile", "-k",
                                   "cases")


def test_test_leaves_the_worker_count_to_a_caller_who_chooses_it(tasks):
    tasks.test(["-n", "0"])
    assert tasks.calls[-1][1:] == ("-m", "pytest", "-n", "0")


def test_an_unknown_task_close_to_a_real_one_gets_a_suggestion():
    result = subprocess.run([sys.executable, str(ROOT / "tasks.py"), "cours"],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "unknown task 'cours'; did you mean 'course'?" in result.stderr


@pytest.mark.parametrize("flag", ["--help", "-h", "help"])
def test_help_lists_the_tasks_and_succeeds(flag):
    result = subprocess.run([sys.executable, str(ROOT / "tasks.py"), flag],
                            capture_output=True, text=True)
    assert result.returncode == 0
    assert "python3 tasks.py course" in result.stdout and "tasks.py solutions" in result.stdout


def test_course_hides_solutions_and_fills_my_work_first(tasks):
    tasks.course([])
    assert ("my-work",) in tasks.calls
    assert ("--ServerApp.contents_manager_class=alliancekit.studentview.StudentContentsManager"
            in tasks.calls[-1])


def test_solutions_is_a_separate_deliberate_task(tasks):
    tasks.solutions([])
    assert "--LabApp.default_url=/lab/tree/solutions" in tasks.calls[-1]
    assert not any("studentview" in part for part in tasks.calls[-1])


def test_filling_my_work_copies_new_files_and_never_overwrites(tasks, tmp_path):
    (tmp_path / "exercises" / "ex01-a" / ".ipynb_checkpoints").mkdir(parents=True)
    (tmp_path / "exercises" / "ex01-a" / "ex01-a.ipynb").write_text("v1")
    (tmp_path / "exercises" / "ex01-a" / ".ipynb_checkpoints" / "x.ipynb").write_text("cp")
    (tmp_path / "exercises" / "GENERATED.json").write_text("{}")
    first = tasks.real_fill_working_copy(tmp_path)
    assert first["added"] == ["my-work/ex01-a/ex01-a.ipynb"]
    mine = tmp_path / "my-work" / "ex01-a" / "ex01-a.ipynb"
    mine.write_text("my answers")
    (tmp_path / "exercises" / "ex01-a" / "ex01-a.ipynb").write_text("v2")
    (tmp_path / "exercises" / "ex02-b").mkdir()
    (tmp_path / "exercises" / "ex02-b" / "ex02-b.ipynb").write_text("new")
    second = tasks.real_fill_working_copy(tmp_path)
    assert second == {"added": ["my-work/ex02-b/ex02-b.ipynb"],
                      "updated_upstream": ["my-work/ex01-a/ex01-a.ipynb"]}
    assert mine.read_text() == "my answers"
    assert not (tmp_path / "my-work" / "GENERATED.json").exists()
    assert not (tmp_path / "my-work" / "ex01-a" / ".ipynb_checkpoints").exists()


def test_course_and_solutions_each_open_their_own_workspace(tasks):
    tasks.course([])
    tasks.solutions([])
    course, solutions = [call for call in tasks.calls if call[1:2] == ("lab",)]
    assert f"--LabApp.workspaces_dir={ROOT / '.jupyter-workspaces' / 'course'}" in course
    assert f"--LabApp.workspaces_dir={ROOT / '.jupyter-workspaces' / 'solutions'}" in solutions
    ignored = subprocess.run(["git", "check-ignore", "-q", ".jupyter-workspaces/course/x.json"],
                             cwd=ROOT)
    assert ignored.returncode == 0, ".jupyter-workspaces/ should be ignored by git"


def test_course_serves_the_student_configuration_and_installs_the_lesson_filter(tasks):
    tasks.course([])
    assert ("filter",) in tasks.calls
    paths = tasks.envs[-1]["JUPYTER_CONFIG_PATH"].split(os.pathsep)
    assert paths[:2] == [str(ROOT / "alliancekit" / "student_config"),
                         str(ROOT / "alliancekit" / "student_config" / "no-exchange")]
    tasks.solutions([])
    assert "student_config" not in tasks.envs[-1].get("JUPYTER_CONFIG_PATH", "")


def _repo(path):
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    return path


@pytest.mark.skipif(not shutil.which("git"), reason="git is not installed")
def test_the_lesson_filter_is_local_git_config_set_once_and_only_in_a_checkout(tasks, tmp_path):
    assert tasks.install_lesson_filter.__name__ == "<lambda>"  # the fixture's stand-in
    real = importlib.util.module_from_spec(
        importlib.util.spec_from_file_location("tasks_real", ROOT / "tasks.py"))
    real.__spec__.loader.exec_module(real)
    assert real.install_lesson_filter(tmp_path / "not-a-checkout") is False
    repo = _repo(tmp_path / "clone")
    assert real.install_lesson_filter(repo) and real.install_lesson_filter(repo)
    config = subprocess.run(["git", "config", "--local", "--get-all",
                             "filter.nbstripout.clean"], cwd=repo, capture_output=True,
                            text=True).stdout.splitlines()
    assert config == [f'"{real.PYTHON.as_posix()}" {real.LESSON_FILTER}']
    assert "--keep-id" in config[0]
    attributes = (ROOT / ".gitattributes").read_text(encoding="utf-8")
    rules = [line for line in attributes.splitlines() if line and not line.startswith("#")]
    assert rules == ["course/*.ipynb filter=nbstripout diff=ipynb"]  # not solutions/, exercises/


FAKE_LAB = """
import subprocess, sys, time
kernel = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"],
                          start_new_session=True)
open(sys.argv[1], "w").write(str(kernel.pid))
time.sleep(120)
"""
CHORE = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("tasks", sys.argv[1])
tasks = importlib.util.module_from_spec(spec); spec.loader.exec_module(tasks)
tasks.run_lab(sys.executable, "-c", sys.argv[2], sys.argv[3])
"""


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc (Linux)")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_stop_signal_ends_the_lab_and_a_kernel_in_a_session_of_its_own(sig, tmp_path):
    pid_file = tmp_path / "kernel.pid"
    chore = subprocess.Popen([sys.executable, "-c", CHORE, str(ROOT / "tasks.py"), FAKE_LAB,
                              str(pid_file)], start_new_session=True,
                             stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not (pid_file.exists() and pid_file.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        kernel = int(pid_file.read_text())
        assert _alive(kernel)
        chore.send_signal(sig)
        chore.wait(timeout=60)
        deadline = time.monotonic() + 10
        while _alive(kernel) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(kernel)
        assert chore.returncode == (0 if sig == signal.SIGINT else 128 + sig)
    finally:
        if chore.poll() is None:
            os.killpg(chore.pid, signal.SIGKILL)


# --------------------------------------------------------------------------------------------
# Bytecode: a sandboxed kernel (read-only Python) must find it, not compile its imports
# --------------------------------------------------------------------------------------------
KERNEL_IMPORTS = "import ipykernel.kernelapp, ipykernel.debugger, pandas, altair, alliancekit"


def test_the_course_environment_holds_the_bytecode_of_the_packages_a_kernel_imports():
    if Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
        pytest.skip("not running in the .venv that tasks.py installs (and compiles)")
    script = (f"{KERNEL_IMPORTS}\n"
              "import importlib.util, os, sys\n"
              "ours = sys.prefix  # the installed packages (the library may be mid-edit)\n"
              "files = [m.__file__ for m in list(sys.modules.values())\n"
              "         if (getattr(m, '__file__', None) or '').endswith('.py')\n"
              "         and m.__file__.startswith(ours)]\n"
              "print('\\n'.join(f for f in files\n"
              "                 if not os.path.exists(importlib.util.cache_from_source(f))))\n")
    missing = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             check=True).stdout.split()
    assert missing == [], f"{len(missing)} modules without bytecode, e.g. {missing[:3]}"


def test_installing_compiles_the_environment_and_the_library_on_every_core(tasks, monkeypatch):
    commands = []
    monkeypatch.setattr(tasks.subprocess, "call", lambda cmd, cwd=None: commands.append(cmd))
    tasks.compile_bytecode()
    [command] = commands
    assert command[1:6] == ["-m", "compileall", "-qq", "-j", "0"]
    assert str(ROOT / "alliancekit") in command
    assert any(part.endswith("site-packages") for part in command)
