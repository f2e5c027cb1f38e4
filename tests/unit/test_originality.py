"""The course is written in our own words: no run of words lifted from the article.

The article (Owusu & Bruce-Ghartey 2026) sits in ../shared/seed/ beside the repository when it is
available. Every lesson, exercise and guide is compared with it, ten words at a time, after
folding case and punctuation. Ten, because a shorter run catches shared vocabulary rather than
copying: "the mechanisms leadership, domestic politics, power asymmetry and external shocks" is
nine words. Titles of works in reference lists are the one allowed overlap, so lines that look
like references (an author-year citation) are left out. Where the article is absent the test
skips, which fails in CI (``ALLIANCEKIT_CI=1``, root ``conftest.py``).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT.parent / "shared" / "seed" / "illusion-of-permanent-allies.txt"
RUN = 10
REFERENCE_LINE = re.compile(r"\(\d{4}[a-z]?\)|\b(19|20)\d{2}\b.*[\"“*].+[\"”*]")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _runs(text: str) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i:i + RUN]) for i in range(len(words) - RUN + 1)}


def _prose(path: Path) -> str:
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if not REFERENCE_LINE.search(line))


def _documents() -> list[Path]:
    found = sorted((ROOT / "course").glob("*.ipynb"))
    found += sorted((ROOT / "solutions").rglob("*.ipynb"))
    found += [p for p in (ROOT / "README.md", ROOT / "INSTRUCTORS.md") if p.exists()]
    return found


@pytest.fixture(scope="module")
def article_runs() -> set[tuple[str, ...]]:
    if not ARTICLE.exists():
        pytest.skip(f"the article is not beside the repository ({ARTICLE})")
    body = ARTICLE.read_text(encoding="utf-8").split("REFERENCES")[0]
    return _runs(body)


@pytest.mark.parametrize("path", _documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_ten_word_run_is_copied_from_the_article(path, article_runs):
    shared = sorted(" ".join(run) for run in _runs(_prose(path)) & article_runs)
    assert not shared, f"{path.name} repeats the article word for word: {shared[:5]}"
