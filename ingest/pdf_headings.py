"""Headings of a PDF told apart by type, for documents whose headings carry no numbers.

Ofsted letters and government guidance head their sections with larger type ("What needs to
improve") or with a line in bold at body size, but no "4.2"-style number, so the numbered-heading
rules find nothing. pypdf reports each text run with its font, size and matrix; lines set clearly
larger than the body text, or alone in bold, are collected as heading hints, which section
detection then matches against the extracted lines.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

HEADING_RATIO = 1.15
MAX_WORDS = 14
# Some documents (Ofsted letters) set headings in bold body-size type. When bold lines are this common
# the document bolds more than headings (tables, labels) and boldness says nothing.
MAX_BOLD_SHARE = 0.15
BOLD_FONT = ("bold", "black", "heavy", "semibold", "demibold")


@dataclass
class RunCollector:
    """A pypdf visitor: gathers the lines of one page at a time with their size and whether all is bold."""

    lines: list[tuple[float, str, bool]] = field(default_factory=list)
    _current: list[str] = field(default_factory=list)
    _bold: bool = True
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
        self._bold = self._bold and _is_bold(font_dict)

    def flush(self) -> None:
        if self._current and self._key is not None:
            self.lines.append((self._key[0], " ".join("".join(self._current).split()), self._bold))
        self._current, self._key, self._bold = [], None, True


def _is_bold(font_dict) -> bool:
    try:
        name = str(font_dict.get("/BaseFont", "")).lower() if font_dict else ""
    except Exception:  # damaged font dictionaries are common; such a run is simply not bold
        return False
    return any(word in name for word in BOLD_FONT)


def heading_hints(collector: RunCollector) -> list[str]:
    """Short lines set in type clearly larger than the body text, or alone in bold at body size."""
    collector.flush()
    lines = collector.lines
    weights: Counter[float] = Counter()
    for size, line, _ in lines:
        weights[size] += len(line)
    if not weights:
        return []
    body = weights.most_common(1)[0][0]
    bold_tells = sum(bold for _, _, bold in lines) <= MAX_BOLD_SHARE * len(lines)
    hints = []
    for i, (size, line, _) in enumerate(lines):
        large = size >= body * HEADING_RATIO
        short = 1 <= len(line.split()) <= MAX_WORDS and sum(c.isalpha() for c in line) >= 4
        if not (short and (large or (bold_tells and _bold_heading(lines, i, body)))):
            continue
        if not line.rstrip().endswith((".", ",", ";")) and line not in hints:
            hints.append(line)
    return hints


def _bold_heading(lines: list[tuple[float, str, bool]], i: int, body: float) -> bool:
    """A bold line on its own, starting a title: bold lines around it make a bold paragraph, and a
    line ending in ':' introduces a list."""
    size, line, bold = lines[i]
    if not bold or size < body * 0.95 or not line[:1].isupper() or line.rstrip().endswith(":"):
        return False
    return not any(0 <= j < len(lines) and lines[j][2] for j in (i - 1, i + 1))
