"""Grading per-student variants: each submission is graded on its owner's own numbers.

The instructor switches variants on per set in ``nbgrader_config.py``::

    c.Variants.secret_file = "/home/amensah/.alliancekit/variant-secret"   # 64 hex characters
    c.Variants.sets = ["ex01-theory", "ex05-erosion"]     # graded on each owner's variant
    c.Variants.overrides = {"s17": {"ex05-erosion": 2}}   # a resit on a chosen variant

For a set switched on, `alliancekit-grade` computes the owner's key itself, as
``HMAC(secret, student id)`` with nbgrader's student id (the submission's folder), never from the
notebook or anything the student's code can change, and gives it (with the owner's overrides) to
the student's sandboxed kernel, so that the student's code sees its own numbers, and to the
trusted judge, whose set-up cells then read the owner's inputs and whose hidden tests recompute
the expected answers from them. For a set not switched on, neither gets a key: the public variant
(the numbers of ``solutions/``) is graded.

Either way, a submission whose notebook *shows* inputs other than those of the variant graded
(the output of the cells that display the student's numbers) is flagged: it was worked on another
student's numbers, or the set was handed out with keys but is graded without.

``alliancekit-grade key STUDENT`` prints a student's key (for classes off the hub, which hand keys
out another way); ``alliancekit-grade key --new-secret FILE`` makes a course secret.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

from traitlets import Dict, List, Unicode
from traitlets.config import Configurable

from alliancekit import variants as _variants
from alliancekit.grading.context import Submission
from alliancekit.grading.metadata import nbgrader_of
from alliancekit.variants import VariantError

__all__ = ["Variants", "owner_environment", "check_ready", "with_variants",
           "variant_of", "shown_inputs_notes", "main"]


class Variants(Configurable):
    """The course's variant settings (``c.Variants.*`` in ``nbgrader_config.py``)."""

    secret_file = Unicode("", help="File holding the course secret (64 hexadecimal characters), "
                          "readable by the instructor (and the hub) only").tag(config=True)
    sets = List(Unicode(), help="Sets graded on each owner's variant; other sets are graded on "
                "the public variant").tag(config=True)
    overrides = Dict(help="Chosen variants for some students: {student: {set: variant}}, e.g. "
                     "for a resit").tag(config=True)
    written_inputs = Dict(help="Written questions shown in Formgrader beside the owner's inputs, "
                          "besides the set's own: {set: {question: [questions]}}, e.g. "
                          "{'ex01-theory': {'Q10': ['Q1']}}").tag(config=True)


def _settings(config) -> Variants:
    return Variants(config=config)


def check_ready(config, assignment: str) -> None:
    """Refuse early, with a clear error, when a set switched on cannot be graded by variant.

    Raises
    ------
    VariantError
        If the set has no variant rules, no secret file is configured, the secret is malformed,
        or an override is not a variant of its set.
    """
    settings = _settings(config)
    if assignment not in settings.sets:
        return
    _variants.rules(assignment)
    if not settings.secret_file:
        raise VariantError(f"variants are switched on for {assignment} (c.Variants.sets) but no "
                           "secret is configured: set c.Variants.secret_file in "
                           "nbgrader_config.py or pass --variant-secret FILE")
    _variants.read_secret(settings.secret_file)
    from alliancekit.grading import sandbox

    where = Path(settings.secret_file).expanduser().resolve()
    for shown in [*map(Path, sandbox.library_dirs()), Path("/usr"), Path("/etc")]:
        if shown in where.parents:
            raise VariantError(f"the secret file {where} lies inside {shown}, which the grading "
                               "sandbox shows to students' code; keep it in your home folder")
    for student, table in settings.overrides.items():
        try:
            _variants.parse_overrides(table)
        except VariantError as exc:
            raise VariantError(f"c.Variants.overrides for {student!r}: {exc}") from None
    from alliancekit.grading.variantview import check_written_inputs

    check_written_inputs(config, assignment)  # Formgrader's notes beside written answers


def owner_environment(config, assignment: str, student: str) -> dict[str, str]:
    """The variables that give the owner's kernel and judge the owner's variant ({} when off)."""
    settings = _settings(config)
    if assignment not in settings.sets:
        return {}
    key = _variants.student_key(_variants.read_secret(settings.secret_file), student)
    env = {_variants.KEY_VARIABLE: key}
    chosen = _variants.parse_overrides(settings.overrides.get(student) or {})
    if chosen:
        env[_variants.OVERRIDES_VARIABLE] = ",".join(f"{s}={n}" for s, n in chosen.items())
    return env


def variant_of(config, assignment: str, student: str) -> int:
    """The variant a student's submission is graded on (0 when the set is not switched on)."""
    env = owner_environment(config, assignment, student)
    if not env:
        return 0
    return _variants.variant_number(env[_variants.KEY_VARIABLE], assignment,
                                    env.get(_variants.OVERRIDES_VARIABLE, ""))


class _VariantExecute:
    """Mixed into nbgrader's Execute: the submission runs with its owner's variant."""

    def variant_of(self, resources: dict | None) -> dict[str, str]:
        """The owner's variant variables (`owner_environment`) for the notebook in ``resources``."""
        whose = Submission.of(resources)
        return owner_environment(self.config, whose.assignment, whose.student)


