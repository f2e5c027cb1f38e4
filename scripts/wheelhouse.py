#!/usr/bin/env python3
"""A wheelhouse: every wheel the course needs, so a lab with no internet can install it.

``python3 tasks.py wheelhouse [DIR]`` builds one on a connected machine (default
``_build/wheelhouse``); ``python3 tasks.py course --wheelhouse DIR`` installs from it with no
network at all. This module holds both halves and uses the standard library only, because
``tasks.py`` imports it before any virtual environment exists.

Layout of a wheelhouse ``DIR``::

    DIR/*.whl                                   the wheels, one flat folder (pip --find-links)
    DIR/locks/<platform>-py<X.Y>-<set>.txt      one lock per platform, Python version and set
    DIR/INDEX.md, DIR/index.json                what is in it, its size, what is missing and why

A *set* is ``course`` (the package's dependencies and its ``course`` extra: what a student
installs) or ``test`` (``course``, ``test`` and ``site`` extras: what ``tasks.py test`` installs;
Linux only). Each lock is resolved by ``uv pip compile --python-platform P --python-version V``,
which evaluates environment markers for the *target* (pip evaluates them for the machine it runs
on, even with ``--platform``), straight from pyproject.toml, so its pins are kept and a new
dependency needs no edit here; wheels only where that is possible (see :func:`resolve`). The
wheels are then fetched per lock with ``pip download --only-binary=:all: --no-deps --platform
... --python-version ...``. The build backend (setuptools, from ``[build-system]``) and pip go
into every lock, so the editable install of the package itself also works offline.
"""
from __future__ import annotations

import json
import os
import platform as _platform
import re
import subprocess
import sys
import tempfile
import venv
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT / "_build" / "wheelhouse"
TOOLS = ROOT / "_build" / "tools" / "wheelhouse"
#: The resolver. Pinned, so two teachers building a wheelhouse get the same locks.
UV_REQUIREMENT = "uv==0.13.9"
#: The Python versions a wheelhouse covers by default: the package requires 3.11 or later
#: (requires-python), because nbgrader 0.9.6 does.
PYTHONS = ("3.11", "3.12", "3.13", "3.14")
OLDEST_PYTHON = (3, 11)
#: Which pyproject extras each set installs (the runtime dependencies always come along).
SETS = {"course": ("course",), "test": ("course", "test", "site")}
#: The sets built for a platform: the test extras are for Linux only (CI and developers).
TEST_PLATFORMS = ("linux-x86_64",)
FETCH = "python3 tasks.py wheelhouse"


@dataclass(frozen=True)
class Target:
    """One platform a wheelhouse serves.

    Parameters
    ----------
    key : str
        Our name for it, used in lock file names and on the command line.
    uv_platform : str
        The ``--python-platform`` value that uv resolves for.
    pip_platforms : tuple of str
        The ``--platform`` tags pip downloads for (pip widens ``macosx_*`` tags to older macOS
        versions by itself, but not ``manylinux_2_*`` ones, so those are listed).
    system : str
        ``sys.platform`` of a machine of this kind (``linux``, ``win32``, ``darwin``).
    machines : tuple of str
        ``platform.machine()`` values of such a machine, lower case.
    """

    key: str
    uv_platform: str
    pip_platforms: tuple[str, ...]
    system: str
    machines: tuple[str, ...]


#: manylinux_2_28 is glibc 2.28 (Debian 10, Ubuntu 20.04, RHEL 8 and newer).
_MANYLINUX = tuple(f"manylinux_2_{n}_x86_64" for n in range(28, 4, -1)) + (
    "manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64")
TARGETS = {t.key: t for t in (
    Target("linux-x86_64", "x86_64-manylinux_2_28", _MANYLINUX, "linux", ("x86_64", "amd64")),
    Target("windows-x86_64", "x86_64-pc-windows-msvc", ("win_amd64",), "win32",
           ("amd64", "x86_64")),
    # macOS 12 (Monterey) or newer: uv's default minimum for both kinds of Mac.
    Target("macos-x86_64", "x86_64-apple-darwin", ("macosx_12_0_x86_64",), "darwin",
           ("x86_64",)),
    Target("macos-arm64", "aarch64-apple-darwin", ("macosx_12_0_arm64",), "darwin",
           ("arm64", "aarch64")),
)}


