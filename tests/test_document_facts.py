"""Questions about a document itself (who wrote or owns it, its version, when it is due for review, when the
inspection it reports took place), answered from its cover or document-control fields, which share no words
with the question's topic."""

from __future__ import annotations

import pytest
from helpers import answerer_over

from app.engine.document_facts import facts_asked, states_fact

GUIDANCE = """# Northtown thresholds guidance

Version 3 – November 2022

Document owner: Chair of the Northtown Safeguarding Children Partnership

## Levels of need

Level 4 is for children whose needs are acute and who are at risk of significant harm. A referral to
children's social care is made at level 4, by telephone and followed up in writing within 24 hours.
"""

PROTOCOL = """# Northtown missing children protocol

## Return home interviews

A return home interview should be offered within 72 hours of the child's return. The protocol will be
reviewed every two years by the partnership.
"""


INSPECTION = """# Inspection of Northtown local authority children's services

Inspection dates: 3 March 2025 to 14 March 2025

Lead inspector: Jane Smith, His Majesty's Inspector

## Overall effectiveness

Since the last inspection in 2021, leaders have strengthened the quality of practice across most service
areas. Ofsted will take the findings from this inspection into account when planning the next inspection.
Inspectors found that children in care are visited regularly by social workers who know them well.
"""


@pytest.fixture(scope="module")
def answerer(tmp_path_factory):
    files = {"thresholds-guidance.md": GUIDANCE, "missing-protocol.md": PROTOCOL, "northtown-ilacs.md": INSPECTION}
    return answerer_over(tmp_path_factory.mktemp("facts"), files)


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ("who owns the northtown thresholds guidance?", "Document owner: Chair"),
        ("which version of the thresholds guidance is current?", "Version 3 – November 2022"),
    ],
)
def test_a_fact_about_a_document_is_answered_from_its_field(answerer, question, field):
    answer = answerer.answer(question)
    assert not answer.abstained, answer.reason
    assert answer.citations[0].sentence.startswith(field), answer.text


@pytest.mark.parametrize(
    "question", ["northtown ilacs - when was the inspection?", "what dates were ofsted in northtown for the ilacs"]
)
def test_when_an_inspection_took_place_is_answered_from_its_cover_dates(answerer, question):
    """Asked after a topic ("northtown ilacs - when ..."), or as "what dates", the question still asks when."""
    answer = answerer.answer(question)
    assert not answer.abstained, answer.reason
    assert [c.sentence for c in answer.citations] == ["Inspection dates: 3 March 2025 to 14 March 2025"]


def test_when_it_was_inspected_before_is_the_earlier_inspection_not_this_one(answerer):
    answer = answerer.answer("when was northtown inspected before this ilacs")
    assert not answer.abstained, answer.reason
    assert answer.citations[0].sentence.startswith("Since the last inspection in 2021"), answer.text


@pytest.mark.parametrize(
    ("question", "facts"),
    [
        ("who wrote the london rapid reviews report and when was it published?", ("author", "published")),
        ("when is the preschool policy due for review", ("review",)),
        ("what's the version/reference of the thresholds doc", ("version",)),
        ("how many reviews were completed", ()),  # no document asked about: "reviews" are counted
        ("manchester ilacs - when was the inspection?", ("inspected",)),
        ("when was manchester inspected before the focused visit", ()),  # another inspection than this one
        ("when was the strategy meeting held (protocol)", ()),  # no word for inspecting
        ("who do i contact about a missing child", ()),
    ],
)
def test_the_facts_a_question_asks_about_a_document(question, facts):
    assert facts_asked(question) == facts


def test_a_document_says_its_review_date_in_a_sentence_of_its_own():
    assert states_fact("This Policy will be reviewed Sept 2017", ("review",))
    assert not states_fact("Reviews should be frequent enough (at least half termly).", ("review",))
