"""A document's chunk and sentence vectors: the model reads each chunk at most once and each sentence at most once.

Three ways, all here and measured side by side by bench/sentence_vectors.py:

- "direct": each distinct sentence text embedded on its own, all of a document's in batches;
- "pooled": the mean of the sentence's own token vectors in the forward pass of a chunk that holds it whole
  (no second pass; a sentence no chunk pass can give, cut off by the model's window or not found in its
  chunk's text, is embedded on its own);
- "composed": sentences embedded on their own as in "direct", plus each distinct section heading chunks are
  prefixed with; a chunk's vector is then made without a model pass over the chunk: the unit-length mean of
  the vectors of the sentences lying inside it and of its heading, each weighted by its word-piece count (the
  model's own pooling weighs every word piece alike). Of the weightings tried (plain mean, word pieces, their
  square root; with and without the heading) this one came nearest the chunk's own embedding (mean cosine
  about 0.89). A chunk holding no sentence is embedded itself. The model reads the text about once instead of
  about twice (chunk pass plus sentence pass).

Pooled ingest took about a third to half the time, but on the dev splits it lost retrieval (hit@1 on the
bundled blind set 0.886 -> 0.873, on the PDF sets 0.686 -> 0.629 and 0.524 -> 0.500) and some citation
precision, so stored documents use "direct" (`METHOD`). Composed ingest read half the word pieces (the PDF
sets' 7 documents: 151,685 -> 74,981) and took half the time; hit@1 on the dev splits went 0.897 -> 0.882
(bundled), 0.861 -> 0.873 (bundled blind), 0.686 -> 0.629 (PDF), 0.536 -> 0.548 (PDF blind).

This module and index/embed.py are part of the index fingerprint (ingest/version.py): changing the method
re-embeds stored documents.

Vectors are stored once: chunk vectors in the embedding cache (keyed by text, so an edited document pays only
for chunks whose text changed) and in Chroma; sentence vectors in the registry's sentences table only. A
sentence keeps the vector its document's stored version has (same index version) when its text is
unchanged ("direct", "composed"), or when the chunk it is read from is unchanged ("pooled"). A composed chunk
vector is cached like an embedded one, so an unchanged chunk is not composed again.
"""

from __future__ import annotations

import bisect
import dataclasses

import numpy as np

from .embed import DIMENSIONS, MODEL_LOCK, Embedder, Span, cache_key
from .records import Chunk, Sentence
from .registry import Registry

POOLED = "pooled"
DIRECT = "direct"
COMPOSED = "composed"
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


def heading_of(chunk: Chunk) -> str:
    """The section heading a chunk's embedded text starts with ("" when none)."""
    lead = len(chunk.embed_text) - len(chunk.text)
    return chunk.embed_text[:lead].strip() if lead > 0 else ""


def members(chunks: list[Chunk], sentences: list[Sentence]) -> list[list[int]]:
    """For each chunk the sentences (indices into sentences) whose span lies inside the chunk's span."""
    order = sorted(range(len(sentences)), key=lambda n: sentences[n].start)
    starts = [sentences[n].start for n in order]
    found = []
    for chunk in chunks:
        inside = []
        for n in order[bisect.bisect_left(starts, chunk.char_start) :]:
            if sentences[n].start >= chunk.char_end:
                break
            if sentences[n].end <= chunk.char_end:
                inside.append(n)
        found.append(inside)
    return found


def word_pieces(embedder: Embedder, texts: list[str]) -> list[int]:
    """How many word pieces the model reads of each text (without its start and end markers)."""
    if not texts:
        return []
    with MODEL_LOCK:  # the fast tokenizer is not safe to share between threads
        return embedder.model.word_pieces(texts)


def compose(vectors: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The weighted mean of unit vectors, made unit length again (a chunk's vector from its parts')."""
    mean = (weights[:, None] * vectors).sum(axis=0)
    norm = float(np.linalg.norm(mean))
    return (mean / norm).astype(np.float32) if norm else mean.astype(np.float32)


def _composed(
    chunks: list[Chunk],
    sentences: list[Sentence],
    keys: list[str],
    cached: dict[str, bytes],
    matrix: np.ndarray,
    embedder: Embedder,
    registry: Registry,
    previous: dict[str, bytes],
    progress: bool,
) -> list[np.ndarray | bytes]:
    """Fills matrix rows of chunks not cached from their sentences' and heading's vectors (see above) and
    returns every sentence's vector; one model call for the sentences, headings and chunks without sentences."""
    inside = members(chunks, sentences)
    missing = [i for i, key in enumerate(keys) if key not in cached]
    alone = {i for i in missing if not inside[i]}  # no sentence to compose from: the chunk is embedded itself
    headings = {heading_of(chunks[i]) for i in missing if i not in alone} - {""}
    texts = {s.text for s in sentences if s.text not in previous} | headings
    texts |= {chunks[i].embed_text for i in alone}
    ordered = sorted(texts)
    fresh = dict(zip(ordered, embedder.encode(ordered, progress=progress), strict=True))

    def vector(text: str) -> np.ndarray:
        got = fresh.get(text)
        return got if got is not None else np.frombuffer(previous[text], dtype=np.float32)

    composed = [i for i in missing if i not in alone]
    parts = {text for i in composed for text in [sentences[n].text for n in inside[i]] + [heading_of(chunks[i])]}
    parts.discard("")
    parts_list = sorted(parts)
    weight = dict(zip(parts_list, word_pieces(embedder, parts_list), strict=True))
    for i in missing:
        if i in alone:
            matrix[i] = fresh[chunks[i].embed_text]
            continue
        own = [sentences[n].text for n in inside[i]]
        heading = heading_of(chunks[i])
        if heading:
            own.append(heading)
        matrix[i] = compose(np.stack([vector(t) for t in own]), np.array([max(weight[t], 1) for t in own], float))
    registry.cache_vectors({keys[i]: matrix[i].tobytes() for i in missing})
    return [vector(s.text) for s in sentences]


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
    if method == COMPOSED:
        vectors = list(_composed(chunks, sentences, keys, cached, matrix, embedder, registry, previous, progress))
    elif method == POOLED:
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
