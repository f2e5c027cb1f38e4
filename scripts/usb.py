#!/usr/bin/env python3
"""``python3 tasks.py usb DIR``: the course for a lab with no internet, in one folder.

DIR gets the repository as committed (``git archive HEAD``: no ``.git``, no ``.venv``, no
``my-work/``), ``wheelhouse/`` (every wheel the course needs, from ``_build/wheelhouse`` or
``--wheelhouse SRC``; built for every platform first when absent) and ``site/`` (the course
website, from ``_build/site``; built by ``tasks.py site`` when absent), with START-HERE.md and
START-HERE.txt on top. A teacher copies DIR to a stick.

The stick carries no ``.git``: a lab machine has no use for the history and cannot pull without a
network, and the course runs from a plain copy (nothing in it calls git). DIR/COPIED-FROM.txt names
the commit it was made from; update a stick by making it again.

Standard library only, like scripts/wheelhouse.py.
"""
from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import wheelhouse as wh  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "site"
#: What a copy made without git leaves out: the history, environments, builds, students' work.
NOT_COPIED = (".git", ".venv", "_build", "my-work", "__pycache__", ".pytest_cache",
              ".hypothesis", ".ruff_cache", ".ipynb_checkpoints", "*.egg-info", "gradebook.db*")


def copy_repository(dest: Path, root: Path = ROOT) -> str:
    """Copy the repository into ``dest`` without ``.git``; return where it came from.

    With git, the committed tree of HEAD (``git archive``: uncommitted changes are not copied,
    and a note says so); without git (a copy of a copy), the files minus NOT_COPIED.

    Parameters
    ----------
    dest : Path
        An empty or missing folder.
    root : Path
        The repository to copy.
    """
    dest.mkdir(parents=True, exist_ok=True)
    if (root / ".git").exists() and shutil.which("git"):
        def git(*args: str) -> bytes:
            return subprocess.run(["git", *args], cwd=root, check=True,
                                  capture_output=True).stdout

        commit = git("rev-parse", "HEAD").decode().strip()
        with tarfile.open(fileobj=io.BytesIO(git("archive", "--format=tar", "HEAD"))) as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(dest, filter="data")
            else:  # Python < 3.10.12: our own archive, made just now
                tar.extractall(dest)
        if git("status", "--porcelain", "--untracked-files=no").strip():
            print("usb: note: uncommitted changes are not copied (the stick holds commit "
                  f"{commit[:12]})", flush=True)
        origin = f"git commit {commit[:12]}"
    else:
        shutil.copytree(root, dest, ignore=shutil.ignore_patterns(*NOT_COPIED),
                        dirs_exist_ok=True)
        origin = f"a copy of {root} (no git history there)"
    full = f"git commit {commit}" if origin.startswith("git commit") else origin
    (dest / "COPIED-FROM.txt").write_text(
        f"This copy of the alliancekit course was made from {full}, without its git history.\n",
        encoding="utf-8")
    return origin


def coverage(wheelhouse: Path) -> dict[str, list[str]]:
    """Platform -> Python versions the wheelhouse's ``course`` locks serve, complete or not."""
    served: dict[str, list[str]] = {}
    for lock in sorted((wheelhouse / "locks").glob("*.txt")):
        parsed = wh.parse_lock_name(lock.name)
        if parsed and parsed[2] == "course":
            served.setdefault(parsed[0], []).append(parsed[1])
    return {key: sorted(v, key=lambda x: tuple(map(int, x.split(".")))) for key, v in
            served.items()}


