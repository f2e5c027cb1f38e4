"""Accessibility audits with axe-core in a real browser, and the course's recorded baseline.

- :func:`axe_script` is axe-core's source from a local copy (the copy bundled by the PyPI
  package ``axe-playwright-python``; an npm ``axe-core`` under ``_build/npm`` wins if present):
  nothing is fetched from a CDN.
- :func:`run_axe` injects it into a page and returns the violations, trimmed to what a report
  needs (rule, impact, help, the CSS targets of each failing node).
- :func:`split_notebook` separates, in JupyterLab, violations in *our* content (rendered markdown
  and output areas of the notebook: the lesson's text, charts, tables and the widgets we chose)
  from JupyterLab's own.
- :func:`baseline` reads ``tests/integration/a11y_baseline.json``: the moderate and minor rules
  known in our content (with the most nodes seen on one page) and JupyterLab's own rules with
  their upstream issues. :func:`new_violations` is what a test fails on: any serious or critical
  violation in our content, any rule not in the baseline, or more nodes than recorded.
"""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASELINE = Path(__file__).resolve().with_name("a11y_baseline.json")
#: Standards axe checks: WCAG 2.0/2.1/2.2 A and AA, plus axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SEVERE = ("serious", "critical")
IMPACTS = ("critical", "serious", "moderate", "minor")
#: Where our content lives in a JupyterLab notebook panel.
NOTEBOOK_CONTENT = [".jp-NotebookPanel .jp-MarkdownOutput", ".jp-NotebookPanel .jp-OutputArea"]


def axe_script() -> str:
    """axe-core's JavaScript from a local copy (npm ``axe-core`` if installed, else PyPI's)."""
    npm = ROOT / "_build" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
    if npm.is_file():
        return npm.read_text(encoding="utf-8")
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).with_name("axe.min.js")
            .read_text(encoding="utf-8"))


def run_axe(page, context: dict | str | None = None) -> list[dict]:
    """Run axe on ``page`` (optionally within ``context``); returns trimmed violations.

    Each violation: ``{"id", "impact", "help", "nodes": [css target, ...]}``.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_script())
    options = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
    raw = page.evaluate("""async ([context, options]) => {
        const r = await axe.run(context === null ? document : context, options);
        return {version: axe.version, violations: r.violations.map(v => ({id: v.id,
          impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))};
      }""", [context, options])
    return raw["violations"]


def split_notebook(page) -> tuple[list[dict], list[dict]]:
    """(violations in the notebook's content, violations in the rest of JupyterLab)."""
    content = {"include": [[s] for s in NOTEBOOK_CONTENT]}
    ours = run_axe(page, content)
    app = run_axe(page, {"exclude": [[s] for s in NOTEBOOK_CONTENT]})
    return ours, app


def by_impact(violations: list[dict]) -> dict[str, int]:
    """Failing nodes counted by impact (every impact present, zeros included)."""
    counts = dict.fromkeys(IMPACTS, 0)
    for violation in violations:
        counts[violation["impact"] or "minor"] += len(violation["nodes"])
    return counts


def baseline() -> dict:
    """The recorded baseline (see ACCESSIBILITY.md)."""
    return json.loads(BASELINE.read_text(encoding="utf-8"))


def new_violations(violations: list[dict], allowed: dict[str, int],
                   unfixed: dict[str, int] | None = None) -> list[str]:
    """Violations a test must fail on, as readable lines.

    Parameters
    ----------
    violations : list of dict
        From `run_axe`.
    allowed : dict
        Rule id -> the most failing nodes recorded on one page (moderate or minor rules only).
    unfixed : dict, optional
        Serious rules known and listed as not fixed in ACCESSIBILITY.md, with the most nodes
        recorded on one page; any other serious or critical violation fails.
    """
    problems = []
    unfixed = unfixed or {}
    for v in violations:
        nodes = ", ".join(v["nodes"][:4])
        if v["impact"] in SEVERE and v["id"] in unfixed:
            if len(v["nodes"]) > unfixed[v["id"]]:
                problems.append(f"{v['impact']} {v['id']}: {len(v['nodes'])} nodes, "
                                f"{unfixed[v['id']]} recorded as unfixed: {nodes}")
        elif v["impact"] in SEVERE:
            problems.append(f"{v['impact']} {v['id']} ({v['help']}): {nodes}")
        elif v["id"] not in allowed:
            problems.append(f"new {v['impact']} rule {v['id']} ({v['help']}): {nodes}")
        elif len(v["nodes"]) > allowed[v["id"]]:
            problems.append(f"{v['id']}: {len(v['nodes'])} nodes, {allowed[v['id']]} recorded: "
                            f"{nodes}")
    return problems


def unknown_app_rules(violations: list[dict], known: dict[str, str]) -> list[str]:
    """JupyterLab's own violations whose rule is not recorded with an upstream issue."""
    return [f"{v['impact']} {v['id']} ({v['help']}): {', '.join(v['nodes'][:3])}"
            for v in violations if v["id"] not in known]


def lesson_problems(page, name: str) -> list[str]:
    """Audit an open notebook after Run All; print counts, return what a test must fail on."""
    ours, app = split_notebook(page)
    known = baseline()
    print(f"axe {name}: our content {by_impact(ours)}; JupyterLab's own {by_impact(app)}")
    for v in ours:
        print(f"  content {v['impact']} {v['id']} x{len(v['nodes'])}")
    problems = [f"{name}, our content: {p}" for p in new_violations(
        ours, known["notebook_content"], known.get("notebook_content_unfixed"))]
    problems += [f"{name}, JupyterLab: {p}" for p in unknown_app_rules(app, known["jupyterlab"])]
    return problems
