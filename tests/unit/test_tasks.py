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
    monkeypatch.setattr(module, "ensure_venv", lambda extras: calls.append(("venv", extras)))
    monkeypatch.setattr(module, "ensure_chromium", lambda: calls.append(("chromium",)))
    monkeypatch.setattr(module, "run", lambda *cmd, env=None: calls.append(tuple(map(str, cmd))))
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
