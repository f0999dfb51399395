"""Candidate sentences of retrieved passages, scored for how well each answers the question.

Signals: embedding similarity (sentence vectors computed at ingest), keyword coverage weighted by
rarity, the passage's own search score, whether the sentence holds a number of the unit asked for,
and whether its figures belong to the period asked about.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from index.keyword import KeywordIndex
from index.lexicon import DURATION_UNITS, MONTHS, NUMBER_WORDS, QUESTION_WORDS, RECOMMENDING_VERBS, alternation
from index.periods import YEAR
from index.records import Figure, Passage, Sentence
from index.tuning import (
    CONFIDENCE_WEIGHTS,
    KEYWORD_ONLY_CONFIDENCE_WEIGHTS,
    LOOSE_UNIT,
    SENTENCE_WEIGHTS,
)
from ingest.figures import extract_figures

from .question import RATE_OR_SHARE, QuestionIntent


@dataclass
class Candidate:
    passage: Passage
    start: int
    end: int
    page: int | None
    text: str
    vector: np.ndarray
    figures: list[Figure] = field(default_factory=list)
    score: float = 0.0
    confidence: float = 0.0
    parts: dict[str, float] = field(default_factory=dict)
    # The run-in heading over the sentence ("Care leavers" before "14. Improve Pathway Plans ..."), if any.
    heading: Sentence | None = None


def question_terms(keyword: KeywordIndex, text: str) -> list[str]:
    tokens = list(KeywordIndex.tokens_of(text))
    return [t for t in dict.fromkeys(tokens) if t not in QUESTION_WORDS]


# Word tokens of a term the question uses, and of the same term spelled the other way (Vocabulary.spellings).
Spelled = Sequence[tuple[list[str], list[str]]]


def keyword_coverage(
    keyword: KeywordIndex, terms: list[str], extra: list[str], sentence: str, spelled: Spelled = ()
) -> float:
    """The share of the question's words (weighted by rarity) the sentence says; another wording of a term
    counts half, the same term spelled the other way ("PEPs" / "Personal Education Plans") counts in full."""
    if not terms:
        return 0.0
    tokens = list(KeywordIndex.tokens_of(sentence))
    have = set(tokens)
    for said, other in spelled:
        if other and _said_together(other, tokens):
            have.update(said)
    total = sum(keyword.idf(t) for t in terms)
    got = sum(keyword.idf(t) for t in terms if t in have)
    got += 0.5 * sum(keyword.idf(t) for t in extra if t in have and t not in terms)
    return min(1.0, got / total) if total else 0.0


def _said_together(phrase: list[str], tokens: list[str]) -> bool:
    """Are the phrase's words in the sentence one after another ("personal education plans", not "personal
    advisors ... plan their education")?"""
    n = len(phrase)
    return any(tokens[i : i + n] == phrase for i in range(len(tokens) - n + 1))


DATE = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\b|\b(?:{MONTHS})\s+(?:19|20)\d{{2}}\b", re.I)


def says_when(sentence: str) -> bool:
    """A date ("15 and 16 April 2025", "March 2019") or a year ("since the last inspection in 2022")."""
    return bool(DATE.search(sentence) or YEAR.search(sentence))


SHARE_IN_COUNTS = re.compile(
    r"\b\d[\d,]*\s+(?:out\s+)?of\s+(?:the\s+|all\s+|these\s+)?\d|\b(?:"
    + "|".join(NUMBER_WORDS)
    + r")\s+(?:out\s+)?of\s+(?:the\s+)?\d",
    re.I,
)


# "fell by 2%", "up 8% on 2021-22", "a 12% increase": how much something moved, not what share of a whole it is.
CHANGE_BEFORE = re.compile(
    r"\b(?:rose|rise|risen|rising|fell|fall|fallen|falling|increased?|increasing|decreased?|decreasing|dropped|"
    r"drop|grew|grown|growth|reduced|reduction|declined?|up|down)\s+(?:by\s+)?(?:(?:about|around|almost|nearly|"
    r"over|some|a further|an?)\s+)?$",
    re.I,
)
CHANGE_COLUMN = re.compile(r"\b(?:change|increase|decrease|rise|fall|growth|reduction)\b", re.I)
CHANGE_AFTER = re.compile(
    r"^\s*(?:increase|decrease|rise|fall|drop|reduction|growth|decline|higher|lower|up|down)\b", re.I
)


