"""Scanned copies of PDFs for the OCR tests and benchmark: each page rendered to a greyscale image, turned
slightly, speckled with noise, JPEG-compressed and written back as an image-only PDF, as a photocopier's
scan-to-PDF does. No text layer survives: the copy can only be read by OCR.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from pathlib import Path

SCAN_DPI = 150  # a typical office scanner setting
JPEG_QUALITY = 70


def scan_pages(
    source: Path,
    pages: Iterable[int] | None = None,
    *,
    seed: int = 0,
    dpi: int = SCAN_DPI,
    quality: int = JPEG_QUALITY,
    noise: float = 12.0,
    skew: tuple[float, float] = (0.5, 1.5),
):
    """Scanned-looking PIL images of source's pages (0-based indices; all pages when None)."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    rng = random.Random(seed)
    noise_rng = np.random.default_rng(seed)
    document = pdfium.PdfDocument(str(source))
    try:
        indices = list(range(len(document))) if pages is None else list(pages)
        images = []
        for index in indices:
            image = document[index].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            angle = rng.uniform(*skew) * rng.choice((-1, 1))
            image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
            pixels = np.asarray(image, dtype=np.float32)
            pixels = pixels * 0.92 + 10 + noise_rng.normal(0.0, noise, pixels.shape)  # grey paper, sensor noise
            images.append(Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L"))
        return images
    finally:
        document.close()


def write_image_pdf(images: Sequence, target: Path, *, dpi: int = SCAN_DPI, quality: int = JPEG_QUALITY) -> Path:
    """Images as the pages of a PDF (JPEG-compressed greyscale, as scanners write them)."""
    first, *rest = images
    first.save(target, "PDF", save_all=True, append_images=rest, resolution=float(dpi), quality=quality)
    return target


def scanned_copy(source: Path, target: Path, pages: Iterable[int] | None = None, *, seed: int = 0) -> Path:
    """An image-only, scan-like copy of source (all pages, or the given 0-based pages in that order)."""
    return write_image_pdf(scan_pages(source, pages, seed=seed), target)


def mixed_copy(source: Path, target: Path, scanned: int, pages: Iterable[int] | None = None) -> Path:
    """A copy of source (all pages, or the given 0-based pages) in which the page at position `scanned` of the
    copy is replaced by its scan and every other page keeps its text layer."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(source))
    indices = list(range(len(document))) if pages is None else list(pages)
    scan_path = target.with_suffix(".scan.pdf")
    scanned_copy(source, scan_path, [indices[scanned]])
    scan = pdfium.PdfDocument(str(scan_path))
    out = pdfium.PdfDocument.new()
    try:
        for position, index in enumerate(indices):
            if position == scanned:
                out.import_pages(scan, [0])
            else:
                out.import_pages(document, [index])
        out.save(str(target))
    finally:
        out.close()
        scan.close()
        document.close()
        scan_path.unlink(missing_ok=True)
    return target


def concatenated(sources: Sequence[Path], target: Path, pages: int) -> Path:
    """The first `pages` pages of the sources, one after another, as a PDF (a long document to scan)."""
    import pypdfium2 as pdfium

    out = pdfium.PdfDocument.new()
    try:
        for source in sources:
            if len(out) >= pages:
                break
            document = pdfium.PdfDocument(str(source))
            try:
                take = min(len(document), pages - len(out))
                out.import_pages(document, list(range(take)))
            finally:
                document.close()
        out.save(str(target))
    finally:
        out.close()
    return target


def stamped(source: Path, target: Path, text: str = "Page {page} of {pages}") -> Path:
    """A copy of source with a line of real text drawn at the foot of every page, as a scanning service or a
    PDF tool stamps page numbers onto a scan: the scan then has a text layer that is only the stamp."""
    import io

    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen import canvas

    reader = PdfReader(str(source))
    writer = PdfWriter()
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        buffer = io.BytesIO()
        sheet = canvas.Canvas(buffer, pagesize=(width, height))
        sheet.setFont("Helvetica", 9)
        sheet.drawString(40, 20, text.format(page=number, pages=len(reader.pages)))
        sheet.save()
        writer.add_page(page).merge_page(PdfReader(buffer).pages[0])
    with open(target, "wb") as handle:
        writer.write(handle)
    return target
