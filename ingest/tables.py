"""Ruled tables in born-digital PDFs: each row becomes a readable sentence and each numeric cell a figure.

A PDF's text layer writes a table as a jumble of lines ("Phase 7 Phase 8 Phase 9", "2019–20 2021–22 ...",
"Male 4,500 5,597 6,995"): a number in it is cut off from its column header, so "how many in 2019/20?" has
nothing to match. pdfplumber finds the table's ruling and its cells with their boxes; from them each row
is written again as a sentence that says the table, the row and each value with its column ("Table 10:
Number of UAS children by gender at period end, Male: 4,500 in 2019–20 (Phase 7); ..."), in place of the
jumbled lines, so retrieval, figure reading and the measure check see row, column and value together. Each
numeric cell becomes one Figure carrying its row label, column header, caption, page and box.

Only ruled tables are read (pdfplumber's "lines" strategy): its "text" strategy turns charts and
two-column prose into tables, and on the reports we hold every data table is ruled. A found table counts
only when at least two of its rows are made of a label and mostly numbers, under a header.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

from index.periods import periods_in
from index.records import OCR, Box, Chunk, Figure, Sentence

from .figures import cell_value
from .loaders import PageText
from .sentences import OPEN_ENDING

# A cell holding one number as tables write them: "4,500", "-80%", "£1.2m", "(12)", "37.5".
NUMERIC_CELL = re.compile(r"^[(−–-]?\s?[£$]?\d[\d,]*(?:\.\d+)?\s?(?:%|k|m|bn)?\)?$", re.I)
# What a table writes where it has no number: a dash, "n/a", a suppressed "*" or "x".
PLACEHOLDER_CELL = re.compile(r"^(?:[-–—*x]|n/?a|\.\.|:)$", re.I)
CAPTION = re.compile(r"^(?:table|figure|chart)\s*\d+[a-z]?\b", re.I)
SOURCE_LINE = re.compile(r"^(?:source|note|notes|base)s?\b", re.I)
# How far above a table (in PDF points) its caption may sit: a "Table 5:" line and a "Source:" line
# under it, or a heading right over the table.
CAPTION_REACH = 90.0
HEADING_REACH = 30.0
MIN_DATA_ROWS = 2
# A page is worth opening with pdfplumber (which parses the page's layout, about 0.15 s a page) only when
# its text has at least this many lines shaped like table rows: a few words and numbers.
MIN_ROW_LINES = 2
ROW_LINE_WORDS = 16
# Form objects nest; pdfplumber draws every level, so paths are looked for at any depth (up to this).
MAX_FORM_DEPTH = 64
SENTENCE_BREAK = re.compile(r"[.!?]+\s+(?=[\"“‘(£$A-Z0-9•])")


@dataclass
class Cell:
    text: str
    column: str
    box: Box


@dataclass
class Row:
    label: str
    cells: list[Cell]
    sentence: str = ""


@dataclass
class Table:
    page: int
    caption: str
    rows: list[Row]
    words: frozenset[str] = frozenset()  # every word printed inside the table's frame


@dataclass
class TablesRead:
    """The pages with each table's jumbled lines replaced by its row sentences, and the tables found."""

    pages: list[PageText]
    tables: list[Table] = field(default_factory=list)

    def figures(
        self, text_figures: list[Figure], chunks: list[Chunk], sentences: list[Sentence], period: str | None
    ) -> list[Figure]:
        """The document's figures with those read from a table row's sentence replaced by its cells' figures:
        one per numeric cell, with row, column, caption, page and box, placed in the chunk and stored
        sentence that hold the row."""
        if not self.tables:
            return text_figures
        ordered = sorted(sentences, key=lambda s: s.start)
        rows_in: set[str] = set()
        cell_figures: list[Figure] = []
        for table in self.tables:
            for row in table.rows:
                stored = _stored_sentence(row.sentence, ordered)
                if stored is None:
                    continue
                chunk = next((c for c in chunks if c.char_start <= stored.start < c.char_end), None)
                rows_in.add(stored.text)
                for figure in row_figures(table, row, period):
                    figure.sentence = stored.text
                    if chunk is not None:
                        figure.chunk_id, figure.doc_id, figure.section = chunk.chunk_id, chunk.doc_id, chunk.section
                    cell_figures.append(figure)
        kept = [f for f in text_figures if f.sentence not in rows_in]
        return kept + cell_figures


