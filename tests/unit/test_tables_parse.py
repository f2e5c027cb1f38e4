"""A shipped table read in one pass, numbers parsed by pandas, holds the values Python reads."""
from __future__ import annotations

import io
import math

import pandas as pd
import pytest

from alliancekit.cases import _tables


def _read_once(name: str, text: str) -> pd.DataFrame:
    """The table as `_tables._load` first reads it (before typing and checks)."""
    if name in _tables._SCHEMAS:
        return _tables._parse(text, _tables._SCHEMAS[name])
    return pd.read_csv(io.StringIO(text))


@pytest.mark.parametrize("name", _tables.table_names())
def test_every_float_cell_is_the_value_python_reads_from_its_text(name):
    text = _tables._read_text(name)
    parsed = _read_once(name, text)
    as_text = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    floats = [col for col in parsed.columns if parsed[col].dtype == "float64"]
    for col in floats:
        for got, cell in zip(parsed[col], as_text[col], strict=True):
            if cell == "":
                assert math.isnan(got), (name, col)
            else:
                assert got == float(cell), (name, col, cell, got)
