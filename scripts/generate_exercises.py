#!/usr/bin/env python3
"""Regenerate the student versions in exercises/ from the nbgrader source in solutions/.

    python scripts/generate_exercises.py                 # every assignment
    python scripts/generate_exercises.py ex01-theory     # just one
    python scripts/generate_exercises.py --check         # exit 1 if exercises/ is out of date

nbgrader's own ``generate_assignment`` does the work (solutions and hidden tests stripped, read-only
cells locked, checksums recorded), in a scratch copy of the course with a scratch gradebook, so the
course's real gradebook is not touched. The result is then normalised (no outputs, no execution
counts, stable JSON) so that running the script twice gives identical files.

Instructors who grade need the assignment recorded in their gradebook: `alliancekit-grade` does that
by itself, or run ``nbgrader generate_assignment ASSIGNMENT --force`` at the course root (see
INSTRUCTORS.md).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def assignments(root: Path = ROOT) -> list[str]:
    """The assignment names: folders of solutions/ holding a notebook of the same name."""
    return sorted(p.name for p in (root / "solutions").iterdir()
                  if p.is_dir() and (p / f"{p.name}.ipynb").exists())


def normalise(text: str) -> str:
    """Stable notebook JSON: no outputs or execution counts, sorted keys, a trailing newline."""
    nb = json.loads(text)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def generate(names: list[str], root: Path = ROOT) -> dict[str, str]:
    """Run nbgrader generate_assignment for ``names``; return {relative path: notebook JSON}."""
    os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    out: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="ak-generate-") as scratch:
        course = Path(scratch)
        shutil.copytree(root / "solutions", course / "solutions",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        config = Config()
        config.merge(PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config())
        config.CourseDirectory.root = str(course)
        config.CourseDirectory.db_url = f"sqlite:///{course / 'gradebook.db'}"
        api = NbGraderAPI(config=config)
        for name in names:
            result = api.generate_assignment(name, force=True, create=True)
            if not result["success"]:
                raise RuntimeError(f"nbgrader generate_assignment {name} failed:\n"
                                   f"{result.get('error') or result.get('log')}")
            release = course / "exercises" / name
            for path in sorted(release.rglob("*")):
                if path.is_file():
                    rel = path.relative_to(course).as_posix()
                    text = path.read_text(encoding="utf-8")
                    out[rel] = normalise(text) if path.suffix == ".ipynb" else text
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="assignments to regenerate (default: all)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if exercises/ differs from a fresh generation")
    args = parser.parse_args(argv)
    known = assignments()
    unknown = sorted(set(args.names) - set(known))
    if unknown:
        print(f"generate_exercises: unknown assignments {unknown}; choose from {known}",
              file=sys.stderr)
        return 2
    names = args.names or known
    generated = generate(names)
    stale = []
    for rel, text in generated.items():
        path = ROOT / rel
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(rel)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    # files in exercises/<name>/ that nbgrader would no longer produce
    for name in names:
        for path in sorted((ROOT / "exercises" / name).rglob("*")):
            rel = path.relative_to(ROOT).as_posix()
            if path.is_file() and rel not in generated:
                stale.append(rel)
                if not args.check:
                    path.unlink()
    if args.check:
        if stale:
            print("exercises/ is out of date; run `python3 tasks.py exercises`. Differs: "
                  + ", ".join(stale), file=sys.stderr)
            return 1
        print(f"exercises/ is up to date ({len(generated)} files)")
        return 0
    print(f"regenerated {len(names)} assignments; {len(stale)} files changed"
          + (f": {', '.join(stale)}" if stale else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
