"""Reading and writing the extracts' CSV files, byte for byte the same on every run.

Shared by ``scripts/build_data.py`` and ``scripts/build_replications.py`` (standard library only).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path


def read_csv(path: Path) -> list[dict]:
    """The rows of a CSV file as dicts (columns with an empty name dropped)."""
    with open(path, newline="", encoding="utf-8") as f:
        return [{k: v for k, v in row.items() if k} for row in csv.DictReader(f)]


def write_csv(path: Path, header, rows) -> None:
    """Write ``rows`` (dicts or sequences) under ``header``, with "\\n" line ends."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow([row[h] for h in header] if isinstance(row, dict) else row)
    path.write_text(buf.getvalue(), encoding="utf-8")
