"""Run the question set through every configuration, side by side, and write the report.

Configurations: this system (hybrid search + extractive answers), the same store searched by BM25 only and by
dense vectors only, and the plain llama-index pipeline as its documentation sets it up, with its default
1024-token chunks and with 256-token chunks that fit the embedding model (eval/baselines.py).

Per configuration and per split (dev, test, all): retrieval hit@1/3/5, MRR, nDCG@10 and hits within the first
150/300 words shown; answer figure accuracy, first-sentence accuracy, citation precision, abstention on
unanswerable questions and false abstention on answerable ones; page accuracy where the question set has gold
pages; search and answer latency p50/p95; ingest time and chunk count. The metric functions are the ones in
eval/metrics.py and eval/answers.py, so the report and the tests agree on what a number means.

Without --corpus the bundled corpus/ is evaluated from the configured store (brought up to date first; unchanged
files are skipped cheaply). With --corpus DIR only the documents the question file names (its "doc" field) are
copied to a temporary folder and ingested into a temporary store: the user's store is never written.
"""

from __future__ import annotations

import dataclasses
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from index.config import Settings

from . import metrics
from .answers import score_answer, summarise_answers
from .questions import DEFAULT_QUESTIONS, Question, load_questions

ROOT = Path(__file__).resolve().parents[1]
BUNDLED_CORPUS = ROOT / "corpus"
RETRIEVAL_K = 10
METRIC_NAMES = ["hit@1", "hit@3", "hit@5", "mrr", "ndcg@10", "hit@150w", "hit@300w", "p50_ms", "p95_ms"]
RETRIEVAL_METRICS = ["hit@1", "hit@3", "hit@5", "mrr", "ndcg@10", "hit@150w", "hit@300w"]

THIS_SYSTEM = "hybrid"
SEARCH_MODES = ("hybrid", "bm25", "dense")
BASELINES = {"llamaindex-1024": (1024, 200), "llamaindex-256": (256, 20)}
ALL_CONFIGS = [*SEARCH_MODES, *BASELINES]
# The CLI's historical default for --configs; it (like "all" or nothing) means every configuration.
LEGACY_DEFAULT = "hybrid,bm25,dense"
DESCRIPTIONS = {
    "hybrid": "this system: BM25 + dense fused, section-aware chunks of at most 254 word pieces; extractive answers",
    "bm25": "this system's store, keyword search only; answers: the same sentence picker with no embeddings anywhere",
    "dense": "this system's store, dense search only (answers: the same answerer over this search)",
    "llamaindex-1024": "llama-index as documented: SentenceSplitter 1024/200, HuggingFaceEmbedding, Chroma, top 10; "
    "answer = first sentence with a number in the top passage",
    "llamaindex-256": "the same llama-index pipeline with 256/20 chunks, which fit the model's 256-piece window",
}


# -- retrieval-only scoring (kept for callers that bring their own retriever) ----------------------
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


# -- full configurations: search + answer ------------------------------------------------------------
@dataclass
class Config:
    """A configuration as the evaluator sees it: passages (with .text, .page, .source) and answers (ask JSON)."""

    name: str
    search: Callable[[str], list]
    answer: Callable[[str], dict]
    ingest_seconds: float | None
    chunks: int | None
    description: str = ""


@dataclass
class EvalCorpus:
    folder: Path  # what every configuration reads
    settings: Settings  # the store this system searches
    doc_ids: list[str]  # this corpus's documents in that store
    ingest_seconds: float | None  # this system's ingest of the folder into an empty store
    separate_store: bool


def parse_configs(value: str | None) -> list[str]:
    text = (value or "").strip()
    if text in ("", "all", LEGACY_DEFAULT):
        return list(ALL_CONFIGS)
    names = list(dict.fromkeys(c.strip() for c in text.split(",") if c.strip()))
    unknown = [n for n in names if n not in ALL_CONFIGS]
    if unknown:
        _bad_input(f"unknown configuration {', '.join(unknown)} (choose from {', '.join(ALL_CONFIGS)}, or all)")
    return names


class EvalInputError(ValueError):
    """Bad input to an evaluation (an unknown configuration, a missing corpus): the CLI reports it on one line."""


def _bad_input(message: str):
    raise EvalInputError(message)


def _log(message: str) -> None:
    print(f"eval: {message}", file=sys.stderr, flush=True)


def _named_docs(questions: list[Question]) -> list[str]:
    return sorted({str(q.extra["doc"]) for q in questions if q.extra.get("doc")})


def _find(corpus: Path, name: str) -> Path | None:
    direct = corpus / name
    if direct.is_file():
        return direct
    return next((p for p in sorted(corpus.rglob(name)) if p.is_file()), None)


def _warm_model(settings: Settings) -> None:
    """Load the embedding model before anything is timed, so ingest times compare pipelines, not imports."""
    from index.embed import load_model

    load_model(settings.model_path())


