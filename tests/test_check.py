"""Claim checks (app.engine.check): the claim's number against the same quantity and period in the documents."""

from __future__ import annotations

import pytest

from app.engine.check import Checker


@pytest.mark.parametrize(
    ("claim", "verdict", "value"),
    [
        ("Camden had 199 looked after children at the end of 2018/19", "contradicted", "191"),
        ("Camden had 191 looked after children at the end of 2018/19", "supported", "191"),
        ("The MASH received 1,394 referrals in 2018/19", "supported", "1,394"),
        ("The MASH received 1,807 referrals in 2017/18", "supported", "1,807"),
        ("The board's budget for 2018-19 was £190,000", "contradicted", "£178, 430"),
        ("Islington had 300 looked after children in 2018/19", "not_found", None),
        ("There were 55 FGM cases in Camden in 2018/19", "not_found", None),
    ],
)
def test_claims_are_checked_against_the_same_quantity_and_period(answerer, claim, verdict, value):
    result = Checker(answerer).check(claim)
    assert result.verdict == verdict, result
    assert result.document_value == value
    if verdict != "not_found":
        assert value in result.citation.sentence
