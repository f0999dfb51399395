"""Loaders (ingest.loaders) through the pipeline: PDF pages and labels, DOCX tables, Markdown and HTML headings."""

from __future__ import annotations

from documents import HEADER, RIVERSIDE_MD
from helpers import chunk_with as _chunk_with
from helpers import ingest_folder as _ingest
from helpers import store_view as _store_view


def test_pdf_pages_labels_sections_and_figures(docs_dir, tmp_path):
    store = tmp_path / "store"
    report = _ingest(docs_dir, store)
    assert {d for d, _ in report.ingested} == {"testshire-annual-report.pdf", "riverside-missing-protocol.docx"}
    chunks, figures, docs = _store_view(store)
    pdf_chunks = [c for c in chunks if c.doc_id == "testshire-annual-report.pdf"]
    # The running header and the page-number footer are gone from every chunk.
    assert not any(HEADER in c.text for c in pdf_chunks)
    assert not any(line.strip() in {"1", "2", "3", "4"} for c in pdf_chunks for line in c.text.split("\n"))
    referrals = _chunk_with(pdf_chunks, "received 2,418 referrals")
    assert referrals.section == "2.1 Referrals"
    assert referrals.section_path == "2 Front door > 2.1 Referrals"
    assert referrals.page == 2 and referrals.page_label == "1"
    training = _chunk_with(pdf_chunks, "reached 1,126 practitioners")
    assert training.page == 4 and training.page_label == "3" and training.section == "3.1 Training"
    early = _chunk_with(pdf_chunks, "rose to 734 households")
    assert early.page == 3 and early.section == "2.2 Early help"

    by_written = {f.as_written: f for f in figures}
    assert by_written["2,418"].page == 2 and by_written["2,418"].period == "2022/23"
    assert by_written["2,150"].period == "2021/22"
    assert by_written["£212, 640"].value == 212640 and by_written["£212, 640"].unit == "GBP"
    assert by_written["£212, 640"].page == 3
    assert by_written["91%"].unit == "%" and by_written["91%"].page == 4
    assert by_written["45 days"].unit == "days"

    doc = docs["testshire-annual-report.pdf"]
    assert doc.pages == 4 and doc.period == "2022/23" and doc.kind == "annual report"
    assert doc.body == "Testshire Safeguarding Children Partnership"


def test_docx_sections_and_table_rows(docs_dir, tmp_path):
    store = tmp_path / "store"
    _ingest(docs_dir, store)
    chunks, figures, docs = _store_view(store)
    docx_chunks = [c for c in chunks if c.doc_id == "riverside-missing-protocol.docx"]
    assert _chunk_with(docx_chunks, "within 2 hours").section == "2 Reporting"
    assert all(c.page is None for c in docx_chunks)
    row = next(f for f in figures if f.as_written == "48, 200")
    assert row.label == "Return interviews" and row.value == 48200
    assert docs["riverside-missing-protocol.docx"].kind == "protocol"


RIVERSIDE_HTML = """<html><head><title>Riverside missing protocol</title></head><body>
<h1>Riverside missing protocol</h1>
<h2>Reporting a missing child</h2><p>Carers report a missing child to the police within 2 hours of noticing.</p>
<h2>Return interviews</h2><p>An independent worker offers a return interview within 72 hours.</p>
</body></html>"""


def test_markdown_and_html_headings_are_sections(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "riverside-inspection-2025.md").write_text(RIVERSIDE_MD, encoding="utf-8")
    (folder / "riverside-missing-protocol.html").write_text(RIVERSIDE_HTML, encoding="utf-8")
    store = tmp_path / "store"
    _ingest(folder, store)
    chunks, _, docs = _store_view(store)
    assert docs["riverside-inspection-2025.md"].title == "Riverside children's services inspection 2025"
    assert _chunk_with(chunks, "family hubs").section == "Early help"
    assert _chunk_with(chunks, "front-line staff").section == "Leadership"
    assert not any("#" in c.text for c in chunks)
    assert _chunk_with(chunks, "within 72 hours").section == "Return interviews"
    assert _chunk_with(chunks, "within 2 hours").section == "Reporting a missing child"
