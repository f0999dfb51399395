"""Questions asking a time of day, an age, a ratio, how often or a phone number (app.engine.forms) against a
real store of a generated guidance note: answered by the sentence stating one, abstaining when no passage gives
one, never answered by a sentence on the topic that states none."""

from __future__ import annotations

import pytest
from helpers import answerer_over

from app.engine.forms import asked_form

GUIDANCE = """# Staff guidance on raising concerns

## Whistleblowing

Staff who feel unable to raise a concern internally can use the whistleblowing advice line. The advice line
is available from 08:00 to 20:00 Monday to Friday, and 09:00 to 18:00 at weekends. A separate helpline for
professionals can be reached at 0808 800 5000.

## Consent

A child under the age of 13 can never consent to any sexual activity. The age of consent is 16. Staff must
record every disclosure on the day it is made.

## Reception classes

The childcare disqualification rules apply to staff working in reception classes and in wraparound care
such as breakfast clubs. Managers should check that every member of staff has been asked about disqualification.

## Thresholds

Section 47 enquiries are made at Level 4, where a child is suffering or likely to suffer significant harm.
Early help assessments are led by the school or the health visitor.

## Missing children

For children who have been missing 10 days or over the strategy meeting must be chaired by a service manager.
Children who go missing three times in 28 days have their case reviewed by the team manager.
Thereafter, strategy meetings will be held fortnightly for eight weeks and then monthly.

## Alternative provision

Schools remain responsible for pupils they place in alternative provision. The school should review each
placement at least half termly to be assured that the child attends and the placement is safe. The provider
keeps its own register of the pupils it teaches.
"""


@pytest.fixture(scope="module")
def answerer(tmp_path_factory):
    return answerer_over(tmp_path_factory.mktemp("forms"), {"raising-concerns.md": GUIDANCE})


def first_cited(answerer, question: str) -> str:
    """The first cited sentence of the answer, which must not abstain."""
    answer = answerer.answer(question)
    assert not answer.abstained, answer.reason
    return answer.citations[0].sentence


def test_what_hours_is_answered_by_the_sentence_giving_the_times(answerer):
    assert "08:00 to 20:00" in first_cited(answerer, "what hours is the whistleblowing advice line open?")


def test_no_sentence_giving_the_value_asked_for_is_an_abstention(answerer):
    """The helpline's number and the rules for reception classes are on the topic, and give no hours or ratio
    (the advice line's hours are another line's)."""
    hours = answerer.answer("what hours is the helpline for professionals open?")
    assert hours.abstained and not hours.citations, hours.text
    ratio = answerer.answer("what is the staff to child ratio in reception classes?")
    assert ratio.abstained and "ratio" in ratio.reason, ratio.reason


def test_at_what_age_is_answered_by_the_sentence_stating_an_age(answerer):
    assert "under the age of 13" in first_cited(
        answerer, "under what age can a child never consent to sexual activity?"
    )


def test_the_forms_asked_are_read_from_the_question():
    assert asked_form("nspcc advice line - what hours is it open?").name == "time of day"
    assert asked_form("whats the age of consent").name == "age"
    assert asked_form("staff to child ratio for a nursery?").name == "ratio"
    assert asked_form("how many hours of training did staff get?") is None
    assert asked_form("what does the helpline do?") is None
    assert asked_form("how often are placements reviewed").name == "frequency"
    assert asked_form("what number do i ring for the mash").name == "phone number"
    assert asked_form("whats the lado phone number").name == "phone number"
    assert asked_form("what is the number of referrals") is None


def test_a_phone_number_is_answered_only_by_a_sentence_giving_one(answerer):
    """The note gives the professionals' helpline a number and the advice line none: a sentence naming the
    advice line is no answer, nor is the other line's number."""
    assert "0808 800 5000" in first_cited(answerer, "what number do i ring for the professionals helpline?")
    none = answerer.answer("what number do i ring for the whistleblowing advice line?")
    assert none.abstained and not none.citations, none.text


def test_how_often_with_no_figure_is_answered_by_a_frequency_in_words(answerer):
    assert "half termly" in first_cited(answerer, "how often should schools review alternative provision placements?")


def test_a_when_question_no_passage_answers_with_a_date_is_an_abstention(answerer):
    """ "When is it next due" is asked of a note that gives no date: a sentence on the topic is no answer."""
    answer = answerer.answer("when is the whistleblowing advice line guidance next due to be reviewed?")
    assert answer.abstained and not answer.citations, answer.text


def test_which_level_is_answered_by_a_sentence_naming_the_level(answerer):
    assert "Level 4" in first_cited(answerer, "which level is a section 47 enquiry?")
    twin = answerer.answer("which level is a whistleblowing concern?")
    assert twin.abstained, twin.text


def test_how_often_is_never_answered_by_a_duration_that_is_a_condition(answerer):
    """ "Missing 10 days or over" says when a rule applies, not how often meetings are held; "three times in 28
    days" is how often children go missing, not how often meetings are held."""
    assert "fortnightly" in first_cited(
        answerer, "child still missing after day 10 - how often are strategy meetings held after that?"
    )
