"""Write parsed documents into the store in a crash-safe order.

Order matters: vectors go into Chroma under ids that carry the content version, then the registry
commits the document in one transaction, then the old version's vectors are removed. A crash at any
point leaves either the old or the new document visible, and `reconcile` sweeps orphan vectors.
"""

from __future__ import annotations

import sys

from index import vectors
from index.keyword import KeywordIndex, keyword_text
from index.originals import keep_original, remove_derived
from index.registry import Registry

from .config import Settings
from .embed import Embedder, cache_key
from .parse import parse_file
from .pipeline import SourceFile


class StoreWriter:
    def __init__(self, settings: Settings, registry: Registry):
        self.settings = settings
        self.registry = registry
        self.collection = vectors.open_collection(settings.store, settings.chroma_url)
        self.embedder = Embedder(settings.model, settings.model_path(), settings.embed_batch_size)

    def reconcile(self) -> None:
        """Remove vectors that no committed chunk owns (left by a crash between Chroma and SQLite)."""
        known = self.registry.chunk_ids()
        orphans = sorted(vectors.all_ids(self.collection) - known)
        if orphans:
            vectors.delete_ids(self.collection, orphans)

    def write_file(self, source: SourceFile, sha: str, collection: str) -> int:
        parsed = parse_file(source.path, source.doc_id, source.source, sha, collection, self.settings)
        doc = parsed.document
        texts = [c.embed_text for c in parsed.chunks]
        show = len(texts) > 64 and sys.stderr.isatty()
        matrix = self.embedder.encode_cached(texts, self.registry, progress=show)
        # Sentence vectors let answers pick the sentence that answers a question without embedding at query time.
        sentence_vectors = self.embedder.encode_cached([s[3] for s in parsed.sentences], self.registry, progress=show)
        sentences = [(*s, v.tobytes()) for s, v in zip(parsed.sentences, sentence_vectors, strict=True)]
        metadatas = [
            {
                "doc_id": doc.doc_id,
                "collection": doc.collection,
                "period": doc.period or "",
                "body": doc.body or "",
                "kind": doc.kind,
                "position": c.position,
                "page": c.page if c.page is not None else -1,
            }
            for c in parsed.chunks
        ]
        previous = self.registry.document(doc.doc_id)
        old_ids = set(self.registry.chunk_ids_of(doc.doc_id))
        new_ids = [c.chunk_id for c in parsed.chunks]
        vectors.add_chunks(self.collection, new_ids, matrix, metadatas)
        self.registry.put_document(
            doc, self.settings.index_version, parsed.chunks, parsed.figures, parsed.text, parsed.page_starts, sentences
        )
        stale = sorted(old_ids - set(new_ids))
        if stale:
            vectors.delete_ids(self.collection, stale)
        keep_original(self.settings.store, source.path, sha, source.source)
        if previous and previous.content_sha256 != sha:
            self._drop_version(previous.content_sha256, previous.source)
        return len(parsed.chunks)

    def delete_document(self, doc_id: str) -> bool:
        """Remove a document and everything derived from it: chunks, vectors, figures, sentences,
        cached embeddings no other document uses, its stored original and page images."""
        doc = self.registry.document(doc_id)
        ids = self.registry.chunk_ids_of(doc_id)
        found = self.registry.delete_document(doc_id)
        if ids:
            vectors.delete_ids(self.collection, ids)
        if doc:
            self._drop_version(doc.content_sha256, doc.source)
            self.registry.prune_cache(self._cache_keys_in_use())
        return found

    def _drop_version(self, sha: str, source: str) -> None:
        if not any(d.content_sha256 == sha for d in self.registry.documents()):
            remove_derived(self.settings.store, sha, source)

    def _cache_keys_in_use(self) -> set[str]:
        texts = [c.embed_text for c in self.registry.chunks()]
        texts += [row[0] for row in self.registry.db.execute("SELECT text FROM sentences")]
        return {cache_key(self.settings.model, t) for t in texts}

    def refresh_keyword_index(self) -> None:
        chunks = self.registry.chunks()
        index = KeywordIndex.build(
            [c.chunk_id for c in chunks],
            [keyword_text(c.section, c.text) for c in chunks],
            self.registry.generation(),
        )
        index.save(self.settings.store / "bm25")
