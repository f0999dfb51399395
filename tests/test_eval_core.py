"""Metrics on hand-checked cases, and the question set is sound against the bundled document."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from helpers import BUNDLED

from eval import metrics
from eval.answers import number_in
from eval.questions import TYPES, load_questions
from eval.runner import evaluate_config, score_retrieval

EVIDENCE = ["received 1,394 referrals"]
RELEVANT = "The Camden MASH received 1,394\n   referrals in 2018-19."
OTHER = "The police made 485 referrals."


def test_relevance_ignores_whitespace_and_quote_style():
    assert metrics.is_relevant(RELEVANT, EVIDENCE)
    assert metrics.is_relevant("Camden’s single front door", ["Camden's single  front door"])
    assert not metrics.is_relevant(OTHER, EVIDENCE)
    assert not metrics.is_relevant(RELEVANT, [""])


def test_rank_metrics_on_hand_checked_rankings():
    rels = [False, True, False, True]
    assert metrics.hit_at(rels, 1) == 0.0
    assert metrics.hit_at(rels, 2) == 1.0
    assert metrics.reciprocal_rank(rels) == 0.5
    assert metrics.reciprocal_rank([False, False]) == 0.0
    # DCG = 1/log2(3) + 1/log2(5); ideal = 1 + 1/log2(3)
    expected = (1 / math.log2(3) + 1 / math.log2(5)) / (1 + 1 / math.log2(3))
    assert metrics.ndcg_at(rels, 10) == pytest.approx(expected)
    assert metrics.ndcg_at([True], 10) == 1.0
    assert metrics.ndcg_at([False] * 5, 10) == 0.0


def test_hit_within_words_counts_words_shown():
    filler = "word " * 140
    passages = [filler, RELEVANT]
    assert metrics.hit_within_words(passages, EVIDENCE, 150) == 1.0
    assert metrics.hit_within_words(passages, EVIDENCE, 143) == 0.0


def test_percentile_and_mean():
    assert metrics.percentile([10, 20, 30, 40], 50) == 20
    assert metrics.percentile([10, 20, 30, 40], 95) == 40
    assert metrics.mean([]) == 0.0


def test_evaluate_config_scores_a_fake_free_retriever():
    questions = [q for q in load_questions() if q.answerable][:3]
    # A retriever that returns each question's own evidence first must score perfectly.
    lookup = {q.question: q.evidence[0] for q in questions}
    result = evaluate_config("oracle", lambda text: [lookup[text], OTHER], questions)
    assert result["summary"]["all"]["mrr"] == 1.0
    reverse = evaluate_config("second", lambda text: [OTHER, lookup[text]], questions)
    assert reverse["summary"]["all"]["mrr"] == 0.5 and reverse["summary"]["all"]["hit@1"] == 0.0
    assert score_retrieval(questions[0], [])["hit@5"] == 0.0


def test_question_set_is_sound():
    questions = load_questions()
    document = metrics.normalise(BUNDLED.read_text(encoding="utf-8"))
    assert len(questions) >= 50
    assert len({q.id for q in questions}) == len(questions)
    assert {q.type for q in questions} <= TYPES
    assert {q.split for q in questions} == {"dev", "test"}
    counts = Counter(q.type for q in questions)
    assert counts["unanswerable"] >= 15 and counts["figure"] >= 20
    for q in questions:
        if q.answerable:
            assert q.evidence, q.id
        for quote in q.evidence:
            assert metrics.normalise(quote) in document, (q.id, quote)
        for number in q.answer_numbers:
            assert any(number in quote for quote in q.evidence), (q.id, number)


def test_a_number_written_in_words_is_found_as_the_word_or_its_digits():
    assert number_in("twelve", "Only twelve Reviews stated the child's religion.")
    assert number_in("Thirteen", "thirteen children died.")
    assert number_in("three", "training every 3 years")
    assert not number_in("three", "a threefold rise in 2023")
    assert not number_in("nine", "19 reviews")
    assert number_in("one", "within one working day") and number_in("one", "within 1 working day")
    assert number_in("1,394", "received 1394 referrals") and not number_in("1,394", "received 1,395 referrals")


def test_an_expected_phrase_is_found_when_each_number_it_holds_is():
    """Question writers put timescales and dates as they read them ("6 to 8 weeks", "two years")."""
    assert number_in("two years", "This training should be updated at least every two years.")
    assert number_in("one working day", "Within 1 working day of a referral being made")
    assert number_in("6 to 8 weeks", "We always return within 6 to 8 weeks.")
    assert not number_in("6 to 8 weeks", "We always return within 8 weeks.")
    assert number_in("0300 126 7000", "contact the MASH on 0300 126 7000.")
    assert not number_in("October 2022", "the inspection in October 2021")
    assert number_in("32, 448", "Camden CCG 32, 448") and number_in("£34, 312", "spend was £34,312")
