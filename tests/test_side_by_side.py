"""A question joining several things answered by figures stated side by side (app.engine.answer): each thing
is answered by the sentence that states its own figure, and a question joining nothing gets one sentence."""

from __future__ import annotations

import pytest
from helpers import answerer_over

from eval.answers import number_in

PROCEDURE = """# Reviews procedure

The partnership follows this procedure when a child dies or is seriously harmed and abuse or neglect is
known or suspected.

## How to notify a serious incident, rapid review and practice review

Notifications should be sent within five working days of the local authority becoming aware of the incident.
The safeguarding partners then decide whether a review is needed.

## The rapid review

Rapid reviews should be submitted to the panel within 15 working days of the incident. The review is
shared with the partners who took part.

## Learning

Learning from reviews is shared with practitioners at the partnership's quarterly learning events.
"""


@pytest.fixture(scope="module")
def answerer(tmp_path_factory):
    return answerer_over(tmp_path_factory.mktemp("procedure"), {"serious-incident-procedure.md": PROCEDURE})


def _cited(answer, number: str) -> bool:
    return number_in(number, answer.text) and any(number_in(number, c.sentence) for c in answer.citations)


def test_each_joined_thing_is_answered_by_the_sentence_stating_its_figure(answerer):
    answer = answerer.answer("how long to notify the panel of a serious incident and to submit the rapid review?")
    assert not answer.abstained, answer.reason
    assert _cited(answer, "five") and _cited(answer, "15"), answer.text
    assert "Not in the documents" not in answer.text  # no part said to be missing that a sentence answers


def test_a_thing_named_only_in_the_heading_over_the_other_s_figure_is_answered_by_its_own(answerer):
    """The heading over the notification timescale names the rapid review too: that says no rapid review's
    timescale, which its own sentence, beside it, gives."""
    answer = answerer.answer("serious incident notification - how many days? and the rapid review?")
    assert not answer.abstained, answer.reason
    assert _cited(answer, "five") and _cited(answer, "15"), answer.text


def test_a_question_joining_nothing_gets_the_one_sentence_that_answers(answerer):
    answer = answerer.answer("how many working days to submit the rapid review to the panel?")
    assert not answer.abstained, answer.reason
    assert _cited(answer, "15") and not number_in("five", answer.text), answer.text


def test_when_a_step_is_done_is_answered_by_the_time_it_is_done_within(answerer):
    answer = answerer.answer("when is the rapid review submitted to the panel?")
    assert not answer.abstained and _cited(answer, "15"), answer.reason


WORKFORCE = """# Riverton children's services inspection 2024

## Workforce

Restructuring social work into locality teams has improved workforce stability. For example, there has been:

- a significant fall in the number of agency staff used, from 40 to 26 (August to November 2024)
- reduced turnover of staff, from 27% in 2022-23 to 13.5% now

## Practice

Caseloads are manageable for most social workers.
"""


@pytest.fixture(scope="module")
def workforce(tmp_path_factory):
    return answerer_over(tmp_path_factory.mktemp("workforce"), {"riverton-inspection-2024.md": WORKFORCE})


def test_two_things_after_a_topic_are_each_answered_by_their_own_item(workforce):
    """ "topic - X and Y", typed with no asking phrase: before, one sentence had to say both things, and the
    question abstained although each item answers one."""
    answer = workforce.answer("riverton workforce - agency staff numbers and staff turnover")
    assert not answer.abstained, answer.reason
    assert all(_cited(answer, n) for n in ("40", "26", "27%", "13.5%")), answer.text


def test_a_thing_after_a_topic_that_no_figure_measures_is_said_to_be_missing(workforce):
    answer = workforce.answer("riverton workforce - agency staff numbers and number of caseloads")
    assert not answer.abstained and _cited(answer, "40"), answer.text
    assert "Not in the documents: riverton workforce - number of caseloads" in answer.text and "27%" not in answer.text


FRONT_DOOR = """Northtown front door guide

What happens to referrals

All incoming contacts are processed by the Integrated Front Door (IFD), sometimes called the MASH.
The IFD team responds to an average of over 900 contacts each month.
Incoming contacts are RAG rated by a manager:
➢ Red – potential child protection issues that need immediate action. For example: serious injury to a
child. A decision about next steps must be made within 4 hours.
➢ Amber – significant concerns but immediate action not required. For example: domestic abuse in the
household. A decision about next steps must be made within 24 hours.
➢ Green – wellbeing concerns, but no statutory involvement needed. For example: school attendance
concerns. A decision about next steps must be made within 72 hours.
"""


@pytest.fixture(scope="module")
def front_door(tmp_path_factory):
    return answerer_over(tmp_path_factory.mktemp("front-door"), {"northtown-front-door-guide.txt": FRONT_DOOR})


def test_sentences_going_on_with_list_items_answer_for_the_items(front_door):
    """ "A decision ... within 4 hours" goes on with the item "Red – ...": it times a red contact. The things
    asked share their topic ("ifd"), said further up the section; each item names its own colour."""
    answer = front_door.answer(
        "northtown ifd rag rating - how quickly must a decision be made on a red and on an amber contact"
    )
    assert not answer.abstained, answer.reason
    assert _cited(answer, "4 hours") and _cited(answer, "24 hours") and "72" not in answer.text, answer.text


