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


# Reporting years run from April to March, so a March year end names the year it closes: "at 31 March 2024",
# "the year ending March 2024" and "April 2023 to March 2024" are all 2023/24.
YEAR_END = re.compile(
    r"\b(?:(?:(?:year\s+)?(?:ending|ended|to)\s+(?:31(?:st)?\s+)?|(?:the\s+)?end\s+of\s+|31(?:st)?\s+)march"
    r"|march\s+31(?:st)?,?)\s+((?:19|20)\d{2})\b",  # "31 March 2017", and month first: "March 31, 2017"
    re.I,
)
APRIL_TO_MARCH = re.compile(r"\bapril\s+((?:19|20)\d{2})\s*(?:to|and|-|–)\s*march\s+((?:19|20)\d{2})\b", re.I)


def periods_in(text: str) -> list[tuple[int, int, str]]:
    """(start, end, normalised) for each period written in text, in the order written."""
    found = []
    for match in PERIOD.finditer(text):
        period = normalise_period(match.group(1), match.group(2))
        if period:
            found.append((match.start(), match.end(), period))
    for match in APRIL_TO_MARCH.finditer(text):
        period = normalise_period(match.group(1), match.group(2))
        if period:
            found.append((match.start(), match.end(), period))
    for match in YEAR_END.finditer(text):
        closing = int(match.group(1))
        if not any(s <= match.start(1) < e for s, e, _ in found):
            found.append((match.start(), match.end(), normalise_period(str(closing - 1), str(closing)[-2:])))
    return sorted(found)


# UK local authorities and partnerships report by financial year, 1 April to 31 March.
REPORTING_YEAR_START_MONTH = 4


def reporting_year(month: int, year: int) -> str | None:
    """The reporting year a month falls in: December 2014 is in 2014/15, January 2015 too."""
    start = year if month >= REPORTING_YEAR_START_MONTH else year - 1
    return normalise_period(str(start), str(start + 1)[-2:])


def dominant_period(text: str) -> str | None:
    counts = Counter(p for _, _, p in periods_in(text))
    return counts.most_common(1)[0][0] if counts else None


def period_key(period: str) -> int:
    return int(period[:4])
