"""Headings of a PDF told apart by type, for documents whose headings carry no numbers.

Ofsted letters and government guidance head their sections with larger type ("What needs to
improve") or with a line in bold at body size, but no "4.2"-style number, so the numbered-heading
rules find nothing. pypdf reports each text run with its font, size and matrix; lines set clearly
larger than the body text, or alone in bold, are collected as heading hints, which section
detection then matches against the extracted lines. A heading set over two lines is joined into one
hint (section detection matches it across the lines); bullets, lead-ins to a list ("... as follows:"),
line fragments and contents entries ("Relevant agencies 31") are no headings.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from index.lexicon import COVER_FIELD_LABELS, alternation

from .pdf_layout import BOLD_FONT, BULLET, is_address, is_contact
from .spacing import apply_mends

HEADING_RATIO = 1.15
MAX_WORDS = 14
# Some documents (Ofsted letters) set headings in bold body-size type. When bold lines are this common
# the document bolds more than headings (tables, labels) and boldness says nothing.
MAX_BOLD_SHARE = 0.15
# The next line of a heading set over two or three lines sits this many type sizes lower (a paragraph's
# lines are the same distance apart, but a paragraph is too long, or not bold, to be a hint).
NEXT_LINE_SPACING = (0.9, 1.6)
MAX_HEADING_LINES = 3
# A line ending in ":" with more words than this introduces a list ("... as follows:"): no heading.
MAX_LABEL_WORDS = 5
MAX_REPEATS = 8  # a heading may recur ("Case study"), a table header recurs on every page of the table
# A cover or back-page field naming who wrote or owns the document, or when ("Author: Victoria Hilliard, ..."):
# the document says who, no section begins.
COVER_FIELD = re.compile(rf"^(?:{alternation(COVER_FIELD_LABELS)})\s*:\s*\S", re.I)
PAGE_REFERENCE = re.compile(r"^(?P<title>.*?\D)\s*\d{1,3}$")


@dataclass
class RunCollector:
    """A pypdf visitor: gathers the lines of one page at a time with their size and whether all is bold."""

    lines: list[tuple[float, str, bool, float]] = field(default_factory=list)  # size, text, bold, y
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
            size, y = self._key
            self.lines.append((size, " ".join("".join(self._current).split()), self._bold, y))
        self._current, self._key, self._bold = [], None, True


def _is_bold(font_dict) -> bool:
    try:
        name = str(font_dict.get("/BaseFont", "")).lower() if font_dict else ""
    except Exception:  # damaged font dictionaries are common; such a run is simply not bold
        return False
    return any(word in name for word in BOLD_FONT)


def heading_hints(collector: RunCollector, mends: dict[str, str] | None = None) -> list[str]:
    """Short lines set in type clearly larger than the body text, or alone in bold at body size; the words
    pypdf split are joined first (mends: ingest/spacing.py), so a split word does not make a line long."""
    collector.flush()
    weights: Counter[float] = Counter()
    for size, line, _, _ in collector.lines:
        weights[size] += len(line)
    if not weights:
        return []
    body = weights.most_common(1)[0][0]
    lines = [
        (size, apply_mends(line, mends or {}), bold) for size, line, bold in _join_heading_lines(collector.lines, body)
    ]
    bold_tells = sum(bold for _, _, bold in lines) <= MAX_BOLD_SHARE * len(lines)
    hints = []
    for i, (size, line, _) in enumerate(lines):
        large = size >= body * HEADING_RATIO
        short = 1 <= word_count(line) <= MAX_WORDS and sum(c.isalpha() for c in line) >= 4
        if not (short and (large or (bold_tells and _bold_heading(lines, i, body)))):
            continue
        if _reads_as_heading(line) and line not in hints:
            hints.append(line)
    # "Relevant agencies 31" is the contents entry of the heading "Relevant agencies"; a line set large
    # on page after page is a table's header row or a running header, not a heading.
    listed = {h.lower() for h in hints}
    repeats = Counter(line for _, line, _ in lines)
    return [
        h
        for h in hints
        if not ((m := PAGE_REFERENCE.match(h)) and m.group("title").lower() in listed) and repeats[h] < MAX_REPEATS
    ]


def word_count(line: str) -> int:
    """Words with a letter or digit: a dash or an ampersand between them ("Level 3 – Complex Needs") is none."""
    return sum(any(c.isalnum() for c in word) for word in line.split())


def _reads_as_heading(line: str) -> bool:
    """Not a bullet, a fragment of a wrapped line ("sharing", "bullying)"), a sentence or a list's lead-in."""
    stripped = line.rstrip()
    first = next((ch for ch in line if ch.isalnum()), "")
    if stripped.endswith((".", ",", ";")) or BULLET.match(line) or first.islower():
        return False
    if is_contact(line) or is_address(line) or COVER_FIELD.match(line):
        return False
    return not (stripped.endswith(":") and len(line.split()) > MAX_LABEL_WORDS)


def _join_heading_lines(lines: list[tuple[float, str, bool, float]], body: float) -> list[tuple[float, str, bool]]:
    """A heading wrapped over lines becomes one line: the same type, each line just under the one before,
    the first not ending a sentence. Body-size lines join only when bold (a paragraph's lines are not)."""
    joined: list[tuple[float, str, bool]] = []
    count, last_y = 0, None
    for size, text, bold, y in lines:
        if joined and last_y is not None and count < MAX_HEADING_LINES:
            prev_size, prev_text, prev_bold = joined[-1]
            low, high = NEXT_LINE_SPACING
            follows = low * size <= last_y - y <= high * size
            alike = abs(size - prev_size) < 0.5 and bold == prev_bold and (bold or size >= body * HEADING_RATIO)
            shaped = is_contact(text) or is_address(text) or BULLET.match(text)
            if follows and alike and not shaped and not prev_text.rstrip().endswith((".", "!", ";")):
                joined[-1] = (size, f"{prev_text} {text}", bold)
                count, last_y = count + 1, y
                continue
        joined.append((size, text, bold))
        count, last_y = 1, y
    return joined


def _bold_heading(lines: list[tuple[float, str, bool]], i: int, body: float) -> bool:
    """A bold line on its own, starting a title: bold lines around it make a bold paragraph, and a
    line ending in ':' introduces a list."""
    size, line, bold = lines[i]
    if not bold or size < body * 0.95 or not line[:1].isupper() or line.rstrip().endswith(":"):
        return False
    return not any(0 <= j < len(lines) and lines[j][2] for j in (i - 1, i + 1))
