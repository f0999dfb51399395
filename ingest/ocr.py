"""Read a PDF page that has no usable text layer from its image, with RapidOCR.

A scanned report is a PDF of page images: without OCR it has no words to index. The page is rendered with
pdfium (greyscale), RapidOCR finds and reads its text lines (its ONNX models ship inside the package, so
nothing is downloaded), and the lines are put into reading order: rows top to bottom, a row's pieces left to
right, the two columns of a two-column page one after the other, and a blank line where a vertical gap is
large, so the cleaner and the sentence splitter see the same shape of text as a text layer gives them.
"""

from __future__ import annotations

import statistics
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from index.records import Box

# Render resolution, capped at the size the engine reads (it shrinks a larger image to OCR_MAX_SIDE first):
# an A4 page at about 170 dpi, body text some 35 px high, which the recogniser (every line scaled to 48 px
# high) reads at over 0.99 confidence.
OCR_DPI = 200
OCR_MAX_SIDE = 2000
# Text lines are found on the page scaled down to this longer side: detection takes a third of the time of
# the default (the full 2000 px) and finds the same lines; each line is still read from the full render.
OCR_DETECT_SIDE = 1280
# Lines the recogniser is less sure of than this are dropped (RapidOCR's own default).
OCR_MIN_LINE_SCORE = 0.5
# Time the reader may spend on one OCR'd page before the file is refused: a guard against hostile pages, not
# a target (about 6 s a page on 2 idle cores, up to 45 s when other work shares them; bench/ocr_speed.py).
OCR_PAGE_SECONDS = 120.0
# A text layer is garbage (a broken font encoding, a scanner's invisible junk) when this share of its
# non-space characters is replacement, private-use, control or unassigned characters ...
GARBAGE_SHARE = 0.3
# ... or when it has at least this many non-space characters and under LETTER_SHARE of them are letters
# (a page of numbers keeps a few letters: labels, headers).
GARBAGE_MIN_CHARS = 20
LETTER_SHARE = 0.1
# Fewer letters than this on a page with something drawn on it: the page is an image (a scan with, at most,
# a stamped page number).
MIN_LETTERS = 3
# A page one image covers this much of is a scan; a text layer of at most STAMP_MAX_CHARS characters on
# it is a stamp added afterwards ("Page 3 of 40"), not the page's text, so the page is OCR'd.
SCAN_IMAGE_SHARE = 0.8
STAMP_MAX_CHARS = 200
# Row and paragraph layout, in units of the median line height.
ROW_OVERLAP = 0.5  # two lines are on one row when they overlap vertically by this share of the shorter
PARAGRAPH_GAP = 0.8  # a vertical gap above this starts a new paragraph
CELL_GAP = 1.5  # a horizontal gap above this within a row separates cells: joined by two spaces
# A two-column page: a vertical gutter in this band of the page width crossed by few lines, with at least
# COLUMN_MIN_LINES lines wholly on each side.
GUTTER_BAND = (0.3, 0.7)
COLUMN_MIN_LINES = 4
MAX_SPANNING_SHARE = 0.2
COLUMN_MIN_CHARS = 20  # median characters of a column's lines


@dataclass(frozen=True)
class OcrWord:
    text: str
    box: Box


@dataclass
class OcrPage:
    text: str
    confidence: float | None  # mean recognition score of the lines read; None when nothing was read
    words: list[OcrWord] = field(default_factory=list)  # in reading order: words, or lines without word boxes


def text_is_usable(text: str) -> bool:
    """Whether a page's text layer holds real text: enough letters, and not mostly characters no font
    should produce. A page that fails this is read by OCR instead."""
    chars = [c for c in text if not c.isspace()]
    letters = sum(c.isalpha() for c in chars)
    if letters < MIN_LETTERS:
        return False
    bad = sum(c == "\ufffd" or unicodedata.category(c) in ("Co", "Cc", "Cn", "Cs") for c in chars)
    if bad > GARBAGE_SHARE * len(chars):
        return False
    return not (len(chars) >= GARBAGE_MIN_CHARS and letters < LETTER_SHARE * len(chars))


# -- progress ---------------------------------------------------------------------------------------------
# OCR takes seconds a page, so a scan's progress is told page by page. The worker process that reads files
# replaces the listener to pass progress to the ingesting process (which also extends the file's time
# budget); read in-process, it is a line on stderr.
ProgressListener = Callable[[str, int, int], None]


