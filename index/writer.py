"""The one write path into the store: commit, replace, delete and reconcile, in a crash-safe order.

Order matters: the stored original and the vectors (under ids that carry the content version) are
written first, then the registry commits the document in one transaction, then the old version's
vectors are removed. A crash at any point leaves either the old or the new document visible, and
`reconcile` sweeps whatever no committed document owns (vectors, originals, page images, cached
embeddings), so an interrupted ingest or delete is finished by the next writer. The CLI, the web app
and uploads all write through here.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import vectors
from .chunk_ids import doc_id_of
from .config import Settings
from .embed import cache_key
from .keyword import KeywordIndex, keyword_text, read_meta
from .lock import write_lock
from .originals import keep_original, original_path, originals_dir, pages_dir
from .records import Chunk, Document, Figure, PageStart, Sentence
from .registry import Registry


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


@dataclass
class EmbeddedDocument:
    """A parsed document with its vectors: everything a commit writes."""

    document: Document
    index_version: str
    text: str
    chunks: list[Chunk]
    chunk_vectors: np.ndarray
    figures: list[Figure]
    page_starts: list[PageStart]
    sentences: list[Sentence]  # each with its vector
    original: Path  # the file as read, kept in the store under its content hash


@dataclass
class DeleteOutcome:
    """What `delete` did: removed a known document, or finished one an interrupted run left behind."""

    doc_id: str
    found: bool
    keyword_leftovers: int = 0
    swept: Swept | None = None

    def describe(self) -> str:
        if self.found:
            return f"deleted {self.doc_id}"
        return (
            f"{self.doc_id} was no longer in the registry (an earlier delete or ingest was interrupted); cleaned up "
            f"{self.keyword_leftovers} keyword-index entries and, of what no document owns, {self.swept.describe()}"
        )


class UnknownDocument(LookupError):
    """Nothing in the store carries this document id."""


class StoreWriter:
    def __init__(self, settings: Settings, registry: Registry):
        self.settings = settings
        self.registry = registry
        self.collection = vectors.open_for(settings, registry)

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
        in_keyword = sum(1 for cid in meta.get("chunk_ids", []) if doc_id_of(cid) == doc_id)
        return in_chroma, in_keyword

    def commit(self, item: EmbeddedDocument) -> int:
        """Write a document (new, or a new version of a stored one) and return its number of chunks."""
        doc = item.document
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
            for c in item.chunks
        ]
        previous = self.registry.document(doc.doc_id)
        old_ids = set(self.registry.chunk_ids_of(doc.doc_id))
        new_ids = [c.chunk_id for c in item.chunks]
        # Stored before the commit, so a committed document always has its original (page images need it).
        keep_original(self.settings.store, item.original, doc.content_sha256, doc.source)
        vectors.add_chunks(self.collection, new_ids, item.chunk_vectors, metadatas)
        self.registry.put_document(
            doc, item.index_version, item.chunks, item.figures, item.text, item.page_starts, item.sentences
        )
        stale = sorted(old_ids - set(new_ids))
        if stale:
            vectors.delete_ids(self.collection, stale)
        if previous and previous.content_sha256 != doc.content_sha256:
            self._sweep_files()
        return len(item.chunks)

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
        """Only chunk texts are cached: sentence vectors live in the sentences table alone (stored once)."""
        return {cache_key(self.settings.model, c.embed_text) for c in self.registry.chunks()}

    def refresh_keyword_index(self) -> None:
        chunks = self.registry.chunks()
        index = KeywordIndex.build(
            [c.chunk_id for c in chunks],
            [keyword_text(c.section, c.text) for c in chunks],
            self.registry.generation(),
        )
        index.save(self.settings.store / "bm25")


def delete(settings: Settings, doc_id: str) -> DeleteOutcome:
    """The one delete path (CLI and web): under the store's write lock, remove the document, or finish a delete
    (or ingest) that was killed after the registry let go of it. Raises UnknownDocument when nothing in the
    store carries the id, and StoreLocked when another writer holds the lock."""
    with write_lock(settings.store):
        registry = Registry(settings.store)
        try:
            writer = StoreWriter(settings, registry)
            if registry.document(doc_id) is not None:
                writer.delete_document(doc_id)
                writer.refresh_keyword_index()
                return DeleteOutcome(doc_id, True)
            in_chroma, in_keyword = writer.leftovers_of(doc_id)
            if not in_chroma and not in_keyword:
                raise UnknownDocument(doc_id)
            swept = writer.reconcile()
            writer.refresh_keyword_index()
            return DeleteOutcome(doc_id, False, in_keyword, swept)
        finally:
            registry.close()
