"""Split extracted text into sentences with their character offsets.

Extracted PDF text breaks lines mid-sentence and puts blank lines in odd places, so paragraph
breaks cannot be trusted; we rebuild sentences from punctuation and line shape instead. Offsets are
kept so a cited sentence can be traced back to its page. Hand-written because sentence splitters in
the chosen libraries (nltk punkt needs a data download) do not run offline or do not keep offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.lexicon import ABBREVIATIONS, OPEN_ENDINGS

BULLET = re.compile(r"^\s*(?:[•●▪■◦\-–*]|\uf0b7|\uf0a7|\(?[a-z]\)|\(?[ivx]+\)|\d{1,2}[.)])\s+")
TERMINAL = re.compile(r"[.!?:;][\"”’)]*\s*$")
SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“‘(£$A-Z0-9•])")
SHORT_LINE = 60
LIST_MARKER = re.compile(r"^\(?(?:\d{1,2}|[a-z]|[ivx]+)[.)]$")
# A line ending in one of these words stops mid-sentence: the next line continues it even when it is
# capitalised ("14 of this cohort are known to" / "Camden Children Services"). Headings rarely end so.
OPEN_ENDING = re.compile(r"(?:\b(?:" + "|".join(sorted(OPEN_ENDINGS, key=lambda w: (-len(w), w))) + r")|[,&/-])\s*$")


@dataclass
class SentenceSpan:
    start: int
    end: int
    text: str  # whitespace-normalised
    new_paragraph: bool


def _paragraph_spans(text: str, base: int) -> list[tuple[int, int]]:
    """Group lines into paragraphs: join a line to the previous one when it continues the sentence."""
    spans: list[tuple[int, int]] = []
    cur_start = cur_end = None
    prev = ""
    offset = 0
    for line in text.split("\n"):
        start, offset = offset, offset + len(line) + 1
        if not line.strip():
            continue
        lead = len(line) - len(line.lstrip())
        s, e = base + start + lead, base + start + len(line.rstrip())
        starts_new = (
            cur_start is None
            or TERMINAL.search(prev)
            or BULLET.match(line)
            or (len(prev.strip()) < SHORT_LINE and line.lstrip()[:1].isupper() and not OPEN_ENDING.search(prev))
        )
        if starts_new:
            if cur_start is not None:
                spans.append((cur_start, cur_end))
            cur_start = s
        cur_end = e
        prev = line
    if cur_start is not None:
        spans.append((cur_start, cur_end))
    return spans


def one_paragraph(text: str) -> bool:
    """Do the lines of text run on as one paragraph, as the splitter reads them? A list item goes on over a
    line break mid-sentence ("For example: serious\ninjury to a child. A decision ..."); a paragraph after the
    list starts on a line of its own after a full stop."""
    return len(_paragraph_spans(text, 0)) <= 1


def _is_abbreviation(text: str, end: int) -> bool:
    word = re.search(r"([A-Za-z.]+)\.?$", text[max(0, end - 8) : end])
    if not word:
        return False
    token = word.group(1).lower().rstrip(".")
    return token in ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def split_sentences(text: str, base: int = 0) -> list[SentenceSpan]:
    """Sentences of text, offsets relative to the document (text starts at offset base)."""
    result: list[SentenceSpan] = []
    for p_start, p_end in _paragraph_spans(text, base):
        chunk = text[p_start - base : p_end - base]
        pos = 0
        first = True
        for match in SENTENCE_END.finditer(chunk):
            cut = match.start() + 1
            if _is_abbreviation(chunk, match.start()) or LIST_MARKER.match(chunk[pos:cut].strip()):
                continue
            piece = chunk[pos:cut]
            if piece.strip():
                result.append(_make(piece, p_start + pos, first))
                first = False
            pos = match.end()
        if chunk[pos:].strip():
            result.append(_make(chunk[pos:], p_start + pos, first))
    return result


def _make(piece: str, start: int, new_paragraph: bool) -> SentenceSpan:
    lead = len(piece) - len(piece.lstrip())
    body = piece.strip()
    return SentenceSpan(start + lead, start + lead + len(body), " ".join(body.split()), new_paragraph)
