"""Headings of a PDF told apart by type size, for documents whose headings carry no numbers.

Ofsted letters and government guidance head their sections with larger type ("What needs to
improve") but no "4.2"-style number, so the numbered-heading rules find nothing. pypdf reports each
text run with its font size and matrix; lines set clearly larger than the body text are collected
as heading hints, which section detection then matches against the extracted lines.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

HEADING_RATIO = 1.15
MAX_WORDS = 14


@dataclass
class RunCollector:
    """A pypdf visitor: gathers (size, line) pairs for one page at a time."""

    lines: list[tuple[float, str]] = field(default_factory=list)
    _current: list[str] = field(default_factory=list)
    _key: tuple[float, float] | None = None

    def __call__(self, text, cm, tm, font_dict, font_size) -> None:
        if not text or not text.strip():
            return
        size = round(float(font_size) * (abs(tm[3]) or 1.0) * (abs(cm[3]) or 1.0), 1)
        y = round(float(tm[5]) * (cm[3] or 1.0) + float(cm[5]), 0)
        key = (size, y)
        if key != self._key:
            self.flush()
            self._key = key
        self._current.append(text)

    def flush(self) -> None:
        if self._current and self._key is not None:
            self.lines.append((self._key[0], " ".join("".join(self._current).split())))
        self._current, self._key = [], None


def heading_hints(collector: RunCollector) -> list[str]:
    """Short lines set in type clearly larger than the body text of the document."""
    collector.flush()
    weights: Counter[float] = Counter()
    for size, line in collector.lines:
        weights[size] += len(line)
    if not weights:
        return []
    body = weights.most_common(1)[0][0]
    hints = []
    for size, line in collector.lines:
        large = size >= body * HEADING_RATIO
        short = 1 <= len(line.split()) <= MAX_WORDS and sum(c.isalpha() for c in line) >= 4
        if large and short and not line.rstrip().endswith((".", ",", ";")) and line not in hints:
            hints.append(line)
    return hints
