"""Load: 200 questions from 16 concurrent HTTP clients against `safeguard serve` on loopback.

No errors, and every answer identical to the single-client answer for the same question. The
latencies under load are written to test-artifacts/load.json for the benchmark table.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import web_server
from gradio_http import GradioHTTP
from helpers import ROOT

from eval.metrics import percentile
from eval.questions import load_questions

CLIENTS = 16
REQUESTS = 200


def _answer_text(output) -> str:
    chat = output[0]
    return chat[-1]["content"] if isinstance(chat, list) and chat else repr(output)


@pytest.fixture(scope="module")
def server(bundled_store, tmp_path_factory):
    """One `safeguard serve` with two answer worker processes (serve's default on two cores) over a copy of the
    bundled store, for the module: the load test reads through it, and the last test stops it (a server with
    its workers loads three models and stores, so it is started once). Stopped here if a test has not."""
    store = tmp_path_factory.mktemp("load") / "store"
    shutil.copytree(bundled_store, store)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SAFEGUARD_ANSWER_WORKERS", "2")  # two workers on any machine, as the last test needs
        worker = web_server._start(store, None, None)
    try:
        web_server._wait_ready(worker, time.time() + 180)
        yield worker
    finally:
        web_server._stop(worker)


def test_two_hundred_questions_from_sixteen_clients(server):
    questions = [q.question for q in load_questions()][:25]
    url = server.url
    single = GradioHTTP(url)
    fn = single.event("sg-ask", "click")

    def ask(question: str) -> tuple[str, float]:
        client = GradioHTTP(url)
        started = time.perf_counter()
        status, output = client.call("sg-ask", "click", [question, [], None, "", "", "", ""], fn=fn)
        assert status == 200 and isinstance(output, list), (status, output)
        return _answer_text(output), (time.perf_counter() - started) * 1000

    expected = {q: ask(q)[0] for q in questions}
    workload = [questions[i % len(questions)] for i in range(REQUESTS)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(ask, workload))
    elapsed = time.perf_counter() - started
    mismatched = [q for q, (text, _) in zip(workload, results, strict=True) if text != expected[q]]
    assert not mismatched, mismatched[:3]
    latencies = [ms for _, ms in results]
    record = {
        "clients": CLIENTS,
        "requests": REQUESTS,
        "seconds": round(elapsed, 1),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "errors": 0,
    }
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    (ROOT / "test-artifacts" / "load.json").write_text(json.dumps(record, indent=1))


def test_answer_workers_see_what_another_process_ingested_and_deleted(writable_store, tmp_path):
    """A worker process answering for the server reads a document ingested after it started (by the server
    process, as an upload is), Chroma vectors included, and answers from it; once the document is deleted
    it answers without it."""
    from app.answer_pool import AnswerPool
    from index.config import Settings
    from index.writer import delete
    from ingest.pipeline import ingest_paths

    folder = tmp_path / "new"
    folder.mkdir()
    (folder / "zedshire-note.txt").write_text(
        "Zedshire Safeguarding Partnership Note 2023/24\n\nPrivate fostering\n\n"
        "In 2023/24 the Zedshire partnership recorded 417 private fostering notifications.\n"
    )
    settings = Settings.from_env(store=writable_store)
    question = "How many private fostering notifications did Zedshire record in 2023/24?"
    pool = AnswerPool(settings, 1)
    try:
        assert "417" not in pool.answer(question).text
        assert ingest_paths([folder], settings, progress=False).ingested
        answer = pool.answer(question)
        delete(settings, "zedshire-note.txt")  # as the Library tab's delete does, in the server process
        after_delete = pool.answer(question)
    finally:
        pool.close()
    assert not answer.abstained and "417" in answer.text
    assert answer.citations[0].passage.doc_id == "zedshire-note.txt"
    assert answer.citations[0].passage.dense_score is not None  # found by its vector too, not by keywords alone
    assert "417" not in after_delete.text
    assert all(c.passage.doc_id != "zedshire-note.txt" for c in after_delete.citations)


def _children(pid: int) -> list[int]:
    tasks = Path(f"/proc/{pid}/task")
    return [int(child) for task in tasks.iterdir() for child in (task / "children").read_text().split()]


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_stopping_the_server_ends_its_answer_workers(server):
    """`safeguard serve` answers in worker processes (on by default with two cores or more); stopped by its
    process id, it ends them too, and none is left running. Runs last: it stops the module's server."""
    client = GradioHTTP(server.url)
    question = "How many children were looked after at the end of 2018/19?"
    status, output = client.call("sg-ask", "click", [question, [], None, "", "", "", ""])
    assert status == 200 and "191" in str(_answer_text(output))
    pid = server.process.pid
    workers = [p for p in _children(pid) if "spawn_main" in Path(f"/proc/{p}/cmdline").read_text()]
    assert len(workers) >= 2
    os.kill(pid, signal.SIGTERM)
    server.process.wait(timeout=60)
    deadline = time.time() + 10
    while any(_running(pid) for pid in workers) and time.time() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in workers if _running(pid)]
