"""Find a sentence again on its page: the boxes that let the app mark the cited sentence on the page image.

The sentence comes from the document text (the text layer as pypdf reads it, cleaned), the boxes from the
page's pieces (pdfium's characters or words, or OCR lines). The two disagree on spaces, hyphens, ligatures
and line breaks, so both are compared as their letters and digits only; OCR text may also misread a letter,
so an exact match falls back to rapidfuzz's best partial alignment.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from index.records import Box

from .loaders import TextPiece

# Below this alignment score (0-100) a sentence is not marked: a wrong highlight is worse than none.
MIN_ALIGNMENT = 88
# Shorter keys match too easily by chance ("Yes.", "2019").
MIN_KEY_CHARS = 12
# Pieces whose vertical centres differ by less than this share of their height sit on one line.
SAME_LINE = 0.5


@dataclass
class PageLetters:
    """A page's letters and digits in reading order, each with the piece it came from and its place in it."""

    letters: str
    piece_of: list[int]
    share_of: list[tuple[float, float]]  # the letter's horizontal span within its piece, as fractions

    @classmethod
    def of(cls, pieces: list[TextPiece]) -> PageLetters:
        letters, piece_of, share_of = [], [], []
        for index, piece in enumerate(pieces):
            kept = _letters(piece.text)
            for i, char in enumerate(kept):
                letters.append(char)
                piece_of.append(index)
                share_of.append((i / len(kept), (i + 1) / len(kept)))
        return cls("".join(letters), piece_of, share_of)


class SentenceLocator:
    """Locates a page's sentences in order; each search starts after the previous match, so a phrase that
    repeats on a page is marked where this sentence says it, not at its first appearance."""

    def __init__(self, pieces: list[TextPiece]):
        self.pieces = pieces
        self.page = PageLetters.of(pieces)
        self.after = 0

    def boxes(self, sentence: str) -> tuple[Box, ...]:
        key = _letters(sentence)
        if len(key) < MIN_KEY_CHARS or not self.page.letters:
            return ()
        span = self._find(key)
        if span is None:
            return ()
        self.after = span[1]
        return _line_boxes(self.pieces, self.page, *span)

    def _find(self, key: str) -> tuple[int, int] | None:
        for start in (self.after, 0):
            found = self.page.letters.find(key, start)
            if found >= 0:
                return found, found + len(key)
        aligned = fuzz.partial_ratio_alignment(key, self.page.letters, score_cutoff=MIN_ALIGNMENT)
        if aligned is None:
            return None
        return aligned.dest_start, aligned.dest_end


def _letters(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text).lower() if c.isalnum())


def _line_boxes(pieces: list[TextPiece], page: PageLetters, start: int, end: int) -> tuple[Box, ...]:
    """One box per line the letters cover: the covered part of each piece, merged along its line."""
    parts: dict[int, list[float]] = {}
    for i in range(start, end):
        index = page.piece_of[i]
        left, right = page.share_of[i]
        low, high = parts.get(index, [left, right])
        parts[index] = [min(low, left), max(high, right)]
    lines: list[Box] = []
    for index in sorted(parts):
        box = pieces[index].box
        width = box.x1 - box.x0
        left, right = parts[index]
        part = Box(box.x0 + left * width, box.y0, box.x0 + right * width, box.y1)
        if lines and _same_line(lines[-1], part):
            last = lines[-1]
            lines[-1] = Box(min(last.x0, part.x0), min(last.y0, part.y0), max(last.x1, part.x1), max(last.y1, part.y1))
        else:
            lines.append(part)
    return tuple(lines)


def _same_line(a: Box, b: Box) -> bool:
    height = max(a.y1 - a.y0, b.y1 - b.y0, 1e-6)
    return abs((a.y0 + a.y1) / 2 - (b.y0 + b.y1) / 2) < SAME_LINE * height
