"""Find the numbers in a sentence (counts, percentages, money, durations, rates) with what they count.

Figures make "check a number" possible: each carries its sentence, period and label. PDF
extraction splits thousands ("£178, 430"), so a comma followed by a space and three digits is read
as one number. Hand-written because no maintained library extracts labelled figures from prose.
"""

from __future__ import annotations

import re

from .periods import PERIOD, periods_in
from .records import Figure

MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
NUMBER = re.compile(
    r"(?<![\w.,/£$-])(?P<cur>£|\$)?\s?(?P<num>\d{1,3}(?:,\s?\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<scale>\s?(?:k|m|bn|million|billion)\b)?"
    r"(?P<pct>\s?(?:%|per\s?cent\b|percent\b))?"
    r"(?P<dur>\s(?:days?|hours?|weeks?|months?|years?)\b)?"
    r"(?P<rate>\s?per\s(?P<per>\d{1,3}(?:,\d{3})*|thousand|hundred))?",
    re.I,
)
SKIP_BEFORE = re.compile(
    r"(?:section|sections|s\.|para|paragraph|page|pages|chapter|appendix|figure|table|phase|version|"
    r"v|level|tier|step|priority|objective|year|ks|key stage|no\.|number|aged?|ages|under|over)\s*$",
    re.I,
)
DATE_AFTER = re.compile(rf"^\s?(?:st|nd|rd|th)?\s*(?:of\s+)?(?:{MONTHS})\b", re.I)
DATE_BEFORE = re.compile(rf"(?:{MONTHS})\s*$", re.I)
ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th)\b", re.I)
STOP = {
    "the",
    "a",
    "an",
    "of",
    "in",
    "on",
    "at",
    "for",
    "to",
    "from",
    "by",
    "with",
    "and",
    "or",
    "which",
    "that",
    "this",
    "these",
    "those",
    "was",
    "were",
    "is",
    "are",
    "be",
    "been",
    "had",
    "has",
    "have",
    "compared",
    "during",
    "over",
    "than",
    "their",
    "its",
    "it",
    "there",
    "as",
    "who",
    "whom",
    "received",
    "saw",
    "made",
    "total",
    "up",
    "down",
    "around",
    "about",
    "approximately",
    "some",
    "across",
    "into",
    "within",
    "per",
    "cent",
    "between",
    "we",
    "our",
    "they",
    "while",
    "whilst",
}
SCALE = {"k": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
WORD = re.compile(r"[A-Za-z][A-Za-z'’&/-]*")


def _value(match: re.Match) -> float:
    value = float(re.sub(r"[,\s]", "", match.group("num")))
    scale = (match.group("scale") or "").strip().lower()
    return value * SCALE.get(scale, 1.0)


def _unit(match: re.Match) -> str:
    if match.group("cur"):
        return "GBP" if match.group("cur") == "£" else "USD"
    if match.group("pct"):
        return "%"
    if match.group("rate"):
        return f"rate per {match.group('per')}"
    if match.group("dur"):
        word = match.group("dur").strip().lower()
        return word if word.endswith("s") else word + "s"
    return "count"


def _skip(sentence: str, match: re.Match) -> bool:
    before, after = sentence[: match.start()], sentence[match.end() :]
    num = match.group("num")
    plain = re.sub(r"[,\s]", "", num)
    is_year = bool(re.fullmatch(r"(?:19|20)\d{2}", plain)) and "," not in num
    if is_year and not match.group("cur") and not match.group("pct"):
        return True
    if any(s <= match.start("num") < e for s, e, _ in periods_in(sentence)):
        return True
    if SKIP_BEFORE.search(before) and not match.group("cur") and not match.group("pct"):
        return True
    if DATE_AFTER.match(after) or DATE_BEFORE.search(before) or ORDINAL_AFTER.match(after):
        return True
    # Heading-style numbering such as "4.3" at the start of a line.
    return bool(re.fullmatch(r"\d+\.\d+", plain) and not before.strip() and not match.group("pct"))


def _words(text: str) -> list[str]:
    return WORD.findall(text)


def _label(sentence: str, match: re.Match) -> str:
    before = sentence[: match.start()]
    after = sentence[match.end() :]
    prefix_words = _words(before)
    # A flattened table row: "Staff costs 117, 581 ..." -> the row header is the label.
    row_header = 1 <= len(prefix_words) <= 5 and not re.search(r"\d", before) and len(before.strip()) <= 40
    if row_header and prefix_words[-1].lower() not in STOP:
        return " ".join(prefix_words)
    following = []
    for word in _words(re.split(r"[,.;:()\n]", after.lstrip(" %"), maxsplit=1)[0]):
        if word.lower() in STOP and following:
            break
        if word.lower() in STOP:
            continue
        following.append(word)
        if len(following) == 4:
            break
    subject = [w for w in prefix_words[-4:] if w.lower() not in STOP and len(w) > 2][-2:]
    if match.group("pct") and re.match(r"\s*of\b", after):
        subject = []
    if not following:
        return ""  # the caller falls back to the label of the figure it is compared with
    label = " ".join(subject + following) if len(following) < 3 else " ".join(following)
    return label.strip()


def _fallback_label(before: str) -> str:
    words = [w for w in _words(before)[-5:] if w.lower() not in STOP and len(w) > 2]
    return " ".join(words[-3:])


def _period_for(sentence: str, match: re.Match, default: str | None) -> str | None:
    """The period written nearest the number, preferring one that follows it in the same clause."""
    best, best_distance = default, None
    for start, end, period in periods_in(sentence):
        distance = start - match.end() if start >= match.end() else (match.start() - end) * 1.5
        if best_distance is None or distance < best_distance:
            best, best_distance = period, distance
    return best


def extract_figures(sentence: str, default_period: str | None) -> list[Figure]:
    figures = []
    for match in NUMBER.finditer(sentence):
        if _skip(sentence, match):
            continue
        as_written = sentence[match.start() : match.end()].strip()
        label = _label(sentence, match) or (figures[-1].label if figures else "")
        figures.append(
            Figure(
                as_written=as_written,
                value=_value(match),
                unit=_unit(match),
                label=label or _fallback_label(sentence[: match.start()]),
                period=_period_for(sentence, match, default_period),
                sentence=sentence,
            )
        )
    return figures


__all__ = ["extract_figures", "PERIOD"]