class WheelhouseError(Exception):
    """A wheelhouse cannot serve this machine; the message says what is missing and what to do."""


# --------------------------------------------------------------------------------------------------
# Pure parts: names, locks, wheel tags


def normalize(name: str) -> str:
    """A distribution name in PEP 503 normal form (``Jupyter_Core`` -> ``jupyter-core``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_lock(text: str) -> dict[str, str]:
    """The ``name==version`` pins of a lock written by ``uv pip compile``.

    Parameters
    ----------
    text : str
        The lock file's text; comments, ``# via`` lines, blank lines and option lines
        (``--index-url`` ...) are ignored.

    Returns
    -------
    dict
        Normalized name -> version, in the lock's order.

    Raises
    ------
    ValueError
        For a requirement line that is not an exact ``name==version`` pin.
    """
    pins: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*==\s*([^\s;]+)"
                             r"(\s*;.*)?(\s*\\)?", line)
        if not match:
            raise ValueError(f"lock line {number} is not a 'name==version' pin: {raw!r}")
        pins[normalize(match.group(1))] = match.group(3)
    return pins


def parse_wheel_name(filename: str) -> tuple[str, str, frozenset[tuple[str, str, str]]]:
    """Name, version and the (python, abi, platform) tags a wheel's file name declares.

    Parameters
    ----------
    filename : str
        A wheel file name such as ``numpy-2.4.6-cp311-cp311-win_amd64.whl``; compressed tag sets
        (``py2.py3-none-any``) are expanded.

    Raises
    ------
    ValueError
        When ``filename`` is not a wheel file name.
    """
    if not filename.endswith(".whl"):
        raise ValueError(f"not a wheel file name (no .whl): {filename!r}")
    parts = filename[:-4].split("-")
    if len(parts) not in (5, 6):
        raise ValueError(f"not a wheel file name (name-version[-build]-py-abi-platform.whl): "
                         f"{filename!r}")
    name, version, (pys, abis, plats) = parts[0], parts[1], parts[-3:]
    tags = frozenset((p, a, s) for p in pys.split(".") for a in abis.split(".")
                     for s in plats.split("."))
    return normalize(name), version, tags


def _python_fits(py: str, abi: str, python: str) -> bool:
    major, minor = (int(x) for x in python.split(".")[:2])
    if abi == "none":
        return py in ("py3", f"py{major}", f"py{major}{minor}", f"cp{major}{minor}")
    if abi == "abi3":
        found = re.fullmatch(r"cp(\d)(\d+)", py)
        return bool(found) and int(found.group(1)) == major and int(found.group(2)) <= minor
    return py == f"cp{major}{minor}" and abi == f"cp{major}{minor}"


def _platform_fits(tag: str, target: Target) -> bool:
    if tag == "any":
        return True
    if target.system == "linux":
        return tag in target.pip_platforms
    if target.system == "win32":
        return tag in target.pip_platforms
    found = re.fullmatch(r"macosx_(\d+)_(\d+)_(\w+)", tag)
    if not found:
        return False
    wanted = re.fullmatch(r"macosx_(\d+)_(\d+)_(\w+)", target.pip_platforms[0])
    newest = (int(wanted.group(1)), int(wanted.group(2)))
    arches = {"arm64": ("arm64", "universal2"),
              "x86_64": ("x86_64", "universal2", "intel", "universal")}[wanted.group(3)]
    return (int(found.group(1)), int(found.group(2))) <= newest and found.group(3) in arches


def wheel_fits(filename: str, target: str, python: str) -> bool:
    """Whether a wheel installs on CPython ``python`` on ``target`` (a key of TARGETS).

    Parameters
    ----------
    filename : str
        The wheel's file name.
    target : str
        A platform key, e.g. ``"windows-x86_64"``.
    python : str
        The CPython version, ``"X.Y"``.
    """
    _, _, tags = parse_wheel_name(filename)
    chosen = TARGETS[target]
    return any(_python_fits(py, abi, python) and _platform_fits(plat, chosen)
               for py, abi, plat in tags)


def lock_name(target: str, python: str, kind: str = "course") -> str:
    """The file name of the lock for one platform, Python version and set."""
    return f"{target}-py{python}-{kind}.txt"


def parse_lock_name(filename: str) -> tuple[str, str, str] | None:
    """(platform, python, set) from a lock file name, or None for another file."""
    found = re.fullmatch(r"([a-z0-9]+-[a-z0-9_]+)-py(\d+\.\d+)-([a-z]+)\.txt", filename)
    return found.groups() if found else None


def this_machine(system: str | None = None, machine: str | None = None) -> str | None:
    """The platform key of this machine (or of ``system``/``machine``), None if none serves it.

    Parameters
    ----------
    system : str, optional
        A ``sys.platform`` value; this machine's by default.
    machine : str, optional
        A ``platform.machine()`` value; this machine's by default.
    """
    system = sys.platform if system is None else system
    machine = (_platform.machine() if machine is None else machine).lower()
    system = "linux" if system.startswith("linux") else system
    for target in TARGETS.values():
        if target.system == system and machine in target.machines:
            return target.key
    return None


def this_python() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def fetch_command(directory: Path | str, target: str, python: str) -> str:
    """The command a teacher runs on a connected machine to add this target to ``directory``."""
    return f"{FETCH} {directory} --platform {target} --python {python}"


def wheels_in(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.glob("*.whl"))


def match_wheels(pins: dict[str, str], wheels: list[str], target: str, python: str
                 ) -> tuple[dict[str, str], list[str]]:
    """Which wheel serves each pin on a target, and which pins have none.

    Returns
    -------
    tuple
        ({name: wheel file name}, [``name==version`` of each pin without a fitting wheel]).
    """
    by_name: dict[tuple[str, str], list[str]] = {}
    for wheel in wheels:
        try:
            name, version, _ = parse_wheel_name(wheel)
        except ValueError:
            continue
        by_name.setdefault((name, version), []).append(wheel)
    found, missing = {}, []
    for name, version in pins.items():
        fitting = [w for w in by_name.get((name, version), []) if wheel_fits(w, target, python)]
        if fitting:
            found[name] = fitting[0]
        else:
            missing.append(f"{name}=={version}")
    return found, missing


def check(directory: Path | str, kind: str = "course", target: str | None = None,
          python: str | None = None) -> Path:
    """Check that a wheelhouse can install set ``kind`` here, before pip is called.

    Parameters
    ----------
    directory : Path or str
        The wheelhouse folder.
    kind : str
        ``"course"`` or ``"test"``.
    target : str, optional
        Platform key; this machine's by default.
    python : str, optional
        ``"X.Y"``; this interpreter's by default.

    Returns
    -------
    Path
        The lock to pass to pip as constraints.

    Raises
    ------
    WheelhouseError
        Naming what is missing (the folder, the lock for this platform and Python, or wheels)
        and the command that fetches it on a connected machine.
    """
    directory = Path(directory)
    python = python or this_python()
    target = target or this_machine()
    if target is None:
        raise WheelhouseError(
            f"this machine ({sys.platform}, {_platform.machine()}) is not one a wheelhouse "
            f"serves; the platforms are: {', '.join(TARGETS)}. Install with internet instead "
            f"(python3 tasks.py course).")
    if kind == "test" and target not in TEST_PLATFORMS:
        raise WheelhouseError(f"the test extras are served from a wheelhouse on "
                              f"{', '.join(TEST_PLATFORMS)} only, not on {target}.")
    if tuple(int(x) for x in python.split(".")) < OLDEST_PYTHON:
        raise WheelhouseError(
            f"the course needs Python {'.'.join(map(str, OLDEST_PYTHON))} or later (nbgrader "
            f"0.9.6 requires it), and this is Python {python}: install a newer Python first "
            f"(START-HERE.md says where) and run tasks.py with it.")
    fetch = fetch_command(directory, target, python)
    if not directory.is_dir():
        raise WheelhouseError(
            f"the wheelhouse {directory} does not exist. On a machine with internet, build it "
            f"with `{fetch}` and copy the folder here (python3 tasks.py usb DIR makes a "
            f"whole USB stick).")
    lock = directory / "locks" / lock_name(target, python, kind)
    if not lock.exists():
        have = sorted(p for p in (parse_lock_name(f.name) for f in
                                  (directory / "locks").glob("*.txt")) if p)
        offer = ", ".join(f"{t} Python {p} ({k})" for t, p, k in have) or "nothing"
        same_platform = sorted({p for t, p, k in have if t == target and k == kind})
        if not have:
            why = "it has no locks: it is empty or was not made by `tasks.py wheelhouse`"
        elif same_platform:
            why = (f"a version mismatch: it serves {target} with Python "
                   f"{', '.join(same_platform)}, and this is Python {python}. Either run "
                   f"tasks.py with one of those Pythons, or add this one")
        else:
            why = f"it was built for another platform: it holds {offer}"
        raise WheelhouseError(
            f"the wheelhouse {directory} has no lock for {target} with Python {python} "
            f"({kind} set): {why}. On a machine with internet run `{fetch}`"
            f"{' --tests' if kind == 'test' else ''} and copy the folder here.")
    _, missing = match_wheels(parse_lock(lock.read_text(encoding="utf-8")),
                              wheels_in(directory), target, python)
    if missing:
        shown = ", ".join(missing[:12]) + (f" and {len(missing) - 12} more"
                                           if len(missing) > 12 else "")
        raise WheelhouseError(
            f"the wheelhouse {directory} is incomplete for {target} with Python {python}: "
            f"{len(missing)} wheel(s) of {lock.name} are missing: {shown}. See its INDEX.md "
            f"for why; on a machine with internet run `{fetch}` to fetch them (a package with "
            f"no wheel for this platform cannot be installed offline).")
    return lock


def install_command(python: Path | str, directory: Path | str, lock: Path, extras: str
                    ) -> list[str]:
    """The pip command that installs the package with ``extras`` from ``directory`` only.

    ``--no-index`` makes pip touch no network; the lock pins every version (constraints).
    ``--no-compile``: pip compiles every module of every package one at a time, which took two
    thirds of the install time (161 s against 50 s on a loaded 2-core machine); ``tasks.py``
    then compiles them on every core (``compile_bytecode``, about 15 s).
    """
    return [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "--no-compile", "--no-index", "--find-links", str(directory), "-c", str(lock),
            "-e", f".[{extras}]"]


def offline_env(env: dict | None = None) -> dict:
    """An environment in which pip sees no configured index, find-links or constraints.

    The offline tests use it, so that nothing but the wheelhouse can serve the install.
    """
    env = dict(os.environ if env is None else env)
    for key in list(env):
        if key.startswith("PIP_") and key not in ("PIP_CERT",):
            del env[key]
    env["PIP_CONFIG_FILE"] = os.devnull
    return env


def _size(n: int) -> str:
    return f"{n / 1e6:,.1f} MB"


def render_index(entries: list[dict], total_bytes: int, files: int) -> str:
    """INDEX.md: per lock, its packages, wheels and size; what is missing and why.

    Parameters
    ----------
    entries : list of dict
        One per lock: ``lock``, ``platform``, ``python``, ``set``, ``packages`` (count),
        ``bytes`` (sum of its wheels), ``missing`` ({``name==version``: reason}) and
        ``sdist_only`` (list of ``name==version``).
    total_bytes, files : int
        Size and number of wheels in the folder (a wheel shared by several locks counts once).
    """
    lines = ["# Wheelhouse index", "",
             f"{files} wheels, {_size(total_bytes)} in all (a wheel shared by several platforms "
             f"or Python versions is stored once). Written by `{FETCH}` (scripts/wheelhouse.py); "
             "install with `python3 tasks.py course --wheelhouse DIR` (`py` on Windows).", "",
             "| platform | Python | set | packages | size | status |",
             "|---|---|---|---:|---:|---|"]
    for e in entries:
        status = "complete" if not e["missing"] else f"**{len(e['missing'])} missing**"
        lines.append(f"| {e['platform']} | {e['python']} | {e['set']} | {e['packages']} | "
                     f"{_size(e['bytes'])} | {status} |")
    problems = [e for e in entries if e["missing"] or e.get("error")]
    lines += ["", "## What could not be fetched", ""]
    if not problems:
        lines.append("Nothing: every lock is complete.")
    for e in problems:
        lines.append(f"- {e['lock']}:")
        if e.get("error"):
            lines.append(f"  - {e['error']}")
        for pin, why in e["missing"].items():
            lines.append(f"  - `{pin}`: {why}")
    notes = [e for e in entries if e.get("note")]
    if notes:
        lines += ["", "## Locks that allow source archives", ""]
        lines += [f"- {e['lock']}: {e['note']}" for e in notes]
    sdist = [(e["lock"], s) for e in entries for s in e.get("sdist_only", [])]
    lines += ["", "## Packages with no wheel for a platform (source only)", ""]
    lines += [f"- `{s}` in {lock}: PyPI has only a source archive; a lab machine would need "
              "a compiler, so it is not in the wheelhouse" for lock, s in sdist] or ["None."]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------------
# Building (needs the network to PyPI)


def _load_toml(path: Path) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib
        except ModuleNotFoundError:
            from pip._vendor import tomli as tomllib
    with path.open("rb") as handle:
        return tomllib.load(handle)


def build_requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """What installs the package itself offline: its build backend's requirements, and pip."""
    requires = _load_toml(pyproject).get("build-system", {}).get("requires", ["setuptools"])
    return [*requires, "pip"]


