"""'last year' and 'currently' in a question against real PDFs of different dates (app.engine.answer): the
relative time is read within the documents the question names, an inspection's own "last year" figure
answers with its period named, and an undated document has no "last year" to miss."""

from __future__ import annotations

import pytest
from helpers import EXTERNAL, answerer_over

DOCUMENTS = (
    "ofsted-camden-childrens-services-inspection-and-lscb-review-2017.pdf",  # dated 2017, figures for 2016/17
    "ofsted-west-northamptonshire-focused-visit-2025.pdf",  # the latest document in the store
    "dfe-information-sharing-advice-safeguarding-2024.pdf",  # no period of its own
)

pytestmark = pytest.mark.skipif(not EXTERNAL.is_dir(), reason="external safeguarding PDFs not available")


@pytest.fixture(scope="module")
def answerer(tmp_path_factory):
    return answerer_over(tmp_path_factory.mktemp("dated"), external=DOCUMENTS)


def test_last_year_of_a_named_place_is_its_documents_latest_figure(answerer):
    """Camden's "last year" is not the 2025/26 of a Northamptonshire letter in the same store; the 2017
    inspection gives the figure for the year before its own, and the answer says which year that is."""
    answer = answerer.answer("how many camden looked after kids actually used advocacy last year")
    assert not answer.abstained, answer.reason
    assert "23" in answer.citations[0].sentence and "2016/17" in answer.text
    assert answer.period_used == "2016/17"


def test_an_undated_document_answers_a_question_saying_currently(answerer):
    answer = answerer.answer("how many lawful bases are there in the dfe advice currently?")
    assert not answer.abstained, answer.reason
    assert "six" in answer.text.lower()
    assert answer.citations[0].passage.doc_id == "dfe-information-sharing-advice-safeguarding-2024.pdf"


SEND = """Pressures on services 2023-24

Special educational needs

The number of children with EHCPs rose 140% between 2014-15 and 2023-24. In one area, requests for EHCP
assessments went up by 40% year on year and were three times higher than in 2021-22.
"""


def test_a_change_asked_since_a_period_is_the_change_from_that_period(tmp_path):
    """ "Since 2014-15" is answered by the rise from 2014-15; a rise between 2022-23 and 2023-24 is not the
    rise from 2014-15."""
    answerer = answerer_over(tmp_path, {"pressures-2023-24.txt": SEND})
    since = answerer.answer("how much have ehcps gone up since 2014-15")
    assert not since.abstained, since.reason
    assert "140%" in since.citations[0].sentence, since.text
    between = answerer.answer("% rise in ehcps between 2022-23 and 2023-24")
    assert "140%" not in between.text, between.text
