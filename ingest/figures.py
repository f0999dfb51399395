"""Find the numbers in a sentence (counts, percentages, money, durations, rates) with what they count.

Figures make "check a number" possible: each carries its sentence, period and label. PDF
extraction splits thousands ("£178, 430"), so a comma followed by a space and three digits is read
as one number. Hand-written because no maintained library extracts labelled figures from prose.
"""

from __future__ import annotations

import dataclasses
import re

from index.lexicon import (
    DURATION_SHORT_FORMS,
    DURATION_UNITS,
    FIGURE_STOP_WORDS,
    IRREGULAR_PLURALS,
    MONTHS,
    NOT_NOUNS,
    NUMBER_WORDS,
)
from index.periods import PERIOD, YEAR, period_key, periods_in
from index.records import Figure

PERCENT_WORDS = r"\s?(?:%|per\s?cent\b|percent\b)"
# The unit may follow the number with no space ("within 24hours", "48hrs") or a hyphen ("a 90-day period").
DURATION_PATTERN = (
    r"[\s-]?(?:(?:working|calendar|school|business|clear)\s)?"
    rf"(?:days?|hours?|weeks?|months?|years?|{'|'.join(DURATION_SHORT_FORMS)})\b"
)
NUMBER = re.compile(
    r"(?<![\w.,/£$-])(?P<cur>£|\$)?\s?(?P<num>\d{1,3}(?:,\s?\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<scale>\s?(?:k|m|bn|million|billion)\b)?"
    rf"(?P<pct>{PERCENT_WORDS})?"
    rf"(?P<dur>{DURATION_PATTERN})?"
    r"(?P<dist>\s(?:miles?|km|kilometres?)\b)?"
    r"(?P<rate>\s?per\s(?P<per>\d{1,3}(?:,\d{3})*|thousand|hundred))?",
    re.I,
)
SKIP_BEFORE = re.compile(
    r"(?:section|sections|s\.|para|paragraph|page|pages|chapter|appendix|figure|table|phase|version|"
    r"v|level|tier|step|priority|objective|year|ks|key stage|no\.|number|aged?|ages|per|"
    # "under 18" is an age, "just under 62,000" an approximate figure
    r"(?<!just )(?<!slightly )(?<!well )under|"
    # references to law and frameworks: "Part 3 of the DPA", "Article 6", "Outcome 4 National Framework"
    r"part|parts|article|articles|schedule|annex|regulation|regulations|clause|outcome|enabler|"
    # a number to ring is not a figure: "Telephone 101", "ext. 4679", "call 999"
    r"tel\.?|telephone|phone|ext\.?|extension|fax|mobile|call|ring|dial|"
    # a place in a league table counts nothing: "ranked 37 out of 39 nations"
    r"ranked|ranking|rank|ranks)\s*$",
    re.I,
)
# The second of two sections or levels named together: "sections 17 or 47" (two ages: AGE_BEFORE).
SKIP_PAIR_BEFORE = re.compile(
    r"\b(?:sections?|levels?|phases?|tiers?|stages?|under)\s+\d{1,3}\s*(?:and|or|to)\s*$", re.I
)
# An age is no figure: "over the age of two years", "between the ages of three and six years", "aged 16 and
# 17", "aged 5 or 6", "aged over 19".
AGE_BEFORE = re.compile(
    r"\b(?:aged?|ages?\s+of|ages)\s+(?:(?:over|under|below|above|between|from|up\s+to)\s+)?"
    r"(?:(?:\d{1,3}|" + "|".join(NUMBER_WORDS) + r")\s*(?:and|or|to)\s*)?$",
    re.I,
)
# A rate's population base written as a formula: "under 18 pop = 49,275", "population = 52,000".
POPULATION_BASE = re.compile(r"\bpop(?:ulation)?\.?\s*=\s*$", re.I)
DATE_AFTER = re.compile(rf"^\s?(?:st|nd|rd|th)?\s*(?:of\s+)?(?:{MONTHS})\b", re.I)
DATE_BEFORE = re.compile(rf"(?:{MONTHS})\s*$", re.I)
ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th)\b", re.I)
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
    if match.group("dist"):
        return "miles" if match.group("dist").strip().lower().startswith("mile") else "km"
    if match.group("dur"):
        return _duration(match.group("dur"))
    ranged = RANGE_END.match(match.string, match.end())
    if ranged:  # "10-12 weeks", "12-15%": the first number has the unit written after the second
        return "%" if ranged.group("pct") else _duration(ranged.group("dur"))
    return _rate_unit(match.string, match) or "count"


