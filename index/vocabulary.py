"""Practitioners' words and the documents' words: acronyms and synonyms used to widen keyword queries.

A social worker asks about "the front door" or "kids in care"; the report says "MASH" and "looked
after children". The static table covers the field's common terms; `acronyms_in` adds every
"Long Form (ACRONYM)" a document defines, so each new document teaches its own vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .lexicon import ACRONYM_JOINERS, LONG_FORM_LEADERS, NUMBER_WORDS, SYNONYM_GROUPS

# "Multi-Agency Safeguarding Hub (MASH)": capitalised words (joining words allowed) then the acronym in brackets.
ACRONYM_DEFINITION = re.compile(
    r"\b((?:[A-Z][\w’'-]*[\s-]+(?:(?:and|of|for|the|in|&)\s+)?){1,7})\(([A-Z][A-Za-z&]{1,9})\)"
)

# "RISE (Reducing Incidents of Sexual Exploitation)": the acronym first, its long form in brackets.
ACRONYM_THEN_LONG_FORM = re.compile(
    r"\b([A-Z][A-Z&]{1,8}s?)\s*\(((?:[A-Z][\w’'-]*[\s-]+(?:(?:and|of|for|the|in|&|to)\s+)?){1,7}[A-Z][\w’'-]*)\)"
)


def _initials_match(long_form: str, acronym: str) -> bool:
    words = [w for w in re.split(r"[\s-]+", long_form) if w and w.lower() not in ACRONYM_JOINERS]
    initials = "".join(w[0] for w in words).lower()
    letters = re.sub(r"[^a-z]", "", acronym.lower())
    return bool(letters) and (letters in initials or initials.startswith(letters[:2]))


def acronyms_in(text: str) -> dict[str, str]:
    """{acronym (lower case): long form} for every definition a document writes out."""
    found: dict[str, str] = {}
    for match in ACRONYM_DEFINITION.finditer(text):
        long_form, acronym = " ".join(match.group(1).split()), match.group(2)
        words = long_form.split()
        # Keep only as many trailing words as the acronym has letters (the rest is sentence context).
        letters = len(re.sub(r"[^A-Za-z]", "", acronym))
        trimmed = words[-(letters + 2) :] if len(words) > letters + 2 else words
        while trimmed and trimmed[0].lower() in LONG_FORM_LEADERS:
            trimmed = trimmed[1:]
        phrase = " ".join(trimmed)
        if phrase and _initials_match(phrase, acronym):
            found.setdefault(acronym.lower(), phrase.lower())
    for match in ACRONYM_THEN_LONG_FORM.finditer(text):
        acronym, long_form = match.group(1), " ".join(match.group(2).split())
        if spelled_by_initials(acronym[:-1] if acronym.endswith("s") else acronym, long_form):
            found.setdefault(acronym.lower(), long_form.lower())
    return found


def spelled_by_initials(acronym: str, text: str) -> bool:
    """Do consecutive words of the text begin with the acronym's letters ("cdr": "child death review",
    "kcsie": "Keeping children safe in education")? A joining word may be skipped ("Secretary of State" for
    "sos"). For acronyms a document uses without ever defining them."""
    letters = acronym.lower()
    words = re.findall(r"[a-z]+", text.lower())

    def from_here(i: int, k: int) -> bool:
        if k == len(letters):
            return True
        if i == len(words):
            return False
        if words[i][0] == letters[k] and from_here(i + 1, k + 1):
            return True
        return words[i] in ACRONYM_JOINERS and from_here(i + 1, k)

    return len(letters) >= 2 and any(w[0] == letters[0] and from_here(i, 0) for i, w in enumerate(words))


GLOSSARY_HEADING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?\s+)?(glossary|abbreviations|acronyms)\b.*$", re.I | re.M)
GLOSSARY_ENTRY = re.compile(
    r"^\s*([A-Z][A-Za-z&]{1,9})\s*(?:[-–—:=]|\s{2,}|\t)\s*([A-Z][\w ,'’&()/-]{3,90}?)\s*$", re.M
)


def glossary_in(text: str) -> dict[str, str]:
    """Entries of a glossary or list of abbreviations ("CSE – Child Sexual Exploitation")."""
    found: dict[str, str] = {}
    for heading in GLOSSARY_HEADING.finditer(text):
        block = text[heading.end() : heading.end() + 20000]
        for entry in GLOSSARY_ENTRY.finditer(block):
            acronym, long_form = entry.group(1), " ".join(entry.group(2).split())
            if acronym.isupper() or _initials_match(long_form, acronym):
                found.setdefault(acronym.lower(), long_form.lower())
    return found


SHORT_FORM_LETTERS = 5  # an acronym practitioners type: "lac", "cin", "mash", "ehcp"


def _spell_alike(a: str, b: str) -> bool:
    """Is one an acronym of the other ("peps", "personal education plans")?"""
    short, long = sorted((a, b), key=len)
    letters = short[:-1] if short.endswith("s") and len(short) > 2 else short
    return " " not in short and " " in long and len(short) <= SHORT_FORM_LETTERS and spelled_by_initials(letters, long)


def _spaced_words(question: str) -> str:
    """The question's words in lower case, one space between and around them, so a term is found whole with
    f" {term} "."""
    return " " + " ".join(re.findall(r"[a-z0-9’'-]+", question.lower())) + " "


class Vocabulary:
    def __init__(self, document_acronyms: dict[str, str] | None = None):
        self.groups = [tuple(g) for g in SYNONYM_GROUPS]
        for acronym, long_form in (document_acronyms or {}).items():
            self.groups.append((acronym, long_form))

    def spelled_out(self, question: str, frequency: Callable[[str], int]) -> str:
        """The question with each acronym it uses followed by its long form, when the documents write the
        long form more often ("leeds lac (looked after children) number" for reports that say "children
        looked after"): the embedding model knows the words far better than the letters. An acronym the
        documents mostly use ("the MASH") is left as it is: the question already reads like them.
        `frequency` says in how many passages the documents write a term."""
        words = set(re.findall(r"[a-z0-9’'-]+", question.lower()))
        added: list[str] = []
        for group in self.groups:
            short = [t for t in group if " " not in t and len(t) <= SHORT_FORM_LETTERS and t in words]
            long = next((t for t in group if " " in t and t not in question.lower()), None)
            if short and long and long not in added and frequency(short[0]) < frequency(long):
                added.append(long)
        return f"{question} ({'; '.join(added)})" if added else question

    def words(self) -> frozenset[str]:
        """Every word of every term the vocabulary knows ("recs", "looked", "lac")."""
        return frozenset(w for group in self.groups for term in group for w in re.findall(r"[a-z0-9]+", term.lower()))

    def spellings(self, question: str) -> list[tuple[str, str]]:
        """(a term the question uses, the same term spelled the other way) for each acronym the question uses
        or spells out, in the singular or the plural, and each number it writes in digits or in words:
        "peps" and "personal education plans" name one thing, so a sentence writing either says what the
        question says. Synonyms are not spellings ("front door" is not "mash")."""
        text = _spaced_words(question)
        pairs: list[tuple[str, str]] = []
        for group in self.groups:
            for said in (term for term in group if f" {term} " in text or f" {term}s " in text):
                pairs.extend((said, other) for other in group if other != said and _spell_alike(said, other))
        # A number in digits or in words: "the 4 Cs" are the "four areas of risk".
        for word, value in NUMBER_WORDS.items():
            if f" {value} " in text:
                pairs.append((str(value), word))
            elif f" {word} " in text:
                pairs.append((word, str(value)))
        return pairs

    def expansions(self, question: str) -> list[str]:
        """Other wordings of the terms the question uses (never the question's own words)."""
        text = _spaced_words(question)
        extra: list[str] = []
        for group in self.groups:
            if any(f" {term} " in text for term in group):
                extra.extend(term for term in group if f" {term} " not in text and term not in extra)
        return extra
