"""Library, tests, scripts and lesson notebooks pass the linter configured in pyproject.toml."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_ruff_finds_nothing_in_the_project_or_its_notebooks():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        if os.environ.get("CI"):
            pytest.fail("ruff is missing in CI: `python3 tasks.py test` installs the [test] extra")
        pytest.skip("ruff is not installed (it comes with the [test] extra)")
    result = subprocess.run([ruff, "check", "--no-cache", "."], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_pre_commit_hook_runs_the_same_ruff_without_the_network():
    """A hook that clones from the web cannot run here, so the ruff hook is a local one."""
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [h for repo in config["repos"] if repo["repo"] == "local" for h in repo["hooks"]]
    ruff = [h for h in hooks if h["id"] == "ruff"]
    assert ruff and "ruff check" in ruff[0]["entry"] and ruff[0]["language"] == "system"
    assert all(repo["repo"] == "local" for repo in config["repos"])
