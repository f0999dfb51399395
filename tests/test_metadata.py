"""Document metadata guessed from text and file name (ingest.metadata), on the bundled report."""

from __future__ import annotations

from helpers import store_contents as _chunks


def test_text_documents_have_no_page_and_metadata_is_guessed(bundled_store):
    chunks, _, docs = _chunks(bundled_store)
    assert all(c.page is None for c in chunks)
    (doc,) = docs
    assert doc.period == "2018/19"
    assert doc.kind == "annual report"
    assert "Camden Safeguarding Children Board" in doc.body
    assert doc.content_sha256 and doc.collection == "default"
