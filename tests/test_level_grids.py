"""Grids of levels of need in real threshold PDFs (ingest.level_grids): each cell read with its level."""

from __future__ import annotations

import pytest
from helpers import EXTERNAL, answerer_over

from eval.answers import number_in
from ingest.clean import clean_pages
from ingest.level_grids import grid_pages, read_level_grids
from ingest.loaders import load_file

NORTHANTS = "northamptonshire-scp-thresholds-guidance-2022.pdf"
OXFORDSHIRE = "oxfordshire-threshold-of-needs-2021.pdf"

pytestmark = pytest.mark.skipif(not EXTERNAL.is_dir(), reason="external safeguarding PDFs not available")


def _pages_with_levels(name: str) -> dict[int, str]:
    loaded = load_file(EXTERNAL / name, 500)
    pages = clean_pages(loaded.pages).pages
    return {p.page: p.text for p in read_level_grids(EXTERNAL / name, pages, grid_pages(loaded.pages))}


def test_each_column_of_a_grid_of_levels_is_named_before_its_cells():
    page = _pages_with_levels(NORTHANTS)[18].split("\n")
    level_3, level_4 = (
        page.index("Level 3: Complex Needs:"),
        page.index("Level 4: Statutory Intervention Immediate safeguarding:"),
    )
    assert level_3 < page.index("• School attendance below 90%") < level_4
    assert page.index("Level 2: Vulnerable:") < page.index("• Patterns of regular school absences") < level_3


def test_the_headings_of_a_grid_under_another_stop_at_its_first_cells():
    """Page 19 holds two grids; the second's first row of cells fills two of four columns."""
    page = _pages_with_levels(NORTHANTS)[19].split("\n")
    assert page.index("Level 1: Universal Support:") < page.index("• Age appropriate clothing and appearance")
    assert not any(line.startswith("Level") and "•" in line for line in page)


def test_a_grid_the_text_layer_reads_row_by_row_is_left_as_printed():
    """A level's line before every cell would outweigh the document's own words for "level 4"."""
    assert "LEVEL 1:" not in _pages_with_levels(OXFORDSHIRE)[21]


def test_a_cell_is_answered_for_the_level_asked(tmp_path):
    answerer = answerer_over(tmp_path, external=(NORTHANTS,))
    answer = answerer.answer("what school attendance % puts a child at level 3 in the northants thresholds")
    assert not answer.abstained and number_in("90%", answer.text), answer.reason
    assert answer.citations[0].page == 18
