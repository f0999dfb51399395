"""A passage that runs over a page break is shown at the page of the sentence that matched (real PDF, real
store, real model)."""

from __future__ import annotations

import shutil

import pytest
from helpers import EXTERNAL

from index.config import Settings
from index.registry import Registry
from index.search import Searcher
from ingest.pipeline import ingest_paths

pytestmark = pytest.mark.skipif(not EXTERNAL.is_dir(), reason="external safeguarding PDFs not available")

REPORT = "ofsted-manchester-ilacs-inspection-2025.pdf"


@pytest.fixture(scope="module")
def report_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("docs")
    shutil.copy(EXTERNAL / REPORT, folder / REPORT)
    settings = Settings.from_env(store=tmp_path_factory.mktemp("store"))
    ingest_paths([folder], settings, progress=False)
    return settings


def test_a_sentence_after_the_page_break_puts_its_passage_on_that_page(report_store):
    registry = Registry(report_store.store)
    try:
        spanning = [c for c in registry.chunks() if c.page and c.last_page and c.last_page > c.page]
        assert spanning, "the report has chunks running over a page break"
        chunk = spanning[0]
        sentences = registry.sentences_in(chunk.doc_id, chunk.char_start, chunk.char_end)
        later = max((s for s in sentences if s.page == chunk.last_page), key=lambda s: len(s.text))
    finally:
        registry.close()
    passages = Searcher(report_store).search(later.text, k=3)
    top = next(p for p in passages if p.chunk_id == chunk.chunk_id)
    assert top.page == chunk.last_page
    # Searching for a sentence before the break keeps the passage on its first page.
    earlier = [s for s in sentences if s.page == chunk.page and len(s.text) > 60]
    if earlier:
        passages = Searcher(report_store).search(earlier[0].text, k=3)
        same = [p for p in passages if p.chunk_id == chunk.chunk_id]
        assert not same or same[0].page == chunk.page
