#!/usr/bin/env python3
"""One entry point for the course's chores, with nothing but Python 3.10+ and git needed.

    python3 tasks.py course      set up .venv and open the course in JupyterLab
    python3 tasks.py test        set up .venv (and Chromium where possible) and run every test
    python3 tasks.py exercises   regenerate exercises/ from solutions/ with nbgrader
    python3 tasks.py data        rebuild the shipped CSV extracts from ../shared/data
    python3 tasks.py bench       run the benchmarks and print their figures
    python3 tasks.py hub         (root) a trial JupyterHub class on http://127.0.0.1:8000

Arguments after ``test`` go to pytest, e.g. ``python3 tasks.py test tests/unit`` for the fast unit
tests alone, or ``-k cases``; tests run on one worker per core unless you pass ``-n`` yourself
(``-n 0`` runs them in one process). ``tests/unit`` holds fast tests of the library and data;
``tests/integration`` the slower ones that execute notebooks, run nbgrader or drive a browser.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
CHROMIUM = Path("/usr/bin/chromium")


def run(*cmd: str | Path, env: dict | None = None) -> None:
    """Run a command from the project root, stopping with its exit code if it fails."""
    printable = " ".join(str(c) for c in cmd)
    print(f"$ {printable}", flush=True)
    code = subprocess.call([str(c) for c in cmd], cwd=ROOT, env=env)
    if code != 0:
        sys.exit(code)


def ensure_venv(extras: str) -> None:
    """Create .venv and install the package with ``extras``, unless pyproject.toml is unchanged."""
    if not PYTHON.exists():
        venv.create(VENV, with_pip=True)
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    stamp = VENV / f".installed-{extras.replace(',', '-')}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e",
        f".[{extras}]")
    stamp.write_text(digest)


def venv_env() -> dict:
    """The environment with the venv's bin/ first on PATH (nbgrader shells out to alembic)."""
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(VENV)
    return env


def ensure_chromium() -> None:
    """Install Debian's Chromium for the browser tests when we are root on a Debian-like machine."""
    if CHROMIUM.exists():
        return
    can_apt = shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0
    if not can_apt:
        print("Chromium is not installed and apt-get is unavailable (or not root): "
              "browser tests will be skipped. Install the 'chromium' package to run them.")
        return
    apt_env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run("apt-get", "update", "-qq", env=apt_env)
    run("apt-get", "install", "-y", "-qq", "chromium", "chromium-driver", env=apt_env)


def ensure_bubblewrap() -> None:
    """Install Debian's bubblewrap (the grading sandbox of alliancekit-grade) when we are root."""
    if shutil.which("bwrap") or not sys.platform.startswith("linux"):
        return
    can_apt = shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0
    if not can_apt:
        print("bubblewrap is not installed and apt-get is unavailable (or not root): the "
              "sandboxed grading tests will be skipped. Install the 'bubblewrap' package.")
        return
    apt_env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run("apt-get", "update", "-qq", env=apt_env)
    run("apt-get", "install", "-y", "-qq", "bubblewrap", env=apt_env)


def course(args: list[str]) -> None:
    ensure_venv("course")
    as_root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    # Serve the whole repository (lessons and exercises) and open on the welcome lesson.
    run(BIN / "jupyter", "lab", f"--ServerApp.root_dir={ROOT}",
        "--LabApp.default_url=/lab/tree/course/00-welcome.ipynb", *as_root, *args,
        env=venv_env())


def test(args: list[str]) -> None:
    ensure_venv("course,test")
    ensure_chromium()
    ensure_bubblewrap()
    # One worker per core; a test file stays on one worker, so each file's shared fixtures
    # (a JupyterLab server, an nbgrader course, an executed lesson) are built once.
    chose = any(a.startswith(("-n", "--numprocesses")) or a == "no:xdist" for a in args)
    parallel = [] if chose else ["-n", "auto", "--dist", "loadfile"]
    run(PYTHON, "-m", "pytest", *parallel, *args, env=venv_env())


def exercises(args: list[str]) -> None:
    ensure_venv("course,test")
    run(PYTHON, "scripts/generate_exercises.py", *args, env=venv_env())


def data(args: list[str]) -> None:
    ensure_venv("course,test")
    run(PYTHON, "scripts/build_data.py", *args, env=venv_env())


def bench(args: list[str]) -> None:
    ensure_venv("course,test")
    ensure_chromium()
    ensure_bubblewrap()
    for script in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        run(PYTHON, script, *args, env=venv_env())


def hub(args: list[str]) -> None:
    """A trial of the class hub (hub/): one instructor and three students, on 127.0.0.1 only.

    Builds the shared environment in /opt/alliancekit-hub (hub/install.py), creates the Unix users
    ``instructor``, ``student1``..``student3`` when missing (hub/roster.py), and starts JupyterHub
    with one trial password for all of them, printed here. Ctrl-C stops it. For a real class, see
    INSTRUCTORS.md, "Teaching a class on JupyterHub".
    """
    import secrets

    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        sys.exit("tasks.py hub: run it as root (sudo): the hub starts each user's server as "
                 "that user")
    ensure_venv("course,test")
    prefix = os.environ.get("ALLIANCEKIT_HUB_PREFIX", "/opt/alliancekit-hub")
    run(PYTHON, "hub/install.py", "--prefix", prefix, env=venv_env())
    roster = Path(prefix) / "roster.json"
    if not roster.exists():
        run(PYTHON, "hub/roster.py", "--prefix", prefix, "init", "--instructor", "instructor")
        run(PYTHON, "hub/roster.py", "--prefix", prefix, "add-student", "student1", "student2",
            "student3")
    password = secrets.token_urlsafe(9)
    env = dict(os.environ, ALLIANCEKIT_HUB_PREFIX=prefix, ALLIANCEKIT_HUB_IP="127.0.0.1",
               ALLIANCEKIT_HUB_AUTH="shared-password", ALLIANCEKIT_HUB_PASSWORD=password)
    print(f"Trial hub: http://127.0.0.1:{env.get('ALLIANCEKIT_HUB_PORT', '8000')}  users: "
          f"instructor, student1, student2, student3 (see {roster})  password: {password}")
    run(Path(prefix) / "env" / "bin" / "jupyterhub", "-f", ROOT / "hub" / "jupyterhub_config.py",
        *args, env=env)


COMMANDS = {"course": course, "test": test, "exercises": exercises, "data": data, "bench": bench,
            "hub": hub}


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        choices = ", ".join(COMMANDS)
        sys.exit(f"tasks.py: say which task to run; one of: {choices}")
    COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
