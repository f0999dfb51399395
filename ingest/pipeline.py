"""Ingest files into the store: plan what changed, then parse, embed and commit each document through
the index's one write path.

The "what changed" decision uses only hashlib and sqlite, so re-running over an unchanged corpus
returns in well under a second without importing torch, chromadb or llama-index.
"""

from __future__ import annotations

import functools
import hashlib
import os
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
from .version import index_version
from .worker import ParseWorker

# Files a folder may hold about itself; with a suffix we do not read they are passed over without a word.
SILENT_STEMS = frozenset({"readme", "manifest", "license", "licence"})


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
    root: Path | None = None  # the folder it was found in: it must still lie inside when it is read


def collect_files(paths: Iterable[Path]) -> tuple[list[SourceFile], list[tuple[str, str]]]:
    """Files to ingest with their logical ids, and entries passed over with the reason (a path that does
    not exist, a hidden file, a symbolic link, a folder named like a document, an unsupported type):
    reported, not fatal. Within a folder no symbolic link is followed, so nothing outside it is read."""
    found: list[SourceFile] = []
    passed: list[tuple[str, str]] = []
    for root in paths:
        root = Path(root)
        if root.is_dir():
            _walk(root, found, passed)
        elif root.is_file():
            found.append(SourceFile(root, root.name, root.name))
        elif root.exists():
            passed.append((str(root), "not a regular file (a device, socket or pipe): not read"))
        else:
            passed.append((str(root), "no such file or directory"))
    return found, passed


def _walk(root: Path, found: list[SourceFile], passed: list[tuple[str, str]]) -> None:
    """Every entry under root, links never followed; files and reasons in path order."""
    real_root = root.resolve()
    files, skipped = [], []
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            skipped.append((folder, f"cannot read this folder ({exc.strerror})"))
            continue
        for entry in entries:
            path = Path(entry.path)
            name = entry.name
            if entry.is_symlink():
                skipped.append((path, _link_reason(path, real_root)))
            elif entry.is_dir(follow_symlinks=False):
                if name.startswith("."):
                    continue  # hidden folders (.git) are passed over silently
                if Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                    skipped.append((path, "is a folder, not a file (the files in it are read as usual)"))
                pending.append(path)
            elif not entry.is_file(follow_symlinks=False):
                skipped.append((path, "not a regular file (a device, socket or pipe): not read"))
            elif name.startswith("."):
                # A hidden document is named, not lost.
                skipped.append((path, "hidden file (name starts with '.'): not ingested"))
            elif Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                if name.lower() not in SKIPPED_NAMES:
                    files.append(path)
            elif Path(name).stem.lower() not in SILENT_STEMS:
                suffix = Path(name).suffix.lower() or "(none)"
                skipped.append((path, f"unsupported file type '{suffix}': not read (PDF, DOCX, HTML, MD, TXT)"))
    found += [SourceFile(path, path.relative_to(root).as_posix(), path.name, root) for path in sorted(files)]
    passed += [(str(path), reason) for path, reason in sorted(skipped)]


def _link_reason(path: Path, real_root: Path) -> str:
    target = Path(os.path.realpath(path))
    if not target.exists():
        return "symbolic link to nothing: not followed"
    if not target.is_relative_to(real_root):
        return "symbolic link to a place outside the folder: not followed (nothing outside the folder is read)"
    return "symbolic link: not followed (a file inside the folder is read under its own name)"


def _left_its_folder(source: SourceFile) -> bool:
    """Whether a file found in a folder has since become a link, or lies outside the folder (a folder on its
    path replaced by a link): checked again right before it is read."""
    if source.root is None:
        return False
    try:
        return source.path.is_symlink() or not source.path.resolve().is_relative_to(source.root.resolve())
    except OSError:
        return True


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
    on_progress: Callable[..., None] | None = None,
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
                # The model keeps both cores: on an idle machine leaving one to the reader (which reads the next
                # file meanwhile) made ingest 1.4x slower (bench.run --only pdf).
                embedder = Embedder(settings.model, settings.model_path(), settings.embed_batch_size)
                writer.reconcile()
                # Each file is read in a worker process with a time budget; one that overruns is refused and
                # the batch goes on (what is committed stays committed).
                with ParseWorker(settings) as reader:
                    for number, (source, sha) in enumerate(_progress(todo, progress), start=1):
                        stage = None
                        if on_progress:
                            on_progress(number - 1, len(todo), source.source)
                            # Within the file: pages OCR'd, then chunks embedded.
                            stage = functools.partial(on_progress, number - 1, len(todo), source.source)
                        reader.on_stage = stage
                        if number < len(todo) and not _left_its_folder(todo[number][0]):
                            ahead, ahead_sha = todo[number]  # read while this file is embedded
                            reader.read_ahead = (ahead.path, ahead.doc_id, ahead.source, ahead_sha, collection)
                        try:
                            item = embed_file(source, sha, collection, settings, embedder, registry, reader, stage)
                            report.ingested.append((source.doc_id, writer.commit(item)))
                        except LoadError as exc:
                            report.refused.append((str(source.path), str(exc)))
                writer.refresh_keyword_index()
        finally:
            registry.close()
    report.seconds = time.perf_counter() - started
    return report


def _plan(files, registry: Registry, settings: Settings, collection: str, report: IngestReport):
    """The files to parse, with their content hashes; unchanged ones and refused ones go to the report.

    A document never moves between collections: a file whose id names a document of another collection is
    refused (it would replace that document, and its stored original, for whoever can see the other one)."""
    todo = []
    for source in files:
        existing = registry.document(source.doc_id)
        if existing is not None and existing.collection != collection:
            reason = f"already in collection {existing.collection!r}; delete it there first"
            report.refused.append((str(source.path), reason))
            continue
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
        if stored == (sha, index_version(settings)) and existing is not None:
            report.unchanged.append(source.doc_id)
        else:
            todo.append((source, sha))
    return todo


def _progress(items: list, enabled: bool):
    if not enabled or len(items) < 2:
        return items
    from tqdm import tqdm

    return tqdm(items, desc="ingest", unit="file", file=sys.stderr)


def embed_file(
    source: SourceFile,
    sha: str,
    collection: str,
    settings: Settings,
    embedder,
    registry: Registry,
    reader: ParseWorker | None = None,
    on_stage: Callable[[str], None] | None = None,
):
    """Parse a file (through reader, with its time budget, when given) and embed its chunks and sentences:
    everything a commit needs."""
    from index.sentence_vectors import embed_document
    from index.writer import EmbeddedDocument

    if _left_its_folder(source):
        raise LoadError("symbolic link, or no longer inside the folder it was found in: not followed")
    if reader is None:
        from .parse import parse_file

        parsed = parse_file(source.path, source.doc_id, source.source, sha, collection, settings)
    else:
        parsed = reader.parse(source.path, source.doc_id, source.source, sha, collection)
    if on_stage:
        on_stage(f"embedding {len(parsed.chunks)} chunks")
    show = len(parsed.chunks) > 64 and sys.stderr.isatty()
    # Sentence vectors let answers pick the sentence that answers a question without embedding at query time;
    # each is stored once, and one kept from the document's stored version is not embedded again
    # (index/sentence_vectors.py).
    stored = registry.version_of(source.doc_id)
    same_index = stored is not None and stored[1] == index_version(settings)
    previous = registry.sentence_vectors_of(source.doc_id) if same_index else {}
    matrix, sentences = embed_document(parsed.chunks, parsed.sentences, embedder, registry, previous, progress=show)
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
