"""OCR of PDF pages without a text layer: scanned copies of a real report, a mixed PDF, a blank scan and a
scanned table, read by the real RapidOCR through the real pipeline into a temporary store."""

from __future__ import annotations

import re

import pytest
from helpers import EXTERNAL
from scans import mixed_copy, scanned_copy, stamped, write_image_pdf

from index.config import Settings
from index.records import OCR, TEXT_LAYER
from index.registry import Registry
from index.search import Searcher
from ingest.pipeline import collect_files, ingest_sources

REPORT = EXTERNAL / "ofsted-manchester-ilacs-inspection-2025.pdf"
# (sentence on the page, 1-based page of the original)
ON_PAGE_6 = "Children in care receive an effective safeguarding response"
ON_PAGE_1 = "Inspection of Manchester local authority"
TABLE_ROWS = [
    ("Referrals to children's social care", ["2,431", "2,618", "2,907"]),
    ("Child protection plans", ["312", "287", "341"]),
    ("Children looked after", ["1,204", "1,187", "1,230"]),
]
TABLE_YEARS = ["2021/22", "2022/23", "2023/24"]
COLUMN_SENTENCE = "{side} column sentence number {n} is about early help."

pytestmark = pytest.mark.skipif(not REPORT.is_file(), reason="external safeguarding PDFs not available")


def _write_table_pdf(path):
    """A born-digital page with a short paragraph and a table: row labels, year column headers, numbers."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    data = [["Measure", *TABLE_YEARS]] + [[label, *values] for label, values in TABLE_ROWS]
    table = Table(data, colWidths=[220, 80, 80, 80])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("FONTSIZE", (0, 0), (-1, -1), 11),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ]
        )
    )
    intro = "Table 2 shows the activity of children's services in Testshire over three years."
    SimpleDocTemplate(str(path), pagesize=A4).build([Paragraph(intro, styles["BodyText"]), Spacer(1, 12), table])
    return path


def _write_two_column_pdf(path):
    """A born-digital page set in two columns, each a run of numbered sentences."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate, Paragraph

    width, height = A4
    column = (width - 120) / 2
    frames = [Frame(50, 50, column, height - 100, id="left"), Frame(70 + column, 50, column, height - 100, id="right")]
    document = BaseDocTemplate(str(path), pagesize=A4, pageTemplates=[PageTemplate(frames=frames)])
    style = getSampleStyleSheet()["BodyText"]
    left, right = (
        Paragraph(" ".join(COLUMN_SENTENCE.format(side=side, n=n) for n in range(1, 21)), style)
        for side in ("Left", "Right")
    )
    document.build([left, FrameBreak(), right])  # the right-hand text starts at the top of its own column
    return path


STAGES: list[tuple] = []  # what ingest told its progress listener (the web app's upload progress)


@pytest.fixture(scope="module")
def ocr_store(tmp_path_factory):
    """Scanned (with a stamped page number), mixed, blank and table PDFs ingested into one store (about six
    pages of OCR in all)."""
    from PIL import Image

    folder = tmp_path_factory.mktemp("scans")
    # The scan carries a stamped page number, a text layer that is not the page's text.
    stamped(scanned_copy(REPORT, folder / "unstamped.tmp", [0, 5]), folder / "scanned-report.pdf")
    (folder / "unstamped.tmp").unlink()
    mixed_copy(REPORT, folder / "mixed-report.pdf", scanned=1, pages=[0, 5, 6])
    write_image_pdf([Image.new("L", (1240, 1754), 235)], folder / "blank-scan.pdf")
    made = tmp_path_factory.mktemp("made")
    scanned_copy(_write_table_pdf(made / "table.pdf"), folder / "scanned-table.pdf")
    scanned_copy(_write_two_column_pdf(made / "columns.pdf"), folder / "scanned-columns.pdf")
    store = tmp_path_factory.mktemp("store")
    settings = Settings.from_env(store=store)
    files, _ = collect_files([folder])
    report = ingest_sources(files, settings, progress=False, on_progress=lambda *told: STAGES.append(told))
    registry = Registry(store)
    yield settings, registry, report
    registry.close()


def _sentences(registry, doc_id):
    return registry.sentences_in(doc_id, 0, 10**9)


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def test_scanned_report_is_ingested_with_ocr_pages(ocr_store):
    _, registry, report = ocr_store
    assert "scanned-report.pdf" in dict(report.ingested), report.refused
    starts = registry.page_starts("scanned-report.pdf")
    assert [s.page for s in starts] == [1, 2]
    for start in starts:
        assert start.source == OCR
        assert start.confidence is not None and 0.8 < start.confidence <= 1.0


def test_known_sentence_is_found_on_its_scanned_page(ocr_store):
    settings, registry, _ = ocr_store
    pages = {s.page for s in _sentences(registry, "scanned-report.pdf") if _squash(ON_PAGE_6) in _squash(s.text)}
    assert pages == {2}  # page 6 of the original is the copy's second page
    passages = Searcher(settings).search("effective safeguarding response for children in care", k=3)
    assert passages and passages[0].doc_id in {"scanned-report.pdf", "mixed-report.pdf"}


