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


def _sentence_rows(store) -> dict[tuple[str, str], bytes]:
    from index.registry import Registry

    registry = Registry(store)
    try:
        rows = registry.db.execute("SELECT doc_id, text, vector FROM sentences").fetchall()
        cached = {key for (key,) in registry.db.execute("SELECT key FROM embed_cache")}
        chunk_texts = [text for (text,) in registry.db.execute("SELECT embed_text FROM chunks")]
    finally:
        registry.close()
    return {(d, t): v for d, t, v in rows}, cached, chunk_texts


def test_sentence_vectors_are_stored_once_and_mean_their_sentence(docs_dir, tmp_path):
    import numpy as np

    from index.config import Settings
    from index.embed import Embedder, cache_key
    from index.registry import Registry
    from index.sentence_vectors import POOLED, embed_document

    store = tmp_path / "store"
    _ingest(docs_dir, store)
    sentences, cached, chunk_texts = _sentence_rows(store)
    settings = Settings.from_env(store=store)
    # Stored once: the embedding cache holds the chunks' vectors only, the sentences table the sentences'.
    assert cached == {cache_key(settings.model, t) for t in chunk_texts}
    vectors = np.stack([np.frombuffer(v, dtype=np.float32) for v in sentences.values()])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    embedder = Embedder(settings.model, settings.model_path())
    texts = [t for _, t in sentences]
    alone = embedder.encode(texts)
    # The other way (measured against this one by bench/sentence_vectors.py): read from the chunks' own pass,
    # a sentence's vector is still nearest (nearly always) to its own embedding among all the sentences'.
    registry = Registry(store)
    try:
        doc = "riverside-missing-protocol.docx"
        chunks = [c for c in registry.chunks() if c.doc_id == doc]
        own = registry.sentences_in(doc, 0, 10**9)
        (tmp_path / "scratch").mkdir()
        scratch = Registry(tmp_path / "scratch")  # an empty embedding cache: every chunk is run
        matrix, pooled = embed_document(chunks, own, embedder, scratch, method=POOLED)
        scratch.close()
    finally:
        registry.close()
    assert np.allclose(matrix, embedder.encode([c.embed_text for c in chunks]), atol=1e-5)
    mine = np.stack([np.frombuffer(x.vector, dtype=np.float32) for x in pooled])
    nearest = (mine @ embedder.encode([x.text for x in own]).T).argmax(axis=1)
    assert (nearest == np.arange(len(own))).mean() >= 0.9
    # The stored ones are each sentence's own embedding.
    assert (np.einsum("ij,ij->i", vectors, alone) > 0.999).all()


def test_an_edited_file_keeps_the_sentence_vectors_of_unchanged_chunks(docs_dir, tmp_path):
    """A sentence lying only in chunks whose text did not change keeps its stored vector (no model pass for
    those chunks); the edited sentence gets a vector of its own."""
    store = tmp_path / "store"
    _ingest(docs_dir, store)
    before, _, old_chunks = _sentence_rows(store)
    pdf = docs_dir / "testshire-annual-report.pdf"
    pages = [list(p) for p in __import__("documents").PDF_PAGES]
    pages[1][-1] = "The front door received 3,002 referrals in 2022/23 compared to 2,150 in 2021/22."
    write_pdf(pdf, pages)
    _ingest(docs_dir, store)
    after, _, new_chunks = _sentence_rows(store)
    changed = [t for t in new_chunks if t not in set(old_chunks)]
    assert changed
    kept = [k for k in after if k in before and k[0] == pdf.name and not any(k[1] in t for t in changed)]
    assert kept and all(after[key] == before[key] for key in kept)
    assert any(key not in before for key in after)
