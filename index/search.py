"""Hybrid search: BM25 and dense similarity over the same chunks, fused, with metadata filters.

Fusion is a weighted sum of scores normalised per query (see `fuse`); reciprocal-rank fusion is
kept as an option because the evaluator compares both. The searcher notices a newer store
generation (another process ingested or deleted) and reloads the keyword index and registry view.
"""

from __future__ import annotations

import re
import threading
from collections import Counter

import numpy as np

from . import vectors
from .chunk_ids import doc_id_of
from .config import Settings
from .keyword import KeywordIndex, keyword_text
from .records import Chunk, Document, Filters, PageMap, Passage
from .registry import Registry
from .sentence_match import sentence_aware_scores
from .tuning import DENSE_CANDIDATES, EXPANSION_WEIGHT, KEYWORD_WEIGHT, RRF_K
from .vocabulary import Vocabulary, acronyms_in, glossary_in

WORD = re.compile(r"[A-Za-z]{2,}")


class Searcher:
    def __init__(
        self,
        settings: Settings,
        mode: str = "hybrid",
        fusion: str = "convex",
        keyword_weight: float = KEYWORD_WEIGHT,
        expand: bool = True,
        sentence_aware: bool = True,
    ):
        self.settings = settings
        self.mode = mode
        self.expand = expand
        self.fusion = fusion
        self.keyword_weight = keyword_weight
        self.sentence_aware = sentence_aware
        self.registry = Registry(settings.store)
        self.collection = vectors.open_for(settings, self.registry)
        self._embedder = None
        self._lock = threading.Lock()
        self._generation = -1
        self._load()

    # -- loading ---------------------------------------------------------------------------
    def _load(self) -> None:
        generation = self.registry.generation()
        keyword = KeywordIndex.load(self.settings.store / "bm25")
        if keyword is None or keyword.generation != generation:
            chunks = self.registry.chunks()
            keyword = KeywordIndex.build(
                [c.chunk_id for c in chunks], [keyword_text(c.section, c.text) for c in chunks], generation
            )
        self.keyword = keyword
        self.documents = {d.doc_id: d for d in self.registry.documents()}
        acronyms, self.word_counts = self._read_texts()  # word counts by document
        self.vocabulary = Vocabulary(acronyms)
        self._chunk_cache: dict[str, Chunk] = {}
        self._generation = generation

    def _read_texts(self) -> tuple[dict[str, str], dict[str, Counter[str]]]:
        """Every acronym the documents define, and how often each word occurs in each document (the
        vocabulary that question words are spelled against, per document so that a viewer's corrections
        only ever come from documents they may see)."""
        found: dict[str, str] = {}
        counts: dict[str, Counter[str]] = {}
        for doc_id in self.documents:
            text = self.registry.text_of(doc_id)
            for acronym, long_form in {**glossary_in(text), **acronyms_in(text)}.items():
                found.setdefault(acronym, long_form)
            counts[doc_id] = Counter(w.lower() for w in WORD.findall(text))
        return found, counts

    def words_of(self, docs) -> Counter[str]:
        """How often each word occurs in these documents."""
        total: Counter[str] = Counter()
        for doc_id in docs:
            total.update(self.word_counts.get(doc_id, {}))
        return total

    def refresh(self) -> None:
        with self._lock:
            if self.registry.generation() != self._generation:
                self._load()

    @property
    def embedder(self):
        if self._embedder is None:
            from .embed import Embedder

            self._embedder = Embedder(self.settings.model, self.settings.model_path(), self.settings.embed_batch_size)
        return self._embedder

    def warm_up(self) -> None:
        self.embedder.encode(["warm up"])

    # -- search ----------------------------------------------------------------------------
    def allowed_docs(self, filters: Filters | None) -> set[str] | None:
        if filters is None or not filters.active():
            return None
        return {d.doc_id for d in self.documents.values() if filters.admits(d)}

    def mentions(self, term: str, docs) -> bool:
        """Whether a chunk of one of these documents holds the term (as the keyword index reads it). Asked
        about the documents in a viewer's scope only, so it tells nothing about the others."""
        allowed = set(docs)
        return any(doc_id_of(cid) in allowed for cid in self.keyword.scores(term))

    def search(
        self, query: str, k: int = 5, filters: Filters | None = None, query_vector=None, mode: str | None = None
    ) -> list[Passage]:
        self.refresh()
        mode = mode or self.mode
        allowed_docs = self.allowed_docs(filters)
        if allowed_docs is not None and not allowed_docs:
            return []
        keyword = self._keyword(query, allowed_docs) if mode in ("hybrid", "bm25") else {}
        if mode in ("hybrid", "dense") and query_vector is None:
            query_vector = self.embed_query(query)
        dense = self._dense(query, allowed_docs, query_vector, keyword) if mode in ("hybrid", "dense") else {}
        fused = self.fuse(dense, keyword)
        ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:k]
        passages = self._passages(ranked, dense, keyword)
        if mode in ("hybrid", "dense"):
            self._at_matching_sentence(passages, query_vector)
        return passages

    def _at_matching_sentence(self, passages: list[Passage], query_vector) -> None:
        """A passage that runs over a page break is shown at the page of its sentence closest to the question:
        the page a reader must open to find what matched."""
        query = np.asarray(query_vector, dtype=np.float32)
        for passage in passages:
            if passage.page is None or passage.last_page in (None, passage.page):
                continue
            sentences = self.registry.sentences_in(passage.doc_id, passage.char_start, passage.char_end)
            sentences = [s for s in sentences if s.vector and s.page is not None]
            if not sentences:
                continue
            best = max(sentences, key=lambda s: float(np.dot(np.frombuffer(s.vector, dtype=np.float32), query)))
            if best.page != passage.page:
                passage.page = best.page
                passage.page_label = PageMap.of(self.registry.page_starts(passage.doc_id)).at(best.start)[1]

    def embed_query(self, query: str):
        return self.embedder.encode([self.vocabulary.spelled_out(query, self._passages_saying)])[0]

    def _passages_saying(self, term: str) -> int:
        """About how many passages say a term: those holding its rarest word."""
        return min((self.keyword.doc_freq(token) for token in KeywordIndex.tokens_of(term)), default=0)

    def _dense(
        self, query: str, allowed_docs: set[str] | None, vector=None, keyword: dict[str, float] | None = None
    ) -> dict[str, float]:
        vector = self.embed_query(query) if vector is None else vector
        where = {"doc_id": {"$in": sorted(allowed_docs)}} if allowed_docs is not None else None
        hits = vectors.query(self.collection, vector, DENSE_CANDIDATES, where)
        known = self.keyword.chunk_ids_set
        nearest = {cid: score for cid, score in hits.items() if cid in known}
        if not self.sentence_aware:
            return nearest
        keyword_hits = sorted(keyword or {}, key=lambda cid: -(keyword or {})[cid])
        return sentence_aware_scores(self.registry, self.collection, nearest, keyword_hits, vector)

    def _keyword(self, query: str, allowed_docs: set[str] | None) -> dict[str, float]:
        scores = self.keyword.scores(query)
        extra = self.vocabulary.expansions(query) if self.expand else []
        if extra:
            # Other wordings count, at half weight: the practitioner's own words come first.
            for cid, score in self.keyword.scores(" ".join(extra)).items():
                scores[cid] = scores.get(cid, 0.0) + EXPANSION_WEIGHT * score
        if allowed_docs is None:
            return scores
        return {cid: s for cid, s in scores.items() if doc_id_of(cid) in allowed_docs}

    def fuse(self, dense: dict[str, float], keyword: dict[str, float]) -> dict[str, float]:
        if not keyword:
            return dict(dense)
        if not dense:
            return dict(keyword)
        if self.fusion == "rrf":
            return _rrf(dense, keyword)
        return _convex(dense, keyword, self.keyword_weight)

    def _passages(self, ranked, dense, keyword) -> list[Passage]:
        chunks = {c.chunk_id: c for c in self.registry.chunks([cid for cid, _ in ranked])}
        out = []
        for rank, (cid, score) in enumerate(ranked, start=1):
            chunk = chunks.get(cid)
            if chunk is not None:
                passage = passage_of(chunk, self.documents.get(chunk.doc_id), score, rank)
                passage.dense_score, passage.keyword_score = dense.get(cid), keyword.get(cid)
                out.append(passage)
        return out

    def passages_for(self, chunk_ids: list[str], score: float) -> list[Passage]:
        """Passages for chosen chunks (neighbours of a hit), all with one score."""
        chunks = {c.chunk_id: c for c in self.registry.chunks(chunk_ids)}
        return [passage_of(chunks[c], self.documents.get(chunks[c].doc_id), score, 0) for c in chunk_ids if c in chunks]


