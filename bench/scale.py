"""Scale benchmark: ingest cost, store size and query latency as one store grows to ~20,000 chunks.

Usage: python -m bench.scale [--target-chunks 20000] [--report DIR] [--external DIR]    (make bench-scale)

The corpus is the real external documents (read in place from ../shared/corpus/external), the bundled
corpus, and generated variants of the external documents: their text with place names, numbers and
some wording changed (see bench/variants.py), written as text files in a temporary folder, so every
variant is a distinct document with its own BM25 terms and embeddings, not a byte copy. The store
grows in steps (default: an eighth, a quarter, a half and all of the target); after each step the
ingest time of that step, its stage breakdown, the store's size on disk and search/ask latency over
a fixed question set are measured, and bench-report/scale.json and scale.md are rewritten, so an
interrupted run keeps the steps it finished.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bench.report import write_report
from bench.run import percentiles, time_queries
from bench.variants import make_variant

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EXTERNAL = Path(__file__).resolve().parents[2] / "shared/corpus/external"
# Chunks per character of cleaned text, measured on the external corpus; corrected after every step.
CHUNKS_PER_CHAR = 1 / 750
# A rough planning figure for 2 CPU cores, measured before sentence vectors came from the chunk pass: a chunk
# brought ~6 sentences, each embedded too, so
# ingest runs at ~10 chunks/s on an idle machine and at 3-5 chunks/s on a busy one.
PLANNING_CHUNKS_PER_S = 8


@dataclass
class Source:
    """One original document: its file, and its cleaned text for making variants."""

    path: Path
    text: str


@dataclass
class Item:
    """One document to ingest: an original file, or variant `round` of an original."""

    source: Source
    round: int

    @property
    def chars(self) -> int:
        return len(self.source.text)


def load_sources(folders: list[Path]) -> list[Source]:
    """The text of every document in the folders, through the project's own loader and cleaner."""
    from index.config import Settings
    from ingest.clean import clean_pages
    from ingest.loaders import LoadError, load_file
    from ingest.pipeline import collect_files

    max_pages = Settings.from_env().max_pages
    files, _ = collect_files(folders)
    sources = []
    for file in files:
        try:
            loaded = load_file(file.path, max_pages)
        except LoadError as exc:
            print(f"skipped {file.path.name}: {exc}", file=sys.stderr)
            continue
        pages = clean_pages(loaded.pages).pages
        text = "\n\n".join(p.text.strip("\n") for p in pages)
        sources.append(Source(file.path, text))
    return sources


def write_variant(item: Item, folder: Path, seed: int) -> Path:
    stem = item.source.path.stem
    path = folder / f"{stem}-variant-{item.round:02d}.txt"
    path.write_text(make_variant(item.source.text, item.round, seed=seed, name=stem), encoding="utf-8")
    return path


class StageTimer:
    """Wall time spent in each ingest stage, by wrapping the functions the writer calls (at run time only:
    nothing in ingest/ or index/ changes). A function that has been renamed is simply not timed."""

    STAGES = (
        ("index.writer", "parse_file", "parse"),
        ("index.sentence_vectors", "embed_document", "embed"),
        ("index.vectors", "add_chunks", "vectors"),
        ("index.registry:Registry", "put_document", "registry"),
        ("index.writer:StoreWriter", "refresh_keyword_index", "keyword index"),
        ("index.writer:StoreWriter", "reconcile", "reconcile"),
    )

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.counts: dict[str, int] = defaultdict(int)
        import importlib

        for target, name, stage in self.STAGES:
            module_name, _, class_name = target.partition(":")
            owner = importlib.import_module(module_name)
            owner = getattr(owner, class_name) if class_name else owner
            original = getattr(owner, name, None)
            if callable(original):
                setattr(owner, name, self._timed(original, stage))
        from index.embed import Embedder

        # Texts sent to the model (not found in the embedding cache), to show the variants really differ.
        for method in ("encode", "encode_with_spans"):
            setattr(Embedder, method, self._counted(getattr(Embedder, method)))

    def _counted(self, encode):
        def counted(embedder, texts, *args, **kwargs):
            self.counts["embedded"] += len(texts)
            return encode(embedder, texts, *args, **kwargs)

        return counted

    def _timed(self, function, stage: str):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[stage] += time.perf_counter() - started
                if stage == "embed" and len(args) > 1:
                    self.counts["embed_texts"] += len(args[1])

        return timed

    def snapshot(self) -> tuple[dict[str, float], dict[str, int]]:
        return dict(self.seconds), dict(self.counts)


