"""Timescales asked of a real multi-agency protocol (app.engine.answer): "by when" is answered by the time
something must be done within, not by the condition a rule starts from ("missing for 10 days or over")."""

from __future__ import annotations

import pytest
from helpers import EXTERNAL, answerer_over

PROTOCOL = "northamptonshire-multi-agency-missing-children-protocol-2022.pdf"

pytestmark = pytest.mark.skipif(not EXTERNAL.is_dir(), reason="external safeguarding PDFs not available")


@pytest.fixture(scope="module")
def answerer(tmp_path_factory):
    return answerer_over(tmp_path_factory.mktemp("protocol"), external=(PROTOCOL,))


def test_by_when_is_answered_by_the_time_it_must_be_done_within(answerer):
    answer = answerer.answer("child missing 24hrs - by when must the strategy meeting be held?")
    assert not answer.abstained, answer.reason
    first = answer.citations[0].sentence
    assert "within 72 hours" in first and "48 hours" in first, answer.text