def passage_of(chunk: Chunk, doc: Document | None, score: float, rank: int) -> Passage:
    return Passage(
        chunk_id=chunk.chunk_id,
        doc_id=chunk.doc_id,
        source=doc.source if doc else "",
        title=doc.title if doc else "",
        section=chunk.section,
        page=chunk.page,
        page_label=chunk.page_label,
        text=chunk.text,
        score=score,
        rank=rank,
        period=doc.period if doc else None,
        section_path=chunk.section_path,
        char_start=chunk.char_start,
        char_end=chunk.char_end,
        last_page=chunk.last_page,
    )


def _rrf(dense: dict[str, float], keyword: dict[str, float]) -> dict[str, float]:
    fused: dict[str, float] = {}
    for scores in (dense, keyword):
        for rank, cid in enumerate(sorted(scores, key=lambda c: -scores[c]), start=1):
            fused[cid] = fused.get(cid, 0.0) + 1.0 / (RRF_K + rank)
    return fused


def _convex(dense: dict[str, float], keyword: dict[str, float], weight: float) -> dict[str, float]:
    """Weighted sum of max-normalised BM25 and min-max-normalised cosine scores.

    BM25 scores are unbounded and vary by query, so they are divided by the best score; cosine
    scores sit in a narrow band, so they are stretched over the candidates. A chunk missing from one
    list scores zero there.
    """
    top_kw = max(keyword.values())
    lo, hi = min(dense.values()), max(dense.values())
    span = (hi - lo) or 1.0
    fused = {}
    for cid in set(dense) | set(keyword):
        kw = keyword.get(cid, 0.0) / top_kw
        dn = (dense[cid] - lo) / span if cid in dense else 0.0
        fused[cid] = weight * kw + (1 - weight) * dn
    return fused
