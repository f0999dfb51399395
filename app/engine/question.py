"""What a question asks for: a number (and of which unit), a comparison, a period, a place.

These signals steer sentence choice ("how many" prefers a sentence holding a count) and abstention
(a period or place the documents do not cover is never answered from a nearby one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.lexicon import COUNTED_ENDS, MONTH_NUMBERS, NUMBER_WORDS, SCHEDULED_STEPS, alternation
from index.periods import YEAR, normalise_period, period_key, periods_in, reporting_year

from .places import places_in

# Where a question asking several things breaks into its parts: "how many X, and what % Y", "X and % of Y".
PART_BREAK = re.compile(
    r"(?:\s*[,;]\s*(?:and\s+)?|\s+and\s+)(?=(?:how|what|which|who|when|where|why)\b)"
    r"|\s+and\s+(?=%|(?:the|what) %|(?:the number|the share|the proportion|did|do|does|were|was|are|is)\b)",
    re.I,
)
# "how often are cin reviews and sw visits in lambeth": one asking phrase over two measured things joined by
# "and", and what follows the second ("in lambeth") said of both. Read as two parts only when no figure
# measures the whole (see Answerer._measuring): "children and young people" is usually one thing.
_TAIL_WORDS = "in|at|for|during|per|by|within|last|this|since|after|before|from|across|under|over"
CONJOINED = re.compile(
    r"^(?P<head>.*?\b(?:how\s+(?:many|much|often|long|quickly|soon)|what\s+(?:%|percentage|proportion|share)"
    r"(?:\s+of)?|(?:the\s+)?number\s+of)(?:\s+(?:is|are|was|were|do|does|did|should|must|will|has|have))?"
    r"(?:\s+(?:the|a|an))?\s+)"
    r"(?P<left>[^,;]+?)\s+and\s+(?:(?:the|a|an)\s+)?(?P<right>[^,;]+?)"
    rf"(?P<tail>\s+(?:{_TAIL_WORDS})\s+[^,;]+)?(?:\s+(?:{_TAIL_WORDS}))?\s*\??$",  # "in" of a place taken out
    re.I,
)
# "ehcp and exclusions in the rapid reviews - what %": the two things first, the asking phrase after them.
CONJOINED_FIRST = re.compile(
    r"^(?P<left>\w+(?:\s+\w+){0,2}?)\s+and\s+(?P<right>\w+(?:\s+\w+){0,2}?)"
    rf"(?P<tail>\s+(?:{_TAIL_WORDS})\s+[^,;]+?)?\s*[-–—:,]\s*(?P<ask>(?:how|what)\b[^,;]*?)\s*\??$",
    re.I,
)
ASKING = re.compile(r"\b(?:how|what|which|who|when|where|why)\b|%", re.I)
# "leeds workforce - agency staff numbers and staff turnover": a topic, then two things with no asking phrase.
CONJOINED_AFTER_TOPIC = re.compile(
    r"^(?P<head>[^-–—:,;]+?\s[-–—:]\s+)(?P<left>[^,;]+?)\s+and\s+(?:(?:the|a|an)\s+)?(?P<right>[^,;]+?)\s*\??$",
    re.I,
)
RATE = re.compile(r"\brate\b.*\bper\b|\bper (1,?000|10,?000|10k|100,?000|thousand)\b", re.I)
# "17/18" or "18-19" in a question: practitioners shorten reporting years.
SHORT_PERIOD = re.compile(r"(?<![\d/])(\d{2})\s?[/-]\s?(\d{2})(?![\d/])")
# Words before "rate" that make it a verb ("we rate", "how would you rate") or leave unsaid whose rate it is.
_NOT_A_RATE_OF = (
    "i|we|they|you|to|would|should|did|do|does|can|will|how|per|the|a|an|this|that|its|their|what|which|not|no"
)
# "share" the noun ("what share of", "the share"), never the verb ("before i share information").
PERCENT = re.compile(
    r"\b(percentage|per ?cent|proportion|(?:what|the|a|which|their|its)\s+share|share\s+of|what %|"
    r"how (?:common|prevalent|widespread))\b|%",  # "how common were drug problems": in what share of cases
    re.I,
)
# "the return rate" is a share of those asked; "the lac rate", "the rate of children on a plan" are per 10,000
# children: a rate named without its base may be either (never the verb: "we rate").
NAMED_RATE = re.compile(rf"\brate of\b|\b(?!(?:{_NOT_A_RATE_OF})\b)[a-z-]+\s+rates?\b(?!\s+(?:per|of)\b)", re.I)
RATE_OR_SHARE = "rate or %"
MONEY = re.compile(
    r"\b(how much (money|funding|did .* cost|was spent)|budget|cost|costs|spend|spent|funding|"
    # a partner's contribution to the board is money; a GP's contribution at case conferences is taking part
    r"contribut\w*(?!\s+(?:at|to|in)\s+(?:[\w-]+\s+){0,2}(?:conferences?|confs?|meetings?|assessments?|reviews?)\b)|"
    r"income|expenditure|£|pounds?|overspend|underspend|salary|salaries|paid|pay|fees?|grant)\b|£",
    re.I,
)
# Phrases asking for a time: by when something must be done, or how long it takes; and the nouns naming
# timescales, which may be only the topic of a question asking what was recommended ("recs about timescales").
_DEADLINE_ASKED = r"by when|how (fast|quick|quickly|soon)|(?:max(?:imum)?|minimum) time"
_HOW_LONG = (
    r"how long|durations?|(?:how many|(?:number|no\.?) of) (working )?(days|hours|weeks|months)|within \d+ (days|hours)"
    r"|(?:average|avg|mean) (?:time|length|wait|waiting time|days|weeks|months)"
)
_TIME_ASKED = rf"{_DEADLINE_ASKED}|{_HOW_LONG}"
_TIMESCALES = r"timescales?|deadline|time ?limit"
TIME_ASKED = re.compile(rf"\b({_TIME_ASKED})\b", re.I)
DURATION = re.compile(rf"\b({_TIME_ASKED}|{_TIMESCALES})\b", re.I)
# A time something must be done within ("by when must the meeting be held"), not how long something lasted.
DEADLINE_QUESTION = re.compile(rf"\b({_DEADLINE_ASKED}|{_TIMESCALES})\b", re.I)
COUNT = re.compile(
    r"\b(how many|number of|no\. of|how much|total|count|figure|figures|what was the .*(number|total))\b"
    # "the average caseload" asks a figure; "the national average", "than average" is what one is compared with
    r"|(?<!national )(?<!england )(?<!london )(?<!regional )(?<!than )\b(?:average|avg)\b(?!\s*\??$)"
    r"|(?<!phone )(?<!telephone )(?<!contact )\bnumbers\b",  # "lac numbers", never "phone numbers"
    re.I,
)
# "How often": every three years, 3 times a year, or in 13.6% of cases.
FREQUENCY = re.compile(r"\bhow often\b", re.I)
COMPARISON = re.compile(
    r"\b(up or down|go(ne)? up|go(ne)? down|went (up|down)|increase[ds]?|decrease[ds]?|ris(e|en|ing)|rose|fall(en)?|"
    r"fell|drop(ped)?|change[ds]?|compare[ds]?|comparison|more or (fewer|less)|higher or lower|trend|difference|"
    r"than (the year before|last year|previous)|year on year|versus|vs|"
    r"(?:got|getting) (?:better|worse)|better or worse)\b",
    re.I,
)
# Asking what to do or what happens ("it isn't getting better - what should i do?"): an action, whatever
# words of change the situation is told in.
WHAT_TO_DO = re.compile(
    r"\bwhat\s+(?:should|do|can|must|would|shall)\s+(?:i|we|you|they|staff|schools?)\s+do\b"
    r"|\bwhat\s+(?:should|must|will|would)\s+happen\b|\bwhat\s+happens\b",
    re.I,
)
DIFFERENCE = r"\bdifference between"
DIFFER_IN_WORDS = re.compile(rf"{DIFFERENCE}\b|\bhow (?:do|does|did)\b.{{0,60}}\bdiffer\b", re.I)
# A period named as what the figure is compared against ("up on 2017/18", "compared with 17/18", "since 2014-15").
BASELINE_PERIOD = re.compile(
    r"\b(?:compared (?:with|to)|than|versus|vs|since|from|on|over)\s+(?:the\s+)?(?:year\s+)?"
    r"(?:(?:19|20)\d{2}|\d{2}\s?[/-])",
    re.I,
)
# A sentence that says which way something went, in words ("a further decline", "has reduced").
DIRECTION = re.compile(
    COMPARISON.pattern + r"|\b(declin\w*|reduc\w*|grew|grow\w*|fewer|lower|higher|stable|steady|doubled|halved)\b",
    re.I,
)
LATEST = re.compile(
    r"\b(last year|this year|latest|most recent|current(ly)?|the past year|over the year|recent year)\b", re.I
)
# "at the end of dec 2014", "in sept 2017": a month and year, which fall in one reporting year.
_MONTH = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))
MONTH_YEAR = re.compile(rf"\b({_MONTH})\.?\s+((?:19|20)\d{{2}})\b", re.I)
# A change asked over a span that starts at the period after these ("gone up since 2014-15").
SPAN_FROM = re.compile(r"\b(since|from|between)\s*$", re.I)
RANGE_WORD = re.compile(r"\b(since|from|after|before|between|until|till|by|and)\s*$", re.I)
# "when is the first strategy meeting convened", "when will ofsted come back": a step of a procedure asked in
# the present or future is done within a time ("within 72 hours"); "when was it inspected" and "when is it
# next due to be reviewed" ask a date.
WHEN_SCHEDULED = re.compile(
    r"^(?!.*\b(?:due|next)\b).*?\bwhen\s+(?:is|are|does|do|will|should|must|would|can|has|have)\b"
    rf"[^?]*?\b(?:{alternation(SCHEDULED_STEPS)})\b",
    re.I,
)
# A date asked of an earlier event ("when was it inspected before the focused visit", "the previous
# inspection"), and a sentence dating one ("since the last inspection in 2022"). "Last" alone asks the latest.
EARLIER_ASKED = re.compile(r"\b(?:before|previous|previously|prior|earlier)\b", re.I)
EARLIER_SAID = re.compile(r"\b(?:last|previous|previously|prior|earlier)\b(?!\s+(?:year|month|week|quarter)s?\b)", re.I)
# Where the asking starts: the question's start, or after a topic set before it ("manchester ilacs - when was ...").
ASKING_STARTS = r"(?:^|\s[-–—:]\s)\s*"
# "When did inspectors visit?" asks for a date; "When do I need consent?" asks for a condition.
# "when did ...", "... - from when?", "since when", "what date/year": asks for a date ("what happens when a child
# goes missing" and "when does a uasc stop being looked after" ask for a condition).
WHEN = re.compile(
    rf"{ASKING_STARTS}(?:when\s+(?:did|was|were|will)|(?:on|by)?\s*what\s+date)\b"
    r"|\b(?:from|since)\s+when\b|\bwhen\s*\??\s*$|\b(?:what|which)\s+(?:date|year)s?\b"
    rf"|{ASKING_STARTS}when\s+(?:is|are)\b.*\b(?:due|next)\b",  # "when is the guidance next due to be reviewed?"
    re.I,
)
# "How many rapid reviews were ..." / "the number of children who ...": what is being counted.
COUNTED = re.compile(r"\b(?:how many|number of)\s+(?:of\s+(?:the|these|those)\s+)?([\w' -]+)", re.I)
# "actual number of cin referrals, not the rate?": a count and nothing else answers.
RATE_REFUSED = re.compile(
    r"\bnot\s+(?:the\s+|a\s+|as\s+a\s+)?(?:rate|per\s?(?:10|1,?000|cent)|percentage|%)|"
    r"\b(?:actual|raw|real)\s+(?:number|count|figure)\b(?!\s+(?:per|rate))",
    re.I,
)
# "What is Embrace?", "Who are the care consultants in Manchester?", "What does a blue rating mean?", "what
# exactly is a low level concern", "what counts as a young carer", "define neglect"
DEFINITION = re.compile(
    r"^(?:(?:what|who)(?:\s+exactly|\s+actually)?(?:'s| is| are)(?:\s+exactly|\s+actually)?|"
    r"what counts as|what is meant by|define|definition of|meaning of)"
    r"\s+(?:an?\s+|the\s+)?(?P<term>[^?]{2,60}?)(?:\s+about)?\s*\??$"
    r"|^what (?:does|do) (?:an?\s+|the\s+)?(?P<term2>[^?]{2,60}?) (?:mean|stand for)\b",
    re.I,
)
# Asking what someone recommended or asked to be done; with the priorities and next steps set, what is advised.
RECOMMENDED_QUESTION = re.compile(
    r"\b(recommend\w*|recs|advise[ds]?|suggest\w*|needs? to improve|"
    r"(?:wants?|tells?|told) (?:\w+ ){0,3}(?:done|to do|to happen|to see)|"
    r"should (?:be|happen)|asked (?:for|that))\b",
    re.I,
)
ADVICE_QUESTION = re.compile(rf"{RECOMMENDED_QUESTION.pattern}|\b(next steps|priorit\w*)\b", re.I)
PREVIOUS = re.compile(r"\b(the year before|previous year|year before that|prior year|the year prior)\b", re.I)


@dataclass
class QuestionIntent:
    text: str
    wants_number: bool = False
    unit: str | None = None  # "%", "GBP", "days", "count", "rate", RATE_OR_SHARE, "frequency"
    comparison: bool = False
    periods: list[str] = field(default_factory=list)  # explicit periods, normalised "2018/19"
    years: list[int] = field(default_factory=list)  # single years written alone ("in 2021")
    dated_period: str | None = None  # the reporting year of a month and year ("dec 2014" -> 2014/15)
    span_start: str | None = None  # the period a change is asked from ("since 2014-15", "between 2022-23 and")
    relative: str | None = None  # "latest" | "previous"
    places: set[str] = field(default_factory=set)
    multi_part: bool = False  # "how many ... and what % ..."
    wants_date: bool = False  # "when did ...": a sentence holding a date is preferred
    asks_earlier: bool = False  # "when was it inspected before ...": the date of an earlier event
    wants_deadline: bool = False  # "by when", "how quickly": a time something must be done within
    counted: str = ""  # the words after "how many": what a figure's label should name
    defines: str = ""  # "What is Embrace?" / "Who are the care consultants?": the term to be defined
    wants_advice: bool = False  # "What did HMICFRS recommend?", "What does the board want done?"
    asks_recommended: bool = False  # what was recommended, not the priorities set
    asks_who: bool = False  # "Who led the inspection?": a person or body, often a field ("Lead inspector: ...")
    differs: tuple[str, ...] = ()  # "the difference between unsubstantiated and unfounded": both terms

    @property
    def names_time(self) -> bool:
        return bool(self.periods or self.years)


def refuses_rate(question: str) -> bool:
    """Does the question ask for a count and refuse a rate ("actual number of cin referrals, not the rate")?
    One asking "per 10,000" besides ("cin referrals per 10,000, not the rate") still asks a rate."""
    return bool(RATE_REFUSED.search(question)) and not RATE.search(RATE_REFUSED.sub(" ", question))


def read_question(text: str) -> QuestionIntent:
    intent = QuestionIntent(text=text)
    intent.periods = [p for _, _, p in periods_in(text)]
    spans = [(start, end) for start, end, _ in periods_in(text)]
    for m in SHORT_PERIOD.finditer(text):
        if not any(s <= m.start() < e for s, e in spans):
            period = normalise_period("20" + m.group(1), m.group(2))
            if period:
                intent.periods.append(period)
    # "since 2014" or "from 2015" opens a range; only a year the question is about counts as its period.
    intent.years = [
        int(m.group(1))
        for m in YEAR.finditer(text)
        if not any(s <= m.start() < e for s, e in spans) and not RANGE_WORD.search(text[: m.start()])
    ]
    intent.span_start = next((p for start, _, p in periods_in(text) if SPAN_FROM.search(text[:start])), None)
    dated = [m for m in MONTH_YEAR.finditer(text) if int(m.group(2)) in intent.years]
    if dated:
        intent.dated_period = reporting_year(MONTH_NUMBERS[dated[0].group(1).lower()], int(dated[0].group(2)))
    if refuses_rate(text):
        intent.unit = "count"  # "the real number, not per 10,000"
    elif RATE.search(text):
        intent.unit = "rate"
    elif PERCENT.search(text):
        intent.unit = "%"
    elif NAMED_RATE.search(text):
        intent.unit = RATE_OR_SHARE
    elif (DURATION.search(text) and not (ADVICE_QUESTION.search(text) and not TIME_ASKED.search(text))) or (
        WHEN_SCHEDULED.search(text)
    ):
        # "recommendation about timescales in cp plans" asks what was recommended, "how long" a time
        intent.unit = "days"
    elif MONEY.search(text):
        intent.unit = "GBP"
    elif FREQUENCY.search(text):
        intent.unit = "frequency"
    elif COUNT.search(text):
        intent.unit = "count"
    if intent.unit is None and _names_a_measure_and_time(text, intent):
        intent.unit = "count"  # "under 1s coming into care in 2023-24": how many, as practitioners type it
    # "What does RISE stand for?" asks what a name means, not whether anything rose; "what's the difference
    # between unsubstantiated and unfounded?" asks how two things differ, in words; "what should i do?" an action.
    asks_meaning = intent.unit is None and (
        bool(defined_term(text))
        or (bool(DIFFER_IN_WORDS.search(text)) and not intent.periods)
        or bool(WHAT_TO_DO.search(text))
    )
    intent.comparison = not asks_meaning and (bool(COMPARISON.search(text)) or len(set(intent.periods)) >= 2)
    intent.wants_number = intent.unit is not None or intent.comparison
    if PREVIOUS.search(text):
        # "up or down on the year before" is about the latest year, against the one before.
        intent.relative = "latest" if intent.comparison else "previous"
    elif LATEST.search(text):
        intent.relative = "latest"
    intent.places = places_in(text)
    intent.multi_part = len(question_parts(text)) > 1
    intent.wants_date = bool(WHEN.search(text)) and intent.unit is None
    intent.asks_earlier = intent.wants_date and bool(EARLIER_ASKED.search(text))
    intent.wants_deadline = intent.unit == "days" and bool(
        DEADLINE_QUESTION.search(text) or WHEN_SCHEDULED.search(text)
    )
    intent.counted = counted_words(text)
    intent.defines = "" if intent.wants_number else defined_term(text)
    intent.wants_advice = bool(ADVICE_QUESTION.search(text)) and not intent.wants_number
    intent.asks_recommended = intent.wants_advice and bool(RECOMMENDED_QUESTION.search(text))
    intent.asks_who = bool(re.match(r"\s*who(?:'s|se)?\b", text, re.I))
    intent.differs = () if intent.wants_number else differed_terms(text)
    return intent


DIFFERENCE_BETWEEN = re.compile(rf"{DIFFERENCE}\s+(?P<terms>[^?]+)", re.I)
_LEADING_ARTICLE = re.compile(r"^(?:an?|the)\s+", re.I)


def differed_terms(text: str) -> tuple[str, ...]:
    """The two things a question asks the difference between ("between unsubstantiated and unfounded",
    "between a section 17 and a section 47 enquiry"): each is answered by what the documents say it is."""
    match = DIFFERENCE_BETWEEN.search(text)
    if not match:
        return ()
    sides = re.split(r"\s+(?:and|vs\.?|versus)\s+", match.group("terms").strip(), maxsplit=1)
    terms = tuple(_LEADING_ARTICLE.sub("", side.strip(" .,'‘’\"“”")) for side in sides)
    return terms if len(terms) == 2 and all(terms) else ()


YES_NO = re.compile(r"^\s*(?:is|are|does|do|did|can|could|should|has|have|had|was|were|will|would|must)\b", re.I)


def _names_a_measure_and_time(text: str, intent: QuestionIntent) -> bool:
    """A bare phrase naming a thing and a year, with no question word ("under 1s coming into care in
    2023-24", "dcs turnover 2022-23"): practitioners type a figure's name to ask for the figure. A relative
    time ("attendance improvement last year") is left alone: it asks about a change as often as a count."""
    asks = ASKING.search(text) or YES_NO.match(text) or COMPARISON.search(text) or ADVICE_QUESTION.search(text)
    return bool(intent.periods or intent.years) and not asks


def question_parts(text: str) -> list[str]:
    """The parts of a question that asks several things, in order (one part for most questions)."""
    parts = [p.strip(" ,;-?") for p in PART_BREAK.split(text)]
    parts = [p for p in parts if re.search(r"[A-Za-z]{3}", p)]
    first_break = PART_BREAK.search(text)
    if len(parts) > 1 and not ASKING.search(parts[0]) and not re.search(r"\band\b", first_break.group(0), re.I):
        # "of the home educated kids, how many ...": a leading subject belongs to the first part; "fgc
        # referrals and how many took place" asks for the referrals too.
        parts[:2] = [f"{parts[0]}, {parts[1]}"]
    return parts or [text]


# "when is the core group and review conf": one asking phrase in words over two things joined by "and".
CONJOINED_IN_WORDS = re.compile(
    r"^(?P<head>.*?\b(?:when|who|where)\s+(?:is|are|was|were|do|does|did|should|must|will|can)\s+"
    r"(?:(?:the|a|an)\s+)?)(?P<left>[^,;]+?)\s+and\s+(?:(?:the|a|an)\s+)?(?P<right>[^,;]+?)\s*\??$",
    re.I,
)


def parts_in_words(text: str) -> list[str]:
    """The parts of a question asking several things in words: its asking phrases ("who chairs it and who is
    the designated nurse"), or one asking phrase over two things ("when is the core group and review conf")."""
    parts = question_parts(text)
    match = CONJOINED_IN_WORDS.match(text.strip()) if len(parts) == 1 else None
    if not match:
        return parts
    head = match.group("head")
    return [f"{head}{match.group(side)}".strip() for side in ("left", "right")]


@dataclass(frozen=True)
class Conjunct:
    """One of two things a part of a question joins: the part asked of it alone, and the words naming it."""

    text: str  # "how often are cin reviews in lambeth"
    thing: str  # "cin reviews"


# "decision timescales for red, amber and green contacts": one-word things listed, what follows the last said of
# each ("contacts"), at most two words of it.
LISTED = re.compile(
    r"^(?P<head>[^,;]*?\s)(?P<items>\w+(?:,\s*\w+)+),?\s+and\s+(?P<last>\w+)(?P<tail>(?:\s+\w+){0,2})\s*\??$",
    re.I,
)


def conjuncts(part: str) -> list[Conjunct]:
    """A part asking about two things joined by "and", as one part for each; none when it joins none."""
    match = CONJOINED.match(part.strip())
    if match:
        head, tail = match.group("head"), match.group("tail") or ""
        return [Conjunct(f"{head}{match.group(side)}{tail}".strip(), match.group(side)) for side in ("left", "right")]
    match = CONJOINED_FIRST.match(part.strip())
    if match:
        ask, tail = match.group("ask"), match.group("tail") or ""
        return [Conjunct(f"{match.group(side)}{tail} - {ask}", match.group(side)) for side in ("left", "right")]
    match = CONJOINED_AFTER_TOPIC.match(part.strip())
    if match and not ASKING.search(part):
        head = match.group("head")
        return [Conjunct(f"{head}{match.group(side)}", match.group(side)) for side in ("left", "right")]
    match = LISTED.match(part.strip())
    if match:
        head, tail = match.group("head"), match.group("tail")
        things = [*re.split(r",\s*", match.group("items")), match.group("last")]
        return [Conjunct(f"{head}{thing}{tail}", f"{thing}{tail}") for thing in things]
    return []


def defined_term(text: str) -> str:
    match = DEFINITION.match(text.strip())
    if not match:
        return ""
    term = match.group("term") or match.group("term2")
    # "the care consultants in Manchester", "MACE and what does it replace": the term is what comes first
    term = re.split(r"\s+(?:in|at|on|for|of|and|or|within|under|per|according to)\s+|,", term)[0]
    # "the three statutory partners": how many the asker expects is not part of the name the documents use.
    term = _COUNT_LEAD.sub("", term)
    return term.strip(" '‘’\"“”")


_COUNT_LEAD = re.compile(rf"^(?:\d+|{alternation(NUMBER_WORDS)})\s+(?=\S)", re.I)


def counted_words(text: str) -> str:
    match = COUNTED.search(text)
    if not match:
        return ""
    words = []
    for word in match.group(1).split()[:4]:
        if word.lower() in COUNTED_ENDS:
            break
        words.append(word)
    return " ".join(words)


def periods_for_year(year: int) -> set[str]:
    """A single year belongs to the two reporting years that overlap it."""
    return {
        p
        for p in (normalise_period(str(year - 1), str(year)[-2:]), normalise_period(str(year), str(year + 1)[-2:]))
        if p
    }


def resolve_relative(relative: str, report_periods: list[str], covered: list[str]) -> str | None:
    """'last year' is the latest period the documents in scope report on; 'the year before' is the one before it.

    A report's own period (2018/19) is the latest it reports on, even when it mentions plans for the
    next year; figures from earlier years it quotes make "the year before" answerable.
    """
    pool = report_periods or covered
    if not pool:
        return None
    latest = max(pool, key=period_key)
    if relative == "latest":
        return latest
    earlier = [p for p in set(covered) | set(pool) if period_key(p) == period_key(latest) - 1]
    return earlier[0] if earlier else None
