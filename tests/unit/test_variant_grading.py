"""Grading by variant without a class: the owner's key, the settings' errors, the flag for shown
inputs that are not the variant graded, ``alliancekit-grade key``, and the report by variant."""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from traitlets.config import Config

from alliancekit import variants
from alliancekit.grading import main as grade_main
from alliancekit.grading import variantgrading as vg
from alliancekit.grading.variantreport import by_variant, exact_test, holm
from alliancekit.variants import VariantError

ROOT = Path(__file__).resolve().parents[2]
SET = "ex01-theory"


@pytest.fixture
def secret(tmp_path) -> Path:
    path = tmp_path / "secret"
    path.write_text(variants.new_secret() + "\n")
    return path


def _config(secret: Path | str, sets=(SET,), overrides=None) -> Config:
    config = Config()
    config.Variants.secret_file = str(secret)
    config.Variants.sets = list(sets)
    config.Variants.overrides = overrides or {}
    return config


# ---- the owner's variant ---------------------------------------------------------------------
def test_the_grader_gives_the_owner_their_key_computed_from_the_secret(secret):
    env = vg.owner_environment(_config(secret), SET, "s1")
    assert env == {variants.KEY_VARIABLE: variants.student_key(variants.read_secret(secret), "s1")}


def test_a_set_not_switched_on_is_graded_on_the_public_variant(secret):
    assert vg.owner_environment(_config(secret, sets=()), SET, "s1") == {}
    assert vg.variant_of(_config(secret, sets=()), SET, "s1") == 0


def test_a_resit_override_reaches_the_owner_only(secret):
    config = _config(secret, overrides={"s1": {SET: 3}})
    assert vg.variant_of(config, SET, "s1") == 3
    assert variants.OVERRIDES_VARIABLE not in vg.owner_environment(config, SET, "s2")


def _submission_of(config, student: str):
    """The submission the variant-grading Execute makes for ``student`` (no notebook runs)."""
    from alliancekit.grading import sandbox

    execute = vg.with_variants(sandbox.GradingExecute)(config=config)
    return execute.submission_of({"nbgrader": {"assignment": SET, "student": student}})


def _sandbox_env(tmp_path, extra_env: dict) -> list[str]:
    """bubblewrap's command line and the environment arguments it reads from its pipe."""
    import os

    from alliancekit.grading import sandbox

    opened: list = []
    args = sandbox._bwrap_args(tmp_path, sandbox.Limits(), uid=None, ipc_host=False,
                               extra_env=extra_env, opened=opened)
    try:
        piped = os.read(opened[0], 1 << 16).decode().split("\0")
    finally:
        for fd in opened:
            os.close(fd)
    return args + piped


def test_the_owner_variant_reaches_the_sandbox_and_the_graders_own_does_not(secret, monkeypatch,
                                                                             tmp_path):

    monkeypatch.setenv(variants.KEY_VARIABLE, "f" * 64)  # the grader's own: never passed on
    env = vg.owner_environment(_config(secret), SET, "s1")
    submission = _submission_of(_config(secret), "s1")
    assert submission.variant_env == env
    given = _sandbox_env(tmp_path, submission.variant_env)
    i = given.index(variants.KEY_VARIABLE)
    assert given[i - 1] == "--setenv" and given[i + 1] == env[variants.KEY_VARIABLE]
    assert "f" * 64 not in given


def test_a_kernel_without_a_sandbox_gets_the_owners_variant_instead_of_the_graders(secret):
    grader = {variants.KEY_VARIABLE: "f" * 64, variants.OVERRIDES_VARIABLE: "x=1", "HOME": "/h"}
    owner = _submission_of(_config(secret), "s1").kernel_environment(grader)
    assert owner[variants.KEY_VARIABLE] == vg.owner_environment(_config(secret), SET, "s1")[
        variants.KEY_VARIABLE]
    assert variants.OVERRIDES_VARIABLE not in owner and owner["HOME"] == "/h"


