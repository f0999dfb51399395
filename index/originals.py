"""Stored originals and rendered page images, kept inside the store under generated names.

The original is kept so a cited PDF page can be shown as an image, and so an uploaded file never
depends on a client path. Names come from the content hash, never from user input.
"""

from __future__ import annotations

import threading
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


# A page is drawn at PAGE_SCALE (1.4 px per point) unless that would make its long side longer than
# PAGE_MAX_SIDE pixels; then it is drawn smaller to fit. A 14400 pt page at 1.4 would need over 1.5 GB.
PAGE_SCALE = 1.4
PAGE_MAX_SIDE = 2000
# pdfium is not thread-safe, and one render at a time also bounds the memory rendering takes.
_RENDER_LOCK = threading.Lock()


def page_image(store: Path, sha: str, source: str, page: int, max_side: int = PAGE_MAX_SIDE) -> Path | None:
    """PNG of one physical page of a stored PDF, rendered once with pypdfium2 (long side at most `max_side`
    pixels) and cached in the store. None when there is no such page or it cannot be rendered; a failure is
    never cached, so the next request tries again."""
    original = original_path(store, sha, source)
    if original.suffix != ".pdf" or not original.exists() or page < 1:
        return None
    target = pages_dir(store, sha) / f"{page}-{max_side}.png"
    if target.exists():
        return target
    import pypdfium2

    with _RENDER_LOCK:
        if target.exists():  # rendered by the request this one waited for
            return target
        try:
            pdf = pypdfium2.PdfDocument(str(original))
            try:
                if page > len(pdf):
                    return None
                pdf_page = pdf[page - 1]
                image = pdf_page.render(scale=render_scale(pdf_page.get_size(), max_side)).to_pil()
            finally:
                pdf.close()
        except Exception:  # a damaged page, or the original removed by a delete meanwhile
            return None
        atomic_save(target, image.save, suffix=".tmp.png")
    if not original.exists():  # the document was deleted while its page was drawn: keep nothing of it
        target.unlink(missing_ok=True)
        return None
    return target


def render_scale(size_pt: tuple[float, float], max_side: int = PAGE_MAX_SIDE) -> float:
    """Pixels per point for a page of this size: PAGE_SCALE, or less so that its long side fits max_side."""
    long_side = max(float(size_pt[0]), float(size_pt[1]), 1.0)
    return min(PAGE_SCALE, max_side / long_side)
