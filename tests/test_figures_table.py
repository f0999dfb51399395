"""The figures table (app.engine.figures_table): conflicts flagged, spreadsheet formulas escaped."""

from __future__ import annotations

import csv
import io

from app.engine.figures_table import CSV_COLUMNS, figures_csv
from index.registry import Registry


def test_figures_csv_flags_conflicts_and_escapes_formulas(bundled_store):
    registry = Registry(bundled_store)
    try:
        rows = list(csv.DictReader(io.StringIO(figures_csv(registry))))
    finally:
        registry.close()
    assert list(rows[0]) == CSV_COLUMNS
    staff = next(r for r in rows if r["as_written"] == "117, 581")
    assert staff["label"] == "Staff costs" and float(staff["value"]) == 117581
    # The local authority contribution is written as £130, 826 in the text and 141, 361 in the table.
    flagged = {r["as_written"] for r in rows if r["conflict"] == "True"}
    assert {"£130, 826", "141, 361"} <= flagged
    assert not any(r["label"].startswith(("=", "+", "-", "@")) for r in rows)
