"""The repository as committed: no file carries an unresolved merge."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MARKER = re.compile(r"^(<{7} |={7}$|>{7} )", re.M)


def _tracked_text_files() -> list[Path]:
    try:
        listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout.split("\n")
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: nothing committed to check")
    suffixes = {".py", ".md", ".ipynb", ".toml", ".cfg", ".txt", ".yaml", ".yml", ".json",
                ".csv", ".css", ".html"}
    return [ROOT / name for name in listed
            if name and (Path(name).suffix in suffixes or Path(name).name.startswith("."))]


def test_no_tracked_file_holds_a_merge_conflict_marker():
    conflicted = []
    for path in _tracked_text_files():
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            if MARKER.search(text):
                conflicted.append(str(path.relative_to(ROOT)))
    assert not conflicted, f"unresolved merge conflict markers in: {conflicted}"
