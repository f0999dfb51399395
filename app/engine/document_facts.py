"""What a reader asks about a document itself: who wrote or owns it, when it was published, its version, when
it is due for review.

The answer is in the document's cover, back-page or document-control fields ("Author: Victoria Hilliard, ...",
"Version 3 – November 2022", "Document owner Chair of NSCP ..."), which share no words with the question's
topic and rarely match a search: they are read from the documents found, and a field stating the fact asked
answers before a sentence that only mentions the document.
"""

from __future__ import annotations

import re
from functools import lru_cache

from index.lexicon import DOCUMENT_FACTS, DOCUMENT_KINDS, alternation

from .question import EARLIER_ASKED

# A kind of document named ("the report", "the doc", "the policy").
KIND_WORD = re.compile(rf"\b(?:{alternation(DOCUMENT_KINDS)})s?\b", re.I)
# The question is about a document, of a kind or as "it".
ABOUT_A_DOCUMENT = re.compile(rf"{KIND_WORD.pattern}|\bit\b", re.I)


@lru_cache(maxsize=1)
def _cues() -> dict[str, re.Pattern]:
    return {fact: re.compile(rf"\b(?:{alternation(cues)})\b", re.I) for fact, (cues, _) in DOCUMENT_FACTS.items()}


# "When was the inspection" asks the dates on an inspection's cover; "when was it inspected before this visit"
# or "when is the next one" asks about another, which the cover does not give.
INSPECTING = re.compile(r"\b(?:inspect\w*|visit(?:s|ed)?|ofsted|inspectors?)\b", re.I)
ANOTHER_INSPECTION = re.compile(rf"{EARLIER_ASKED.pattern}|\bnext\b", re.I)


def facts_asked(question: str) -> tuple[str, ...]:
    """The facts about a document the question asks ("who wrote the report and when was it published":
    author, published)."""
    if not ABOUT_A_DOCUMENT.search(question):
        return ()
    facts = tuple(fact for fact, cue in _cues().items() if cue.search(question))
    if "inspected" in facts and (not INSPECTING.search(question) or ANOTHER_INSPECTION.search(question)):
        facts = tuple(fact for fact in facts if fact != "inspected")
    return facts


def field_labels(facts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(label for fact in facts for label in DOCUMENT_FACTS[fact][1])


# A document's review date said in a sentence of its own: "This Policy will be reviewed Sept 2017".
REVIEW_STATED = re.compile(
    r"^\W*(?:this|the)\s+(?:\w+\s+){1,3}?(?:will be|is to be|is due to be|should be)\s+reviewed\b", re.I
)


def states_fact(sentence: str, facts: tuple[str, ...]) -> bool:
    """Does the sentence open with the field stating one of these facts ("Author: ...", "Version 3 ..."), or
    say it as a document says its review date?"""
    if "review" in facts and REVIEW_STATED.match(sentence):
        return True
    labels = field_labels(facts)
    return bool(labels) and bool(re.match(rf"^\W*(?:{alternation(labels)})\b\s*:?\s*\S", sentence, re.I))


def naming_words(question: str) -> str:
    """The question without the words asking the fact and the kind of document ("who wrote the london rapid
    reviews report" -> "the london rapid reviews"): what is left names the document."""
    text = question
    for cue in _cues().values():
        text = cue.sub(" ", text)
    return " ".join(KIND_WORD.sub(" ", text).split())
