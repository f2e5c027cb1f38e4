#!/usr/bin/env python3
"""One entry point for the course's chores, with nothing but Python 3.11+ and git needed.

    python3 tasks.py course      set up .venv and open the course in JupyterLab (your answers go
                                 in my-work/, which no chore ever overwrites)
    python3 tasks.py solutions   open the worked solutions (for self-learners, deliberately)
    python3 tasks.py my-work     copy new exercise sets into my-work/ (done by `course` too)
    python3 tasks.py test        set up .venv (and Chromium where possible) and run every test
    python3 tasks.py exercises   regenerate exercises/ from solutions/ with nbgrader
    python3 tasks.py data        rebuild the shipped CSV extracts from ../shared/data
    python3 tasks.py bench       run the benchmarks and print their figures
    python3 tasks.py site        build the course as an offline static website in _build/site/
    python3 tasks.py hub         (root) a trial JupyterHub class on http://127.0.0.1:8000
    python3 tasks.py wheelhouse [DIR]  fetch every wheel the course needs, for Linux, Windows and
                                 macOS, into DIR (default _build/wheelhouse/), for a lab offline
    python3 tasks.py usb DIR     the repository, the wheelhouse and the website in one folder
                                 for a USB stick, with START-HERE.md

``course --wheelhouse DIR`` and ``test --wheelhouse DIR`` install from a wheelhouse alone, with
no network (README, "Teaching without internet").

``course`` and ``solutions`` run JupyterLab until Ctrl+C (or a closed terminal), which stops it
and every kernel it started; each keeps its own workspace in .jupyter-workspaces/.

Arguments after ``test`` go to pytest, e.g. ``python3 tasks.py test tests/unit`` for the fast unit
tests alone, or ``-k cases``; tests run on one worker per core unless you pass ``-n`` yourself
(``-n 0`` runs them in one process). ``tests/unit`` holds fast tests of the library and data;
``tests/integration`` the slower ones that execute notebooks, run nbgrader or drive a browser.
"""
from __future__ import annotations

import difflib
import hashlib
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
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


