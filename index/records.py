"""Records that cross module boundaries.

They are plain dataclasses at the bottom layer so that ingest, the store, the answering engine, the
CLI, the web app and the evaluator all speak of the same things, and can turn them into JSON without
knowing how they were produced.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from .periods import normalise_period, periods_in


@dataclass
class Document:
    doc_id: str
    content_sha256: str
    source: str
    title: str
    body: str
    period: str | None
    kind: str
    collection: str = "default"
    pages: int | None = None
    ingested_at: str = ""
    chunks: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Chunk:
    chunk_id: str
    doc_id: str
    position: int
    text: str
    section: str
    section_path: str
    page: int | None
    last_page: int | None
    page_label: str | None
    char_start: int
    char_end: int
    embed_text: str = ""


@dataclass(frozen=True)
class Box:
    """A rectangle on a page as fractions of the page's width and height, origin at the top left, so any
    render size of the page image can draw it."""

    x0: float
    y0: float
    x1: float
    y1: float

    def to_list(self) -> list[float]:
        return [round(v, 5) for v in (self.x0, self.y0, self.x1, self.y1)]

    @classmethod
    def of(cls, values) -> Box:
        return cls(*(float(v) for v in values))


def boxes_to_json(boxes) -> str:
    """The one stored form of a list of boxes (registry columns)."""
    return json.dumps([b.to_list() for b in boxes]) if boxes else ""


def boxes_from_json(text: str | None) -> tuple[Box, ...]:
    return tuple(Box.of(v) for v in json.loads(text)) if text else ()


@dataclass
class Figure:
    as_written: str
    value: float
    unit: str
    label: str
    period: str | None
    sentence: str
    chunk_id: str = ""
    doc_id: str = ""
    page: int | None = None
    section: str = ""
    # A figure read from a table cell carries its row label, column header and the table's caption, and
    # the cell's box on the page; a figure read from running text leaves them empty.
    row: str = ""
    column: str = ""
    caption: str = ""
    box: Box | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# How a page's text was obtained: from the file's own text layer, or read from its image by OCR.
TEXT_LAYER = "text"
OCR = "ocr"


@dataclass(frozen=True)
class PageStart:
    """Where a physical page (1-based) and its printed label begin in the document text, and how its text
    was obtained (text layer or OCR, with the OCR's mean confidence)."""

    page: int | None
    label: str | None
    start: int
    source: str = TEXT_LAYER
    confidence: float | None = None


@dataclass
class PageMap:
    """Where each physical page starts in the document text: the page of any character offset."""

    starts: list[int]
    pages: list[int | None]
    labels: list[str | None]

    @classmethod
    def of(cls, page_starts: list[PageStart]) -> PageMap:
        return cls([p.start for p in page_starts], [p.page for p in page_starts], [p.label for p in page_starts])

    def at(self, offset: int) -> tuple[int | None, str | None]:
        if not self.starts:
            return None, None
        i = max(0, bisect.bisect_right(self.starts, offset) - 1)
        return self.pages[i], self.labels[i]


@dataclass(frozen=True)
class Sentence:
    """A sentence of a stored document: its span in the document text, its physical page, and its vector
    (float32 bytes, unit length) once embedded."""

    start: int
    end: int
    page: int | None
    text: str
    vector: bytes = b""
    boxes: tuple[Box, ...] = ()  # where the sentence lies on its page (one box per line it covers)


def where(title: str, section: str, page: int | None, page_label: str | None) -> str:
    """The one way a place in the documents is written for people: "title · section · page 4 (printed 2)"."""
    parts = [title]
    if section:
        parts.append(section)
    if page:
        text = f"page {page}"
        if page_label and str(page_label) != str(page):
            text += f" (printed {page_label})"
        parts.append(text)
    return " · ".join(parts)


@dataclass
class Passage:
    chunk_id: str
    doc_id: str
    source: str
    title: str
    section: str
    page: int | None
    page_label: str | None
    text: str
    score: float = 0.0
    dense_score: float | None = None
    keyword_score: float | None = None
    rank: int = 0
    period: str | None = None
    section_path: str = ""
    char_start: int = 0
    char_end: int = 0
    last_page: int | None = None

    def where(self) -> str:
        return where(self.title or self.source, self.section, self.page, self.page_label)

    def to_json(self) -> dict[str, Any]:
        """The contract shape of a search passage."""
        return {
            "rank": self.rank,
            "doc_id": self.doc_id,
            "source": self.source,
            "title": self.title,
            "section": self.section,
            "page": self.page,
            "page_label": self.page_label,
            "text": self.text,
            "score": round(self.score, 6),
        }


@dataclass
class Citation:
    n: int
    passage: Passage
    sentence: str
    page: int | None
    page_label: str | None = None

    def where(self) -> str:
        p = self.passage
        return where(p.title or p.source, p.section, self.page, self.page_label)

    def to_json(self) -> dict[str, Any]:
        p = self.passage
        return {
            "n": self.n,
            "doc_id": p.doc_id,
            "source": p.source,
            "title": p.title,
            "section": p.section,
            "page": self.page,
            "page_label": self.page_label,
            "sentence": self.sentence,
            "passage": p.text,
        }


@dataclass
class AnswerFigure:
    as_written: str
    value: float
    unit: str
    label: str
    period: str | None
    citation: int | None
    computed: bool = False
    sources: list[int] = field(default_factory=list)
    doc_id: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "as_written": self.as_written,
            "value": self.value,
            "unit": self.unit,
            "label": self.label,
            "period": self.period,
            "citation": self.citation,
            "computed": self.computed,
            "from": self.sources,
            "doc_id": self.doc_id,
        }


