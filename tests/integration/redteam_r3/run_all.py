"""Run the round-3 red team against ``alliancekit-grade`` (not part of CI; run by hand, as root).

    .venv/bin/python tests/integration/redteam_r3/run_all.py [--course /tmp/rt3-course]
        [--groups main,mem,cpu,hash] [--keep]

Builds a scratch class (ex01-theory and ex05-erosion on per-student variants, a fresh secret kept
outside the course), hands in every attack beside honest students, grades with ``--jobs 2`` while
watching the grader's memory, and prints each attack's outcome with its evidence. The "mem" group
makes the grader hold about 1-2 GB on purpose (bounded); a kill switch stops the grader if the
machine's available memory falls below 6 GB. The "cpu" group loads the machine for about a minute.
"""
from __future__ import annotations

import argparse
import importlib
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402

MODULES = ["atk_honest", "atk_probe_handover", "atk_forge_iopub", "atk_digest_bruteforce",
           "atk_variant_public", "atk_reorder", "atk_ansi_ids", "atk_zmq_frames",
           "atk_cpu_neighbour", "atk_hashdos", "atk_combo"]


def _modules(groups: set[str]) -> list:
    out = []
    for name in MODULES:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        if mod.GROUP in groups or name == "atk_honest":
            out.append(mod)
    return out


def _row(res: dict, student: str) -> str:
    r = res["rows"].get(student, {})
    return (f"{student:10} {r.get('status', '?'):16} auto {r.get('auto_score', '?')}/"
            f"{r.get('auto_max', '?')}  secs {r.get('seconds', '?')}  notes: {r.get('notes', '')}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--course", default="/tmp/rt3-course")
    ap.add_argument("--secret", default="/tmp/rt3-secret/variant-secret")
    ap.add_argument("--groups", default="main,mem,cpu")
    ap.add_argument("--keep", action="store_true", help="keep the scratch course afterwards")
    args = ap.parse_args()
    course, groups = Path(args.course), set(args.groups.split(","))
    common.make_course(course, Path(args.secret))
    mods = _modules(groups)
    by_set: dict[str, dict[str, list[str]]] = {}
    for mod in mods:
        for (student, set_name), build in mod.SUBMISSIONS.items():
            common.hand_in(course, student, set_name, build())
            group = "main" if mod.__name__ == "atk_honest" else mod.GROUP
            by_set.setdefault(group, {}).setdefault(set_name, []).append(student)
    results: dict[str, dict] = {}

    if "main" in groups:
        for set_name, students in by_set.get("main", {}).items():
            res = common.grade(course, set_name, students)
            results[f"main:{set_name}"] = res
            print(f"\n== main {set_name}: rc {res['rc']}, {res['secs']} s, grader peak "
                  f"{res['peak_grader_mb']} MB; ESC in grader output: {chr(27) in res['out']}")
            print(res["out"][-3000:].encode("unicode_escape").decode())
    if "mem" in groups:
        students = ["honest01"] + by_set.get("mem", {}).get("ex01-theory", [])
        for student in students:
            res = common.grade(course, "ex01-theory", [student], jobs=1)
            results[f"mem:{student}"] = res
            print(f"\n== mem {student}: rc {res['rc']}, {res['secs']} s; grader's largest "
                  f"process {res['peak_grader_mb']} MB ({res['peak_grader_cmd'][:60]}); grader "
                  f"total {res['peak_total_grader_mb']} MB; sandboxes {res['peak_sandbox_mb']} MB;"
                  f" killed={res['killed']}")
            print(_row(res, student))
    if "cpu" in groups:
        students = by_set.get("cpu", {}).get("ex05-erosion", [])
        if students:
            res = common.grade(course, "ex05-erosion", students, jobs=2)
            results["cpu"] = res
            print(f"\n== cpu: rc {res['rc']}, {res['secs']} s")
            for s in students:
                print(_row(res, s))
    if "hash" in groups:
        for set_name, students in by_set.get("hash", {}).items():
            res = common.grade(course, set_name, students + ["honest01"], jobs=2, timeout=480)
            results[f"hash:{set_name}"] = res
            print(f"\n== hash {set_name}: rc {res['rc']}, {res['secs']} s")
            print(res["out"][-3000:])

    rows: dict[str, dict] = {}
    for res in results.values():
        rows.update(res["rows"])
    print("\n== outcomes")
    for mod in mods:
        evaluate = getattr(mod, "evaluate", None)
        if evaluate is None:
            continue
        evidence, broke = evaluate(rows, course)
        print(f"-- {mod.__name__}: {'BROKE' if broke else 'held'} (expected if it holds: "
              f"{mod.EXPECT})\n{evidence}\n")
    out = Path(f"/tmp/rt3-results-{'-'.join(sorted(groups))}.json")
    out.write_text(json.dumps(results, indent=1, default=str))
    print(f"results: {out}")
    if not args.keep:
        shutil.rmtree(course, ignore_errors=True)
        print("scratch course removed (--keep keeps it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
