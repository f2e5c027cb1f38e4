"""alliancekit.grading.metadata: nbgrader's metadata check, same verdicts, schema compiled once."""
from __future__ import annotations

import copy

import nbformat
import pytest
from nbgrader.preprocessors import CheckCellMetadata as NbgraderCheck
from traitlets.config import Config

from alliancekit.grading import metadata

SOLUTION = "solutions/ex01-theory/ex01-theory.ipynb"


@pytest.fixture(scope="module")
def notebook():
    from pathlib import Path

    return nbformat.read(Path(__file__).resolve().parents[2] / SOLUTION, as_version=4)


def _verdict(check, nb) -> str:
    try:
        check().preprocess(copy.deepcopy(nb), {})
    except Exception as exc:  # noqa: BLE001 (the verdict is the kind of error)
        return type(exc).__name__
    return "ok"


def _graded(nb):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade"))


def test_a_sound_notebook_passes_both_checks(notebook):
    assert _verdict(metadata.CheckCellMetadata, notebook) == _verdict(NbgraderCheck, notebook)
    assert _verdict(metadata.CheckCellMetadata, notebook) == "ok"


@pytest.mark.parametrize("damage", [
    lambda meta: meta.update(points="ten"),           # against the schema
    lambda meta: meta.update(schema_version=1),       # too old
    lambda meta: meta.update(schema_version=9),       # too new
    lambda meta: meta.update(grade_id=None),          # against the schema
    lambda meta: meta.update(solution=False, grade=False, locked=False, task=True),  # a rule
])
def test_damaged_metadata_fails_as_nbgrader_fails_it(notebook, damage):
    nb = copy.deepcopy(notebook)
    damage(_graded(nb).metadata["nbgrader"])
    assert _verdict(metadata.CheckCellMetadata, nb) == _verdict(NbgraderCheck, nb) != "ok"


def test_a_duplicate_grade_id_fails_both(notebook):
    nb = copy.deepcopy(notebook)
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    graded[1].metadata["nbgrader"]["grade_id"] = graded[0].metadata["nbgrader"]["grade_id"]
    assert _verdict(metadata.CheckCellMetadata, nb) == _verdict(NbgraderCheck, nb) != "ok"


def test_use_in_swaps_nbgraders_check_in_both_chains_and_keeps_the_rest():
    config = Config()
    metadata.use_in(config, ["x.First", NbgraderCheck])
    assert config.Autograde.autograde_preprocessors == ["x.First", metadata.CheckCellMetadata]
    assert metadata.CheckCellMetadata in config.Autograde.sanitize_preprocessors
    assert NbgraderCheck not in config.Autograde.sanitize_preprocessors
    assert len(config.Autograde.sanitize_preprocessors) == 5
