"""Question words the documents never use, read as the document word they were meant to be.

"how many chidlren were looked afer" is corrected against the words of the documents in the store
(symspellpy, Damerau distance), so one typo does not turn an answer into an abstention. A typo of a word
the documents use only in another form ("dissagree" beside the documents' "disagreement") is read as the
English word of that family ("disagree"), which the measure check then matches. A word is left
alone when the documents or an English dictionary know it (symspellpy ships one) or a word of its family
("electively" beside the documents' "elective": the same stem), when it is short or written in capitals (an
acronym), or when no document word is close enough.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from index.keyword import KeywordIndex
from index.lexicon import NOT_RUN_IN, TYPED_CONTRACTIONS
from index.tuning import EVERYDAY_PER_MILLION

MAX_EDIT = 2
MIN_LENGTH = 4  # shorter words are too ambiguous to correct
SHORT_WORD = 5
FAMILY_STEM = 5  # a shorter stem ("com" of "comming", also of ".com") names no family
# A word, possessives ("camden's") read as their word; a contraction ("didn't", "they're") is left whole: its
# first part is no typo ("didn" is not "did").
WORD = re.compile(r"(?<![A-Za-z'’])[A-Za-z]+(?![A-Za-z]|['’](?!s\b)[A-Za-z])")


@dataclass(frozen=True)
class Reading:
    text: str  # the question as read
    corrections: tuple[tuple[str, str], ...]  # (as typed, as read)

    @property
    def corrected(self) -> bool:
        return bool(self.corrections)


@lru_cache(maxsize=1)
def english_counts() -> dict[str, int]:
    """The English words of symspellpy's bundled frequency dictionary, with how often each is written."""
    path = resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return {word: int(count) for word, count in (line.split(" ", 1) for line in lines if line)}


@lru_cache(maxsize=1)
def _english_total() -> int:
    return sum(english_counts().values())


def is_everyday_word(word: str) -> bool:
    """Is the word common enough in English that it names nothing in particular ("staff", "nursery")?"""
    return english_counts().get(word.lower(), 0) * 1_000_000 > EVERYDAY_PER_MILLION * _english_total()


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The English words a question word is no typo of."""
    return frozenset(english_counts())


class Speller:
    def __init__(self, word_counts: Counter[str], field_words: set[str] | frozenset[str] = frozenset()):
        """`field_words`: words of the field's lexicon ("recs", "lac"), never typos even when no document
        uses them."""
        from symspellpy import SymSpell

        self.known = set(word_counts) | set(field_words)
        self.known_stems = {stem for word in word_counts for stem in KeywordIndex.tokens_of(word)}
        self.english = english_words()
        self.symspell = SymSpell(max_dictionary_edit_distance=MAX_EDIT)
        for word, count in word_counts.items():
            if len(word) >= MIN_LENGTH - 1:
                self.symspell.create_dictionary_entry(word, count)

    def read(self, question: str) -> Reading:
        from symspellpy import Verbosity

        corrections: list[tuple[str, str]] = []

        def fix(match: re.Match) -> str:
            word = match.group()
            lower = word.lower()
            if lower in TYPED_CONTRACTIONS:  # "whos the dsl": who's, not a typo of "who"
                corrections.append((word, TYPED_CONTRACTIONS[lower]))
                return TYPED_CONTRACTIONS[lower]
            if len(word) < MIN_LENGTH or word.isupper() or lower in self.known or lower in self.english:
                return word
            if lower in NOT_RUN_IN:  # "isnt" is "is not" typed, no typo of "isn"
                return word
            if any(len(stem) >= FAMILY_STEM and stem in self.known_stems for stem in KeywordIndex.tokens_of(lower)):
                return word
            # One edit for short words ("recs" is no typo of "areas"), two for longer ones.
            edits = 1 if len(lower) <= SHORT_WORD else MAX_EDIT
            found = self.symspell.lookup(lower, Verbosity.CLOSEST, max_edit_distance=edits)
            best = max(found, key=lambda s: (-s.distance, s.count)).term if found else self._family_word(lower, edits)
            if best is None:
                return word
            corrections.append((word, best))
            return best

        text = WORD.sub(fix, question)
        return Reading(text, tuple(corrections))

    def _family_word(self, lower: str, edits: int) -> str | None:
        """The commonest English word nearest the typo whose family the documents use, if any."""
        from rapidfuzz import process
        from rapidfuzz.distance import DamerauLevenshtein

        counts = english_counts()
        near = process.extract(lower, counts.keys(), scorer=DamerauLevenshtein.distance, score_cutoff=edits, limit=None)
        for word, _, _ in sorted(near, key=lambda found: (found[1], -counts[found[0]])):
            if any(self._in_family(stem) for stem in KeywordIndex.tokens_of(word)):
                return word
        return None

    def _in_family(self, stem: str) -> bool:
        """A stem of the documents, or one that begins or is begun by a documents' stem of FAMILY_STEM letters
        ("disagre" of "disagree", "disagr" of "disagreement")."""
        if stem in self.known_stems:
            return True
        if len(stem) < FAMILY_STEM:
            return False
        return any(len(k) >= FAMILY_STEM and (k.startswith(stem) or stem.startswith(k)) for k in self.known_stems)
