"""Tables whose columns are levels of need: each cell read with the level it stands under.

Threshold documents set out what a child's needs look like at each level in a ruled grid: one column per
level ("Level 1: Universal Support" ... "Level 4: Statutory Intervention", or "LEVEL 1" ... "LEVEL 4" over the
table), one row per area of need. The text layer keeps each cell's words together but drops which column it
stood in, so "School attendance below 90%" no longer says it is Level 3, and "what attendance counts as level
1?" or "which level is ...?" has nothing to match. pdfplumber finds the grid's cells and the words over it;
here a line naming the column's level is written before each column's cells ("Level 3: Complex Needs:"),
which the cell's sentences then read as their lead-in (the cell's own text is left as the page prints it, so
the cited sentence is still found on the page). A grid the text layer reads row by row is left as printed: it
would need a level's line before every cell.

Only grids whose every column heading names a level (level, tier, stage or step and a number) are read:
other text tables keep their layout.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from index.lexicon import BULLETS
from index.records import OCR

from .loaders import PageText

# A column heading naming a level: "Level 3: Complex Needs", "LEVEL 1", "Tier 2 - Targeted".
LEVEL_HEADING = re.compile(r"^(?:level|tier|stage|step)\s*(\d+[a-z]?)\b", re.I)
LEVEL_MENTION = re.compile(r"\b(?:level|tier|stage|step)\s*(\d+[a-z]?)\b", re.I)
MIN_LEVELS = 3  # columns (and distinct levels named on the page) that make a grid of levels
HEADING_REACH = 40.0  # points above a table its column headings may stand (over the frame, not in it)
CELL_START_CHARS = 40  # how many of a cell's first letters find it in the page text
MAX_NAMINGS = 3  # times a page may name one level: a grid read column by column names each once per area


def grid_pages(pages: list[PageText]) -> set[int]:
    """The pages naming at least three levels: the only ones worth laying out (running headers still in)."""
    found = set()
    for page in pages:
        if page.page is not None and page.source != OCR:
            levels = {m.group(1).lower() for m in LEVEL_MENTION.finditer(page.text)}
            if len(levels) >= MIN_LEVELS:
                found.add(page.page)
    return found


def read_level_grids(path: Path, pages: list[PageText], wanted: set[int]) -> list[PageText]:
    """The pages with a line naming its level written before each column's cells of a grid of levels."""
    wanted = {p.page for p in pages if p.page in wanted}
    if path.suffix.lower() != ".pdf" or not wanted:
        return pages
    import pdfplumber

    cells_by_page: dict[int, list[tuple[str, str]]] = {}
    try:
        with pdfplumber.open(str(path), pages=sorted(wanted)) as pdf:
            for page in pdf.pages:
                cells = [cell for table in page.find_tables() for cell in _level_cells(page, table)]
                if cells:
                    cells_by_page[page.page_number] = cells
                page.close()
    except Exception:  # pdfplumber (pdfminer) raises many types on damaged files; levels are a bonus
        return pages
    return [
        dataclasses.replace(page, text=_with_levels(page.text, cells_by_page[page.page]))
        if page.page in cells_by_page
        else page
        for page in pages
    ]


def _level_cells(page, table) -> list[tuple[str, str]]:
    """(level heading, cell text) for each cell of a grid of levels, row by row; none for another table."""
    rows = [(row, texts) for row, texts in zip(table.rows, table.extract(), strict=True)]
    start = next((i for i, (_, texts) in enumerate(rows) if _opens_body(texts)), None)
    if start is None:
        return []
    body = [(row, texts) for row, texts in rows[start:] if _filled(texts)]
    first, _ = body[0]
    columns = [bbox for bbox in first.cells if bbox is not None]
    headings = _headings(page, table.bbox[1], first.bbox[1], columns)
    levels = [LEVEL_HEADING.match(h) for h in headings]
    if len(columns) < MIN_LEVELS or not all(levels) or len({m.group(1).lower() for m in levels}) < len(levels):
        return []
    out = []
    for row, texts in body:
        filled = [" ".join((t or "").split()) for t in texts]
        if len(set(filled)) == 1:
            continue  # an area of need named over every column ("Education and Learning Needs")
        for bbox, text in zip(row.cells, texts, strict=True):
            column = next((i for i, c in enumerate(columns) if bbox and abs(c[0] - bbox[0]) < 2), None)
            if column is not None and (text or "").strip():
                out.append((headings[column], text.strip()))
    return out


def _filled(texts: list[str | None]) -> int:
    return sum(bool((t or "").strip()) for t in texts)


def _opens_body(texts: list[str | None]) -> bool:
    """The first row of cells under the headings: two cells or more filled, or a list item, and no level named
    in its first cell (the headings may be one merged cell: "Level 1: ... Level 4: ...")."""
    if LEVEL_HEADING.match((texts[0] or "").strip()):
        return False
    return _filled(texts) >= 2 or any((t or "").lstrip().startswith(tuple(BULLETS)) for t in texts)


def _headings(page, table_top: float, body_top: float, columns: list[tuple]) -> list[str]:
    """The words over each column: those in the table's frame above its first row of cells, or, when the
    frame holds none, those a little above the frame."""
    over = [w for w in page.extract_words() if table_top - HEADING_REACH <= w["top"] and w["bottom"] <= body_top + 1]
    inside = [w for w in over if w["top"] >= table_top - 1]
    words = inside or over
    headings = []
    for x0, _, x1, _ in columns:
        over_column = [w for w in words if x0 - 1 <= (w["x0"] + w["x1"]) / 2 <= x1 + 1]
        over_column.sort(key=lambda w: (round(w["top"]), w["x0"]))
        headings.append(" ".join(w["text"] for w in over_column).strip(" :"))
    return headings


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _starts_at(keys: list[str], i: int, start: str) -> bool:
    """Do the letters of the lines from i on begin with these letters (a cell wraps over several lines)?"""
    if not start or not keys[i] or not start.startswith(keys[i][: len(start)]):
        return False
    joined = ""
    for key in keys[i:]:
        joined += key
        if len(joined) >= len(start):
            break
    return joined.startswith(start)


def _with_levels(text: str, cells: list[tuple[str, str]]) -> str:
    """Each cell found in the page text (the first line not yet taken where its letters start), and its
    level's line written before it when the line before is of another level."""
    lines = text.split("\n")
    keys = [_key(line) for line in lines]
    before: dict[int, str] = {}
    for heading, cell in cells:
        start = _key(cell)[:CELL_START_CHARS]
        at = next((i for i in range(len(lines)) if i not in before and _starts_at(keys, i, start)), None)
        if at is not None:
            before[at] = heading
    named, last = {}, None
    for i in sorted(before):
        if before[i] != last:  # a column read down its cells (one row a line) is named once
            named[i] = last = before[i]
    if len(named) > MAX_NAMINGS * len(set(named.values())):
        # The text layer reads the grid row by row: a level's line before every cell would outweigh the
        # document's own words for "level 4" in the keyword index. Left as printed.
        return text
    out = []
    for i, line in enumerate(lines):
        if i in named:
            out.append(f"{named[i]}:")
        out.append(line)
    return "\n".join(out)
