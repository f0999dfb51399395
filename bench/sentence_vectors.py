"""Chunk and sentence vectors made the ways index/sentence_vectors.py knows, side by side: sentences pooled
from their chunk's model pass, or embedded on their own; chunks embedded, or composed from their sentences.

Usage: python -m bench.sentence_vectors [--report DIR] [--external DIR] [--methods direct,composed]

For each method: ingest the bundled corpus and the real PDFs the PDF question sets are about into fresh
stores (timed), then score retrieval and answers on the dev split of the two bundled question sets and the
two PDF question sets (never the held-out splits). Also how many word pieces the model read during each
ingest (the texts handed to it are only noted while timing; they are counted afterwards). Written to
DIR/sentence_vectors.json and .md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench.report import write_report

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EXTERNAL = ROOT.parent / "shared/corpus/external"
BUNDLED_SETS = ("eval/questions.jsonl", "eval/questions_blind.jsonl")
PDF_SETS = ("eval/questions_pdf.jsonl", "eval/questions_blind_pdf.jsonl")
SHOWN = ("hit@1", "hit@5", "mrr", "figure_accuracy", "citation_precision", "abstention", "false_abstention")


def dev_questions(path: str):
    from eval.questions import load_questions

    return [q for q in load_questions(ROOT / path) if q.split == "dev"]


def pdfs_named(sets: tuple[str, ...], external: Path) -> list[Path]:
    names = sorted({q.extra.get("doc") for path in sets for q in dev_questions(path)} - {None, ""})
    return [external / name for name in names if (external / name).is_file()]


@contextlib.contextmanager
def noting_model_input(seen: list[str]) -> Iterator[None]:
    """Every text handed to the embedding model meanwhile is appended to seen (nothing else is done to it)."""
    from index.embed import Embedder

    encode, with_spans = Embedder.encode, Embedder.encode_with_spans

    def noted_encode(self, texts, *args, **kwargs):
        seen.extend(texts)
        return encode(self, texts, *args, **kwargs)

    def noted_with_spans(self, texts, *args, **kwargs):
        seen.extend(texts)
        return with_spans(self, texts, *args, **kwargs)

    Embedder.encode, Embedder.encode_with_spans = noted_encode, noted_with_spans
    try:
        yield
    finally:
        Embedder.encode, Embedder.encode_with_spans = encode, with_spans


def word_pieces_read(texts: list[str]) -> int:
    """Word pieces the model read of these texts: markers included, each cut at the model's window as it is."""
    from index.config import Settings
    from index.embed import load_model

    if not texts:
        return 0
    model = load_model(Settings.from_env().model_path())
    window = model.layout.max_seq_length
    return sum(min(pieces + 2, window) for pieces in model.word_pieces(texts))  # + [CLS] and [SEP]


def ingest(paths: list[Path], store: Path) -> tuple[float, int, int]:
    from index.config import Settings
    from ingest.pipeline import ingest_paths

    seen: list[str] = []
    started = time.perf_counter()
    with noting_model_input(seen):
        report = ingest_paths(paths, Settings.from_env(store=store), progress=False)
    took = time.perf_counter() - started
    return took, sum(n for _, n in report.ingested), word_pieces_read(seen)


def score(store: Path, question_set: str) -> dict:
    from app.engine.answer import Answerer
    from eval.runner import Config, scope_filter, score_question, summarise_config
    from index.config import Settings
    from index.search import Searcher

    questions = dev_questions(question_set)
    searcher = Searcher(Settings.from_env(store=store))
    searcher.warm_up()
    answerer = Answerer(searcher)
    named = {q.extra.get("doc") for q in questions} - {None, ""}
    scope = scope_filter(searcher, sorted(named)) if named else None
    config = Config(
        "hybrid",
        lambda q: searcher.search(q, k=10, filters=scope),
        lambda q: answerer.answer(q, filters=scope).to_json(),
        None,
        None,
    )
    rows = [score_question(config, q) for q in questions]
    summary = summarise_config(rows, questions)["dev"]
    return {m: (round(summary[m], 3) if summary.get(m) is not None else None) for m in (*SHOWN, "n")}


def run_method(method: str, pdfs: list[Path], scratch: Path) -> dict:
    from index import sentence_vectors

    sentence_vectors.METHOD = method
    bundled, pdf_store = scratch / f"{method}-bundled", scratch / f"{method}-pdf"
    bundled_s, bundled_chunks, bundled_pieces = ingest([ROOT / "corpus"], bundled)
    pdf_s, pdf_chunks, pdf_pieces = ingest(pdfs, pdf_store)
    out = {
        "ingest_bundled_s": round(bundled_s, 1),
        "bundled_chunks": bundled_chunks,
        "bundled_word_pieces": bundled_pieces,
        "ingest_pdfs_s": round(pdf_s, 1),
        "pdf_chunks": pdf_chunks,
        "pdf_word_pieces": pdf_pieces,
        "pdfs": len(pdfs),
    }
    for name in BUNDLED_SETS:
        out[name] = score(bundled, name)
    for name in PDF_SETS:
        out[name] = score(pdf_store, name)
    return out


def markdown(results: dict) -> str:
    methods = list(results)
    lines = ["| measure | " + " | ".join(methods) + " |", "|---|" + "---|" * len(methods)]
    keys = (
        "ingest_bundled_s",
        "bundled_chunks",
        "bundled_word_pieces",
        "ingest_pdfs_s",
        "pdf_chunks",
        "pdf_word_pieces",
    )
    for key in keys:
        lines.append(f"| {key} | " + " | ".join(str(results[m].get(key)) for m in methods) + " |")
    for name in (*BUNDLED_SETS, *PDF_SETS):
        for metric in (*SHOWN, "n"):
            cells = [str(results[m][name].get(metric)) for m in methods]
            lines.append(f"| {Path(name).stem} dev {metric} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--report", default="bench-report")
    parser.add_argument("--external", default=str(DEFAULT_EXTERNAL))
    parser.add_argument("--methods", default="direct,pooled")
    args = parser.parse_args()
    pdfs = pdfs_named(PDF_SETS, Path(args.external))
    results = {}
    report = Path(args.report)
    report.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for method in args.methods.split(","):
            results[method] = run_method(method, pdfs, Path(tmp))
            (report / "sentence_vectors.json").write_text(json.dumps(results, indent=1))
    table = markdown(results)
    write_report(report, "sentence_vectors", results, table)
    print(table)


if __name__ == "__main__":
    main()
