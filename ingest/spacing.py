"""Spaces pypdf puts inside a word: "T argeted", "wheth er", "bi -monthly", "Ci C".

pypdf starts a new word wherever the gap between two glyphs passes its threshold, so a kerned pair or a word
drawn in pieces comes out split; the split word then matches no keyword, embeds as noise and reads badly in a
citation. pdfium reads the same page from the characters' own spacing and keeps such words whole, so a
split is mended only where pdfium's words say so. No library does this comparison; it is short enough here.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

# A run of letters and the space after it, when another run follows (read ahead, so that every pair of
# neighbours is tried); the second may start with the hyphen of a compound ("bi -monthly").
SPLIT = re.compile(r"(?<![\w-])([A-Za-z]+) (?=(-?[A-Za-z]+)(?![\w-]))")


def _letters(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalpha())


def mend_split_words(text: str, words: Iterable[str]) -> tuple[str, dict[str, str]]:
    """The page text with pypdf's split words joined, and each mend made ("T argeted" -> "Targeted").

    A pair is joined when pdfium reads it as one word on the page and never as these two words side by
    side: "feed back" stays apart on a page that writes both "feed back" and "feedback".
    """
    said = [_letters(w) for w in words]
    whole = set(said)
    pairs = set(itertools.pairwise(said))
    mends: dict[str, str] = {}

    def join(match: re.Match) -> str:
        first, second = match.group(1), match.group(2)
        joined = _letters(first + second)
        if joined in whole and (_letters(first), _letters(second)) not in pairs:
            mends[f"{first} {second}"] = first + second
            return first
        return match.group(0)

    return SPLIT.sub(join, text), mends


def apply_mends(text: str, mends: dict[str, str]) -> str:
    """Make a document's mends in another reading of its text (the heading lines pypdf reported), word for
    word: the mend "an d" -> "and" leaves "Plan dates" alone."""
    for split, joined in mends.items():
        text = re.sub(rf"(?<![\w-]){re.escape(split)}(?![\w-])", joined, text)
    return text