def start_here(origin: str, served: dict[str, list[str]], size_mb: float) -> str:
    """The one-page START-HERE text for a stick (Markdown that reads as plain text too)."""
    covered = "\n".join(f"  - {key}: Python {', '.join(v)}" for key, v in served.items())
    versions = sorted({v for vs in served.values() for v in vs},
                      key=lambda x: tuple(map(int, x.split("."))))
    span = f"{versions[0]} to {versions[-1]}" if versions else "3.11 or newer"
    return f"""# alliancekit with no internet: start here

This folder is the alliancekit course ({origin}), its website, and a wheelhouse: every Python
package the course needs ({size_mb:,.0f} MB), so that no machine needs the internet. The wheelhouse
serves:
{covered or "  - (nothing: build it with `python3 tasks.py wheelhouse wheelhouse`)"}

## What a lab machine must already have

- Python {span}, with venv (the course makes its own environment in .venv/; about 850 MB).
  - Windows: the installer from python.org/downloads/windows ("Add python.exe to PATH"; it
    also installs the `py` launcher). Copy the installer onto the stick for a lab offline.
  - macOS: the installer from python.org/downloads/macos.
  - Linux: the distribution's python3 with venv (Debian, Ubuntu: `apt install python3-venv`).
- A web browser. Nothing else: no git, no compiler, no internet.

## Each student, once

1. Copy this whole folder to the machine (for example to the Desktop). The course keeps the
   student's answers (my-work/) and its environment (.venv/) inside it, so every student needs
   a copy of their own. To save time, you may leave the wheelhouse on the stick and give its path
   instead of `wheelhouse` below (for example `E:\\alliancekit\\wheelhouse`).
2. Open a terminal in that folder (Windows: in File Explorer, type `cmd` in the address bar).
3. Run, on Windows:

       py tasks.py course --wheelhouse wheelhouse

   on macOS or Linux:

       python3 tasks.py course --wheelhouse wheelhouse

   The first run installs the course from the wheelhouse (a few minutes, no internet), then
   opens JupyterLab in the browser. Later runs: the same command, ready in seconds.
   Ctrl-C in the terminal stops it.

## The website

Open site/index.html in a browser: every lesson, readable with no Python at all.

## If it says something is missing

The message names this machine's platform and Python version and the command that fetches what
is missing, to be run on a machine with internet in a copy of this folder (for example
`python3 tasks.py wheelhouse wheelhouse --platform windows-x86_64 --python 3.12`); then copy the
wheelhouse back. wheelhouse/INDEX.md lists what it holds and anything it could not fetch.

Instructors on Linux can also run the tests offline: `python3 tasks.py test --wheelhouse
wheelhouse` (tests needing Chromium, bubblewrap or npm's MathJax skip unless those are installed).
"""


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="tasks.py usb", description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", help="the folder to fill (missing or empty)")
    parser.add_argument("--wheelhouse", default=str(wh.DEFAULT_DIR),
                        help="the wheelhouse to copy (default _build/wheelhouse; built for "
                             "every platform when absent)")
    args = parser.parse_args(argv)
    dest = Path(args.directory).resolve()
    if dest.exists() and any(dest.iterdir()):
        parser.error(f"{dest} is not empty: give a new or empty folder (nothing is overwritten)")
    source = Path(args.wheelhouse).resolve()
    if not (source / "index.json").exists():
        print(f"usb: no wheelhouse in {source}: building it for every platform (needs the "
              "network to PyPI)", flush=True)
        code = wh.main([str(source)])
        if code:
            print("usb: the wheelhouse is incomplete (see its INDEX.md); continuing with it",
                  file=sys.stderr)
    if not (SITE / "index.html").exists():
        print("usb: building the website (tasks.py site)", flush=True)
        subprocess.run([sys.executable, str(ROOT / "tasks.py"), "site"], cwd=ROOT, check=True)
    origin = copy_repository(dest)
    shutil.copytree(source, dest / "wheelhouse")
    shutil.copytree(SITE, dest / "site")
    served = coverage(dest / "wheelhouse")
    size = json.loads((dest / "wheelhouse" / "index.json").read_text(encoding="utf-8"))["bytes"]
    text = start_here(origin, served, size / 1e6)
    (dest / "START-HERE.md").write_text(text, encoding="utf-8")
    (dest / "START-HERE.txt").write_text(text.replace("\n", "\r\n"), encoding="utf-8",
                                         newline="")
    print(f"usb: {dest}: {folder_size(dest) / 1e6:,.0f} MB; read START-HERE.md", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