def test_grading_leaves_the_graders_environment_alone(secret, monkeypatch):
    import os

    monkeypatch.setenv(variants.KEY_VARIABLE, "f" * 64)
    _submission_of(_config(secret), "s1")
    assert os.environ[variants.KEY_VARIABLE] == "f" * 64


def test_the_secret_never_reaches_a_sandbox(secret, tmp_path):

    text = secret.read_text().strip()
    given = _sandbox_env(tmp_path, _submission_of(_config(secret), "s1").variant_env)
    assert text not in " ".join(given) and str(secret) not in " ".join(given)


@pytest.mark.parametrize("change, words", [
    (dict(secret=""), "no secret is configured"),
    (dict(secret="missing-file"), "cannot read the variant secret"),
    (dict(sets=("ex99-nothing",)), "has no variants"),
    (dict(overrides={"s1": {SET: 0}}), "overrides for 's1'"),
])
def test_grading_refuses_early_with_a_clear_error(secret, tmp_path, change, words):
    path = change.get("secret", secret)
    if path == "missing-file":
        path = tmp_path / "nothing-here"
    config = _config(path, change.get("sets", (SET,)), change.get("overrides"))
    assignment = change.get("sets", (SET,))[0]
    with pytest.raises(VariantError, match=words):
        vg.check_ready(config, assignment)


def test_a_secret_the_sandbox_could_show_is_refused():
    import alliancekit

    inside = Path(alliancekit.__file__).parent / "variant-secret"
    inside.write_text(variants.new_secret())
    try:
        with pytest.raises(VariantError, match="shows to students' code"):
            vg.check_ready(_config(inside), SET)
    finally:
        inside.unlink()


# ---- the flag: a notebook showing inputs that are not the variant graded ---------------------
def _api(tmp_path: Path, config: Config):
    def format_path(kind, student, assignment):
        return str(tmp_path / kind / student / assignment)

    source = tmp_path / "source" / "." / SET
    source.mkdir(parents=True)
    (source / f"{SET}.ipynb").write_text(
        (ROOT / "solutions" / SET / f"{SET}.ipynb").read_text())
    coursedir = SimpleNamespace(format_path=format_path, source_directory="source",
                                submitted_directory="submitted")
    return SimpleNamespace(coursedir=coursedir, config=config)


def _submitted(tmp_path: Path, student: str, variant: int) -> None:
    rules = variants.rules(SET)
    nb = json.loads((ROOT / "exercises" / SET / f"{SET}.ipynb").read_text())
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "q1-inputs":
            text = "\n".join(rules.words("Q1", rules.inputs("Q1", variant))) + "\n"
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": text}]
    folder = tmp_path / "submitted" / student / SET
    folder.mkdir(parents=True)
    (folder / f"{SET}.ipynb").write_text(json.dumps(nb))


def test_a_notebook_showing_another_variants_inputs_is_flagged(secret, tmp_path):
    config = _config(secret)
    api = _api(tmp_path, config)
    own = vg.variant_of(config, SET, "s1")
    _submitted(tmp_path, "s1", own)
    assert vg.shown_inputs_notes(api, SET, "s1") == []
    other = 1 + own % variants.rules(SET).variants
    _submitted(tmp_path, "s2", other if other != vg.variant_of(config, SET, "s2") else own)
    notes = vg.shown_inputs_notes(api, SET, "s2")
    assert len(notes) == 1 and "Q1" in notes[0] and "not those of the variant graded" in notes[0]


def test_with_variants_off_a_notebook_worked_on_a_key_is_flagged(secret, tmp_path):
    api = _api(tmp_path, _config(secret, sets=()))
    _submitted(tmp_path, "s1", 2)
    assert "public variant" in vg.shown_inputs_notes(api, SET, "s1")[0]
    _submitted(tmp_path, "s0", 0)
    assert vg.shown_inputs_notes(api, SET, "s0") == []