def test_mixed_pdf_ocrs_only_the_scanned_page(ocr_store):
    _, registry, report = ocr_store
    assert "mixed-report.pdf" in dict(report.ingested), report.refused
    starts = registry.page_starts("mixed-report.pdf")
    assert [(s.page, s.source) for s in starts] == [(1, TEXT_LAYER), (2, OCR), (3, TEXT_LAYER)]
    assert starts[0].confidence is None and starts[1].confidence > 0.8
    sentences = _sentences(registry, "mixed-report.pdf")
    assert any(s.page == 2 and _squash(ON_PAGE_6) in _squash(s.text) for s in sentences)
    assert any(s.page == 1 and _squash(ON_PAGE_1) in _squash(s.text) for s in sentences)


def test_blank_scan_is_refused_with_a_reason(ocr_store):
    _, _, report = ocr_store
    refused = {path.rsplit("/", 1)[-1]: reason for path, reason in report.refused}
    assert "blank-scan.pdf" in refused
    assert "no text layer" in refused["blank-scan.pdf"] and "OCR found no text" in refused["blank-scan.pdf"]


def test_scanned_table_keeps_each_row_on_one_line(ocr_store):
    _, registry, report = ocr_store
    assert "scanned-table.pdf" in dict(report.ingested), report.refused
    text = registry.text_of("scanned-table.pdf")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    header = next(line for line in lines if TABLE_YEARS[0] in line)
    assert [y for y in TABLE_YEARS if y in header] == TABLE_YEARS
    assert header.index(TABLE_YEARS[0]) < header.index(TABLE_YEARS[1]) < header.index(TABLE_YEARS[2])
    for label, values in TABLE_ROWS:
        line = next((line for line in lines if _squash(label) in _squash(line)), None)
        assert line is not None, (label, lines)
        positions = [line.find(value) for value in values]
        assert all(p > 0 for p in positions) and positions == sorted(positions), (label, line)


def _word_boxes(pieces, words):
    """Boxes of the text-layer pieces that spell the given words one after another."""
    texts = [_squash(p.text) for p in pieces]
    for i in range(len(texts) - len(words) + 1):
        if texts[i : i + len(words)] == words:
            return [p.box for p in pieces[i : i + len(words)]]
    return []


@pytest.fixture(scope="module")
def report_page_6():
    """Page 6 of the original report as its text layer reads (read once: two tests look at it)."""
    from ingest.loaders import load_file

    return load_file(REPORT, 2000).pages[5]


def test_text_layer_pieces_are_words_with_top_left_boxes(report_page_6):
    page = report_page_6
    assert page.source == TEXT_LAYER and page.pieces
    assert all(0 <= b.x0 < b.x1 <= 1 and 0 <= b.y0 < b.y1 <= 1 for b in (p.box for p in page.pieces))
    boxes = _word_boxes(page.pieces, ["children", "in", "care", "receive"])
    assert boxes, [p.text for p in page.pieces[:40]]
    # One line, left to right, in the upper half of the page (origin top left: y grows down the page).
    assert all(a.x1 <= b.x0 for a, b in zip(boxes, boxes[1:], strict=False))
    assert max(b.y1 for b in boxes) < 0.5 and max(b.y0 for b in boxes) - min(b.y0 for b in boxes) < 0.01
    # The words follow the page's text in reading order.
    joined = _squash(" ".join(p.text for p in page.pieces))
    assert _squash(ON_PAGE_6) in joined


def test_ocr_sentence_boxes_lie_where_the_text_layer_has_the_words(ocr_store, report_page_6):
    _, registry, _ = ocr_store
    sentence = next(s for s in _sentences(registry, "scanned-report.pdf") if _squash(ON_PAGE_6) in _squash(s.text))
    assert sentence.boxes, "the OCR'd page's pieces located no box for the sentence"
    original = _word_boxes(report_page_6.pieces, ["children", "in", "care", "receive"])
    top = min(b.y0 for b in sentence.boxes)
    # The scan is turned by up to 1.5 degrees: a point moves by up to 2.5% of the page height.
    assert abs(top - original[0].y0) < 0.03, (sentence.boxes, original)
    assert abs(min(b.x0 for b in sentence.boxes) - original[0].x0) < 0.08  # "26." may lead the sentence


def test_two_column_scan_is_read_column_by_column(ocr_store):
    _, registry, report = ocr_store
    assert "scanned-columns.pdf" in dict(report.ingested), report.refused
    text = _squash(registry.text_of("scanned-columns.pdf"))
    order = [
        text.find(_squash(COLUMN_SENTENCE.format(side=side, n=n))) for side in ("Left", "Right") for n in (1, 10, 20)
    ]
    assert all(p >= 0 for p in order) and order == sorted(order), order


def test_progress_within_a_file_names_each_ocr_page_then_the_embedding(ocr_store):
    told = [stage for *_, name, stage in (t for t in STAGES if len(t) == 4) if name.endswith("scanned-report.pdf")]
    assert told[:2] == ["OCR page 1/2", "OCR page 2/2"], told
    assert told[-1].startswith("embedding ") and told[-1].endswith(" chunks"), told
