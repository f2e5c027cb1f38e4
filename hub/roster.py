#!/usr/bin/env python3
"""The class list of a one-machine hub: who teaches, who grades, who studies.

    sudo python3 hub/roster.py init --instructor NAME [--prefix /opt/alliancekit-hub]
    sudo python3 hub/roster.py add-student NAME [NAME ...]
    sudo python3 hub/roster.py add-grader NAME [NAME ...]

The roster is a small JSON file, ``PREFIX/roster.json``::

    {"instructor": "amensah", "graders": ["kboateng"], "students": ["s1", "s2"]}

``hub/jupyterhub_config.py`` reads it at start: the instructor and graders form the JupyterHub group
``formgrade-alliancekit`` (they reach the course's Formgrader service), the students (and the
instructor) the group ``nbgrader-alliancekit`` (they see the course's assignments). Each name is a
real Unix user, created here when missing, with a private home (mode 700): nbgrader takes the
student id from the Unix user, and Unix permissions keep one student's work from another.

The instructor's home gets the course directory ``~/alliancekit`` (solutions, exercises and
``nbgrader_config.py``, from ``PREFIX/instructor``) and ``~/.jupyter/nbgrader_config.py`` pointing
nbgrader at it; an existing course directory is never overwritten.
"""
from __future__ import annotations

import argparse
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
from pathlib import Path

COURSE_ID = "alliancekit"
DEFAULT_PREFIX = Path("/opt/alliancekit-hub")
NAME = re.compile(r"^[a-z][a-z0-9-]{0,30}$")

INSTRUCTOR_CONFIG = '''\
"""nbgrader settings of the course owner (written by hub/roster.py)."""
c = get_config()  # noqa: F821
c.CourseDirectory.root = {root!r}
'''


def check_name(name: str) -> str:
    """Return ``name`` when it is a valid user name, else raise ValueError saying what is allowed.

    Parameters
    ----------
    name : str
        A proposed Unix and JupyterHub user name.
    """
    if not NAME.match(name):
        raise ValueError(f"bad user name {name!r}: use 1-31 lower-case letters, digits or '-', "
                         "starting with a letter")
    return name


def load(path: Path) -> dict:
    """Read a roster file (``{"instructor": str, "graders": [...], "students": [...]}``).

    Parameters
    ----------
    path : Path
        The roster's JSON file.

    Returns
    -------
    dict
        The roster with all three keys present.
    """
    data = json.loads(path.read_text())
    roster = {"instructor": data.get("instructor"), "graders": list(data.get("graders", [])),
              "students": list(data.get("students", []))}
    if not roster["instructor"]:
        raise ValueError(f"{path}: the roster names no instructor (key 'instructor')")
    for name in [roster["instructor"], *roster["graders"], *roster["students"]]:
        check_name(name)
    return roster


def save(path: Path, roster: dict) -> None:
    """Write ``roster`` to ``path`` (readable by root only: it is the hub's configuration).

    Parameters
    ----------
    path : Path
        The roster's JSON file.
    roster : dict
        As returned by :func:`load`.
    """
    path.write_text(json.dumps(roster, indent=2) + "\n")
    os.chmod(path, 0o600)


def ensure_unix_user(name: str) -> pwd.struct_passwd:
    """Create the Unix user ``name`` (with a home) when missing; make the home private (700).

    Parameters
    ----------
    name : str
        The user name.

    Returns
    -------
    pwd.struct_passwd
        The user's account entry.
    """
    check_name(name)
    try:
        pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", name], check=True)
    entry = pwd.getpwnam(name)
    os.chmod(entry.pw_dir, 0o700)
    return entry


def _chown_tree(path: Path, uid: int, gid: int) -> None:
    os.chown(path, uid, gid)
    for parent, dirs, files in os.walk(path):
        for name in dirs + files:
            os.chown(os.path.join(parent, name), uid, gid, follow_symlinks=False)


def setup_instructor(name: str, prefix: Path) -> Path:
    """Give the instructor the course directory and nbgrader configuration in their home.

    Parameters
    ----------
    name : str
        The instructor's user name.
    prefix : Path
        The hub's installation folder (holds the ``instructor`` template from ``hub/install.py``).

    Returns
    -------
    Path
        The course directory (``~NAME/alliancekit``).
    """
    entry = ensure_unix_user(name)
    home = Path(entry.pw_dir)
    course = home / COURSE_ID
    if not course.exists():
        shutil.copytree(prefix / "instructor", course)
        os.chmod(course, 0o700)
        _chown_tree(course, entry.pw_uid, entry.pw_gid)
    jupyter = home / ".jupyter"
    jupyter.mkdir(exist_ok=True)
    (jupyter / "nbgrader_config.py").write_text(INSTRUCTOR_CONFIG.format(root=str(course)))
    _chown_tree(jupyter, entry.pw_uid, entry.pw_gid)
    return course


def remove_unix_user(name: str) -> None:
    """Delete the Unix user ``name`` and their home (used by tests and trials only).

    Parameters
    ----------
    name : str
        The user name.
    """
    check_name(name)
    subprocess.run(["userdel", "--remove", name], check=False, capture_output=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prefix", type=Path, default=DEFAULT_PREFIX)
    sub = parser.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", help="start a roster with its instructor")
    init.add_argument("--instructor", required=True)
    for command in ("add-student", "add-grader"):
        sub.add_parser(command).add_argument("names", nargs="+")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("hub/roster.py must run as root: it creates Unix users", file=sys.stderr)
        return 2
    path = args.prefix / "roster.json"
    try:
        if args.command == "init":
            roster = {"instructor": check_name(args.instructor), "graders": [], "students": []}
            if path.exists():
                roster = {**load(path), "instructor": args.instructor}
            course = setup_instructor(args.instructor, args.prefix)
            print(f"course directory of {args.instructor}: {course}")
        else:
            roster = load(path)
            key = "students" if args.command == "add-student" else "graders"
            for name in args.names:
                ensure_unix_user(name)
                if name not in roster[key]:
                    roster[key].append(name)
    except (ValueError, FileNotFoundError) as err:
        print(f"roster: {err}", file=sys.stderr)
        return 2
    save(path, roster)
    print(f"roster saved to {path}; restart the hub (or add the user to the group with the hub's "
          "REST API) for it to take effect")
    return 0


if __name__ == "__main__":
    sys.exit(main())
