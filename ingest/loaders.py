"""Turn a file on disk into page texts, one loader per format.

Every loader returns the same shape (a list of pages with physical number and printed label) so the
cleaner, the section finder and the chunker never need to know where the text came from.
"""

from __future__ import annotations

import html
import math
import re
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from index.lexicon import SUPPORTED_SUFFIXES
from index.records import OCR, TEXT_LAYER, Box

from .footnotes import Glyph, Mark, marks_in_word, without_marks
from .pdf_headings import RunCollector, heading_hints
from .spacing import mend_split_words

# A DOCX is a zip; refuse archives that would expand far beyond their size (zip bombs). Its XML is parsed
# into a tree and walked paragraph by paragraph, which costs seconds per few MB: a long report's XML is a
# few MB, so 20 MB is generous. Images and other binary parts are only copied, so they may be larger.
MAX_DOCX_XML_BYTES = 20 * 1024 * 1024
MAX_DOCX_EXPANDED_BYTES = 200 * 1024 * 1024
MAX_DOCX_CONTENT_TYPES_BYTES = 1024 * 1024


class LoadError(Exception):
    """A file we cannot read; the message names the problem for the user."""


@dataclass(frozen=True)
class TextPiece:
    """A run of a page's text (a character, a word or an OCR line) and its box on the page: what lets a
    sentence be found again on the page image."""

    text: str
    box: Box


@dataclass
class PageText:
    page: int | None  # 1-based physical page for PDFs, None for flowing text
    label: str | None
    text: str
    source: str = TEXT_LAYER  # TEXT_LAYER or OCR
    confidence: float | None = None  # mean OCR confidence (0..1) for OCR'd pages
    pieces: list[TextPiece] = field(default_factory=list)  # the page's text with boxes, in reading order


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
    _read_with_pdfium(path, pages)
    mends = _mend_split_words(pages)
    if not any(p.text.strip() for p in pages):
        if any(p.source == OCR for p in pages):
            raise LoadError("PDF has no text layer and OCR found no text on its pages (blank or unreadable scan)")
        raise LoadError("PDF has no text layer (scanned or image-only) and its pages could not be rendered for OCR")
    title = None
    try:
        title = (reader.metadata or {}).get("/Title") or None
    except Exception:
        title = None
    return LoadedFile(
        pages=pages,
        metadata_title=str(title) if title else None,
        page_count=count,
        extra={"heading_hints": heading_hints(runs, mends)},
    )


def _read_with_pdfium(path: Path, pages: list[PageText]) -> None:
    """Give every page its pieces (words with boxes), and read the pages without usable text by OCR.

    The text of a text-layer page stays pypdf's (what chunking, headings and tests are built on); pdfium
    supplies where its words are. A page whose text layer is missing or garbage is rendered and OCR'd:
    its text, pieces, source and confidence come from the OCR."""
    import pypdfium2 as pdfium

    from . import ocr

    try:
        document = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError):
        return  # pypdf could read it; without pdfium it keeps its text, without boxes or OCR
    try:
        if len(document) != len(pages):
            return
        todo = [i for i, p in enumerate(pages) if _needs_ocr(p.text, document[i])]
        for i in set(range(len(pages))) - set(todo):
            pieces, marks = _text_layer_words(document[i])
            pages[i] = replace(pages[i], text=without_marks(pages[i].text, marks), pieces=pieces)
        if todo:
            ocr.report_progress(path.name, 0, len(todo))
        for done, i in enumerate(todo, start=1):
            read = ocr.read_page(document[i])
            pages[i] = replace(
                pages[i],
                text=read.text,
                source=OCR,
                confidence=read.confidence,
                pieces=[TextPiece(w.text, w.box) for w in read.words],
            )
            ocr.report_progress(path.name, done, len(todo))
    finally:
        document.close()


def _mend_split_words(pages: list[PageText]) -> dict[str, str]:
    """Join the words pypdf split on text-layer pages where pdfium reads them whole; the mends made."""
    mends: dict[str, str] = {}
    for i, page in enumerate(pages):
        if page.source != OCR and page.pieces:
            text, found = mend_split_words(page.text, [piece.text for piece in page.pieces])
            pages[i] = replace(page, text=text)
            mends.update(found)
    return mends


def _needs_ocr(text: str, page) -> bool:
    """A page is OCR'd when its text layer is missing or garbage and something is drawn on it (a page with
    no objects is blank), or when it is a scan (one image covering the page) whose text layer holds no more
    than a stamp ("Page 3 of 40", "Confidential") added after scanning."""
    import pypdfium2.raw as pdfium_c

    from . import ocr

    if pdfium_c.FPDFPage_CountObjects(page) == 0:
        return False
    if not ocr.text_is_usable(text):
        return True
    return len("".join(text.split())) <= ocr.STAMP_MAX_CHARS and _image_share(page) >= ocr.SCAN_IMAGE_SHARE