def is_change(figure: Figure) -> bool:
    """Does a percentage say how much something moved ("fell by 2%") rather than what share it is?"""
    if figure.unit != "%":
        return False
    if figure.column:
        return bool(CHANGE_COLUMN.search(figure.column))  # a table's "Change over time (%)"
    return _written_beside(figure, CHANGE_BEFORE, CHANGE_AFTER)


# A number that frames what is counted rather than measuring it: the span a count is over ("two children in
# the past two years") or the condition a rule starts from ("after three episodes of missing").
SPAN = r"\b(?:in|over|during|for)\s+the\s+(?:past|last|previous)\s+{number}\s+(?:working\s+)?(?:day|week|month|year)"
CONDITION_BEFORE = re.compile(r"\b(?:after|following)\s*$", re.I)


def is_framing(figure: Figure) -> bool:
    """Does the number say over what span or from what condition, rather than what was asked?"""
    if figure.unit in DURATION_UNITS:
        # read by its unit: "two children in the past two years" writes the duration's number twice
        return bool(re.search(SPAN.format(number=re.escape(figure.as_written)), figure.sentence, re.I))
    return figure.unit == "count" and _written_beside(figure, CONDITION_BEFORE, None)


def _written_beside(figure: Figure, before: re.Pattern | None, after: re.Pattern | None) -> bool:
    """Is the figure written right after `before` or right before `after` in its sentence?"""
    at = figure.sentence.find(figure.as_written)
    if at < 0:
        return False
    if before is not None and before.search(figure.sentence[:at]):
        return True
    return after is not None and bool(after.match(figure.sentence[at + len(figure.as_written) :]))


# "How often" is answered by an interval or a number of times ("3 times a year"), never by a deadline ("within
# 10 working days") or a count of things.
DEADLINE_BEFORE = re.compile(r"\b(?:within|no later than|not later than)\s*$", re.I)
# An interval is written as one ("every 6 weeks", "at intervals of no more than six months"); a duration
# written otherwise is a condition or a span ("missing 10 days or over", "for eight weeks").
INTERVAL_BEFORE = re.compile(
    r"\b(?:every|each|intervals?\s+of(?:\s+(?:no|not)\s+(?:more|longer)\s+than)?|at\s+least\s+every)\s*$", re.I
)
TIMES_AFTER = re.compile(r"^\s*(?:times|occasions)\b", re.I)


def _answers_strictly(figure: Figure, intent: QuestionIntent) -> bool:
    """The unit asked for, and for a deadline asked ("by when must ...") a time written as one ("within 72
    hours"), not a condition ("missing for 10 days or over")."""
    if not unit_matches(figure, intent.unit, strict=True):
        return False
    return not intent.wants_deadline or _written_beside(figure, DEADLINE_BEFORE, None)


def unit_matches(figure: Figure, unit: str | None, strict: bool = False) -> bool:
    """Does a figure have the unit asked for (strict), or one that can still answer it (loose)?

    Loosely, a count can answer "what share" or "per 10,000", and a percentage or a rate "how many", and a
    table row of money that lost its £ sign answers "how much". "How often" is answered by an interval, a
    number of times or a share. A duration never answers "how many", and money never answers anything but
    "how much".
    """
    if unit is None:
        return True
    if unit == "days":
        return figure.unit in DURATION_UNITS
    if unit == "frequency":
        return (
            figure.unit == "%"
            or (figure.unit in DURATION_UNITS and _written_beside(figure, INTERVAL_BEFORE, None))
            or (figure.unit == "count" and _written_beside(figure, None, TIMES_AFTER))
        )
    if unit == "GBP":
        return figure.unit == "GBP" or (not strict and figure.unit == "count" and figure.value >= 100)
    if unit == "count":
        # A rate ("37.5 per 10,000") is not a count: it answers "how many" only loosely, as a percentage does.
        return figure.unit == "count" or (not strict and (figure.unit == "%" or figure.unit.startswith("rate")))
    if unit == "rate":
        # "Per 10,000" asks for a rate no percentage states; a table's count may (a row under "Rate per
        # 10,000" whose header lost its number), a count in running text never ("1,340 at the end of March").
        return figure.unit.startswith("rate") or (not strict and figure.unit == "count" and bool(figure.row))
    # A count is a share only with the whole it is out of ("3 out of 4", "two of the 29 partnerships").
    in_counts = figure.unit == "count" and bool(SHARE_IN_COUNTS.search(figure.sentence))
    if unit == RATE_OR_SHARE:
        return figure.unit == "%" or figure.unit.startswith("rate") or (not strict and in_counts)
    if unit == "%":
        return figure.unit == "%" or (not strict and (in_counts or figure.unit.startswith("rate")))
    return figure.unit == unit


