"""Local authority areas in England and Wales, to notice a question about a place the documents do not cover.

A question about Islington's figures must not be answered from Camden's report just because the
report mentions Islington in passing; a place named in a question has to be the subject (title,
issuing body or source) of at least one document in scope. Practitioners type place names in lower case
("camden", "northants"), so a name is read in any case, except names that are also everyday words
("reading", "bury"), which count only when capitalised.
"""

from __future__ import annotations

import re

from index.lexicon import PLACE_ALIASES, PLACE_NAMES, PLACES_ALSO_WORDS, alternation

_CANONICAL = {p.lower(): p for p in PLACE_NAMES if p not in PLACES_ALSO_WORDS} | PLACE_ALIASES


# A possessive ("camden's") goes with the name.
_ANY_CASE = re.compile(r"\b(" + alternation(_CANONICAL) + r")\b(?:[’']s\b)?", re.IGNORECASE)
_CAPITALISED = re.compile(r"\b(" + alternation(PLACES_ALSO_WORDS) + r")\b(?:[’']s\b)?")


def _named(text: str) -> list[re.Match]:
    """Where the text names a place: the longest name at each point ("west northants", not "northants")."""
    return [*_ANY_CASE.finditer(text), *_CAPITALISED.finditer(text)]


def places_in(text: str) -> set[str]:
    """The places a text names, as the places list spells them."""
    return {_CANONICAL.get(m.group(1).lower(), m.group(1)) for m in _named(text)}


def without_places(text: str, places: set[str]) -> str:
    """The text without these place names: once the documents in scope are the ones about a place, its name
    picks out no passage, and as a search word it pulls the title page up."""

    def keep(match: re.Match) -> str:
        return "" if _CANONICAL.get(match.group(1).lower(), match.group(1)) in places else match.group()

    stripped = _CAPITALISED.sub(keep, _ANY_CASE.sub(keep, text))
    stripped = " ".join(stripped.split())
    return stripped if re.search(r"\w", stripped) else text


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