def tools() -> tuple[Path, Path]:
    """uv and pip in a small venv of their own (_build/tools/wheelhouse), made once."""
    bindir = TOOLS / ("Scripts" if os.name == "nt" else "bin")
    uv = bindir / ("uv.exe" if os.name == "nt" else "uv")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    stamp = TOOLS / ".installed"
    if not stamp.exists() or stamp.read_text() != UV_REQUIREMENT:
        venv.create(TOOLS, with_pip=True, clear=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet",
                        "--disable-pip-version-check", "--upgrade", "pip", UV_REQUIREMENT],
                       check=True)
        stamp.write_text(UV_REQUIREMENT)
    return uv, python


def resolve(uv: Path, target: str, python: str, kind: str, output: Path) -> str | None:
    """Write the lock for one target with ``uv pip compile`` (raises CalledProcessError).

    It first asks for wheels only (``--only-binary :all:``), so that uv picks, among the versions
    pyproject allows, ones with a wheel for this target (argon2-cffi-bindings 26 has none for an
    Intel Mac; 25.1 has). When no such set exists it resolves again allowing source archives and
    returns uv's reason, for the index; else None.
    """
    try:
        _compile(uv, target, python, kind, output, ["--only-binary", ":all:"])
        return None
    except subprocess.CalledProcessError as wheels_only:
        _compile(uv, target, python, kind, output, [])
        return ("no set of wheels only satisfies pyproject here, so this lock allows source "
                f"archives: {resolver_reason(wheels_only.stderr or '')}")


