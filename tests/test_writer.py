"""The one write path (index.writer, index.lock): an edited file replaces its chunks; a second writer is refused."""

from __future__ import annotations

from documents import write_pdf
from helpers import consistent_ids as _consistent
from helpers import ingest_folder as _ingest
from helpers import run_cli
from helpers import store_view as _store_view

from index.lock import write_lock


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


def test_second_writer_is_refused_with_exit_3(docs_dir, tmp_path):
    store = tmp_path / "store"
    _ingest(docs_dir, store)
    with write_lock(store):
        result = run_cli("ingest", str(docs_dir), store=store)
    assert result.returncode == 3
    assert "locked" in result.stderr
    _consistent(store)
