"""Reading a cell's nbgrader metadata, and nbgrader's check of it with the schema compiled once.

The grading wing reads a cell's nbgrader metadata through `nbgrader_of` (any cell: a notebook
node, or a plain dictionary from a notebook's JSON, the submission's included, whatever it holds)
and `graded_cells`; on notebooks nbgrader has validated it uses nbgrader's own ``is_grade``,
``is_solution`` and ``is_locked`` (`nbgrader.utils`). `visible_tests` is a test cell's source
without its hidden tests, by nbgrader's rule for the delimiter.

nbgrader's check of the metadata:

nbgrader's ``CheckCellMetadata`` runs twice per submission (after the notebook is sanitised and
after it is graded) and checks every cell's metadata with ``jsonschema.validate``, which first
checks nbgrader's schema itself against the JSON Schema meta-schema: for a notebook of 30 cells that
is 60 checks of the same schema, the largest single cost of autograding after the notebook's own
run (about a third of a second per submission here). `CheckCellMetadata` below makes the same
checks with the same errors (schema version, the metadata against the schema, the rules of
nbgrader's validator, duplicate grade ids) but compiles the schema once per process.

`use_in` swaps it into nbgrader's two preprocessor chains of ``autograde``.
"""
from __future__ import annotations

import traceback
from collections.abc import Mapping
from functools import lru_cache

from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.nbgraderformat.common import BaseMetadataValidator
from nbgrader.preprocessors import CheckCellMetadata as _NbgraderCheck

__all__ = ["nbgrader_of", "grade_id", "graded_cells", "visible_tests", "HIDDEN_TESTS",
           "CheckCellMetadata", "use_in"]

#: nbgrader's default delimiter of hidden tests (``ClearHiddenTests.begin_test_delimeter``).
HIDDEN_TESTS = "BEGIN HIDDEN TESTS"


def nbgrader_of(cell) -> Mapping:
    """A cell's nbgrader metadata, or an empty mapping when it has none or it is not a mapping.

    Parameters
    ----------
    cell : dict or nbformat.NotebookNode
        A notebook cell, trusted or not (any JSON value may stand where a mapping is expected).

    Returns
    -------
    Mapping
        ``cell["metadata"]["nbgrader"]`` when both are mappings; otherwise ``{}``.

    Examples
    --------
    >>> nbgrader_of({"metadata": {"nbgrader": {"grade_id": "q1", "grade": True}}})["grade_id"]
    'q1'
    >>> nbgrader_of({"metadata": {"nbgrader": 5}}), nbgrader_of({"source": "1"})
    ({}, {})
    """
    meta = cell.get("metadata") if isinstance(cell, Mapping) else None
    grader = meta.get("nbgrader") if isinstance(meta, Mapping) else None
    return grader if isinstance(grader, Mapping) else {}


def grade_id(cell, default: str | None = None) -> str | None:
    """A cell's nbgrader ``grade_id``, or ``default`` when it has none.

    Parameters
    ----------
    cell : dict or nbformat.NotebookNode
        A notebook cell.
    default : str, optional
        What to return for a cell without a grade id.
    """
    return nbgrader_of(cell).get("grade_id", default)


def graded_cells(cells) -> dict:
    """The cells nbgrader grades or records an answer of, by grade id (first one of each id).

    Parameters
    ----------
    cells : iterable of cells
        A notebook's cells.

    Returns
    -------
    dict
        ``{grade_id: (cell, its nbgrader metadata)}`` for cells with a grade id that are graded or
        answer cells.
    """
    found: dict = {}
    for cell in cells:
        meta = nbgrader_of(cell)
        if meta.get("grade_id") and (meta.get("grade") or meta.get("solution")):
            found.setdefault(meta["grade_id"], (cell, meta))
    return found


def visible_tests(source: str, begin: str = HIDDEN_TESTS) -> str:
    """A test cell's source up to its hidden tests (the line holding ``begin``), right-stripped.

    Parameters
    ----------
    source : str
        The cell's source.
    begin : str, default `HIDDEN_TESTS`
        The delimiter; as in nbgrader's ``ClearHiddenTests``, a line containing it starts the
        hidden tests.

    Examples
    --------
    >>> visible_tests("assert f(1) == 2\\n### BEGIN HIDDEN TESTS\\nassert f(2) == 4\\n")
    'assert f(1) == 2'
    """
    lines = source.splitlines()
    cut = next((i for i, line in enumerate(lines) if begin in line), len(lines))
    return "\n".join(lines[:cut]).rstrip()


@lru_cache(maxsize=4)
def _checker(version: int):
    import jsonschema

    schema = MetadataValidator().schema
    kind = jsonschema.validators.validator_for(schema)
    kind.check_schema(schema)  # once per process
    return kind(schema)


class _SchemaOnce(BaseMetadataValidator):
    """nbgrader's schema step of a cell's check (version, then schema), the schema compiled once."""

    def validate_cell(self, cell) -> None:
        meta = cell.metadata.get("nbgrader")
        if meta is None or meta.get("schema_version", 0) != self.schema_version:
            super().validate_cell(cell)  # nothing to check, or nbgrader's own version errors
            return
        import jsonschema

        error = jsonschema.exceptions.best_match(_checker(self.schema_version).iter_errors(meta))
        if error is not None:
            raise error


class _Validator(MetadataValidator, _SchemaOnce):
    """nbgrader's validator, whose call of the base class's schema step lands in `_SchemaOnce`."""


class CheckCellMetadata(_NbgraderCheck):
    """nbgrader's ``CheckCellMetadata`` with the metadata schema compiled once per process."""

    def preprocess(self, nb, resources):
        try:
            _Validator().validate_nb(nb)
        except ValidationError:
            self.log.error(traceback.format_exc())
            msg = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error(msg)
            raise ValidationError(msg) from None
        return nb, resources


def use_in(config, autograde_chain: list) -> None:
    """Set nbgrader's two ``autograde`` chains, with `CheckCellMetadata` for nbgrader's.

    Parameters
    ----------
    config : traitlets.config.Config
        The grading configuration; its ``Autograde`` chains are set.
    autograde_chain : list
        The chain of preprocessors that runs after the notebook is sanitised.
    """
    from nbgrader.converters import Autograde

    def swap(chain):
        return [CheckCellMetadata if p is _NbgraderCheck
                or p == "nbgrader.preprocessors.CheckCellMetadata" else p for p in chain]

    default = Autograde.class_traits()["sanitize_preprocessors"].default()
    config.Autograde.sanitize_preprocessors = swap(
        config.Autograde.get("sanitize_preprocessors", default))
    config.Autograde.autograde_preprocessors = swap(autograde_chain)