def _print_progress(name: str, done: int, total: int) -> None:
    if done:
        print(f"{name}: OCR page {done}/{total}", file=sys.stderr, flush=True)


_listener: ProgressListener = _print_progress


def set_progress_listener(listener: ProgressListener | None) -> None:
    """listener(file name, pages done, pages to OCR) is called with done=0 before the first OCR'd page and
    after each; None restores the stderr line."""
    global _listener
    _listener = listener or _print_progress


def report_progress(name: str, done: int, total: int) -> None:
    _listener(name, done, total)


# -- the engine ---------------------------------------------------------------------------------------------
_engine = None


def engine():
    """One RapidOCR engine per process, made on first use (a batch without scans never loads it)."""
    global _engine
    if _engine is None:
        import rapidocr
        from rapidocr import RapidOCR

        models = Path(rapidocr.__file__).parent / "models"
        _engine = RapidOCR(
            params={
                "Global.log_level": "error",
                "Global.text_score": OCR_MIN_LINE_SCORE,
                "Global.max_side_len": OCR_MAX_SIDE,
                # Pages are rendered upright; the line-orientation classifier only costs time.
                "Global.use_cls": False,
                "Global.model_root_dir": str(models),
                # Explicit model files: RapidOCR downloads a model it cannot find, and must never need to.
                "Det.model_path": str(models / "PP-OCRv6_det_small.onnx"),
                "Rec.model_path": str(models / "PP-OCRv6_rec_small.onnx"),
                "Cls.model_path": str(models / "ch_ppocr_mobile_v2.0_cls_mobile.onnx"),
                "Det.limit_type": "max",
                "Det.limit_side_len": OCR_DETECT_SIDE,
            }
        )
    return _engine


def render_page(page, dpi: int = OCR_DPI):
    """A pdfium page as a greyscale image (numpy array), as it would be printed (crop box, page rotation), no
    larger than the engine reads: a poster-sized (or hostile) page is not rendered at gigapixels."""
    width, height = page.get_size()
    scale = min(dpi / 72, OCR_MAX_SIDE / max(width, height, 1.0))
    return page.render(scale=scale, grayscale=True).to_numpy()


def read_page(page, dpi: int = OCR_DPI) -> OcrPage:
    """OCR one pdfium page: its text in reading order, the mean line score, and word boxes as fractions of
    the page with the origin at the top left (the rendered image's own frame)."""
    image = render_page(page, dpi)
    return read_image(image)


def read_image(image) -> OcrPage:
    height, width = image.shape[:2]
    result = engine()(image, return_word_box=True)
    txts = getattr(result, "txts", None) or ()
    boxes = getattr(result, "boxes", None)
    if not txts or boxes is None:
        return OcrPage("", None)
    scores = list(result.scores)
    lines = []
    for quad, text, score in zip(boxes, txts, scores, strict=True):
        xs, ys = [float(p[0]) for p in quad], [float(p[1]) for p in quad]
        lines.append(_Line(" ".join(text.split()), min(xs), min(ys), max(xs), max(ys), float(score)))
    _attach_words(lines, getattr(result, "word_results", None) or ())
    lines = [line for line in lines if line.text]
    if not lines:
        return OcrPage("", None)
    text, ordered = layout(lines)
    words = []
    for line in ordered:
        for word_text, (x0, y0, x1, y1) in line.words or [(line.text, line.rect)]:
            box = Box(_frac(x0, width), _frac(y0, height), _frac(x1, width), _frac(y1, height))
            words.append(OcrWord(word_text, box))
    return OcrPage(text, statistics.fmean(line.score for line in lines), words)


def _frac(value: float, size: int) -> float:
    return min(1.0, max(0.0, value / size))


@dataclass
class _Line:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    score: float
    words: list[tuple[str, tuple[float, float, float, float]]] = field(default_factory=list)

    @property
    def rect(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0, self.x1, self.y1)

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def middle(self) -> float:
        return (self.y0 + self.y1) / 2


