"""Question words the documents never use, read by their initials or their meaning.

A practitioner types "the cdr partners", "recorded wrong" or "max time" where the guidance says "child death
review partners", "incorrectly recorded" and "the maximum timescale". The lexicon's synonym groups cannot
list every such pair and the spell-checker only mends typing, so a question word that no passage uses is
said by a context whose consecutive words it abbreviates, or by a context word whose embedding (the model
that embeds passages, given the word alone) is close enough. Only a word the documents never use is read
by meaning: one they do use ("girls", "outpatient") is how they say it, and the model puts co-ordinate words
close together (boys/girls 0.74, inpatient/outpatient 0.89 cosine). Initials of three letters or more are
read even when the documents use them, since documents often use initials without spelling them out where a
figure is stated ("CDR" in one place, "child death review partners" in another).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable

import numpy as np

from index.tuning import WORD_MEANING_SIMILARITY
from index.vocabulary import spelled_by_initials

# A word to read: letters only ("phase 8" is not "phase 9" in meaning), two or more to read by initials
# ("sw", "cdr", "kcsie": at most ACRONYM_LETTERS), three or more to read by meaning ("max", "dads").
READABLE = re.compile(r"[a-z]{2,}")
ACRONYM_LETTERS = 6
# A word the documents use is read by initials only from three letters ("cdr"): two letters ("la", "in") are
# spelled by chance by too many pairs of words.
DOCUMENT_ACRONYM_LETTERS = 3


class WordMeanings:
    """Which context word means a question word the documents never use, or which words initials stand for."""

    def __init__(self, embed: Callable[[list[str]], np.ndarray], used: Callable[[str], bool]):
        self._embed = embed  # texts -> unit vectors
        self._used = used  # does any document use this word?
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def reads(self, word: str) -> bool:
        """Is this a word read by initials or meaning: letters only, and in no document, or short enough to
        be initials the documents use without spelling them out ("cdr" beside "child death review")?"""
        word = word.lower()
        if not READABLE.fullmatch(word):
            return False
        return not self._used(word) or DOCUMENT_ACRONYM_LETTERS <= len(word) <= ACRONYM_LETTERS

    def said_as(self, word: str, context: str, context_words: Iterable[str]) -> str | None:
        """How the context says a question word the documents never use (or initials they use undefined): the
        words it abbreviates, or, for a word no document uses, the context word closest in meaning when the
        two are at least WORD_MEANING_SIMILARITY alike; None otherwise (and for a word it does not read).
        context_words are the words of the context that may say what is measured."""
        if not self.reads(word):
            return None
        word = word.lower()
        if len(word) <= ACRONYM_LETTERS and spelled_by_initials(word, context):
            return word
        if len(word) < 3 or self._used(word):
            return None  # two letters carry no meaning of their own; a word the documents use is theirs
        candidates = sorted({w for w in context_words if len(w) >= 3})
        if not candidates:
            return None
        vectors = self._vectors_of([word, *candidates])
        similarity = vectors[1:] @ vectors[0]
        best = int(np.argmax(similarity))
        return candidates[best] if similarity[best] >= WORD_MEANING_SIMILARITY else None

    def _vectors_of(self, words: list[str]) -> np.ndarray:
        with self._lock:
            new = [w for w in dict.fromkeys(words) if w not in self._vectors]
            if new:
                self._vectors.update(zip(new, self._embed(new), strict=True))
            return np.stack([self._vectors[w] for w in words])
