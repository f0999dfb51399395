"""Find numbered headings so every chunk knows which section of the document it belongs to.

Heading detection is heuristic by necessity (PDF text has no structure); the rules below are
general: a numbered line that reads like a title, whose numbering moves forward through the
document, or a line that matches a title listed in the document's own table of contents or a heading
the layout found (a heading wrapped over two or three lines is matched across them). A bulleted line is
never a heading: a list stays in the section of the heading or lead-in sentence it follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.lexicon import CONTENTS_TITLES, JOINING

from .pdf_headings import MAX_HEADING_LINES, MAX_WORDS, word_count
from .pdf_layout import BULLET

HEADING = re.compile(r"^\s*(?P<num>\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+(?P<title>[A-Z][^\n]{1,110}?)\s*$")
CONTENTS_ENTRY = re.compile(r"\D\s+\d{1,3}$")
FOOTNOTE_MARK = re.compile(r"(?<=[^\s\d])\d{1,2}\*?$|\*+$")
# A title does not end on a joining word; a list item broken over lines often does.


@dataclass
class Section:
    start: int  # char offset of the heading line in the document text
    number: str
    title: str
    path: str
    lines: int = 1  # lines of the document text the heading is set over ("Level 3 – Complex Needs ... / Work Teams")

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}".strip()


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _unmarked(text: str) -> str:
    """Without a footnote mark set against the last word ("What needs to improve?1"); a number after a
    space is a contents entry's page ("Main findings 2") and stays, so the entry is no heading."""
    return FOOTNOTE_MARK.sub("", text.rstrip())


def _exact(text: str) -> str:
    return "".join(_unmarked(text).lower().split())


def _looks_like_title(title: str) -> bool:
    words = title.split()
    if not words or word_count(title) > MAX_WORDS:
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
    toc_unnumbered = {_normal(t): " ".join(t.split()) for t in toc_titles if t and not HEADING.match(t)}
    # The first lines of a heading wrapped over several lines, to know when to read on.
    openings = {" ".join(k.split()[:n]) for k in toc_unnumbered for n in range(1, len(k.split()))}
    sections: list[Section] = []
    stack: list[tuple[tuple[int, ...], str]] = []
    last_top = 0
    offset = 0
    lines = text.split("\n")
    in_contents = False
    for index, line in enumerate(lines):
        start, offset = offset, offset + len(line) + 1
        stripped = line.strip()
        if not stripped or BULLET.match(stripped):
            continue
        # Entries under "Contents" end in their page number ("Early Help 5"): they are not the headings.
        if in_contents and _contents_entry(lines, index):
            continue
        in_contents = False
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
        elif found := _unnumbered(lines, index, toc_unnumbered, openings):
            stack = []
            title, spans = found
            sections.append(Section(start, "", title, title, spans))
        in_contents = _normal(stripped) in CONTENTS_TITLES
    return sections


def _contents_entry(lines: list[str], index: int) -> bool:
    """An entry of a table of contents: ends in a page number, or is the first line of an entry wrapped
    over two lines whose second line does."""
    following = [line.strip() for line in lines[index : index + 2]]
    return bool(CONTENTS_ENTRY.search(following[0])) or (
        len(following) == 2 and bool(CONTENTS_ENTRY.search(following[1]))
    )


def _unnumbered(lines: list[str], index: int, titles: dict[str, str], openings: set[str]) -> tuple[str, int] | None:
    """The listed title starting at this line, read over the next lines while they continue one, and the
    number of lines it is set over. (A footnote mark may follow a heading: "What needs to improve?1".)"""
    joined = ""
    for count, line in enumerate(lines[index : index + MAX_HEADING_LINES], start=1):
        stripped = line.strip()
        if not stripped:
            return None
        joined = f"{joined} {stripped}".strip()
        if word_count(joined) > MAX_WORDS:
            return None
        key = _normal(_unmarked(joined))
        if key in titles and (joined == stripped or _exact(joined) == _exact(titles[key])):
            # (over several lines the punctuation must agree too: a table's rows read like a heading)
            return (titles[key] if key != _normal(joined) else " ".join(joined.split())), count
        if key not in openings:
            return None
    return None


def section_at(sections: list[Section], offset: int) -> Section | None:
    current = None
    for section in sections:
        if section.start <= offset:
            current = section
        else:
            break
    return current
