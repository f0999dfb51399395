"""Reporting periods ("2018/19") as written in many ways ("2018-19", "2018/2019", "2018 to 2019")."""

from __future__ import annotations

import re
from collections import Counter

PERIOD = re.compile(r"\b((?:19|20)\d{2})\s?(?:[-/–]|to)\s?((?:19|20)?\d{2})\b")
YEAR = re.compile(r"\b((?:19|20)\d{2})\b")


def normalise_period(first: str, second: str) -> str | None:
    start = int(first)
    end = int(second[-2:])
    if (start + 1) % 100 != end:
        return None
    return f"{start}/{end:02d}"


def periods_in(text: str) -> list[tuple[int, int, str]]:
    """(start, end, normalised) for each period written in text."""
    found = []
    for match in PERIOD.finditer(text):
        period = normalise_period(match.group(1), match.group(2))
        if period:
            found.append((match.start(), match.end(), period))
    return found


def dominant_period(text: str) -> str | None:
    counts = Counter(p for _, _, p in periods_in(text))
    return counts.most_common(1)[0][0] if counts else None


def period_key(period: str) -> int:
    return int(period[:4])
