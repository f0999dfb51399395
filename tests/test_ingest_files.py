"""Generated PDFs and DOCX files: pages, labels, sections and figures survive; bad files are reported."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT, run_cli
from documents import (
    HEADER,
    RIVERSIDE_MD,
    long_table_text,
    write_corrupt_pdf,
    write_docx,
    write_encrypted_pdf,
    write_pdf,
)

from index import vectors
from index.keyword import KeywordIndex
from index.lock import write_lock
from index.registry import Registry
from ingest.config import Settings
from ingest.pipeline import ingest_paths
from ingest.tokens import token_counter


@pytest.fixture
def docs_dir(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    write_pdf(folder / "testshire-annual-report.pdf")
    write_docx(folder / "riverside-missing-protocol.docx")
    return folder


def _ingest(folder, store, **kw):
    return ingest_paths([folder], Settings.from_env(store=store), progress=False, **kw)


def _store_view(store):
    registry = Registry(store)
    try:
        return registry.chunks(), registry.figures(), {d.doc_id: d for d in registry.documents()}
    finally:
        registry.close()


def _chunk_with(chunks, words):
    return next(c for c in chunks if words in " ".join(c.text.split()))


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


def test_long_run_without_sentence_breaks_is_split_to_fit(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "tables.txt").write_text(long_table_text())
    store = tmp_path / "store"
    _ingest(folder, store)
    chunks, _, _ = _store_view(store)
    counter = token_counter(Settings().model_path())
    assert len(chunks) >= 4
    assert max(counter.count(c.embed_text) for c in chunks) <= 254
    joined = " ".join(c.text for c in chunks)
    assert "Ward 119 referrals 219" in joined and "Ward 0 referrals 100" in joined


def _consistent(store):
    """Registry, Chroma and BM25 hold exactly the same chunk ids."""
    settings = Settings.from_env(store=store)
    registry = Registry(store)
    ids = registry.chunk_ids()
    generation = registry.generation()
    registry.close()
    chroma_ids = vectors.all_ids(vectors.open_collection(store, None))
    keyword = KeywordIndex.load(settings.store / "bm25")
    assert chroma_ids == ids
    assert set(keyword.chunk_ids) == ids and keyword.generation == generation
    return ids


def test_reingest_unchanged_is_a_noop_without_heavy_imports(docs_dir, tmp_path):
    store = tmp_path / "store"
    _ingest(docs_dir, store)
    before = _consistent(store)
    code = (
        "import sys, json; from pathlib import Path; from ingest.config import Settings;"
        "from ingest.pipeline import ingest_paths;"
        f"r = ingest_paths([Path({str(docs_dir)!r})], Settings.from_env(store={str(store)!r}), progress=False);"
        "heavy = [m for m in ('torch', 'chromadb', 'llama_index', 'sentence_transformers') if m in sys.modules];"
        "print(json.dumps({'ingested': r.ingested, 'unchanged': r.unchanged, 'heavy': heavy}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    result = json.loads(out.stdout)
    assert result == {"ingested": [], "unchanged": sorted(result["unchanged"]), "heavy": []}
    assert len(result["unchanged"]) == 2
    assert _consistent(store) == before


def test_edited_file_replaces_its_chunks(docs_dir, tmp_path):
    store = tmp_path / "store"
    _ingest(docs_dir, store)
    old = _consistent(store)
    pdf = docs_dir / "testshire-annual-report.pdf"
    pages = [list(p) for p in __import__("documents").PDF_PAGES]
    pages[1][-1] = "The front door received 3,002 referrals in 2022/23 compared to 2,150 in 2021/22."
    write_pdf(pdf, pages)
    report = _ingest(docs_dir, store)
    assert [d for d, _ in report.ingested] == ["testshire-annual-report.pdf"]
    new = _consistent(store)
    chunks, figures, docs = _store_view(store)
    texts = " ".join(c.text for c in chunks)
    assert "3,002 referrals" in texts and "2,418" not in texts
    assert not any(f.as_written == "2,418" for f in figures)
    unchanged_doc = {c for c in old if c.startswith("riverside")}
    assert unchanged_doc <= new
    assert not {c for c in old if c.startswith("testshire")} & new
    assert len(docs) == 2


def test_bad_pdfs_are_reported_and_the_batch_goes_on(docs_dir, tmp_path):
    write_encrypted_pdf(docs_dir / "locked.pdf")
    write_corrupt_pdf(docs_dir / "broken.pdf")
    (docs_dir / "empty.txt").write_bytes(b"")
    store = tmp_path / "store"
    result = run_cli("ingest", str(docs_dir), "--json", store=store)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    refused = {r["file"].rsplit("/", 1)[-1]: r["reason"] for r in out["refused"]}
    assert "encrypted" in refused["locked.pdf"]
    assert "corrupt" in refused["broken.pdf"] or "no text" in refused["broken.pdf"]
    assert "empty" in refused["empty.txt"]
    assert {i["doc_id"] for i in out["ingested"]} == {"testshire-annual-report.pdf", "riverside-missing-protocol.docx"}
    for name in refused:
        assert f"refused {docs_dir / name}" in result.stderr


def test_every_file_refused_exits_2(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    write_encrypted_pdf(folder / "locked.pdf")
    result = run_cli("ingest", str(folder), store=tmp_path / "store")
    assert result.returncode == 2
    assert "locked.pdf" in result.stderr and "encrypted" in result.stderr


def test_second_writer_is_refused_with_exit_3(docs_dir, tmp_path):
    store = tmp_path / "store"
    _ingest(docs_dir, store)
    with write_lock(store):
        result = run_cli("ingest", str(docs_dir), store=store)
    assert result.returncode == 3
    assert "locked" in result.stderr
    _consistent(store)


def test_file_over_the_size_limit_is_refused_quickly(tmp_path, monkeypatch):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "big.txt").write_text("Large safeguarding text. " * 60000)
    (folder / "small.txt").write_text("1. Scope\nA short protocol about missing children.\n")
    monkeypatch.setenv("SAFEGUARD_MAX_FILE_MB", "1")
    report = ingest_paths([folder], Settings.from_env(store=tmp_path / "store"), progress=False)
    assert [d for d, _ in report.ingested] == ["small.txt"]
    ((name, reason),) = report.refused
    assert name.endswith("big.txt") and "limit of 1 MB" in reason


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


def test_two_page_pdf_loses_its_running_header_but_keeps_a_list_over_the_break(tmp_path):
    """Two pages give no majority to count: only a line at the same edge of both pages is furniture."""
    from ingest.parse import parse_file

    pages = [
        ["Riverton Safeguarding Partnership", "Seven minute briefing: neglect", "Cases reviewed 12", "Actions 4"],
        ["Actions 5", "Cases reviewed 13", "Practitioners should record the 3 visits in 2023.", "Contact the team."],
    ]
    pdf = write_pdf(tmp_path / "briefing.pdf", pages, header="Riverton SP - Briefing 2023")
    parsed = parse_file(pdf, "briefing.pdf", "briefing.pdf", "sha", "default", Settings.from_env(store=tmp_path / "s"))
    text = " ".join(parsed.text.split())
    assert "Riverton SP - Briefing" not in text
    assert parsed.document.title.startswith("Riverton Safeguarding Partnership")
    # Lines of the same shape at the foot of page 1 and the head of page 2 are content, not furniture.
    for line in ("Cases reviewed 12", "Actions 4", "Actions 5", "Cases reviewed 13"):
        assert line in text


def test_bold_body_size_headings_become_sections(tmp_path):
    """Ofsted letters head sections with bold lines at body size; a bold paragraph is not a heading."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from ingest.parse import parse_file

    lines = [
        ("Helvetica", "Dear Director, this letter sets out what inspectors found during the visit."),
        ("Helvetica-Bold", "Headline findings"),
        ("Helvetica", "Leaders know their services well and have improved the quality of plans."),
        ("Helvetica-Bold", "What needs to improve in this area of social work practice?"),
        ("Helvetica", "The quality of supervision so that every plan is reviewed on time."),
        ("Helvetica-Bold", "Inspectors asked that the partnership consider all"),
        ("Helvetica-Bold", "Referrals made out of hours in the review."),
        ("Helvetica", "Most children are seen quickly and 87 visits were made within five days."),
    ]
    # Body text fills the page, as in a letter: headings are a few lines among many.
    lines += [("Helvetica", f"Practice point {n}: plans were reviewed with families and partners.") for n in range(24)]
    path = tmp_path / "letter.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    y = A4[1] - 60
    for font, line in lines:
        pdf.setFont(font, 11)
        pdf.drawString(60, y, line)
        y -= 20
    pdf.save()
    parsed = parse_file(path, "letter.pdf", "letter.pdf", "sha", "default", Settings.from_env(store=tmp_path / "s"))
    sections = {c.section for c in parsed.chunks}
    assert "Headline findings" in sections
    assert "What needs to improve in this area of social work practice?" in sections
    assert not any(s.startswith(("Inspectors asked", "Referrals made")) for s in sections)
    supervision = _chunk_with(parsed.chunks, "quality of supervision")
    assert supervision.section == "What needs to improve in this area of social work practice?"
