"""The one way the store replaces a file: write beside it, flush, then rename over it.

A reader, or a crash, then sees the old file or the new one and never half of either; rename(2) is
atomic within a folder. Written here because the standard library has no such helper.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def atomic_write(target: Path, data: bytes | str, mode: int = 0o600, suffix: str = ".tmp") -> Path:
    """Write data to target atomically, the new file created with `mode` (private by default)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + suffix)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(target)
    return target


def atomic_copy(source: Path, target: Path, suffix: str = ".tmp") -> Path:
    """Copy source to target atomically (a copy cut short is never taken for the file)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + suffix)
    shutil.copyfile(source, tmp)
    tmp.replace(target)
    return target


def atomic_save(target: Path, save, suffix: str = ".tmp") -> Path:
    """Let save(path) write a temporary file (e.g. an image library's save), then move it over target."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + suffix)
    save(tmp)
    tmp.replace(target)
    return target