def _stored_sentence(row_sentence: str, ordered: list[Sentence]) -> Sentence | None:
    """The stored sentence holding a row: the row itself, or the row joined to a caption line above it (with
    or without its printed line, which a row too long for the model's window gives up: chunker)."""
    cells = row_sentence.partition(PRINTED_OPENING)[0]
    return next((sentence for sentence in ordered if cells in sentence.text), None)


def read_tables(path: Path, pages: list[PageText]) -> tuple[list[PageText], TablesRead]:
    """Find the ruled tables of a born-digital PDF and write their rows into the page texts."""
    if path.suffix.lower() != ".pdf":
        return pages, TablesRead(pages)
    wanted = [p.page for p in pages if p.page is not None and p.source != OCR and _has_row_lines(p.text)]
    if wanted:
        wanted = _ruled(path, wanted)
    if not wanted:
        return pages, TablesRead(pages)
    import pdfplumber

    found: dict[int, list[Table]] = {}
    try:
        with pdfplumber.open(str(path), pages=wanted, unicode_norm="NFKC") as pdf:
            for page in pdf.pages:
                tables = _page_tables(page)
                if tables:
                    found[page.page_number] = tables
                page.close()
    except Exception:  # pdfplumber (pdfminer) raises many types on damaged files; tables are a bonus
        return pages, TablesRead(pages)
    out = []
    for page in pages:
        tables = found.get(page.page, [])
        out.append(dataclasses.replace(page, text=_rewrite(page.text, tables)) if tables else page)
    return out, TablesRead(out, [t for p in sorted(found) for t in found[p]])


