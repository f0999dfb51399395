"""A figure a sentence gives for England is no figure for the local place a question asks about
(app.engine.places.wider_area_instead); a local figure compared with England's still answers."""

from __future__ import annotations

import pytest
from helpers import answerer_over

from eval.answers import number_in

REPORT = """# Lambeth Safeguarding Children Partnership annual report 2023-24

## Child protection

At 31 March 2024, 412 Lambeth children were subject to a child protection plan.

Between 01 April 2023 and 31 March 2024, there were 49,900 children subject to Child Protection Plans in
England, and 2,960 children were adopted in England.

## Care leavers

The proportion of care leavers in education, employment or training is 61%, higher than in England as a whole.
"""


@pytest.fixture(scope="module")
def answerer(tmp_path_factory):
    return answerer_over(tmp_path_factory.mktemp("lambeth"), {"lambeth-scp-annual-report-2023-24.md": REPORT})


def test_an_england_figure_does_not_answer_for_the_local_place(answerer):
    answer = answerer.answer("how many lambeth children were adopted in 2023-24?")
    assert answer.abstained and not number_in("2,960", answer.text), answer.text


def test_it_answers_a_question_about_england(answerer):
    answer = answerer.answer("how many children in england were adopted in 2023-24?")
    assert not answer.abstained and number_in("2,960", answer.text), answer.reason


def test_a_local_figure_compared_with_england_still_answers(answerer):
    answer = answerer.answer("what % of lambeth care leavers are in education employment or training?")
    assert not answer.abstained and number_in("61%", answer.text), answer.reason
