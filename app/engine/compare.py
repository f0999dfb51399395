"""Comparisons between periods, computed from cited figures with the computation shown.

"1,807 -> 1,394, down 413 (-22.9%)": both inputs are figures in cited sentences, and every number the
computation produces is marked computed and names the citations it came from.
"""

from __future__ import annotations

import re

from index.periods import period_key
from index.records import AnswerFigure

from .question import RATE_OR_SHARE


def _words(label: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", label.lower()) if len(w) > 2}


def _format(value: float, unit: str) -> str:
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    if unit == "GBP":
        return f"£{text}"
    if unit == "%":
        return f"{text} percentage points"
    return text


def _of_unit(figure: AnswerFigure, unit: str | None) -> bool:
    """Could the figure be one side of a change in the unit asked ("the lac rate" is per 10,000 or a share)?"""
    if unit in (None, "count"):
        return True
    if unit == RATE_OR_SHARE:
        return figure.unit == "%" or figure.unit.startswith("rate")
    return figure.unit.startswith("rate") if unit == "rate" else figure.unit == unit


def _pick_pair(figures: list[AnswerFigure], unit: str | None) -> tuple[AnswerFigure, AnswerFigure] | None:
    dated = [f for f in figures if f.period and not f.computed and _of_unit(f, unit)]
    best, best_score = None, 0.0
    for i, a in enumerate(dated):
        for b in dated[i + 1 :]:
            if a.period == b.period or a.unit != b.unit:
                continue
            same_sentence = a.citation == b.citation
            overlap = len(_words(a.label) & _words(b.label))
            score = overlap + (2 if same_sentence else 0) - 0.1 * i
            if (same_sentence or overlap) and score > best_score:
                best, best_score = (a, b), score
    if best is None:
        return None
    a, b = best
    return (a, b) if period_key(a.period) < period_key(b.period) else (b, a)


def comparison_figures(figures: list[AnswerFigure], unit: str | None) -> tuple[str, list[AnswerFigure]]:
    """The computed line for the answer and the computed figures, or ('', []) when no pair is found."""
    pair = _pick_pair(figures, unit)
    if pair is None:
        return "", []
    before, after = pair
    delta = after.value - before.value
    sources = sorted({before.citation, after.citation} - {None})
    cite = "".join(f"[{n}]" for n in sources)
    direction = "up" if delta > 0 else "down" if delta < 0 else "unchanged"
    span = f"{before.period} to {after.period}"

    def figure(as_written: str, value: float, unit: str) -> AnswerFigure:
        return AnswerFigure(
            as_written, value, unit, f"change in {before.label}", span, None, True, sources, before.doc_id
        )

    computed = [figure(_format(abs(delta), before.unit), delta, before.unit)]
    line = f"Change from {span}: {before.as_written} -> {after.as_written}, {direction}"
    if delta:
        line += f" {_format(abs(delta), before.unit)}"
        if before.value and before.unit != "%":
            pct = delta / before.value * 100
            computed.append(figure(f"{pct:+.1f}%", round(pct, 1), "%"))
            line += f" ({pct:+.1f}%)"
    return f"{line} (computed from {cite}).", computed