def _duration(words: str) -> str:
    word = re.split(r"[\s-]", words.strip())[-1].lower()
    return DURATION_SHORT_FORMS.get(word) or (word if word.endswith("s") else word + "s")


RANGE_END = re.compile(
    rf"\s?(?P<sep>-|–|to)\s?(?P<end>\d+(?:\.\d+)?)(?:(?P<pct>{PERCENT_WORDS})|(?P<dur>{DURATION_PATTERN}))", re.I
)


PER_POPULATION = re.compile(r"\bper\s(?P<per>\d{1,3}(?:,\d{3})+|\d{4,6}|thousand|hundred)\b", re.I)
RATE_WORD = re.compile(r"\brates?\b", re.I)
RATE_VALUE_BEFORE = re.compile(r"\b(?:was|were|is|are|of|from|to|at|by|versus|vs\.?)\s*$", re.I)


def _rate_unit(sentence: str, match: re.Match) -> str | None:
    """A count that is really a rate: "273 referrals of CIN per 10,000 population", or the value of a rate
    the sentence names earlier ("the rate ... (per 10,000 ...) was 22 compared to 28")."""
    after = sentence[match.end() :]
    per = PER_POPULATION.search(after)
    if per and not re.search(r"\d", after[: per.start()]) and len(_words(after[: per.start()])) <= 8:
        return f"rate per {per.group('per')}"
    before = sentence[: match.start()]
    per = next(reversed(list(PER_POPULATION.finditer(before))), None)
    if per and RATE_WORD.search(before) and RATE_VALUE_BEFORE.search(before):
        return f"rate per {per.group('per')}"
    return None


FOOTNOTE_START = re.compile(r"\s+(?:The|This|These|Those|A|An|In|For|See|Source|Note|Data|From|Based)\b")
# "020 7926 4679", "0800 028 3550", "01604 364036": UK phone numbers, never figures.
PHONE_NUMBER = re.compile(r"(?<![\d,.])0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}(?![\d,%]|\.\d)")


def _skip(sentence: str, match: re.Match) -> bool:
    before, after = sentence[: match.start()], sentence[match.end() :]
    num = match.group("num")
    plain = re.sub(r"[,\s]", "", num)
    is_year = bool(re.fullmatch(r"(?:19|20)\d{2}", plain)) and "," not in num
    if is_year and not match.group("cur") and not match.group("pct"):
        return True
    if any(s <= match.start("num") < e for s, e, _ in periods_in(sentence)):
        return True
    if any(m.start() <= match.start("num") < m.end() for m in PHONE_NUMBER.finditer(sentence)):
        return True
    if (
        (SKIP_BEFORE.search(before) or SKIP_PAIR_BEFORE.search(before))
        and not match.group("cur")
        and not match.group("pct")
    ):
        return True
    if AGE_BEFORE.search(before) and not match.group("pct"):
        return True
    if match.group("dur") and re.match(r"[\s-]?olds?\b", after, re.I):
        return True  # "17-year-olds", "a 2 year old": an age
    if POPULATION_BASE.search(before):
        return True  # "(rate per 10,000 ... under 18 pop = 49,275)": the base of a rate, not a count of anything
    if DATE_AFTER.match(after) or DATE_BEFORE.search(before) or ORDINAL_AFTER.match(after):
        return True
    next_year = re.match(r"\s?[/-]\s?(\d{2})\b", after)
    if next_year and re.fullmatch(r"\d{2}", plain) and int(next_year.group(1)) == (int(plain) + 1) % 100:
        return True  # a short reporting year: "in 18/19", "18-19"
    # A footnote's mark: "8 The agency worker rate is calculated as ..." (no count starts "8 The").
    if not before.strip() and FOOTNOTE_START.match(after) and not match.group("pct"):
        return True
    # A list marker: "2. Develop skills ..." or "3) Support ...".
    if not before.strip() and re.match(r"[.)]\s", after) and not match.group("pct"):
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
    if row_header and prefix_words[-1].lower() not in FIGURE_STOP_WORDS:
        return " ".join(prefix_words)
    following = []
    for word in _words(re.split(r"[,.;:()\n]", after.lstrip(" %"), maxsplit=1)[0]):
        if word.lower() in FIGURE_STOP_WORDS and following:
            break
        if word.lower() in FIGURE_STOP_WORDS:
            continue
        following.append(word)
        if len(following) == 4:
            break
    subject = [w for w in prefix_words[-4:] if w.lower() not in FIGURE_STOP_WORDS and len(w) > 2][-2:]
    if match.group("pct") and re.match(r"\s*of\b", after):
        subject = []
    if not following:
        return ""  # the caller falls back to the label of the figure it is compared with
    label = " ".join(subject + following) if len(following) < 3 else " ".join(following)
    return label.strip()


