"""Guess a document's title, issuing body, period and kind from its text and file name.

These drive the filters (--body, --period, --kind); a wrong guess only narrows a filter, it never
changes what a passage says, so simple, general rules are enough.
"""

from __future__ import annotations

import re

from index.periods import dominant_period

BODY_PATTERNS = [
    re.compile(r"\b((?:[A-Z][\w’'&-]+ ){1,4}Safeguarding (?:Children |Adults )?(?:Board|Partnership))\b"),
    re.compile(r"\b(Ofsted|Department for Education|Association of Directors of Children’s Services)\b"),
    re.compile(r"\b((?:[A-Z][\w’'-]+ ){1,3}(?:Council|County Council|City Council))\b"),
]
KINDS = [
    ("annual report", ("annual report", "annual-report", "yearly report")),
    ("inspection", ("inspection", "focused visit", "ofsted")),
    ("review", ("serious case review", "practice review", "rapid review", "review")),
    ("protocol", ("protocol", "procedure", "policy", "threshold")),
    ("guidance", ("guidance", "guide", "advice", "framework", "working together", "keeping children safe")),
]


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


def guess_body(text: str, title: str = "") -> str:
    """The body named in the title wins; otherwise the one the opening pages name most."""
    for pattern in BODY_PATTERNS:
        found = pattern.findall(title)
        if found:
            return " ".join(found[0].split())
    head = text[:20000]
    for pattern in BODY_PATTERNS:
        found = pattern.findall(head)
        if found:
            # Ties go to the body named first (a set's order would change from run to run).
            best = max(found, key=found.count)
            return " ".join(best.split())
    return ""


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


def guess_period(title: str, source: str, text: str) -> str | None:
    return dominant_period(f"{title} {source}") or dominant_period(text[:20000])
