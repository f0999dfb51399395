"""Hybrid search (index.search): vocabulary and paraphrase, metadata filters."""

from __future__ import annotations

from helpers import MASH_QUESTION

from index.records import Filters


def test_hybrid_ranks_vocabulary_and_paraphrase(searcher):
    top = searcher.search("children looked after at year end", k=3)
    assert any("191" in p.text for p in top)
    budget = searcher.search("what was the board's budget", k=3)
    assert any("£178, 430" in p.text for p in budget)


def test_filters_limit_results(searcher):
    assert searcher.search(MASH_QUESTION, k=3, filters=Filters(period="2018-19"))
    assert searcher.search(MASH_QUESTION, k=3, filters=Filters(period="2021/22")) == []
    assert searcher.search(MASH_QUESTION, k=3, filters=Filters(doc="no-such-doc")) == []
    assert searcher.search(MASH_QUESTION, k=3, filters=Filters(kind="annual report"))
    assert searcher.search(MASH_QUESTION, k=3, filters=Filters(collection="other")) == []
    assert searcher.search(MASH_QUESTION, k=3, filters=Filters(body="Camden"))
