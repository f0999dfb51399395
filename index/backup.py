"""Export a store to one .tar.gz and import it back, checking every member before the store is touched.

The archive carries a manifest of SHA-256 sums. Import reads it in one pass into a staging folder inside
the target, refusing as soon as something is wrong: a link, an absolute path or '..'; any member that is
not one of the files a store is made of (registry.sqlite, chroma/..., bm25/..., originals/...); a member
or a total over the size limits; a sum that does not match. It then checks the registry is a sound SQLite
database with the store's tables, gives the copy a store id of its own, and only then moves it into the
(empty) store, so a bad archive never mixes into what is stored.

The sums detect damage, not tampering: whoever can change the archive can change the manifest with it.
Only import archives you made. Hand-written on tarfile because the checks have to happen before
extraction, which no archive library does for us.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import tarfile
import tempfile
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .files import atomic_save
from .lexicon import SUPPORTED_SUFFIXES
from .lock import ensure_store_dir, write_lock
from .vectors import COLLECTION_KEY, IMPORT_COPIED_KEY, IMPORTED_FROM_KEY, collection_name

ROOT = "safeguard-store"
MANIFEST = "manifest.json"
SKIPPED = {"write.lock"}
SKIPPED_DIRS = {"pages"}  # rendered page images are a cache; they are made again on demand

# The files a store is made of; nothing else is exported or imported. Chroma's own files are its SQLite
# database and the HNSW index files (never a pickle: loading one runs code).
_SUFFIXES = "|".join(re.escape(s.lstrip(".")) for s in sorted(SUPPORTED_SUFFIXES))
STORE_FILES = [
    re.compile(r"registry\.sqlite"),
    re.compile(r"chroma/chroma\.sqlite3"),
    re.compile(r"chroma/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/[a-z0-9_]+\.bin"),
    re.compile(r"bm25/ids\.json"),
    re.compile(r"bm25/(?:data-[0-9a-f]{1,64}/)?[A-Za-z0-9_.-]{1,100}\.(?:json|npy)"),
    re.compile(rf"originals/[0-9a-f]{{64}}(?:\.(?:{_SUFFIXES}))?"),
]

MAX_MANIFEST_BYTES = 16 * 2**20
# An archive of a store shrinks to about half (vectors and SQLite pages compress little); one that would
# grow more than this many times its size is an archive bomb.
MAX_EXPANSION = 100
EXPANSION_ALLOWANCE = 64 * 2**20
FREE_SPACE_RESERVE = 64 * 2**20
# No read of the archive stream is bigger than this but a tar extension header's (which tarfile holds in
# memory whole): refused before it is read.
MAX_READ = 16 * 2**20


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class ImportLimits:
    """How much an import may write: in total, and per stored original (never bigger than an ingest admits)."""

    max_total_bytes: int = 10240 * 2**20
    max_original_bytes: int = 50 * 2**20


@dataclass
class Imported:
    files: int
    store_id: str
    previous_store_id: str | None
    embedded_vectors: bool  # the archive holds the vectors (an embedded store), else they are on a Chroma server


def is_store_file(rel: str) -> bool:
    return any(pattern.fullmatch(rel) for pattern in STORE_FILES)


def _sha256(handle) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(1 << 20), b""):
        digest.update(block)
    return digest.hexdigest()


def _files(store: Path) -> list[Path]:
    out = []
    for path in sorted(store.rglob("*")):
        rel = path.relative_to(store)
        wanted = rel.name not in SKIPPED and rel.parts[0] not in SKIPPED_DIRS
        if path.is_file() and not path.is_symlink() and wanted and is_store_file(rel.as_posix()):
            out.append(rel)
    return out


def export_store(store: Path, archive: Path) -> int:
    """Write the store to archive (readable by its owner only: it holds every document); returns the number
    of files."""
    store = Path(store)
    if not (store / "registry.sqlite").exists():
        raise BackupError(f"{store} is not a store (no registry.sqlite)")
    with write_lock(store):
        db = sqlite3.connect(store / "registry.sqlite")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything committed is in the main file
        db.close()
        files = _files(store)
        manifest = {"format": 1, "files": {}}
        for rel in files:
            with open(store / rel, "rb") as handle:
                manifest["files"][rel.as_posix()] = _sha256(handle)

        def write(tmp: Path) -> None:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.fchmod(fd, 0o600)  # a temporary file left by an earlier run keeps its mode otherwise
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                data = json.dumps(manifest, indent=1).encode()
                info = tarfile.TarInfo(f"{ROOT}/{MANIFEST}")
                info.size = len(data)
                info.mode = 0o600
                tar.addfile(info, io.BytesIO(data))
                for rel in files:
                    tar.add(store / rel, arcname=f"{ROOT}/{rel.as_posix()}", recursive=False)
                raw.flush()
                os.fsync(raw.fileno())

        atomic_save(Path(archive), write)
    return len(files)


def _member_path(member: tarfile.TarInfo) -> str:
    """The member's path inside the store, refusing anything that could land outside it."""
    name = member.name
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name or not path.parts or path.parts[0] != ROOT:
        raise BackupError(f"unsafe path in archive: {name!r}")
    if not (member.type in (tarfile.REGTYPE, tarfile.AREGTYPE) or member.isdir()):
        raise BackupError(f"archive member {name!r} is a link or device, not a file")
    return "/".join(path.parts[1:])


