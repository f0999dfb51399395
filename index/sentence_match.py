"""Dense similarity of a chunk as the mean of the whole chunk's and its best sentence's cosine.

A 254-piece chunk embedded whole blurs the one sentence a question is about into its neighbours;
the sentence vectors computed at ingest (for answers) keep it sharp. Averaging the two keeps the
chunk's topic and rewards the chunk that holds the matching sentence. Measured on the dev splits of
both question sets (bench/fusion_sweep.py) before it replaced chunk-only cosine.
"""

from __future__ import annotations

import numpy as np

from . import vectors
from .registry import Registry
from .tuning import KEYWORD_CANDIDATES


def best_sentence_similarity(registry: Registry, chunk_ids: list[str], query_vector) -> dict[str, float]:
    """Highest cosine between the query and any sentence inside each chunk (vectors are unit length)."""
    found: dict[str, float] = {}
    query = np.asarray(query_vector, dtype=np.float32)
    for chunk_id, blob in registry.sentence_vectors_of_chunks(chunk_ids):
        score = float(np.dot(np.frombuffer(blob, dtype=np.float32), query))
        if score > found.get(chunk_id, -1.0):
            found[chunk_id] = score
    return found


def chunk_similarity(collection, chunk_ids: list[str], query_vector) -> dict[str, float]:
    """Cosine of the query with chunks that the nearest-neighbour query did not return."""
    query = np.asarray(query_vector, dtype=np.float32)
    out = {}
    for cid, vector in vectors.embeddings_of(collection, chunk_ids).items():
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
