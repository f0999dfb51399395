"""Records that cross module boundaries.

They are plain dataclasses so that the CLI, the web app and the evaluator can turn them into JSON
without knowing how they were produced.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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
    meta: dict[str, Any] = field(default_factory=dict)

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
        }
