"""The lessons' text as the lesson-fact tests read it: each cell's source on one line."""
from __future__ import annotations

import json
from pathlib import Path

COURSE = Path(__file__).parents[2] / "course"


def cells(lesson: str, kinds: tuple[str, ...] = ("markdown",)) -> list[str]:
    """The cells of lesson ``lesson`` (two digits) of the given kinds, whitespace folded."""
    path = next(COURSE.glob(f"{lesson}-*.ipynb"))
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [" ".join("".join(c["source"]).split()) for c in nb["cells"]
            if c["cell_type"] in kinds]


def all_text(pattern: str) -> str:
    """Every cell, markdown and code, of every lesson whose file matches ``pattern``."""
    return " ".join(" ".join(cells(p.name[:2], ("markdown", "code")))
                    for p in sorted(COURSE.glob(pattern)))
