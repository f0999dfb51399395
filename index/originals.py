"""Stored originals and rendered page images, kept inside the store under generated names.

The original is kept so a cited PDF page can be shown as an image, and so an uploaded file never
depends on a client path. Names come from the content hash, never from user input.
"""

from __future__ import annotations

from pathlib import Path

from .files import atomic_copy, atomic_save
from .lexicon import SUPPORTED_SUFFIXES


def originals_dir(store: Path) -> Path:
    return Path(store) / "originals"


def pages_dir(store: Path, sha: str) -> Path:
    return Path(store) / "pages" / sha


def original_path(store: Path, sha: str, source: str) -> Path:
    suffix = Path(source).suffix.lower()
    return originals_dir(store) / f"{sha}{suffix if suffix in SUPPORTED_SUFFIXES else ''}"


def keep_original(store: Path, path: Path, sha: str, source: str) -> Path:
    target = original_path(store, sha, source)
    if not target.exists():
        atomic_copy(path, target)
    return target


def page_image(store: Path, sha: str, source: str, page: int, scale: float = 1.4) -> Path | None:
    """PNG of one physical page of a stored PDF, rendered once with pypdfium2 and cached."""
    original = original_path(store, sha, source)
    if original.suffix != ".pdf" or not original.exists() or page < 1:
        return None
    target = pages_dir(store, sha) / f"{page}.png"
    if target.exists():
        return target
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(original))
    try:
        if page > len(pdf):
            return None
        image = pdf[page - 1].render(scale=scale).to_pil()
    finally:
        pdf.close()
    return atomic_save(target, image.save, suffix=".tmp.png")
