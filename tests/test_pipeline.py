"""Ingest over files (ingest.pipeline): unchanged files are skipped, bad files refused and the batch goes on."""

from __future__ import annotations

import json
import subprocess
import sys

from documents import write_corrupt_pdf, write_encrypted_pdf
from helpers import ROOT, run_cli
from helpers import consistent_ids as _consistent
from helpers import ingest_folder as _ingest

from index.config import Settings
from ingest.pipeline import ingest_paths


def test_reingest_unchanged_is_a_noop_without_heavy_imports(docs_dir, tmp_path):
    store = tmp_path / "store"
    _ingest(docs_dir, store)
    before = _consistent(store)
    code = (
        "import sys, json; from pathlib import Path; from index.config import Settings;"
        "from ingest.pipeline import ingest_paths;"
        f"r = ingest_paths([Path({str(docs_dir)!r})], Settings.from_env(store={str(store)!r}), progress=False);"
        "heavy = [m for m in ('torch', 'onnxruntime', 'chromadb', 'llama_index', 'sentence_transformers')"
        " if m in sys.modules];"
        "print(json.dumps({'ingested': r.ingested, 'unchanged': r.unchanged, 'heavy': heavy}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    result = json.loads(out.stdout)
    assert result == {"ingested": [], "unchanged": sorted(result["unchanged"]), "heavy": []}
    assert len(result["unchanged"]) == 2
    assert _consistent(store) == before


def test_bad_pdfs_are_reported_and_the_batch_goes_on(docs_dir, tmp_path):
    write_encrypted_pdf(docs_dir / "locked.pdf")
    write_corrupt_pdf(docs_dir / "broken.pdf")
    (docs_dir / "empty.txt").write_bytes(b"")
    store = tmp_path / "store"
    result = run_cli("ingest", str(docs_dir), "--json", store=store)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    refused = {r["file"].rsplit("/", 1)[-1]: r["reason"] for r in out["refused"]}
    assert "encrypted" in refused["locked.pdf"]
    assert "corrupt" in refused["broken.pdf"] or "no text" in refused["broken.pdf"]
    assert "empty" in refused["empty.txt"]
    assert {i["doc_id"] for i in out["ingested"]} == {"testshire-annual-report.pdf", "riverside-missing-protocol.docx"}
    for name in refused:
        assert f"refused {docs_dir / name}" in result.stderr


def test_file_over_the_size_limit_is_refused_quickly(tmp_path, monkeypatch):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "big.txt").write_text("Large safeguarding text. " * 60000)
    (folder / "small.txt").write_text("1. Scope\nA short protocol about missing children.\n")
    monkeypatch.setenv("SAFEGUARD_MAX_FILE_MB", "1")
    report = ingest_paths([folder], Settings.from_env(store=tmp_path / "store"), progress=False)
    assert [d for d, _ in report.ingested] == ["small.txt"]
    ((name, reason),) = report.refused
    assert name.endswith("big.txt") and "limit of 1 MB" in reason
