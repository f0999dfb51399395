"""Grounded, extractive answers: the sentences that answer the question, each with its [n] citation.

No text is generated: every word of an answer's body is a sentence from a document, so every number
in it can be traced to its page. When nothing clears the calibrated threshold, or the question is
about a period or place the documents do not cover, the answer says so and shows the closest passages.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from index.chunk_ids import neighbour
from index.keyword import KeywordIndex
from index.lexicon import CONTENTS_TITLES, DURATION_UNITS
from index.periods import period_key, periods_in
from index.records import Answer, AnswerFigure, Citation, Figure, Filters, PageMap, Passage, Sentence
from index.search import Searcher
from index.tuning import (
    ABSTAIN_THRESHOLD,
    ADVICE_PASSAGES,
    DENSE_EXTRA,
    DOCUMENT_NAMED,
    DOCUMENTS_FOUND,
    FOLLOW_CHARS,
    ITEM_CHARS,
    ITEM_SENTENCES,
    KEYWORD_ONLY_THRESHOLD,
    LEAD_IN_CHARS,
    LEAD_IN_SENTENCES,
    LIST_LEAD_IN_CHARS,
    MARGIN,
    MAX_SENTENCES,
    MEASURE_CANDIDATES,
    MEASURED_RELIEF,
    NEIGHBOURS_OF,
    PART_PASSAGES,
    PASSAGES,
    SIDE_BY_SIDE_CHARS,
    SUBGROUP_PENALTY,
    SUBGROUP_QUALIFIERS,
    TOPIC_CHARS,
)
from ingest.figures import extract_figures
from ingest.sentences import one_paragraph

from .bodies import bodies_named, body_names, names_a_document, without_bodies
from .compare import comparison_figures
from .document_facts import facts_asked, field_labels, naming_words, states_fact
from .filler import is_filler
from .followup import contextualise, without_relative_time, without_source
from .forms import asked_form
from .headings import RunInHeadings, looks_like_heading
from .lists import list_items
from .meaning import WordMeanings
from .measure import (
    Coverage,
    Measure,
    amounts_in,
    changes_in,
    clause_names_none,
    counts_another_thing,
    coverage,
    extra_qualifiers,
    figure_clause,
    joined_things,
    names_its_subject,
    noun_phrase,
    read_conjunct,
    read_measure,
    reasons_unsaid,
    refers_back,
    row_qualifiers,
    topic_said_before,
    with_actions_said,
    with_people,
    with_synonyms,
    without_actors,
    without_other_thing,
)
from .parts import PartAnswer, joined, leans_on_first
from .places import places_in, uncovered_places, wider_area_instead, without_places
from .question import (
    BASELINE_PERIOD,
    COUNTED,
    DIRECTION,
    EARLIER_SAID,
    RATE_OR_SHARE,
    QuestionIntent,
    conjuncts,
    counted_words,
    parts_in_words,
    periods_for_year,
    question_parts,
    read_question,
    refuses_rate,
    resolve_relative,
)
from .sentences import (
    ADVICE_SECTION,
    DATE,
    Candidate,
    defining,
    gives_advice,
    is_change,
    is_framing,
    is_recommendation,
    keyword_coverage,
    question_terms,
    recommends,
    says_what,
    says_when,
    score_candidates,
    unit_matches,
    with_figures,
)
from .spelling import Speller, is_everyday_word
from .table_cells import cells_of_period

NOT_IN_DOCUMENTS = "Not in the documents: none of the documents in scope answers this question."
LATEST_IN_SCOPE = "the latest period in the documents in scope"
LATEST_GIVEN = "the latest period the documents give this for"
# A heading that asks what its section answers: "What needs to improve?1" (a footnote mark), and the headings
# guidance writes as the question its reader has ("What to do if there is a shared nude incident", "Who to
# contact if you are unsure whether to share information").
SECTION_QUESTION = re.compile(
    r"^(?:[\d.]+\s+)?(.*\?|(?i:what|how|who|when|where|why|whom) to\s[^.:;!?•➢]{0,100}?)[\d*†]*$"
)
COMPARED_WITH = re.compile(r"\b(compared?|comparison|against|versus|vs|than|higher or lower)\b", re.I)


class Answerer:
    def __init__(self, searcher: Searcher, threshold: float | None = None):
        self.searcher = searcher
        # A keyword-only searcher gets a keyword-only answerer: the baseline uses no embeddings anywhere.
        self.uses_meaning = searcher.mode != "bm25"
        default = ABSTAIN_THRESHOLD if self.uses_meaning else KEYWORD_ONLY_THRESHOLD
        self.threshold = default if threshold is None else threshold
        self._period_cache: tuple[int, dict[str, set[str]]] | None = None
        self._page_maps: dict[str, PageMap] = {}
        self._speller: tuple[tuple[int, frozenset[str]], Speller] | None = None
        self._spans: dict[tuple[str, str], tuple[int, int]] = {}
        self._items: dict[tuple[str, int], list[str]] = {}  # the list item a sentence goes on with, by sentence
        self._contexts: dict[tuple[str, int, str], str] = {}  # where a figure is stated, by sentence and section
        self._openings: dict[tuple[str, str], str] = {}  # the first sentence of a section, by section
        # Question words no document uses are read by meaning only where the model is used at all.
        self.meanings = (
            WordMeanings(lambda words: searcher.embedder.encode(words), self._documents_use)
            if self.uses_meaning
            else None
        )

    # -- scope -----------------------------------------------------------------------------
    def periods_by_doc(self) -> dict[str, set[str]]:
        """Every period a document reports figures for, plus its own period."""
        generation = self.searcher.registry.generation()
        if self._period_cache is None or self._period_cache[0] != generation:
            found = self.searcher.registry.figure_periods()
            for doc in self.searcher.documents.values():
                if doc.period:
                    found.setdefault(doc.doc_id, set()).add(doc.period)
            self._period_cache = (generation, found)
            self._page_maps = {}
            self._spans = {}
            self._items = {}
            self._contexts = {}
            self._openings = {}
        return self._period_cache[1]

    def scope(self, filters: Filters | None) -> list[str]:
        """The documents a question may be answered from."""
        allowed = self.searcher.allowed_docs(filters)
        return sorted(self.searcher.documents if allowed is None else allowed)

    def narrow_to_places(self, text: str, filters: Filters | None) -> Filters | None:
        """A question about Manchester is answered from the documents about Manchester, when there are some."""
        named = places_in(text)
        if not named:
            return filters
        about = {d for d in self.scope(filters) if named & places_in(subject_of(self.searcher.documents[d]))}
        if not about:
            return filters
        return dataclasses.replace(filters or Filters(), docs=frozenset(about))

    def narrow_to_named(
        self, asked: str, filters: Filters | None, *texts: str
    ) -> tuple[Filters | None, tuple[str, ...]]:
        """The scope narrowed to the places and issuing bodies the question names, and the texts (the search
        text, what a figure must measure) without those names once they have picked the documents."""
        narrowed = self.narrow_to_places(asked, filters)
        if len(self.scope(narrowed)) < len(self.scope(filters)):
            # The place picked the documents; within them it picks no passage ("Camden children" in a store
            # of Camden reports is another matter: there it says whose children).
            texts = tuple(without_places(text, places_in(asked)) for text in texts)
        narrowed, texts = self.narrow_to_bodies(narrowed, asked, *texts)
        return self.narrow_to_own_words(narrowed, asked, *texts)

    def narrow_to_own_words(
        self, filters: Filters | None, asked: str, *texts: str
    ) -> tuple[Filters | None, tuple[str, ...]]:
        """A question using a word that names some documents (in their title, issuing body or file name) and
        that no other document in scope uses at all ("montessori preschool - how often ...") is about those: an
        answer from another document, however close, is about someone else. Never an everyday word ("staff"),
        which a small collection may happen to use in one title only. Like a body's name, the name the word is
        part of ("little acorns nursery") then leaves the search words: it picked the documents, not a passage."""
        scope = self.scope(filters)
        subjects = {d: _words_of(subject_of(self.searcher.documents[d])) for d in scope}
        said = re.findall(r"[a-z0-9]+", asked.lower())
        named, names = None, set()
        for at, word in enumerate(said):
            if len(word) < 4 or not word[0].isalpha() or is_everyday_word(word):
                continue
            naming = {d for d in scope if word in subjects[d]}
            if not naming or len(naming) == len(scope):
                continue
            if self.searcher.mentions(word, [d for d in scope if d not in naming]):
                continue
            named = naming if named is None else named & naming
            names |= _name_around(said, at, set().union(*(subjects[d] for d in naming)))
        if not named:
            return filters, texts
        narrowed = dataclasses.replace(filters or Filters(), docs=frozenset(named))
        return narrowed, tuple(without_bodies(text, names) for text in texts)

    def narrow_to_bodies(
        self, filters: Filters | None, asked: str, *texts: str
    ) -> tuple[Filters | None, tuple[str, ...]]:
        """A question naming the body that issued some of the documents in scope ("per the adcs report") is
        answered from those, and the name leaves the search words: it picks the documents, not a passage."""
        scope = self.scope(filters)
        bodies = {d: self.searcher.documents[d].body for d in scope}
        named = bodies_named(asked, bodies)
        if not named or len(named) == len(scope):
            return filters, texts
        names = {n for d in named for n in body_names(bodies[d])} & set(re.findall(r"[a-z0-9]+", asked.lower()))
        others = [d for d in scope if d not in named]
        spoken_of = [n for n in names if not names_a_document(asked, n) and self.searcher.mentions(n, others)]
        if spoken_of:
            return filters, texts  # a body other documents speak of too ("tell Ofsted") is a topic, not the issuer
        narrowed = dataclasses.replace(filters or Filters(), docs=frozenset(named))
        return narrowed, tuple(without_bodies(text, names) for text in texts)

    def scope_subjects(self, filters: Filters | None) -> list[str]:
        """What each document in scope is about (title, issuing body, file name), to match places against."""
        return [subject_of(self.searcher.documents[d]) for d in self.scope(filters)]

    def _target_period(self, intent: QuestionIntent, docs: list[str]) -> tuple[str | None, str | None, str]:
        """(period to prefer, period the answer must name, reason to abstain or '')."""
        by_doc = self.periods_by_doc()
        covered = sorted({p for d in docs for p in by_doc.get(d, set())})
        doc_periods = [self.searcher.documents[d].period for d in docs if self.searcher.documents[d].period]
        if intent.periods:
            hits = [p for p in intent.periods if p in covered]
            if not hits:
                have = ", ".join(covered) or "no dated period"
                return (
                    None,
                    None,
                    f"The documents in scope have no figures for {', '.join(intent.periods)} (they cover {have}).",
                )
            return hits[0], None, ""
        if intent.years:
            if intent.dated_period in covered:
                return intent.dated_period, None, ""
            # A calendar year ("the 2025 inspection") may name a reporting year or just a date in the text.
            hits = [p for y in intent.years for p in sorted(periods_for_year(y)) if p in covered]
            if hits:
                return hits[0], None, ""
            if not any(self.searcher.mentions(str(y), docs) for y in intent.years):  # only what the viewer sees
                shown = ", ".join(str(y) for y in intent.years)
                return None, None, f"The documents in scope say nothing about {shown}."
            return None, None, ""
        if intent.relative and (covered or doc_periods):  # undated documents (a protocol) have no "last year"
            resolved = resolve_relative(intent.relative, doc_periods, covered)
            if resolved is None:
                return None, None, "The documents in scope do not cover the period asked about."
            return resolved, resolved, ""
        return None, None, ""

    # -- answering -------------------------------------------------------------------------
    def answer(self, question: str, filters: Filters | None = None, previous: str | None = None) -> Answer:
        started = time.perf_counter()
        question = " ".join((question or "").split())
        if not question or not re.search(r"\w", question):
            return Answer(question, "Please ask a question in words.", True, "empty question")
        self.searcher.refresh()
        reading = self.speller(self.scope(filters)).read(question)
        answer = None
        if previous is None:
            answer = self._answer_by_part(question, reading.text, filters, started)
        if answer is None:
            answer = self._answer(question, reading.text, filters, previous, started)
        if reading.corrected:
            answer.read_as = reading.text
            if not answer.abstained:
                answer.text = f"Read as: “{reading.text}”. {answer.text}"
        return answer

    def _answer_by_part(self, question: str, read: str, filters: Filters | None, started: float) -> Answer | None:
        """A question asking several things in words ("who chairs it and who is the local link?"): answered
        whole, and each part the answer's sentences do not speak to is answered on its own (parts.joined);
        when the whole finds nothing, every part is. None for a question asking one thing or a number (the
        figure path answers its parts)."""
        asked = parts_in_words(read)
        if len(asked) < 2 or read_question(read).wants_number:
            return None
        whole = self._answer(question, read, filters, None, started)
        unsaid = asked if whole.abstained else [part for part in asked if not self._speaks_to(whole, part)]
        if not unsaid:
            return whole
        answers = [PartAnswer(part, self._answer_part(part, asked, filters, started)) for part in unsaid]
        if whole.abstained:
            return whole if all(each.answer.abstained for each in answers) else joined(question, answers)
        return joined(question, [PartAnswer(read, whole), *answers])

    def _answer_part(self, part: str, asked: list[str], filters: Filters | None, started: float) -> Answer:
        """A part alone; one that refers back ("and why?", "when was it published") with the first as subject."""
        if part != asked[0] and leans_on_first(part):
            return self._answer(part, f"and {part}", filters, asked[0], started)
        return self._answer(part, part, filters, None, started)

    def _speaks_to(self, answer: Answer, part: str) -> bool:
        """Do the answer's cited sentences (with their headings) say what the part asks about: all its words
        but one at most, which may be written another way ("crc" for "LCRC")?"""
        said = "\n".join(f"{c.passage.section}\n{c.sentence}" for c in answer.citations)
        measure = read_measure(part)
        if not measure.stems:
            return True
        found = coverage(measure, said, self.searcher.vocabulary, part)
        return bool(found.covered) and len(found.missing) <= 1

    def _documents_use(self, word: str) -> bool:
        return any(self.searcher.keyword.doc_freq(stem) > 0 for stem in KeywordIndex.tokens_of(word))

    def speller(self, docs: list[str]) -> Speller:
        """The speller over the vocabulary of these documents (the ones in the viewer's scope), rebuilt when
        the store or the scope changes."""
        key = (self.searcher.registry.generation(), frozenset(docs))
        if self._speller is None or self._speller[0] != key:
            self._speller = (key, Speller(self.searcher.words_of(docs), self.searcher.vocabulary.words()))
        return self._speller[1]

    def _answer(self, question: str, read: str, filters: Filters | None, previous: str | None, started: float):
        search_text, intent = contextualise(read, previous)
        # What a figure must measure: the question without the words naming the document it is asked of.
        asked = without_source(without_relative_time(search_text), names=False)
        search_text = without_source(without_relative_time(search_text))
        docs = self.scope(filters)
        if not docs:
            return Answer(question, NOT_IN_DOCUMENTS, True, "no documents in scope")
        subjects = self.scope_subjects(filters)
        place_text = read if previous is None else search_text
        filters, (search_text, asked) = self.narrow_to_named(place_text, filters, search_text, asked)
        query_vector = self.searcher.embed_query(search_text) if self.uses_meaning else None
        passages = self._retrieve(search_text, filters, query_vector)
        if intent.wants_number and intent.multi_part:
            passages = self._with_part_passages(passages, search_text, filters)
        if intent.wants_advice:
            passages = passages + self._advice_passages(passages, search_text)
        facts = facts_asked(read)
        if facts:
            passages = passages + self._cover_passages(passages, facts)
        missing_places = uncovered_places(place_text, subjects)
        if missing_places:
            reason = f"The documents in scope are not about {', '.join(sorted(missing_places))}."
            return self._abstain(question, reason, passages, started)
        # "last year" of a question about Camden is the latest period of the documents about Camden.
        prefer, named, reason = self._target_period(intent, self.scope(filters))
        latest = LATEST_IN_SCOPE
        if reason:
            return self._abstain(question, reason, passages, started)
        if not passages:
            return self._abstain(question, "No passage matches the question.", passages, started)
        candidates = self.candidates(passages) + self._section_questions(passages)
        # A contents page lists headings and page numbers: never an answer ("Contacting Social Care 57").
        candidates = [c for c in candidates if c.passage.section.strip().lower() not in CONTENTS_TITLES]
        # A sentence about the document is no answer, unless it holds the date asked for ("This letter
        # summarises the findings of the visit on 15 and 16 April 2025" answers "when was the visit?").
        candidates = [
            c
            for c in candidates
            if not is_filler(c.text, c.passage.title) or (intent.wants_date and DATE.search(c.text))
        ]
        expansions = self.searcher.vocabulary.expansions(search_text)
        keyword = self.searcher.keyword
        spellings = self.searcher.vocabulary.spellings(search_text)
        score_candidates(
            candidates, intent, query_vector, keyword, search_text, expansions, prefer, self.threshold, spellings
        )
        ranked = sorted(candidates, key=lambda c: -c.score)
        every_sentence = ranked
        if intent.wants_number and self._compared_in_words(ranked, intent):
            intent = dataclasses.replace(intent, wants_number=False, comparison=False)
        measured = Measured(ranked)
        if intent.wants_number and intent.unit is None:
            # "Going up or down?" asks for a direction: a figure that measures it answers, and when none
            # does, a sentence saying which way it went ("a further decline") still can.
            with_figures = [c for c in ranked if c.figures]
            by_figure = self._measuring(with_figures, intent, asked) if with_figures else None
            in_words = [c for c in ranked if DIRECTION.search(c.text)]
            if in_words and (by_figure is None or by_figure.reason):
                intent = dataclasses.replace(intent, wants_number=False, comparison=False)
                ranked = in_words
        by_figure_reason = None  # why no figure of how often answers, when one is asked
        if intent.unit == "frequency" and intent.wants_number:
            by_figure_reason = self._frequency_by_figure(ranked, intent, asked)
        if by_figure_reason is not None:
            # "How often?" is answered in words as often as by a number ("at least half termly", "fortnightly"):
            # with no figure that answers, a sentence stating how often in words can (forms.FORMS). One stating
            # it by a figure was judged as a figure: it measures something else ("Children on Child in Need
            # Plans will be seen every 3 weeks" for visits to children on child protection plans).
            ranked = [c for c in ranked if not any(unit_matches(f, "frequency") for f in c.figures)]
            intent = dataclasses.replace(intent, wants_number=False)
        if not intent.wants_number:
            ranked = self._answered_questions(ranked)
            for stated, missing in _values_asked(intent):
                ranked = [c for c in ranked if stated(c.text)]
                if not ranked:
                    missing = by_figure_reason or missing  # what the documents give instead, if they do
                    return self._abstain(question, missing, passages, started)
            if facts:
                # "Who wrote the report?": its "Author: ..." field, before sentences that mention the report.
                ranked = sorted(ranked, key=lambda c: not states_fact(c.text, facts))
            if intent.asks_earlier:
                # "When was it inspected before the visit?": a sentence dating an earlier one ("since the
                # previous full inspection in October 2022"), before one dating the visit itself.
                ranked = sorted(ranked, key=lambda c: not EARLIER_SAID.search(c.text))
            if intent.defines or intent.wants_advice:
                # "What is Embrace?", "Who are the partners?", "What did Ofsted recommend about PEPs?": a
                # sentence that says what or who, or what should be done, when one is sure enough to answer,
                # comes before sentences that only mention the term.
                sure = self.threshold - MEASURED_RELIEF  # what a sentence saying what the term is needs (below)
                saying = {id(c) for c in ranked if c.confidence >= sure and _says_what_is_asked(c, intent)}
                # Of those, one listed among a report's recommendations says what was recommended; another may
                # only use the word ("adopters ... would recommend it").
                listed = {id(c) for c in ranked if id(c) in saying and intent.asks_recommended and recommends(c)}
                ranked = sorted(ranked, key=lambda c: (id(c) not in saying, id(c) not in listed))
        else:
            # A number question is answered by a sentence holding a number of a unit that can answer it.
            ranked = _answering(ranked, intent, search_text)
            if not ranked:
                reason = "No figure of the kind asked for is in the documents."
                return self._abstain(question, reason, passages, started)
            if intent.span_start:
                ranked = _over_asked_span(ranked, intent)
                if not ranked:
                    reason = f"The documents give no change over the span asked (from {intent.span_start})."
                    return self._abstain(question, reason, passages, started)
            if prefer and (intent.periods or intent.relative) and not _compares_periods(intent):
                # Never answer a question about one period with another period's figure (a comparison
                # of periods needs the other period too; its completion below brings it).
                in_period = [c for c in ranked if any(f.period == prefer for f in c.figures)]
                if not in_period and intent.relative == "latest" and not intent.periods:
                    # "last year" asks for the latest figure: an inspection dated 2017/18 gives its figures
                    # for 2016/17 ("last year"). The answer names the period it gives.
                    in_period = [c for c in ranked if any(_not_after(f.period, prefer) for f in c.figures)]
                    prefer, latest = None, LATEST_GIVEN
                ranked = in_period
                if not ranked:
                    reason = f"The documents in scope give no figure for this in {prefer}."
                    return self._abstain(question, reason, passages, started)
            measured = self._measuring(ranked, intent, asked)
            if measured.reason:
                return self._abstain(question, measured.reason, passages, started)
            ranked = measured.ranked
        best = ranked[0]
        # A figure that says what the question measures, a sentence that says what the asked term means
        # ("SMART (specific, measurable, ...)") or a recommendation listed as one, for a question asking what was
        # recommended, needs less retrieval evidence than a sentence chosen by similarity alone: the near misses
        # are already ruled out. Sentences saying what each of two asked terms is ("Unsubstantiated: ...",
        # "Unfounded: ...") answer how they differ, however the asker put it.
        per_part = measured.per_part if intent.wants_number else _each_defined(ranked, intent)
        defined = bool(intent.defines) and _says_what_is_asked(best, intent)
        listed = intent.wants_advice and is_recommendation(best)
        stated = bool(facts) and states_fact(best.text, facts)
        earlier = intent.asks_earlier and bool(EARLIER_SAID.search(best.text))
        relieved = measured.checked or defined or listed or stated or earlier
        threshold = self.threshold - (MEASURED_RELIEF if relieved else 0.0)
        if intent.differs and per_part or stated and self._names_document(read, best.passage.doc_id):
            threshold = 0.0
        if best.confidence < threshold or (intent.wants_number and not best.figures):
            reason = "Nothing in the documents answers this closely enough."
            return self._abstain(question, reason, passages, started, best.confidence)
        chosen = self._choose(ranked, intent, per_part, every_sentence)
        if not intent.wants_number:
            chosen = self._with_lists(chosen)
        unanswered = measured.missing
        if intent.wants_number:
            beside = self._rest_said_beside(chosen, every_sentence, intent, asked)
            chosen = chosen + beside
            unanswered = [part for part in unanswered if not self._said_beside(part, beside, intent)]
        in_words, missing = _parts_said_in_words(unanswered, every_sentence, chosen, self.searcher)
        if latest == LATEST_GIVEN:
            named = max((f.period for c in chosen for f in c.figures if f.period), key=period_key, default=None)
        answer = self._compose(question, chosen + in_words, intent, named, ranked, prefer, latest)
        if intent.wants_number and missing:
            answer.text += "".join(f" Not in the documents: {part}." for part in missing)
        answer.confidence = best.confidence
        answer.timings["total_ms"] = (time.perf_counter() - started) * 1000
        return answer

    def _measuring(self, ranked: list[Candidate], intent: QuestionIntent, text: str) -> Measured:
        """The candidates whose figures measure what the question asks (see measure.py), best first, with
        the best one for each part of a question that asks several things. When no figure measures any
        part, the reason says what the documents give instead, marked as not the answer."""
        parts = [(part, read_measure(part)) for part in question_parts(text)]
        measured = self._measure_parts(ranked, intent, parts)
        # A part joining two measured things ("cin reviews and sw visits", "ehcp and exclusions") is also
        # asked as one part for each: when figures answer more of them so, each is answered with its own
        # (one figure said beside the other thing's name measures only its own), the rest said to be
        # missing. Each thing must be named where its figure is stated, word for word: the passage around a
        # figure of one often names the other ("CIN review meetings ... every 8 weeks. Children ... will be
        # seen every 3 weeks").
        finer = [pair for part in parts for pair in (_things(part[0]) or [part])]
        if len(finer) > len(parts):
            by_thing = self._measure_parts(ranked, intent, finer, in_passage=False)
            if by_thing.answered > measured.answered:
                return by_thing
        return measured

    def _measure_parts(
        self, ranked: list[Candidate], intent: QuestionIntent, parts: list[tuple[str, Measure]], in_passage: bool = True
    ) -> Measured:
        if intent.unit in ("days", "frequency"):
            parts = [(part, without_actors(m)) for part, m in parts]
        parts = [(part, m) for part, m in parts if m.stems]
        if not parts:
            return Measured(ranked)
        checked = ranked[: MEASURE_CANDIDATES * len(parts)]
        # What each part counts, for "how many" only (a part asking none counts nothing): a count must count it
        # (measure.counts_another_thing).
        asks_counts = intent.unit == "count" or intent.multi_part
        counts_asked = [_counted(part, self.searcher.vocabulary) for part, _ in parts] if asks_counts else []
        fits: dict[int, list[bool]] = {}
        nearest = None
        # Stems every part names: the topic of things asked side by side (topic_said_before).
        shared = set.intersection(*(set(m.stems) for _, m in parts)) if not in_passage and len(parts) > 1 else set()
        for c in checked:
            context = self._figure_context(c)
            named = subject_of(self.searcher.documents[c.passage.doc_id])
            before = ""
            own_subject = names_its_subject(c.text)
            if in_passage and not own_subject:
                item = next((text for text in self._item_gone_on_with(c) if _is_item(text)), "")
                before = _text_before(c, item)
            vocabulary, meanings = self.searcher.vocabulary, self.meanings
            asked = [m.naming(named, part, vocabulary) for part, m in parts]  # what each part asks of this document
            found = [
                coverage(n, context, vocabulary, part, before, meanings)
                for n, (part, _) in zip(asked, parts, strict=True)
            ]
            opening = self._section_opening(c) if in_passage and not own_subject else ""
            for i, (part, _) in enumerate(parts if opening else []):
                # One word left unsaid may be said by the sentence opening the section, which says what all of
                # it is about ("Suspension should not be an automatic response when an allegation is reported").
                unsaid = asked[i].only(list(found[i].missing))
                alone = found[i].covered and len(found[i].missing) == len(unsaid.stems) == 1
                if alone and coverage(unsaid, opening, vocabulary, part, meanings=meanings).complete:
                    found[i] = Coverage((*found[i].covered, *found[i].missing), ())
            if shared and not own_subject:
                passage = self._topic_before(c)
                found = [
                    topic_said_before(f, n, shared, passage, vocabulary, part, meanings)
                    for f, n, (part, _) in zip(found, asked, parts, strict=True)
                ]
            body = self._figure_body(c)
            for i, (part, _) in enumerate(parts):
                unsaid = found[i].complete and reasons_unsaid(asked[i], part, body, vocabulary)
                if unsaid:
                    found[i] = Coverage(found[i].covered, unsaid)
            for i, (part, m) in enumerate(parts):
                if in_passage and not found[i].complete and refers_back(c.text, m):
                    topic = f"{context}\n{self._topic_before(c)}"
                    by_topic = coverage(asked[i], topic, vocabulary, part, meanings=meanings)
                    found[i] = with_actions_said(by_topic, found[i], part)
            elsewhere = wider_area_instead(c.text, intent.text)
            if elsewhere:
                # "49,900 children ... in England" is no figure for the local place asked about.
                found = [
                    Coverage(f.covered, (*f.missing, f"{', '.join(sorted(intent.places))} (it is for {elsewhere})"))
                    for f in found
                ]
            counted = _changes_counted(c, intent)
            for i, (part, _) in enumerate(parts):
                changes = counted - changes_in(part)
                if found[i].complete and changes:
                    # It counts a change ("97 children ceased to be looked after") the question does not ask for.
                    found[i] = Coverage(found[i].covered, tuple(sorted(f"{w} (a change)" for w in changes)))
            for i, (thing, asked) in enumerate(counts_asked):
                other = _counts_another_thing(c, asked) if found[i].complete else ""
                if other:
                    # "4 were allegations concerning foster carers" counts allegations, not foster carers.
                    found[i] = Coverage(found[i].covered, (f"{thing} (it counts {other})",))
            fits[id(c)] = [f.complete for f in found]
            if nearest is None and not any(fits[id(c)]):
                nearest = (c, found[0])
        fitting = [c for c in checked if any(fits[id(c)])]
        # Of figures that fit, one that counts a sub-group of what was asked comes after one that does not.
        measures = [with_synonyms(m, part, self.searcher.vocabulary) for part, m in parts]
        added = {id(c): _added(c, measures, intent) for c in fitting}
        fitting.sort(key=lambda c: -_less_subgroups(c, added[id(c)]))
        # A table row fits through its caption ("Contacts and referrals ...") even when its label names another
        # row's measure ("Contacts"): when a row of the same table adds nothing to what was asked, it comes first.
        plain_tables = {_table_of(c) for c in fitting if _table_of(c) and not added[id(c)]}
        fitting.sort(key=lambda c: _table_of(c) in plain_tables and added[id(c)] > 0)
        if not fitting:
            c, found = nearest
            figure = next((f for f in c.figures if unit_matches(f, intent.unit)), c.figures[0])
            gives = f"{figure.as_written} ({figure.label})" if figure.label else figure.as_written
            return Measured(
                [],
                reason=(
                    f"The documents give {gives} in “{c.text}” ({c.passage.where()}), but that figure is not "
                    f"about {', '.join(found.missing)}: it is not the figure asked for."
                ),
            )
        if not _counts_first(fitting, intent):
            given = "a rate" if any(f.unit.startswith("rate") for c in fitting for f in c.figures) else "a percentage"
            return Measured([], reason=f"The documents give this only as {given}, not the number asked for.")
        per_part, missing = [], []
        for i, (part, _) in enumerate(parts):
            unit = _part_unit(part, intent)
            answering = [c for c in fitting if fits[id(c)][i] and any(unit_matches(f, unit) for f in c.figures)]
            if len(parts) > 1 and unit != intent.unit:
                # Sub-groups come after by what this part asks ("how many care leavers" of "... and what %").
                own = dataclasses.replace(intent, text=part, multi_part=False, unit=unit)
                answering.sort(key=lambda c: -_less_subgroups(c, _added(c, [measures[i]], own)))
            if len(parts) > 1 and COUNTED.search(part):
                # A "how many" part is answered by a count (or a rate), never by another part's percentage.
                answering = _counts_first(
                    answering, dataclasses.replace(intent, text=part, multi_part=False, unit=unit)
                )
            else:
                answering = _counts_first(answering, intent)
            if answering:
                per_part.append(answering[0])
            else:
                missing.append(part)
        distinct = list({id(c): c for c in per_part}.values())
        return Measured(_counts_first(fitting, intent), distinct, missing, checked=True, answered=len(per_part))

    def _figure_context(self, c: Candidate) -> str:
        """Where a figure is stated: its sentence, its section heading, and the sentences that lead into it
        ("Of the 103 referrals to the LADO:" before "• In 14 cases ..."). Read once per sentence: the measure
        check and the side-by-side answers weigh the same candidates."""
        key = (c.passage.doc_id, c.start, c.passage.section)
        if key not in self._contexts:
            self._contexts[key] = self._read_figure_context(c)
        return self._contexts[key]

    def _figure_body(self, c: Candidate) -> str:
        """Where a figure is stated, its section heading aside: its sentence and lead-in."""
        return self._figure_context(c).split("\n", 1)[-1]

    def _read_figure_context(self, c: Candidate) -> str:
        bullet = _is_item(c.text)
        # a long list's items all lean on its opening
        before = self._section_before(c, LIST_LEAD_IN_CHARS if bullet else LEAD_IN_CHARS)
        if bullet:
            # A list item leans on the sentence that opens the list, never on the items before it ("642 on a
            # child protection plan" does not say what "31 children lived in private fostering" counts).
            before = [s for s in before if not _is_item(s.text)]
        dependent = FOLLOW_ON.match(c.text) or bullet or (before and before[-1].text.endswith(":"))
        lead_in = " ".join(s.text for s in before[-LEAD_IN_SENTENCES:]) if dependent else ""
        if not dependent and not names_its_subject(c.text):
            lead_in = " ".join(self._item_gone_on_with(c))
        return f"{c.passage.section}\n{lead_in}\n{without_other_thing(c.text)}"

    def _item_gone_on_with(self, c: Candidate) -> list[str]:
        """The list item a sentence goes on with, after the line opening its list: "A decision about next steps
        must be made within 4 hours", two sentences after "➢ Red – potential child protection issues ..." under
        "Incoming contacts are 'RAG' rated by a manager:", times the decision on a red contact."""
        key = (c.passage.doc_id, c.start)
        if key not in self._items:
            opening, item = _item_before(c.start, self._section_before(c, LIST_LEAD_IN_CHARS))
            # Only a sentence in the item's own paragraph goes on with it, not one after the list.
            same = bool(item) and one_paragraph(self.searcher.registry.text_between(key[0], item[0].start, c.end))
            self._items[key] = [s.text for s in opening + item] if same else []
        return self._items[key]

    def _section_opening(self, c: Candidate) -> str:
        """The first sentence of the candidate's section when its passage starts further on: what the section
        is about ("Suspension should not be an automatic response when an allegation is reported")."""
        key = (c.passage.doc_id, c.passage.section)
        section_start, section_end = self._section_span(*key)
        if c.passage.char_start <= section_start or any(f.row for f in c.figures):
            return ""  # (a table row is described by its caption: _text_before)
        if key not in self._openings:
            reach = min(section_end, section_start + TOPIC_CHARS)
            opening = self.searcher.registry.sentences_in(key[0], section_start, reach, light=True)
            # (a paragraph's number, "383.", or the heading may stand as a sentence of its own)
            self._openings[key] = next((s.text for s in opening if len(s.text.split()) > 3), "")
        return self._openings[key]

    def _topic_before(self, c: Candidate) -> str:
        """The section's text before a sentence: where "the workshop" or "the hospital" of a figure's
        sentence was introduced."""
        return " ".join(s.text for s in self._section_before(c, TOPIC_CHARS))

    def _section_before(self, c: Candidate, reach: int) -> list[Sentence]:
        """The sentences of the candidate's section before it, at most `reach` characters back, read for their
        words only."""
        section_start, _ = self._section_span(c.passage.doc_id, c.passage.section)
        start = max(section_start, c.start - reach)
        return self.searcher.registry.sentences_in(c.passage.doc_id, start, c.start, light=True)

    def _section_span(self, doc_id: str, section: str) -> tuple[int, int]:
        key = (doc_id, section)
        if key not in self._spans:
            self._spans[key] = self.searcher.registry.section_span(doc_id, section)
        return self._spans[key]

    def _retrieve(self, text: str, filters: Filters | None, vector) -> list[Passage]:
        """Hybrid passages, plus the closest few by meaning alone: a paraphrase that shares no words with
        the document ("children in care" for "looked after children") is still read."""
        passages = self.searcher.search(text, k=PASSAGES, filters=filters, query_vector=vector)
        if not passages or vector is None:
            return passages + self._neighbours(passages[:NEIGHBOURS_OF])
        have = {p.chunk_id for p in passages}
        floor = min(p.score for p in passages)
        for extra in self.searcher.search(text, k=DENSE_EXTRA, filters=filters, query_vector=vector, mode="dense"):
            if extra.chunk_id not in have:
                extra.score, extra.rank = floor, len(passages) + 1
                passages.append(extra)
        return passages + self._neighbours(passages[:NEIGHBOURS_OF])

    def _with_part_passages(self, passages: list[Passage], text: str, filters: Filters | None) -> list[Passage]:
        """Each part of a question that asks several things is searched on its own too (with the question's
        subject): the passage stating the second figure rarely matches the whole question best."""
        parts = question_parts(text)
        have = {p.chunk_id for p in passages}
        floor = min((p.score for p in passages), default=0.0)
        subject = " ".join(read_measure(parts[0]).words)
        for part in parts[1:]:
            query = f"{part} {subject}"
            vector = self.searcher.embed_query(query) if self.uses_meaning else None
            for extra in self.searcher.search(query, k=PART_PASSAGES, filters=filters, query_vector=vector):
                if extra.chunk_id not in have:
                    extra.score = floor
                    passages.append(extra)
                    have.add(extra.chunk_id)
        return passages

    def _advice_passages(self, passages: list[Passage], text: str) -> list[Passage]:
        """What was recommended, read from the sections listing recommendations of the documents found, best
        by the question's words: "Care leavers / 14. Improve Pathway Plans ..." under a report's "Areas for
        improvement" shares few words with "ofsted recs for leeds care leavers", and the passages describing
        the care leavers' service outrank it in search."""
        registry, keyword = self.searcher.registry, self.searcher.keyword
        terms = question_terms(keyword, text)
        have = {p.chunk_id for p in passages}
        wanted = [
            cid
            for doc in _documents_found(passages)
            for cid, section in registry.sections_of(doc)
            if cid not in have and ADVICE_SECTION.search(section)
        ]
        covered = [
            (keyword_coverage(keyword, terms, [], f"{chunk.section}\n{chunk.text}"), chunk.chunk_id)
            for chunk in registry.chunks(wanted)
        ]
        best = [cid for coverage, cid in sorted(covered, reverse=True)[:ADVICE_PASSAGES] if coverage > 0]
        return self._added_passages(passages, best)

    def _names_document(self, question: str, doc_id: str) -> bool:
        """Does the question, without the words asking a fact about a document, name this one (most of its
        words, by rarity, in the document's title, issuing body or file name)? Then a field of the document
        stating the fact answers, however little it shares with the question."""
        keyword = self.searcher.keyword
        naming = naming_words(question)
        # A place picks the documents about it (narrow_to_named); the rest must pick this one among them.
        named = read_measure(without_places(naming, places_in(naming)))
        terms = question_terms(keyword, named.describe())
        subject = subject_of(self.searcher.documents[doc_id])
        return keyword_coverage(keyword, terms, [], subject) >= DOCUMENT_NAMED

    def _cover_passages(self, passages: list[Passage], facts: tuple[str, ...]) -> list[Passage]:
        """The passages holding the fields that state these facts about the documents found (document_facts)."""
        have = {p.chunk_id for p in passages}
        openings = field_labels(facts)
        registry = self.searcher.registry
        wanted = [
            cid
            for doc in _documents_found(passages)
            for cid in registry.chunks_with_lines_starting(doc, openings)
            if cid not in have
        ]
        return self._added_passages(passages, wanted)

    def _added_passages(self, passages: list[Passage], chunk_ids: list[str]) -> list[Passage]:
        """Chunks read for what they are, not found by search: they rank with the weakest passage found."""
        floor = min((p.score for p in passages), default=0.0)
        return self.searcher.passages_for(chunk_ids, floor)

    def _neighbours(self, passages: list[Passage]) -> list[Passage]:
        """The chunks beside the best passages in the same section: an answer often sits one chunk away
        from the sentence that matched the question's words."""
        wanted = []
        have = {p.chunk_id for p in passages}
        for p in passages:
            for step in (-1, 1):
                beside = neighbour(p.chunk_id, step)
                if beside not in have:
                    wanted.append((beside, p))
                    have.add(beside)
        out = []
        for cid, origin in wanted:
            for passage in self.searcher.passages_for([cid], origin.score * 0.5):
                if passage.section == origin.section:
                    out.append(passage)
        return out

    def candidates(self, passages: list[Passage]) -> list[Candidate]:
        """Every stored sentence of the passages (once each, headings left out), with its figures read."""
        seen: set[tuple[str, int]] = set()
        out = []
        registry = self.searcher.registry
        # A table row keeps the figures its table gave it (row, column, period), not a re-reading as prose.
        cells: dict[tuple[str, str], list[Figure]] = {}
        for figure in registry.table_figures([p.chunk_id for p in passages]):
            cells.setdefault((figure.doc_id, figure.sentence), []).append(figure)
        for p in passages:
            doc = self.searcher.documents.get(p.doc_id)
            section_start, _ = self._section_span(p.doc_id, p.section)
            before = registry.sentences_in(
                p.doc_id, max(section_start, p.char_start - LIST_LEAD_IN_CHARS), p.char_start
            )
            headings = RunInHeadings()
            for sentence in before:
                headings.read(sentence)
            for sentence in registry.sentences_in(p.doc_id, p.char_start, p.char_end):
                heading = headings.read(sentence)
                if (p.doc_id, sentence.start) in seen or looks_like_heading(sentence.text):
                    continue
                seen.add((p.doc_id, sentence.start))
                candidate = _sentence_candidate(p, sentence, doc)
                candidate.figures = cells.get((p.doc_id, sentence.text), candidate.figures)
                candidate.heading = heading
                out.append(candidate)
        return out

    def _frequency_by_figure(self, ranked: list[Candidate], intent: QuestionIntent, text: str) -> str | None:
        """Does a figure of how often ("every 6 weeks", "3 times a year") measure what was asked (None), or why
        not? One about something else ("missing three times in 28 days" for how often meetings are held)
        leaves the words, and says what it measures should the words say nothing either."""
        answering = _answering(ranked, intent, text)
        if not answering:
            return ""
        return self._measuring(answering, intent, text).reason or None

    def _compared_in_words(self, ranked: list[Candidate], intent: QuestionIntent) -> bool:
        """ "How do vacancy rates compare with the national average?" may be answered in words ("now
        below the national average"): when no sentence with a figure answers it closely enough and one
        without does, the comparison is read as a question about what the documents say. Only a question
        that compares with something: one about a change ("did referrals drop?") wants the figures."""
        # A rate asked ("vacancy rates") is compared in words as often as a thing is.
        if not (intent.comparison and intent.unit in (None, "%", RATE_OR_SHARE) and ranked) or ranked[0].figures:
            return False
        if not COMPARED_WITH.search(intent.text):
            return False
        with_figure = next((c for c in ranked if c.figures), None)
        return ranked[0].confidence >= self.threshold and (
            with_figure is None or with_figure.confidence < self.threshold
        )

    def _answered_questions(self, ranked: list[Candidate]) -> list[Candidate]:
        """A document's own question ("What needs to improve?") is answered by what follows it: those
        sentences take its place and its score, since they rarely repeat the question's words."""
        by_place = {(c.passage.doc_id, c.start): c for c in ranked}
        for question in [c for c in ranked if SECTION_QUESTION.match(c.text)]:
            by_place.pop((question.passage.doc_id, question.start), None)  # a heading may share its place
            for order, follower in enumerate(self._following(question)):
                place = (follower.passage.doc_id, follower.start)
                follower = by_place.get(place, follower)
                if follower.score < question.score:
                    # In the document's order, just under the question's own score.
                    follower.score, follower.confidence = question.score - 1e-6 * order, question.confidence
                    follower.parts = {**question.parts, "answers_question": 1.0}
                by_place[place] = follower
        return sorted(by_place.values(), key=lambda c: -c.score)

    def _following(self, question: Candidate) -> list[Candidate]:
        doc_id = question.passage.doc_id
        doc = self.searcher.documents.get(doc_id)
        _, section_end = self.searcher.registry.section_span(doc_id, question.passage.section)
        sentences = self.searcher.registry.sentences_in(
            doc_id, question.end, min(question.end + FOLLOW_CHARS, section_end)
        )
        out = []
        for sentence in sentences:
            text = sentence.text
            if SECTION_QUESTION.match(text) or len(out) == MAX_SENTENCES or looks_like_heading(text):
                break  # the next question or heading starts another topic
            out.append(_sentence_candidate(question.passage, sentence, doc))
            if text.endswith(":"):
                break  # a line leading in to a list: the list (Answerer._with_lists) goes on from here
        return out

    def _section_questions(self, passages: list[Passage]) -> list[Candidate]:
        """A section headed by a question ("What needs to improve?") is the document asking it: the heading
        joins the candidates, placed at the section's start, so that its opening sentences can answer."""
        found: dict[tuple[str, str], tuple[str, Passage]] = {}
        for p in passages:
            title = SECTION_QUESTION.match(p.section or "")
            if title:
                found.setdefault((p.doc_id, p.section), (title.group(1), p))
        if not found:
            return []
        titles = [title for title, _ in found.values()]
        vectors = self.searcher.embedder.encode(titles) if self.uses_meaning else np.zeros((len(titles), 1))
        out = []
        for (title, passage), vector in zip(found.values(), vectors, strict=True):
            start, _ = self.searcher.registry.section_span(passage.doc_id, passage.section)
            out.append(Candidate(passage, start, start, passage.page, title, np.asarray(vector, dtype=np.float32)))
        return out

    def _choose(
        self, ranked: list[Candidate], intent: QuestionIntent, per_part: list[Candidate], every: list[Candidate]
    ) -> list[Candidate]:
        # A figure is answered by the sentence that states it; a question asking several things by the
        # sentence that states each. A figure's sentence is followed by one giving the same measure for another
        # period, looked for among every candidate (`every`): "This is a reduction from 983 at the end of March
        # 2013" measures nothing by itself.
        if len(per_part) > 1:
            chosen = per_part[:MAX_SENTENCES]
            if intent.comparison:
                chosen = _complete_comparison(chosen, ranked)
            return _with_follow_on(chosen, ranked)
        limit = (2 if intent.multi_part else 1) if intent.wants_number else MAX_SENTENCES
        best = ranked[0]
        if intent.defines and not intent.asks_who and says_what(best.text, intent.defines):
            limit = 1  # "A young carer is a person under 18 who ...": the definition is the answer
        if intent.wants_date and says_when(best.text):
            limit = 1  # "... published in July 2018": the sentence saying when is the answer
        chosen = [best]
        for c in ranked[1:]:
            if len(chosen) >= limit:
                break
            if c.score < best.score - MARGIN and not self._answers_another_part(best, c, intent):
                continue  # (ranked puts what the question prefers first, so a lower score can come first)
            if intent.wants_advice and gives_advice(best) and not gives_advice(c):
                continue  # what was recommended, without sentences only about the topic
            if any(_overlap(c.text, x.text) > 0.6 for x in chosen):
                continue
            chosen.append(c)
        if intent.comparison:
            chosen = _complete_comparison(chosen, ranked)
        # A question asking one figure is answered by it; the sentence after it joins only to give the same
        # measure for another period ("This is a reduction from 200 at March 31 2017"), never another
        # measure ("This is in line with a 27% decrease in the rate of referrals").
        if intent.wants_number and not intent.multi_part:
            return _with_follow_on(chosen, every, another_period_only=True)
        return _with_follow_on(chosen, ranked)

    def _rest_said_beside(
        self, chosen: list[Candidate], every_sentence: list[Candidate], intent: QuestionIntent, asked: str
    ) -> list[Candidate]:
        """A question joining several things ("to notify the panel and to send in the rapid review", "boys and
        girls", "the core group and review conference") is often answered by figures stated side by side, one
        sentence or table row for each. A joined thing the chosen sentences (and the sentences leading into
        them) leave unsaid is answered by a sentence near them that says it itself, with a figure of the unit
        asked of it."""
        things = joined_things(asked)
        if not things:
            return []  # most questions join nothing: no context to read
        best, vocabulary = chosen[0], self.searcher.vocabulary
        title = subject_of(self.searcher.documents[best.passage.doc_id])
        units = _part_units(intent, asked)
        # What the chosen sentences and their lead-ins say, their headings aside: "How to notify a serious
        # incident, rapid review, and ..." heads the notification timescale and names the rapid review too.
        said = "\n".join([*(self._figure_body(c) for c in chosen), *self._lead_without_figures(best, intent, units)])
        stated = set(amounts_in(asked))
        added: list[Candidate] = []
        for thing in things:
            measure = read_measure(thing).outside(title)
            unit = _part_unit(thing, intent)
            given = any(_can_answer(f, unit, intent) for c in chosen for f in c.figures)
            by_chosen = coverage(measure, said, vocabulary, thing)
            unsaid = by_chosen.missing if given else measure.words
            if not unsaid:
                continue
            near = [
                c
                for c in every_sentence
                if c not in chosen
                and c not in added
                and c.passage.doc_id == best.passage.doc_id
                and abs(c.start - best.start) <= SIDE_BY_SIDE_CHARS
                # A number the question states ("finish within 26 weeks") is a condition, never an answer.
                and any(_can_answer(f, unit, intent) and f.value not in stated for f in c.figures)
            ]
            # One that says an unsaid word itself, and at least half the thing, as much as the chosen ones do.
            least = len(by_chosen.covered) if given else 0
            hit = next((c for c in near if self._says_more(c, thing, measure, unsaid, least)), None)
            if hit is not None:
                added.append(hit)
        return added

    def _says_more(self, c: Candidate, thing: str, measure: Measure, unsaid: tuple[str, ...], least: int) -> bool:
        if not coverage(measure.only(list(unsaid)), c.text, self.searcher.vocabulary, thing).covered:
            return False
        said = self._words_said(c, thing, measure)
        return 2 * said >= len(measure.words) and said >= least

    def _said_beside(self, part: str, beside: list[Candidate], intent: QuestionIntent) -> bool:
        """Is a part of the question answered by a sentence added beside the chosen ones: a figure of the unit
        the part asks, where at least half of what the part names is said?"""
        unit = _part_unit(part, intent)
        for c in beside:
            measure = read_measure(part).outside(subject_of(self.searcher.documents[c.passage.doc_id]))
            half = 2 * self._words_said(c, part, measure) >= len(measure.words)
            if half and any(_can_answer(f, unit, intent) for f in c.figures):
                return True
        return False

    def _words_said(self, c: Candidate, thing: str, measure: Measure) -> int:
        """How many of the thing's measured words are said where the candidate's figure is stated."""
        return len(coverage(measure, self._figure_context(c), self.searcher.vocabulary, thing).covered)

    def _lead_without_figures(self, c: Candidate, intent: QuestionIntent, units: set[str | None]) -> list[str]:
        """The sentences just before a chosen one that say what it is about ("If the police and social care
        disagree ..." before "... should be 12 hours"); one with a figure of its own is another answer."""
        return [
            s.text
            for s in self._section_before(c, SIDE_BY_SIDE_CHARS)[-LEAD_IN_SENTENCES:]
            if not any(_can_answer(f, u, intent) for f in extract_figures(s.text, None) for u in units)
        ]

    def _answers_another_part(self, best: Candidate, c: Candidate, intent: QuestionIntent) -> bool:
        """Two parts asking the same kind of figure ("how often does the sw visit, and how often are cin
        reviews") need two figures: when the best sentence holds only one, a sentence sure enough to answer on
        its own with another answers the other part, however far below the best it scores."""
        if not (intent.multi_part and intent.wants_number) or c.confidence < self.threshold:
            return False
        given = {f.value for f in best.figures}
        return len(given) < 2 and any(unit_matches(f, intent.unit) and f.value not in given for f in c.figures)

    def _with_lists(self, chosen: list[Candidate]) -> list[Candidate]:
        """A chosen sentence that leads in to a list brings the list; when the best one does, the list is the
        answer ("The main reasons ... include:" and its items), without the next-best sentences."""
        out: list[Candidate] = []
        for n, c in enumerate(chosen):
            if any(x.passage.doc_id == c.passage.doc_id and x.start == c.start for x in out):
                continue
            out.append(c)
            items = list_items(self.searcher.registry, c.passage.doc_id, c.text, c.end)
            if not items:
                continue
            doc = self.searcher.documents.get(c.passage.doc_id)
            out += [_sentence_candidate(c.passage, item, doc) for item in items]
            if n == 0:
                return out
        return out

    def _compose(self, question, chosen, intent, named_period, ranked, prefer, latest=LATEST_IN_SCOPE) -> Answer:
        """latest: how the named period was chosen when the question said "last year"."""
        citations, figures, parts = [], [], []
        one_period = None if intent.comparison else named_period or prefer
        for n, c in enumerate(chosen, start=1):
            page_label = self.page_label(c.passage.doc_id, c.start) if c.page is not None else None
            citations.append(Citation(n, c.passage, c.text, c.page, page_label))
            said, said_figures = c.text, c.figures
            cells = cells_of_period(c.text, c.figures, one_period) if one_period else None
            if cells:
                said, said_figures = cells
            parts.append(f"{said} [{n}]")
            for f in said_figures:
                figures.append(
                    AnswerFigure(f.as_written, f.value, f.unit, f.label, f.period, n, False, [n], c.passage.doc_id)
                )
        text = " ".join(parts)
        if intent.unit == "count" and COUNTED.search(intent.text) and not any(f.unit == "count" for f in figures):
            text = f"The documents give this as a rate, not a count: {text}"
        if intent.comparison:
            line, computed = comparison_figures(figures, intent.unit)
            if line:
                text += f" {line}"
                figures.extend(computed)
        if named_period:
            text = (
                f"For {named_period}, {latest}: {text}"
                if (intent.relative == "latest")
                else f"For {named_period}: {text}"
            )
        return Answer(question, text, False, "", citations, figures, [], period_used=named_period or prefer)

    def page_label(self, doc_id: str, offset: int) -> str | None:
        """The printed page label at a place in a document (None when the PDF defines none)."""
        if doc_id not in self._page_maps:
            self._page_maps[doc_id] = PageMap.of(self.searcher.registry.page_starts(doc_id))
        return self._page_maps[doc_id].at(offset)[1]

    def _abstain(self, question, reason, passages, started, confidence: float = 0.0) -> Answer:
        answer = Answer(question, NOT_IN_DOCUMENTS, True, reason, closest=passages[:3], confidence=confidence)
        answer.timings["total_ms"] = (time.perf_counter() - started) * 1000
        return answer


@dataclass
class Measured:
    """Number candidates after the measure check: those that fit, the best for each part of the question,
    the parts no figure measures, and the reason to abstain when nothing fits."""

    ranked: list[Candidate]
    per_part: list[Candidate] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    reason: str = ""
    checked: bool = False  # the figures were checked against what the question measures
    answered: int = 0  # parts a figure measures


def _parts_said_in_words(
    parts: list[str], ranked: list[Candidate], chosen: list[Candidate], searcher: Searcher
) -> tuple[list[Candidate], list[str]]:
    """A part that asks for no number ("... and where does Camden rank in London?") is answered by the best
    sentence that says everything it asks about ("Camden ranks 4th highest in London."), usually beside the
    figure of the other part; a part that asks for a number (how many, what %, how often, how long) stays
    missing unless a figure measured it."""
    said, missing = [], []
    for part in parts:
        measure = read_measure(part)
        hit = None
        if measure.stems and read_question(part).unit is None:
            hit = next((c for c in ranked if c not in chosen and _says_part(c, measure, part, searcher)), None)
        if hit is None:
            missing.append(part)
        else:
            said.append(hit)
    return said, missing


def _says_part(c: Candidate, measure, part: str, searcher: Searcher) -> bool:
    named = measure.naming(subject_of(searcher.documents[c.passage.doc_id]), part, searcher.vocabulary)
    return bool(named.stems) and coverage(named, c.text, searcher.vocabulary, part).complete


def _things(part: str) -> list[tuple[str, Measure]]:
    """The two things a part joins, each as a part of its own with its measure, when each is measured on its
    own: in "child and family assessments" the first names nothing a figure could count, and the two words
    are one thing."""
    joined = conjuncts(part)
    if not all(read_measure(c.thing).stems for c in joined):
        return []
    return [(c.text, read_conjunct(c.text, c.thing)) for c in joined]


def _says_what_is_asked(c: Candidate, intent: QuestionIntent) -> bool:
    """Does the sentence say what the asked term is, or, for "who is the dsl?", who holds the role ("Our
    Principal is the designated safeguarding officer": scored as the form asked), or what should be done?"""
    if not intent.defines:
        return gives_advice(c)
    return says_what(c.text, intent.defines) or (intent.asks_who and c.parts.get("unit") == 1.0)


def _each_defined(ranked: list[Candidate], intent: QuestionIntent) -> list[Candidate]:
    """For "what's the difference between A and B": a sentence saying what A is and one saying what B is,
    when the documents say both (one alone is answered as any other question)."""
    each = [defining(ranked, term) for term in intent.differs]
    return [c for c in each if c is not None] if all(each) else []


def _can_answer(figure: Figure, unit: str | None, intent: QuestionIntent) -> bool:
    """A figure of a unit that can answer; a percentage change ("fell by 2%") answers only a question about
    change ("how much did it go up?"), never "what % of children in care are under 1"; a number framing
    the span or condition of what is stated ("in the past two years", "after three episodes") never."""
    if is_framing(figure) or not unit_matches(figure, unit):
        return False
    return not (unit in ("%", RATE_OR_SHARE) and not intent.comparison and is_change(figure))


def _part_unit(part: str, intent: QuestionIntent) -> str | None:
    """The unit a part of the question asks for ("cin referrals per 10k and % that became cin": a rate, then a
    percentage); a part that names none asks for the question's."""
    return read_question(part).unit or intent.unit


def _values_asked(intent: QuestionIntent) -> list[tuple[Callable[[str], bool], str]]:
    """What a sentence must state to answer a question asking a kind of value (a time of day, a phone number:
    forms.FORMS; "when did ...?": a date), each with the reason to abstain when no passage states it."""
    asked = []
    form = asked_form(intent.text)
    if form is not None:
        asked.append((form.stated_in, f"No passage gives the {form.name} asked for."))
    if intent.wants_date:
        asked.append((says_when, "No passage says when."))
    return asked


def _answering(ranked: list[Candidate], intent: QuestionIntent, text: str) -> list[Candidate]:
    """The sentences holding a number of a unit that can answer the question (or one of its parts)."""
    units = _part_units(intent, text)
    return [c for c in ranked if any(_can_answer(f, u, intent) for f in c.figures for u in units)]


def _part_units(intent: QuestionIntent, text: str) -> set[str | None]:
    return {_part_unit(part, intent) for part in question_parts(text)}


def _over_asked_span(ranked: list[Candidate], intent: QuestionIntent) -> list[Candidate]:
    """For a change asked from a period ("since 2014-15", "between 2022-23 and 2023-24"): never a change over
    another span ("rose 140% between 2014-15 and 2023-24" for "between 2022-23 and ..."), and a sentence
    naming the period asked from before one that does not ("went up by 40% year on year")."""
    periods = set(intent.periods)
    asked_end = max(periods, key=period_key) if len(periods) > 1 else None
    kept, naming = [], []
    for c in ranked:
        named = sorted({p for _, _, p in periods_in(c.text)}, key=period_key)
        if len(named) >= 2 and (named[0] != intent.span_start or (asked_end and named[-1] != asked_end)):
            continue
        kept.append(c)
        if intent.span_start in named:
            naming.append(c)
    return naming or kept


def _compares_periods(intent: QuestionIntent) -> bool:
    """A comparison across periods ("2017/18 vs 2018/19", "up on last year", "compared with 2017/18"); a change
    within one named period ("how many changes of postholder in 2023-24", "the rise in 2023-24") is about it."""
    if not intent.comparison:
        return False
    return len(set(intent.periods)) != 1 or intent.relative is not None or bool(BASELINE_PERIOD.search(intent.text))


# A line opening with a mark rather than a word: a list item ("• In 14 cases ...", "➢ Red – ...").
LIST_MARK = re.compile(r"^\W")


def _is_item(text: str) -> bool:
    return bool(LIST_MARK.match(text))


def _item_before(start: int, before: list[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """Of the sentences before the one at start, the list item it may go on with (opened by a marker a few
    sentences and characters before it), and the line opening its list (when one ends in a colon)."""
    recent = before[-ITEM_SENTENCES:]
    opened = [i for i, s in enumerate(recent) if _is_item(s.text) and start - s.start <= ITEM_CHARS]
    if not opened:
        return [], []
    item = recent[opened[-1] :]
    earlier = before[: len(before) - len(item)]
    opening = next((s for s in reversed(earlier) if s.text.endswith(":") and not _is_item(s.text)), None)
    return ([opening] if opening else []), item


def _text_before(c: Candidate, item: str = "") -> str:
    """The passage up to the figure's sentence: a measured word said before a figure (a programme named a
    few sentences earlier) may describe it, one said after it describes the next figure ("... 484 records.
    Of these, 94% were categorised Red" does not make 484 a count of Red records), and one said in an
    earlier item of the same list, or an earlier row of the same table, describes that item or row. A
    sentence going on with a list item (its opening given) is of that item."""
    at = c.passage.text.find(c.text)
    if at < 0:
        at = max(0, c.start - c.passage.char_start)
    before = c.passage.text[:at]
    marker = LIST_MARK.match(item or c.text)
    if marker and not marker.group(0).isspace():
        # A list item is described by what opens the list, not by the items before it.
        before = before.split(marker.group(0), 1)[0]
    caption = next((f.caption for f in c.figures if f.row and f.caption), "")
    if caption:
        # A table row is described by its caption, never by the rows above it (another row, another measure).
        before = before.split(caption, 1)[0]
    return before


def _changes_counted(c: Candidate, intent: QuestionIntent) -> set[str]:
    """The changes (starting, ending, entering) the candidate's main figure counts: said in its table row and
    caption, or in the clause of its sentence."""
    figure = next((f for f in c.figures if unit_matches(f, intent.unit)), c.figures[0])
    if figure.unit in DURATION_UNITS:
        return set()  # a time taken is measured between changes ("from entering care to adoption")
    if figure.row:
        return changes_in(f"{figure.caption} {figure.row}")
    return changes_in(figure_clause(c.text, figure.as_written))


def _counted(part: str, vocabulary) -> tuple[str, Measure]:
    """What a part of a question counts: the noun phrase after "how many" ("people trained in the tool" counts
    people) and its measure with the field's synonyms (no words when it counts nothing)."""
    counted = " ".join(noun_phrase(counted_words(part)))
    if not counted:
        return counted, Measure((), ())
    return counted, with_people(with_synonyms(read_measure(counted), counted, vocabulary), counted, vocabulary)


def _counts_another_thing(c: Candidate, asked: Measure) -> str:
    """What the sentence's counts count instead of what a "how many" part asks for (see
    measure.counts_another_thing); "" when it has no count in running text (table rows carry their own)."""
    counts = [f for f in c.figures if f.unit == "count" and not f.row]
    if not counts or not asked.stems:
        return ""
    return counts_another_thing(c.text, [f.as_written for f in counts], asked)


def _table_of(c: Candidate) -> tuple[str, str] | None:
    """The document and caption of the table a candidate row belongs to; None for running text."""
    row = next((f for f in c.figures if f.row), None)
    return (c.passage.doc_id, row.caption) if row else None


def _added(c: Candidate, measures: list, intent: QuestionIntent) -> int:
    """The qualifiers the sentence's main figure (its first of the unit asked for) adds to what a part of the
    question asks (the fewest over the parts)."""
    figure = next((f for f in c.figures if unit_matches(f, intent.unit)), c.figures[0])
    if figure.row:
        return min(row_qualifiers(figure.row, m) for m in measures)
    if intent.unit == "days" and figure.unit in DURATION_UNITS:
        return 0  # a time asked for counts nothing: the words after "24 hours" say what happens then
    if clause_names_none(c.text, figure.as_written, measures):
        # Its sentence names what was asked, its own clause does not ("the budget ... derived from the council,
        # which contributed £130,826"): it measures something beside it, weighed as a sub-group is.
        return SUBGROUP_QUALIFIERS
    return min(extra_qualifiers(c.text, figure.as_written, m) for m in measures)


def _less_subgroups(c: Candidate, added: int) -> float:
    """The candidate's score less what counting a sub-group of the thing asked costs (see _added)."""
    return c.score - SUBGROUP_PENALTY * min(added, SUBGROUP_QUALIFIERS)


def _counts_first(ranked: list[Candidate], intent: QuestionIntent) -> list[Candidate]:
    """ "How many" is answered by a count when one measures it; a rate or a percentage only when none does."""
    if intent.unit != "count" or intent.multi_part:
        return ranked
    counts = [c for c in ranked if any(f.unit == "count" for f in c.figures)]
    if counts or refuses_rate(intent.text):
        return counts
    if not COUNTED.search(intent.text):
        return ranked
    # "How many": a percentage never answers it; a rate does, said to be one (see _compose).
    return [c for c in ranked if any(f.unit.startswith("rate") for f in c.figures)]


def _name_around(words: list[str], at: int, subject: set[str]) -> set[str]:
    """The name a word of the question is part of: the run of words around it that the document's subject
    says too ("little acorns nursery" around "acorns")."""
    start, end = at, at + 1
    while start > 0 and words[start - 1] in subject:
        start -= 1
    while end < len(words) and words[end] in subject:
        end += 1
    return set(words[start:end])


@lru_cache(maxsize=4096)
def _words_of(subject: str) -> frozenset[str]:
    """The words of a document's subject, read once per subject rather than for every question."""
    return frozenset(re.findall(r"[a-z0-9]+", subject.lower()))


def subject_of(doc) -> str:
    """What a document is about, for matching places: its title, issuing body and file name."""
    return " ".join([doc.title or "", doc.body or "", doc.source.replace("-", " ").replace("_", " ").title()])


def _documents_found(passages: list[Passage]) -> list[str]:
    """The documents of the best passages, best first: those whose other parts are read for a question."""
    return list(dict.fromkeys(p.doc_id for p in passages))[:DOCUMENTS_FOUND]


def _sentence_candidate(passage: Passage, sentence: Sentence, doc) -> Candidate:
    """A candidate from a stored sentence, with its figures read."""
    vector = np.frombuffer(sentence.vector, dtype=np.float32)
    candidate = Candidate(passage, sentence.start, sentence.end, sentence.page, sentence.text, vector)
    return with_figures(candidate, doc.period if doc else None)


# "This is ...", "Of these, ...", "6 of these breaches ...", "In Lambeth, this officer is ...": the sentence
# leans on the one before it.
FOLLOW_ON = re.compile(
    r"^(?:(?:in|at|for|across|within)\s+[\w’' -]{1,40},\s+)?"
    r"(?:£?\d[\d,.]*%?\s+(?:\w+\s+)?)?(?:of\s+)?(?:this|these|those|which|it|they|them|whilst|however)\b"
    # "In such circumstances, a Partnership Support outcome will be recorded"
    r"|^\W*(?:in|under)\s+(?:such|these|those|this)\s+(?:circumstances|cases|situations|instances)\b",
    re.I,
)


# A sentence opening with when it speaks of ("By September 2017, contributions had further increased to 90%"):
# it goes on with a figure before it when it gives the same measure for another period.
TIME_FIRST = re.compile(r"^\W*(?:by|in|at|since|from|during)\s+[\w ]{0,20}?(?:19|20)\d{2}\b[^,.]{0,20},", re.I)


def _with_follow_on(
    chosen: list[Candidate], ranked: list[Candidate], another_period_only: bool = False
) -> list[Candidate]:
    """Add the next sentence when it continues the chosen one ("6 of these took place ...")."""
    out = list(chosen)
    for c in chosen:
        following = [
            x for x in ranked if x.passage.doc_id == c.passage.doc_id and c.end <= x.start <= c.end + 3 and x not in out
        ]
        goes_on = following and (
            FOLLOW_ON.match(following[0].text) or (another_period_only and TIME_FIRST.match(following[0].text))
        )
        if not goes_on or len(out) >= MAX_SENTENCES + 1:
            continue
        if another_period_only and not _another_period(c, following[0]):
            continue
        out.insert(out.index(c) + 1, following[0])
    return out


def _another_period(c: Candidate, following: Candidate) -> bool:
    """Does the following sentence give a figure of the same unit for a period the chosen one does not?"""
    units, periods = {f.unit for f in c.figures}, {f.period for f in c.figures}
    return any(f.unit in units and f.period not in periods for f in following.figures)


def _overlap(a: str, b: str) -> float:
    wa, wb = set(a.lower().split()), set(b.lower().split())
    return len(wa & wb) / max(1, min(len(wa), len(wb)))


def _complete_comparison(chosen: list[Candidate], ranked: list[Candidate]) -> list[Candidate]:
    """A comparison needs figures for two periods; add the sentence that brings the missing one.

    The sentence beside the first one comes first ("140 were referred ... This compares to 106 in
    2017/18"): reports state both sides of a comparison together; elsewhere the best-ranked one.
    """
    first = chosen[0]
    periods = {f.period for c in chosen for f in c.figures}
    if len(periods) >= 2:
        return chosen
    units = {f.unit for f in first.figures}

    def brings_other_period(c: Candidate) -> bool:
        new_period = bool({f.period for f in c.figures} - periods)
        return c not in chosen and new_period and any(f.unit in units for f in c.figures)

    beside = [c for c in ranked if c.passage.doc_id == first.passage.doc_id and _adjacent(first, c)]
    for c in beside + ranked[1:12]:
        if brings_other_period(c):
            return chosen[:1] + [c]
    return chosen


def _not_after(period: str | None, latest: str) -> bool:
    return period is not None and period_key(period) <= period_key(latest)


def _adjacent(a: Candidate, b: Candidate) -> bool:
    return 0 <= b.start - a.end <= 3 or 0 <= a.start - b.end <= 3
