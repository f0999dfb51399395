"""Choose the hybrid fusion by measurement on the dev split only (never on test).

Usage: python -m bench.fusion_sweep [--store DIR] [--questions FILE]
Run it on each question set's store (the bundled report; the PDF set's documents) and choose the
setting that is best on both.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from eval import metrics
from eval.questions import load_questions
from eval.runner import RETRIEVAL_K, score_retrieval
from index.config import Settings
from index.search import Searcher


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", default=".safeguard")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--questions", type=Path, default=None)
    args = parser.parse_args()
    pool = load_questions(args.questions) if args.questions else load_questions()
    questions = [q for q in pool if q.split == args.split and q.answerable and q.evidence]
    searcher = Searcher(Settings.from_env(store=args.store))
    searcher.warm_up()
    options = [("rrf", 0.0)] + [("convex", w / 10) for w in range(2, 11)]
    print(f"{'dense':9} {'fusion':8} {'w':>4} {'hit@1':>6} {'hit@5':>6} {'mrr':>6} {'ndcg':>6}")
    for sentence_aware in (False, True):
        for fusion, weight in options:
            searcher.sentence_aware, searcher.fusion, searcher.keyword_weight = sentence_aware, fusion, weight
            passages = [[p.text for p in searcher.search(q.question, k=RETRIEVAL_K)] for q in questions]
            rows = [score_retrieval(q, texts) for q, texts in zip(questions, passages, strict=True)]
            m = {k: metrics.mean([r[k] for r in rows]) for k in ("hit@1", "hit@5", "mrr", "ndcg@10")}
            dense = "sentence" if sentence_aware else "chunk"
            print(
                f"{dense:9} {fusion:8} {weight:4.1f} {m['hit@1']:6.3f} {m['hit@5']:6.3f} {m['mrr']:6.3f} "
                f"{m['ndcg@10']:6.3f}"
            )


if __name__ == "__main__":
    main()
