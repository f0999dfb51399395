"""Remove what repeats on every page (running headers, footers, page numbers) and table-of-contents lines.

Headers left in the text would be indexed as if they were content: every chunk would "match" the
document title, and a page number line would read as a figure.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

from .loaders import PageText

PAGE_NUMBER_LINE = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.I)
# "4.2 Child Protection (CP) ........ 40" or "Glossary …………… 84"
TOC_LINE = re.compile(r"^\s*(?P<title>\S.*?)\s*(?:\.{4,}|…{2,}|\. \. \. )[\s.…]*(?P<page>\d{1,4})\s*$")
EDGE_LINES = 3
FURNITURE_SHARE = 0.4  # a line on this share of the pages (and on three at least) is furniture, not text
REPEATED_ROW_WORDS = 4  # away from the page's edges, only a line of this many words or more ...
REPEATED_ROW_PAGES = 5  # ... on this many pages at least


@dataclass
class CleanedPages:
    pages: list[PageText]
    toc_titles: list[str]  # table-of-contents titles, used to recognise headings
    running_lines: list[str]  # removed headers and footers: they often name the document and its period


def _shape(line: str) -> str:
    """A line's identity across pages: digits vary (page numbers), the rest repeats. Its words are taken in
    any order, because OCR reads a footer's date and title, or title and page number, in either order
    depending on a pixel's difference in their height."""
    return " ".join(sorted(re.sub(r"\d+", "#", line.lower()).split()))


def _edge_indices(lines: list[str]) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return filled[:EDGE_LINES] + filled[-EDGE_LINES:]


def clean_pages(pages: list[PageText], letterhead: list[str] | None = None) -> CleanedPages:
    """`letterhead`: lines of the first page that its layout shows to be letterhead or an address block
    (ingest.pdf_layout); they appear once, so the repeat-based search below cannot find them."""
    toc_titles: list[str] = []
    # Ligatures ("ﬁ" in "notiﬁcation") and other compatibility forms would hide words from search.
    pages = [replace(p, text=unicodedata.normalize("NFKC", p.text)) for p in pages]
    if len(pages) > 1:
        pages, running = _strip_paged_furniture(pages)
    else:
        text, running = _strip_flowing_furniture(pages[0].text) if pages else ("", [])
        pages = [replace(p, text=text) for p in pages]
    if letterhead and pages:  # after the running headers: a header on the first page is letterhead-like too
        pages = [replace(pages[0], text=_drop_letterhead(pages[0].text, letterhead)), *pages[1:]]
    cleaned = []
    for page in pages:
        kept = []
        for line in page.text.replace("\u00a0", " ").replace("\r", "").split("\n"):
            match = TOC_LINE.match(line)
            if match:
                toc_titles.append(" ".join(match.group("title").split()))
                continue
            kept.append(line.rstrip())
        cleaned.append(replace(page, text="\n".join(kept)))
    return CleanedPages(cleaned, toc_titles, running)


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", unicodedata.normalize("NFKC", text).lower())


def _drop_letterhead(text: str, letterhead: list[str]) -> str:
    """Drop the lines the layout found to be letterhead. The text layer may join a letterhead's columns
    into one line ("Piccadilly Gate T 0300 123 1231"), so a line goes when it is a run of letterhead."""
    pieces = {_squash(line) for line in letterhead} - {""}
    joined = "".join(_squash(line) for line in letterhead)
    kept = []
    for line in text.split("\n"):
        squashed = _squash(line)
        if squashed and (squashed in pieces or (len(squashed) >= 8 and squashed in joined)):
            continue
        kept.append(line)
    return "\n".join(kept)


def _strip_paged_furniture(pages: list[PageText]) -> tuple[list[PageText], list[str]]:
    """Drop lines that sit at the top or bottom of many pages with the same shape, and page numbers."""
    split = [p.text.replace("\r", "").split("\n") for p in pages]
    furniture = _two_page_furniture(split) if len(split) == 2 else _many_page_furniture(split)
    rows = _repeated_rows(split) if len(split) > 2 else set()
    result, running = [], {}
    for page, lines in zip(pages, split, strict=True):
        edges = set(_edge_indices(lines))
        kept = []
        for i, line in enumerate(lines):
            if (i in edges and _shape(line) in furniture) or _shape(line) in rows:
                running.setdefault(_shape(line), " ".join(line.split()))
            elif not (i in edges and PAGE_NUMBER_LINE.match(line)):
                kept.append(line)
        result.append(replace(page, text="\n".join(kept)))
    return result, list(running.values())


def _many_page_furniture(split: list[list[str]]) -> set[str]:
    counts: Counter[str] = Counter()
    for lines in split:
        counts.update({_shape(lines[i]) for i in _edge_indices(lines)})
    threshold = max(3, int(FURNITURE_SHARE * len(split)))
    return {shape for shape, n in counts.items() if n >= threshold and shape.strip()}


def _repeated_rows(split: list[list[str]]) -> set[str]:
    """Lines of several words on most pages wherever they sit: a long table's header row repeated under each
    page's heading ("LEVEL 1 LEVEL 2 LEVEL 3 LEVEL 4"), which would otherwise make a passage of its own on
    every page and match any question naming a level."""
    counts: Counter[str] = Counter()
    for lines in split:
        counts.update({_shape(line) for line in lines if _row_like(line)})
    threshold = max(REPEATED_ROW_PAGES, int(FURNITURE_SHARE * len(split)))
    return {shape for shape, n in counts.items() if n >= threshold}


def _row_like(line: str) -> bool:
    """Several words ending no sentence or lead-in ("We aim to achieve this by;" recurs as text)."""
    return len(line.split()) >= REPEATED_ROW_WORDS and not line.rstrip().endswith((".", ":", ";", ","))


def _two_page_furniture(split: list[list[str]]) -> set[str]:
    """Two pages (a briefing, a leaflet) give no majority to count: a header or footer is a line at the
    same edge of both pages, so a list running over the page break is not taken for one."""
    furniture = set()
    for edge in (slice(0, EDGE_LINES), slice(-EDGE_LINES, None)):
        first, second = ({_shape(line) for line in lines if line.strip()} for lines in _edges(split, edge))
        furniture |= {shape for shape in first & second if re.search(r"[a-z]", shape)}
    return furniture


def _edges(split: list[list[str]], edge: slice) -> list[list[str]]:
    return [[line for line in lines if line.strip()][edge] for lines in split]


def _strip_flowing_furniture(text: str) -> tuple[str, list[str]]:
    """In text extracted from a paged document, a header repeats next to a lone page-number line."""
    lines = text.replace("\r", "").replace("\f", "\n").split("\n")
    counts = Counter(_shape(line) for line in lines if len(line.strip()) >= 15)
    furniture = set()
    for i, line in enumerate(lines):
        shape = _shape(line)
        if counts.get(shape, 0) < 3:
            continue
        near = lines[max(0, i - 2) : i] + lines[i + 1 : i + 3]
        if any(PAGE_NUMBER_LINE.match(n) for n in near):
            furniture.add(shape)
    if not furniture:
        return text, []
    drop = set()
    for i, line in enumerate(lines):
        if _shape(line) in furniture:
            drop.add(i)
            for j in range(max(0, i - 2), min(len(lines), i + 3)):
                if PAGE_NUMBER_LINE.match(lines[j]):
                    drop.add(j)
    running = {_shape(line): " ".join(line.split()) for line in reversed(lines) if _shape(line) in furniture}
    return "\n".join(line for i, line in enumerate(lines) if i not in drop), list(running.values())
