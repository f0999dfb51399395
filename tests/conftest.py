"""Shared fixtures: one store over the bundled corpus per session, copied for tests that write.

Constants and helper functions that test modules import live in helpers.py.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from helpers import CORPUS

CHROMA_CLI = str(Path(sys.executable).with_name("chroma"))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


@pytest.fixture(scope="session")
def settings_for():
    from index.config import Settings

    return lambda store: Settings.from_env(store=store)


@pytest.fixture(scope="session")
def bundled_store(tmp_path_factory, settings_for, worker_id) -> Path:
    """The bundled corpus ingested once per run; tests must not write to it (use `writable_store`).

    Under pytest-xdist the workers share one copy: whichever needs it first ingests it while the others wait
    on a file lock, then all of them read it, as a server and its answer workers read one store. Ingesting
    it once per worker cost each of them over a minute of the suite's ten."""
    from filelock import FileLock

    from ingest.pipeline import ingest_paths

    root = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        root = root.parent  # the run's folder, above each worker's own
    store, done = root / "bundled" / "store", root / "bundled" / "ingested"
    with FileLock(str(root / "bundled.lock")):
        if not done.exists():
            report = ingest_paths([CORPUS], settings_for(store), progress=False)
            assert report.ingested and not report.refused, report
            done.touch()
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


@pytest.fixture(scope="module")
def answerer(searcher):
    """One answerer per test module over the bundled store."""
    from app.engine.answer import Answerer

    return Answerer(searcher)


@pytest.fixture
def docs_dir(tmp_path):
    """A folder with a generated PDF (tests/documents.py PDF_PAGES) and a generated DOCX."""
    from documents import write_docx, write_pdf

    folder = tmp_path / "docs"
    folder.mkdir()
    write_pdf(folder / "testshire-annual-report.pdf")
    write_docx(folder / "riverside-missing-protocol.docx")
    return folder


def pytest_sessionstart(session):
    """Each test run writes its own security record (see helpers.record_attack), cleared once before any test
    by the main process: under pytest-xdist a worker that starts later would delete what another had written."""
    if hasattr(session.config, "workerinput"):  # a pytest-xdist worker
        return
    from helpers import SECURITY_DIR

    if SECURITY_DIR.is_dir():
        for path in SECURITY_DIR.glob("*.jsonl"):
            path.unlink()


@pytest.fixture
def chroma_server(tmp_path):
    """A `chroma run` server on a free loopback port for one test; stopped by PID afterwards."""
    from web_server import free_port

    port = free_port()
    log = open(tmp_path / "chroma.log", "w")  # noqa: SIM115 - closed below
    data = str(tmp_path / "chroma-data")
    process = subprocess.Popen(
        [CHROMA_CLI, "run", "--path", data, "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert process.poll() is None and time.time() < deadline, (tmp_path / "chroma.log").read_text()
            time.sleep(0.3)
        yield url
    finally:
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()