def _image_share(page) -> float:
    """The largest share of the page one image covers."""
    import pypdfium2.raw as pdfium_c

    left, bottom, right, top = page.get_bbox()
    area = (right - left) * (top - bottom)
    if area <= 0:
        return 0.0
    best = 0.0
    for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        x0, y0, x1, y1 = image.get_bounds()
        width = max(0.0, min(x1, right) - max(x0, left))
        height = max(0.0, min(y1, top) - max(y0, bottom))
        best = max(best, width * height / area)
    return best


def _text_layer_words(page) -> tuple[list[TextPiece], list[Mark]]:
    """The page's words with their boxes, from pdfium's text page in content order (the order pypdf reads
    the text in), and the footnote marks glued to them (ingest/footnotes.py). pdfium gives character boxes
    only; words are made here by splitting at whitespace and at a jump between characters, and each word's
    box is mapped through the page's display matrix (crop box and rotation) to fractions of the rendered
    page, origin at the top left.

    A page has thousands of characters, so the loop calls pdfium's C functions directly on raw handles with
    one reused box, not through the helper objects (which build new ctypes values for every call)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        textpage = page.get_textpage()
    except pdfium.PdfiumError:
        return [], []
    try:
        words: list[TextPiece] = []
        marks: list[Mark] = []
        chars: list[str] = []
        at: list[int] = []  # each character's index on the text page
        box: list[float] = []
        previous = None
        to_fraction = _PageFraction(page)

        def glyph(char: str, index: int) -> Glyph:
            get_matrix(raw, index, matrix)
            return Glyph(char, math.hypot(matrix.c, matrix.d), matrix.f)

        def flush() -> None:
            if chars:
                x0, y0 = to_fraction(box[0], box[3])
                x1, y1 = to_fraction(box[2], box[1])
                words.append(TextPiece("".join(chars), Box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))))
                if any(char.isdigit() for char in chars[1:]):  # only a word with a digit after its start
                    marks.extend(marks_in_word([glyph(char, index) for char, index in zip(chars, at, strict=True)]))
            chars.clear()
            at.clear()
            box.clear()

        raw = textpage.raw
        get_unicode, is_generated = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_IsGenerated
        get_box, rect = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FS_RECTF()
        get_matrix, matrix = pdfium_c.FPDFText_GetMatrix, pdfium_c.FS_MATRIX()
        for index in range(textpage.count_chars()):
            code = get_unicode(raw, index)
            char = chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else ""
            if not char or char.isspace() or is_generated(raw, index) == 1:
                flush()
                previous = None
                continue
            if not get_box(raw, index, rect):
                continue
            current = (rect.left, rect.bottom, rect.right, rect.top)
            left, bottom, right, top = current
            if previous is not None and _is_jump(previous, current):
                flush()
            if box:
                box[:] = [min(box[0], left), min(box[1], bottom), max(box[2], right), max(box[3], top)]
            else:
                box[:] = [left, bottom, right, top]
            chars.append(char)
            at.append(index)
            previous = current
        flush()
        return words, marks
    finally:
        textpage.close()


def _is_jump(before: tuple[float, ...], after: tuple[float, ...]) -> bool:
    """Two characters belong to different words when the second is not just after the first on its line:
    above or below it, behind it, or more than a character's height to its right."""
    size = max(before[3] - before[1], after[3] - after[1], 1.0)
    middle = (after[1] + after[3]) / 2
    if not before[1] - 0.2 * size <= middle <= before[3] + 0.2 * size:
        return True
    return after[0] < before[0] - 0.5 * size or after[0] - before[2] > size


class _PageFraction:
    """A point in PDF page space as fractions of the displayed page (pdfium's display matrix: crop box,
    page rotation, and the flip from a bottom-left to a top-left origin)."""

    # The page is mapped onto a square device of this many units: fractions need no page size.
    SCALE = 1_000_000

    def __init__(self, page):
        import ctypes

        import pypdfium2.raw as pdfium_c

        self.raw = page.raw
        self.to_device = pdfium_c.FPDF_PageToDevice
        self.device_x, self.device_y = ctypes.c_int(), ctypes.c_int()

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        scale = self.SCALE
        self.to_device(self.raw, 0, 0, scale, scale, 0, x, y, self.device_x, self.device_y)
        return min(1.0, max(0.0, self.device_x.value / scale)), min(1.0, max(0.0, self.device_y.value / scale))


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
            _check_docx_sizes(archive)
    except zipfile.BadZipFile:
        raise LoadError("not a valid DOCX (not a zip archive)") from None
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:
        raise LoadError(f"corrupt or unreadable DOCX ({exc})") from None
    # Paragraphs styled as headings are the document's own sections (a paragraph may have no style at all).
    # Style names are looked up once, not per paragraph (python-docx's `paragraph.style` searches the styles
    # part each time: about a millisecond a paragraph).
    names = {style.style_id: style.name or "" for style in document.styles}
    lines, headings = [], []
    for line, style_id in _docx_blocks(document):
        lines.append(line)
        if style_id is not None and names.get(style_id, "").startswith(("Heading", "Title")):
            headings.append(line)
    title = document.core_properties.title or None
    return LoadedFile(pages=[PageText(None, None, "\n".join(lines))], metadata_title=title, extra=_hints(headings))


