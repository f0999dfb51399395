"""Write parsed documents into the store in a crash-safe order.

Order matters: the stored original and the vectors (under ids that carry the content version) are
written first, then the registry commits the document in one transaction, then the old version's
vectors are removed. A crash at any point leaves either the old or the new document visible, and
`reconcile` sweeps whatever no committed document owns (vectors, originals, page images, cached
embeddings), so an interrupted ingest or delete is finished by the next writer.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass

from index import vectors
from index.keyword import KeywordIndex, keyword_text, read_meta
from index.originals import keep_original, original_path, originals_dir, pages_dir
from index.registry import Registry

from .config import Settings
from .embed import Embedder, cache_key
from .parse import parse_file
from .pipeline import SourceFile


@dataclass
class Swept:
    """What a reconcile removed, so a re-run `delete` can say what it cleaned."""

    vectors: int = 0
    originals: int = 0
    page_folders: int = 0
    cached_embeddings: int = 0

    def describe(self) -> str:
        parts = [
            (self.vectors, "vector"),
            (self.originals, "stored original"),
            (self.page_folders, "page image folder"),
            (self.cached_embeddings, "cached embedding"),
        ]
        return ", ".join(f"{n} {what}{'s' if n != 1 else ''}" for n, what in parts)


class StoreWriter:
    def __init__(self, settings: Settings, registry: Registry):
        self.settings = settings
        self.registry = registry
        self.collection = vectors.open_collection(settings.store, settings.chroma_url, registry)
        self.embedder = Embedder(settings.model, settings.model_path(), settings.embed_batch_size)

    def reconcile(self) -> Swept:
        """Remove what no committed document owns: vectors left by a crash between Chroma and SQLite, and
        the vectors, originals, page images and cached embeddings an interrupted delete or replace left."""
        known = self.registry.chunk_ids()
        orphans = sorted(vectors.all_ids(self.collection) - known)
        if orphans:
            vectors.delete_ids(self.collection, orphans)
        originals, page_folders = self._sweep_files()
        cached = self.registry.prune_cache(self._cache_keys_in_use())
        return Swept(len(orphans), originals, page_folders, cached)

    def leftovers_of(self, doc_id: str) -> tuple[int, int]:
        """(vectors, keyword-index entries) still carrying doc_id although the registry has no such document:
        what a delete or ingest killed mid-way leaves. A delete commits the registry first and rebuilds the
        keyword index last, so one killed in between leaves at least one of the two until a writer sweeps."""
        in_chroma = len(vectors.ids_of_document(self.collection, doc_id))
        meta = read_meta(self.settings.store / "bm25") or {}
        in_keyword = sum(1 for cid in meta.get("chunk_ids", []) if cid.rsplit("@", 1)[0] == doc_id)
        return in_chroma, in_keyword

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
        # Stored before the commit, so a committed document always has its original (page images need it).
        keep_original(self.settings.store, source.path, sha, source.source)
        vectors.add_chunks(self.collection, new_ids, matrix, metadatas)
        self.registry.put_document(
            doc, self.settings.index_version, parsed.chunks, parsed.figures, parsed.text, parsed.page_starts, sentences
        )
        stale = sorted(old_ids - set(new_ids))
        if stale:
            vectors.delete_ids(self.collection, stale)
        if previous and previous.content_sha256 != sha:
            self._sweep_files()
        return len(parsed.chunks)

    def delete_document(self, doc_id: str) -> bool:
        """Remove a document and everything derived from it: chunks, vectors, figures, sentences,
        cached embeddings no other document uses, its stored original and page images."""
        ids = self.registry.chunk_ids_of(doc_id)
        found = self.registry.delete_document(doc_id)
        if ids:
            vectors.delete_ids(self.collection, ids)
        # The rest, and anything an earlier interrupted write or delete left behind.
        self.reconcile()
        return found

    def _sweep_files(self) -> tuple[int, int]:
        """Delete stored originals (and partial copies) and page images that no committed document owns;
        returns how many of each. Owned means the exact file: two documents with the same bytes but different
        suffixes each own one."""
        store = self.settings.store
        docs = self.registry.documents()
        keep = {original_path(store, d.content_sha256, d.source).name for d in docs}
        originals = pages = 0
        folder = originals_dir(store)
        if folder.is_dir():
            for path in folder.iterdir():
                if path.name not in keep and path.is_file():
                    path.unlink(missing_ok=True)
                    originals += 1
        shas = {d.content_sha256 for d in docs}
        pages_root = pages_dir(store, "any").parent
        if pages_root.is_dir():
            for path in pages_root.iterdir():
                if path.name not in shas:
                    shutil.rmtree(path, ignore_errors=True)
                    pages += 1
        return originals, pages

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
