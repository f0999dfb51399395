"""Calibrate the abstention threshold on dev splits only: answerable vs unanswerable questions.

Picks the threshold that abstains on the most unanswerable questions while keeping false abstention
on answerable ones at or under 10%, over the dev questions of every set given (the bundled report's
set and, when its documents are present, the PDF set), so the threshold is not fitted to one
document's style. Never run on the test split: that split measures the result.

Usage: python -m bench.calibrate_abstention [--store DIR] [--pdf-corpus DIR] [--curve] [--mode bm25]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from types import SimpleNamespace

from app.engine.answer import Answerer
from eval.questions import load_questions
from eval.runner import prepare_corpus, scope_filter
from index.config import Settings
from index.search import Searcher
from index.tuning import MAX_FALSE_ABSTENTION

ROOT = Path(__file__).resolve().parents[1]


def _observe(questions, corpus_dir, settings, workdir, mode: str) -> list[tuple[bool, bool, float]]:
    args = SimpleNamespace(corpus=corpus_dir, time_ingest=False)
    corpus = prepare_corpus(args, settings, questions, workdir)
    searcher = Searcher(corpus.settings, mode=mode)
    scope = scope_filter(searcher, corpus.doc_ids)
    answerer = Answerer(searcher, threshold=float("-inf"))
    seen = []
    for q in questions:
        answer = answerer.answer(q.question, filters=scope)
        seen.append((q.answerable, answer.abstained, answer.confidence))
    return seen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", default=".safeguard")
    parser.add_argument("--pdf-corpus", default=str(ROOT.parent / "shared" / "corpus" / "external"))
    parser.add_argument("--curve", action="store_true", help="print every threshold tried")
    parser.add_argument("--mode", default="hybrid", help="hybrid (this system) or bm25 (the keyword-only baseline)")
    args = parser.parse_args()
    settings = Settings.from_env(store=args.store)
    sets = [(ROOT / "eval" / "questions.jsonl", None)]
    if Path(args.pdf_corpus).is_dir():
        sets.append((ROOT / "eval" / "questions_pdf.jsonl", args.pdf_corpus))
    seen = []
    with tempfile.TemporaryDirectory() as tmp:
        for number, (path, corpus_dir) in enumerate(sets):
            dev = [q for q in load_questions(path) if q.split == "dev"]
            workdir = Path(tmp) / str(number)
            workdir.mkdir()
            seen += _observe(dev, corpus_dir, settings, workdir, args.mode)
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
    print(f"{len(seen)} dev questions from {len(sets)} set(s)")
    print(f"threshold {best[0]:.3f}: abstention {best[1]:.2f}, false abstention {best[2]:.2f} on dev")


if __name__ == "__main__":
    main()