def _compile(uv: Path, target: str, python: str, kind: str, output: Path, extra_args: list[str]
             ) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        extra = Path(tmp) / "build-requirements.in"
        extra.write_text("\n".join(build_requirements()) + "\n", encoding="utf-8")
        cmd = [str(uv), "pip", "compile", "--quiet", str(ROOT / "pyproject.toml"), str(extra),
               "--python-platform", TARGETS[target].uv_platform, "--python-version", python,
               "--no-header", "--no-annotate", "-o", str(output), *extra_args]
        for name in SETS[kind]:
            cmd += ["--extra", name]
        output.parent.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT,
                                env=dict(os.environ, UV_NO_PROGRESS="1"))
        if result.returncode != 0:
            raise subprocess.CalledProcessError(result.returncode, cmd, result.stdout,
                                                result.stderr)


def resolver_reason(stderr: str) -> str:
    """The line of uv's failure a teacher needs: its hint, else its conclusion, else its end."""
    lines = [line.strip(" ╰─▶|") .strip() for line in stderr.splitlines() if line.strip()]
    for start in ("hint:", "And because", "Because"):
        found = [line for line in lines if line.startswith(start)]
        if found:
            return found[-1]
    return " / ".join(lines[-3:]) or "uv gave no reason"


def _pip_download(pip_python: Path, pins: list[str], directory: Path, target: str,
                  python: str) -> subprocess.CompletedProcess:
    major, minor = python.split(".")
    cmd = [str(pip_python), "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
           "--only-binary=:all:", "--no-deps", "--dest", str(directory), "--implementation", "cp",
           "--python-version", python, "--abi", f"cp{major}{minor}", "--abi", "abi3",
           "--abi", "none"]
    for tag in TARGETS[target].pip_platforms:
        cmd += ["--platform", tag]
    return subprocess.run(cmd + pins, capture_output=True, text=True)


