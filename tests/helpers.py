"""Shared constants and helpers for the tests: paths, the CLI in a subprocess, and views of a store.

Fixtures live in conftest.py; everything a test module imports by name lives here.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
BUNDLED = CORPUS / "camden-scb-annual-report-2018-19.txt"
EXTERNAL = ROOT.parent / "shared" / "corpus" / "external"
SAFEGUARD = [sys.executable, "-m", "app.cli"]
# Debian's chromium, started as the browser tests need it here (no sandbox as root, no background network).
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
]
MASH_QUESTION = "how many referrals did the MASH get in 2018-19"


def run_cli(*args: str, store: Path | None = None, check: bool = False, timeout: int = 300):
    command = SAFEGUARD + (["--store", str(store)] if store else []) + list(args)
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"{command} exited {result.returncode}: {result.stderr[-2000:]}")
    return result


def ingest_folder(folder, store, **kw):
    """Ingest one folder into a store with the settings the environment gives."""
    from index.config import Settings
    from ingest.pipeline import ingest_paths

    return ingest_paths([folder], Settings.from_env(store=store), progress=False, **kw)


def answerer_over(folder: Path, files: dict[str, str] | None = None, external: tuple[str, ...] = ()):
    """An answerer over a new store in `folder` holding generated documents (name -> text) and external PDFs
    (read in place, copied into the folder only to be ingested)."""
    from app.engine.answer import Answerer
    from index.config import Settings
    from index.search import Searcher

    docs = folder / "docs"
    docs.mkdir()
    for name, text in (files or {}).items():
        (docs / name).write_text(text, encoding="utf-8")
    for name in external:
        shutil.copy(EXTERNAL / name, docs / name)
    report = ingest_folder(docs, folder / "store")
    assert len(report.ingested) == len(files or {}) + len(external), report.refused
    return Answerer(Searcher(Settings.from_env(store=folder / "store")))


def store_contents(store):
    """A store's chunks, figures and documents (a list), read from its registry."""
    from index.registry import Registry

    registry = Registry(store)
    try:
        return registry.chunks(), registry.figures(), registry.documents()
    finally:
        registry.close()


def store_meta(store, key: str) -> str | None:
    """One value of a store's registry meta table (store id, Chroma collection)."""
    from index.registry import Registry

    registry = Registry(store)
    try:
        return registry.meta(key)
    finally:
        registry.close()


def store_view(store):
    """A store's chunks, figures and documents by doc_id, read from its registry."""
    from index.registry import Registry

    registry = Registry(store)
    try:
        return registry.chunks(), registry.figures(), {d.doc_id: d for d in registry.documents()}
    finally:
        registry.close()


def chunk_with(chunks, words):
    """The first chunk holding these words, whitespace ignored."""
    return next(c for c in chunks if words in " ".join(c.text.split()))


def consistent_ids(store):
    """Registry, Chroma and BM25 hold exactly the same chunk ids."""
    from index import vectors
    from index.config import Settings
    from index.keyword import KeywordIndex
    from index.registry import Registry

    settings = Settings.from_env(store=store)
    registry = Registry(store)
    ids = registry.chunk_ids()
    generation = registry.generation()
    registry.close()
    chroma_ids = vectors.all_ids(vectors.open_collection(store, None))
    keyword = KeywordIndex.load(settings.store / "bm25")
    assert chroma_ids == ids
    assert set(keyword.chunk_ids) == ids and keyword.generation == generation
    return ids


# -- the security record: each attack a test performs and what came of it ------------------------------
SECURITY_DIR = ROOT / "test-artifacts" / "security"


def record_attack(finding: str, attack: str, expected: str, observed: str, ok: bool) -> None:
    """Append one attack to test-artifacts/security/<test module>.jsonl; `python -m bench.reliability_table`
    renders them all as the README's security table. Call it after performing the attack, with ok saying
    whether it did no harm, then assert ok."""
    import json
    import os

    module = os.environ.get("PYTEST_CURRENT_TEST", "unknown::").split("::")[0].rsplit("/", 1)[-1].removesuffix(".py")
    SECURITY_DIR.mkdir(parents=True, exist_ok=True)
    entry = {
        "finding": finding,
        "attack": attack,
        "expected": expected,
        "observed": observed,
        "result": "ok" if ok else "failed",
    }
    with open(SECURITY_DIR / f"{module}.jsonl", "a", encoding="utf-8") as sink:
        sink.write(json.dumps(entry, ensure_ascii=False) + "\n")
