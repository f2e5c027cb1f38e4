"""Launch anywhere, part one: the Binder configuration.

binder/ is what repo2docker understands, and it installs what pyproject.toml declares (the course
in a real browser is tested in test_browser.py).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BINDER = ROOT / "binder"


def _load_sync_binder():
    import importlib.util

    path = ROOT / "scripts" / "sync_binder.py"
    spec = importlib.util.spec_from_file_location("sync_binder", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------------------------------
# Binder


def test_binder_requirements_are_generated_from_pyproject():
    sync = _load_sync_binder()
    assert (BINDER / "requirements.txt").read_text() == sync.requirements_text(), (
        "binder/requirements.txt is out of date with pyproject.toml: "
        "run `python scripts/sync_binder.py`")


def _project() -> dict:
    """pyproject.toml's [project] table (tomllib, or tomli on Python 3.10)."""
    return _load_sync_binder()._load_toml(ROOT / "pyproject.toml")["project"]


def test_binder_requirements_list_every_runtime_and_course_dependency():
    project = _project()
    lines = {line.strip() for line in (BINDER / "requirements.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")}
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["course"]]:
        assert requirement in lines, f"{requirement!r} from pyproject.toml is missing on Binder"


def test_binder_installs_the_package_itself():
    lines = [line.strip() for line in (BINDER / "requirements.txt").read_text().splitlines()]
    assert "-e ." in lines or "." in lines


def test_binder_runtime_is_a_supported_python():
    from packaging.specifiers import SpecifierSet

    runtime = (BINDER / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(3\.\d+)", runtime)
    assert match, f"binder/runtime.txt should read like 'python-3.11', not {runtime!r}"
    requires = _project()["requires-python"]
    assert match.group(1) + ".0" in SpecifierSet(requires)


def test_readme_binder_link_opens_the_welcome_lesson():
    readme = (ROOT / "README.md").read_text()
    links = re.findall(r"https://mybinder\.org/v2/gh/[^)\s]+", readme)
    assert links, "README.md should carry a Binder launch badge and link"
    for link in links:
        urlpath = re.search(r"urlpath=([^&)\s]+)", link)
        assert urlpath, f"Binder link {link} should open a lesson through urlpath="
        target = urlpath.group(1).replace("%2F", "/")
        assert target == "lab/tree/course/00-welcome.ipynb", link
        assert (ROOT / target.removeprefix("lab/tree/")).is_file()


def test_repo2docker_understands_the_binder_folder():
    repo2docker = Path(sys.executable).with_name("repo2docker")
    command = [str(repo2docker)] if repo2docker.exists() else [sys.executable, "-m", "repo2docker"]
    result = subprocess.run([*command, "--no-build", "--debug", "--no-run", "."], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    dockerfile = result.stdout + result.stderr
    assert 'pip install --no-cache-dir -r "binder/requirements.txt"' in dockerfile
    assert "python=3.11" in dockerfile


def _pypi_reachable() -> bool:
    import urllib.request

    try:
        urllib.request.urlopen("https://pypi.org/simple/pip/", timeout=10).close()
        return True
    except OSError:
        return False


def test_binder_requirements_resolve_from_scratch(tmp_path):
    if not _pypi_reachable():
        if os.environ.get("CI"):
            pytest.fail("PyPI is unreachable, so binder/requirements.txt cannot be resolved")
        pytest.skip("PyPI is unreachable: cannot check that binder/requirements.txt resolves")
    report = tmp_path / "report.json"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
         "--report", str(report), "-r", "binder/requirements.txt"],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    resolved = {item["metadata"]["name"].lower(): item["metadata"]["version"]
                for item in json.loads(report.read_text())["install"]}
    assert resolved.get("alliancekit")
    assert resolved.get("jupyterlab") == "4.6.6"
    assert resolved.get("nbgrader") == "0.9.6"
    assert resolved.get("altair", "").startswith("5.")
