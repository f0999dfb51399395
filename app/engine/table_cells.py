"""A table row answering a question about one period says that period's cells, not the whole row.

"Contacts rate per 10k last year" is answered from a row holding nine years and two "change over time"
columns; an officer needs the one cell asked for. The citation still marks the whole row on the page, so
the other years stay one click away.
"""

from __future__ import annotations

from index.periods import periods_in
from index.records import Figure
from ingest.tables import CELL_SEPARATOR, PRINTED_OPENING


def cells_of_period(row_text: str, figures: list[Figure], period: str) -> tuple[str, list[Figure]] | None:
    """(the row's caption and label with only its cells of this period, their figures), or None when the
    figures are not a table row's or none of its cells, or all of them, are of this period."""
    cells = [f for f in figures if f.row and f.period == period]
    if not cells or len(cells) == len(figures):
        return None
    row_text = row_text.rstrip(".").partition(PRINTED_OPENING)[0]
    lead, marker, said = row_text.partition(f"{cells[0].row}: ")
    if not marker:
        return None
    kept = [part for part in said.split(CELL_SEPARATOR) if any(p == period for _, _, p in periods_in(part))]
    if not kept:
        return None
    return f"{lead}{marker}{CELL_SEPARATOR.join(kept)}.", cells
