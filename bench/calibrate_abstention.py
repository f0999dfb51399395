"""Calibrate the abstention threshold on the dev split: answerable vs unanswerable questions.

Picks the threshold that abstains on the most unanswerable questions while keeping false abstention
on answerable ones at or under 10%. Never run on the test split: that split measures the result.

Usage: python -m bench.calibrate_abstention [--store DIR]
"""

from __future__ import annotations

import argparse

from app.answer import Answerer
from eval.questions import load_questions
from index.search import Searcher
from ingest.config import Settings

MAX_FALSE_ABSTENTION = 0.10


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", default=".safeguard")
    parser.add_argument("--curve", action="store_true", help="print every threshold tried")
    args = parser.parse_args()
    questions = [q for q in load_questions() if q.split == "dev"]
    answerer = Answerer(Searcher(Settings.from_env(store=args.store)), threshold=float("-inf"))
    seen = []
    for q in questions:
        answer = answerer.answer(q.question)
        seen.append((q.answerable, answer.abstained, answer.confidence))
    answerable = [s for s in seen if s[0]]
    unanswerable = [s for s in seen if not s[0]]
    best = None
    for threshold in sorted({round(c, 3) for _, _, c in seen} | {0.0}):
        abstain = sum(1 for _, ruled, c in unanswerable if ruled or c < threshold) / len(unanswerable)
        false = sum(1 for _, ruled, c in answerable if ruled or c < threshold) / len(answerable)
        if args.curve:
            print(f"  {threshold:.3f}  abstention {abstain:.2f}  false abstention {false:.2f}")
        if false <= MAX_FALSE_ABSTENTION and (best is None or abstain > best[1]):
            best = (threshold, abstain, false)
    print(f"threshold {best[0]:.3f}: abstention {best[1]:.2f}, false abstention {best[2]:.2f} on dev")


if __name__ == "__main__":
    main()