def _check_docx_sizes(archive: zipfile.ZipFile) -> None:
    """Refuse a DOCX whose parts would expand too far. The sizes are those the zip declares, which are all
    that zipfile will ever inflate (a part that claims less is cut there and fails its CRC check)."""
    infos = archive.infolist()
    expanded = sum(info.file_size for info in infos)
    if expanded > MAX_DOCX_EXPANDED_BYTES:
        raise LoadError(
            f"DOCX expands to {expanded // 2**20} MB, over the limit of {MAX_DOCX_EXPANDED_BYTES // 2**20} MB "
            "(possible zip bomb)"
        )
    types = _content_types(archive)
    xml = sum(info.file_size for info in infos if _is_xml_part(info.filename, types))
    if xml > MAX_DOCX_XML_BYTES:
        raise LoadError(
            f"DOCX holds {xml / 2**20:.0f} MB of XML, over the limit of {MAX_DOCX_XML_BYTES // 2**20} MB "
            "(possible zip bomb)"
        )


def _content_types(archive: zipfile.ZipFile) -> tuple[dict[str, str], dict[str, str]]:
    """The package's content types: (by extension, by part name), read without resolving entities."""
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return defaults, overrides
    if info.file_size > MAX_DOCX_CONTENT_TYPES_BYTES:
        raise LoadError("DOCX content types part is too large (possible zip bomb)")
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(archive.read(info), parser)
    except Exception as exc:
        raise LoadError(f"corrupt or unreadable DOCX ({exc})") from None
    for element in root:
        tag = etree.QName(element).localname if isinstance(element.tag, str) else ""
        content_type = element.get("ContentType") or ""
        if tag == "Default":
            defaults[(element.get("Extension") or "").lower()] = content_type
        elif tag == "Override":
            overrides[(element.get("PartName") or "").lower()] = content_type
    return defaults, overrides


def _is_xml_part(name: str, types: tuple[dict, dict]) -> bool:
    """Whether python-docx would parse this part as XML: by its name, or by the content type the package
    gives it (a part may be named anything)."""
    defaults, overrides = types
    lowered = name.lower()
    if lowered.endswith((".xml", ".rels")):
        return True
    content_type = overrides.get("/" + lowered) or defaults.get(PurePosixPath(lowered).suffix.lstrip("."), "")
    return "xml" in content_type.lower()


