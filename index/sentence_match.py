"""Dense similarity of a chunk as the mean of the whole chunk's and its best sentence's cosine.

A 254-piece chunk embedded whole blurs the one sentence a question is about into its neighbours;
the sentence vectors computed at ingest (for answers) keep it sharp. Averaging the two keeps the
chunk's topic and rewards the chunk that holds the matching sentence. Measured on the dev splits of
both question sets (bench/fusion_sweep.py) before it replaced chunk-only cosine.
"""

from __future__ import annotations

import numpy as np

from .registry import Registry

KEYWORD_CANDIDATES = 50  # keyword hits also get a dense score, so fusion can weigh both for them


def best_sentence_similarity(registry: Registry, chunk_ids: list[str], query_vector) -> dict[str, float]:
    """Highest cosine between the query and any sentence inside each chunk (vectors are unit length)."""
    found: dict[str, float] = {}
    query = np.asarray(query_vector, dtype=np.float32)
    for i in range(0, len(chunk_ids), 500):
        part = chunk_ids[i : i + 500]
        marks = ",".join("?" * len(part))
        rows = registry.db.execute(
            "SELECT c.chunk_id, s.vector FROM chunks c JOIN sentences s ON s.doc_id = c.doc_id"
            " AND s.start >= c.char_start AND s.start < c.char_end AND s.end <= c.char_end"
            f" WHERE c.chunk_id IN ({marks})",
            part,
        )
        for chunk_id, blob in rows:
            score = float(np.dot(np.frombuffer(blob, dtype=np.float32), query))
            if score > found.get(chunk_id, -1.0):
                found[chunk_id] = score
    return found


def chunk_similarity(collection, chunk_ids: list[str], query_vector) -> dict[str, float]:
    """Cosine of the query with chunks that the nearest-neighbour query did not return."""
    if not chunk_ids:
        return {}
    got = collection.get(ids=chunk_ids, include=["embeddings"])
    query = np.asarray(query_vector, dtype=np.float32)
    out = {}
    for cid, vector in zip(got["ids"], got["embeddings"], strict=True):
        v = np.asarray(vector, dtype=np.float32)
        out[cid] = float(np.dot(v, query) / ((np.linalg.norm(v) * np.linalg.norm(query)) or 1.0))
    return out


def sentence_aware_scores(
    registry: Registry, collection, nearest: dict[str, float], keyword_hits: list[str], query_vector
) -> dict[str, float]:
    """Mean of chunk cosine and best-sentence cosine for the nearest chunks and the top keyword hits."""
    extra = [cid for cid in keyword_hits[:KEYWORD_CANDIDATES] if cid not in nearest]
    chunk_scores = {**nearest, **chunk_similarity(collection, extra, query_vector)}
    sentence_scores = best_sentence_similarity(registry, list(chunk_scores), query_vector)
    return {cid: 0.5 * (score + sentence_scores.get(cid, score)) for cid, score in chunk_scores.items()}
