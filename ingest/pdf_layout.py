"""What a born-digital PDF's first page says by its layout: the title, the letterhead, the title-page text.

A PDF's text layer reads the first page top to bottom, so a letter's title is lost under its letterhead,
date and the recipient's address ("20 May 2025 Melanie Barnett ..."), and "1 Angel Square" reads like a
numbered heading. The type says more than the text: the title is set in the largest type on the page (or,
in a letter, is the bold subject line under "Dear ..."), and a letterhead sits in the page margin in small
type, or above the greeting in the shape of an address. Only the first page is read (pdfplumber gives each
character's font and size); running headers and footers on later pages are the cleaner's work.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from index.lexicon import BULLETS, CONTACT_LABELS, MONTHS, SALUTATIONS, STREET_WORDS

# The body text's size is read from the first page, and from the next ones when it is a cover with too
# little text to tell (reading a page's characters costs about a tenth of a second a thousand).
BODY_SAMPLE_PAGES = 3
BODY_SAMPLE_CHARS = 3000
# Type this much larger than the body text is display type (a title), not a bold line in the text.
TITLE_RATIO = 1.15
# Lines of a title set at sizes this close belong to one title ("London Rapid Reviews / (2023-2024)").
SAME_TITLE_SIZE = 0.8
# A superscript (a footnote mark after "Board") is set this much smaller than its line.
SUPERSCRIPT_RATIO = 0.75
# A first page with less body text than this is a cover: its display type is no section heading.
COVER_CHARS = 400
# A letterhead sits in the top or bottom margin of the page (share of the page height).
TOP_MARGIN, BOTTOM_MARGIN = 0.14, 0.92
# Words further apart than this (in multiples of the type size) are separate columns of a line.
COLUMN_GAP = 2.0
MAX_TITLE_CHARS = 240

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
WEB = re.compile(r"(?:^|\s)(?:https?://|www\.)\S+|\b[\w-]+\.(?:gov|org|co|ac|nhs)\.uk\b", re.I)
PHONE = re.compile(r"(?:\+44\s?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b")
DATE = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTHS})\s+((?:19|20)\d{{2}})\b", re.I)
MONTH_YEAR = re.compile(rf"\b({MONTHS})\s+((?:19|20)\d{{2}})\b", re.I)
# "Inspection dates: ...", "Lead inspector: ...", "Reference number NSCPTG22": fields under a title.
FIELD = re.compile(r"^[A-Z][\w ]{2,30}:\s|^(?:ref(?:erence)?\.?|our ref|your ref)\b", re.I)
REFERENCE = re.compile(r"^(?:ref(?:erence)?(?: number| no\.?)?:?\s*)?[A-Z]{2,}[\w/-]*\d[\w/-]*$", re.I)
# A title line with few letters: a year, a period or an ampersand ("2025", "(2023-2024)", "&").
TITLE_FILLER = re.compile(r"^\(?(?:(?:19|20)\d{2}(?:\s?[-/–]\s?(?:19|20)?\d{2})?|&)\)?$")
# A list item: a bullet mark, or a dash, star or "o" standing as one.
BULLET = re.compile(rf"^(?:[{BULLETS}]|[-*o–]\s)")
BOLD_FONT = ("bold", "black", "heavy", "semibold", "demibold")


@dataclass
class Line:
    """A line (or one column of a line) of the first page, with its type and place on the page."""

    text: str
    size: float
    bold: bool
    x0: float
    top: float
    bottom: float


@dataclass
class TitlePage:
    """What the first page's layout tells: see the module docstring."""

    title: str | None
    lines: list[Line]  # the first page in reading order, letterhead included
    letterhead: list[str] = field(default_factory=list)  # lines of the first page that are no content
    body_size: float = 0.0
    height: float = 0.0
    date_line: str | None = None  # the line dating a letter or an inspection ("Inspection dates: ...")

    @property
    def text(self) -> str:
        """The title page's content, one line per line (the letterhead left out)."""
        dropped = set(self.letterhead)
        return "\n".join(line.text for line in self.lines if line.text not in dropped)

    def _is_body(self, line: Line) -> bool:
        return abs(line.size - self.body_size) < 0.5 and line.text not in self.letterhead

    def _title_opens_page(self) -> bool:
        """No paragraph text above the title's first line (a letter's address block is no paragraph)."""
        squashed = _squash(self.title or "")
        opening = (line for line in self.lines if _squash(line.text) and squashed.startswith(_squash(line.text)))
        first = next(opening, None)
        if first is None:
            return False
        above = [line for line in self.lines if line.top < first.top and self._is_body(line)]
        return not any(len(line.text.split()) > 8 for line in above)

    def filter_hints(self, hints: list[str]) -> list[str]:
        """Heading hints without the first page's title or a cover's display type (a logo's words, a
        second title layer): a title page is no section. A title that does not open its page (a one-page
        note whose largest type is a heading half-way down) still heads its section."""
        body_chars = sum(len(line.text) for line in self.lines if self._is_body(line))
        cover = body_chars < COVER_CHARS
        shown = [line.text for line in self.lines if cover and line.size >= self.body_size * TITLE_RATIO]
        titles = [self.title] if self.title and (cover or self._title_opens_page()) else []
        title = "|".join(_squash(text) for text in [*titles, *shown])
        words = {word for text in shown for word in text.lower().split()}

        def on_title_page(hint: str) -> bool:
            # a hint may join display lines of the cover ("LSCP Multiagency" + "Safeguarding Level 3")
            squashed = _squash(hint)
            if not squashed or squashed in title:
                return True
            opens = any(hint.startswith(text) for text in shown)
            return opens and set(hint.lower().split()) <= words

        return [h for h in hints if not on_title_page(h)]


