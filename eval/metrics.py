"""Retrieval metrics over ranked passages. A passage is relevant when it contains an evidence quote.

The same functions score the evaluator's report and the tests, so a number in the report means
exactly what the tests check.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence

_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def normalise(text: str) -> str:
    """Whitespace collapsed, ligatures unfolded (NFKC) and typographic quotes/dashes unified, so extraction
    quirks do not decide relevance."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).translate(_QUOTES)).strip().lower()


def is_relevant(passage_text: str, evidence: Sequence[str]) -> bool:
    text = normalise(passage_text)
    return any(normalise(quote) in text for quote in evidence if quote.strip())


def relevance(passages: Sequence[str], evidence: Sequence[str]) -> list[bool]:
    return [is_relevant(p, evidence) for p in passages]


def hit_at(rels: Sequence[bool], k: int) -> float:
    return 1.0 if any(rels[:k]) else 0.0


def reciprocal_rank(rels: Sequence[bool]) -> float:
    for i, rel in enumerate(rels, start=1):
        if rel:
            return 1.0 / i
    return 0.0


def ndcg_at(rels: Sequence[bool], k: int = 10) -> float:
    """Binary-gain nDCG; the ideal ranking puts every relevant passage retrieved first."""
    gains = [1.0 if r else 0.0 for r in rels[:k]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal_count = min(sum(1 for r in rels if r), k)
    idcg = sum(1.0 / math.log2(i + 2) for i in range(ideal_count))
    return dcg / idcg if idcg else 0.0


def hit_within_words(passages: Sequence[str], evidence: Sequence[str], words: int) -> float:
    """Is an evidence quote inside the first N words shown? Fair across chunk sizes."""
    shown = " ".join(" ".join(p.split()) for p in passages).split()[:words]
    return 1.0 if is_relevant(" ".join(shown), evidence) else 0.0


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))
    return ordered[index]