def wheelhouse_module():
    """scripts/wheelhouse.py (standard library only), loaded before any venv exists."""
    spec = importlib.util.spec_from_file_location("wheelhouse", ROOT / "scripts" / "wheelhouse.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("wheelhouse", module)
    spec.loader.exec_module(module)
    return module


def take_wheelhouse(args: list[str]) -> tuple[Path | None, list[str]]:
    """Split ``--wheelhouse DIR`` (or ``=DIR``) off the arguments meant for JupyterLab or pytest."""
    rest, found = [], None
    items = iter(args)
    for arg in items:
        if arg == "--wheelhouse":
            found = next(items, None)
            if found is None:
                sys.exit("tasks.py: --wheelhouse needs a folder, e.g. --wheelhouse wheelhouse")
        elif arg.startswith("--wheelhouse="):
            found = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    return (Path(found).resolve() if found else None), rest


def ensure_venv(extras: str, wheelhouse: Path | None = None) -> None:
    """Create .venv and install the package with ``extras``, unless pyproject.toml is unchanged.

    With ``wheelhouse``, install from that folder alone (pip --no-index): no network step at all.
    """
    stamp = VENV / f".installed-{extras.replace(',', '-')}"
    # the install steps' own version is part of the stamp: a change to them reinstalls
    digest = hashlib.sha256(b"bytecode\n" + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if PYTHON.exists() and stamp.exists() and stamp.read_text() == digest:
        return
    lock = None
    if wheelhouse is not None:  # check it before anything is made or installed
        wh = wheelhouse_module()
        try:
            lock = wh.check(wheelhouse, "course" if extras == "course" else "test")
        except wh.WheelhouseError as problem:
            sys.exit(f"tasks.py: {problem}")
    if not PYTHON.exists():
        venv.create(VENV, with_pip=True)
        if lock is None:
            run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    if lock is not None:
        run(*wheelhouse_module().install_command(PYTHON, wheelhouse, lock, extras))
    else:
        # --no-compile: pip compiles one file at a time; compile_bytecode() below uses every core
        run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "--no-compile", "-e", f".[{extras}]")
    compile_bytecode()
    stamp.write_text(digest)


def compile_bytecode() -> None:
    """Write the bytecode of every installed module and of the library, on every core.

    A module without it is compiled from source on each import, by each new process. Python saves
    that work on a first import only where it may write (never in the grading sandbox, whose
    Python is read-only, nor anywhere when ``PYTHONDONTWRITEBYTECODE`` is set, as on some build
    machines): a kernel would then spend about half a second compiling what it imports. Files
    that do not compile (a package's own test data) are skipped.
    """
    folders = [*VENV.glob("lib/python3*/site-packages"), *VENV.glob("Lib/site-packages"),
               ROOT / "alliancekit"]
    cmd = [str(PYTHON), "-m", "compileall", "-qq", "-j", "0", *(str(f) for f in folders)]
    print(f"$ {' '.join(cmd)}", flush=True)
    subprocess.call(cmd, cwd=ROOT)  # a non-zero exit names files that did not compile: skipped


def venv_env() -> dict:
    """The environment with the venv's bin/ first on PATH (nbgrader shells out to alembic)."""
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(VENV)
    return env


def apt_install(packages: list[str], without_apt: str) -> None:
    """Install Debian ``packages`` with apt-get when we are root; else print ``without_apt``."""
    can_apt = shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0
    if not can_apt:
        print(without_apt)
        return
    apt_env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run("apt-get", "update", "-qq", env=apt_env)
    run("apt-get", "install", "-y", "-qq", *packages, env=apt_env)


def ensure_chromium() -> None:
    """Install Debian's Chromium for the browser tests when we are root on a Debian-like machine."""
    if CHROMIUM.exists():
        return
    apt_install(["chromium", "chromium-driver"],
                "Chromium is not installed and apt-get is unavailable (or not root): "
                "browser tests will be skipped. Install the 'chromium' package to run them.")


def ensure_bubblewrap() -> None:
    """Install Debian's bubblewrap (the grading sandbox of alliancekit-grade) when we are root."""
    if shutil.which("bwrap") or not sys.platform.startswith("linux"):
        return
    apt_install(["bubblewrap"],
                "bubblewrap is not installed and apt-get is unavailable (or not root): the "
                "sandboxed grading tests will be skipped. Install the 'bubblewrap' package.")


NPM_PREFIX = ROOT / "_build" / "npm"
#: npm packages the website and its tests use, installed into _build/npm (never globally).
NPM_PACKAGES = ("mathjax@3.2.2",)


def ensure_npm() -> None:
    """Install the website's npm packages (MathJax) into _build/npm, once per version list."""
    stamp = NPM_PREFIX / ".installed"
    wanted = " ".join(NPM_PACKAGES)
    if stamp.exists() and stamp.read_text() == wanted:
        return
    if not shutil.which("npm"):
        apt_install(["npm"], "npm is not installed and apt-get is unavailable (or not root).")
    npm = shutil.which("npm")
    if not npm:
        print("npm is not installed: the website cannot bundle MathJax, so `tasks.py site` and "
              "its tests cannot run. Install Node.js (Debian: `apt-get install -y npm`).")
        return
    NPM_PREFIX.mkdir(parents=True, exist_ok=True)
    run(npm, "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", NPM_PREFIX,
        *NPM_PACKAGES)
    stamp.write_text(wanted)


def site(args: list[str]) -> None:
    ensure_venv("course,site")
    ensure_npm()
    run(PYTHON, "website/build.py", *args, env=venv_env())


WORK = ROOT / "my-work"
EXERCISES = ROOT / "exercises"
#: Where my-work/ records which exercise version each of its files was copied from.
ORIGIN = WORK / ".copied-from.json"
STUDENT_VIEW = "alliancekit.studentview.StudentContentsManager"
WORK_README = """# my-work: your answers

This folder is yours. `python3 tasks.py course` (and Binder) copied each exercise set here from
`exercises/` the first time it saw it, and no chore of the course ever changes, replaces or deletes
a file in here again. Course updates add new sets here; a set you already have is left as it is (the
launch tells you when the course's version of it changed, so you can compare). The folder is
ignored by git, so `git pull` never conflicts with your answers. Back it up like any of your work.
"""


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fill_working_copy(root: Path = ROOT) -> dict[str, list[str]]:
    """Copy exercise files that my-work/ does not have yet; never touch a file already there.

    Returns {"added": [...], "updated_upstream": [...]} as paths relative to ``root``: files
    copied now, and files the student already has whose exercises/ version changed since.
    """
    work, exercises = root / "my-work", root / "exercises"
    origin_file = work / ".copied-from.json"
    origin = json.loads(origin_file.read_text(encoding="utf-8")) if origin_file.exists() else {}
    added, updated = [], []
    for source in sorted(exercises.rglob("*")):
        rel = source.relative_to(exercises)
        if (not source.is_file() or len(rel.parts) < 2 or ".ipynb_checkpoints" in rel.parts
                or rel.name.startswith(".")):
            continue
        target = work / rel
        if target.exists():
            if origin.get(rel.as_posix()) not in (None, _sha(source)):
                updated.append(target.relative_to(root).as_posix())
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        origin[rel.as_posix()] = _sha(source)
        added.append(target.relative_to(root).as_posix())
    if not (work / "README.md").exists():
        work.mkdir(parents=True, exist_ok=True)
        (work / "README.md").write_text(WORK_README, encoding="utf-8")
    if added:
        origin_file.write_text(json.dumps(origin, indent=1, sort_keys=True) + "\n",
                               encoding="utf-8")
    return {"added": added, "updated_upstream": updated}


def my_work(args: list[str]) -> None:
    """Fill my-work/ with any exercise set it lacks and say what happened."""
    if args:
        sys.exit("tasks.py my-work takes no arguments")
    result = fill_working_copy()
    for rel in result["added"]:
        print(f"my-work: added {rel}")
    for rel in result["updated_upstream"]:
        exercise = "exercises/" + rel.split("/", 1)[1]
        print(f"my-work: the course has a newer {exercise}; your {rel} is kept as it is "
              f"(open both to compare)")
    if not result["added"]:
        print("my-work: nothing new to add; your answers are untouched")


#: Each chore's own JupyterLab workspace (open tabs, layout), so one never reopens the other's.
WORKSPACES = ROOT / ".jupyter-workspaces"
#: The student launch's Jupyter configuration (alliancekit/studentview.py explains it); the second
#: folder also switches off nbgrader's Assignment List, which needs a hub's exchange.
STUDENT_CONFIG = (ROOT / "alliancekit" / "student_config",
                  ROOT / "alliancekit" / "student_config" / "no-exchange")
#: The git filter that keeps run lessons from showing as changed (applied by .gitattributes to
#: course/*.ipynb only). Cell ids are kept; the kernel's language_info, which JupyterLab rewrites
#: on every save, is dropped with the outputs and execution counts.
LESSON_FILTER = "-m nbstripout --keep-id --extra-keys metadata.language_info"


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def lab_command(default_url: str, workspace: str, extra: list[str]) -> list[str]:
    """The ``jupyter lab`` command line of a chore: the repository, a start page, a workspace."""
    return [str(BIN / "jupyter"), "lab", f"--ServerApp.root_dir={ROOT}",
            f"--LabApp.default_url={default_url}",
            f"--LabApp.workspaces_dir={WORKSPACES / workspace}",
            *(["--allow-root"] if _is_root() else []), *extra]


def install_lesson_filter(root: Path = ROOT) -> bool:
    """Make nbstripout this clone's git filter for the lessons (local git config, idempotent).

    JupyterLab saves a lesson with its outputs (autosave included). With the filter, git compares
    and commits the lesson without them, so a run lesson never shows as changed and ``git pull``
    never refuses to update it; the student's copy on disk keeps its outputs. Returns False (and
    changes nothing) when ``root`` is not a git checkout or git is missing.
    """
    git = shutil.which("git")
    if git is None or not (root / ".git").exists():
        return False
    python = PYTHON.as_posix()  # git runs filters through sh, also on Windows
    settings = {"filter.nbstripout.clean": f'"{python}" {LESSON_FILTER}',
                "filter.nbstripout.smudge": "cat",
                "diff.ipynb.textconv": f'"{python}" {LESSON_FILTER} -t'}
    for key, value in settings.items():
        subprocess.run([git, "config", "--local", key, value], cwd=root, check=True)
    return True


def _descendants(pid: int) -> dict[int, str]:
    """Processes below ``pid`` (kernels included) with their start times; Linux /proc only."""
    children: dict[int, list[int]] = {}
    started: dict[int, str] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = entry.joinpath("stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        started[int(entry.name)] = fields[19]
    found, todo = {}, list(children.get(pid, []))
    while todo:
        child = todo.pop()
        found[child] = started.get(child, "")
        todo.extend(children.get(child, []))
    return found


def _still_running(pid: int, started: str) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19] == started
    except (OSError, IndexError):
        return False


def stop_lab(process: subprocess.Popen, timeout: float = 20.0) -> None:
    """Stop a JupyterLab started by :func:`run_lab` and every kernel it started.

    POSIX: SIGTERM to its process group (JupyterLab then shuts its kernels down), a wait, SIGKILL
    if it hangs; then any kernel still running (found through /proc on Linux) gets the same.
    Windows: the whole process tree is ended with ``taskkill /T /F``.
    """
    if os.name == "nt":
        subprocess.call(["taskkill", "/T", "/F", "/PID", str(process.pid)],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        process.wait()
        return
    kernels = _descendants(process.pid) if Path("/proc/self/stat").exists() else {}
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=timeout)
            break
        except subprocess.TimeoutExpired:
            continue
    for sig in (signal.SIGTERM, signal.SIGKILL):  # kernels run in sessions of their own
        left = {pid: t for pid, t in kernels.items() if _still_running(pid, t)}
        for pid in left:
            try:
                if os.getpgid(pid) == pid:
                    os.killpg(pid, sig)
                else:
                    os.kill(pid, sig)
            except (ProcessLookupError, PermissionError):
                pass
        deadline = time.monotonic() + 5
        while left and time.monotonic() < deadline:
            left = {pid: t for pid, t in left.items() if _still_running(pid, t)}
            time.sleep(0.1)
        if not left:
            break


class _Stop(Exception):
    """Raised in the main thread by a stop signal (SIGTERM, SIGHUP, SIGBREAK)."""


_CONSOLE_HANDLER = None  # Windows: kept alive while JupyterLab runs


def _on_console_close(process: subprocess.Popen) -> None:
    """Windows: stop JupyterLab when the console window is closed (CTRL_CLOSE_EVENT)."""
    global _CONSOLE_HANDLER
    import ctypes
    from ctypes import wintypes

    @ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.DWORD)
    def handler(event):
        if event in (2, 5, 6):  # CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT
            stop_lab(process, timeout=3)
            return True
        return False  # Ctrl+C and Ctrl+Break go on to Python's own handlers

    _CONSOLE_HANDLER = handler
    ctypes.windll.kernel32.SetConsoleCtrlHandler(handler, True)