def _ingest(folder: Path, settings: Settings) -> float:
    from ingest.pipeline import ingest_paths

    report = ingest_paths([folder], settings, progress=False)
    for name, reason in report.refused:
        _log(f"refused {name}: {reason}")
    if report.all_refused:
        _bad_input(f"every file in {folder} was refused")
    return report.seconds


def prepare_corpus(args, settings: Settings, questions: list[Question], workdir: Path) -> EvalCorpus:
    from ingest.pipeline import collect_files

    time_ingest = getattr(args, "time_ingest", True)
    if args.corpus:
        source = Path(args.corpus)
        if not source.is_dir():
            _bad_input(f"--corpus {source}: not a folder")
        folder = source
        names = _named_docs(questions)
        if names:
            # Only the documents the question set is about: a fair, quick ingest for every configuration.
            folder = workdir / "corpus"
            folder.mkdir()
            for name in names:
                found = _find(source, name)
                if found is None:
                    _bad_input(f"{name} (named by the question file) is not in {source}")
                shutil.copy2(found, folder / Path(name).name)
        # A store of its own, never the user's (and never a shared Chroma server).
        settings = dataclasses.replace(settings, store=workdir / "store", chroma_url=None)
        separate = True
    else:
        folder = BUNDLED_CORPUS
        separate = False
    files, _ = collect_files([folder])
    if not files:
        _bad_input(f"no supported documents in {folder}")
    doc_ids = [f.doc_id for f in files]
    fresh = not (Path(settings.store) / "registry.sqlite").exists()
    _log(f"ingesting {len(files)} document(s) from {folder} into {settings.store}")
    seconds = _ingest(folder, settings)
    ingest_seconds = seconds if fresh else None
    if ingest_seconds is None and time_ingest:
        # The store was already up to date: time an ingest of the same files into an empty store.
        _log("timing a fresh ingest into a temporary store")
        timing = dataclasses.replace(settings, store=workdir / "timing-store", chroma_url=None)
        ingest_seconds = _ingest(folder, timing)
    return EvalCorpus(folder, settings, doc_ids, ingest_seconds, separate)


def scope_filter(searcher, doc_ids: list[str]):
    """None when the store holds exactly this corpus; else a filter admitting only its documents."""
    from index.records import Filters

    if set(searcher.documents) <= set(doc_ids):
        return None

    @dataclass
    class OnlyCorpus(Filters):
        doc_ids: frozenset[str] = frozenset()

        def active(self) -> bool:
            return True

        def admits(self, doc) -> bool:
            return doc.doc_id in self.doc_ids and super().admits(doc)

    _log(f"the store holds {len(searcher.documents)} documents; evaluating only the corpus's {len(doc_ids)}")
    return OnlyCorpus(doc_ids=frozenset(doc_ids))


def system_config(name: str, corpus: EvalCorpus) -> Config:
    from app.engine.answer import Answerer
    from index.registry import Registry
    from index.search import Searcher

    searcher = Searcher(corpus.settings, mode=name)
    searcher.warm_up()
    answerer = Answerer(searcher)
    scope = scope_filter(searcher, corpus.doc_ids)
    registry = Registry(corpus.settings.store)
    try:
        chunks = sum(d.chunks for d in registry.documents() if d.doc_id in set(corpus.doc_ids))
    finally:
        registry.close()
    return Config(
        name=name,
        search=lambda q: searcher.search(q, k=RETRIEVAL_K, filters=scope),
        answer=lambda q: answerer.answer(q, filters=scope).to_json(),
        ingest_seconds=corpus.ingest_seconds,
        chunks=chunks,
        description=DESCRIPTIONS[name],
    )


def baseline_config(name: str, corpus: EvalCorpus) -> Config:
    from .baselines import build_llamaindex_baseline

    size, overlap = BASELINES[name]
    baseline = build_llamaindex_baseline(corpus.folder, size, overlap, top_k=RETRIEVAL_K)
    return Config(
        name=name,
        search=baseline.retrieve,
        answer=baseline.answer,
        ingest_seconds=baseline.ingest_seconds,
        chunks=baseline.chunk_count,
        description=DESCRIPTIONS[name],
    )


def gold_pages(question: Question) -> set[int]:
    """The question's gold physical page(s): an int, or a list when the answer is stated on several pages."""
    page = question.extra.get("page")
    if page is None:
        return set()
    return {int(p) for p in page} if isinstance(page, list) else {int(page)}


def _page_ok(page, source, question: Question) -> float:
    gold_doc = question.extra.get("doc")
    same_doc = not gold_doc or Path(str(source or "")).name == Path(str(gold_doc)).name
    return float(same_doc and page is not None and int(page) in gold_pages(question))


def _clip(text: str, n: int) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= n else flat[: n - 3] + "..."


