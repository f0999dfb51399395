"""Questions as practitioners put them: naming the document they ask of in passing, a contraction typed without
its apostrophe, a measure the passage around a figure names but the figure's own sentence does not."""

from __future__ import annotations

import pytest
from helpers import answerer_over

from app.engine.bodies import names_a_document
from app.engine.followup import without_source
from app.engine.measure import names_its_subject
from eval.answers import number_in
from ingest.figures import extract_figures

ADVICE = """# Information sharing: advice for practitioners

## Annex A: data protection

Article 5 of the UK GDPR sets out seven key principles which lie at the heart of the general data protection
regime. Practitioners should record what they share, with whom and why.
"""

VISITS = """# Child protection and child in need procedures

## Visits to children

Children subject to a child protection plan must have a core group meeting within 10 working days of the
conference. Children on Child in Need Plans will be seen every 3 weeks by their social worker.
"""

REVIEWS = """# Rapid reviews analysis

## Method

Rapid Reviews are not required to be published, so requests were made to London's 29 LSCPs. Two LSCPs did not
respond, and two had not completed any Rapid Reviews in the timescale.
"""


SUSPENSION = """# Managing allegations against staff

## Suspension

Suspension should not be an automatic response when an allegation is reported. Where it has been deemed
appropriate to suspend the person, written confirmation should be given within one working day.
"""


@pytest.fixture(scope="module")
def answerer(tmp_path_factory):
    files = {
        "information-sharing-advice.md": ADVICE,
        "procedures.md": VISITS,
        "rapid-reviews.md": REVIEWS,
        "allegations.md": SUSPENSION,
    }
    return answerer_over(tmp_path_factory.mktemp("asked-of"), files)


def test_a_document_named_in_brackets_says_where_to_look_not_what_is_counted(answerer):
    """ "info sharing advice annex" names the document; before, "info" was read as part of what is counted."""
    answer = answerer.answer(
        "how many principles does article 5 of the uk gdpr set out (per the info sharing advice annex)?"
    )
    assert not answer.abstained, answer.reason
    assert number_in("seven", answer.citations[0].sentence), answer.text


@pytest.mark.parametrize(
    ("question", "bare"),
    [
        ("how many cp plans in england (lambeth training pack)?", "how many cp plans in england"),
        ("how many principles (per the info sharing advice annex)", "how many principles"),
        ("how many referrals in the leeds inspection?", "how many referrals"),
        ("how many referrals (and how many re-referrals)?", "how many referrals (and how many re-referrals)?"),
    ],
)
def test_the_words_naming_the_document_are_no_part_of_what_is_asked(question, bare):
    assert without_source(question, names=False) == bare


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("ofsted camden lscb review - how much did gp contributions go up by?", True),
        ("in the leeds ofsted report, how many children were on plans", True),
        ("per ofsted, how many children were looked after", True),
        ("when must a children's home tell ofsted about a serious incident", False),
        ("do i tell ofsted and report it to the police", False),
    ],
)
def test_a_body_is_named_as_the_issuer_of_a_document_only_beside_one(question, names):
    """Then the question picks that body's documents, though others speak of the body too."""
    assert names_a_document(question, "ofsted") is names


def test_a_calendar_year_after_a_figure_is_its_own_time_not_the_reporting_year():
    """Read as the report's year, 22% "in 2015" made a fall from 71.4% in 2016-17 to 22% in 2017/18."""
    figures = extract_figures(
        "The contribution of GPs at case conferences increased from 22% in 2015, to 71.4% in 2016–17.", "2017/18"
    )
    assert [(f.as_written, f.period) for f in figures] == [("22%", None), ("71.4%", "2016/17")]


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("Children on Child in Need Plans will be seen every 3 weeks by their social worker.", True),
        ("Rapid Reviews are required to be completed within 15 working days.", True),
        ("Two LSCPs did not respond, and two had not completed any Rapid Reviews in the timescale.", False),
        ("the children were seen within 5 working days.", False),
    ],
)
def test_a_sentence_names_its_own_subject_when_its_subject_holds_a_named_term(sentence, names):
    assert names_its_subject(sentence) is names


