"""alliancekit.grading.metadata: a cell's nbgrader metadata read one way, whatever the cell holds;
nbgrader's metadata check with the same verdicts, its schema compiled once."""
from __future__ import annotations

import copy
import json
from collections.abc import Mapping

import nbformat
import pytest
from hypothesis import given
from hypothesis import strategies as st
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


# ---- reading a cell's nbgrader metadata (the one helper the wing uses) ----------------------
_json = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=10)


@given(st.one_of(_json, st.dictionaries(st.just("metadata"), _json),
                 st.dictionaries(st.just("metadata"), st.dictionaries(st.just("nbgrader"), _json))))
def test_any_cell_a_submission_could_hold_reads_as_a_mapping_without_error(cell):
    assert isinstance(metadata.nbgrader_of(cell), Mapping)


def test_a_notebook_cell_and_its_plain_json_read_the_same(notebook):
    cell = _graded(notebook)
    assert metadata.nbgrader_of(cell) == metadata.nbgrader_of(json.loads(json.dumps(cell)))
    assert metadata.grade_id(cell) == cell.metadata["nbgrader"]["grade_id"]


def test_a_cell_without_a_grade_id_gets_the_default():
    assert metadata.grade_id({"metadata": {}}, "cell 3") == "cell 3"


def test_graded_cells_are_the_graded_and_answer_cells_the_first_of_each_id():
    def cell(gid, **flags):
        return {"metadata": {"nbgrader": {"grade_id": gid, **flags}}}

    first, again = cell("q1", grade=True), cell("q1", solution=True)
    found = metadata.graded_cells([cell("setup", locked=True), first, again,
                                   cell("q2", solution=True), {"source": "x = 1"}])
    assert list(found) == ["q1", "q2"] and found["q1"][0] is first


def test_the_visible_part_of_a_test_is_the_same_in_the_source_and_the_released_cell(notebook):
    """What nbgrader releases (ClearHiddenTests) keeps exactly the part `visible_tests` reads."""
    from nbgrader.preprocessors import ClearHiddenTests

    tests = [c for c in notebook.cells if "BEGIN HIDDEN TESTS" in c.source]
    assert tests
    for cell in tests:
        released, _ = ClearHiddenTests().preprocess_cell(copy.deepcopy(cell), {}, 0)
        assert metadata.visible_tests(released.source) == metadata.visible_tests(cell.source)
        assert "HIDDEN" not in metadata.visible_tests(cell.source)


def test_an_edited_visible_check_is_told_apart():
    source = "assert f(1) == 2\n### BEGIN HIDDEN TESTS\nassert f(2) == 4\n### END HIDDEN TESTS"
    assert metadata.visible_tests("pass") != metadata.visible_tests(source)
