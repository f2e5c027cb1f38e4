#!/usr/bin/env python3
"""Regenerate the student versions in exercises/ from the nbgrader source in solutions/.

    python scripts/generate_exercises.py                 # every assignment
    python scripts/generate_exercises.py ex01-theory     # just one
    python scripts/generate_exercises.py --check         # exit 1 if exercises/ is out of date

nbgrader's own ``generate_assignment`` does the work (solutions and hidden tests stripped, read-only
cells locked, checksums recorded), in a scratch copy of the course with a scratch gradebook, so the
course's real gradebook is not touched. The result is then normalised (no outputs, no execution
counts, stable JSON) so that running the script twice gives identical files.

The script only ever writes or deletes files it generated itself. ``exercises/GENERATED.json``
records the SHA-256 of each file it wrote; a file in exercises/ that is not listed there (a
JupyterLab checkpoint, a student's stray notebook) is ignored by ``--check`` and never deleted, and
a generated file that someone edited since (its hash no longer matches) is first copied to
``my-work/<set>/`` (under a dated name if one exists there) before the new version is written.
Students work in ``my-work/``, which this script never touches otherwise.

Instructors who grade need the assignment recorded in their gradebook: `alliancekit-grade` does that
by itself, or run ``nbgrader generate_assignment ASSIGNMENT --force`` at the course root (see
INSTRUCTORS.md).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from alliancekit._env import put_on_path

ROOT = Path(__file__).resolve().parents[1]

MANIFEST = "exercises/GENERATED.json"


def sha(text: str) -> str:
    """SHA-256 of a file's text (UTF-8), as the manifest records it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_manifest(root: Path = ROOT) -> dict[str, str]:
    """{relative path: sha256} of the files the generator last wrote; {} if none yet."""
    path = root / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def manifest_text(entries: dict[str, str]) -> str:
    return json.dumps(dict(sorted(entries.items())), indent=1) + "\n"


def keep_edited(path: Path, root: Path = ROOT) -> Path:
    """Copy an edited generated file into my-work/ before it is replaced; return the copy."""
    rel = path.relative_to(root / "exercises")
    target = root / "my-work" / rel
    if target.exists():
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = target.with_name(f"{target.stem}-edited-in-exercises-{stamp}{target.suffix}")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(path, target)
    return target


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
    put_on_path()
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
    return apply(generated, names, check=args.check)


def apply(generated: dict[str, str], names: list[str], check: bool = False,
          root: Path = ROOT) -> int:
    """Compare (``check``) or write ``generated`` into ``root``; only generated files are touched.

    Parameters
    ----------
    generated : dict
        {relative path: text} from :func:`generate`.
    names : list of str
        The assignments that were generated (their manifest entries are replaced).
    check : bool
        Write nothing; return 1 if a generated file or the manifest differs, else 0.
    root : Path
        The course root.
    """
    manifest = read_manifest(root)
    owned = {rel for rel in manifest if rel.split("/")[1] in names}
    new_manifest = {rel: digest for rel, digest in manifest.items() if rel not in owned}
    new_manifest.update({rel: sha(text) for rel, text in generated.items()})
    stale, kept = [], []
    for rel, text in generated.items():
        path = root / rel
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(rel)
        if check:
            continue
        if current is not None and sha(current) != manifest.get(rel):
            kept.append(keep_edited(path, root).relative_to(root).as_posix())
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    # files this script generated before but no longer produces: removed only if unedited
    for rel in sorted(owned - set(generated)):
        path = root / rel
        if path.exists() and sha(path.read_text(encoding="utf-8")) == manifest[rel]:
            stale.append(rel)
            if not check:
                path.unlink()
    manifest_path = root / MANIFEST
    wanted = manifest_text(new_manifest)
    current = manifest_path.read_text(encoding="utf-8") if manifest_path.exists() else None
    if current != wanted:
        stale.append(MANIFEST)
        if not check:
            manifest_path.write_text(wanted, encoding="utf-8")
    if check:
        if stale:
            print("exercises/ is out of date; run `python3 tasks.py exercises`. Differs: "
                  + ", ".join(stale), file=sys.stderr)
            return 1
        print(f"exercises/ is up to date ({len(generated)} generated files; other files in "
              "exercises/ are not checked)")
        return 0
    print(f"regenerated {len(names)} assignments; {len(stale)} files changed"
          + (f": {', '.join(stale)}" if stale else ""))
    for copy in kept:
        print(f"an edited file in exercises/ was kept: your version is now {copy}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
