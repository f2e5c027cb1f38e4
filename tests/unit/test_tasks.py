"""tasks.py, the README's entry point: its commands and its answer to a wrong one."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
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
