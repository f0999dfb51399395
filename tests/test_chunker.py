"""Chunks (ingest.chunker) fit the embedding model's window, on the bundled report and on text without breaks."""

from __future__ import annotations

from documents import long_table_text
from helpers import ingest_folder as _ingest
from helpers import store_contents as _chunks
from helpers import store_view as _store_view

from index.config import Settings
from index.tokens import token_counter


def test_every_embedded_text_fits_the_model_window(bundled_store):
    counter = token_counter(Settings().model_path())
    chunks, _, _ = _chunks(bundled_store)
    lengths = [counter.count(c.embed_text) for c in chunks]
    assert len(chunks) > 100
    assert max(lengths) <= 254
    # The embedded text is the section heading plus exactly the stored chunk text.
    assert all(c.embed_text.endswith(c.text) for c in chunks)


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
