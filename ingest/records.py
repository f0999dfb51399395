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
