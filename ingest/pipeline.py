"""Ingest files into the store: plan what changed, then parse, embed and commit each document through
the index's one write path.

The "what changed" decision uses only hashlib and sqlite, so re-running over an unchanged corpus
returns in well under a second without importing torch, chromadb or llama-index.
"""

from __future__ import annotations

import dataclasses
import hashlib
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from index.config import Settings
from index.keyword import keyword_index_stale
from index.lexicon import SKIPPED_NAMES, SUPPORTED_SUFFIXES
from index.lock import ensure_store_dir, write_lock
from index.registry import Registry

from .loaders import LoadError
from .parse import parse_file
from .version import index_version


@dataclass
class IngestReport:
    ingested: list[tuple[str, int]] = field(default_factory=list)  # (doc_id, chunks)
    unchanged: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    seconds: float = 0.0

    @property
    def all_refused(self) -> bool:
        return bool(self.refused) and not self.ingested and not self.unchanged


@dataclass
class SourceFile:
    path: Path
    doc_id: str
    source: str


def collect_files(paths: Iterable[Path]) -> tuple[list[SourceFile], list[tuple[str, str]]]:
    """Files to ingest with their logical ids, and files refused before reading them (a path that does not
    exist, a hidden file) with the reason: reported, not fatal."""
    found, missing = [], []
    for root in paths:
        root = Path(root)
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                rel = path.relative_to(root)
                if (
                    not path.is_file()
                    or path.suffix.lower() not in SUPPORTED_SUFFIXES
                    or path.name.lower() in SKIPPED_NAMES
                    or any(part.startswith(".") for part in rel.parts[:-1])
                ):
                    continue
                if path.name.startswith("."):
                    # Hidden folders (.git) are skipped silently; a hidden document is named, not lost.
                    missing.append((str(path), "hidden file (name starts with '.'): not ingested"))
                else:
                    found.append(SourceFile(path, rel.as_posix(), path.name))
        elif root.is_file():
            found.append(SourceFile(root, root.name, root.name))
        else:
            missing.append((str(root), "no such file or directory"))
    return found, missing


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ingest_paths(
    paths: Iterable[Path], settings: Settings, collection: str = "default", progress: bool = True
) -> IngestReport:
    files, missing = collect_files(paths)
    report = ingest_sources(files, settings, collection, progress)
    report.refused[:0] = missing
    return report


def ingest_sources(
    files: list[SourceFile],
    settings: Settings,
    collection: str = "default",
    progress: bool = True,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> IngestReport:
    """Ingest files whose logical ids are already decided (folders, or uploads named by their user)."""
    import time

    started = time.perf_counter()
    report = IngestReport()
    store = ensure_store_dir(settings.store)
    with write_lock(store):
        registry = Registry(store)
        try:
            todo = _plan(files, registry, settings, collection, report)
            if todo or keyword_index_stale(store / "bm25", registry.generation()):
                # Imported here: an unchanged corpus is planned without loading Chroma or the model.
                from index.embed import Embedder
                from index.writer import StoreWriter

                writer = StoreWriter(settings, registry)
                embedder = Embedder(settings.model, settings.model_path(), settings.embed_batch_size)
                writer.reconcile()
                for number, (source, sha) in enumerate(_progress(todo, progress), start=1):
                    if on_progress:
                        on_progress(number - 1, len(todo), source.source)
                    try:
                        item = embed_file(source, sha, collection, settings, embedder, registry)
                        report.ingested.append((source.doc_id, writer.commit(item)))
                    except LoadError as exc:
                        report.refused.append((str(source.path), str(exc)))
                writer.refresh_keyword_index()
        finally:
            registry.close()
    report.seconds = time.perf_counter() - started
    return report


def _plan(files, registry: Registry, settings: Settings, collection: str, report: IngestReport):
    todo = []
    for source in files:
        try:
            size = source.path.stat().st_size
        except OSError as exc:
            report.refused.append((str(source.path), f"cannot read ({exc.strerror})"))
            continue
        if size > settings.max_file_bytes:
            report.refused.append(
                (str(source.path), f"file is {size / 2**20:.1f} MB, over the limit of {settings.max_file_mb} MB")
            )
            continue
        if size == 0:
            report.refused.append((str(source.path), "file is empty (0 bytes)"))
            continue
        sha = file_sha256(source.path)
        stored = registry.version_of(source.doc_id)
        existing = registry.document(source.doc_id) if stored else None
        if stored == (sha, index_version(settings)) and existing and existing.collection == collection:
            report.unchanged.append(source.doc_id)
        else:
            todo.append((source, sha))
    return todo


def _progress(items: list, enabled: bool):
    if not enabled or len(items) < 2:
        return items
    from tqdm import tqdm

    return tqdm(items, desc="ingest", unit="file", file=sys.stderr)


def embed_file(source: SourceFile, sha: str, collection: str, settings: Settings, embedder, registry: Registry):
    """Parse a file and embed its chunks and sentences: everything a commit needs."""
    from index.writer import EmbeddedDocument

    parsed = parse_file(source.path, source.doc_id, source.source, sha, collection, settings)
    show = len(parsed.chunks) > 64 and sys.stderr.isatty()
    matrix = embedder.encode_cached([c.embed_text for c in parsed.chunks], registry, progress=show)
    # Sentence vectors let answers pick the sentence that answers a question without embedding at query time.
    sentence_vectors = embedder.encode_cached([s.text for s in parsed.sentences], registry, progress=show)
    sentences = [
        dataclasses.replace(s, vector=v.tobytes()) for s, v in zip(parsed.sentences, sentence_vectors, strict=True)
    ]
    return EmbeddedDocument(
        parsed.document,
        index_version(settings),
        parsed.text,
        parsed.chunks,
        matrix,
        parsed.figures,
        parsed.page_starts,
        sentences,
        source.path,
    )
