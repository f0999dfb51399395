"""Answer metrics per split, and failures listed, for tuning on dev (never on test).

Usage: python -m bench.answer_check [--store DIR] [--split dev] [--show]
"""

from __future__ import annotations

import argparse

from app.engine.answer import Answerer
from eval.answers import score_answer, summarise_answers
from eval.questions import load_questions
from index.config import Settings
from index.search import Searcher


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", default=".safeguard")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    questions = [q for q in load_questions() if q.split == args.split]
    answerer = Answerer(Searcher(Settings.from_env(store=args.store)))
    rows = []
    for q in questions:
        answer = answerer.answer(q.question).to_json()
        row = {"id": q.id, **score_answer(q, answer), "confidence": answer["confidence"]}
        rows.append(row)
        bad = (q.answerable and (row["abstained"] or row["figure_ok"] == 0.0)) or (
            not q.answerable and not row["abstained"]
        )
        if args.show and bad:
            print(
                f"- {q.id} [{q.type}] {q.question}\n    expected {q.answer_numbers or q.answer[:80]}"
                f"\n    got ({answer['confidence']:.2f}) {answer['answer'][:300]}"
            )
    print(summarise_answers(questions, rows))


if __name__ == "__main__":
    main()