def test_a_sentence_going_on_with_one_item_answers_only_for_that_item(front_door):
    answer = front_door.answer("how fast must a decision be made on an amber contact at the northtown ifd")
    assert not answer.abstained, answer.reason
    assert _cited(answer, "24 hours") and not number_in("4 hours", answer.text), answer.text


def test_each_of_three_listed_things_is_answered_by_its_own_item(front_door):
    """ "red, amber and green contacts": each colour listed is a thing of its own, what follows the last said
    of each; no one sentence times all three."""
    answer = front_door.answer("northtown ifd - how quickly must a decision be made on red, amber and green contacts")
    assert not answer.abstained, answer.reason
    assert all(_cited(answer, f"{hours} hours") for hours in (4, 24, 72)), answer.text


CARE_LEAVERS = """# Northtown care leavers

## Leaving care

The most recent data indicate that 289 (57%) of care leavers are in education, employment and training, which
remains well above average for this group. Currently Northtown City Council has 475 care leavers, with the vast
majority living with family and friends or in local authority tenancies. The authority is in touch with 85% of care
leavers on a regular basis, which rises to 92% when the yearly birthday contact is included for all care leavers
aged over 19.
"""


def test_how_many_beside_a_share_is_answered_by_the_whole_not_a_part_of_it(tmp_path):
    """ "289 (57%) of care leavers" counts a part of them, and "aged over 19" is an age: before, the part (or the
    age beside the share) answered "how many care leavers", and the council's 475 was left out."""
    answerer = answerer_over(tmp_path, {"northtown-care-leavers.md": CARE_LEAVERS})
    answer = answerer.answer("how many care leavers does northtown have and what % is the council in touch with")
    assert not answer.abstained, answer.reason
    sentences = [c.sentence for c in answer.citations]
    assert number_in("475", sentences[0]) and any(number_in("85%", s) for s in sentences), answer.text
    assert not any(number_in("289", s) for s in sentences), answer.text


RETURN_CONVERSATIONS = """# Northtown missing children

## Missing from care

All 182 children and young people reported missing from care in the past six months have had a return home
conversation with a professional to ascertain if they are safe and well.

## Interviews

There have been 141 return home interviews undertaken, which amounts to 77.5%.
"""


def test_a_how_many_part_is_never_answered_by_a_count_of_something_else(tmp_path):
    """ "182 children ... have had a return home conversation" counts children, not interviews: a "how many" part
    beside a share is checked for what its count counts, as a question asking only "how many" is. (The 141
    interviews are not said to be of children missing from care: no answer is better than the 182.)"""
    answerer = answerer_over(tmp_path, {"northtown-missing.md": RETURN_CONVERSATIONS})
    answer = answerer.answer("how many return home interviews were done for kids missing from care and what % is that")
    assert "182" not in answer.text, answer.text
    assert answer.abstained or number_in("141", answer.citations[0].sentence), answer.text


ALLEGATIONS = """# Northtown school staff handbook

## Suspension

Suspension should not be an automatic response when an allegation is reported. All options to avoid suspension
should be considered prior to taking that step. The case manager must consider carefully whether the circumstances
warrant suspension from contact with children at the school until the matter is resolved. It should be considered
only in cases where there is cause to suspect a child or other children at the school are at risk of harm, or the
case is so serious that there might be grounds for dismissal. If in doubt, the case manager should seek views from
their personnel adviser and the designated officer, as well as the police and children's social care where they have
been involved.

Where the school is made aware that the Secretary of State has made an interim prohibition order in respect of an
individual who works at the school, it should take immediate action to ensure the individual does not carry out
work in contravention of the order. This means that pending the findings of the investigation, the individual must
not carry out teaching work. Schools should have clear policies on pay arrangements whilst the person is away from
work or where an interim prohibition order is in place.

In many cases an inquiry can be resolved quickly and without the need for suspension. The employer will decide on
whether the individual should continue to work at the school, based on consultation with the designated officer,
who will provide relevant information received from the police or children's social care on whether they have any
objections to the member of staff continuing to work during the investigation of the case. Based on advice from the
school's HR provider and a risk analysis, alternatives such as redeployment within the school, an assistant present
when the individual has contact with children, or moving the child to another class should be considered by the
case manager before suspending a member of staff.

Where it has been deemed appropriate to suspend the person, written confirmation should be given within one working
day, giving as much detail as appropriate for the reasons for the suspension.
"""


def test_a_word_said_only_by_the_sentence_opening_the_section_is_said_for_its_figure(tmp_path):
    """The section's first sentence says what all of it is about (suspension after an allegation); the time to
    confirm a suspension in writing, four paragraphs on, answers for it. Before, "allegation" was unsaid where the
    figure is, and the answer abstained."""
    answerer = answerer_over(tmp_path, {"northtown-staff-handbook.md": ALLEGATIONS})
    answer = answerer.answer("if we suspend a staff member after an allegation how quickly do they need it in writing")
    assert not answer.abstained, answer.reason
    assert "one working day" in answer.citations[0].sentence, answer.text
    twin = answerer.answer("if we suspend a volunteer after a complaint how quickly must they be told in writing")
    assert twin.abstained, twin.text
