"""One writer at a time per store; a second writer is told who holds the store and exits."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout


class StoreLocked(Exception):
    pass


@contextmanager
def write_lock(store: Path):
    lock = FileLock(str(Path(store) / "write.lock"), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise StoreLocked(f"store {store} is locked by another writer (ingest or delete in progress)") from None
    try:
        yield
    finally:
        lock.release()


def ensure_store_dir(store: Path) -> Path:
    """Create the store private to its user: it holds document text."""
    store = Path(store)
    store.mkdir(parents=True, exist_ok=True)
    os.chmod(store, 0o700)
    return store
