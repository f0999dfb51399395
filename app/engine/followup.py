"""Read a follow-up question ("and the year before?") with the subject of the previous one."""

from __future__ import annotations

import re

from index.lexicon import DOCUMENT_KINDS, DOCUMENT_PARTS, alternation
from index.periods import PERIOD, YEAR

from .question import LATEST, PREVIOUS, QuestionIntent, read_question

FOLLOW_UP = re.compile(r"^(and|what about|how about|same for|what of|and for|and in|or|but)\b", re.I)
TIME_ONLY = re.compile(r"^[\s\w?,.]*$")


def _strip_time(text: str) -> str:
    for pattern in (PERIOD, YEAR, LATEST, PREVIOUS):
        text = pattern.sub(" ", text)
    return " ".join(re.sub(r"\b(in|for|during)\s*(?=[?.]|$)", " ", text).split())


RELATIVE_PHRASE = re.compile(r"\b(at|by|as of)?\s*the end of\b", re.I)


# "..., per the 2017 inspection?": which document to read, said at the end of a question. Its words (and the
# document's year) match the title page and the report's talk about itself, not the passage that answers.
SOURCE_PHRASE = re.compile(
    r"[\s,(-]*\b(?:per|according to|as per|in|from)\s+(?:the\s+)?(?:(?!(?:per|in|from|according)\b)[\w'’-]+\s+){0,4}?"
    rf"(?:{'|'.join(DOCUMENT_KINDS)})\b\)?\s*\??\s*$",
    re.I,
)
# "..., according to ofsted 2025?": a document named by its body or place and its year (words, not "per 10k").
SOURCE_BY_YEAR = re.compile(
    r"[\s,(-]*\b(?:per|according to|as per)\s+(?:the\s+)?(?:[A-Za-z][\w'’-]*\s+){1,4}?(?:19|20)\d{2}\)?\s*\??\s*$",
    re.I,
)
# "... (lambeth training pack)?", "(per the info sharing advice annex)": a document named in brackets.
SOURCE_IN_BRACKETS = re.compile(
    r"[\s,]*\(\s*(?:(?:per|according to|as per|in|from)\s+)?(?:the\s+)?(?:[\w'’-]+\s+){0,5}?"
    rf"(?:{'|'.join(DOCUMENT_KINDS)})\s*\)\s*\??\s*$",
    re.I,
)
SOURCE_PATTERNS = (SOURCE_IN_BRACKETS, SOURCE_PHRASE, SOURCE_BY_YEAR)
# "table 6", "the finance table": a part of the document to look in.
DOCUMENT_PART = re.compile(rf"\b(?:{alternation(DOCUMENT_PARTS)})\b(?:\s+\d+[a-z]?\b)?", re.I)
SOURCE_WORDS = frozenset({"per", "according", "to", "as", "in", "from", "the"})  # the phrase's own words


def without_source(text: str, names: bool = True) -> str:
    """The question without a closing phrase naming the document it is asked of, all but the names in it
    ("in the london rapid review analysis" keeps "london rapid review"; a place or body that picks the
    documents is taken out later, once it has picked them). Without the names too, it is what the question
    asks: the words naming the document, or the part of it to look in ("table 6"), never say what a figure
    must measure."""

    def names_only(match: re.Match) -> str:
        *words, _kind = re.findall(r"[\w'’-]+", match.group())
        kept = [w for w in words if w.lower() not in SOURCE_WORDS and not YEAR.fullmatch(w)] if names else []
        return " " + " ".join(kept) if kept else ""

    stripped = text
    for pattern in SOURCE_PATTERNS:
        stripped = pattern.sub(names_only, stripped)
    if not names:
        stripped = " ".join(DOCUMENT_PART.sub(" ", stripped).split())
    stripped = stripped.strip()
    return stripped if re.search(r"\w", stripped) else text


def without_relative_time(text: str) -> str:
    """'last year' and 'at the end of' are resolved to a period; as search words they only add noise."""
    stripped = RELATIVE_PHRASE.sub(" ", LATEST.sub(" ", PREVIOUS.sub(" ", text)))
    stripped = " ".join(stripped.split())
    return stripped if re.search(r"\w", stripped) else text


def is_follow_up(question: str) -> bool:
    words = question.split()
    if FOLLOW_UP.match(question.strip()) and len(words) <= 10:
        return True
    # Nothing left but time words: "the year before?", "2017/18?"
    leftover = re.sub(r"\b(the|a|what|was|were|is|it|about|that|then)\b", " ", _strip_time(question).lower())
    return len(words) <= 6 and not re.sub(r"[^a-z]", "", leftover)


def contextualise(question: str, previous: str | None) -> tuple[str, QuestionIntent]:
    """The text to search with and the intent to answer with."""
    intent = read_question(question)
    # "what is a s114 notice (adcs report)" asks what a s114 notice is; the brackets say where to look.
    intent.defines = without_source(intent.defines, names=False) if intent.defines else ""
    if not previous or not is_follow_up(question):
        return question, intent
    before = read_question(previous)
    subject = _strip_time(previous)
    own = FOLLOW_UP.sub("", question).strip()
    search_text = f"{subject} {own}".strip()
    if intent.unit is None:
        intent.unit, intent.wants_number = before.unit, before.wants_number
    intent.comparison = intent.comparison or before.comparison
    return search_text, intent
