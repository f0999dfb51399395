"""Does a figure measure what was asked? The question's measured thing against the figure's own context.

A number is the answer only when the words that say what the question counts ("new referrals to early
help", "police officers who attended training", "CP plans under the emotional abuse category") are all
said where the figure is stated: in its sentence, its section heading or the sentence that leads into it,
allowing the field's synonyms and acronyms. A figure that leaves any of them unsaid measures something
else (another service, a sub-group, people instead of events), and answering with it would put a wrong
number into a board paper; the answer abstains instead and says what the documents do give.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from index.keyword import KeywordIndex
from index.lexicon import (
    ACTOR_WORDS,
    AMOUNT_BEFORE_NUMBER,
    ANYONE_WORDS,
    AUXILIARIES,
    BULLETS,
    CHANGE_PHRASES,
    CHANGE_WORDS,
    COUNTED_PHRASE_ENDS,
    DURATION_SHORT_FORMS,
    DURATION_UNITS,
    FRAMING_PHRASES,
    GENERIC_MEASURE_WORDS,
    IRREGULAR_FORMS,
    JOINING,
    MEASURE_NOISE_WORDS,
    MONTH_NUMBERS,
    MONTHS,
    NUMBER_WORDS,
    OCCURRENCE_WORDS,
    ORDINAL_WORDS,
    PEOPLE_WORDS,
    PLACE_NAMES,
    QUESTION_WORDS,
    RELATIVES,
    alternation,
)
from index.periods import YEAR, periods_in
from index.tuning import SUBGROUP_QUALIFIERS
from index.vocabulary import Vocabulary, spelled_by_initials

from .meaning import WordMeanings

TITLE_ACRONYM = re.compile(r"[A-Za-z]{3,6}")  # "kcsie", "wttsc"; two letters name too many things
# "bases under uk gdpr" places what is asked under a rule; "under 5" (kept) says which children.
UNDER_A_RULE = re.compile(r"\bunder\b(?!\s*\d)", re.I)
PASSAGE_WORDS = 2  # measured words that may be said only elsewhere in the passage
PREFIX_STEM = 5  # shorter stems begin too many unrelated words ("care" - "career")

# The action a question asks about, after a verb of obligation or intent ("have to keep", "need to tell").
ACTION_ASKED = re.compile(
    r"\b(?:have|has|had|need|needs|required|supposed|meant|expected|able|want|wants)\s+to\s+([a-z]+)", re.I
)


def without_actors(measure: Measure) -> Measure:
    """A time asked for a step of a procedure ("if we suspend a staff member how fast do they have to get it
    in writing") is timed by the step: who it is done to or by is said where the procedure names them ("the
    person", "the case manager"), not in the sentence timing it."""
    kept = [(w, s) for w, s in zip(measure.words, measure.stems, strict=True) if s not in _actors()]
    return dataclasses.replace(measure, words=tuple(w for w, _ in kept), stems=tuple(s for _, s in kept))


@lru_cache(maxsize=1)
def _actors() -> frozenset[str]:
    return frozenset(_stems(" ".join(ACTOR_WORDS)))


@lru_cache(maxsize=256)
def _actions_asked(question: str) -> frozenset[str]:
    """Remembered: every candidate figure reads the question's actions, in three places."""
    return frozenset(_stems(" ".join(ACTION_ASKED.findall(question))))


def with_actions_said(by_topic: Coverage, where_stated: Coverage, question: str) -> Coverage:
    """Coverage by the topic a sentence refers back to ("the workshop" named earlier), except that what must
    be done ("have to keep a file") is said where the figure is stated, as in `coverage`'s passage words."""
    actions = _actions_asked(question)
    unsaid = [w for w in where_stated.missing if set(_stems(w)) & actions]
    covered = tuple(w for w in by_topic.covered if w not in unsaid)
    return Coverage(covered, (*by_topic.missing, *unsaid))


@dataclass(frozen=True)
class Numbered:
    """A numbered thing the question names ("phase 8", "level 3", "stage three", "section 47"): the figure's
    context must name the same one ("the ninth phase" is phase 9, never phase 8)."""

    noun: str
    number: int

    def said_in(self, context: str) -> bool:
        return bool(self._said.search(context))

    @cached_property
    def _said(self) -> re.Pattern:
        """The ways of naming it ("phase 9", "phase nine", "the ninth phase"), made once: every candidate is read."""
        stems = _stems(self.noun)
        stem = re.escape(stems[0] if stems else self.noun.lower())
        numbers = [str(self.number), *(w for w, n in NUMBER_WORDS.items() if n == self.number)]
        ordinals = [w for w, n in ORDINAL_WORDS.items() if n == self.number]
        said = rf"\b{stem}\w*\W{{1,3}}(?:{'|'.join(numbers)})\b"
        if ordinals:
            said += rf"|\b(?:{'|'.join(ordinals)})\s+{stem}"
        return re.compile(said, re.I)

    def describe(self) -> str:
        return f"{self.noun} {self.number}"


# A word then a number naming which one ("phase 8", "level 3"), not how many or how long ("12 months").
NUMBERED = re.compile(
    rf"\b(?P<noun>[a-z]{{3,}})\s+(?P<number>\d{{1,3}}|{alternation(NUMBER_WORDS)})\b"
    r"(?!\s*(?:%|/|[-–]\s*\d|(?:and|or)\s+(?:under|over)|(?:years?|yrs?|months?|weeks?|days?|hours?|hrs?|per)\b))",
    re.I,
)


@dataclass(frozen=True)
class Measure:
    """What a question counts, as the stems a figure's context must say, and the words they came from."""

    words: tuple[str, ...]  # as the question wrote them, for telling the reader what was looked for
    stems: tuple[str, ...]
    numbered: tuple[Numbered, ...] = ()
    amounts: tuple[int, ...] = ()  # numbers that say which ones ("within 72 hours", "16 and 17 year olds")

    def describe(self) -> str:
        return " ".join(self.words)

    def only(self, words: list[str]) -> Measure:
        """The measure of these of its words alone."""
        pairs = [(w, s) for w, s in zip(self.words, self.stems, strict=True) if w in words]
        return Measure(tuple(w for w, _ in pairs), tuple(s for _, s in pairs))

    def outside(self, text: str) -> Measure:
        """Its words the text does not say (a document's title names the document, not a thing asked about)."""
        named = set(_stems(text))
        return self.only([w for w, s in zip(self.words, self.stems, strict=True) if s not in named])

    def naming(self, document: str, question: str = "", vocabulary: Vocabulary | None = None) -> Measure:
        """The measure of a figure in one document: words of that document's title, issuing body or file
        name ("per the adcs report", "in the leeds inspection", "in kcsie" for "Keeping children safe in
        education") name the document, not what is counted. A word naming another document ("care" from a
        title "... care leavers") is still measured, and so is a field term the title does not say ("child
        protection visits" of an inspection of "children in need of help and protection")."""
        named = set(_stems(document))
        if vocabulary is not None:
            named -= _terms_unsaid_by(document, question, vocabulary)
        # What must be done is asked, whatever the title says: "keep" in "have to keep a file" of "Keeping
        # children safe in education".
        named -= _actions_asked(question)
        # "phase 9" of a question about the report on phase 9 is named by its title, as its words are.
        numbered = tuple(n for n in self.numbered if not n.said_in(document))
        kept = [
            (w, s)
            for w, s in zip(self.words, self.stems, strict=True)
            if s not in named and not (TITLE_ACRONYM.fullmatch(w) and spelled_by_initials(w, document))
        ]
        if not kept:
            # Every measured word is in the title ("children looked after" of an inspection of services for
            # children looked after): they say what is counted, and the figure must say them.
            return dataclasses.replace(self, numbered=numbered)
        return Measure(tuple(w for w, _ in kept), tuple(s for _, s in kept), numbered, self.amounts)


def _terms_unsaid_by(title: str, question: str, vocabulary: Vocabulary) -> set[str]:
    """Stems of the field's terms of several words that the question uses and the title does not say: a
    title that scatters their words ("children in need of help and protection") does not name them."""
    asked, in_title = _word_text(question), _word_text(title)
    unsaid: set[str] = set()
    for group in vocabulary.groups:
        used = [term for term in group if " " in term.strip() and _says_term(asked, term)]
        if used and not any(_says_term(in_title, term) or _in_any_order(term, in_title) for term in group):
            unsaid |= {stem for term in used for stem in _stems(term)}
    return unsaid


@dataclass(frozen=True)
class Coverage:
    covered: tuple[str, ...]
    missing: tuple[str, ...]  # the question's words (not stems) that the context does not say

    @property
    def complete(self) -> bool:
        return not self.missing


def _stems(text: str) -> list[str]:
    """The text's keyword stems, an irregular form of a verb as its base ("written" as "write")."""
    bases = _irregular_stems()
    return [bases.get(stem, stem) for stem in KeywordIndex.tokens_of(text)]


@lru_cache(maxsize=1)
def _irregular_stems() -> dict[str, str]:
    return {KeywordIndex.tokens_of(form)[0]: KeywordIndex.tokens_of(base)[0] for form, base in IRREGULAR_FORMS.items()}


@lru_cache(maxsize=1)
def _ignored() -> frozenset[str]:
    """Stems that never say what is measured: question words, generic counts, noise verbs, places, units of
    time."""
    names = [*GENERIC_MEASURE_WORDS, *MEASURE_NOISE_WORDS, *AUXILIARIES, *JOINING, *RELATIVES, *PLACE_NAMES]
    names += [*DURATION_UNITS, *DURATION_SHORT_FORMS]  # the unit of a time asked for ("24hrs"), not a thing
    names += MONTH_NUMBERS
    return frozenset(_stems(" ".join(names))) | QUESTION_WORDS


@lru_cache(maxsize=1)
def _grammar() -> frozenset[str]:
    """Stems of the small words that join a thing's name ("children on cp plans") without naming it."""
    return frozenset(_stems(" ".join([*JOINING, *AUXILIARIES, *RELATIVES])))


def read_measure(question: str) -> Measure:
    """The measured thing of a question: its content words minus what asks (how many, what %), when
    (periods, years, last year) and where (place names: the documents in scope answer for their place).
    Which document it names ("per the rapid reviews report") is taken out per figure: Measure.naming."""
    text = YEAR.sub(" ", without_time(question))
    text = re.sub(r"\b\d{2}\s?[/-]\s?\d{2}\b", " ", text)  # "18/19"
    text = UNDER_A_RULE.sub(" ", text)
    ignored = _ignored()
    words, stems = [], []
    for word in re.findall(r"[A-Za-z][A-Za-z'’-]*", text):
        for stem in _stems(word):
            if stem in ignored or stem in stems or len(stem) < 2:
                continue
            words.append(word)
            stems.append(stem)
    return Measure(tuple(words), tuple(stems), numbered_in(question), amounts_in(text))


# A number in a question that says which ones are counted ("missing 3 or more times", "within 72 hours",
# "aged 16 and 17"); not the base of a rate ("per 10k", "per 10,000") nor a numbered thing ("level 3").
AMOUNT = re.compile(
    rf"(?<![\w.,/£-])(?:(?P<digits>\d{{1,3}})(?:s|h|hrs?|wks?|yrs?)?|(?P<word>{alternation(NUMBER_WORDS)}))"
    r"(?![\w.,/%]|,\d|\s*(?:k|000|thousand)\b)",  # "24hrs" and "under 18s" state 24 and 18
    re.I,
)


def amounts_in(text: str) -> tuple[int, ...]:
    """The numbers a question states to say which ones it counts, each of which the figure's context must
    state too: 77.5% of return interviews does not answer "% done within 72 hours"."""
    numbered = {match.start("number") for match, _ in _numbered_matches(text)}
    found: list[int] = []
    for match in AMOUNT.finditer(text):
        if match.start() in numbered or re.search(r"\bper\s*$", text[: match.start()], re.I):
            continue
        value = int(match.group("digits")) if match.group("digits") else NUMBER_WORDS[match.group("word").lower()]
        if value not in found:
            found.append(value)
    return tuple(found)


def _amount_said(value: int, context: str) -> bool:
    words = [w for w, n in NUMBER_WORDS.items() if n == value]
    return bool(re.search(rf"(?<![\d.,]){value}(?![\d]|[.,]\d)|\b(?:{'|'.join(words) or '$^'})\b", context, re.I))


def numbered_in(question: str) -> tuple[Numbered, ...]:
    """The numbered things a question names ("phase 8", "stage three"), never an age or amount ("under 5")."""
    return tuple(numbered for _, numbered in _numbered_matches(question))


def _numbered_matches(question: str) -> list[tuple[re.Match, Numbered]]:
    found = []
    for match in NUMBERED.finditer(question):
        noun = match.group("noun").lower()
        stems = _stems(noun)
        if noun in AMOUNT_BEFORE_NUMBER or noun in PEOPLE_WORDS or not stems or set(stems) & (_ignored() | _grammar()):
            continue
        number = match.group("number").lower()
        found.append((match, Numbered(noun, int(number) if number.isdigit() else NUMBER_WORDS[number])))
    return found


def read_conjunct(question: str, thing: str) -> Measure:
    """The measure of a part asking about one of two things the question joined ("how often are cin reviews"
    of "... cin reviews and sw visits"): every word naming the thing must be said where its figure is, even
    one that elsewhere names a document ("review"), since the other thing is often stated beside it."""
    measure = read_measure(question)
    words, stems = list(measure.words), list(measure.stems)
    for word in re.findall(r"[A-Za-z][A-Za-z'’-]*", thing):
        for stem in _stems(word):
            if stem not in stems and stem not in _grammar() and stem not in QUESTION_WORDS:
                words.append(word)
                stems.append(stem)
    return Measure(tuple(words), tuple(stems), measure.numbered, measure.amounts)


# An outcome asked as where something ended ("what % of assessments ended in step up", "contacts ending in
# nfa"): the outcome is measured, the verb frames it. Never before a time ("plans ended in 2019" counts endings).
OUTCOME_FRAMING = re.compile(
    r"\b(?:ended|ending|ends|end|resulted|resulting|results|result)\s+(?:up\s+)?in\b"
    rf"(?=\s+(?!(?:{MONTHS})\b|the\s+(?:year|period|quarter)\b|q[1-4]\b|\d)[a-z])",
    re.I,
)


def without_time(text: str) -> str:
    """The text without the periods it names and the phrases framing when ("in the year ending 31 March
    2024", "at the end of") or an outcome ("ended in step up"): what is left says what is measured."""
    text = OUTCOME_FRAMING.sub(" in", text)
    for start, end, _ in reversed(periods_in(text)):
        text = f"{text[:start]} {text[end:]}"
    return _FRAMING.sub(" ", text)


_FRAMING = re.compile(r"\b(?:" + alternation(FRAMING_PHRASES) + r")\b", re.I)


def coverage(
    measure: Measure,
    context: str,
    vocabulary: Vocabulary,
    question: str,
    passage: str = "",
    meanings: WordMeanings | None = None,
) -> Coverage:
    """Which of the measured words the context says, directly (same stem), as a synonym or acronym of a
    term the question used ("front door" ~ MASH, "kids in care" ~ looked after children), or, for a word
    no document uses, by a word of like meaning ("recorded wrong" ~ "incorrectly recorded"). One word may
    be said only in the passage before the figure (a programme named a few sentences before its figures)."""
    context = without_time(context)
    have = _stem_text(context)
    said = set(have.split()) | _run_together(question, context)
    asked, in_words = _word_text(question), _word_text(context)
    by_synonym: set[str] = set()
    # A term the question uses ("children in care") is said only as one of its group's terms, never word by
    # word: "care" in "care leavers" does not say "children in care".
    unsaid_terms: set[str] = set()
    for group in vocabulary.groups:
        used = [term for term in group if _says_term(asked, term)]
        if not used:
            continue
        stems = {stem for term in used for stem in _stems(term)}
        if any(_says_term(in_words, term) or _in_any_order(term, in_words) or _says_word(term, said) for term in group):
            by_synonym |= stems
        else:
            unsaid_terms |= stems
    covered, missing = [], []
    for word, stem in zip(measure.words, measure.stems, strict=True):
        direct = _said(stem, said) and stem not in unsaid_terms
        (covered if direct or stem in by_synonym else missing).append(word)
    unread = [w for w in missing if meanings.reads(w)] if meanings is not None else []
    if unread:  # the context's words are gathered only for a word no document uses
        content = [w for w in re.findall(r"[a-z]+", context.lower()) if not set(_stems(w)) & _ignored()]
        by_meaning = [w for w in unread if meanings.said_as(w, context, content)]
        covered, missing = [*covered, *by_meaning], [w for w in missing if w not in by_meaning]
    # What must be done ("have to keep a file") is said where the figure is: a time to transfer the file, with
    # keeping it said further up the passage, is no time to keep it.
    done = _actions_asked(question)
    few_unsaid = passage and covered and len(missing) <= PASSAGE_WORDS and not done & set(_stems(" ".join(missing)))
    if few_unsaid and coverage(measure.only(missing), passage, vocabulary, question, meanings=meanings).complete:
        covered, missing = [*covered, *missing], []
    # A numbered thing is named where the figure is, never only elsewhere in the passage (phase 9's figures
    # follow a sentence about phase 8).
    missing += [n.describe() for n in measure.numbered if not n.said_in(context)]
    missing += [str(n) for n in measure.amounts if not _amount_said(n, context)]
    return Coverage(tuple(covered), tuple(missing))


def topic_said_before(
    found: Coverage,
    measure: Measure,
    topic: set[str],
    passage: str,
    vocabulary: Vocabulary,
    question: str,
    meanings: WordMeanings | None = None,
) -> Coverage:
    """A figure for one of several things a question joins names its own thing where it is stated; the topic
    the things share ("lambeth irh" of "... a red and ... an amber contact") may be said before it in its
    section, as a question about one thing may be said before it in the passage (see coverage)."""
    unsaid = measure.only(list(found.missing))
    if not found.covered or not unsaid.stems or len(unsaid.stems) > PASSAGE_WORDS or not set(unsaid.stems) <= topic:
        return found
    if not coverage(unsaid, passage, vocabulary, question, meanings=meanings).complete:
        return found
    return Coverage((*found.covered, *unsaid.words), tuple(w for w in found.missing if w not in unsaid.words))


# "cp plans for neglect", "in care because of homelessness": the reason or category a question counts by.
REASON = re.compile(r"\b(?:for|due\s+to|because\s+of)\s+(?:the\s+)?([A-Za-z][\w'’-]*)", re.I)


def reasons_unsaid(measure: Measure, question: str, body: str, vocabulary: Vocabulary) -> tuple[str, ...]:
    """The reasons a question counts by that the figure's own sentence and lead-in (its body, without the
    section heading) leave unsaid: a heading ("Impact of abuse and neglect") says what a section is about,
    not that its every figure counts plans for neglect."""
    reasons = {stem for word in REASON.findall(question) for stem in _stems(word)}
    counted_by = measure.only([w for w, s in zip(measure.words, measure.stems, strict=True) if s in reasons])
    if not counted_by.stems:
        return ()
    said = coverage(counted_by, body, vocabulary, question)
    return tuple(f"{w} (said only in the heading)" for w in said.missing)


# An email or web address: its words run together ("Partnershipadvice@nctrust.co.uk").
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\bwww\.[\w.-]+|https?://\S+", re.I)


def _run_together(question: str, context: str) -> set[str]:
    """Stems of two words the question has side by side that an address in the context runs together:
    "partnership advice email" is said by "Partnershipadvice@nctrust.co.uk"."""
    addresses = " ".join(ADDRESS.findall(context)).lower()
    if not addresses:
        return set()
    words = re.findall(r"[a-z]+", question.lower())
    pairs = [(a, b) for a, b in zip(words, words[1:], strict=False) if len(a) > 2 and len(b) > 2]
    return {stem for a, b in pairs if a + b in addresses for stem in _stems(f"{a} {b}")}


def _says_word(term: str, said: set[str]) -> bool:
    """A one-word term said in any form of its family ("re-referred" says "referral"): only a term of
    several words must be said word for word."""
    stems = _stems(term)
    return len(stems) == 1 and " " not in term.strip() and _said(stems[0], said)


def _said(stem: str, said: set[str]) -> bool:
    """The stem, or a word of the same family: the stemmer leaves "refer" and "referr" (referrals) apart,
    so a stem of at least PREFIX_STEM letters also matches a longer stem it begins."""
    if stem in said:
        return True
    if len(stem) < PREFIX_STEM:
        return False
    return any(other.startswith(stem) or (len(other) >= PREFIX_STEM and stem.startswith(other)) for other in said)


@lru_cache(maxsize=8192)  # each synonym term is read for every candidate of every question
def _word_text(text: str) -> str:
    """Every word stemmed, the small ones kept: a term's "in" matters ("children in care" is not the
    "children care leavers" of a table row)."""
    # "training or" and "drug/alcohol" say what "training and" and "drug and alcohol" do
    words = [{"or": "and", "/": "and"}.get(w, w) for w in re.findall(r"[a-z0-9]+|/", text.lower())]
    return " " + " ".join((_stems(w) or [w])[0] for w in words) + " "


def _says_term(word_text: str, term: str) -> bool:
    """The term's words in order, "were" and "being" aside ("children were in care")."""
    return _unlinked(_word_text(term)) in _unlinked(word_text)


@lru_cache(maxsize=8192)  # a context is unlinked once, not for every term of every group
def _unlinked(word_text: str) -> str:
    return " " + " ".join(t for t in word_text.split() if t not in _LINKING) + " "


def _in_any_order(term: str, word_text: str) -> bool:
    """A term of several words said side by side in another order ("looked after children" in "children
    were being looked after"), but not scattered ("children ... care leavers" is not "children in care")."""
    wanted = sorted(_word_text(term).split())
    if len(wanted) < 2:
        return False
    tokens = [t for t in word_text.split() if t not in _LINKING]
    return any(sorted(tokens[i : i + len(wanted)]) == wanted for i in range(len(tokens) - len(wanted) + 1))


_LINKING = frozenset(_word_text(" ".join([*AUXILIARIES, "being"])).split())


def _stem_text(text: str) -> str:
    return " " + " ".join(_stems(text)) + " "


def with_synonyms(measure: Measure, question: str, vocabulary: Vocabulary) -> Measure:
    """The measure with every word of the synonym groups of the terms of several words the question uses:
    a figure's phrase that says "looked after" says what "in care" asked, and adds nothing to it."""
    extra = [stem for stem in _group_stems(question, vocabulary, several_words=True) if stem not in measure.stems]
    extra = list(dict.fromkeys(extra))
    return Measure(measure.words + tuple(extra), measure.stems + tuple(extra))


def _group_stems(text: str, vocabulary: Vocabulary, several_words: bool = False) -> list[str]:
    """The stems of every term of each synonym group one of whose terms the text says (with several_words,
    one of its terms of several words), in the groups' order."""
    said = _word_text(text)
    return [
        stem
        for group in vocabulary.groups
        if any((len(_stems(term)) > 1 or not several_words) and _says_term(said, term) for term in group)
        for term in group
        for stem in _stems(term)
    ]


def with_people(measure: Measure, counted: str, vocabulary: Vocabulary) -> Measure:
    """The measure of a thing counted, with the words for children when it names them ("missing kids", "cin"
    for children in need), which a question's measure otherwise leaves out as generic: a count of children
    counts them, and is no count of another thing (nations, professionals)."""
    said = set(_stems(counted)) | set(_group_stems(counted, vocabulary))
    people = sorted((said & _whom()) - set(measure.stems))
    return Measure(measure.words + tuple(people), measure.stems + tuple(people))


# Where the counted phrase after a number ends: a verb, or punctuation ("103 referrals | were made").
PHRASE_END = re.compile(r"^(?:were|was|is|are|have|has|had|received|made|took|in|during|over|from|since|by|at)$", re.I)


_CHANGE_OF = {word: change for change, words in CHANGE_WORDS.items() for word in words}
_CHANGE_PHRASE = {change: re.compile(rf"\b(?:{alternation(phrases)})\b") for change, phrases in CHANGE_PHRASES.items()}


def changes_in(text: str) -> set[str]:
    """The kinds of change a text speaks of (starting, ending, entering), dates and year ends aside."""
    text = without_time(text).lower()
    phrased = {change for change, phrase in _CHANGE_PHRASE.items() if phrase.search(text)}
    return phrased | {_CHANGE_OF[w] for w in re.findall(r"[a-z]+", text) if w in _CHANGE_OF}


# Clauses and list items end at these (PDF list glyphs such as U+F02D and U+F06E mark items inline too).
CLAUSE_OPENERS = ",;:()" + BULLETS + "\uf02d\uf06e"
CLAUSE_CLOSERS = ",;:)." + BULLETS + "\uf02d\uf06e"


# An opening that names something else than what the sentence states ("In addition to the Police Prevention
# Interview, a Home Return Interview should be carried out ... within 72 hours"): the figure is not about it.
OTHER_THING_FIRST = re.compile(
    r"^\W*(?:in addition to|as well as|apart from|aside from|besides|alongside|unlike|other than|instead of)\b"
    r"[^,\d]{1,150},\s*",
    re.I,
)


def without_other_thing(sentence: str) -> str:
    """The sentence without an opening naming another thing than the one it states (none holding a number)."""
    return OTHER_THING_FIRST.sub("", sentence, count=1)


# A short name in brackets after what it names: "(SGO)", "(LADOs)".
SHORT_NAME_IN_BRACKETS = re.compile(r"\((?:[A-Z][A-Za-z]{1,7}s?)\)")
# A comma or point between digits ("10,000", "40.05"): part of a number, no clause mark.
DIGIT_GROUPING = re.compile(r"(?<=\d)[,.](?=\d)")


def figure_clause(sentence: str, as_written: str) -> str:
    """The clause a figure stands in: from the punctuation before it to the punctuation after it. A short name
    in brackets ("under a special guardianship order (SGO) remained ...") ends no clause."""
    at = sentence.find(as_written)
    if at < 0:
        return sentence
    marked = SHORT_NAME_IN_BRACKETS.sub(lambda m: " " * len(m.group(0)), sentence)
    marked = DIGIT_GROUPING.sub(" ", marked)  # "per 10,000", "40.05": no clause ends inside a number
    start = max(marked.rfind(mark, 0, at) for mark in CLAUSE_OPENERS)
    ends = [i for i in (marked.find(mark, at + len(as_written)) for mark in CLAUSE_CLOSERS) if i >= 0]
    return sentence[start + 1 : min(ends, default=len(sentence))]


# "289 (57%) of care leavers", "12 of the 40 children": a count of a part of what follows it.
PART_OF = re.compile(r"\s*(?:\(\s*\d[\d.,]*\s*%\s*\)\s*)?of\s+(?:the\s+|all\s+|these\s+|those\s+)?[A-Za-z\d]", re.I)


def extra_qualifiers(sentence: str, as_written: str, measure: Measure) -> int:
    """How many words the phrase a figure counts adds to what was asked: "4 referrals of historical child
    abuse allegations" adds three to "lado referrals", "103 referrals were made" none, and "7 children were
    allocated to the disability service who were looked after" adds the service to "looked after". A
    figure that adds qualifiers counts a sub-group of what was asked. The phrase runs from the number to
    the last measured word after it (and on, while no verb has come, to the first verb or punctuation), or
    else to the first verb or punctuation."""
    at = sentence.find(as_written)
    if at < 0:
        return 0
    tokens = re.findall(r"[A-Za-z][A-Za-z'’-]*|[^\sA-Za-z]", sentence[at + len(as_written) :])
    stems = [(_stems(t) or [""])[0] if t[0].isalpha() else "" for t in tokens]
    asked = set(measure.stems)
    last = max((i for i, stem in enumerate(stems) if stem in asked), default=-1)
    if last >= 0:
        phrase = [t for t in tokens[:last] if t[0].isalpha()]
        if not any(PHRASE_END.match(t) for t in phrase):
            # Still the counted noun phrase: what follows it qualifies it too ("4 referrals | of historical
            # child abuse allegations"), up to a verb or punctuation.
            phrase += _phrase_from(tokens[last + 1 :])
    else:
        phrase = _phrase_from(tokens)
    added = _words_added(" ".join(phrase), measure)
    # A part of a whole ("289 (57%) of care leavers") is never the whole asked for, whatever words say which
    # part: it weighs as the most qualifiers do.
    of_a_whole = not as_written.endswith("%") and PART_OF.match(sentence, at + len(as_written))
    return max(added, SUBGROUP_QUALIFIERS) if of_a_whole else added


def clause_names_none(sentence: str, as_written: str, measures: list[Measure]) -> bool:
    """Does the clause a figure stands in name nothing asked? "... budget continues to be derived from the local
    authority, which in 2018/19 contributed £130,826" gives a contribution, not the budget its sentence names."""
    clause = figure_clause(sentence, as_written)
    said = set(_stems(clause.replace(as_written, " ", 1)))
    # a figure in brackets alone ("the largest cohort (38%)") is named by the words outside them
    return bool(said) and not any(said & set(m.stems) for m in measures)


def row_qualifiers(row: str, measure: Measure) -> int:
    """How many words a table row's label adds to what was asked: the row "Care leavers minus UAS children care
    leavers" adds two to "care leavers", and the row "Care leavers" none, so the row asked for comes first."""
    return _words_added(row, measure)


def _words_added(text: str, measure: Measure) -> int:
    """The distinct stems of the text that are neither measured nor words that never say what is counted."""
    ignored = set(measure.stems) | _ignored()
    return len({stem for stem in _stems(text) if stem not in ignored})


def _phrase_from(tokens: list[str]) -> list[str]:
    """The words of a counted phrase: up to the first verb or punctuation, at most eight tokens."""
    phrase = []
    for token in tokens[:8]:
        if not token[0].isalpha() or PHRASE_END.match(token):
            break
        phrase.append(token)
    return phrase


# The noun phrase a count counts ends at a linking word ("4 allegations | concerning foster carers") or a past
# participle ("4 were | found to be ..."); a copula right after the number is passed over ("4 were allegations").
COUNTED_PHRASE_END = re.compile(rf"^(?:{alternation(COUNTED_PHRASE_ENDS)})$", re.I)
COPULA = re.compile(r"^(?:were|was|are|is|been)$", re.I)


def counted_phrase(sentence: str, as_written: str) -> list[str]:
    """The words of the noun phrase right after a count ("4 were allegations concerning ..." -> allegations;
    "248 children and young people were ..." -> children): what the number counts. Empty when a verb or a
    linking word follows at once, or the figure is not found."""
    at = sentence.find(as_written)
    return noun_phrase(sentence[at + len(as_written) :]) if at >= 0 else []


def noun_phrase(text: str) -> list[str]:
    """The words of the noun phrase a text starts with (after a copula: "were allegations ..."), up to a
    linking word, an auxiliary or a past participle: "professionals have been trained" -> professionals,
    "people trained in the tool" -> people."""
    tokens = re.findall(r"[A-Za-z][A-Za-z'’-]*|[^\sA-Za-z]", text)[:6]
    if tokens and COPULA.match(tokens[0]):
        tokens = tokens[1:]
    phrase = []
    for token in tokens:
        word = token.lower()
        if not token[0].isalpha() or COUNTED_PHRASE_END.match(word) or word in AUXILIARIES or word.endswith("ed"):
            break
        phrase.append(token)
    return phrase


def counts_another_thing(sentence: str, counts: list[str], counted: Measure) -> str:
    """What a sentence's counts (as written) count instead of the thing asked for: "4 were allegations
    concerning foster carers" counts allegations, not foster carers. "" when no count is seen to count
    another thing, or one count may count the asked thing (its own words say it: "a focus group of 25
    family members" beside "6 interviews with family members"). counted is what the question counts
    ("foster carers"); a question counting only generic things ("how many people") asks nothing to check.
    """
    asked = set(counted.stems)
    if not asked:
        return ""
    others = [_counts_other(sentence, written, asked) for written in counts]
    if not any(others):
        return ""
    for written, other in zip(counts, others, strict=True):
        if not other and asked & set(_stems(_words_near(sentence, written))):
            return ""
    return next(other for other in others if other)


NEAR_WORDS = 6  # how far from a count its own words reach when no punctuation ends its clause


def _words_near(sentence: str, as_written: str) -> str:
    """A count's own words: its clause, at most NEAR_WORDS words either side of it (a line glued to the next
    in a PDF's text has no punctuation to end the clause)."""
    clause = figure_clause(sentence, as_written)
    at = clause.find(as_written)
    if at < 0:
        return clause
    before = clause[:at].split()[-NEAR_WORDS:]
    after = clause[at + len(as_written) :].split()[:NEAR_WORDS]
    return " ".join([*before, as_written, *after])


def _counts_other(sentence: str, as_written: str, asked: set[str]) -> str:
    """The phrase one count counts when it names none of the asked stems, names something besides words that
    never say what is counted, and the asked thing is said after it in its clause, as its qualifier; a
    phrase of occurrences ("14 cases", "on 3 occasions") counts the thing qualified after it."""
    phrase = counted_phrase(sentence, as_written)
    stems = [stem for word in phrase for stem in _stems(word)]
    if not stems or asked & set(stems) or stems[0] in _occurrences():
        return ""
    other = [stem for stem in stems if stem not in _ignored() and stem not in _grammar()]
    if not other and set(stems) <= _people():
        # "8 children" counts children, not the interviews or referrals asked for (the question counting
        # children asks nothing to check: counts_another_thing)
        return " ".join(phrase)
    clause = figure_clause(sentence, as_written)
    after = clause[clause.find(as_written) + len(as_written) :] if as_written in clause else ""
    return " ".join(phrase) if other and asked & set(_stems(after)) else ""


@lru_cache(maxsize=1)
def _people() -> frozenset[str]:
    return frozenset(_stems(" ".join(PEOPLE_WORDS)))


@lru_cache(maxsize=1)
def _whom() -> frozenset[str]:
    """The people words that say whom is counted ("children"), not anyone ("people": professionals are people)."""
    return _people() - frozenset(_stems(" ".join(ANYONE_WORDS)))


@lru_cache(maxsize=1)
def _occurrences() -> frozenset[str]:
    return frozenset(_stems(" ".join(OCCURRENCE_WORDS)))


REFERENCE = re.compile(r"\b(?:the|this|these|that|those)\s+([A-Za-z][A-Za-z-]+)", re.I)


def refers_back(sentence: str, measure: Measure) -> bool:
    """Does the sentence name a thing the question asks about as one already introduced ("The workshop was
    attended by over 40 ...", "referrals from the hospital")? Then the words that introduced it may be read
    from the section before the sentence."""
    named = {stem for m in REFERENCE.finditer(sentence) for stem in _stems(m.group(1))}
    return bool(named & set(measure.stems))


# A sentence opening with its own named subject: two capitalised words ("Rapid Reviews are required ...") or an
# acronym ("LCSPRs must ...").
NAMED_SUBJECT = re.compile(r"^\W*(?:[A-Z][a-z’'-]*\s+[A-Z][a-z’'-]+\b|[A-Z]{2,}s?\b)")


# Where a sentence's subject ends: its first verb of being, time or obligation ("Children on Child in Need
# Plans will be seen ...").
SUBJECT_END = re.compile(r"\b(?:is|are|was|were|will|would|must|should|shall|can|may|have|has|had)\b")
SUBJECT_WORDS = 8  # a longer opening is a clause, not a subject
# A named term inside the subject: capitalised words, maybe joined by a small word ("Child in Need"), or an acronym.
NAMED_TERM = re.compile(r"\b[A-Z][a-z’'-]+\s+(?:(?:in|of|for|on|at)\s+)?[A-Z][a-z’'-]+|\b[A-Z]{2,}s?\b")


# "there were 49,900 children subject to Child Protection Plans": what is counted follows its number.
EXISTENTIAL = re.compile(
    r"\bthere\s+(?:are|were|was|is|have been|has been|had been)\s+(?:a total of\s+|about\s+|around\s+|over\s+)?£?\d",
    re.I,
)


def names_its_subject(sentence: str) -> bool:
    """Does the sentence say what it is about in its own first words? Then a measured word said only earlier
    in the passage names something else ("Rapid Reviews are required to be completed within 15 working days",
    after a sentence about LCSPRs, is no timescale for LCSPRs; "Children on Child in Need Plans will be seen
    every 3 weeks", after a sentence about child protection plans, is no visit rate for those)."""
    if NAMED_SUBJECT.match(sentence) or EXISTENTIAL.search(sentence):
        return True
    end = SUBJECT_END.search(sentence)
    subject = sentence[: end.start()] if end else ""
    one_phrase = len(subject.split()) <= SUBJECT_WORDS and not re.search(r"[,;:()]", subject)
    return one_phrase and bool(NAMED_TERM.search(subject))


# Where a question joins things it asks about ("boys and girls", "red, amber and green", "x vs y").
JOIN = re.compile(r"\s+(?:and|vs\.?|versus|or|&)\s+|\s*,\s*", re.I)


def joined_things(question: str) -> list[str]:
    """The pieces of a question that joins several things, each naming one ("to notify the national panel of
    a serious incident", "to send in the rapid review"); none for a question joining nothing."""
    pieces = [p for p in JOIN.split(question) if p.strip()]
    return pieces if len(pieces) > 1 else []
