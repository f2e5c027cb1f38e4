"""Numbers in prose cannot go stale (issue 22, item 3).

Every numeral in the prose of every lesson and page (markdown cells of ``course/*.ipynb`` and
``course/*.md``; code cells and `code spans` are not prose) is one of:

- classified by a rule of ``prose_numbers.classify``: a year, a day of a month, a citation (a
  reference list, a page number, a dataset version), an identifier (lesson 05, Q3, Article 5,
  ATOP 3755, a list number) or a formula constant (t-1, [0, 1]);
- registered in ``course/numbers.toml`` with the Python expression that computes it from
  alliancekit, and the expression, evaluated now, still gives the numeral at the prose's rounding;
- registered there as a citation, date or ordinal with its source, or as an ``input`` that a code
  cell of the same page really sets.

The registry's header explains how to register a numeral; the failure messages say which numeral
in which page and cell is missing, and how to add it.
"""
from __future__ import annotations

import ast
import inspect
import json
import math
import re
from functools import lru_cache

import numpy as np
import pandas as pd
import pytest

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")
from prose_numbers import COURSE, REGISTRY, Numeral, numerals, pages

import alliancekit as ak

LITERAL_KINDS = {"citation", "date", "ordinal"}


def _exprs(entry: dict) -> list[str]:
    """An entry's expressions: one, or a list when the numeral stands for several figures."""
    expr = entry.get("expr", [])
    return [expr] if isinstance(expr, str) else list(expr)


@lru_cache(maxsize=1)
def registry() -> dict:
    return tomllib.loads(REGISTRY.read_text(encoding="utf-8"))


def default(function, parameter: str):
    """The default value of one keyword of a library function (the number the prose quotes)."""
    return inspect.signature(function).parameters[parameter].default


def solve(f, lo: float, hi: float, tol: float = 1e-6) -> float:
    """The x in [lo, hi] where f(x) changes sign, by bisection (a threshold the prose quotes)."""
    flo = f(lo)
    while hi - lo > tol:
        mid = (lo + hi) / 2
        if (f(mid) < 0) == (flo < 0):
            lo, flo = mid, f(mid)
        else:
            hi = mid
    return (lo + hi) / 2


_EXPLORED: dict = {}


def explore(factory, args: dict | None = None, **settings) -> pd.DataFrame:
    """An explorer's data after the student sets its controls (``factory(**args)``, then each
    ``controls[name].value = value`` in turn), for numbers the lessons read off an explorer."""
    key = (factory.__name__, repr(sorted((args or {}).items())), repr(sorted(settings.items())))
    if key not in _EXPLORED:
        explorer = factory(**(args or {}))
        for name, value in settings.items():
            explorer.controls[name].value = value
        _EXPLORED[key] = explorer.data
    return _EXPLORED[key]


def run_cell(page: str, index: int):
    """The value of a self-contained code cell of a page (its last line is an expression)."""
    path = next(COURSE.glob(f"{page}.ipynb"))
    source = "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][index]["source"])
    tree = ast.parse(source)
    last = ast.Expression(tree.body.pop().value)
    scope = {"ak": ak, "pd": pd, "np": np}
    exec(compile(tree, page, "exec"), scope)  # noqa: S102 - the course's own lesson
    return eval(compile(last, page, "eval"), scope)  # noqa: S307


_GLOBALS = {"run_cell": run_cell, "ak": ak, "np": np, "pd": pd, "math": math, "default": default,
            "solve": solve,
            "explore": explore}
_LETS: dict = {}


def _env(expr: str) -> dict:
    """Globals for one expression: the helpers, and each ``[let]`` value it names, computed once."""
    env = dict(_GLOBALS)
    lets = registry().get("let", {})
    for name in sorted({n.id for n in ast.walk(ast.parse(expr, mode="eval"))
                        if isinstance(n, ast.Name)}):
        if name in lets:
            if name not in _LETS:
                _LETS[name] = eval(lets[name], _env(lets[name]))  # noqa: S307 - our registry
            env[name] = _LETS[name]
    return env


@lru_cache(maxsize=None)
def evaluate(expr: str) -> float:
    return float(eval(expr, _env(expr)))  # noqa: S307 - the course's own registry


def entry_for(n: Numeral) -> dict | None:
    page = registry().get(n.page, {})
    if "*" in page:
        return page["*"]
    return page.get(f"{n.text}@{n.cell}", page.get(n.text))


