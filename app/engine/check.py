"""Check a claim with a number against the documents: supported, contradicted or not found.

The claim's number, unit and period are read as figures are; the passages about the same thing are
retrieved, and the figures in their sentences that count the same quantity for the same period are
compared. A figure for another period never supports a claim ("199 in 2017/18" does not support
"199 at the end of 2018/19"), and a claim is only contradicted by a figure whose label shares the
claim's subject words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.lexicon import CLAIM_GENERIC
from index.records import Citation, Figure, Filters
from index.tuning import CHECK_CANDIDATES, SUPPORT_WINDOW
from ingest.figures import extract_figures

from .answer import Answerer
from .places import uncovered_places
from .question import read_question, resolve_relative
from .sentences import Candidate, score_candidates, unit_matches

APPROXIMATE = re.compile(
    r"\b(about|around|approximately|roughly|nearly|almost|over|more than|some|circa|c\.)\s*$", re.I
)


@dataclass
class CheckResult:
    claim: str
    verdict: str  # supported | contradicted | not_found
    document_value: str | None = None
    citation: Citation | None = None
    reason: str = ""

    def to_json(self) -> dict:
        return {
            "claim": self.claim,
            "verdict": self.verdict,
            "document_value": self.document_value,
            "citation": self.citation.to_json() if self.citation else None,
            "reason": self.reason,
        }


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2 and w not in CLAIM_GENERIC}


def _same_value(claimed: Figure, found: Figure, approximate: bool) -> bool:
    if approximate:
        return abs(found.value - claimed.value) <= 0.05 * max(abs(claimed.value), 1)
    return abs(found.value - claimed.value) < 1e-9


class Checker:
    def __init__(self, answerer: Answerer):
        self.answerer = answerer
        self.searcher = answerer.searcher

    def check(self, claim: str, filters: Filters | None = None) -> CheckResult:
        claim = " ".join((claim or "").split())
        figures = [f for f in extract_figures(claim, None)]
        if not figures:
            return CheckResult(claim, "not_found", reason="the claim has no number to check")
        claimed = figures[0]
        period = claimed.period or self._relative_period(claim, filters)
        approximate = bool(APPROXIMATE.search(claim[: claim.find(claimed.as_written)]))
        missing = uncovered_places(claim, self.answerer.scope_subjects(filters))
        if missing:
            return CheckResult(claim, "not_found", reason=f"the documents are not about {', '.join(sorted(missing))}")
        subject = _content_words(claim.replace(claimed.as_written, " "))
        filters = self.answerer.narrow_to_places(claim, filters)
        pairs = self._matching_figures(self._ranked(claim, filters, claimed), claimed, subject, period)
        if not pairs:
            return CheckResult(claim, "not_found", reason="no passage states this quantity for this period")
        for _, candidate, found in pairs[:SUPPORT_WINDOW]:
            if _same_value(claimed, found, approximate):
                return CheckResult(claim, "supported", found.as_written, self._citation(candidate))
        _, candidate, found = pairs[0]
        reason = f"the document gives {found.as_written} for {found.period or 'this period'}"
        return CheckResult(claim, "contradicted", found.as_written, self._citation(candidate), reason)

    def _matching_figures(self, ranked: list[Candidate], claimed: Figure, subject: set[str], period: str | None):
        """(score, sentence, figure) for figures of the claim's unit, period and subject, best first."""
        pairs = []
        for candidate in ranked[:CHECK_CANDIDATES]:
            if candidate.confidence < self.answerer.threshold:
                continue
            for found in candidate.figures:
                # Strictly the claim's unit: a count is never contradicted by a percentage.
                if not (unit_matches(found, claimed.unit, strict=True) or found.unit == claimed.unit):
                    continue
                if period and found.period != period:
                    continue
                words = _content_words(found.label)
                shared = words & subject
                if shared:
                    pairs.append((candidate.score + 0.2 * len(shared) / len(words), candidate, found))
        return sorted(pairs, key=lambda p: -p[0])

    def _relative_period(self, claim: str, filters: Filters | None) -> str | None:
        intent = read_question(claim)
        if not intent.relative:
            return None
        docs = self.answerer.scope(filters)
        by_doc = self.answerer.periods_by_doc()
        covered = sorted({p for d in docs for p in by_doc.get(d, set())})
        report = [self.searcher.documents[d].period for d in docs if self.searcher.documents[d].period]
        return resolve_relative(intent.relative, report, covered)

    def _ranked(self, claim: str, filters: Filters | None, claimed: Figure) -> list[Candidate]:
        self.searcher.refresh()
        vector = self.searcher.embed_query(claim)
        passages = self.searcher.search(claim, k=8, filters=filters, query_vector=vector)
        candidates = self.answerer.candidates(passages)
        intent = read_question(claim)
        intent.unit, intent.wants_number = claimed.unit if claimed.unit in {"%", "GBP", "count"} else None, True
        expansions = self.searcher.vocabulary.expansions(claim)
        spellings = self.searcher.vocabulary.spellings(claim)
        score_candidates(
            candidates, intent, vector, self.searcher.keyword, claim, expansions, claimed.period, spellings=spellings
        )
        return sorted(candidates, key=lambda c: -c.score)

    def _citation(self, candidate: Candidate) -> Citation:
        label = self.answerer.page_label(candidate.passage.doc_id, candidate.start) if candidate.page else None
        return Citation(1, candidate.passage, candidate.text, candidate.page, label)
