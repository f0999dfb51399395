"""Guess a document's title, issuing body, period and kind from its title page, text and file name.

These drive the filters (--body, --period, --kind); a wrong guess only narrows a filter, it never
changes what a passage says, so simple, general rules are enough. A PDF's first-page layout
(ingest.pdf_layout) is the best witness: its largest type is the title and its page names the body and
period; text and file name decide when there is no layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.lexicon import BODY_ACRONYMS, GENERIC_BODY_LEADS, MONTHS, PLACE_NAMES, SENTENCE_LEADS, alternation
from index.periods import dominant_period, reporting_year

from .pdf_layout import DATE, TitlePage

BODY_PATTERNS = [
    re.compile(r"\b((?:[A-Z][\w’'&-]+ ){1,4}Safeguarding (?:Children |Adults )?(?:Board|Partnership))\b"),
    re.compile(r"\b(Ofsted|Department for Education|Association of Directors of Children’s Services)\b"),
    re.compile(r"\b((?:[A-Z][\w’'-]+ ){1,3}(?:Council|County Council|City Council))\b"),
    # an early-years setting or a school writing its own policy
    re.compile(r"\b(?:The )?((?:[A-Z][\w’'-]+ ){1,4}(?:Pre-[Ss]chool|Preschool|Nursery|School|Academy|College))\b"),
]
KINDS = [
    ("annual report", ("annual report", "annual-report", "yearly report")),
    ("inspection", ("inspection", "focused visit", "ofsted")),
    ("review", ("serious case review", "practice review", "rapid review", "review")),
    ("protocol", ("protocol", "procedure", "policy", "threshold")),
    ("guidance", ("guidance", "guide", "advice", "framework", "working together", "keeping children safe")),
]

INSPECTED = [
    re.compile(r"\binspection of (.+?) local authority children", re.I),
    re.compile(r"\bvisit to (.+?) children[’']s services", re.I),
    re.compile(r"^([^:]{3,60}?):\s*(?:joint targeted area )?inspection\b", re.I),
]
PLACE = re.compile(r"\b(?:" + alternation(PLACE_NAMES) + r")\b")


@dataclass
class Description:
    title: str
    body: str
    period: str | None
    kind: str


def describe(
    text: str, metadata_title: str | None, source: str, running_lines: list[str], layout: TitlePage | None
) -> Description:
    """Title, body, period and kind of a document: from its title page's layout when there is one."""
    title = (layout.title if layout else None) or guess_title(text, metadata_title, source)
    # A running header ("Annual Report 2022/23") names the document as a whole: it counts with the title.
    heading = " ".join([title, *running_lines])
    title_page = layout.text if layout else ""
    period = (
        dominant_period(heading)
        or dominant_period(title_page)
        or dominant_period(source)
        or dated_reporting_year(layout.date_line if layout else None)
        or dominant_period(text[:20000])
    )
    # The file's own title field may name the body ("DfE non statutory information sharing advice").
    named = f"{heading} {metadata_title or ''}"
    return Description(title, guess_body(text, named, title_page), period, guess_kind(heading, source, text))


def dated_reporting_year(date_line: str | None) -> str | None:
    """The reporting year a dated letter or inspection falls in ("20 May 2025" -> "2025/26"), written as
    every other period is, so filters, "last year" and figure periods treat it alike. An inspection over
    several days is dated by its last day."""
    dates = DATE.findall(date_line or "")
    if not dates:
        return None
    _, month, year = dates[-1]
    return reporting_year(MONTHS.split("|").index(month.lower()) + 1, int(year))


def guess_title(text: str, metadata_title: str | None, source: str) -> str:
    if metadata_title and len(metadata_title.split()) >= 2 and not metadata_title.lower().startswith("microsoft"):
        return " ".join(metadata_title.split())[:200]
    lines = []
    for line in text.split("\n"):
        clean = " ".join(line.split())
        if len(clean) < 3 or clean.isdigit() or clean.startswith("http"):
            if lines:
                break
            continue
        # "Inspection dates: ..." or "Lead inspector: ..." are fields under the title, not part of it.
        if lines and re.match(r"^[A-Z][\w ]{2,30}:\s", clean):
            break
        lines.append(clean)
        if len(lines) == 4 or sum(len(x) for x in lines) > 120:
            break
    title = " ".join(lines).strip()
    return title[:200] if title else re.sub(r"[-_]+", " ", source.rsplit(".", 1)[0])


def guess_body(text: str, title: str = "", title_page: str = "") -> str:
    """The organisation a practitioner would filter by (the filter matches a part of it).

    An inspection is by Ofsted and about a local authority: both are named ("Ofsted: Manchester"), so
    either finds it. Otherwise the body named in the title wins, then the one on the title page, then the
    one the opening pages name most, then the one the whole text names most."""
    inspected = _inspected(title)
    if inspected and re.search(r"\bOfsted\b", f"{title_page}\n{text}"):
        return f"Ofsted: {inspected}"
    for acronym, name in BODY_ACRONYMS.items():
        if re.search(rf"\b{acronym}\b", title):
            return name
    for source in (title, title_page, text[:20000], text):
        for pattern in BODY_PATTERNS:
            found = [name for name in map(_body_name, pattern.findall(source)) if _names_a_body(name)]
            if found:
                # Ties go to the body named first (a set's order would change from run to run).
                return max(found, key=found.count)
    return ""


def _inspected(title: str) -> str | None:
    """The local authority an inspection title names ("Inspection of Manchester local authority ...")."""
    for pattern in INSPECTED:
        match = pattern.search(title)
        if match and PLACE.search(match.group(1)):
            return " ".join(match.group(1).split())
    return None


def _body_name(found: str) -> str:
    """ "At The New Montessori Pre-school" -> "New Montessori Pre-school": a capital starts a sentence too."""
    words = found.split()
    while len(words) > 2 and words[0].lower() in SENTENCE_LEADS:
        words = words[1:]
    return " ".join(words)


def _names_a_body(found: str) -> bool:
    """ "Local Safeguarding Children Board" names no body; a council is one of a place ("General Medical
    Council" is a regulator, not the body that wrote the document)."""
    words = found.split()
    if not words or words[0].lower() in GENERIC_BODY_LEADS:
        return False
    return not found.endswith("Council") or bool(PLACE.search(found))


def guess_kind(title: str, source: str, text: str) -> str:
    haystack = f"{title} {source}".lower()
    for kind, words in KINDS:
        if any(w in haystack for w in words):
            return kind
    head = text[:5000].lower()
    for kind, words in KINDS:
        if any(w in head for w in words):
            return kind
    return "other"
