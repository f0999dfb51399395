"""Chroma server mode: ingest and search against a real `chroma run` server started on loopback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import run_cli
from documents import write_docx, write_pdf
from web_server import free_port

from index.search import Searcher
from ingest.config import Settings

CHROMA = Path(sys.executable).with_name("chroma")


@pytest.fixture
def chroma_server(tmp_path):
    port = free_port()
    log = open(tmp_path / "chroma.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(tmp_path / "chroma-data"), "--host", "127.0.0.1", "--port", str(port)],
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


def test_ingest_and_search_through_a_chroma_server(chroma_server, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    write_pdf(docs / "testshire-annual-report.pdf")
    write_docx(docs / "riverside-missing-protocol.docx")
    store = tmp_path / "store"
    result = run_cli("--chroma-url", chroma_server, "ingest", str(docs), store=store)
    assert result.returncode == 0, result.stderr
    assert not (store / "chroma").exists()  # the vectors live on the server
    import chromadb

    host, port = chroma_server.rsplit(":", 1)
    remote = chromadb.HttpClient(host="127.0.0.1", port=int(port)).get_collection("safeguard_chunks")
    assert remote.count() > 0
    settings = Settings.from_env(store=store, chroma_url=chroma_server)
    # Two workers on one server give the same answers.
    first, second = Searcher(settings), Searcher(settings)
    for query in ["how many referrals did the front door receive", "when must police be told a child is missing"]:
        a = [(p.chunk_id, round(p.score, 6)) for p in first.search(query, k=5)]
        b = [(p.chunk_id, round(p.score, 6)) for p in second.search(query, k=5)]
        assert a == b and a
    top = first.search("how many referrals did the front door receive", k=1)[0]
    assert "2,418" in top.text and top.page == 2
