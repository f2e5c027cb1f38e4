"""Run the honest ex01 notebook once, unsandboxed, with nbclient, and print each test cell's verdict
(a quick check that the honest student really earns every autograded point before the class is
graded). Honest code only: nothing of the attacker's kit runs here.

    .venv/bin/python tests/integration/redteam_r5/check_honest.py [--autonomy FIELD]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402


def main() -> int:
    import nbclient
    import nbformat
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--autonomy", default="autonomy_cost")
    args = ap.parse_args()
    nb = nbformat.reads(json.dumps(common.build_notebook(dict(common.HONEST), None,
                                                         args.autonomy)), as_version=4)
    with tempfile.TemporaryDirectory(prefix="atk-r5-honest-") as tmp:
        nbclient.NotebookClient(nb, timeout=120, allow_errors=True,
                                resources={"metadata": {"path": tmp}}).execute()
    for cell in nb.cells:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        if gid.endswith(("-tests", "-answer")) or gid == "summary":
            text = " | ".join(
                ("".join(o.get("text", "")) if o.get("output_type") == "stream" else
                 f"{o.get('ename', '')} {o.get('evalue', '')}".strip() or
                 str(o.get("data", {}).get("text/plain", "")))[:200]
                for o in cell.get("outputs", []))
            print(f"{gid:<12} {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
