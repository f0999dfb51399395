"""Answer metrics: figure accuracy, citation precision, abstention and false abstention.

Figure accuracy: every expected number appears in the answer text and in a cited sentence, so a
number the reader sees is one they can trace. Citation precision: the share of cited sentences that
hold evidence (overlap with an evidence quote).
"""

from __future__ import annotations

import re

from index.lexicon import NUMBER_WORDS

from . import metrics
from .questions import Question


def _digits(text: str) -> str:
    """'£178, 430' and '178,430' compare equal: only the digits and the decimal point matter."""
    return re.sub(r"[^\d.]", "", text)


# A number as a question set writes it: digits with thousands separators (maybe spaced, as some PDFs print
# them: "32, 448"), a decimal part, a pound sign or a per cent sign; or a word.
EXPECTED_NUMBER = re.compile(r"£?\d{1,3}(?:,\s?\d{3})+(?:\.\d+)?%?|£?\d+(?:\.\d+)?%?|[A-Za-z]+")


def number_in(number: str, text: str) -> bool:
    """Is the number in the text? An expected phrase ("6 to 8 weeks", "two years", "0300 126 7000") is in it
    when each number the phrase holds is: writers put timescales and dates as they read them."""
    held = [n for n in EXPECTED_NUMBER.findall(number) if _as_number(n) is not None]
    if len(held) > 1 or (held and held[0] != number.strip()):
        return all(_one_number_in(n, text) for n in held)
    return _one_number_in(number, text)


def _as_number(token: str) -> int | str | None:
    word = token.lower()
    if word.isalpha():
        return {"one": 1, **NUMBER_WORDS}.get(word)
    return _digits(token) or None


def _one_number_in(number: str, text: str) -> bool:
    """A number written as a word ("twelve Reviews") is found as that word or as its digits: documents
    write small counts in words, and an answer quoting them is right."""
    # The lexicon leaves "one" out (in running text it is mostly a pronoun); an expected answer "one" is a number.
    value = {"one": 1, **NUMBER_WORDS}.get(number.strip().lower())
    if value is not None:
        if re.search(rf"\b{re.escape(number.strip())}\b", text, re.I):
            return True
        number = str(value)
    target = _digits(number)
    if not target:
        return False
    # The look-behind keeps "2018-19, 176" from reading as 19,176 (the same rule figure extraction uses).
    for match in re.finditer(r"(?<![\w.,/-])£?(?:\d{1,3}(?:,\s?\d{3})+|\d+)(?:\.\d+)?%?", text):
        if _digits(match.group()) == target:
            return True
    return False


def cited_sentence_holds_evidence(sentence: str, evidence: list[str]) -> bool:
    s = metrics.normalise(sentence)
    for quote in evidence:
        q = metrics.normalise(quote)
        if q in s or s in q:
            return True
        words = set(q.split())
        if words and len(words & set(s.split())) / len(words) >= 0.8:
            return True
    return False


def score_answer(question: Question, answer: dict) -> dict[str, float | None]:
    abstained = bool(answer.get("abstained"))
    row: dict[str, float | None] = {"abstained": float(abstained)}
    if not question.answerable:
        row.update({"figure_ok": None, "first_ok": None, "citation_precision": None, "evidence_cited": None})
        return row
    sentences = [c.get("sentence", "") for c in answer.get("citations", [])]
    if question.answer_numbers:
        ok = not abstained and all(
            number_in(n, answer.get("answer", "")) and any(number_in(n, s) for s in sentences)
            for n in question.answer_numbers
        )
        row["figure_ok"] = float(ok)
        # Stricter: the first cited sentence alone holds an expected number (what a reader sees first).
        row["first_ok"] = float(
            not abstained and bool(sentences) and any(number_in(n, sentences[0]) for n in question.answer_numbers)
        )
    else:
        row["figure_ok"] = None
        row["first_ok"] = None
    if sentences:
        held = [cited_sentence_holds_evidence(s, question.evidence) for s in sentences]
        row["citation_precision"] = sum(held) / len(held)
        row["evidence_cited"] = float(any(held))
    else:
        row["citation_precision"] = None
        row["evidence_cited"] = 0.0
    return row


def summarise_answers(questions: list[Question], rows: list[dict]) -> dict[str, float]:
    by_id = {q.id: q for q in questions}
    answerable = [r for r in rows if by_id[r["id"]].answerable]
    unanswerable = [r for r in rows if not by_id[r["id"]].answerable]
    # Near-miss twins: same topic as an answerable question, a measure the documents do not give.
    near_miss = [r for r in unanswerable if by_id[r["id"]].extra.get("twin_of")]
    figure = [r["figure_ok"] for r in answerable if r.get("figure_ok") is not None]
    first = [r["first_ok"] for r in answerable if r.get("first_ok") is not None]
    precision = [r["citation_precision"] for r in answerable if r.get("citation_precision") is not None]
    return {
        "figure_accuracy": metrics.mean(figure),
        "figure_n": len(figure),
        "first_sentence_accuracy": metrics.mean(first),
        "citation_precision": metrics.mean(precision),
        "evidence_cited": metrics.mean([r["evidence_cited"] for r in answerable]),
        "abstention": metrics.mean([r["abstained"] for r in unanswerable]),
        "abstention_near_miss": metrics.mean([r["abstained"] for r in near_miss]) if near_miss else None,
        "near_miss_n": len(near_miss),
        "false_abstention": metrics.mean([r["abstained"] for r in answerable]),
        "n": len(rows),
    }
