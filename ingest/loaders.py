"""Turn a file on disk into page texts, one loader per format.

Every loader returns the same shape (a list of pages with physical number and printed label) so the
cleaner, the section finder and the chunker never need to know where the text came from.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from index.lexicon import SUPPORTED_SUFFIXES

from .pdf_headings import RunCollector, heading_hints

# A DOCX is a zip; refuse archives that would expand far beyond their size (zip bombs).
MAX_DOCX_EXPANDED_BYTES = 200 * 1024 * 1024


class LoadError(Exception):
    """A file we cannot read; the message names the problem for the user."""


@dataclass
class PageText:
    page: int | None  # 1-based physical page for PDFs, None for flowing text
    label: str | None
    text: str


@dataclass
class LoadedFile:
    pages: list[PageText]
    metadata_title: str | None = None
    page_count: int | None = None
    extra: dict = field(default_factory=dict)


def load_file(path: Path, max_pages: int) -> LoadedFile:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(f"unsupported file type '{suffix or '(none)'}'")
    if path.stat().st_size == 0:
        raise LoadError("file is empty (0 bytes)")
    if suffix == ".pdf":
        return _load_pdf(path, max_pages)
    if suffix == ".docx":
        return _load_docx(path)
    if suffix in {".html", ".htm"}:
        return _load_html(path)
    if suffix in {".md", ".markdown"}:
        return _load_markdown(path)
    return LoadedFile(pages=[PageText(None, None, _read_text(path))])


MARKDOWN_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.+?)\s*#*\s*$")


def _load_markdown(path: Path) -> LoadedFile:
    """Markdown headings ("## Early help") mark sections: the marks go, the titles become heading hints."""
    lines, headings = [], []
    for line in _read_text(path).split("\n"):
        match = MARKDOWN_HEADING.match(line)
        if match:
            line = match.group(1)
            headings.append(line)
        lines.append(line)
    title = headings[0] if headings else None
    return LoadedFile(pages=[PageText(None, None, "\n".join(lines))], metadata_title=title, extra=_hints(headings))


def _hints(headings: list[str]) -> dict:
    return {"heading_hints": [" ".join(h.split()) for h in headings if h.strip()]}


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise LoadError("binary content in a text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(f"not valid UTF-8 text (byte {exc.start})") from None


def _load_pdf(path: Path, max_pages: int) -> LoadedFile:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise LoadError("PDF is encrypted (password protected)")
        count = len(reader.pages)
    except LoadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise LoadError(f"corrupt or unreadable PDF ({exc})") from None
    if count > max_pages:
        raise LoadError(f"PDF has {count} pages, over the limit of {max_pages} pages")
    labels = _page_labels(reader, count)
    pages = []
    runs = RunCollector()
    for index, page in enumerate(reader.pages):
        try:
            text = page.extract_text(visitor_text=runs) or ""
            runs.flush()
        except Exception as exc:  # pypdf raises many types on damaged content streams
            raise LoadError(f"cannot extract text from page {index + 1} ({exc})") from None
        pages.append(PageText(index + 1, labels[index], text))
    if not any(p.text.strip() for p in pages):
        raise LoadError("PDF has no text layer (scanned or image-only); run OCR first")
    title = None
    try:
        title = (reader.metadata or {}).get("/Title") or None
    except Exception:
        title = None
    return LoadedFile(
        pages=pages,
        metadata_title=str(title) if title else None,
        page_count=count,
        extra={"heading_hints": heading_hints(runs)},
    )


def _page_labels(reader, count: int) -> list[str | None]:
    """Printed labels only when the PDF defines them; pypdf invents '1', '2'... otherwise."""
    try:
        root = reader.trailer["/Root"]
        if "/PageLabels" not in root:
            return [None] * count
        return list(reader.page_labels)
    except Exception:
        return [None] * count


def _load_docx(path: Path) -> LoadedFile:
    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise LoadError("not a valid DOCX (not a zip archive)") from None
    if expanded > MAX_DOCX_EXPANDED_BYTES:
        raise LoadError(f"DOCX expands to {expanded // 2**20} MB, over the limit (possible zip bomb)")
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:
        raise LoadError(f"corrupt or unreadable DOCX ({exc})") from None
    lines = list(_docx_blocks(document))
    # Paragraphs styled as headings are the document's own sections (a paragraph may have no style at all).
    styled = [(p.text, getattr(p.style, "name", "") or "") for p in document.paragraphs]
    headings = [text for text, style in styled if style.startswith(("Heading", "Title"))]
    title = document.core_properties.title or None
    return LoadedFile(pages=[PageText(None, None, "\n".join(lines))], metadata_title=title, extra=_hints(headings))


def _docx_blocks(document):
    """Paragraphs and table rows in reading order; a table row becomes one line of cells."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            yield item.text
        elif isinstance(item, Table):
            for row in item.rows:
                cells = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if text and (not cells or cells[-1] != text):
                        cells.append(text)
                yield "  ".join(cells)
            yield ""


def _load_html(path: Path) -> LoadedFile:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_read_text(path), "lxml")
    for tag in soup(["script", "style", "noscript", "template", "svg", "head", "nav", "footer", "form"]):
        tag.decompose()
    title = None
    heading = soup.find(["h1", "title"])
    if heading:
        title = " ".join(heading.get_text(" ").split()) or None
    headings = [tag.get_text(" ") for tag in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    for tag in soup.find_all(["p", "div", "li", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "section"]):
        tag.insert_before("\n")
        tag.insert_after("\n")
    text = soup.get_text()
    return LoadedFile(pages=[PageText(None, None, text)], metadata_title=title, extra=_hints(headings))