class _Bounded(io.RawIOBase):
    """The decompressed archive stream, refusing to go past `limit` bytes or to read one huge block."""

    def __init__(self, raw, limit: int, why: str):
        self.raw, self.limit, self.why = raw, limit, why

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0 or size > MAX_READ:
            raise BackupError("archive has a header far larger than a store archive has (possible archive bomb)")
        if self.raw.tell() + size > self.limit:
            raise BackupError(self.why)
        return self.raw.read(size)

    def seek(self, offset: int, whence: int = 0) -> int:
        target = offset if whence == 0 else self.raw.tell() + offset if whence == 1 else None
        if target is None:
            raise io.UnsupportedOperation("seek from the end of a compressed stream")
        if target > self.limit:
            raise BackupError(self.why)
        return self.raw.seek(target)

    def tell(self) -> int:
        return self.raw.tell()


def _mb(size: int) -> str:
    return f"{size / 2**20:,.0f} MB" if size >= 2**20 else f"{size / 2**10:,.0f} KB"


class _Budget:
    """What an import may still write, and the reason to give when it would write more."""

    def __init__(self, archive: Path, disk: Path | None, limits: ImportLimits):
        size = archive.stat().st_size
        candidates = [
            (
                limits.max_total_bytes,
                f"over the import limit of {_mb(limits.max_total_bytes)} (SAFEGUARD_MAX_IMPORT_MB)",
            ),
            (
                size * MAX_EXPANSION + EXPANSION_ALLOWANCE,
                f"over {MAX_EXPANSION} times the archive's size (possible archive bomb)",
            ),
        ]
        if disk is not None:
            free = shutil.disk_usage(disk).free - FREE_SPACE_RESERVE
            candidates.append((max(free, 0), f"more than the {_mb(max(free, 0))} free on the disk"))
        self.limit, self.reason = min(candidates)
        self.limits = limits
        self.used = 0

    def admit(self, rel: str, size: int) -> None:
        if rel.startswith("originals/") and size > self.limits.max_original_bytes:
            raise BackupError(
                f"archive member {rel!r} is {_mb(size)}, over the limit of {_mb(self.limits.max_original_bytes)} "
                "for a document (SAFEGUARD_MAX_FILE_MB)"
            )
        if self.used + size > self.limit:
            raise BackupError(f"archive would write {_mb(self.used + size)} or more: {self.reason}")
        self.used += size


