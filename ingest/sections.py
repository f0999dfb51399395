"""Find numbered headings so every chunk knows which section of the document it belongs to.

Heading detection is heuristic by necessity (PDF text has no structure); the rules below are
general: a numbered line that reads like a title, whose numbering moves forward through the
document, or a line that matches a title listed in the document's own table of contents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.lexicon import JOINING

HEADING = re.compile(r"^\s*(?P<num>\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+(?P<title>[A-Z][^\n]{1,110}?)\s*$")
MAX_HEADING_WORDS = 14
# A title does not end on a joining word; a list item broken over lines often does.


@dataclass
class Section:
    start: int  # char offset of the heading line in the document text
    number: str
    title: str
    path: str

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}".strip()


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _looks_like_title(title: str) -> bool:
    words = title.split()
    if not words or len(words) > MAX_HEADING_WORDS:
        return False
    if title.rstrip().endswith((".", ",", ";")) and not title.rstrip().endswith(".."):
        return False
    if words[-1].lower() in JOINING:
        return False
    return sum(ch.isalpha() for ch in title) >= 3


def _key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


def find_sections(text: str, toc_titles: list[str]) -> list[Section]:
    toc = {_normal(t) for t in toc_titles if t}
    toc_plain = {_normal(HEADING.sub(r"\g<title>", t)) for t in toc_titles if t}
    # Unnumbered entries ("Foreword", "Glossary") are recognised by their exact title.
    toc_unnumbered = {_normal(t) for t in toc_titles if t and not HEADING.match(t)}
    sections: list[Section] = []
    stack: list[tuple[tuple[int, ...], str]] = []
    last_top = 0
    offset = 0
    for line in text.split("\n"):
        start, offset = offset, offset + len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        match = HEADING.match(stripped)
        if match and _looks_like_title(match.group("title")):
            number, title = match.group("num"), " ".join(match.group("title").split())
            key = _key(number)
            listed = _normal(stripped) in toc or _normal(title) in toc_plain
            # Numbering only moves forward; "1." inside section 5 is a list item, not a heading.
            if key[0] < last_top and not listed:
                continue
            # A new top-level number must be a new chapter: "5." again inside chapter 5 is a list item.
            if len(key) == 1 and not listed and (len(title.split()) > 8 or key[0] <= last_top):
                continue
            if key[0] > last_top + 3 and not listed:
                continue
            last_top = max(last_top, key[0])
            stack = [(k, h) for k, h in stack if len(k) < len(key) and key[: len(k)] == k]
            heading = f"{number} {title}"
            stack.append((key, heading))
            sections.append(Section(start, number, title, " > ".join(h for _, h in stack)))
        elif _normal(stripped.rstrip("0123456789* ")) in toc_unnumbered and len(stripped.split()) <= MAX_HEADING_WORDS:
            # (a footnote mark may follow a heading: "What needs to improve?1")
            title = " ".join(stripped.split())
            stack = []
            sections.append(Section(start, "", title, title))
    return sections


def section_at(sections: list[Section], offset: int) -> Section | None:
    current = None
    for section in sections:
        if section.start <= offset:
            current = section
        else:
            break
    return current