def _has_sdist(pip_python: Path, pin: str) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run([str(pip_python), "-m", "pip", "download", "--quiet",
                                 "--disable-pip-version-check", "--no-deps", "--no-binary",
                                 ":all:", "--no-build-isolation", "--dest", tmp, pin],
                                capture_output=True, text=True)
        return result.returncode == 0


def fetch(pip_python: Path, pins: dict[str, str], directory: Path, target: str, python: str
          ) -> tuple[dict[str, str], list[str]]:
    """Download the wheels a lock needs that ``directory`` lacks.

    Returns
    -------
    tuple
        ({``name==version``: why it could not be fetched}, [pins with only a source archive]).
    """
    _, todo = match_wheels(pins, wheels_in(directory), target, python)
    failed: dict[str, str] = {}
    sdist_only: list[str] = []
    while todo:
        result = _pip_download(pip_python, todo, directory, target, python)
        if result.returncode == 0:
            break
        found = re.search(r"No matching distribution found for (\S+)", result.stderr)
        pin = found and next((p for p in todo if normalize(p.split("==")[0]) ==
                              normalize(found.group(1).split("==")[0])), None)
        if not pin:
            last = (result.stderr.strip().splitlines() or ["pip gave no reason"])[-1]
            for left in match_wheels(pins, wheels_in(directory), target, python)[1]:
                failed[left] = f"download failed: {last}"
            break
        if _has_sdist(pip_python, pin):
            sdist_only.append(pin)
            failed[pin] = f"no wheel for {target} Python {python}; PyPI has a source archive only"
        else:
            failed[pin] = f"no wheel and no source archive on PyPI for {target} Python {python}"
        todo = [p for p in todo if p != pin]
    return failed, sdist_only