def _die_with_parent() -> None:
    """Linux, in the child: get SIGTERM if tasks.py itself is killed outright (SIGKILL)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def run_lab(*cmd: str | Path, env: dict | None = None) -> None:
    """Run JupyterLab in a process group of its own until it exits or the chore is stopped.

    Ctrl+C (SIGINT), SIGTERM, SIGHUP (a closed terminal) and, on Windows, Ctrl+Break and a closed
    console stop JupyterLab and every kernel it started (:func:`stop_lab`) before the chore ends.
    """
    print("$ " + " ".join(str(c) for c in cmd), flush=True)
    if os.name == "nt":
        options = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    else:
        options = {"start_new_session": True}
        if sys.platform.startswith("linux"):
            options["preexec_fn"] = _die_with_parent
    process = subprocess.Popen([str(c) for c in cmd], cwd=ROOT, env=env,
                               stdin=subprocess.DEVNULL, **options)

    def on_signal(signum, frame):
        raise _Stop(signum)

    stops = [s for s in ("SIGTERM", "SIGHUP", "SIGBREAK") if hasattr(signal, s)]
    previous = {name: signal.signal(getattr(signal, name), on_signal) for name in stops}
    previous["SIGINT"] = signal.getsignal(signal.SIGINT)
    if os.name == "nt":
        _on_console_close(process)
    code = 0
    try:
        code = process.wait()
    except (KeyboardInterrupt, _Stop) as stop:
        for name in (*stops, "SIGINT"):  # a second signal must not cut the clean-up short
            signal.signal(getattr(signal, name), signal.SIG_IGN)
        try:
            print("\nStopping JupyterLab and its kernels...", flush=True)
        except OSError:  # the terminal is gone (SIGHUP)
            pass
        stop_lab(process)
        signum = stop.args[0] if isinstance(stop, _Stop) else signal.SIGINT
        code = 0 if signum == signal.SIGINT else 128 + int(signum)
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)
        if process.poll() is None:
            stop_lab(process)
    if code:
        sys.exit(code)


def student_env() -> dict:
    """The venv's environment with the student launch's Jupyter configuration first."""
    env = venv_env()
    paths = [str(p) for p in STUDENT_CONFIG]
    if env.get("JUPYTER_CONFIG_PATH"):
        paths.append(env["JUPYTER_CONFIG_PATH"])
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(paths)
    return env


def course(args: list[str]) -> None:
    """Open the course: lessons, exercises and my-work/, without solutions/ (studentview.py)."""
    wheelhouse, args = take_wheelhouse(args)
    ensure_venv("course", wheelhouse)
    my_work([])
    if install_lesson_filter():
        print("git: lessons you run and save keep their outputs on disk but never show as "
              "changed (nbstripout filter for course/*.ipynb)")
    # Serve the repository (lessons, my-work/, exercises/) but not solutions/; open the welcome
    # lesson. Students answer in my-work/, which the lessons link to.
    run_lab(*lab_command("/lab/tree/course/00-welcome.ipynb", "course",
                         [f"--ServerApp.contents_manager_class={STUDENT_VIEW}", *args]),
            env=student_env())


def solutions(args: list[str]) -> None:
    """Open the worked solutions, deliberately, in a JupyterLab workspace of their own."""
    ensure_venv("course")
    print("Opening the worked solutions (solutions/). They hold every model answer and hidden "
          "test:\ntry each set in my-work/ first. If your course is graded, ask your instructor "
          "whether\nyou may look.", flush=True)
    run_lab(*lab_command("/lab/tree/solutions", "solutions", args), env=venv_env())


def test(args: list[str]) -> None:
    wheelhouse, args = take_wheelhouse(args)
    ensure_venv("course,test,site", wheelhouse)
    env = venv_env()
    if wheelhouse is None:
        ensure_chromium()
        ensure_bubblewrap()
        ensure_npm()
    else:  # apt and npm need the network: tests needing them skip (tests/conftest.py says why)
        env["ALLIANCEKIT_OFFLINE"] = "1"
    # One worker per core; a test file stays on one worker, so each file's shared fixtures
    # (a JupyterLab server, an nbgrader course, an executed lesson) are built once.
    chose = any(a.startswith(("-n", "--numprocesses")) or a == "no:xdist" for a in args)
    parallel = [] if chose else ["-n", "auto", "--dist", "loadfile"]
    run(PYTHON, "-m", "pytest", *parallel, *args, env=env)


def exercises(args: list[str]) -> None:
    ensure_venv("course,test")
    run(PYTHON, "scripts/generate_exercises.py", *args, env=venv_env())
    # the self-check's per-variant digests follow the solutions (INSTRUCTORS.md, variants)
    run(PYTHON, "scripts/variant_digests.py", *(["--check"] if "--check" in args else []),
        env=venv_env())


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
    # A trial stops the users' servers with the hub (a class keeps them across restarts).
    run(Path(prefix) / "env" / "bin" / "jupyterhub", "-f", ROOT / "hub" / "jupyterhub_config.py",
        "--JupyterHub.cleanup_servers=True", *args, env=env)


def wheelhouse(args: list[str]) -> None:
    """Build a wheelhouse (scripts/wheelhouse.py; needs the network to PyPI)."""
    sys.exit(wheelhouse_module().main(args))


def usb(args: list[str]) -> None:
    """Lay out a USB stick for a lab with no internet (scripts/usb.py)."""
    spec = importlib.util.spec_from_file_location("usb", ROOT / "scripts" / "usb.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.exit(module.main(args))


COMMANDS = {"course": course, "test": test, "exercises": exercises, "data": data, "bench": bench,
            "hub": hub, "solutions": solutions, "my-work": my_work, "site": site,
            "wheelhouse": wheelhouse, "usb": usb}


def main(argv: list[str]) -> None:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        if not argv:
            sys.exit(f"tasks.py: say which task to run; one of: {', '.join(COMMANDS)}")
        return
    if argv[0] not in COMMANDS:
        close = difflib.get_close_matches(argv[0], list(COMMANDS), n=1, cutoff=0.5)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        sys.exit(f"tasks.py: unknown task '{argv[0]}'{hint} The tasks are: {', '.join(COMMANDS)}"
                 " (python3 tasks.py --help explains each).")
    COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
