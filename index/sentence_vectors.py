"""A document's chunk and sentence vectors: the model reads each chunk once and each sentence at most once.

Two ways to make a sentence's vector, both here and measured side by side by bench/sentence_vectors.py:

- "direct": each distinct sentence text embedded on its own, all of a document's in batches;
- "pooled": the mean of the sentence's own token vectors in the forward pass of a chunk that holds it whole
  (no second pass; a sentence no chunk pass can give, cut off by the model's window or not found in its
  chunk's text, is embedded on its own).

Pooled ingest took about a third to half the time, but on the dev splits it lost retrieval (hit@1 on the
bundled blind set 0.886 -> 0.873, on the PDF sets 0.686 -> 0.629 and 0.524 -> 0.500) and some citation
precision, so stored documents use "direct" (`METHOD`). This module and index/embed.py are part of the
index fingerprint (ingest/version.py): changing the method re-embeds stored documents.

Vectors are stored once: chunk vectors in the embedding cache (keyed by text, so an edited document pays only
for chunks whose text changed) and in Chroma; sentence vectors in the registry's sentences table only. A
sentence keeps the vector its document's stored version has (same index version) when its text is
unchanged ("direct"), or when the chunk it is read from is unchanged ("pooled").
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .embed import DIMENSIONS, Embedder, Span, cache_key
from .records import Chunk, Sentence
from .registry import Registry

POOLED = "pooled"
DIRECT = "direct"
METHOD = DIRECT  # how stored documents' sentence vectors are made (see above)


@dataclasses.dataclass
class Owner:
    """The chunk whose pass gives a sentence its vector, and where the sentence lies in its embedded text."""

    chunk: int
    span: Span


def owners(chunks: list[Chunk], sentences: list[Sentence]) -> list[Owner | None]:
    """For each sentence (in document order) the first chunk holding it whole, with its span in that chunk's
    embedded text; None when no chunk's text shows it."""
    order = sorted(range(len(chunks)), key=lambda i: (chunks[i].char_start, chunks[i].char_end))
    cursor: dict[int, int] = {}  # per chunk: where the next sentence is looked for in its text
    found: list[Owner | None] = []
    p = 0
    for sentence in sentences:
        while p < len(order) and chunks[order[p]].char_end < sentence.end:
            p += 1
        owner = None
        for i in order[p : p + 4]:  # overlapping chunks: a sentence lies in at most a few
            chunk = chunks[i]
            if not (chunk.char_start <= sentence.start and sentence.end <= chunk.char_end):
                continue
            at = chunk.text.find(sentence.text, cursor.get(i, 0))
            if at < 0:
                at = chunk.text.find(sentence.text)
            if at >= 0:
                cursor[i] = at + len(sentence.text)
                lead = len(chunk.embed_text) - len(chunk.text)  # the section heading before the text
                owner = Owner(i, (lead + at, lead + at + len(sentence.text)))
                break
        found.append(owner)
    return found


def embed_document(
    chunks: list[Chunk],
    sentences: list[Sentence],
    embedder: Embedder,
    registry: Registry,
    previous: dict[str, bytes] | None = None,
    method: str | None = None,
    progress: bool = False,
) -> tuple[np.ndarray, list[Sentence]]:
    """Chunk vectors (one row per chunk) and the sentences with their vectors. previous: sentence text ->
    vector of the document's stored version (same index version), reused for chunks whose text is cached."""
    previous = previous or {}
    method = method or METHOD
    keys = [cache_key(embedder.model_name, c.embed_text) for c in chunks]
    cached = registry.cached_vectors(keys)
    matrix = np.zeros((len(chunks), DIMENSIONS), dtype=np.float32)
    for i, key in enumerate(keys):
        if key in cached:
            matrix[i] = np.frombuffer(cached[key], dtype=np.float32)
    vectors: list[np.ndarray | bytes | None] = [None] * len(sentences)
    if method == POOLED:
        owned = owners(chunks, sentences)
        # A chunk is run through the model when its vector is not cached, or a sentence it owns has no vector
        # to reuse; every sentence of a chunk that runs takes its vector from that run.
        run = {i for i, key in enumerate(keys) if key not in cached}
        for n, owner in enumerate(owned):
            if owner is not None and sentences[n].text not in previous:
                run.add(owner.chunk)
        run_list = sorted(run)
        spans: dict[int, list[int]] = {i: [] for i in run_list}
        for n, owner in enumerate(owned):
            if owner is not None and owner.chunk in spans:
                spans[owner.chunk].append(n)
        fresh, pooled = embedder.encode_with_spans(
            [chunks[i].embed_text for i in run_list],
            [[owned[n].span for n in spans[i]] for i in run_list],
            progress=progress,
        )
        for row, i in enumerate(run_list):
            matrix[i] = fresh[row]
            for n, vector in zip(spans[i], pooled[row], strict=True):
                vectors[n] = vector
        registry.cache_vectors(
            {keys[i]: fresh[row].tobytes() for row, i in enumerate(run_list) if keys[i] not in cached}
        )
    else:
        missing = [i for i, key in enumerate(keys) if key not in cached]
        fresh = embedder.encode([chunks[i].embed_text for i in missing], progress=progress)
        for row, i in enumerate(missing):
            matrix[i] = fresh[row]
        registry.cache_vectors({keys[i]: fresh[row].tobytes() for row, i in enumerate(missing)})
    for n, sentence in enumerate(sentences):
        if vectors[n] is None and sentence.text in previous:
            vectors[n] = previous[sentence.text]
    # Whatever no chunk pass gave: embedded on its own, all in one batch (each distinct text once).
    alone = sorted({s.text for n, s in enumerate(sentences) if vectors[n] is None})
    if alone:
        direct = dict(zip(alone, embedder.encode(alone, progress=progress), strict=True))
        vectors = [v if v is not None else direct[s.text] for s, v in zip(sentences, vectors, strict=True)]
    out = [
        dataclasses.replace(s, vector=v if isinstance(v, bytes) else np.asarray(v, dtype=np.float32).tobytes())
        for s, v in zip(sentences, vectors, strict=True)
    ]
    return matrix, out