def score_candidates(
    candidates: list[Candidate],
    intent: QuestionIntent,
    query_vector: np.ndarray | None,
    keyword: KeywordIndex,
    search_text: str,
    expansions: list[str],
    target_period: str | None,
    answer_floor: float = 0.0,
    spellings: Sequence[tuple[str, str]] = (),
) -> None:
    """Rank candidate sentences (score) and say how sure each answers (confidence).

    What a question prefers (a date, a definition, a recommendation) lifts only sentences confident
    enough to answer (answer_floor): it picks among answers, never lifts a non-answer over one.
    """
    terms = question_terms(keyword, search_text)
    extra = question_terms(keyword, " ".join(expansions)) if expansions else []
    spelled = [(question_terms(keyword, said), question_terms(keyword, other)) for said, other in spellings]
    # A figure's label should name what the question counts ("how many principles" -> "six principles").
    label_terms = question_terms(keyword, intent.counted) or terms
    top = max((c.passage.score for c in candidates), default=1.0) or 1.0
    leads = lead_ins(candidates) if query_vector is not None else {}
    context: dict[str, float] = {}
    for c in candidates:
        if c.passage.chunk_id not in context:
            text = f"{c.passage.section}\n{c.passage.text}"
            context[c.passage.chunk_id] = keyword_coverage(keyword, terms, extra, text, spelled)
        parts = {
            "dense": _dense(query_vector, c, _lead_vector(c, leads)) if query_vector is not None else 0.0,
            "keyword": keyword_coverage(keyword, terms, extra, _under_heading(c), spelled),
            "passage": c.passage.score / top,
            "unit": 0.0,
            "period": 0.0,
            "label": 0.0,
        }
        if intent.wants_number:
            if any(_answers_strictly(f, intent) for f in c.figures):
                parts["unit"] = 1.0
            elif any(unit_matches(f, intent.unit) for f in c.figures):
                parts["unit"] = LOOSE_UNIT
            else:
                parts["unit"] = -1.0
            # Does a figure count what the question asks about? ("how many referrals" -> "1,394 referrals")
            labels = [f.label for f in c.figures if unit_matches(f, intent.unit)]
            parts["label"] = max(
                (keyword_coverage(keyword, label_terms, extra, lb, spelled) for lb in labels), default=0.0
            )
        preferred = _preferred(c, intent)
        # A who-question prefers nothing else (preferred is None), or the role it asks about (intent.defines).
        if intent.asks_who and not preferred and (preferred is None or intent.defines):
            preferred = _says_who(c.text, intent, keyword, terms, extra) or preferred
        if preferred is not None:
            parts["unit"] = float(preferred)
        if target_period:
            periods = {f.period for f in c.figures}
            if target_period in periods:
                parts["period"] = 1.0
            elif re.search(r"(19|20)\d{2}", c.text) and periods and target_period not in periods:
                parts["period"] = -1.0
        c.parts = parts
        c.score = sum(SENTENCE_WEIGHTS[k] * v for k, v in parts.items())
        c.parts["context"] = context[c.passage.chunk_id]
        c.confidence = confidence(c.parts, uses_meaning=query_vector is not None)
        if preferred and c.confidence < answer_floor:
            c.score -= SENTENCE_WEIGHTS["unit"]


# What opens a list item: a bullet, a dash, a box ("• ", "- ", "◼ "), anything before its first word.
LIST_MARK = re.compile(r"^[^\w'‘\"“(]+")


def lead_ins(candidates: list[Candidate]) -> dict[int, Candidate]:
    """For each list item among the candidates, the sentence that leads into its list ("The strategy meeting
    should agree: ... • Written copy of minutes provided within 24hours")."""
    found: dict[int, Candidate] = {}
    by_doc: dict[str, list[Candidate]] = {}
    for c in candidates:
        by_doc.setdefault(c.passage.doc_id, []).append(c)
    for same_doc in by_doc.values():
        lead = None
        for c in sorted(same_doc, key=lambda c: c.start):
            if LIST_MARK.match(c.text):
                if lead is not None:
                    found[id(c)] = lead
            else:
                lead = c if c.text.rstrip().endswith(":") else None
    return found


