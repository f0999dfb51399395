"""Run the question set through search configurations and write a side-by-side report.

Each configuration is a function from question to ranked passage texts; the metrics are the ones in
eval/metrics.py, so the report and the tests agree on what a number means.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ingest.config import Settings

from . import metrics
from .questions import DEFAULT_QUESTIONS, Question, load_questions

RETRIEVAL_K = 10
METRIC_NAMES = ["hit@1", "hit@3", "hit@5", "mrr", "ndcg@10", "hit@150w", "hit@300w", "p50_ms", "p95_ms"]


def score_retrieval(question: Question, passages: list[str]) -> dict[str, float]:
    rels = metrics.relevance(passages, question.evidence)
    return {
        "hit@1": metrics.hit_at(rels, 1),
        "hit@3": metrics.hit_at(rels, 3),
        "hit@5": metrics.hit_at(rels, 5),
        "mrr": metrics.reciprocal_rank(rels),
        "ndcg@10": metrics.ndcg_at(rels, 10),
        "hit@150w": metrics.hit_within_words(passages, question.evidence, 150),
        "hit@300w": metrics.hit_within_words(passages, question.evidence, 300),
    }


def evaluate_config(name: str, retrieve: Callable[[str], list[str]], questions: list[Question]) -> dict:
    rows = []
    for q in questions:
        if not q.answerable or not q.evidence:
            continue
        started = time.perf_counter()
        passages = retrieve(q.question)
        latency = (time.perf_counter() - started) * 1000
        row = {"id": q.id, "split": q.split, "type": q.type, "latency_ms": round(latency, 2)}
        row.update(score_retrieval(q, passages))
        row["top"] = passages[0][:200] if passages else ""
        rows.append(row)
    return {"config": name, "rows": rows, "summary": summarise(rows)}


def summarise(rows: list[dict]) -> dict[str, dict[str, float]]:
    out = {}
    for split in sorted({r["split"] for r in rows}) + ["all"]:
        chosen = [r for r in rows if split == "all" or r["split"] == split]
        summary = {m: metrics.mean([r[m] for r in chosen]) for m in METRIC_NAMES if not m.endswith("_ms")}
        latencies = [r["latency_ms"] for r in chosen]
        summary["p50_ms"] = metrics.percentile(latencies, 50)
        summary["p95_ms"] = metrics.percentile(latencies, 95)
        summary["n"] = len(chosen)
        out[split] = summary
    return out


def searcher_config(settings: Settings, mode: str, **options) -> Callable[[str], list[str]]:
    from index.search import Searcher

    searcher = Searcher(settings, mode=mode, **options)
    searcher.warm_up()
    return lambda question: [p.text for p in searcher.search(question, k=RETRIEVAL_K)]


def markdown_table(results: list[dict]) -> str:
    lines = []
    for split in ("dev", "test", "all"):
        lines.append(f"\n### {split}\n")
        lines.append("| config | n | " + " | ".join(METRIC_NAMES) + " |")
        lines.append("|---|---|" + "---|" * len(METRIC_NAMES))
        for result in results:
            s = result["summary"].get(split)
            if not s:
                continue
            cells = [f"{s[m]:.0f}" if m.endswith("_ms") else f"{s[m]:.3f}" for m in METRIC_NAMES]
            lines.append(f"| {result['config']} | {s['n']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def run_eval(args, settings: Settings) -> str:
    questions = load_questions(Path(args.questions) if args.questions else DEFAULT_QUESTIONS)
    if args.corpus:
        from ingest.pipeline import ingest_paths

        ingest_paths([Path(args.corpus)], settings)
    configs = [c.strip() for c in args.configs.split(",") if c.strip()]
    results = []
    for name in configs:
        print(f"eval: {name}", file=sys.stderr)
        results.append(evaluate_config(name, searcher_config(settings, mode=name), questions))
    report_dir = Path(args.report)
    report_dir.mkdir(parents=True, exist_ok=True)
    table = markdown_table(results)
    (report_dir / "report.md").write_text(f"# Retrieval evaluation\n{table}\n", encoding="utf-8")
    (report_dir / "report.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    return table
