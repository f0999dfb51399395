"""Export a store to one .tar.gz and import it back, checking every byte before anything is written.

The archive carries a manifest of SHA-256 sums; import verifies all members against it, refuses
links, absolute paths and '..', and extracts only into an empty store, so a bad or tampered archive
can never overwrite or mix into what is already stored. Hand-written on tarfile because the checks
have to happen before extraction, which no archive library does for us.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from .files import atomic_save
from .lock import ensure_store_dir, write_lock

ROOT = "safeguard-store"
MANIFEST = "manifest.json"
SKIPPED = {"write.lock"}
SKIPPED_DIRS = {"pages"}  # rendered page images are a cache; they are made again on demand


class BackupError(Exception):
    pass


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
        if path.is_file() and wanted and not rel.name.endswith(("-wal", "-shm")):
            out.append(rel)
    return out


def export_store(store: Path, archive: Path) -> int:
    """Write the store to archive; returns the number of files."""
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
            with tarfile.open(tmp, "w:gz") as tar:
                data = json.dumps(manifest, indent=1).encode()
                info = tarfile.TarInfo(f"{ROOT}/{MANIFEST}")
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
                for rel in files:
                    tar.add(store / rel, arcname=f"{ROOT}/{rel.as_posix()}", recursive=False)

        atomic_save(Path(archive), write)
    return len(files)


def _member_path(member: tarfile.TarInfo) -> str:
    """The member's path inside the store, refusing anything that could land outside it."""
    name = member.name
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name or not path.parts or path.parts[0] != ROOT:
        raise BackupError(f"unsafe path in archive: {name!r}")
    if not (member.isfile() or member.isdir()):
        raise BackupError(f"archive member {name!r} is a link or device, not a file")
    return "/".join(path.parts[1:])


def verify_archive(archive: Path) -> dict:
    """Check every member against the manifest without writing anything; returns the manifest."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
            paths = {m.name: _member_path(m) for m in members}
            manifest_member = next((m for m in members if paths[m.name] == MANIFEST), None)
            if manifest_member is None:
                raise BackupError("archive has no manifest")
            manifest = json.loads(tar.extractfile(manifest_member).read())
            expected = manifest.get("files", {})
            seen = set()
            for member in members:
                rel = paths[member.name]
                if member.isdir() or rel == MANIFEST:
                    continue
                if rel not in expected:
                    raise BackupError(f"archive member {rel!r} is not in the manifest")
                if _sha256(tar.extractfile(member)) != expected[rel]:
                    raise BackupError(f"checksum mismatch for {rel!r}: the archive was changed or damaged")
                seen.add(rel)
            missing = set(expected) - seen
            if missing:
                raise BackupError(f"archive lacks {len(missing)} file(s) named in its manifest")
            return manifest
    except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
        raise BackupError(f"{archive}: not a readable store archive ({exc})") from None


def import_store(archive: Path, store: Path) -> int:
    """Restore an archive into an empty store; returns the number of files."""
    store = Path(store)
    if (store / "registry.sqlite").exists():
        raise BackupError(f"{store} already holds a store; import into an empty folder")
    manifest = verify_archive(archive)
    ensure_store_dir(store)
    with write_lock(store):
        staging = Path(tempfile.mkdtemp(prefix=".import-", dir=store))
        try:
            with tarfile.open(archive, "r:gz") as tar:
                # Our checks above, then tarfile's own "data" filter as a second guard on every member.
                members = [m for m in tar.getmembers() if m.isfile() and _member_path(m) != MANIFEST]
                tar.extractall(staging, members=members, filter="data")
            for item in (staging / ROOT).iterdir():
                item.replace(store / item.name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return len(manifest["files"])
