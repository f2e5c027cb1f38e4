#!/usr/bin/env python3
"""Write binder/requirements.txt from pyproject.toml, so Binder installs what a student installs.

pyproject.toml is the one source of truth for dependencies. Binder (repo2docker) cannot read extras,
so this script flattens the runtime dependencies and the ``course`` extra (JupyterLab and nbgrader,
pinned together) into a pip requirements file, and ends it with ``-e .`` so that Binder installs the
package itself from the repository it has cloned.

    python scripts/sync_binder.py           rewrite binder/requirements.txt
    python scripts/sync_binder.py --check   exit 1 (and say why) if the file is out of date

tests/integration/test_browser.py runs the check, so a dependency changed in pyproject.toml and
not here fails CI.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
REQUIREMENTS = ROOT / "binder" / "requirements.txt"

#: The extras of pyproject.toml that a Binder session needs besides the runtime dependencies.
BINDER_EXTRAS = ("course",)

#: How Binder installs the package itself: editable, so the code a learner opens is the code that
#: runs.
SELF_INSTALL = "-e ."

HEADER = """\
# Generated from pyproject.toml by scripts/sync_binder.py: do not edit by hand.
# Regenerate with `python scripts/sync_binder.py`; tests/integration/test_browser.py checks it.
"""


def _load_toml(path: Path) -> dict:
    """Parse a TOML file with tomllib (3.11+), tomli, or the copy of tomli that pip vendors."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib
        except ModuleNotFoundError:
            from pip._vendor import tomli as tomllib
    with path.open("rb") as handle:
        return tomllib.load(handle)


def binder_dependencies(pyproject: Path = PYPROJECT, extras: tuple[str, ...] = BINDER_EXTRAS
                        ) -> list[str]:
    """The requirement strings Binder must install, in pyproject.toml's order.

    Parameters
    ----------
    pyproject : Path
        The project's ``pyproject.toml``.
    extras : tuple of str
        Names of ``[project.optional-dependencies]`` groups to include after the runtime
        dependencies.

    Returns
    -------
    list of str
        Runtime dependencies, then each extra's, without duplicates.

    Raises
    ------
    ValueError
        If ``extras`` names a group that pyproject.toml does not define.
    """
    project = _load_toml(pyproject)["project"]
    optional = project.get("optional-dependencies", {})
    unknown = [name for name in extras if name not in optional]
    if unknown:
        raise ValueError(
            f"extras: {unknown} not in [project.optional-dependencies] of {pyproject}; "
            f"defined groups are {sorted(optional)}"
        )
    wanted = list(project.get("dependencies", []))
    for name in extras:
        wanted.extend(optional[name])
    seen: set[str] = set()
    unique = []
    for requirement in wanted:
        if requirement not in seen:
            seen.add(requirement)
            unique.append(requirement)
    return unique


def requirements_text(pyproject: Path = PYPROJECT) -> str:
    """The full text binder/requirements.txt should have."""
    lines = binder_dependencies(pyproject)
    return HEADER + "\n".join([*lines, SELF_INSTALL]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if binder/requirements.txt is out of date")
    args = parser.parse_args(argv)
    wanted = requirements_text()
    current = REQUIREMENTS.read_text() if REQUIREMENTS.exists() else ""
    if args.check:
        if current != wanted:
            print(f"{REQUIREMENTS.relative_to(ROOT)} is out of date with pyproject.toml; "
                  "run `python scripts/sync_binder.py`", file=sys.stderr)
            return 1
        print(f"{REQUIREMENTS.relative_to(ROOT)} matches pyproject.toml")
        return 0
    REQUIREMENTS.parent.mkdir(exist_ok=True)
    REQUIREMENTS.write_text(wanted)
    print(f"wrote {REQUIREMENTS.relative_to(ROOT)} ({len(wanted.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