def with_variants(execute: type) -> type:
    """``execute`` (an nbgrader Execute class) that grades each submission on its owner's variant.

    The owner's variables (`owner_environment`) go with the submission
    (`alliancekit.grading.context.Submission`) to its kernel and its judge; the grader's own
    environment is never changed.

    The new class keeps the name of ``execute``, so ``c.JudgedExecute.*`` settings still apply.
    """
    return type(execute.__name__, (_VariantExecute, execute), {"__module__": __name__})


# ---------------------------------------------------------------------------------------------
# Flag a submission whose notebook shows inputs other than those of the variant graded
# ---------------------------------------------------------------------------------------------
_SHOW = re.compile(r'^\s*\w+\s*=\s*mine\.show\("(Q\d+)"\)\s*$', re.MULTILINE)


def _display_cells(source_notebook: Path) -> dict[str, str]:
    """{grade id: question} of the cells that show the student's inputs, from the source."""
    nb = json.loads(source_notebook.read_text(encoding="utf-8"))
    found = {}
    for cell in nb["cells"]:
        meta = nbgrader_of(cell)
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        match = _SHOW.search(text)
        if cell["cell_type"] == "code" and meta.get("locked") and match:
            found[meta["grade_id"]] = match.group(1)
    return found


def shown_inputs_notes(api, assignment: str, student: str) -> list[str]:
    """A note when the submitted notebook shows inputs that are not those of the variant graded."""
    if assignment not in _variants.sets():
        return []
    coursedir = api.coursedir
    source = Path(coursedir.format_path(coursedir.source_directory, ".", assignment))
    submitted = Path(coursedir.format_path(coursedir.submitted_directory, student, assignment))
    rules = _variants.rules(assignment)
    variant = variant_of(api.config, assignment, student)
    wrong, missing = [], []
    for path in sorted(source.glob("*.ipynb")):
        cells = _display_cells(path)
        try:
            nb = json.loads((submitted / path.name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        present = {nbgrader_of(c).get("grade_id") for c in nb.get("cells", [])
                   if c.get("cell_type") == "code"}
        missing += [question for grade_id, question in cells.items() if grade_id not in present]
        for cell in nb.get("cells", []):
            grade_id = nbgrader_of(cell).get("grade_id")
            if grade_id not in cells or not cell.get("outputs"):
                continue
            shown = "".join("".join(o.get("text", "")) for o in cell["outputs"]
                            if o.get("output_type") == "stream")
            if not shown.strip():  # the cell failed or printed nothing: nothing was shown
                continue
            question = cells[grade_id]
            expected = rules.words(question, rules.inputs(question, variant))
            if [line.rstrip() for line in shown.strip().splitlines()] != [
                    line.rstrip() for line in expected]:
                wrong.append(question)
    notes = []
    if missing:
        notes.append(f"its notebook lacks the read-only cells that show the inputs for "
                     f"{', '.join(missing)}: the numbers it was worked on cannot be checked (the "
                     "grader put the cells back, so the graded notebook shows the owner's)")
    if wrong:
        graded = "its owner's variant" if variant else "the public variant"
        notes.append(f"its notebook shows inputs for {', '.join(wrong)} that are not those of "
                     f"the variant graded ({graded}, variant {variant}): it was worked on other "
                     "numbers (another student's, or a key while this set is graded without "
                     "variants)")
    return notes


# ---------------------------------------------------------------------------------------------
# alliancekit-grade key
# ---------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """``alliancekit-grade key STUDENT...`` or ``alliancekit-grade key --new-secret FILE``."""
    parser = argparse.ArgumentParser(
        prog="alliancekit-grade key",
        description="Print students' variant keys (HMAC of the student id under the course "
                    "secret), for classes that hand keys out off the hub; or make a secret.")
    parser.add_argument("students", nargs="*", metavar="STUDENT", help="student ids")
    parser.add_argument("--variant-secret", metavar="FILE", default=None,
                        help="the course secret file (default: c.Variants.secret_file)")
    parser.add_argument("--course", default=".", help="course root holding nbgrader_config.py")
    parser.add_argument("--new-secret", metavar="FILE", default=None,
                        help="write a new course secret to FILE (never overwrites)")
    args = parser.parse_args(argv)
    try:
        if args.new_secret:
            path = Path(args.new_secret).expanduser()
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w", encoding="ascii") as handle:
                handle.write(_variants.new_secret() + "\n")
            print(f"wrote a new course secret to {path} (readable by you only); keep it safe: "
                  "every student's numbers follow from it")
            return 0
        if not args.students:
            raise VariantError("name at least one student, e.g. alliancekit-grade key s1")
        secret_file = args.variant_secret
        if secret_file is None:
            from alliancekit.grading import _load_config

            secret_file = _settings(_load_config(Path(args.course).resolve())).secret_file
        if not secret_file:
            raise VariantError("no secret: pass --variant-secret FILE or set "
                               "c.Variants.secret_file in nbgrader_config.py")
        secret = _variants.read_secret(secret_file)
        for student in args.students:
            print(f"{student}\t{_variants.student_key(secret, student)}")
        return 0
    except FileExistsError:
        print(f"alliancekit-grade key: error: {args.new_secret} exists already; a secret is "
              "never overwritten (every student's numbers follow from it)", file=sys.stderr)
        return 2
    except VariantError as exc:
        print(f"alliancekit-grade key: error: {exc}", file=sys.stderr)
        return 2