def _read_manifest(tar: tarfile.TarFile) -> dict[str, str]:
    member = tar.next()
    if member is None or _member_path(member) != MANIFEST or not member.isfile():
        raise BackupError("archive has no manifest (not a store archive made by `safeguard export`)")
    if member.size > MAX_MANIFEST_BYTES:
        raise BackupError(f"archive manifest is {_mb(member.size)}: not a store archive")
    try:
        manifest = json.loads(tar.extractfile(member).read())
    except (ValueError, UnicodeDecodeError):
        raise BackupError("archive manifest is not valid JSON") from None
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict) or manifest.get("format") != 1:
        raise BackupError("archive manifest is not one `safeguard export` writes")
    for rel, digest in files.items():
        if not isinstance(rel, str) or not is_store_file(rel):
            raise BackupError(f"archive names {rel!r}, which is not a file of a store; nothing was imported")
        if not isinstance(digest, str) or not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise BackupError(f"archive manifest has no SHA-256 sum for {rel!r}")
    return files


def _read_archive(archive: Path, limits: ImportLimits, staging: Path | None) -> dict[str, str]:
    """One pass over the archive: every member checked (path, kind, store file, size, sum) and, when staging
    is given, written there. Returns the manifest's files. Raises BackupError at the first fault."""
    budget = _Budget(archive, staging.parent if staging else None, limits)
    stream_limit = budget.limit + EXPANSION_ALLOWANCE
    why = f"archive expands to more than {_mb(stream_limit)}: {budget.reason}"
    try:
        with gzip.open(archive, "rb") as unzipped:
            stream = _Bounded(unzipped, stream_limit, why)
            with tarfile.open(fileobj=stream, mode="r:") as tar:
                expected = _read_manifest(tar)
                stream.limit = stream_limit + 1024 * len(expected)  # room for the members' headers
                seen: set[str] = set()
                while (member := tar.next()) is not None:
                    rel = _member_path(member)
                    if member.isdir():
                        continue
                    if not is_store_file(rel):
                        raise BackupError(f"archive member {rel!r} is not a file of a store; nothing was imported")
                    if rel not in expected:
                        raise BackupError(f"archive member {rel!r} is not in the manifest; nothing was imported")
                    if rel in seen:
                        raise BackupError(f"archive holds {rel!r} twice")
                    seen.add(rel)
                    budget.admit(rel, member.size)
                    digest = _copy_member(tar.extractfile(member), staging / rel if staging else None)
                    if digest != expected[rel]:
                        raise BackupError(f"checksum mismatch for {rel!r}: the archive was changed or damaged")
    except (tarfile.TarError, OSError, EOFError, ValueError, zlib.error) as exc:
        raise BackupError(f"{archive}: not a readable store archive ({exc})") from None
    missing = set(expected) - seen
    if missing:
        raise BackupError(f"archive lacks {len(missing)} file(s) named in its manifest")
    if "registry.sqlite" not in expected:
        raise BackupError("archive holds no registry.sqlite: not a store archive")
    return expected


def _copy_member(source, target: Path | None) -> str:
    """SHA-256 of a member's bytes, written to target (private to the user) when given."""
    digest = hashlib.sha256()
    sink = None
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        sink = open(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")  # noqa: SIM115
    try:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
            if sink is not None:
                sink.write(block)
    finally:
        if sink is not None:
            sink.close()
    return digest.hexdigest()


def verify_archive(archive: Path, limits: ImportLimits | None = None) -> dict:
    """Check every member without writing anything; returns the manifest."""
    return {"format": 1, "files": _read_archive(Path(archive), limits or ImportLimits(), None)}


def check_registry(path: Path) -> None:
    """Refuse a registry that is not a sound SQLite database holding the store's documents table (and
    nothing that runs on its own: no triggers, no views)."""
    try:
        db = sqlite3.connect(Path(path).resolve().as_uri() + "?immutable=1", uri=True)
        try:
            kinds = db.execute("SELECT type, name FROM sqlite_master").fetchall()
            if ("table", "documents") not in kinds:
                raise BackupError("registry.sqlite in the archive has no documents table: not a store's registry")
            active = sorted(name for kind, name in kinds if kind in ("trigger", "view"))
            if active:
                raise BackupError(f"registry.sqlite in the archive has triggers or views ({', '.join(active)})")
            result = db.execute("PRAGMA integrity_check").fetchall()
            if result != [("ok",)]:
                found = " ".join(str(result[0][0]).split())
                raise BackupError(f"registry.sqlite in the archive is damaged (integrity check: {found})")
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"registry.sqlite in the archive is not a SQLite database ({exc})") from None