def store_size_mb(store: Path) -> float:
    """Disk usage of the store directory (du)."""
    out = subprocess.run(["du", "-sk", str(store)], capture_output=True, text=True, check=True).stdout
    return round(int(out.split()[0]) / 1024, 1)


def rss_mb() -> float:
    return _proc_status_mb("VmRSS")


def _proc_status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def store_counts(store: Path) -> dict:
    from index.registry import Registry

    registry = Registry(store)
    try:
        return registry.counts()
    finally:
        registry.close()


def pick_questions(count: int) -> list[str]:
    """Alternately from the bundled corpus's question set and the external PDFs' set: both kinds of
    document are in the store."""
    from eval.questions import DEFAULT_QUESTIONS, load_questions

    sets = [[q.question for q in load_questions()]]
    pdf = DEFAULT_QUESTIONS.with_name("questions_pdf.jsonl")
    if pdf.exists():
        sets.append([q.question for q in load_questions(pdf)])
    picked = []
    for group in zip(*sets, strict=False):
        picked.extend(group)
    return picked[:count]


def bench_queries(store: Path, questions: list[str], warm_up: int = 10) -> dict:
    from app.engine.answer import Answerer
    from index.config import Settings
    from index.search import Searcher

    started = time.perf_counter()
    searcher = Searcher(Settings.from_env(store=store))
    answerer = Answerer(searcher)
    opened = time.perf_counter() - started
    search, ask, answers = time_queries(searcher, answerer, questions, warm_up)
    searcher.registry.close()
    return {
        "open_searcher_s": round(opened, 2),
        "search": percentiles(search),
        "ask": percentiles(ask),
        "abstained": sum(1 for a in answers if a.abstained),
        "query_process_peak_rss_mb": _peak_rss_mb(),
    }


def queries_in_fresh_process(store: Path, questions: int) -> dict:
    """Query latency measured in a new process, as a freshly started `safeguard serve` would answer: the
    ingesting process's memory and thread state do not colour the numbers."""
    command = [sys.executable, "-m", "bench.scale", "--measure-queries", str(store), "--questions", str(questions)]
    out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"query measurement failed: {out.stderr.strip()[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def cpu_seconds() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def step_targets(target: int, steps: int) -> list[int]:
    return sorted({max(1, round(target / 2**n)) for n in range(steps)})


def plan_batch(pool: list[Item], have: int, target: int, ratio: float) -> list[Item]:
    """The next documents from the pool whose expected chunks bring the store to the target."""
    batch, expected = [], have
    while pool and expected < target:
        item = pool.pop(0)
        batch.append(item)
        expected += item.chars * ratio
    return batch