def read_title_page(path: Path) -> TitlePage | None:
    """The first page's layout, or None when the PDF has no text on its first page (scanned) or cannot be
    read: the text-based guesses then stand alone."""
    import pdfplumber

    try:
        with pdfplumber.open(str(path)) as pdf:
            if not pdf.pages:
                return None
            first = pdf.pages[0]
            words = first.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False)
            height = float(first.height)
            sizes: Counter[float] = Counter()
            for page in pdf.pages[:BODY_SAMPLE_PAGES]:
                sizes.update(round(float(c["size"]), 1) for c in page.chars if not c["text"].isspace())
                if sizes.total() >= BODY_SAMPLE_CHARS:
                    break
    except Exception:  # a PDF pdfplumber cannot read is read as text alone (the loader reports real damage)
        return None
    if not words:
        return None
    body = sizes.most_common(1)[0][0]
    lines = _lines(words)
    letterhead = _letterhead(lines, height, body)
    title = _title(lines, set(letterhead), body)
    return TitlePage(title, lines, letterhead, body, height, _date_line(lines, set(letterhead)))


def _lines(words: list[dict]) -> list[Line]:
    """Words grouped into lines by their place and size, then split into columns at wide gaps.

    pdfplumber's own line grouping joins text at different sizes that shares a baseline band (a cover's
    title over a coloured box), and keeps a superscript footnote mark in the word ("Board1")."""
    groups: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(float(w["top"])), float(w["x0"]))):
        size = float(word["size"])
        for group in reversed(groups[-6:]):
            lead = group[0]
            lead_size = float(lead["size"])
            near = abs(float(word["bottom"]) - float(lead["bottom"])) <= 0.4 * lead_size
            if near and 0.8 <= size / lead_size <= 1.25:
                group.append(word)
                break
            superscript = size < lead_size * SUPERSCRIPT_RATIO
            if superscript and float(lead["top"]) - 0.2 * lead_size <= float(word["top"]) <= float(lead["bottom"]):
                break  # a footnote mark: no part of the line's text
        else:
            groups.append([word])
    lines = []
    for group in groups:
        group.sort(key=lambda w: float(w["x0"]))
        column: list[dict] = []
        for word in group:
            if column and float(word["x0"]) - float(column[-1]["x1"]) > COLUMN_GAP * float(word["size"]):
                lines.append(_line(column))
                column = []
            column.append(word)
        lines.append(_line(column))
    return sorted(lines, key=lambda line: (round(line.top), line.x0))


