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


def test_one_searcher_answers_from_many_threads_as_from_one(searcher):
    """A server answers several questions at once through one searcher (and its registry): the results are
    the same as one at a time."""
    from concurrent.futures import ThreadPoolExecutor

    queries = [MASH_QUESTION, "children looked after at year end", "what was the board's budget"] * 4
    alone = [[p.chunk_id for p in searcher.search(q, k=5)] for q in queries]
    with ThreadPoolExecutor(max_workers=6) as pool:
        together = list(pool.map(lambda q: [p.chunk_id for p in searcher.search(q, k=5)], queries))
    assert together == alone
