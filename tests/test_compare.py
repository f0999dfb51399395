"""Comparisons between periods (app.engine.compare), computed from cited figures with the computation shown."""

from __future__ import annotations


def test_comparison_shows_the_computation(answerer):
    answer = answerer.answer("Did referrals to the MASH go up or down?")
    assert "1,807 -> 1,394, down 413 (-22.9%)" in answer.text
    computed = [f for f in answer.figures if f.computed]
    assert {f.as_written for f in computed} == {"413", "-22.9%"}
    assert all(f.sources and f.citation is None for f in computed)
    cited = {f.citation for f in answer.figures if f.as_written in {"1,394", "1,807"}}
    assert computed[0].sources == sorted(cited)