def _docx_blocks(document):
    """(line, paragraph style id) in reading order: a paragraph is a line, a table row one line of cells."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            yield _paragraph_text(item._p), item._p.style
        elif isinstance(item, Table):
            for row in item.rows:
                cells = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if text and (not cells or cells[-1] != text):
                        cells.append(text)
                yield "  ".join(cells), None
            yield "", None


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RUN_CONTENT = frozenset(_W + name for name in ("br", "cr", "noBreakHyphen", "ptab", "t", "tab"))


def _paragraph_text(paragraph) -> str:
    """python-docx's `Paragraph.text` (runs, and runs inside hyperlinks, each child as python-docx renders
    it), walking the children directly: its XPath queries, compiled again for every paragraph and run, made a
    paragraph-dense DOCX read at a few seconds a megabyte."""
    parts = []
    for child in paragraph:
        if child.tag == _W + "r":
            parts += [str(e) for e in child if e.tag in _RUN_CONTENT]
        elif child.tag == _W + "hyperlink":
            parts += [str(e) for run in child if run.tag == _W + "r" for e in run if e.tag in _RUN_CONTENT]
    return "".join(parts)


# HTML is read by a scanner of our own: one pass over the text, no tree. A parser that builds a tree (as
# BeautifulSoup does) or keeps a stack it searches on every end tag (libxml2) takes time that grows with
# the square of the nesting: 200 KB of nested <div>s held the store for 30 s. Here nesting costs nothing
# (the structure is flattened to text), and every search moves strictly forward, so reading is linear in
# the file's size whatever it holds: unclosed comments, quotes or tags included.
HTML_SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "head", "nav", "footer", "form"})
# Elements whose content is raw text up to their end tag (never markup); those also in HTML_SKIPPED are dropped.
HTML_RAW_TEXT = frozenset({"script", "style", "noscript", "xmp", "iframe", "noembed", "noframes", "textarea", "title"})
HTML_BLOCKS = frozenset({"p", "div", "li", "tr", "br", "section", "h1", "h2", "h3", "h4", "h5", "h6"})
HTML_CELLS = frozenset({"td", "th"})
HTML_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TAG_NAME = re.compile(r"[A-Za-z][^\s/>]*")
_TAG_STOP = re.compile(r"[>\"']")
_RAW_END = {name: re.compile(rf"</{name}(?=[\s/>])", re.IGNORECASE) for name in HTML_RAW_TEXT}


def _load_html(path: Path) -> LoadedFile:
    extracted = html_text(_read_text(path))
    return LoadedFile(
        pages=[PageText(None, None, extracted.text)], metadata_title=extracted.title, extra=_hints(extracted.headings)
    )


@dataclass
class HtmlText:
    text: str
    title: str | None
    headings: list[str]


def html_text(source: str) -> HtmlText:
    """The readable text of an HTML document in one linear pass: scripts, styles, head, navigation, footers
    and forms dropped, attributes (event handlers, links) never read, block elements on lines of their own,
    headings (h1-h6) listed and the first h1 as the title."""
    out: list[str] = []
    headings: list[str] = []
    heading: list[str] | None = None
    title: str | None = None
    skipping: dict[str, int] = {}
    n = len(source)
    pos = 0

    def text(segment: str) -> None:
        if segment and not skipping:
            segment = html.unescape(segment)
            out.append(segment)
            if heading is not None:
                heading.append(segment)

    def close_heading() -> None:
        nonlocal heading, title
        if heading is not None:
            words = " ".join(" ".join(heading).split())
            headings.append(words)
            if title is None and heading_tag == "h1" and words:
                title = words
            heading = None

    heading_tag = ""
    scan = 0  # where to look for the next "<"; text from pos up to it is not yet written
    while pos < n:
        lt = source.find("<", scan)
        if lt < 0:
            text(source[pos:])
            break
        nxt = source[lt + 1 : lt + 2]
        closing = nxt == "/"
        name_match = _TAG_NAME.match(source, lt + 2 if closing else lt + 1)
        if name_match is None and nxt not in ("!", "?", "/"):  # a lone "<" is text
            scan = lt + 1
            continue
        text(source[pos:lt])
        if name_match is None:  # comment, doctype, processing instruction, CDATA, bogus comment
            if source.startswith("<!--", lt):
                end = source.find("-->", lt + 4)
                pos = scan = n if end < 0 else end + 3
            else:
                end = source.find(">", lt + 2)
                pos = scan = n if end < 0 else end + 1
            continue
        end = _tag_end(source, name_match.end())
        if end < 0:  # a tag cut off by the end of the file is dropped, as a browser does
            break
        name = name_match.group(0).lower()
        self_closing = source[end - 1] == "/" and not closing
        pos = scan = end + 1
        if closing:
            if name in HTML_SKIPPED and skipping.get(name):
                skipping[name] -= 1
                if not skipping[name]:
                    del skipping[name]
            if skipping:
                continue
            if name in HTML_HEADINGS:
                close_heading()
            if name in HTML_BLOCKS:
                out.append("\n")
            elif name in HTML_CELLS:
                out.append(" ")
            continue
        if name == "body":
            skipping.pop("head", None)  # <body> ends the head even when </head> is missing
        if name in HTML_RAW_TEXT and not self_closing:
            raw_end = _RAW_END[name].search(source, pos)
            content_end = n if raw_end is None else raw_end.start()
            # A <title> sits in <head>, which is dropped as before: the first h1 names the document.
            if name not in HTML_SKIPPED and name != "title":
                text(source[pos:content_end])
            if raw_end is None:
                break
            close = _tag_end(source, raw_end.end())
            pos = scan = n if close < 0 else close + 1
            continue
        if name in HTML_SKIPPED and not self_closing:
            skipping[name] = skipping.get(name, 0) + 1
            continue
        if skipping:
            continue
        if name in HTML_BLOCKS:
            out.append("\n")
        elif name in HTML_CELLS:
            out.append(" ")
        if name in HTML_HEADINGS:
            close_heading()
            heading, heading_tag = [], name
    close_heading()
    return HtmlText("".join(out), title, headings)


def _tag_end(source: str, pos: int) -> int:
    """Index of the ">" ending the tag whose attributes start at pos (quoted values may hold ">"), or -1."""
    while True:
        stop = _TAG_STOP.search(source, pos)
        if stop is None:
            return -1
        if stop.group(0) == ">":
            return stop.start()
        close = source.find(stop.group(0), stop.start() + 1)
        if close < 0:
            return -1
        pos = close + 1