def score_question(config: Config, q: Question) -> dict:
    started = time.perf_counter()
    passages = config.search(q.question)
    search_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    answer = config.answer(q.question)
    answer_ms = (time.perf_counter() - started) * 1000
    texts = [p.text for p in passages]
    row: dict = {"id": q.id, "split": q.split, "type": q.type, "question": q.question}
    if q.answerable and q.evidence:
        row.update(score_retrieval(q, texts))
    else:
        row.update(dict.fromkeys(RETRIEVAL_METRICS))
    row.update(score_answer(q, answer))
    citations = answer.get("citations") or []
    if gold_pages(q):
        top = passages[0] if passages else None
        row["page@1"] = _page_ok(top.page, top.source, q) if top else 0.0
        first = citations[0] if citations and not answer.get("abstained") else None
        row["answer_page_ok"] = _page_ok(first.get("page"), first.get("source"), q) if first else 0.0
    else:
        row["page@1"] = row["answer_page_ok"] = None
    top = passages[0] if passages else None
    row.update(
        {
            "search_ms": round(search_ms, 2),
            "answer_ms": round(answer_ms, 2),
            "top": _clip(top.text, 300) if top else "",
            "top_source": top.source if top else None,
            "top_page": top.page if top else None,
            "answer": _clip(answer.get("answer", ""), 600),
            "reason": answer.get("reason", ""),
            "cited_source": citations[0].get("source") if citations else None,
            "cited_page": citations[0].get("page") if citations else None,
            "cited_sentence": _clip(citations[0].get("sentence", ""), 400) if citations else "",
        }
    )
    return row


def _mean_of(rows: list[dict], key: str) -> float | None:
    values = [r[key] for r in rows if r.get(key) is not None]
    return metrics.mean(values) if values else None


def summarise_config(rows: list[dict], questions: list[Question]) -> dict[str, dict]:
    out = {}
    splits = sorted({r["split"] for r in rows})
    for split in [*splits, "all"]:
        chosen = [r for r in rows if split == "all" or r["split"] == split]
        scored = [r for r in chosen if r.get("hit@1") is not None]
        summary: dict = {m: (metrics.mean([r[m] for r in scored]) if scored else None) for m in RETRIEVAL_METRICS}
        summary["n_retrieval"] = len(scored)
        summary.update(summarise_answers(questions, chosen))
        summary["n_answerable"] = sum(1 for r in chosen if r["type"] != "unanswerable")
        summary["n_unanswerable"] = sum(1 for r in chosen if r["type"] == "unanswerable")
        summary["page@1"] = _mean_of(chosen, "page@1")
        summary["answer_page"] = _mean_of(chosen, "answer_page_ok")
        summary["n_page"] = sum(1 for r in chosen if r.get("page@1") is not None)
        for kind in ("search", "answer"):
            latencies = [r[f"{kind}_ms"] for r in chosen]
            summary[f"{kind}_p50_ms"] = metrics.percentile(latencies, 50)
            summary[f"{kind}_p95_ms"] = metrics.percentile(latencies, 95)
        summary["n"] = len(chosen)
        out[split] = summary
    return out


def evaluate(config: Config, questions: list[Question]) -> dict:
    rows = [score_question(config, q) for q in questions]
    return {
        "config": config.name,
        "description": config.description,
        "ingest_seconds": None if config.ingest_seconds is None else round(config.ingest_seconds, 2),
        "chunks": config.chunks,
        "summary": summarise_config(rows, questions),
        "rows": rows,
    }


def run_eval(args, settings: Settings) -> str:
    from .report import write_report

    started = time.perf_counter()
    path = Path(args.questions) if args.questions else DEFAULT_QUESTIONS
    if not path.is_file():
        _bad_input(f"--questions {path}: no such file")
    try:
        questions = load_questions(path)
    except ValueError as exc:
        _bad_input(str(exc))
    if not questions:
        _bad_input(f"{path} holds no questions")
    configs = parse_configs(getattr(args, "configs", None))
    report_dir = Path(args.report or "eval-report")
    with tempfile.TemporaryDirectory(prefix="safeguard-eval-", ignore_cleanup_errors=True) as tmp:
        _warm_model(settings)
        corpus = prepare_corpus(args, settings, questions, Path(tmp))
        results = []
        for name in configs:
            _log(f"{name}: preparing")
            config = baseline_config(name, corpus) if name in BASELINES else system_config(name, corpus)
            _log(f"{name}: {len(questions)} questions")
            results.append(evaluate(config, questions))
        meta = {
            "questions": str(path),
            "corpus": str(Path(args.corpus) if args.corpus else BUNDLED_CORPUS),
            "documents": corpus.doc_ids,
            "store": "(temporary)" if corpus.separate_store else str(corpus.settings.store),
            "configs": configs,
            "this_system": THIS_SYSTEM,
            "n_questions": len(questions),
            "seconds": round(time.perf_counter() - started, 1),
        }
        table = write_report(report_dir, results, questions, meta)
    _log(f"report written to {report_dir} in {time.perf_counter() - started:.0f} s")
    return table