def test_how_often_is_answered_only_by_a_frequency_of_the_thing_asked(answerer):
    """The visits of children on child in need plans are no visits of children on child protection plans, said
    before them in the passage: the answer says what is given, marked as not the answer."""
    answer = answerer.answer("how often are children on child in need plans seen by their social worker")
    assert not answer.abstained and number_in("3", answer.citations[0].sentence), answer.reason
    twin = answerer.answer("how often does a social worker have to visit a child on a cp plan?")
    assert twin.abstained, twin.text
    assert "3 weeks" in twin.reason and "not the figure asked for" in twin.reason, twin.reason


def test_a_contraction_typed_without_its_apostrophe_is_no_measured_word(answerer):
    """ "didnt respond" is "did not respond": both parts are answered and none is said to be missing."""
    answer = answerer.answer("how many lscps were asked for their rapid reviews and how many didnt respond")
    assert not answer.abstained, answer.reason
    assert number_in("29", answer.text) and number_in("Two", answer.text), answer.text
    assert "Not in the documents" not in answer.text, answer.text


SCHOOLS = """# Keeping children safe in education

## Managing the child protection file

Schools should keep written records of all concerns, discussions and decisions made.

Where children leave the school (including in year transfers) the designated safeguarding lead should ensure
their child protection file is transferred to the new school as soon as possible, and within 5 days for an
in-year transfer.
"""


@pytest.fixture(scope="module")
def schools(tmp_path_factory):
    return answerer_over(tmp_path_factory.mktemp("schools"), {"keeping-children-safe.md": SCHOOLS})


def test_a_schools_pupils_are_its_children(schools):
    answer = schools.answer("pupil moving school mid year - how fast does the cp file need to go to the new school?")
    assert not answer.abstained, answer.reason
    assert number_in("5", answer.citations[0].sentence), answer.text


def test_what_must_be_done_is_said_where_the_figure_is(schools):
    """Keeping records is said further up, and "keep" is a word of the title: neither makes the time to
    transfer the file a time to keep it."""
    answer = schools.answer("how long does a school have to keep a child protection file after the pupil leaves?")
    assert answer.abstained, answer.text
    assert "5 days" in answer.reason and "not the figure asked for" in answer.reason, answer.reason


def test_a_sentence_saying_there_were_so_many_names_what_it_counts():
    assert names_its_subject("In 2023-24 there were 49,900 children subject to child protection plans in England.")


def test_a_time_asked_for_a_step_of_a_procedure_is_timed_by_the_step_not_by_who_it_is_done_to(answerer):
    """The procedure says "the person"; the asker says "a staff member". Before, "staff member" had to be said
    in the sentence timing the step. What the step is must still be said: a time for written confirmation is
    no time to finish training."""
    answer = answerer.answer("if we suspend a staff member how fast do they have to get it in writing")
    assert not answer.abstained, answer.reason
    assert number_in("one", answer.citations[0].sentence), answer.text
    assert answerer.answer("how long does a staff member have to complete safeguarding training").abstained


ADVICE_LINE = """# Northtown thresholds guidance

## Safeguarding concerns

Where you believe a child is suffering significant harm, contact the MASH on 0300 126 7000. If you are unsure
whether a concern meets the threshold, you can talk it through with your Partnership Coordinator. If you are
unable to contact the nominated Partnership Coordinator, please email the team at
Partnershipadvice@northtown.gov.uk and your query will be responded to within 1 working day.
"""


def test_words_an_email_address_runs_together_are_said_by_it(tmp_path):
    """ "partnership advice email" is the address Partnershipadvice@...: before, "advice" was unsaid and the
    reply time was not the figure asked for."""
    answerer = answerer_over(tmp_path, {"thresholds.md": ADVICE_LINE})
    answer = answerer.answer("how quickly will the partnership advice email team respond to my query?")
    assert not answer.abstained, answer.reason
    assert number_in("1", answer.citations[0].sentence), answer.text
