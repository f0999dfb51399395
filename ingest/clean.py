"""Remove what repeats on every page (running headers, footers, page numbers) and table-of-contents lines.

Headers left in the text would be indexed as if they were content: every chunk would "match" the
document title, and a page number line would read as a figure.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from .loaders import PageText

PAGE_NUMBER_LINE = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.I)
# "4.2 Child Protection (CP) ........ 40" or "Glossary …………… 84"
TOC_LINE = re.compile(r"^\s*(?P<title>\S.*?)\s*(?:\.{4,}|…{2,}|\. \. \. )[\s.…]*(?P<page>\d{1,4})\s*$")
EDGE_LINES = 3


@dataclass
class CleanPage:
    page: int | None
    label: str | None
    text: str


def _shape(line: str) -> str:
    """A line's identity across pages: digits vary (page numbers), the rest repeats."""
    return re.sub(r"\d+", "#", " ".join(line.split())).lower()


def _edge_indices(lines: list[str]) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return filled[:EDGE_LINES] + filled[-EDGE_LINES:]


def clean_pages(pages: list[PageText]) -> tuple[list[CleanPage], list[str]]:
    """Return cleaned pages and the table-of-contents titles found (used to recognise headings)."""
    toc_titles: list[str] = []
    # Ligatures ("ﬁ" in "notiﬁcation") and other compatibility forms would hide words from search.
    pages = [PageText(p.page, p.label, unicodedata.normalize("NFKC", p.text)) for p in pages]
    if len(pages) > 1:
        pages = _strip_paged_furniture(pages)
    else:
        pages = [PageText(p.page, p.label, _strip_flowing_furniture(p.text)) for p in pages]
    cleaned = []
    for page in pages:
        kept = []
        for line in page.text.replace("\u00a0", " ").replace("\r", "").split("\n"):
            match = TOC_LINE.match(line)
            if match:
                toc_titles.append(" ".join(match.group("title").split()))
                continue
            kept.append(line.rstrip())
        cleaned.append(CleanPage(page.page, page.label, "\n".join(kept)))
    return cleaned, toc_titles


def _strip_paged_furniture(pages: list[PageText]) -> list[PageText]:
    """Drop lines that sit at the top or bottom of many pages with the same shape, and page numbers."""
    split = [p.text.replace("\r", "").split("\n") for p in pages]
    counts: Counter[str] = Counter()
    for lines in split:
        counts.update({_shape(lines[i]) for i in _edge_indices(lines)})
    threshold = max(3, int(0.4 * len(pages)))
    furniture = {shape for shape, n in counts.items() if n >= threshold and shape.strip()}
    result = []
    for page, lines in zip(pages, split, strict=True):
        edges = set(_edge_indices(lines))
        kept = [
            line
            for i, line in enumerate(lines)
            if not (i in edges and (_shape(line) in furniture or PAGE_NUMBER_LINE.match(line)))
        ]
        result.append(PageText(page.page, page.label, "\n".join(kept)))
    return result


def _strip_flowing_furniture(text: str) -> str:
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
        return text
    drop = set()
    for i, line in enumerate(lines):
        if _shape(line) in furniture:
            drop.add(i)
            for j in range(max(0, i - 2), min(len(lines), i + 3)):
                if PAGE_NUMBER_LINE.match(lines[j]):
                    drop.add(j)
    return "\n".join(line for i, line in enumerate(lines) if i not in drop)
