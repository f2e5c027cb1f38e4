"""The course installs and runs with no network, from a wheelhouse (issue 26).

The wheelhouse for this machine (Linux x86_64, the running Python) is built in _build/wheelhouse
by ``tasks.py wheelhouse --this --no-tests``; a second run re-resolves the lock and downloads only
the wheels it lacks, so CI re-uses what is there. A copy of the repository without ``.git`` (as
``tasks.py usb`` makes it) then installs from it inside a network namespace with nothing but
loopback (``unshare -n``), runs lesson 05 headless and starts the course, all with no network.
Building the wheelhouse and resolving the other platforms' locks needs PyPI.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WHEELHOUSE = ROOT / "_build" / "wheelhouse"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


wh = _load("wheelhouse")
usb = _load("usb")
PYTHON = wh.this_python()


def _cannot(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but the offline tests cannot run: {reason}")
    pytest.skip(reason)


def _namespace_problem() -> str | None:
    if wh.this_machine() != "linux-x86_64":
        return "the offline install is tested on Linux x86_64 only"
    if not shutil.which("unshare") or not shutil.which("ip"):
        return "unshare (util-linux) and ip (iproute2) are needed for a network namespace"
    probe = subprocess.run(["unshare", "-n", "sh", "-c", "ip link set lo up"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        return f"cannot make a network namespace here (needs root): {probe.stderr.strip()}"
    return None


@pytest.fixture(scope="module")
def wheelhouse():
    """This machine's course wheelhouse, built or brought up to date in _build/wheelhouse."""
    problem = _namespace_problem()
    if problem:
        _cannot(problem)
    result = subprocess.run([sys.executable, str(ROOT / "tasks.py"), "wheelhouse",
                             str(WHEELHOUSE), "--this", "--no-tests"],
                            capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        _cannot(f"could not build the wheelhouse (is PyPI reachable?): "
                f"{result.stdout[-1500:]}{result.stderr[-1500:]}")
    return WHEELHOUSE


@pytest.fixture(scope="module")
def offline_copy(wheelhouse, tmp_path_factory):
    """A copy of the repository without .git, its venv installed from the wheelhouse, offline."""
    copy = tmp_path_factory.mktemp("offline") / "alliancekit"
    usb.copy_repository(copy)
    assert not (copy / ".git").exists()
    yield copy
    # Removing the copy's venv (tens of thousands of files) took up to a minute on a loaded
    # machine: a detached rm does it while the worker goes on to its next test file.
    subprocess.Popen(["rm", "-rf", "--", str(copy)], start_new_session=True,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _offline(script: str, cwd: Path, timeout: int) -> subprocess.CompletedProcess:
    """Run a shell script in a new network namespace with only loopback, pip's config ignored."""
    env = wh.offline_env()
    outer = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if p != outer)
    env.pop("VIRTUAL_ENV", None)
    env["HOME"] = str(cwd / ".home")  # Jupyter's settings and workspaces stay in the copy
    for flag in ("CI", "ALLIANCEKIT_CI"):  # the copy must not act differently because CI runs this
        env.pop(flag, None)
    return subprocess.run(["unshare", "-n", "sh", "-c", f"ip link set lo up; {script}"],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


#: Runs inside the namespace: start the course, wait until it answers, stop it by its PID.
START_COURSE = textwrap.dedent("""\
    import json, os, secrets, signal, subprocess, sys, time, urllib.request
    token, port = secrets.token_hex(16), sys.argv[1]
    server = subprocess.Popen(
        [sys.executable, "tasks.py", "course", "--wheelhouse", sys.argv[2], "--no-browser",
         "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         f"--IdentityProvider.token={token}"], start_new_session=True)
    answer, deadline = None, time.monotonic() + 900
    try:
        while time.monotonic() < deadline and server.poll() is None:
            try:
                url = f"http://127.0.0.1:{port}/api/status?token={token}"
                with urllib.request.urlopen(url, timeout=5) as response:
                    answer = json.load(response)
                break
            except OSError:
                time.sleep(1)
        url = f"http://127.0.0.1:{port}/lab/tree/course/00-welcome.ipynb?token={token}"
        page = urllib.request.urlopen(url, timeout=10).status if answer is not None else None
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
    print(json.dumps({"status": answer, "lab_page": page}))
""")


def test_the_course_installs_from_the_wheelhouse_and_starts_with_no_network(offline_copy,
                                                                           wheelhouse):
    (offline_copy / "start_course.py").write_text(START_COURSE, encoding="utf-8")
    base = getattr(sys, "_base_executable", None) or "python3"  # not this venv's interpreter
    result = _offline(f"exec {base} start_course.py 8953 {wheelhouse}", offline_copy,
                      timeout=1200)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "--no-index" in result.stdout  # pip was told to use the wheelhouse alone
    last = result.stdout.strip().splitlines()[-1]
    assert '"lab_page": 200' in last, result.stdout[-3000:] + result.stderr[-3000:]
    assert (offline_copy / ".venv").is_dir()
    assert (offline_copy / "my-work").is_dir()


def test_lesson_05_runs_headless_with_no_network(offline_copy):
    venv_python = offline_copy / ".venv" / "bin" / "python"
    if not venv_python.exists():
        pytest.fail("the offline venv was not made: the course test above failed first")
    script = ("import sys; sys.path[:0] = ['tests/integration', 'tests']\n"
              "from nbrun import patch_nbclient, run_notebook\n"
              "patch_nbclient()\n"
              "nb = run_notebook('course/05-erosion.ipynb', timeout=120)\n"
              "errors = [o for c in nb.cells for o in c.get('outputs', []) "
              "if o.get('output_type') == 'error']\n"
              "print('cells', len(nb.cells), 'errors', len(errors))\n")
    (offline_copy / "run_lesson.py").write_text(script, encoding="utf-8")
    result = _offline(f"exec {venv_python} run_lesson.py", offline_copy, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "errors 0" in result.stdout


def test_a_missing_wheel_is_named_before_pip_runs(wheelhouse, tmp_path):
    partial = tmp_path / "partial"
    shutil.copytree(wheelhouse / "locks", partial / "locks")
    for wheel in wheelhouse.glob("*.whl"):
        if not wheel.name.startswith("numpy-"):
            (partial / wheel.name).symlink_to(wheel)
    result = subprocess.run([sys.executable, "-c", (
        "import sys, pathlib; sys.path.insert(0, 'scripts'); import wheelhouse as wh\n"
        f"wh.check(pathlib.Path({str(partial)!r}))")], cwd=ROOT, capture_output=True,
        text=True)
    assert result.returncode != 0
    assert "numpy==" in result.stderr
    assert "--platform linux-x86_64" in result.stderr


# --------------------------------------------------------------------------------------------------
# The other platforms' locks (resolved with uv for each target; nothing is downloaded)


@pytest.fixture(scope="module")
def other_locks(tmp_path_factory):
    uv, _ = wh.tools()
    folder = tmp_path_factory.mktemp("locks")
    locks = {}
    for target in wh.TARGETS:
        lock = folder / wh.lock_name(target, PYTHON)
        try:
            wh.resolve(uv, target, PYTHON, "course", lock)
        except subprocess.CalledProcessError as failure:
            if "network" in (failure.stderr or "").lower() or "connect" in (failure.stderr or ""):
                _cannot(f"uv cannot reach PyPI: {failure.stderr[-800:]}")
            raise AssertionError(f"the {target} lock does not resolve: {failure.stderr}") from None
        locks[target] = wh.parse_lock(lock.read_text(encoding="utf-8"))
    return locks


def test_every_platform_lock_resolves_with_the_pinned_course(other_locks):
    for target, pins in other_locks.items():
        assert pins.get("jupyterlab") == "4.6.6", target
        assert pins.get("nbgrader") == "0.9.6", target
        assert "setuptools" in pins and "pip" in pins, target


def test_the_windows_lock_holds_the_windows_only_packages(other_locks):
    # pywinpty: the terminal of jupyter_server on Windows. pywin32 is not among them: the
    # jupyter_core the locks hold (5.9.1) no longer requires it, and nothing else here does.
    assert "pywinpty" in other_locks["windows-x86_64"]
    assert "colorama" in other_locks["windows-x86_64"]
    assert "pywinpty" not in other_locks["linux-x86_64"]


def test_the_macos_locks_hold_appnope(other_locks):
    assert "appnope" in other_locks["macos-x86_64"]
    assert "appnope" in other_locks["macos-arm64"]
    assert "appnope" not in other_locks["windows-x86_64"]