def unused_wheels(directory: Path) -> list[str]:
    """Wheels in ``directory`` that no lock in ``directory/locks`` uses (left by older locks)."""
    used: set[str] = set()
    wheels = wheels_in(directory)
    for lock in (directory / "locks").glob("*.txt"):
        parsed = parse_lock_name(lock.name)
        if parsed:
            for name, version in parse_lock(lock.read_text(encoding="utf-8")).items():
                used.update(w for w in wheels if parse_wheel_name(w)[:2] == (name, version)
                            and wheel_fits(w, parsed[0], parsed[1]))
    return [w for w in wheels if w not in used]


def write_index(directory: Path, entries: list[dict]) -> Path:
    wheels = list(directory.glob("*.whl"))
    total = sum(p.stat().st_size for p in wheels)
    (directory / "index.json").write_text(json.dumps(
        {"bytes": total, "wheels": len(wheels), "locks": entries}, indent=1) + "\n",
        encoding="utf-8")
    index = directory / "INDEX.md"
    index.write_text(render_index(entries, total, len(wheels)), encoding="utf-8")
    return index


def lock_entry(directory: Path, lock: Path, failed: dict[str, str] | None = None,
               sdist_only: list[str] | None = None, error: str | None = None) -> dict:
    target, python, kind = parse_lock_name(lock.name)
    pins = parse_lock(lock.read_text(encoding="utf-8")) if lock.exists() else {}
    found, missing = match_wheels(pins, wheels_in(directory), target, python)
    reasons = dict(failed or {})
    missing_reasons = {pin: reasons.get(pin, "not fetched yet") for pin in missing}
    return {"lock": lock.name, "platform": target, "python": python, "set": kind,
            "packages": len(pins), "bytes": sum((directory / w).stat().st_size
                                                for w in found.values()),
            "missing": missing_reasons, "sdist_only": sorted(sdist_only or []), "error": error}


