"""nbgrader's check of the cells' nbgrader metadata, with the schema compiled once, not per cell.

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
from functools import lru_cache

from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.nbgraderformat.common import BaseMetadataValidator
from nbgrader.preprocessors import CheckCellMetadata as _NbgraderCheck

__all__ = ["CheckCellMetadata", "use_in"]


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
