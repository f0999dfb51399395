"""Local authority areas in England and Wales, to notice a question about a place the documents do not cover.

A question about Islington's figures must not be answered from Camden's report just because the
report mentions Islington in passing; a place named in a question has to be the subject (title,
issuing body or source) of at least one document in scope. Practitioners type place names in lower case
("camden", "northants"), so a name is read in any case, except names that are also everyday words
("reading", "bury"), which count only when capitalised.
"""

from __future__ import annotations

import re

from index.lexicon import PLACE_ALIASES, PLACE_NAMES, PLACES_ALSO_WORDS, WIDER_AREAS, alternation

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


# Not the end of an address ("nctrust.co.uk").
_WIDER_AREA = re.compile(r"(?<![.\w@/])(" + alternation(WIDER_AREAS) + r")\b", re.I)


# A wider area the local figure is compared with ("higher than in England as a whole", "compared to an England
# average of 11%", "below the national average"): the sentence is still about the local place.
_COMPARED_WITH_AREA = re.compile(
    r"\b(?:than|compared\s+(?:to|with)|against|below|above|in line with|similar to|with)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:England|English|national|nationally|UK)\b"
    r"|\b(?:England|English|national|UK)\s+(?:[\w-]+\s+)?(?:averages?|as a whole|targets?|figures?|comparators?)\b",
    re.I,
)


def wider_area_instead(sentence: str, question: str) -> str:
    """The wider area ("England", "nationally") a sentence gives its figures for, when the question asks about
    a local place the sentence does not name and not about that area; "" otherwise."""
    asked = places_in(question)
    if not asked or places_in(sentence) & asked or _WIDER_AREA.search(question):
        return ""
    found = _WIDER_AREA.search(_COMPARED_WITH_AREA.sub(" ", sentence))
    return found.group(1) if found else ""
