"""Footnote marks glued to what they follow ("the age of 24193", "childcare73", "(ICBs)3").

Government guidance sets footnote references as small raised digits, and the text layer gives them with no
space before them: "the age of 24" with footnote 193 reads as the figure 24,193, and "childcare" as the word
"childcare73" that a keyword search misses. pdfium gives each character's type size and baseline (its text
matrix), so a run of digits set clearly smaller and higher than the character before it is a mark; pypdf's
text, which chunking reads, then loses each mark found on its page, in page order. Written here because
neither library reports superscripts as such.
"""

from __future__ import annotations

from dataclasses import dataclass

# A mark is set at most this share of the preceding character's type size (7.98 pt beside 12 pt in the
# guidance measured) ...
MARK_SIZE_RATIO = 0.8
# ... with its baseline raised by at least this share of that size (4 pt above a 12 pt line).
MARK_RISE_RATIO = 0.15


@dataclass(frozen=True)
class Glyph:
    """One character as pdfium sets it: its type size and baseline height in page space."""

    char: str
    size: float
    baseline: float


@dataclass(frozen=True)
class Mark:
    """A footnote mark and the word it is glued to ("24", "193")."""

    after: str
    digits: str


def is_raised_digit(glyph: Glyph, before: Glyph) -> bool:
    return (
        glyph.char.isdigit()
        and before.size > 0
        and glyph.size <= before.size * MARK_SIZE_RATIO
        and glyph.baseline >= before.baseline + before.size * MARK_RISE_RATIO
    )


def marks_in_word(glyphs: list[Glyph]) -> list[Mark]:
    """The marks inside one word as pdfium reads it ("24193." -> Mark("24", "193"))."""
    marks, start = [], None
    for i in range(1, len(glyphs) + 1):
        if i == len(glyphs):
            inside = False
        elif start is None:
            inside = is_raised_digit(glyphs[i], glyphs[i - 1])
        else:
            inside = glyphs[i].char.isdigit() and glyphs[i].size <= glyphs[start].size
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            before = "".join(g.char for g in glyphs[:start])
            marks.append(Mark(before, "".join(g.char for g in glyphs[start:i])))
            start = None
    return marks


def without_marks(text: str, marks: list[Mark]) -> str:
    """The page text with each mark taken out where it follows its word, in page order."""
    at = 0
    for mark in marks:
        glued = mark.after + mark.digits
        found = text.find(glued, at)
        if found < 0:
            continue
        end = found + len(mark.after)
        text = text[:end] + text[end + len(mark.digits) :]
        at = end
    return text
