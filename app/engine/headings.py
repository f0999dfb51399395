"""Lines of a document that head others rather than state anything: headings and captions, and the run-in
headings set at body size over the paragraphs or items they head (no section of their own)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.records import Sentence
from ingest.pdf_layout import FIELD


def looks_like_heading(text: str) -> bool:
    """Headings and captions ("Safeguarding GP Practice Assurance Metric Tool") state nothing."""
    if FIELD.match(text):
        return False  # "Lead inspector: Tracey Metcalfe", "Published: February 2025" say who or when
    if len(text) < 12 or len(text.split()) < 4:
        return True
    if not re.search(r"[a-z]", text):
        return True  # a line of capitals ("LEVEL 1 LEVEL 2 LEVEL 3") labels a diagram or a table
    return len(text.split()) < 8 and not re.search(r"\d", text) and not re.search(r"[.!?:;]$", text)


# A run-in heading: a short line at body size over the paragraphs or items it heads ("Care leavers" in an
# Ofsted report's "Areas for improvement", before "14. Improve Pathway Plans ...").
RUN_IN_HEADING = re.compile(r"^[A-Z][^\d.!?:;]{2,60}$")
RUN_IN_WORDS = 6


@dataclass
class RunInHeadings:
    """Reads a section's sentences in order and says which run-in heading each one is under. A line counts
    as a heading only between full sentences: a run of short lines is a diagram's or a title's fragments
    ("Camden Safeguarding", "Children Board"), no heading."""

    heading: Sentence | None = None
    pending: Sentence | None = None
    previous: str = ""

    def read(self, sentence: Sentence) -> Sentence | None:
        text = sentence.text
        if looks_like_heading(text):
            self.heading = None
            after_sentence = not self.previous or re.search(r"[.!?:;]$", self.previous)
            fits = RUN_IN_HEADING.match(text) and len(text.split()) <= RUN_IN_WORDS
            self.pending = sentence if fits and after_sentence and not self.pending else None
        elif self.pending:
            self.heading, self.pending = self.pending, None
        self.previous = text
        return self.heading
