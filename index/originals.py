"""Stored originals and rendered page images, kept inside the store under generated names.

The original is kept so a cited PDF page can be shown as an image, and so an uploaded file never
depends on a client path. Names come from the content hash, never from user input.
"""

from __future__ import annotations

import shutil
from pathlib import Path

SAFE_SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt"}


def originals_dir(store: Path) -> Path:
    return Path(store) / "originals"


def pages_dir(store: Path, sha: str) -> Path:
    return Path(store) / "pages" / sha


def original_path(store: Path, sha: str, source: str) -> Path:
    suffix = Path(source).suffix.lower()
    return originals_dir(store) / f"{sha}{suffix if suffix in SAFE_SUFFIXES else ''}"


def keep_original(store: Path, path: Path, sha: str, source: str) -> Path:
    target = original_path(store, sha, source)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        shutil.copyfile(path, tmp)
        tmp.replace(target)
    return target


def remove_derived(store: Path, sha: str, source: str) -> None:
    """Delete a version's stored original and every page image rendered from it."""
    original_path(store, sha, source).unlink(missing_ok=True)
    shutil.rmtree(pages_dir(store, sha), ignore_errors=True)


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
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp.png")
    image.save(tmp)
    tmp.replace(target)
    return target