def _fallback_label(before: str) -> str:
    words = [w for w in _words(before)[-5:] if w.lower() not in FIGURE_STOP_WORDS and len(w) > 2]
    return " ".join(words[-3:])


BINDING_GAP = re.compile(r"^[\s,]*(?:[A-Za-z’'-]+[\s,]+){0,3}$")


def _bound(text_between: str) -> bool:
    """A period is bound to a number when at most three words and no other number sit between them."""
    return bool(BINDING_GAP.match(text_between + " ")) and not re.search(r"\d", text_between)


# "compared to 28 in the previous year": the period before the one the sentence (or document) is about.
PREVIOUS_YEAR = re.compile(
    r"\b(?:the\s+)?(?:previous|preceding|prior|last)\s+(?:year|reporting\s+year|financial\s+year)\b|"
    r"\bthe\s+year\s+before\b",
    re.I,
)


def previous_period(period: str) -> str:
    start = int(period[:4]) - 1
    return f"{start}/{(start + 1) % 100:02d}"


def _periods_with_relative(sentence: str, default: str | None) -> list[tuple[int, int, str]]:
    """Written periods plus "the previous year" read against the sentence's own (or the document's) period."""
    periods = periods_in(sentence)
    reference = periods[0][2] if periods else default
    if reference:
        periods += [(m.start(), m.end(), previous_period(reference)) for m in PREVIOUS_YEAR.finditer(sentence)]
    return sorted(periods)


# A calendar year written just after a number ("increased from 22% in 2015, to 71.4% in 2016-17"), not the
# first year of a span of years ("in 2015-16", "in 2015 to 2016"): "from 22% in 2015 to 71.4%" goes on to
# another number, not to another year.
CALENDAR_YEAR_AFTER = re.compile(
    rf"\s*(?:in|during|by|for)\s+(?:(?:{MONTHS})\s+)?(?:19|20)\d{{2}}\b"
    r"(?!\s?(?:[-/–]\s?\d|to\s?(?:(?:19|20)\d{2}|\d{2})\b(?![.,]?\d*\s*%)))",
    re.I,
)


# "from 103 to 579 applications between 2017-18 and 2020-21": two numbers, then the span they run over.
FROM_TO_NUMBERS = re.compile(r"\bfrom\s*$")
SPAN_WORDS = re.compile(r"^\s*(?:and|to|-|–)\s*$")


def _bound_by_span(sentence: str, matches: list[re.Match], periods: list[tuple[int, int, str]]) -> dict[int, int]:
    """ "from X to Y ... between P1 and P2": X is P1's figure and Y is P2's, in the order written (read
    number by number, X would take the period nearest it, the wrong end of the span)."""
    bound: dict[int, int] = {}
    for i in range(len(matches) - 1):
        first, second = matches[i], matches[i + 1]
        if not FROM_TO_NUMBERS.search(sentence[: first.start()]) or not re.fullmatch(
            r"\s*to\s*", sentence[first.end() : second.start()]
        ):
            continue
        for k in range(len(periods) - 1):
            (start, end, _), (next_start, _, _) = periods[k], periods[k + 1]
            between = sentence[second.end() : start]
            if (
                start >= second.end()
                and _bound(re.sub(r"\b(?:between|from)\s*$", "", between))
                and SPAN_WORDS.match(sentence[end:next_start])
            ):
                bound[i], bound[i + 1] = k, k + 1
                break
    return bound