def test_a_notebook_missing_a_cell_that_shows_inputs_is_flagged(secret, tmp_path):
    config = _config(secret)
    api = _api(tmp_path, config)
    _submitted(tmp_path, "s1", vg.variant_of(config, SET, "s1"))
    path = tmp_path / "submitted" / "s1" / SET / f"{SET}.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"] = [c for c in nb["cells"]
                   if c["metadata"].get("nbgrader", {}).get("grade_id") != "q1-inputs"]
    path.write_text(json.dumps(nb))
    notes = vg.shown_inputs_notes(api, SET, "s1")
    assert len(notes) == 1 and "lacks the read-only cells" in notes[0] and "Q1" in notes[0]


# ---- alliancekit-grade key ---------------------------------------------------------------------
def test_the_key_command_prints_each_students_key(secret, capsys):
    assert grade_main(["key", "s1", "s2", "--variant-secret", str(secret)]) == 0
    lines = capsys.readouterr().out.splitlines()
    key = variants.student_key(variants.read_secret(secret), "s2")
    assert lines[1] == f"s2\t{key}"


def test_the_key_command_makes_a_secret_and_never_overwrites_one(tmp_path, capsys):
    path = tmp_path / "private" / "secret"
    assert grade_main(["key", "--new-secret", str(path)]) == 0
    assert len(variants.read_secret(path)) == 32 and (path.stat().st_mode & 0o777) == 0o600
    before = path.read_text()
    assert grade_main(["key", "--new-secret", str(path)]) == 2
    assert path.read_text() == before and "never overwritten" in capsys.readouterr().err


def test_the_key_command_says_what_is_wrong_with_a_malformed_secret(tmp_path, capsys):
    path = tmp_path / "secret"
    path.write_text("not a secret")
    assert grade_main(["key", "s1", "--variant-secret", str(path)]) == 2
    assert "64" in capsys.readouterr().err


# ---- the report: difficulty by variant ----------------------------------------------------------
def test_the_exact_test_agrees_with_fishers_on_two_variants():
    from scipy.stats import fisher_exact

    for full in ([3, 6], [0, 10], [5, 5], [9, 2]):
        expected = fisher_exact([[full[0], 10 - full[0]], [full[1], 10 - full[1]]]).pvalue
        assert exact_test(full, [10, 10]) == pytest.approx(expected, rel=1e-9)


def test_holm_adjusts_step_down_and_never_above_one():
    assert holm({"a": 0.01, "b": 0.04, "c": 0.5}) == {"a": 0.03, "b": 0.08, "c": 0.5}
    assert holm({"a": 0.6, "b": 0.7}) == {"a": 1.0, "b": 1.0}


def _class_of_40(unequal: str | None) -> tuple[pd.DataFrame, dict, dict]:
    """40 students, 10 per variant, five two-point questions; ``unequal`` much harder in v3."""
    rng = np.random.default_rng(2026)
    students = [f"s{i:02d}" for i in range(40)]
    owner = {s: 1 + i % 4 for i, s in enumerate(students)}
    scores = {}
    for q in ("Q1", "Q2", "Q3", "Q4", "Q5"):
        chance = {v: 0.7 for v in range(1, 5)}
        if q == unequal:
            chance = {1: 0.8, 2: 0.8, 3: 0.1, 4: 0.8}
        scores[q] = [2.0 if rng.random() < chance[owner[s]] else float(rng.integers(0, 2))
                     for s in students]
    frame = pd.DataFrame(scores, index=pd.Index(students, name="student"))
    return frame, {q: 2.0 for q in scores}, owner


def test_a_deliberately_unequal_variant_is_flagged_and_no_other_question():
    scores, points, owner = _class_of_40("Q3")
    table = by_variant(scores, points, owner, list(points)).set_index("question")
    assert table["flagged"].to_dict() == {"Q1": False, "Q2": False, "Q3": True, "Q4": False,
                                          "Q5": False}
    assert table.loc["Q3", "students_by_variant"] == {1: 10, 2: 10, 3: 10, 4: 10}


def test_a_class_whose_variants_are_equally_hard_has_nothing_flagged():
    scores, points, owner = _class_of_40(None)
    assert not by_variant(scores, points, owner, list(points))["flagged"].any()
