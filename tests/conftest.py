"""Shared fixtures: one store over the bundled corpus per session, copied for tests that write."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
BUNDLED = CORPUS / "camden-scb-annual-report-2018-19.txt"
EXTERNAL = ROOT.parent / "shared" / "corpus" / "external"
SAFEGUARD = [sys.executable, "-m", "app.cli"]


def run_cli(*args: str, store: Path | None = None, check: bool = False, timeout: int = 300):
    command = SAFEGUARD + (["--store", str(store)] if store else []) + list(args)
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"{command} exited {result.returncode}: {result.stderr[-2000:]}")
    return result


@pytest.fixture(scope="session")
def settings_for():
    from ingest.config import Settings

    return lambda store: Settings.from_env(store=store)


@pytest.fixture(scope="session")
def bundled_store(tmp_path_factory, settings_for) -> Path:
    """The bundled corpus ingested once; tests must not write to it (use `writable_store`)."""
    from ingest.pipeline import ingest_paths

    store = tmp_path_factory.mktemp("bundled") / "store"
    report = ingest_paths([CORPUS], settings_for(store), progress=False)
    assert report.ingested and not report.refused, report
    return store


@pytest.fixture
def writable_store(bundled_store, tmp_path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(bundled_store, target)
    return target


@pytest.fixture(scope="session")
def searcher(bundled_store, settings_for):
    from index.search import Searcher

    return Searcher(settings_for(bundled_store))