def markdown(results: dict) -> str:
    lines = [
        "| step | documents | chunks | sentences | ingest of step | chunks/s | CPU s per s (load) | sent to model "
        "| store on disk | open searcher | search p50 / p95 | ask p50 / p95 |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in results["steps"]:
        lines.append(
            f"| {s['step']} | {s['documents']} | {s['chunks']:,} | {s['sentences']:,} "
            f"| {s['ingest_s']} s (+{s['added_chunks']:,} chunks) | {s['chunks_per_s']} "
            f"| {s['ingest_cpu_per_wall']} ({s['load_average_1m']}) "
            f"| {s['embedded']:,} of {s['embed_texts']:,} texts | {s['store_mb']} MB "
            f"| {s['queries']['open_searcher_s']} s "
            f"| {s['queries']['search']['p50_ms']} / {s['queries']['search']['p95_ms']} ms "
            f"| {s['queries']['ask']['p50_ms']} / {s['queries']['ask']['p95_ms']} ms |"
        )
    stages = [name for _, _, name in StageTimer.STAGES] + ["other"]
    lines += ["", "Ingest time of each step by stage (seconds, share of the step):", ""]
    lines.append("| step | " + " | ".join(stages) + " |")
    lines.append("|---" * (len(stages) + 1) + "|")
    for s in results["steps"]:
        cells = []
        for stage in stages:
            seconds = s["stages_s"].get(stage, 0.0)
            cells.append(f"{seconds:.1f} ({seconds / max(s['ingest_s'], 1e-9):.0%})")
        lines.append(f"| {s['step']} | " + " | ".join(cells) + " |")
    config = results["config"]
    last = results["steps"][-1]["queries"] if results["steps"] else {}
    lines += [
        "",
        f"{config['questions']} questions, measured in a fresh process after {config['warm_up']} warm-up answers; "
        "search = Searcher.search(q, k=5), ask = Answerer(searcher).answer(q); 'open searcher' = Searcher and "
        "Answerer construction. 'CPU s per s (load)' = CPU seconds the ingest used per wall second, and the "
        "1-minute load average during it: on an idle machine the CPU figure approaches the core count. "
        "'sent to model' = chunk and sentence texts not found in the embedding cache. "
        f"Machine: {config['cpus']} CPUs. Peak RSS: ingest process {results.get('peak_rss_mb', '?')} MB, "
        f"query process {last.get('query_process_peak_rss_mb', '?')} MB (largest store).",
    ]
    return "\n".join(lines)


def write_scale_report(report: Path, results: dict) -> str:
    table = markdown(results)
    write_report(report, "scale", results, table)
    return table


def run(args: argparse.Namespace) -> dict:
    from index.config import Settings
    from ingest.pipeline import ingest_paths

    external = Path(args.external)
    if not external.is_dir():
        raise SystemExit(f"external corpus not found: {external} (use --external DIR)")
    started_all = time.perf_counter()
    originals = load_sources([external])
    bundled = [] if args.no_bundled else load_sources([ROOT / "corpus"])
    if not originals:
        raise SystemExit(f"no readable documents in {external}")
    variants_each = range(1, args.max_variants + 1)
    pool = [Item(s, 0) for s in bundled + originals] + [Item(s, r) for r in variants_each for s in originals]
    questions = pick_questions(args.questions)
    targets = step_targets(args.target_chunks, args.steps)
    print(
        f"{len(originals)} external + {len(bundled)} bundled documents, {sum(len(s.text) for s in originals):,} "
        f"characters; steps to {', '.join(f'{t:,}' for t in targets)} chunks; planning estimate "
        f"~{args.target_chunks / PLANNING_CHUNKS_PER_S / 60:.0f} min of ingest",
        flush=True,
    )
    timer = StageTimer()
    ratio = CHUNKS_PER_CHAR
    results = {
        "config": {
            "target_chunks": args.target_chunks,
            "external": str(external),
            "external_documents": len(originals),
            "bundled_documents": len(bundled),
            "questions": len(questions),
            "warm_up": min(10, len(questions)),
            "seed": args.seed,
            "cpus": os.cpu_count(),
            "model": Settings.from_env().model,
        },
        "steps": [],
    }
    report = Path(args.report)
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        store = Path(args.store) if args.store else Path(tmp) / "store"
        variants = Path(tmp) / "variants"
        variants.mkdir()
        settings = Settings.from_env(store=store)
        have = store_counts(store)["chunks"] if (store / "registry.sqlite").exists() else 0
        chars_in = round(have / ratio)
        for number, target in enumerate(targets, start=1):
            before_s, before_n = timer.snapshot()
            ingest_s, added, refused, loads = 0.0, 0, [], [load_average()]
            cpu_before = cpu_seconds()
            while have < target and pool:
                batch = plan_batch(pool, have, target, ratio)
                files = [
                    item.source.path if item.round == 0 else write_variant(item, variants, args.seed) for item in batch
                ]
                started = time.perf_counter()
                outcome = ingest_paths(files, settings, progress=False)
                ingest_s += time.perf_counter() - started
                refused += outcome.refused
                new = sum(n for _, n in outcome.ingested)
                added, have = added + new, have + new
                chars_in += sum(item.chars for item in batch)
                ratio = have / max(chars_in, 1)
                loads.append(load_average())
            cpu = cpu_seconds() - cpu_before
            after_s, after_n = timer.snapshot()
            stages = {k: round(after_s.get(k, 0.0) - before_s.get(k, 0.0), 2) for k in after_s}
            stages["other"] = round(max(0.0, ingest_s - sum(stages.values())), 2)
            counts = store_counts(store)
            step = {
                "step": number,
                "target_chunks": target,
                **counts,
                "added_chunks": added,
                "ingest_s": round(ingest_s, 1),
                "chunks_per_s": round(added / ingest_s, 1) if ingest_s else None,
                # CPU seconds per wall second of ingest: near the core count when the machine is otherwise idle.
                "ingest_cpu_per_wall": round(cpu / ingest_s, 2) if ingest_s else None,
                "load_average_1m": round(sum(loads) / len(loads), 2),
                "embed_texts": after_n.get("embed_texts", 0) - before_n.get("embed_texts", 0),
                "embedded": after_n.get("embedded", 0) - before_n.get("embedded", 0),
                "stages_s": stages,
                "refused": refused,
                "store_mb": store_size_mb(store),
                "queries": queries_in_fresh_process(store, args.questions),
                "ingest_process_rss_mb": rss_mb(),
                "elapsed_s": round(time.perf_counter() - started_all, 1),
            }
            results["steps"].append(step)
            results["peak_rss_mb"] = _peak_rss_mb()
            table = write_scale_report(report, results)
            print(
                f"step {number}: {counts['chunks']:,} chunks, ingest {step['ingest_s']} s "
                f"({step['chunks_per_s']} chunks/s), store {step['store_mb']} MB, search p50 "
                f"{step['queries']['search']['p50_ms']} ms, ask p50 {step['queries']['ask']['p50_ms']} ms; "
                f"{step['elapsed_s'] / 60:.1f} min so far",
                flush=True,
            )
            if number < len(targets) and step["chunks_per_s"]:
                left = (targets[-1] - have) / step["chunks_per_s"] / 60
                print(f"  about {left:.0f} min of ingest left at this step's rate", flush=True)
            if not pool and have < target:
                print(f"ran out of variants at {have:,} chunks (raise --max-variants)", file=sys.stderr)
                break
    print(table)
    return results


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss it does not carry over a fork's parent)."""
    return _proc_status_mb("VmHWM")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--target-chunks", type=int, default=20000)
    parser.add_argument("--steps", type=int, default=4, help="store sizes measured: target/2^(steps-1) ... target")
    parser.add_argument("--report", default="bench-report")
    parser.add_argument("--external", default=str(DEFAULT_EXTERNAL), help="folder of the external documents")
    parser.add_argument("--no-bundled", action="store_true", help="leave out the bundled corpus/ folder")
    parser.add_argument("--questions", type=int, default=30)
    parser.add_argument("--max-variants", type=int, default=40, help="variants of each external document, at most")
    parser.add_argument("--seed", type=int, default=6, help="seed of the variants' places, numbers and wording")
    parser.add_argument("--store", help="build the store here and keep it (default: a temporary folder)")
    parser.add_argument("--measure-queries", metavar="STORE", help=argparse.SUPPRESS)  # the per-step child process
    args = parser.parse_args(argv)
    if args.measure_queries:
        print(json.dumps(bench_queries(Path(args.measure_queries), pick_questions(args.questions))))
        return
    run(args)


if __name__ == "__main__":
    main()