def assign_periods(sentence: str, matches: list[re.Match], default: str | None) -> list[str | None]:
    """Give each number its period: the one written right beside it, else one no other number claims.

    "from 199 in 2017/18 to 191" binds 199 to 2017/18; 191 takes the sentence's other period
    ("2018-19 saw a slight decline ..."), or the document's period when there is none.
    """
    periods = _periods_with_relative(sentence, default)
    by_span = _bound_by_span(sentence, matches, periods)
    bound = dict(by_span)
    # A period written just after a number binds first ("1,807 2017/18", "199 in 2017/18") ...
    for i, match in enumerate(matches):
        for k, (start, _, _) in enumerate(periods):
            if i in bound:
                break
            if start >= match.end() and k not in bound.values() and _bound(sentence[match.end() : start]):
                bound[i] = k
                break
    # ... then one just before it ("In 2018/19, 484 records"), if no other number has it.
    for i, match in enumerate(matches):
        if i in bound:
            continue
        for k in range(len(periods) - 1, -1, -1):
            _, end, _ = periods[k]
            if end <= match.start() and k not in bound.values() and _bound(sentence[end : match.start()]):
                bound[i] = k
                break
    claimed = set(bound.values())
    spanned = max((periods[k][2] for k in by_span.values()), key=period_key, default=None)
    free = [p for k, p in enumerate(periods) if k not in claimed]
    result = []
    for i, match in enumerate(matches):
        if i in bound:
            result.append(periods[bound[i]][2])
        elif CALENDAR_YEAR_AFTER.match(sentence, match.end()):
            result.append(None)  # "from 22% in 2015": a calendar year, no reporting year, is its own time
        elif free:
            nearest = min(free, key=lambda p: min(abs(p[0] - match.end()), abs(match.start() - p[1])))
            result.append(nearest[2])
        elif spanned:
            result.append(spanned)  # "a 462% increase from 103 to 579 between ...": a change over the span
        else:
            result.append(default)
    return result


# "Eight Reviews were carried out": a number word counts something when a plural noun follows it.
NUMBER_WORD = re.compile(
    r"\b(?P<word>" + "|".join(NUMBER_WORDS) + r")\s+(?P<next>[A-Za-z-]+)(?:\s+(?P<then>[A-Za-z-]+))?", re.I
)


# "within one working day", "for one year": "one" is a figure only as a span of time (elsewhere it is mostly
# a pronoun or "one of the ...").
ONE_DURATION = re.compile(rf"\b(?P<word>one)(?P<dur>{DURATION_PATTERN})", re.I)


def _plural_noun(word: str | None) -> bool:
    if not word:
        return False
    lower = word.lower()
    return lower in IRREGULAR_PLURALS or (lower.endswith("s") and lower not in NOT_NOUNS and len(word) > 2)


def _first_period(sentence: str, default_period: str | None) -> str | None:
    """The period a sentence names first, else the document's: what a figure read as words (not by its
    place beside a period) is about."""
    written = periods_in(sentence)
    return written[0][2] if written else default_period


def _word_figures(sentence: str, default_period: str | None, taken: list[tuple[int, int]]) -> list[Figure]:
    figures = []
    period = _first_period(sentence, default_period)
    for match in NUMBER_WORD.finditer(sentence):
        if any(s <= match.start() < e for s, e in taken) or AGE_BEFORE.search(sentence[: match.start()]):
            continue
        first, then = match.group("next"), match.group("then")
        if _plural_noun(first):
            noun = first
        elif _plural_noun(then) and first.lower() not in NOT_NOUNS:
            noun = f"{first} {then}"  # "two working days", "three key priorities"
        else:
            continue
        last = noun.split()[-1].lower()
        unit = last if last in DURATION_UNITS else "count"
        value = float(NUMBER_WORDS[match.group("word").lower()])
        figures.append(Figure(match.group("word"), value, unit, noun, period, sentence))
    for match in ONE_DURATION.finditer(sentence):
        if not any(s <= match.start() < e for s, e in taken) and not AGE_BEFORE.search(sentence[: match.start()]):
            unit = _duration(match.group("dur"))
            figures.append(Figure(match.group("word"), 1.0, unit, match.group("dur").strip(), period, sentence))
    return figures


# A reference to a source ("(Fitzpatrick et al., 2023)", "(DfE, 2024e)") dates the source, not the figure.
CITATION = re.compile(r"\([^()]*,\s*(?:19|20)\d{2}[a-z]?\)")


def _own_default(sentence: str, default_period: str | None) -> str | None:
    """A sentence about a year outside the document's period ("destitution in 2022" in a 2023/24 report)
    is not about that period: its figures take none rather than the document's."""
    if not default_period or periods_in(sentence):
        return default_period
    covered = {int(default_period[:4]), int(default_period[:4]) + 1}
    years = {int(y) for y in YEAR.findall(CITATION.sub(" ", sentence))}
    return None if years and not years & covered else default_period