def _ruled(path: Path, wanted: list[int]) -> list[int]:
    """The wanted pages that draw anything (a path object, at any depth of nesting): only those can hold a
    ruled table, since pdfplumber's "lines" strategy finds cells from drawn lines and rectangles alone. pdfium
    counts a page's objects in milliseconds; pdfplumber would lay the page out first (about 0.15 s)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        document = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError):
        return wanted
    try:
        if max(wanted) > len(document):
            return wanted
        out = []
        for number in wanted:
            page = document[number - 1]
            try:
                paths = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=MAX_FORM_DEPTH)
                if next(paths, None) is not None:
                    out.append(number)
            finally:
                page.close()
        return out
    except pdfium.PdfiumError:
        return wanted
    finally:
        document.close()


def _has_row_lines(text: str) -> bool:
    count = 0
    for line in text.split("\n"):
        tokens = line.split()
        numbers = sum(bool(NUMERIC_CELL.match(t)) for t in tokens)
        if numbers and len(tokens) <= ROW_LINE_WORDS and 3 * numbers >= len(tokens):
            count += 1
            if count >= MIN_ROW_LINES:
                return True
    return False


# -- reading a table -----------------------------------------------------------------------------


def _clean(text: str | None) -> str:
    """One line of text; a year range broken over two lines of a cell ("2013–\n14") joined again."""
    return re.sub(r"(\d[-–/])\s+(\d)", r"\1\2", " ".join((text or "").split()))


def _numeric(text: str) -> bool:
    return bool(NUMERIC_CELL.match(text))


def _page_tables(page) -> list[Table]:
    tables = []
    found = page.find_tables()
    boxes = [t.bbox for t in found]
    for table, bbox in zip(found, boxes, strict=True):
        if any(other != bbox and _inside(bbox, other) for other in boxes):
            continue  # a header cell drawn as a little table of its own
        read = _read_table(page, table)
        if read is not None:
            tables.append(read)
    return tables


def _inside(inner, outer) -> bool:
    return (
        inner[0] >= outer[0] - 1 and inner[1] >= outer[1] - 1 and inner[2] <= outer[2] + 1 and inner[3] <= outer[3] + 1
    )


def _read_table(page, table) -> Table | None:
    grid = []
    for row, texts in zip(table.rows, table.extract(), strict=True):
        cells = [(bbox, _clean(text)) for bbox, text in zip(row.cells, texts, strict=True) if bbox is not None]
        grid.append(cells)
    header: list[list[tuple]] = []
    rows: list[Row] = []
    after_data = False
    for cells in grid:
        filled = [(bbox, text) for bbox, text in cells if text]
        label_at = next((i for i, (_, text) in enumerate(filled) if not _numeric(text)), None)
        values = filled[label_at + 1 :] if label_at is not None else []
        numbers = [v for v in values if _numeric(v[1])]
        mostly = numbers and 2 * (len(numbers) + sum(bool(PLACEHOLDER_CELL.match(t)) for _, t in values)) > len(values)
        if label_at is not None and label_at == 0 and mostly:
            label = filled[label_at][1]
            out = []
            for bbox, text in numbers:
                column = _column(bbox, header)
                out.append(Cell(text, column, _box(page, bbox)))
            rows.append(Row(_sentence_safe(label), out))
            after_data = True
        elif after_data and len(filled) == 1 and _continues(rows[-1].label, filled[0][1]):
            # The row label wrapped onto the next line of its cell ("Rate per" / "10k 0–17" / "population").
            rows[-1].label = _sentence_safe(_joined_label(rows[-1].label, filled[0][1]))
        elif filled and not (after_data and len(filled) == 1):  # a label spanning the table groups rows
            if after_data:
                header, after_data = [], False  # a header part-way down starts a new block of columns
            header.append(filled)
    if len(rows) < MIN_DATA_ROWS or not any(cell.column for row in rows for cell in row.cells):
        return None
    caption = _caption(page, table.bbox)
    inside = page.crop(table.bbox, strict=False).extract_words()
    table_read = Table(page.page_number, caption, rows, frozenset(w["text"] for w in inside))
    for row in rows:
        row.sentence = row_sentence(caption, row)
    return table_read


def _continues(label: str, text: str) -> bool:
    """Is a lone label-cell line under a data row the rest of that row's label, not a label grouping the rows
    after it ("Female")? It goes on a label left open ("Rate per", "Children in"), or reads as no start
    of one: lower case, a number or a bracket ("10k 0–17", "population", "(England)")."""
    unclosed = label.count("(") > label.count(")")
    return bool(unclosed or OPEN_ENDING.search(label) or re.match(r"[a-z0-9(]", text))


def _joined_label(label: str, rest: str) -> str:
    """A wrapped label whole again: a word broken at a hyphen ("non-" / "kinship") joined without a space, and a
    line the cell repeats (a PDF drawing the same text twice) not added again."""
    if label.endswith(rest):
        return label
    return f"{label}{rest}" if label.endswith("-") else f"{label} {rest}"


def _column(bbox, header: list[list[tuple]]) -> str:
    """The header text over a cell (every header row, top down): header cells whose middle lies over it."""
    x0, x1 = bbox[0], bbox[2]
    parts = []
    for cells in header:
        for (hx0, _, hx1, _), text in cells:
            if x0 - 1 <= (hx0 + hx1) / 2 <= x1 + 1 and text not in parts:
                parts.append(text)
    return _sentence_safe(_clean(" ".join(parts)))


def _box(page, bbox) -> Box:
    left, top = page.bbox[0], page.bbox[1]
    width, height = page.width or 1.0, page.height or 1.0
    x0, y0, x1, y1 = bbox
    return Box((x0 - left) / width, (y0 - top) / height, (x1 - left) / width, (y1 - top) / height)


def _caption(page, bbox) -> str:
    """The table's caption: a "Table 5: ..." line just above it, else a short heading right over it."""
    above = [
        line
        for line in page.extract_text_lines(return_chars=False)
        if line["bottom"] <= bbox[1] + 1 and bbox[1] - line["bottom"] <= CAPTION_REACH
    ]
    above.sort(key=lambda line: -line["bottom"])
    for line in above:
        text = _clean(line["text"])
        if CAPTION.match(text):
            return _sentence_safe(text)
    for line in above[:1]:
        text = _clean(line["text"])
        near = bbox[1] - line["bottom"] <= HEADING_REACH
        if near and not SOURCE_LINE.match(text) and len(text) <= 100 and not text.endswith((".", ",")):
            return _sentence_safe(text)
    return ""


def _sentence_safe(text: str) -> str:
    """A cell's text inside one sentence: no full stop that would split it, no trailing punctuation."""
    return SENTENCE_BREAK.sub(", ", text).strip(" .;:,")


# -- writing a table as sentences and figures -----------------------------------------------------


CELL_SEPARATOR = "; "  # between a row's cells in its sentence
# The row as the page prints it, left to right ("Under 1 4,235 4,928 ..."), after its cells: what a reader
# comparing the passage with the printed table, or searching for the printed line, finds.
PRINTED_OPENING = " (printed: "
PRINTED_ROW = PRINTED_OPENING + "{})"