def _under_heading(c: Candidate) -> str:
    return f"{c.heading.text}\n{c.text}" if c.heading else c.text


def _lead_vector(c: Candidate, leads: dict[int, Candidate]) -> np.ndarray | None:
    """The vector of what the sentence leans on: the sentence leading into its list, else its run-in heading."""
    if id(c) in leads:
        return leads[id(c)].vector
    return np.frombuffer(c.heading.vector, dtype=np.float32) if c.heading else None


def _dense(query_vector: np.ndarray, c: Candidate, lead: np.ndarray | None) -> float:
    """How near the sentence is to the question in meaning. A list item is read with the sentence leading into
    its list too (the mean of the two vectors, no model pass), when that reads nearer: "Written copy of
    minutes provided within 24hours" alone does not say it is about strategy meetings."""
    own = float(np.dot(query_vector, c.vector))
    if lead is None:
        return own
    both = c.vector + lead
    return max(own, float(np.dot(query_vector, both / (np.linalg.norm(both) or 1.0))))


# A cover field (ingest.pdf_layout.FIELD) naming someone: "Lead inspector: Sophie Wales, ...", a role then a
# name, no digits ("Inspection dates: 22 ..." says when, not who).
FIELD_ROLE = re.compile(r"^([A-Z][\w ]{2,30}):\s+[A-Z][^\d]*$")
# A sentence saying who holds a role: "Our Principal is the designated safeguarding officer and ...".
HOLDER = re.compile(
    r"^(?:[\w’'&-]+\s+){1,5}?(?:is|are|was|were)\s+(?:the|our)\s+(?P<role>[A-Za-z][\w\s’'-]{2,60}?)"
    r"(?=\s+(?:and|for|at|in|of|who|which|to)\b|[,.;(]|$)"
)


def _says_who(text: str, intent: QuestionIntent, keyword: KeywordIndex, terms: list, extra: list) -> bool:
    """Does the sentence say who, for a who-question? For the holder of an asked role ("who is the dsl"), a
    sentence naming who holds it ("Our Principal is the designated safeguarding officer"), the role named as
    the question names it or by one of its synonyms; otherwise a field of a cover page or letter whose role
    the question names ("Lead inspector: Sophie Wales", for a line too short to be found by its meaning)."""
    if intent.defines:
        holder = HOLDER.match(text)
        asked = question_terms(keyword, intent.defines)
        return bool(holder) and keyword_coverage(keyword, asked, extra, holder.group("role")) > 0
    role = FIELD_ROLE.match(text)
    return bool(role) and keyword_coverage(keyword, terms, extra, role.group(1)) > 0


def _preferred(c: Candidate, intent: QuestionIntent) -> bool | None:
    """Is the sentence what the question prefers (advice, a definition, a date; the first that applies)?
    None when the question prefers nothing of the kind."""
    if intent.wants_advice:
        return gives_advice(c)
    if intent.defines:
        return defines(c.text, intent.defines)
    if intent.wants_date:
        return bool(DATE.search(c.text))
    return None


# What a recommendation, a priority or an action sounds like, and where documents list them.
ADVICE = re.compile(
    r"\b(recommend\w*|should|must|needs? to|ought to|advis\w*|to ensure|to improve|to consider|priorit\w*)\b", re.I
)
ADVICE_SECTION = re.compile(r"recommend|priorit|action|next steps|improve|learning", re.I)


# A sentence telling the reader what to do: "14. Improve Pathway Plans ...", "• Ensure that ...", "plans should
# include ..." (not one only using the word: "adopters ... would recommend it", "the audit made 7 recommendations").
RECOMMENDING = re.compile(rf"^[^\w]*(?:\d+[.)]\s*)?(?:{alternation(RECOMMENDING_VERBS)})\b", re.I)
TELLING = re.compile(r"\b(should|must|needs? to|ought to|to ensure|to improve|to consider)\b", re.I)
RECOMMENDED_THAT = re.compile(r"\brecommend(?:s|ed)? that\b", re.I)  # says outright what was recommended


# A section listing what a report recommends ("Recommendations", "Areas for improvement", "What needs to
# improve"), not one about the board's priorities or its learning, which reports what was done.
RECOMMENDATIONS_SECTION = re.compile(r"recommend|areas? for improvement|needs? to improve|next steps", re.I)