@dataclass
class Answer:
    question: str
    text: str
    abstained: bool
    reason: str = ""
    citations: list[Citation] = field(default_factory=list)
    figures: list[AnswerFigure] = field(default_factory=list)
    closest: list[Passage] = field(default_factory=list)
    period_used: str | None = None
    confidence: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    extractive_text: str | None = None  # set when a language model reworded the answer
    unverified: list[str] = field(default_factory=list)  # numbers the model wrote that no citation holds
    read_as: str | None = None  # the question as read, when words the documents never use were corrected

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "reason": self.reason,
            "citations": [c.to_json() for c in self.citations],
            "figures": [f.to_json() for f in self.figures],
            "closest": [p.to_json() for p in self.closest],
            "period_used": self.period_used,
            "confidence": round(self.confidence, 4),
            "rewritten": self.extractive_text is not None,
            "extractive_answer": self.extractive_text,
            "unverified_numbers": self.unverified,
            "read_as": self.read_as,
        }


@dataclass
class Filters:
    """Which documents a search or an answer may use: the user's filters and the collections they may see."""

    doc: str | None = None
    period: str | None = None
    body: str | None = None
    kind: str | None = None
    collection: str | None = None
    collections: frozenset[str] | None = None  # access control: the collections a user may see
    docs: frozenset[str] | None = None  # narrowed to these documents (e.g. the ones about a named place)

    def active(self) -> bool:
        return any(
            [
                self.doc,
                self.period,
                self.body,
                self.kind,
                self.collection,
                self.collections is not None,
                self.docs is not None,
            ]
        )

    def admits(self, doc: Document) -> bool:
        if self.doc and doc.doc_id != self.doc:
            return False
        if self.docs is not None and doc.doc_id not in self.docs:
            return False
        if self.period and (doc.period or "") != _period(self.period):
            return False
        if self.body and self.body.lower() not in (doc.body or "").lower():
            return False
        if self.kind and doc.kind != self.kind.lower():
            return False
        if self.collection and doc.collection != self.collection:
            return False
        return not (self.collections is not None and doc.collection not in self.collections)


def _period(text: str) -> str:
    found = periods_in(text)
    if found:
        return found[0][2]
    parts = text.replace("-", "/").split("/")
    if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit():
        return normalise_period(parts[0], parts[1]) or text
    return text
