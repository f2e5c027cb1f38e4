#!/usr/bin/env python3
"""Make the per-variant digests of the self-checks by running each set's solution code per variant.

    python scripts/variant_digests.py            # rewrite alliancekit/variants/_digests.py
    python scripts/variant_digests.py --check    # exit 1 if the file is out of date

For every set with variants (`alliancekit.variants.sets`) and every variant 0..K, the set's
worked solution (``solutions/<set>/<set>.ipynb``) is run in this process with that variant chosen:
its set-up cells, the cells showing the student's inputs and its answer cells. Each visible test
that compares an answer with ``mine.digest("Qn")`` names the answer and its rounding; the digest of
that answer is recorded for the variant. The expected answers are thus computed here, from the
solution's code, and only their digests ship in the library a student imports.

`run_set` is also what the tests use to check that every variant's worked answer passes its own
hidden tests (tests/unit/test_variants.py).
"""
from __future__ import annotations

import argparse
import ast
import contextlib
import io
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "alliancekit" / "variants" / "_digests.py"
_ANY_KEY = "0" * 64  # any well-formed key: the override picks the variant


def _cells(set_id: str) -> list[tuple[str, str, dict]]:
    """(kind, source, nbgrader metadata) of each code cell: "answer", "test" or "setup"."""
    path = ROOT / "solutions" / set_id / f"{set_id}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        meta = cell["metadata"].get("nbgrader", {})
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if meta.get("solution"):
            kind = "answer"
            source = re.sub(r"(?m)^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", "", source)
        elif meta.get("grade"):
            kind = "test"
        else:
            kind = "setup"
        out.append((kind, source, meta))
    return out


@contextlib.contextmanager
def chosen_variant(set_id: str, variant: int):
    """Make `alliancekit.variants.YourNumbers` pick ``variant`` (0: no key) while inside."""
    from alliancekit import variants

    saved = {k: os.environ.get(k) for k in (variants.KEY_VARIABLE, variants.OVERRIDES_VARIABLE)}
    os.environ.pop(variants.KEY_VARIABLE, None)
    os.environ.pop(variants.OVERRIDES_VARIABLE, None)
    if variant:
        os.environ[variants.KEY_VARIABLE] = _ANY_KEY
        os.environ[variants.OVERRIDES_VARIABLE] = f"{set_id}={variant}"
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def run_set(set_id: str, variant: int, literals: dict | None = None) -> dict:
    """Run a set's worked solution in one variant; return its answers and each test's outcome.

    Parameters
    ----------
    set_id : str
        The set, e.g. ``"ex01-theory"``.
    variant : int
        The variant 0..K to run in.
    literals : dict, optional
        Answer values handed in instead of the worked ones (a student copying a classmate's
        numbers): after each answer cell runs, these names are set to these values.

    Returns
    -------
    dict
        ``answers`` (name -> value, what the answer cells stored), ``tests`` (grade id -> None
        when the test passed, else the error), ``points`` (grade id -> points), ``namespace``.
    """
    namespace: dict = {"__name__": "__main__"}
    answers, tests, points = {}, {}, {}
    with chosen_variant(set_id, variant), contextlib.redirect_stdout(io.StringIO()):
        for kind, source, meta in _cells(set_id):
            if kind == "test":
                points[meta["grade_id"]] = float(meta.get("points", 0))
                try:
                    exec(compile(source, meta["grade_id"], "exec"), dict(namespace))
                    tests[meta["grade_id"]] = None
                except BaseException as exc:  # noqa: B036 (a failing test is an outcome)
                    tests[meta["grade_id"]] = exc
                continue
            exec(compile(source, meta.get("grade_id", "cell"), "exec"), namespace)
            if kind == "answer":
                for name in _assigned(source):
                    if literals and name in literals:
                        namespace[name] = literals[name]
                    if name in namespace:
                        answers[name] = namespace[name]
    return {"answers": answers, "tests": tests, "points": points, "namespace": namespace}


def _assigned(source: str) -> list[str]:
    names = []
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        for target in targets:
            for leaf in ast.walk(target):
                if isinstance(leaf, ast.Name) and not leaf.id.startswith("_"):
                    names.append(leaf.id)
    return names


def digest_calls(set_id: str) -> dict[str, tuple[str, int | None]]:
    """Each question's checked answer: ``{"Q1": ("margin_q1", 3)}`` from ``matches(...)`` calls
    whose expected digest is ``mine.digest("Q1")`` in the set's visible tests."""
    found = {}
    for kind, source, _meta in _cells(set_id):
        if kind != "test":
            continue
        for node in ast.walk(ast.parse(source)):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "matches"
                    and len(node.args) >= 2 and isinstance(node.args[1], ast.Call)
                    and getattr(node.args[1].func, "attr", "") == "digest"):
                continue
            question = node.args[1].args[0].value
            decimals = next((k.value.value for k in node.keywords if k.arg == "decimals"), None)
            found[question] = (ast.unparse(node.args[0]), decimals)
    return found


def compute() -> dict:
    """{set: {question: (digest of variant 0, ..., of variant K)}}."""
    from alliancekit import variants
    from alliancekit.checks import digest

    table: dict = {}
    for set_id in variants.sets():
        rules = variants.rules(set_id)
        calls = digest_calls(set_id)
        table[set_id] = {}
        for variant in range(rules.variants + 1):
            namespace = run_set(set_id, variant)["namespace"]
            for question, (expression, decimals) in sorted(calls.items()):
                value = eval(expression, dict(namespace))  # noqa: S307 (our own test's text)
                table[set_id].setdefault(question, []).append(digest(value, decimals))
        table[set_id] = {q: tuple(d) for q, d in table[set_id].items()}
    return table


def render(table: dict) -> str:
    lines = ['"""Digests of each variant\'s answers (made by scripts/variant_digests.py; do not',
             'edit). DIGESTS[set][question][variant] is `alliancekit.checks.digest` of the worked',
             'answer in that variant."""', "", "DIGESTS: dict = {"]
    for set_id, questions in table.items():
        lines.append(f"    {set_id!r}: {{")
        for question, digests in questions.items():
            lines.append(f"        {question!r}: {digests!r},")
        lines.append("    },")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    text = render(compute())
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT.relative_to(ROOT)} is out of date: run scripts/variant_digests.py")
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
