"""Questions asking for a value the figure reader does not read as a figure: a time of day, an age, a ratio,
how often (in words), a threshold level, a phone number.

"What hours is the helpline open?", "at what age can a child consent?" and "what's the staff to child ratio?"
are answered only by a sentence that states such a value ("08:00 to 20:00", "under the age of 13", "1:8"); "how
often?", when no figure answers it, only by one saying how often ("at least half termly", "every six weeks");
"what number do I ring?" only by one giving a phone number ("0300 126 7000").
A sentence on the same topic that states none (the helpline's number, the ages a rule covers without the
one asked) is no answer, and answering with it hides that the documents do not give what was asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Form:
    name: str  # as the abstention names it: "time of day"
    asked: re.Pattern
    stated: re.Pattern

    def stated_in(self, sentence: str) -> bool:
        return bool(self.stated.search(sentence))


FORMS = (
    Form(
        "time of day",
        re.compile(
            r"\b(?:what|which)\s+(?:hours|times?\s+of\s+day)\b|\bopening\s+(?:hours|times)\b|\bwhat time\b", re.I
        ),
        re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s?(?:am|pm)\b|\b(?:24/7|24 hours a day|midday|midnight)\b", re.I),
    ),
    Form(
        "age",
        re.compile(r"\b(?:what|which)\s+ages?\b|\bhow old\b|\bage\s+of\s+consent\b", re.I),
        re.compile(
            r"\bage[ds]?\s+(?:of\s+|between\s+|from\s+)?\d|\b\d{1,2}\s*(?:-\s*)?(?:years?|yrs?)[\s-]*old\b"
            r"|\b(?:under|over|aged|turn(?:s|ed)?|becom(?:e|es|ing)|until|up to)\s+(?:the\s+age\s+of\s+)?\d{1,2}\b"
            r"|\b\d{1,2}\s*(?:-|–|to)\s*\d{1,2}\s*(?:years?|yrs?)\b|\b\d{1,2}(?:st|nd|rd|th)\s+birthday\b",
            re.I,
        ),
    ),
    Form(
        "ratio",
        re.compile(r"\bratios?\b", re.I),
        re.compile(  # "1:8", "one adult to every 13 children"; never a time ("08:00 to 20:00")
            r"(?<![\d:])\d\s?:\s?\d{1,2}(?![\d:])|\b(?:one|1)\s+(?:[a-z]+\s+){0,3}(?:to|for)\s+(?:every\s+)?"
            r"(?:\d+|[a-z]+)\s+(?:[a-z]+\s+)?(?:children|pupils|babies|infants)\b",
            re.I,
        ),
    ),
    Form(
        "frequency",
        re.compile(r"\bhow\s+(?:often|frequently)\b", re.I),
        re.compile(
            r"\b(?:daily|weekly|fortnightly|monthly|quarterly|annually|yearly|termly|half[\s-]termly|bi-?monthly"
            r"|bi-?annually|(?:six|three|two|\d+)[\s-]monthly)\b"
            r"|\bevery\s+(?:(?:\d+|[a-z]+)\s+)?(?:other\s+)?(?:days?|weeks?|months?|years?|terms?|quarters?)\b"
            r"|\b(?:once|twice|(?:\d+|[a-z]+)\s+times)\s+(?:a|per|each|every)\s+(?:day|week|month|year|term|quarter)\b",
            re.I,
        ),
    ),
    Form(
        "level",  # "which level is a section 47 enquiry?": a threshold document's numbered level
        re.compile(r"\b(?:what|which)\s+(?:level|tier)\b(?!\s+of\s+(?:training|detail)\b)", re.I),
        re.compile(r"\b(?:level|tier)\s+(?:\d{1,2}|one|two|three|four|five|six)\b", re.I),
    ),
    Form(
        "phone number",
        re.compile(
            r"\b(?:phone|telephone|tel|contact|helpline|mobile)\s+(?:numbers?|no)\b|\bwhat\s+number\b"
            r"|\bnumber\s+(?:do|should|can|would)\s+(?:i|we|you)\s+(?:ring|call|phone|dial)\b"
            r"|\bnumber\s+to\s+(?:ring|call|phone|dial)\b|\bwhat(?:['’]s|s|\s+is)?\s+(?:the\s+)?number\s+for\b",
            re.I,
        ),
        # A UK number as documents print it: "0300 126 7000", "020 7926 4679", "01865 810603", "+44 20 ...".
        re.compile(r"(?:\+44\s?(?:\(0\)\s?)?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b"),
    ),
)


def asked_form(question: str) -> Form | None:
    """The kind of value the question asks for that only a sentence stating one answers, if any."""
    return next((form for form in FORMS if form.asked.search(question)), None)
