"""Chunk vectors composed from their sentences' vectors (index/sentence_vectors.py, method "composed"): what a
store holds when the model never reads a chunk whole."""

from __future__ import annotations

import numpy as np
import pytest
from documents import PDF_PAGES, write_pdf
from helpers import ingest_folder


@pytest.fixture
def composed(monkeypatch):
    """Stored documents' vectors made the "composed" way for this test only."""
    from index import sentence_vectors

    monkeypatch.setattr(sentence_vectors, "METHOD", sentence_vectors.COMPOSED)


def _stored(store):
    """Chunks, their vectors in Chroma and in the embedding cache, and the sentences inside each chunk."""
    from index import vectors
    from index.config import Settings
    from index.embed import cache_key
    from index.registry import Registry

    settings = Settings.from_env(store=store)
    registry = Registry(store)
    try:
        chunks = registry.chunks()
        in_chroma = vectors.embeddings_of(vectors.open_collection(store, None), [c.chunk_id for c in chunks])
        cached = registry.cached_vectors([cache_key(settings.model, c.embed_text) for c in chunks])
        inside = {c.chunk_id: registry.sentences_in(c.doc_id, c.char_start, c.char_end) for c in chunks}
    finally:
        registry.close()
    chunk_vectors = {c.chunk_id: np.asarray(in_chroma[c.chunk_id], dtype=np.float32) for c in chunks}
    cache = {c.chunk_id: np.frombuffer(cached[cache_key(settings.model, c.embed_text)], np.float32) for c in chunks}
    return settings, chunks, chunk_vectors, cache, inside


def test_a_chunk_vector_is_the_mean_of_its_sentences_and_heading(composed, docs_dir, tmp_path):
    from index.embed import Embedder
    from index.search import Searcher

    store = tmp_path / "store"
    report = ingest_folder(docs_dir, store)
    assert sorted(d for d, _ in report.ingested) == ["riverside-missing-protocol.docx", "testshire-annual-report.pdf"]
    settings, chunks, chunk_vectors, cache, inside = _stored(store)
    embedder = Embedder(settings.model, settings.model_path())
    own = embedder.encode([c.embed_text for c in chunks])  # what the model makes of each whole chunk
    assert any(len(inside[c.chunk_id]) > 1 for c in chunks)  # some chunk's vector is a mean of several
    for row, chunk in enumerate(chunks):
        vector = chunk_vectors[chunk.chunk_id]
        assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-4
        assert np.allclose(cache[chunk.chunk_id], vector, atol=1e-6)  # one vector, in the cache and in Chroma
        sentences = inside[chunk.chunk_id]
        assert sentences, chunk.chunk_id
        texts = [s.text for s in sentences]
        parts = [np.frombuffer(s.vector, dtype=np.float32) for s in sentences]
        heading = chunk.embed_text[: len(chunk.embed_text) - len(chunk.text)].strip()
        if heading:
            texts.append(heading)
            parts.append(embedder.encode([heading])[0])
        # Each part weighs as many word pieces as the model reads of it.
        weights = np.array(embedder.model.word_pieces(texts), float)
        mean = (weights[:, None] * np.stack(parts)).sum(axis=0)
        assert np.allclose(vector, mean / np.linalg.norm(mean), atol=1e-5), chunk.chunk_id
        assert float(vector @ own[row]) > 0.7  # near what a pass over the whole chunk would give
    searcher = Searcher(settings, mode="dense")
    try:
        top = searcher.search("How many practitioners did the training programme reach?", k=1)
        assert "1,126 practitioners" in top[0].text
        top = searcher.search("early help assessments completed on time", k=1)
        assert "38% of early help assessments" in top[0].text
    finally:
        searcher.registry.close()


def test_an_edited_file_keeps_the_vectors_of_unchanged_chunks(composed, docs_dir, tmp_path):
    """A chunk whose text did not change keeps its vector (read from the cache); the edited chunk's is made
    from its new sentence."""
    store = tmp_path / "store"
    ingest_folder(docs_dir, store)
    _, _, before, _, _ = _stored(store)
    pages = [list(p) for p in PDF_PAGES]
    pages[1][-1] = "The front door received 3,002 referrals in 2022/23 compared to 2,150 in 2021/22."
    write_pdf(docs_dir / "testshire-annual-report.pdf", pages)
    report = ingest_folder(docs_dir, store)
    assert [d for d, _ in report.ingested] == ["testshire-annual-report.pdf"]
    _, chunks, after, _, inside = _stored(store)
    old = {tuple(v.round(6)) for v in before.values()}
    for chunk in chunks:
        unchanged = "3,002" not in chunk.text
        assert (tuple(after[chunk.chunk_id].round(6)) in old) == unchanged, chunk.chunk_id
    edited = next(c for c in chunks if "3,002" in c.text)
    assert any("3,002" in s.text for s in inside[edited.chunk_id])
