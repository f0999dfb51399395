"""Local authority areas in England and Wales, to notice a question about a place the documents do not cover.

A question about Islington's figures must not be answered from Camden's report just because the
report mentions Islington in passing; a place named in a question has to be the subject (title,
issuing body or source) of at least one document in scope.
"""

from __future__ import annotations

import re

from index.lexicon import PLACE_NAMES

_PATTERN = re.compile(r"\b(" + "|".join(re.escape(p) for p in sorted(PLACE_NAMES, key=len, reverse=True)) + r")\b")


def places_in(text: str) -> set[str]:
    """Place names written with a capital, as a place name is (so "bury" or "reading" as words do not count)."""
    return {m.group(1) for m in _PATTERN.finditer(text)}


def uncovered_places(question: str, document_subjects: list[str]) -> set[str]:
    """Places the question names that no document in scope is about."""
    named = places_in(question)
    if not named:
        return set()
    covered = set()
    for subject in document_subjects:
        covered |= places_in(subject)
        covered |= {p for p in PLACE_NAMES if p.lower() in subject.lower().replace("-", " ")}
    # "West Northamptonshire" is covered by a Northamptonshire document and the other way round.
    return {p for p in named if not any(p in c or c in p for c in covered)}