def _line(words: list[dict]) -> Line:
    sizes = Counter(round(float(w["size"]), 1) for w in words for _ in w["text"])
    bold = sum(len(w["text"]) for w in words if _bold(w["fontname"])) >= 0.8 * sum(len(w["text"]) for w in words)
    text = words[0]["text"]
    for before, word in zip(words, words[1:], strict=False):
        # A word split by a change of font (a curly apostrophe from another font) is joined again.
        touching = float(word["x0"]) - float(before["x1"]) < 0.1 * float(word["size"])
        text += ("" if touching else " ") + word["text"]
    return Line(
        text,
        sizes.most_common(1)[0][0],
        bold,
        min(float(w["x0"]) for w in words),
        min(float(w["top"]) for w in words),
        max(float(w["bottom"]) for w in words),
    )


def _bold(fontname: str) -> bool:
    return any(word in fontname.lower() for word in BOLD_FONT)


# -- shapes ---------------------------------------------------------------------------------------------
def is_contact(text: str) -> bool:
    """A phone, email or web line of a letterhead ("T 0300 123 1231", "www.gov.uk/ofsted")."""
    words = text.split()
    if not words:
        return False
    label = words[0].lower().rstrip(":")
    return bool(EMAIL.search(text) or WEB.search(text) or (label in CONTACT_LABELS and re.search(r"\d{3}", text)))


def is_address(text: str) -> bool:
    """A street line ("1 Angel Square", "Store Street") or a line ending in a postcode ("M1 2WD")."""
    words = text.rstrip(",.").split()
    if not words:
        return False
    if POSTCODE.search(text) and POSTCODE.search(text).end() >= len(text.rstrip(",. ")) - 1:
        return True
    named = words[1:] if words[0][:1].isdigit() else words
    return (
        1 <= len(named) <= 4
        and words[-1].lower() in STREET_WORDS
        and all(w[:1].isupper() for w in named)
        and (words[0][:1].isdigit() or len(words) <= 3)
    )


def is_date_line(text: str) -> bool:
    """A line that is a date and little else ("20 May 2025", "Updated July 2021", "February 2025")."""
    rest = MONTH_YEAR.sub("", DATE.sub("", text))
    return rest != text and len(re.findall(r"[A-Za-z]{3,}", rest)) <= 1


def is_furniture(text: str) -> bool:
    """What is never a title: an address, a date, a contact line, a reference number, a page number."""
    clean = text.strip()
    return (
        sum(ch.isalpha() for ch in clean) < 3
        or is_contact(clean)
        or is_address(clean)
        or is_date_line(clean)
        or bool(REFERENCE.match(clean))
        or bool(re.match(r"^(?:page\s+)?\d+(?:\s*(?:of|/)\s*\d+)?$", clean, re.I))
    )


# -- letterhead -----------------------------------------------------------------------------------------
def _letterhead(lines: list[Line], height: float, body: float) -> list[str]:
    """Lines that are letterhead or a recipient's address: by place (page margin, above the greeting) and
    shape. A phone number in the text of the page stays: it may be the number a reader needs."""
    greeting = next((i for i, line in enumerate(lines) if line.text.lower().startswith(SALUTATIONS)), None)
    dropped = []
    for i, line in enumerate(lines):
        shaped = is_contact(line.text) or is_address(line.text)
        in_top = line.bottom <= height * TOP_MARGIN
        in_bottom = line.top >= height * BOTTOM_MARGIN
        above_greeting = greeting is not None and i < greeting
        in_margin = (in_top and (shaped or line.size < body * 0.95)) or (in_bottom and shaped)
        in_address = above_greeting and (shaped or _town_in_address(lines, i, greeting))
        if in_margin or in_address:
            dropped.append(line.text)
    return dropped


