"""Sentences that talk about the document instead of its subject are never an answer.

"This letter summarises the findings of the focused visit ...", "See page 49 for more information on ...",
"Any complaints about the inspection or the report should be made ...", the publisher's imprint and the
document's own title repeated on its cover page hold no answer a practitioner can act on; opening an answer
with one reads as an evasion.
"""

from __future__ import annotations

import re

from index.lexicon import DOCUMENT_NOUNS, POINTER_TARGETS, SELF_DESCRIBING_VERBS, alternation

SELF_DESCRIPTION = re.compile(
    rf"^\W*(?:this|the present|our)\s+(?:\w+\s+)?(?:{alternation(DOCUMENT_NOUNS)})\s+"
    rf"(?:{alternation(SELF_DESCRIBING_VERBS)})\b",
    re.I,
)
TITLE_SLACK = 30  # characters a cover line may add to or drop from the title
POINTER = re.compile(rf"\b(?:see|refer to)\s+(?:{alternation(POINTER_TARGETS)})\s+\d", re.I)
# "Any complaints about the inspection or the report should be made ...": how to respond to the document.
RESPONSE_TO_DOCUMENT = re.compile(
    rf"\bcomplaints?\s+about\s+(?:the|this)\s+(?:inspection|visit|{alternation(DOCUMENT_NOUNS)})\b", re.I
)

# The publisher's imprint on a back page: copyright, licence, how to get copies, who produces the document
# ("Ofsted produces this report ...", "If you would like Ofsted to send you a copy of the guidance, ...").
IMPRINT = re.compile(
    rf"©|\bcrown copyright\b|\bopen government licen[cs]e\b"
    rf"|\bre-?use this (?:information|{alternation(DOCUMENT_NOUNS)})\b"
    rf"|\bif you would like\b[^.]{{0,60}}\bcop(?:y|ies)\b"
    rf"|\b(?:produces|publishes|published|issues)\s+this\s+(?:{alternation(DOCUMENT_NOUNS)})\b",
    re.I,
)


def _words(text: str) -> str:
    """Lower-case words, a footnote mark glued to a word ("board1") left off."""
    return " ".join(re.findall(r"[a-z0-9]+", re.sub(r"(?<=[a-z])\d+\b", "", text.lower())))


def is_filler(sentence: str, title: str | None = None) -> bool:
    """Whether a sentence is about the document: describing itself, pointing elsewhere, or its title."""
    about_document = (SELF_DESCRIPTION, POINTER, RESPONSE_TO_DOCUMENT, IMPRINT)
    if any(pattern.search(sentence) for pattern in about_document):
        return True
    said, named = _words(sentence), _words(title or "")
    if not said or not named:
        return False
    # The cover page repeats the title, give or take who issued it ("Leeds City Council: Inspection of ...").
    shorter, longer = sorted((said, named), key=len)
    return shorter in longer and len(longer) - len(shorter) <= max(TITLE_SLACK, len(longer) // 4)