def _how_to_register(n: Numeral) -> str:
    return (f'{n.page} cell [{n.cell}]: the numeral {n.text!r} ("…{n.context}…") is neither '
            f'written by code nor registered. Register it in course/numbers.toml under '
            f'["{n.page}"] as  "{n.text}" = {{ expr = "<Python that computes it with ak>", '
            f'source = "<where the figure comes from>" }}  (or "{n.text}@{n.cell}" for this cell '
            f'only), or as kind = "citation" | "date" | "ordinal" with a source, or as '
            f'kind = "input" with the code cell that sets it; or print it from a code cell.')


def _all_numerals() -> list[Numeral]:
    return [n for path in pages() for n in numerals(path)]


ALL = _all_numerals()
TO_CHECK = [n for n in ALL if not n.kind]


def _pending() -> set[str]:
    return set(registry().get("pending", {}).get("pages", []))


def test_every_prose_numeral_is_code_registered_or_tagged():
    missing = [_how_to_register(n) for n in TO_CHECK
               if n.page not in _pending() and entry_for(n) is None]
    assert not missing, f"{len(missing)} unregistered numerals in prose:\n" + "\n".join(missing)


def test_a_page_left_pending_is_still_being_registered():
    """[pending] lists pages whose numerals are not all registered yet; once one is complete,
    it must leave the list (so the list cannot hide a page)."""
    done = [page for page in sorted(_pending())
            if not any(n.page == page and entry_for(n) is None for n in TO_CHECK)]
    assert not done, f"remove {done} from [pending] in course/numbers.toml: all registered"


def test_every_registry_entry_is_still_used():
    """An entry whose numeral has left its page is stale: delete it (pending pages excepted)."""
    used = {(n.page, key) for n in TO_CHECK for key in (n.text, f"{n.text}@{n.cell}")}
    stale = [f'{page} "{key}"' for page, entries in registry().items()
             if page not in ("let", "pending") and page not in _pending()
             for key in entries if key != "*" and (page, key) not in used]
    assert not stale, "registered numerals no longer in their page:\n" + "\n".join(stale)


def test_every_registry_entry_says_what_it_is():
    problems = []
    for page, entries in registry().items():
        if page in ("let", "pending"):
            continue
        for key, entry in entries.items():
            kind, exprs = entry.get("kind"), _exprs(entry)
            if not exprs and kind not in LITERAL_KINDS | {"input"}:
                problems.append(f"{page} {key!r}: give expr, or kind citation/date/ordinal/input")
            if kind == "input" and "cell" not in entry and not entry.get("setting"):
                problems.append(f"{page} {key!r}: an input names its code cell or its setting")
            if kind in LITERAL_KINDS and not entry.get("source"):
                problems.append(f"{page} {key!r}: a {kind} needs its source")
            if any(isinstance(ast.parse(e, mode="eval").body, ast.Constant) for e in exprs):
                problems.append(f"{page} {key!r}: the expression must compute, not restate")
    assert not problems, "\n".join(problems)


def test_registered_inputs_are_set_by_a_code_cell_of_the_page():
    problems = []
    for page, entries in registry().items():
        for key, entry in entries.items():
            if page in ("let", "pending") or entry.get("kind") != "input" or "cell" not in entry:
                continue
            path = next(COURSE.glob(f"{page}.ipynb"))
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            code = "".join(cells[entry["cell"]]["source"])
            if cells[entry["cell"]]["cell_type"] != "code" \
                    or not re.search(rf"(?<![\d.]){re.escape(key.split('@')[0])}(?![\d])", code):
                problems.append(f"{page} {key!r}: code cell [{entry['cell']}] does not set it")
    assert not problems, "\n".join(problems)


def _computed():
    seen, out = set(), []
    for n in TO_CHECK:
        entry = entry_for(n)
        for expr in _exprs(entry or {}):
            if (n.page, n.text, expr) not in seen:
                seen.add((n.page, n.text, expr))
                out.append(pytest.param(n, expr, entry.get("tol"),
                                        id=f"{n.page}:{n.text}@{n.cell}"))
    return out


@pytest.mark.parametrize(("numeral", "expr", "tol"), _computed())
def test_a_computed_numeral_still_matches_the_library(numeral, expr, tol):
    value = evaluate(expr)
    written = float(numeral.text.replace(",", ""))
    decimals = len(numeral.text.split(".")[1]) if "." in numeral.text else 0
    tolerance = tol if tol is not None else 0.5 * 10 ** -decimals + 1e-9
    assert abs(abs(value) - written) <= tolerance, (
        f"{numeral.page} cell [{numeral.cell}] says {numeral.text} (…{numeral.context}…), "
        f"but {expr} now gives {value:.6g}")