def _town_in_address(lines: list[Line], i: int, greeting: int) -> bool:
    """A lone town name between a street line and a postcode ("Northampton")."""
    words = lines[i].text.split()
    if not (1 <= len(words) <= 3 and all(w[:1].isupper() for w in words)):
        return False
    before = any(is_address(lines[j].text) for j in range(max(0, i - 2), i))
    after = any(POSTCODE.search(lines[j].text) for j in range(i + 1, min(greeting, i + 3)))
    return before and after


# -- title ----------------------------------------------------------------------------------------------
def _title(lines: list[Line], letterhead: set[str], body: float) -> str | None:
    """The largest type on the page (consecutive lines joined) and a subtitle set just under it; in a
    letter with no display type, the bold subject line under the greeting."""
    candidates = [
        line
        for line in lines
        if line.text not in letterhead
        and (TITLE_FILLER.match(line.text) or not is_furniture(line.text))
        and not BULLET.match(line.text)
    ]
    if not candidates:
        return None
    largest = max(line.size for line in candidates)
    if largest >= body * TITLE_RATIO:
        block = _block(candidates, largest, SAME_TITLE_SIZE)
        title = " ".join(line.text for line in block)
        subtitle = _subtitle(candidates, block, largest, body)
        if subtitle and _squash(subtitle) not in _squash(title):
            title = f"{title.rstrip(':')}: {subtitle}"
        return _tidy(title)
    return _subject_line(lines, candidates)


def _block(candidates: list[Line], size: float, ratio: float) -> list[Line]:
    """The first line set at `size` and the lines at about that size that follow it closely."""
    start = next(line for line in candidates if abs(line.size - size) < 0.5 and not TITLE_FILLER.match(line.text))
    block = [start]
    for line in candidates:
        if line.top <= block[-1].top or not (size * ratio <= line.size <= size * 1.05):
            continue
        if line.top - block[-1].bottom > size or FIELD.match(line.text):
            break
        block.append(line)
    return block


def _subtitle(candidates: list[Line], block: list[Line], largest: float, body: float) -> str | None:
    # (text hidden under the title, overlapping it, is not a subtitle)
    below = [line for line in candidates if line.top >= block[-1].bottom - 1 and line not in block]
    if not below:
        return None
    first = below[0]
    if first.top - block[-1].bottom > 1.5 * largest or first.size < body * TITLE_RATIO or first.size > largest:
        return None
    if FIELD.match(first.text):
        return None
    lines = [first]
    for line in below[1:]:
        if abs(line.size - first.size) > 0.1 * first.size:
            break
        if line.top - lines[-1].bottom > first.size or FIELD.match(line.text) or is_furniture(line.text):
            break
        lines.append(line)
    return " ".join(line.text for line in lines)


def _subject_line(lines: list[Line], candidates: list[Line]) -> str | None:
    """A letter's subject: the first bold line after the greeting, or a page that opens with a bold line."""
    greeting = next((line for line in lines if line.text.lower().startswith(SALUTATIONS)), None)
    after = [line for line in candidates if greeting is None or line.top > greeting.top]
    first = after[0] if after else None
    if first is None or not first.bold or FIELD.match(first.text) or first.text.lower().startswith(SALUTATIONS):
        return None
    subject = [first]
    for line in after[1:]:
        if not line.bold or line.top - subject[-1].bottom > line.size:
            break
        subject.append(line)
    return _tidy(" ".join(line.text for line in subject))


def _tidy(title: str) -> str:
    return " ".join(title.split()).rstrip(" .:;,")[:MAX_TITLE_CHARS]


def _date_line(lines: list[Line], letterhead: set[str]) -> str | None:
    """The line that dates the document: the inspection dates, the publication date, or a letter's date."""
    content = [line.text for line in lines if line.text not in letterhead]
    for prefix in ("inspection date", "visit date", "report published", "published"):
        for text in content:
            if text.lower().startswith(prefix) and DATE.search(text):
                return text
    greeting = next((i for i, text in enumerate(content) if text.lower().startswith(SALUTATIONS)), None)
    if greeting is not None:
        for text in content[:greeting]:
            if DATE.fullmatch(text.strip().rstrip(".")):
                return text
    return None


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())