# "one in four children", "1 in 5 referrals": a share of a group, written as a part of a whole. Read as a
# count it would answer "how many children" with 4 (the pattern's `pct` group is empty so _label reads it as
# it reads any number).
_PROPORTION_NUMBER = r"\d{1,4}|" + "|".join(["one", "a", *NUMBER_WORDS])
PROPORTION = re.compile(
    rf"\b(?P<part>{_PROPORTION_NUMBER})\s+in\s+(?:every\s+)?(?P<whole>{_PROPORTION_NUMBER})(?P<pct>)\b(?!\s*[/-]\s*\d)",
    re.I,
)


def _count_of(word: str) -> float:
    lower = word.lower()
    return 1.0 if lower in ("one", "a") else float(NUMBER_WORDS.get(lower) or lower)


def _proportions(sentence: str, period: str | None) -> list[tuple[re.Match, Figure]]:
    found = []
    for match in PROPORTION.finditer(sentence):
        part, whole = _count_of(match.group("part")), _count_of(match.group("whole"))
        if not 0 < part < whole or YEAR.fullmatch(match.group("whole")):
            continue
        written = match.group().strip()
        figure = Figure(written, round(100 * part / whole, 1), "%", _label(sentence, match), period, sentence)
        found.append((match, figure))
    return found


def extract_figures(sentence: str, default_period: str | None) -> list[Figure]:
    default_period = _own_default(sentence, default_period)
    shares = _proportions(sentence, _first_period(sentence, default_period))
    within = [(m.start(), m.end()) for m, _ in shares]
    matches = [
        m
        for m in NUMBER.finditer(sentence)
        if not _skip(sentence, m) and not any(s <= m.start("num") < e for s, e in within)
    ]
    periods = assign_periods(sentence, matches, default_period)
    figures: list[Figure] = []
    for match, period in zip(matches, periods, strict=True):
        as_written = sentence[match.start() : match.end()].strip()
        label = _label(sentence, match) or (figures[-1].label if figures else "")
        figure = Figure(
            as_written=as_written,
            value=_value(match),
            unit=_unit(match),
            label=label or _fallback_label(sentence[: match.start()]),
            period=period,
            sentence=sentence,
        )
        figures.append(figure)
        ranged = RANGE_END.match(sentence, match.end())
        if ranged and sentence[ranged.start("end") - 1] == "-":
            # "10-12 weeks": a number right after a hyphen is not matched on its own (see NUMBER)
            written = sentence[ranged.start("end") : ranged.end()].strip()
            figures.append(dataclasses.replace(figure, as_written=written, value=float(ranged.group("end"))))
    return figures + [f for _, f in shares] + _word_figures(sentence, default_period, within)


__all__ = ["extract_figures", "PERIOD"]


# What a table's column or row header says its plain numbers are: "%", "Rate per 10,000", "£000s".
HEADER_PERCENT = re.compile(r"%|\bper\s?cent\b|\bpercent(?:age)?\b|\bproportion\b", re.I)
HEADER_RATE = re.compile(r"\brate\b.*?\bper\s(?P<per>\d{1,3}(?:,\d{3})*|thousand|hundred)\b", re.I)


def cell_value(text: str, headers: str = "") -> tuple[float, str] | None:
    """The value and unit of a table cell that holds one number ("4,500", "-80%", "£1.2m", "(12)"), read
    as a number in a sentence is; a plain number takes its unit from the cell's headers (a "%" column, a
    "rate per 10,000" row). None when the cell is not one number."""
    cell = " ".join(text.split())
    negative = cell[:1] in "-−–" or (cell.startswith("(") and cell.endswith(")"))
    bare = cell.lstrip("-−–(").rstrip(")").strip()
    match = NUMBER.fullmatch(bare)
    if not match:
        return None
    value = _value(match) * (-1 if negative else 1)
    unit = _unit(match)
    if unit == "count":
        rate = HEADER_RATE.search(headers)
        if HEADER_PERCENT.search(headers):
            unit = "%"
        elif rate:
            unit = f"rate per {rate.group('per')}"
        elif "£" in headers:
            unit = "GBP"
    return value, unit
