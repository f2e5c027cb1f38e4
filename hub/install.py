#!/usr/bin/env python3
"""Build the shared, world-readable environment that a one-machine JupyterHub class runs on.

    sudo python3 hub/install.py [--prefix /opt/alliancekit-hub] [--exchange DIR]

Every student's server runs as that student's own Unix user, so everything a server needs must be
readable by every user. A clone of this repository (often under ``/root`` or a home directory
with mode 700) and its ``.venv`` are not, so this script lays out, under ``PREFIX``:

    PREFIX/env/        a virtual environment made from a Python every user can read, holding
                       alliancekit with its [course] extra (JupyterLab 4.6.6 + nbgrader 0.9.6),
                       jupyterhub 5.5.4 (the Zero to JupyterHub 4.4 chart's hub version) and
                       jupyterhub-idle-culler;
    PREFIX/env/etc/jupyter/nbgrader_config.py
                       nbgrader settings for every user: the exchange folder, one folder per
                       course in it, and course membership from JupyterHub groups;
    PREFIX/node/       configurable-http-proxy 5.3.0 from npm (the hub's proxy; needs Node >= 20);
    PREFIX/student-config/
                       the Jupyter configuration of a student's server (alliancekit/studentview.py:
                       no nbgrader instructor page or panel, nothing served from ``solutions``);
    PREFIX/course/     the lessons (course/*.ipynb), copied read-only; each user gets a private,
                       writable copy in ~/lessons on their first start (never overwritten);
    PREFIX/instructor/ the instructor's course template: solutions/, exercises/ and
                       nbgrader_config.py, copied into the instructor's home by ``hub/roster.py``
                       (mode 700 there; never readable by students).

It also creates the exchange folder (nbgrader 0.9.6's default
``/usr/local/share/nbgrader/exchange``), writable by everyone with the sticky bit, as nbgrader
requires. Running it again is cheap: the
environment is rebuilt only when ``pyproject.toml`` or the library changed.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PREFIX = Path("/opt/alliancekit-hub")
DEFAULT_EXCHANGE = Path("/usr/local/share/nbgrader/exchange")
COURSE_ID = "alliancekit"
# The Zero to JupyterHub chart 4.4.0 runs JupyterHub 5.5; single-user servers use the same.
JUPYTERHUB_PIN = "jupyterhub==5.5.4"
CULLER_PIN = "jupyterhub-idle-culler==2.0.0"
PROXY_PIN = "configurable-http-proxy@5.3.0"
#: Server extensions a student's server on the hub does without, so that it starts with less work:
#: the language-server bridge (the course runs no language server) and terminals (the lessons
#: never ask for one; the instructor's and graders' servers keep theirs).
HUB_STUDENT_EXTENSIONS_OFF = ("jupyter_lsp", "jupyter_server_terminals")

NBGRADER_CONFIG = '''\
"""nbgrader settings for every user of this hub (written by hub/install.py)."""
from nbgrader.auth import JupyterHubAuthPlugin

c = get_config()  # noqa: F821
# The exchange: released assignments, submissions (inbound) and feedback, one folder per course.
c.Exchange.root = {exchange!r}
c.Exchange.path_includes_course = True
# Students see the courses whose JupyterHub group nbgrader-<course> they belong to; graders
# those of formgrade-<course>.
c.Authenticator.plugin_class = JupyterHubAuthPlugin
c.CourseDirectory.course_id = {course!r}
'''


def readable_by_all(path: Path) -> bool:
    """Whether every user can reach ``path``: each folder above it has the execute bit for others.

    Parameters
    ----------
    path : Path
        A file or folder.

    Returns
    -------
    bool
        True when every ancestor folder is searchable by others and the file itself is readable.
    """
    path = Path(os.path.realpath(path))
    for parent in reversed(path.parents):
        if not parent.stat().st_mode & stat.S_IXOTH:
            return False
    return bool(path.stat().st_mode & stat.S_IROTH)


def shared_python() -> Path:
    """A Python 3.10+ interpreter (and standard library) that every user can run.

    Returns
    -------
    Path
        The interpreter: the one running this script when its installation is readable by all,
        otherwise the system's ``/usr/bin/python3``.

    Raises
    ------
    RuntimeError
        When neither is usable.
    """
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    candidates = [Path(sys.base_prefix) / "bin" / f"python{version}", Path("/usr/bin/python3")]
    for python in candidates:
        if not python.exists():
            continue
        try:
            out = subprocess.run([str(python), "-c", "import sys, sysconfig; "
                                  "print(sys.version_info >= (3, 10)); "
                                  "print(sysconfig.get_paths()['stdlib'])"],
                                 capture_output=True, text=True, check=True).stdout.split()
        except (OSError, subprocess.CalledProcessError):
            continue
        if out[0] == "True" and readable_by_all(python) and readable_by_all(Path(out[1]) / "os.py"):
            return python
    raise RuntimeError("no Python 3.10+ that every user can read was found: the running one lives "
                       f"under {sys.base_prefix} (not readable by others) and /usr/bin/python3 is "
                       "missing; install Debian's python3 (apt-get install python3)")


def _digest() -> str:
    h = hashlib.sha256()
    h.update(JUPYTERHUB_PIN.encode() + CULLER_PIN.encode())
    for path in [ROOT / "pyproject.toml", *sorted((ROOT / "alliancekit").rglob("*"))]:
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(ROOT)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def _run(*cmd: str | Path, **kwargs) -> None:
    print("$ " + " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, **kwargs)


def build_env(prefix: Path) -> Path:
    """Create ``PREFIX/env`` with the course, nbgrader, JupyterLab and JupyterHub installed.

    Parameters
    ----------
    prefix : Path
        The hub's installation folder.

    Returns
    -------
    Path
        The environment's folder (``PREFIX/env``).
    """
    env = prefix / "env"
    stamp = env / ".alliancekit-installed"
    digest = _digest()
    if stamp.exists() and stamp.read_text() == digest:
        return env
    src = prefix / "src"
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md", "LICENSE", "LICENSE-CONTENT.md"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "alliancekit", src / "alliancekit",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    if not (env / "bin" / "python").exists():
        _run(shared_python(), "-m", "venv", "--without-pip", env)
    # This interpreter's pip installs into the new environment (pip >= 22.3: --python).
    _run(sys.executable, "-m", "pip", "--python", env / "bin" / "python", "install", "--quiet",
         "--disable-pip-version-check", f"{src}[course]", JUPYTERHUB_PIN, CULLER_PIN)
    (env / "etc" / "jupyter").mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)
    return env


def write_nbgrader_config(env: Path, exchange: Path) -> Path:
    """Write the environment-wide nbgrader configuration that every user's server reads.

    Parameters
    ----------
    env : Path
        The shared environment (``PREFIX/env``).
    exchange : Path
        The exchange folder (``Exchange.root``).

    Returns
    -------
    Path
        The configuration file written.
    """
    path = env / "etc" / "jupyter" / "nbgrader_config.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(NBGRADER_CONFIG.format(exchange=str(exchange), course=COURSE_ID))
    return path


def make_exchange(exchange: Path) -> None:
    """Create the exchange folder, writable by everyone with the sticky bit (mode 1777).

    Parameters
    ----------
    exchange : Path
        The folder; its parents are created readable by all.
    """
    exchange.mkdir(parents=True, exist_ok=True)
    os.chmod(exchange, 0o1777)


def install_proxy(prefix: Path) -> Path:
    """Install configurable-http-proxy from npm into ``PREFIX/node``.

    Parameters
    ----------
    prefix : Path
        The hub's installation folder.

    Returns
    -------
    Path
        The proxy's command.
    """
    node = prefix / "node"
    command = node / "node_modules" / ".bin" / "configurable-http-proxy"
    if command.exists():
        return command
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed: configurable-http-proxy (the hub's proxy) comes "
                           "from npm and needs Node >= 20 (apt-get install nodejs npm)")
    node.mkdir(parents=True, exist_ok=True)
    _run(npm, "install", "--prefix", node, "--no-audit", "--no-fund", "--loglevel=error",
         PROXY_PIN)
    return command


def copy_course(prefix: Path) -> None:
    """Copy the lessons (for everyone) and the instructor's template (solutions) under ``prefix``.

    Parameters
    ----------
    prefix : Path
        The hub's installation folder.
    """
    lessons = prefix / "course"
    if lessons.exists():
        shutil.rmtree(lessons)
    shutil.copytree(ROOT / "course", lessons,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    template = prefix / "instructor"
    if template.exists():
        shutil.rmtree(template)
    template.mkdir(mode=0o700)  # solutions: root only; copied into the instructor's home
    for name in ("solutions", "exercises"):
        shutil.copytree(ROOT / name, template / name,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    shutil.copy2(ROOT / "nbgrader_config.py", template / "nbgrader_config.py")


def copy_student_config(prefix: Path) -> Path:
    """Copy the student launch's Jupyter configuration to ``PREFIX/student-config``.

    A hub has an nbgrader exchange, so students keep the Assignment List: the ``no-exchange``
    layer of ``tasks.py course`` and Binder is left out. The server extensions in
    `HUB_STUDENT_EXTENSIONS_OFF`, which a student on the hub does not use, are switched off.

    Parameters
    ----------
    prefix : Path
        The hub's installation folder.

    Returns
    -------
    Path
        The folder that student servers get on ``JUPYTER_CONFIG_PATH``.
    """
    target = prefix / "student-config"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(ROOT / "alliancekit" / "student_config", target,
                    ignore=shutil.ignore_patterns("no-exchange", "*.md"))
    config_file = target / "jupyter_server_config.json"
    config = json.loads(config_file.read_text(encoding="utf-8"))
    extensions = config.setdefault("ServerApp", {}).setdefault("jpserver_extensions", {})
    extensions.update(dict.fromkeys(HUB_STUDENT_EXTENSIONS_OFF, False))
    config_file.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return target


def install(prefix: Path = DEFAULT_PREFIX, exchange: Path = DEFAULT_EXCHANGE) -> Path:
    """Lay out everything the hub needs under ``prefix`` (see the module docstring).

    Parameters
    ----------
    prefix : Path
        The hub's installation folder (made readable by all).
    exchange : Path
        nbgrader's exchange folder.

    Returns
    -------
    Path
        The shared environment (``PREFIX/env``).
    """
    old = os.umask(0o022)
    try:
        prefix.mkdir(parents=True, exist_ok=True)
        os.chmod(prefix, 0o755)
        env = build_env(prefix)
        write_nbgrader_config(env, exchange)
        make_exchange(exchange)
        install_proxy(prefix)
        copy_course(prefix)
        copy_student_config(prefix)
    finally:
        os.umask(old)
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prefix", type=Path, default=DEFAULT_PREFIX,
                        help=f"installation folder (default {DEFAULT_PREFIX})")
    parser.add_argument("--exchange", type=Path, default=DEFAULT_EXCHANGE,
                        help=f"nbgrader exchange folder (default {DEFAULT_EXCHANGE})")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("hub/install.py must run as root: it writes the shared environment and the "
              "exchange for every user", file=sys.stderr)
        return 2
    env = install(args.prefix.resolve(), args.exchange.resolve())
    print(f"shared environment ready: {env}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