def _check_keyword_pointer(staged: Path, files: dict[str, str]) -> None:
    """bm25/ids.json names the folder of the current keyword index: it must be one the archive holds."""
    if "bm25/ids.json" not in files:
        return
    try:
        meta = json.loads((staged / "bm25" / "ids.json").read_text())
    except (OSError, ValueError):
        raise BackupError("bm25/ids.json in the archive is not valid JSON") from None
    data = meta.get("data") if isinstance(meta, dict) else None
    if data is not None and not (
        isinstance(data, str)
        and re.fullmatch(r"data-[0-9a-f]{1,64}", data)
        and any(rel.startswith(f"bm25/{data}/") for rel in files)
    ):
        raise BackupError("bm25/ids.json in the archive names a keyword index the archive does not hold")


def _new_identity(registry: Path, embedded: bool) -> tuple[str, str | None]:
    """Give the imported registry a store id of its own, so it never shares a Chroma server collection with
    the store it was exported from. An embedded store keeps the collection recorded in its registry (its
    Chroma database came in the archive and is its alone); a store whose vectors live on a server gets its
    own collection there, filled from the original's on first use. Returns (new id, previous id)."""
    db = sqlite3.connect(registry)
    try:
        with db:
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            meta = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('store_id', ?)", (COLLECTION_KEY,)))
            previous, collection = meta.get("store_id"), meta.get(COLLECTION_KEY)
            new_id = uuid.uuid4().hex
            db.execute("INSERT OR REPLACE INTO meta VALUES ('store_id', ?)", (new_id,))
            source = collection or (collection_name(previous) if previous else None)
            if embedded:
                if collection is None and previous:
                    db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (COLLECTION_KEY, collection_name(previous)))
            else:
                db.execute("DELETE FROM meta WHERE key = ?", (COLLECTION_KEY,))
            db.execute("DELETE FROM meta WHERE key IN (?, ?)", (IMPORT_COPIED_KEY, IMPORTED_FROM_KEY))
            if source:
                db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (IMPORTED_FROM_KEY, source))
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error as exc:
        raise BackupError(f"registry.sqlite in the archive cannot be used ({exc})") from None
    finally:
        db.close()
    return new_id, previous


def _refuse_unless_empty(store: Path) -> None:
    if not store.is_dir():
        return
    present = [p.name for p in store.iterdir() if p.name not in SKIPPED and not p.name.startswith(".import-")]
    if present:
        raise BackupError(f"{store} is not empty ({', '.join(sorted(present)[:3])}); import into an empty folder")


def import_store(archive: Path, store: Path, limits: ImportLimits | None = None) -> Imported:
    """Restore an archive into an empty store, under a new store id."""
    store = Path(store)
    archive = Path(archive)
    if (store / "registry.sqlite").exists():
        raise BackupError(f"{store} already holds a store; import into an empty folder")
    _refuse_unless_empty(store)  # before the folder is made private: it may be some other folder
    ensure_store_dir(store)
    with write_lock(store):
        _refuse_unless_empty(store)
        staging = Path(tempfile.mkdtemp(prefix=".import-", dir=store))
        try:
            files = _read_archive(archive, limits or ImportLimits(), staging / ROOT)
            staged = staging / ROOT
            check_registry(staged / "registry.sqlite")
            _check_keyword_pointer(staged, files)
            embedded = (staged / "chroma").is_dir()
            new_id, previous = _new_identity(staged / "registry.sqlite", embedded)
            for name in ("registry.sqlite-wal", "registry.sqlite-shm"):
                (staged / name).unlink(missing_ok=True)
            for item in staged.iterdir():
                item.replace(store / item.name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return Imported(len(files), new_id, previous, embedded)
