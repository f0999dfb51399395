"""The evaluation report: markdown tables side by side, per-question JSON, a PNG chart, and this system's failures."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from .questions import Question

RETRIEVAL_COLUMNS = [
    ("hit@1", "hit@1"),
    ("hit@3", "hit@3"),
    ("hit@5", "hit@5"),
    ("mrr", "MRR"),
    ("ndcg@10", "nDCG@10"),
    ("hit@150w", "hit@150w"),
    ("hit@300w", "hit@300w"),
    ("page@1", "page@1"),
    ("search_p50_ms", "search p50 ms"),
    ("search_p95_ms", "search p95 ms"),
]
ANSWER_COLUMNS = [
    ("figure_accuracy", "figure acc"),
    ("first_sentence_accuracy", "first-sentence acc"),
    ("citation_precision", "citation precision"),
    ("evidence_cited", "evidence cited"),
    ("abstention", "abstains (unanswerable)"),
    ("abstention_near_miss", "abstains (near-miss twins)"),
    ("false_abstention", "false abstention"),
    ("answer_page", "answer page acc"),
    ("answer_p50_ms", "answer p50 ms"),
    ("answer_p95_ms", "answer p95 ms"),
]
CHART_METRICS = [("hit@1", "hit@1"), ("mrr", "MRR"), ("figure_accuracy", "figure accuracy"), ("page@1", "page@1")]


def _cell(key: str, value) -> str:
    if value is None:
        return "-"
    if key.endswith("_ms"):
        return f"{value:.0f}"
    return f"{value:.3f}"


def _has(results: list[dict], split: str, key: str) -> bool:
    return any(r["summary"].get(split, {}).get(key) is not None for r in results)


def _table(results: list[dict], split: str, columns: list[tuple[str, str]]) -> list[str]:
    columns = [(k, h) for k, h in columns if _has(results, split, k)]
    lines = ["| config | " + " | ".join(h for _, h in columns) + " |", "|---|" + "---:|" * len(columns)]
    for result in results:
        s = result["summary"].get(split)
        if s:
            lines.append(f"| {result['config']} | " + " | ".join(_cell(k, s.get(k)) for k, _ in columns) + " |")
    return lines


def markdown_tables(results: list[dict]) -> str:
    splits = [s for s in ("dev", "test") if any(s in r["summary"] for r in results)]
    others = sorted({s for r in results for s in r["summary"]} - {"dev", "test", "all"})
    lines: list[str] = []
    for split in [*splits, *others, "all"]:
        first = next((r["summary"][split] for r in results if split in r["summary"]), None)
        if first is None:
            continue
        lines.append(
            f"\n### {split}: {first['n']} questions ({first['n_answerable']} answerable, "
            f"{first['n_unanswerable']} unanswerable; {first['n_retrieval']} with evidence"
            + (f", {first['n_page']} with gold pages" if first["n_page"] else "")
            + ")\n"
        )
        lines.append("Retrieval (top 10 passages)\n")
        lines.extend(_table(results, split, RETRIEVAL_COLUMNS))
        lines.append("\nAnswers\n")
        lines.extend(_table(results, split, ANSWER_COLUMNS))
    lines.append("\n### Ingest\n")
    lines.append("| config | ingest s | chunks | what it is |")
    lines.append("|---|---:|---:|---|")
    for r in results:
        seconds = "-" if r["ingest_seconds"] is None else f"{r['ingest_seconds']:.1f}"
        chunks = "-" if r["chunks"] is None else str(r["chunks"])
        lines.append(f"| {r['config']} | {seconds} | {chunks} | {r['description']} |")
    return "\n".join(lines)


def _pages(page) -> str:
    return "/".join(str(p) for p in page) if isinstance(page, list) else str(page)


def failure_reasons(row: dict, question: Question) -> list[str]:
    """Why an answer fails the reader: what the Failures section lists."""
    abstained = bool(row.get("abstained"))
    if not question.answerable:
        return ["answered a question the documents cannot answer"] if not abstained else []
    if abstained:
        return [f"abstained ({row.get('reason') or 'no reason given'})"]
    reasons = []
    if row.get("figure_ok") == 0.0:
        reasons.append("expected number(s) not in the answer and a cited sentence")
    elif row.get("figure_ok") is None and row.get("evidence_cited") == 0.0:
        reasons.append("no cited sentence holds the evidence")
    if row.get("answer_page_ok") == 0.0:
        gold_doc = question.extra.get("doc")
        cited = f"p. {row.get('cited_page')}"
        if gold_doc and row.get("cited_source") and row["cited_source"] != gold_doc:
            cited = f"{row['cited_source']} {cited}"
        reasons.append(f"cited {cited}, expected p. {_pages(question.extra.get('page'))}")
    if reasons and row.get("hit@5") == 0.0:
        reasons.append("evidence not in the top 5 passages")
    return reasons


def failures_section(result: dict, questions: list[Question]) -> str:
    by_id = {q.id: q for q in questions}
    lines = [f"## Failures ({result['config']})\n"]
    count = 0
    for row in result["rows"]:
        q = by_id[row["id"]]
        reasons = failure_reasons(row, q)
        if not reasons:
            continue
        count += 1
        expected = ", ".join(q.answer_numbers) if q.answer_numbers else (q.answer or "(not in the documents)")
        where = f" ({q.extra['doc']}, p. {_pages(q.extra.get('page'))})" if q.extra.get("doc") else ""
        lines.append(f"### {q.id} [{q.split}, {q.type}] {q.question}\n")
        lines.append(f"- why: {'; '.join(reasons)}")
        lines.append(f"- expected: {expected}{where}")
        if q.evidence:
            lines.append(f'- evidence: "{" ".join(q.evidence[0].split())}"')
        top_where = f" (p. {row['top_page']})" if row.get("top_page") else ""
        lines.append(f"- top passage{top_where}: {row['top'][:240]}")
        lines.append(f"- answer: {row['answer'][:400]}\n")
    if not count:
        lines.append("None.\n")
    lines.insert(1, f"{count} of {len(result['rows'])} questions.\n")
    return "\n".join(lines)


def write_chart(path: Path, results: list[dict], split: str = "all") -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = [(k, label) for k, label in CHART_METRICS if _has(results, split, k)]
    names = [r["config"] for r in results]
    width = 0.8 / max(1, len(shown))
    fig, ax = plt.subplots(figsize=(max(6, 1.6 * len(names) + 2), 4.2))
    for i, (key, label) in enumerate(shown):
        values = [r["summary"][split].get(key) or 0.0 for r in results]
        xs = [j + (i - (len(shown) - 1) / 2) * width for j in range(len(names))]
        bars = ax.bar(xs, values, width, label=label)
        ax.bar_label(bars, labels=[f"{v:.2f}" for v in values], fontsize=7, padding=1)
    ax.set_xticks(range(len(names)), names)
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("score")
    n = results[0]["summary"][split]["n"] if results else 0
    ax.set_title(f"Headline metrics per configuration ({split}, {n} questions)")
    ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_report(report_dir: Path, results: list[dict], questions: list[Question], meta: dict) -> str:
    report_dir.mkdir(parents=True, exist_ok=True)
    table = markdown_tables(results)
    meta = {**meta, "created": datetime.now(UTC).isoformat(timespec="seconds")}
    header = [
        "# Evaluation report\n",
        f"- questions: `{meta['questions']}` ({meta['n_questions']})",
        f"- corpus: `{meta['corpus']}` ({len(meta['documents'])} documents)",
        f"- store: `{meta['store']}`",
        f"- run took {meta['seconds']} s; created {meta['created']}",
        "",
        "Retrieval metrics count a passage as relevant when it contains an evidence quote (answerable questions "
        "with evidence). page@1: the top passage is on the gold page of the gold document; answer page acc: the "
        "first citation's page is the gold page. Abstention is over unanswerable questions, false abstention over "
        "answerable ones. Ingest time excludes loading the embedding model.",
    ]
    body = "\n".join(header) + "\n" + table + "\n"
    mine = next((r for r in results if r["config"] == meta.get("this_system")), None)
    if mine is not None:
        body += "\n" + failures_section(mine, questions)
    body += "\n![headline metrics](report.png)\n"
    (report_dir / "report.md").write_text(body, encoding="utf-8")
    payload = {"meta": meta, "configs": results}
    (report_dir / "report.json").write_text(json.dumps(payload, indent=1, ensure_ascii=False), encoding="utf-8")
    write_chart(report_dir / "report.png", results)
    return table