def row_sentence(caption: str, row: Row) -> str:
    """ "Table 10: UAS children by gender, Male: 4,500 in 2019–20 (Phase 7); 5,597 in 2021–22 (Phase 8) (printed:
    Male 4,500 5,597)."

    A value is written before its column ("4,500 in 2019–20") because that is how the figure reader binds
    a number to its period; the rest of a column header follows in brackets."""
    parts = []
    for cell in row.cells:
        found = periods_in(cell.column)
        if found:
            start, end, _ = found[0]
            rest = _clean(cell.column[:start] + " " + cell.column[end:])
            part = f"{cell.text} in {cell.column[start:end]}" + (f" ({rest})" if rest else "")
        else:
            part = f"{cell.text} ({cell.column})" if cell.column else cell.text
        parts.append(part)
    lead = f"{caption}, {row.label}" if caption else row.label
    printed = " ".join([row.label, *(cell.text for cell in row.cells)])
    return f"{lead}: {CELL_SEPARATOR.join(parts)}{PRINTED_ROW.format(printed)}."


UNIT_WORDS = {"count": "number", "%": "%", "GBP": "£"}


def row_figures(table: Table, row: Row, default_period: str | None) -> list[Figure]:
    """One figure per numeric cell of a row, labelled as a table reads: "<caption>: <row>, <column> (unit)"."""
    subject = CAPTION.sub("", table.caption).strip(" :.-–")
    figures = []
    # In a table whose columns are years, a column without one ("Change over time") is about no single
    # year: it never takes the document's period, so it cannot answer a question about that period.
    dated_columns = any(periods_in(cell.column) for cell in row.cells)
    for cell in row.cells:
        read = cell_value(cell.text, f"{cell.column} {row.label}")
        if read is None:
            continue
        value, unit = read
        found = periods_in(cell.column)
        period = found[0][2] if found else (None if dated_columns else default_period)
        what = f"{subject}: {row.label}" if subject else row.label
        label = f"{what}, {cell.column} ({UNIT_WORDS.get(unit, unit)})" if cell.column else f"{what} ({unit})"
        figures.append(
            Figure(
                as_written=cell.text,
                value=value,
                unit=unit,
                label=label,
                period=period,
                sentence=row.sentence,
                page=table.page,
                row=row.label,
                column=cell.column,
                caption=table.caption,
                box=cell.box,
            )
        )
    return figures


# -- putting the sentences in place of the jumbled lines --------------------------------------------


def _rewrite(text: str, tables: list[Table]) -> str:
    """Replace the lines made only of a table's cell texts with its row sentences (at the end of the page
    when the text layer wrote the table somewhere it cannot be found)."""
    lines = text.split("\n")
    removed: set[int] = set()
    inserts: dict[int, list[str]] = {}
    tail: list[str] = []
    for table in tables:
        sentences = [row.sentence for row in table.rows]
        run = _table_run(lines, table, removed)
        if run is None:
            tail += sentences
            continue
        removed.update(run)
        inserts[run[0]] = sentences
    out = []
    for i, line in enumerate(lines):
        if i in inserts:
            out += ["", *inserts[i], ""]
        if i not in removed:
            out.append(line)
    if tail:
        out += ["", *tail]
    return "\n".join(out)


def _table_run(lines: list[str], table: Table, taken: set[int]) -> list[int] | None:
    """The longest run of lines (blank lines allowed inside) whose every word is printed inside the table,
    holding at least two of its numbers."""
    words = set(table.words)
    numbers: set[str] = set()
    for row in table.rows:
        words.update(row.label.split())
        for cell in row.cells:
            words.update(cell.column.split())
            numbers.update(cell.text.split())
    words |= numbers
    best: list[int] = []
    run: list[int] = []
    for i, line in enumerate([*lines, "\x00"]):
        tokens = line.split()
        if i < len(lines) and i not in taken and not tokens and run:
            continue  # a blank line inside the table
        if i < len(lines) and i not in taken and tokens and all(t in words for t in tokens):
            run.append(i)
            continue
        filled = [j for j in run if lines[j].strip()]
        held = sum(1 for j in filled for t in lines[j].split() if t in numbers)
        if held >= 2 and len(filled) > len(best):
            best = filled
        run = []
    if not best:
        return None
    return list(range(best[0], best[-1] + 1))