def _attach_words(lines: list[_Line], word_results) -> None:
    """Give each line its word boxes. RapidOCR drops a line's entry when no word box was found for it, so
    word groups are matched to lines by position, not by index."""
    for group in word_results:
        found = []
        for item in group:
            if len(item) != 3 or item[2] is None or not str(item[0]).strip():
                continue
            xs, ys = [float(p[0]) for p in item[2]], [float(p[1]) for p in item[2]]
            found.append((str(item[0]).strip(), (min(xs), min(ys), max(xs), max(ys))))
        if not found:
            continue
        mx = statistics.fmean((r[0] + r[2]) / 2 for _, r in found)
        my = statistics.fmean((r[1] + r[3]) / 2 for _, r in found)
        owner = next((ln for ln in lines if ln.x0 <= mx <= ln.x1 and ln.y0 <= my <= ln.y1 and not ln.words), None)
        if owner is not None and "".join(w for w, _ in found) == "".join(owner.text.split()):
            owner.words = sorted(found, key=lambda w: w[1][0])


def layout(lines: list[_Line]) -> tuple[str, list[_Line]]:
    """Lines in reading order and the page text they make: rows joined by line breaks, cells of a row by
    two spaces, paragraphs by a blank line. Hand-written because RapidOCR returns lines in detection order
    only; no layout library ships with it."""
    unit = statistics.median(line.height for line in lines) or 1.0
    blocks = _column_blocks(lines)
    out: list[str] = []
    ordered: list[_Line] = []
    for block in blocks:
        previous_bottom = None
        for row in _rows(block):
            top = min(line.y0 for line in row)
            if out and (previous_bottom is None or top - previous_bottom > PARAGRAPH_GAP * unit):
                out.append("")
            out.append(_join_row(row, unit))
            ordered += row
            previous_bottom = max(line.y1 for line in row)
    return "\n".join(out), ordered


def _rows(lines: list[_Line]) -> list[list[_Line]]:
    """Lines grouped into rows (vertical overlap), rows top to bottom, each row left to right."""
    rows: list[list[_Line]] = []
    for line in sorted(lines, key=lambda ln: (ln.middle, ln.x0)):
        row = rows[-1] if rows else None
        if row is not None and any(_same_row(line, other) for other in row):
            row.append(line)
        else:
            rows.append([line])
    return [sorted(row, key=lambda ln: ln.x0) for row in rows]


def _same_row(a: _Line, b: _Line) -> bool:
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    return overlap > ROW_OVERLAP * min(a.height, b.height)


def _join_row(row: list[_Line], unit: float) -> str:
    parts = [row[0].text]
    for before, line in zip(row, row[1:], strict=False):
        parts.append("  " if line.x0 - before.x1 > CELL_GAP * unit else " ")
        parts.append(line.text)
    return "".join(parts)


def _column_blocks(lines: list[_Line]) -> list[list[_Line]]:
    """The page as blocks in reading order. On a two-column page a line crossing the gutter (a title, a
    full-width table) ends a band; within a band the left column is read before the right one."""
    gutter = _gutter(lines)
    if gutter is None:
        return [lines]
    blocks: list[list[_Line]] = []
    left: list[_Line] = []
    right: list[_Line] = []
    for line in sorted(lines, key=lambda ln: (ln.y0, ln.x0)):
        if line.x1 <= gutter:
            left.append(line)
        elif line.x0 >= gutter:
            right.append(line)
        else:
            blocks += [b for b in (left, right) if b]
            blocks.append([line])
            left, right = [], []
    blocks += [b for b in (left, right) if b]
    return blocks


def _gutter(lines: list[_Line]) -> float | None:
    """An x that few lines cross, with enough lines of prose wholly on each side."""
    x_min = min(line.x0 for line in lines)
    x_max = max(line.x1 for line in lines)
    span = x_max - x_min
    if span <= 0:
        return None
    best = None
    steps = 40
    for i in range(steps + 1):
        x = x_min + span * (GUTTER_BAND[0] + (GUTTER_BAND[1] - GUTTER_BAND[0]) * i / steps)
        left = [ln for ln in lines if ln.x1 <= x]
        right = [ln for ln in lines if ln.x0 >= x]
        crossing = len(lines) - len(left) - len(right)
        if len(left) < COLUMN_MIN_LINES or len(right) < COLUMN_MIN_LINES:
            continue
        if crossing > MAX_SPANNING_SHARE * len(lines):
            continue
        # Columns of prose: both sides hold full lines of text. A table's value cells (numbers, short
        # labels) are not a column, so a table is read row by row.
        if min(_median_length(left), _median_length(right)) < COLUMN_MIN_CHARS:
            continue
        if best is None or crossing < best[0]:
            best = (crossing, x)
    return None if best is None else best[1]


def _median_length(lines: list[_Line]) -> float:
    return statistics.median(len(line.text) for line in lines)