def recommends(c: Candidate) -> bool:
    """Is the sentence one of a report's recommendations: saying what was recommended, or, in a section
    listing recommendations, an item of its list or a sentence telling what to do?"""
    if RECOMMENDED_THAT.search(c.text):
        return True
    telling = TELLING.search(c.text) or RECOMMENDING.match(c.text) or LIST_MARK.match(c.text)
    return bool(telling and RECOMMENDATIONS_SECTION.search(c.passage.section or ""))


def gives_advice(c: Candidate) -> bool:
    """Does the sentence say what should be done (a recommendation, priority or action, or a sentence of a
    section listing them)?"""
    return bool(ADVICE.search(c.text)) or is_recommendation(c)


def is_recommendation(c: Candidate) -> bool:
    """Is the sentence in a section listing recommendations, priorities or actions?"""
    return bool(ADVICE_SECTION.search(c.passage.section or ""))


DEFINITION_LABEL = re.compile(r"^(?:definition|meaning)\s*[:–-]\s*", re.I)


def defines(sentence: str, term: str) -> bool:
    """Does the sentence say what the term is, or who? ("known as care consultants", "Embrace is a service
    ...", "Multi-Agency Child Exploitation (MACE)", "Amber: ...", "The partners are Camden Council, ...")"""
    sentence = LIST_MARK.sub("", sentence)  # "• Unfounded: ..." defines as "Unfounded: ..." does
    sentence = DEFINITION_LABEL.sub("", sentence)  # "Definition: Private fostering is when ..."
    # "low level concern" is the documents' "low-level concern" and the other way round
    words = r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", term.strip()))
    t = r"['‘\"“]?" + words + r"s?['’\"”]?"
    article = r"(?:the\s+|an?\s+)?"
    patterns = (
        rf"\b(?:known as|called|referred to as|termed|described as)\s+{article}{t}",
        rf"^{article}{t}\s*(?:\([^)]*\)\s*)?(?:is|are|was|were)\s+(?:an?|any|the|one|when|where|used|defined)\b",
        rf"^{article}{t}\s*(?:\([^)]*\)\s*)?(?:means|refers to|describes|stands for|is defined)\b",
        # who they are, by name: "The statutory safeguarding partners are Camden Council, ..."
        rf"^{article}{t}\s*(?:\([^)]*\)\s*)?(?:is|are|was|were)\s+(?-i:[A-Z])",
        rf"^{t}\s*[:–-]\s+\w",
        rf"\({t}\)|\b{t}\s*\((?!\d)[^)]{{6,}}\)",
    )
    return any(re.search(p, sentence, re.I) for p in patterns)


def says_what(sentence: str, term: str) -> bool:
    """Does the sentence say what the term is, or, for a term of several words ("a blue rating"), label a
    definition with its first word ("Blue: These are cases where ...")?"""
    if defines(sentence, term):
        return True
    words = re.sub(r"^(?:the|an?)\s+", "", term.strip(), flags=re.I).split()
    if len(words) < 2:
        return False
    label = LABEL.match(LIST_MARK.sub("", sentence))
    return bool(label) and label.group(1).lower().rstrip("s") == words[0].lower().rstrip("s")


# A definition under its label ("Blue: These are cases ...", "Unfounded – no evidence ...").
LABEL = re.compile(r"^['‘\"“]?([A-Za-z][\w-]*)['’\"”]?\s*[:–-]\s+\w")


def defining(ranked: list[Candidate], term: str) -> Candidate | None:
    """The best ranked sentence saying what the term is; for a term of several words ("unfounded
    allegations") its first word will do ("Unfounded: no evidence ... supports the allegation")."""
    tried = [term, term.split()[0]] if " " in term else [term]
    return next((c for name in tried for c in ranked if defines(c.text, name)), None)


def confidence(parts: dict[str, float], uses_meaning: bool = True) -> float:
    """How sure we are that a sentence answers the question: meaning and subject words, no number bonus.

    Kept apart from the ranking score so that "holds a number" helps choose between sentences but never
    makes an unrelated number look like an answer.
    """
    weights = CONFIDENCE_WEIGHTS if uses_meaning else KEYWORD_ONLY_CONFIDENCE_WEIGHTS
    return sum(w * parts.get(k, 0.0) for k, w in weights.items())


def with_figures(candidate: Candidate, default_period: str | None) -> Candidate:
    candidate.figures = extract_figures(candidate.text, default_period)
    return candidate