def build(directory: Path, targets: list[str], pythons: list[str], tests: bool = True,
          download: bool = True) -> list[dict]:
    """Resolve every lock, download its wheels and write the index; return the index entries.

    Parameters
    ----------
    directory : Path
        The wheelhouse folder (created when missing; wheels already there are kept).
    targets : list of str
        Platform keys (TARGETS).
    pythons : list of str
        ``"X.Y"`` versions.
    tests : bool
        Also build the ``test`` set for the platforms in TEST_PLATFORMS.
    download : bool
        False resolves the locks only (what CI checks for the platforms it does not build).
    """
    uv, pip_python = tools()
    directory.mkdir(parents=True, exist_ok=True)
    entries = []
    old = {}
    if (directory / "index.json").exists():
        old = {e["lock"]: e for e in json.loads(
            (directory / "index.json").read_text(encoding="utf-8"))["locks"]}
    for target in targets:
        for python in pythons:
            kinds = ["course"] + (["test"] if tests and target in TEST_PLATFORMS else [])
            for kind in kinds:
                lock = directory / "locks" / lock_name(target, python, kind)
                print(f"wheelhouse: {lock.name}: resolving", flush=True)
                try:
                    note = resolve(uv, target, python, kind, lock)
                except subprocess.CalledProcessError as exc:
                    error = "could not resolve: " + resolver_reason(exc.stderr or "")
                    print(f"wheelhouse: {lock.name}: {error}", file=sys.stderr)
                    old[lock.name] = {"lock": lock.name, "platform": target, "python": python,
                                      "set": kind, "packages": 0, "bytes": 0, "missing": {},
                                      "sdist_only": [], "error": error}
                    continue
                failed, sdist_only = {}, []
                if download:
                    pins = parse_lock(lock.read_text(encoding="utf-8"))
                    failed, sdist_only = fetch(pip_python, pins, directory, target, python)
                entry = lock_entry(directory, lock, failed, sdist_only)
                entry["note"] = note
                old[lock.name] = entry
                state = ("complete" if not entry["missing"] else
                         f"{len(entry['missing'])} missing")
                print(f"wheelhouse: {lock.name}: {entry['packages']} packages, "
                      f"{_size(entry['bytes'])}, {state}", flush=True)
    # Keep what earlier runs recorded for other locks, refreshed against the files present.
    for name in sorted(old):
        lock = directory / "locks" / name
        entry = old[name]
        if lock.exists() and not entry.get("error"):
            entry = dict(lock_entry(directory, lock, entry.get("missing"),
                                    entry.get("sdist_only")), note=entry.get("note"))
        entries.append(entry)
    if download:
        stale = unused_wheels(directory)
        for wheel in stale:
            (directory / wheel).unlink()
        if stale:
            print(f"wheelhouse: removed {len(stale)} wheel(s) that no lock uses any more",
                  flush=True)
    index = write_index(directory, entries)
    print(f"wheelhouse: {index}", flush=True)
    return entries


def main(argv: list[str]) -> int:
    """``wheelhouse [DIR] [--platform P ...] [--python X.Y ...] [--this] [--no-tests]
    [--locks-only]``."""
    import argparse

    parser = argparse.ArgumentParser(prog="tasks.py wheelhouse", description=__doc__.split(
        "\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory", nargs="?", default=str(DEFAULT_DIR),
                        help="where to put it (default _build/wheelhouse)")
    parser.add_argument("--platform", action="append", choices=list(TARGETS),
                        help="a platform to serve (repeatable; default: all)")
    parser.add_argument("--python", action="append", metavar="X.Y",
                        help=f"a Python version (repeatable; default: {', '.join(PYTHONS)})")
    parser.add_argument("--this", action="store_true",
                        help="only this machine's platform and Python")
    parser.add_argument("--no-tests", action="store_true",
                        help="skip the test extras (Linux)")
    parser.add_argument("--locks-only", action="store_true",
                        help="resolve the locks, download nothing")
    args = parser.parse_args(argv)
    for version in args.python or []:
        if not re.fullmatch(r"3\.\d+", version):
            parser.error(f"--python takes a version like 3.12, not {version!r}")
    targets, pythons = args.platform or list(TARGETS), args.python or list(PYTHONS)
    if args.this:
        if this_machine() is None:
            parser.error(f"--this: no wheelhouse platform matches this machine "
                         f"({sys.platform}, {_platform.machine()})")
        targets, pythons = [this_machine()], [this_python()]
    entries = build(Path(args.directory).resolve(), targets, pythons, tests=not args.no_tests,
                    download=not args.locks_only)
    bad = [e["lock"] for e in entries if e.get("error") or (e["missing"] and not args.locks_only)]
    if bad:
        print(f"wheelhouse: incomplete: {', '.join(bad)} (see INDEX.md)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
