"""Chroma: server mode against a real `chroma run` on loopback, each store in its own collection, stores made
before store ids, and two `serve` workers sharing one server."""

from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import web_server
from documents import write_docx, write_pdf
from gradio_http import GradioHTTP
from helpers import run_cli, store_meta

from index import vectors
from index.config import Settings
from index.registry import Registry
from index.search import Searcher
from ingest.pipeline import ingest_paths

PDF, DOCX = "testshire-annual-report.pdf", "riverside-missing-protocol.docx"
REFERRALS = "how many referrals did the front door receive"
POLICE = "when must police be told a child is missing"


def _server(url: str):
    return vectors.client_for(Path("unused"), url)


def _own_collection(store: Path) -> str:
    return vectors.collection_name(store_meta(store, "store_id"))


def _folder(root: Path, *writers) -> Path:
    root.mkdir()
    for name, write in writers:
        write(root / name)
    return root


def _forget_store_id(store: Path) -> None:
    """Make the store look like one made before store ids: no id, no recorded collection."""
    db = sqlite3.connect(store / "registry.sqlite")
    with db:
        db.execute("DELETE FROM meta WHERE key IN ('store_id', ?)", (vectors.COLLECTION_KEY,))
    db.close()


def _results(settings: Settings, queries: list[str]) -> list[list[tuple[str, float, float | None]]]:
    searcher = Searcher(settings)
    return [[(p.chunk_id, p.score, p.dense_score) for p in searcher.search(q, k=5)] for q in queries]


def test_ingest_and_search_through_a_chroma_server(chroma_server, tmp_path):
    docs = _folder(tmp_path / "docs", (PDF, write_pdf), (DOCX, write_docx))
    store = tmp_path / "store"
    result = run_cli("--chroma-url", chroma_server, "ingest", str(docs), store=store)
    assert result.returncode == 0, result.stderr
    assert not (store / "chroma").exists()  # the vectors live on the server
    remote = _server(chroma_server).get_collection(_own_collection(store))
    assert remote.count() > 0
    settings = Settings.from_env(store=store, chroma_url=chroma_server)
    # Two searchers on one server give the same answers.
    first, second = Searcher(settings), Searcher(settings)
    for query in [REFERRALS, POLICE]:
        a = [(p.chunk_id, round(p.score, 6)) for p in first.search(query, k=5)]
        b = [(p.chunk_id, round(p.score, 6)) for p in second.search(query, k=5)]
        assert a == b and a
    top = first.search(REFERRALS, k=1)[0]
    assert "2,418" in top.text and top.page == 2


def test_two_stores_on_one_server_keep_their_own_vectors(chroma_server, tmp_path):
    store_a, store_b = tmp_path / "store-a", tmp_path / "store-b"
    settings_a = Settings.from_env(store=store_a, chroma_url=chroma_server)
    settings_b = Settings.from_env(store=store_b, chroma_url=chroma_server)
    ingest_paths([_folder(tmp_path / "a", (PDF, write_pdf))], settings_a, progress=False)
    ingest_paths([_folder(tmp_path / "b", (DOCX, write_docx))], settings_b, progress=False)
    server = _server(chroma_server)
    name_a, name_b = _own_collection(store_a), _own_collection(store_b)
    assert name_a != name_b and {name_a, name_b} <= {c.name for c in server.list_collections()}
    assert vectors.LEGACY_COLLECTION not in {c.name for c in server.list_collections()}
    ids_b = vectors.all_ids(server.get_collection(name_b))
    assert ids_b and all(i.startswith(f"{DOCX}@") for i in ids_b)
    assert all(i.startswith(f"{PDF}@") for i in vectors.all_ids(server.get_collection(name_a)))
    queries = [REFERRALS, POLICE]
    before_b = _results(settings_b, queries)
    assert before_b[1][0][0].startswith(f"{DOCX}@") and before_b[1][0][2] is not None  # found densely too

    # Store A's writers reconcile (delete every vector A's registry does not know) twice: an ingest of a new
    # document, then a delete. With a shared collection that would wipe B's vectors.
    extra = _folder(tmp_path / "a2", ("northfield.md", lambda p: p.write_text(NORTHFIELD)))
    report = ingest_paths([extra], settings_a, progress=False)
    assert [d for d, _ in report.ingested] == ["northfield.md"]
    deleted = run_cli("--chroma-url", chroma_server, "delete", PDF, store=store_a)
    assert deleted.returncode == 0, deleted.stderr

    assert vectors.all_ids(server.get_collection(name_b)) == ids_b
    after_b = _results(settings_b, queries)
    for got, want in zip(after_b, before_b, strict=True):
        assert [c for c, _, _ in got] == [c for c, _, _ in want]
        assert [s for _, s, _ in got] == pytest.approx([s for _, s, _ in want], abs=1e-4)
    # Neither store sees the other's passages, in search or in its collection.
    for settings, own in ((settings_a, {"northfield.md"}), (settings_b, {DOCX})):
        searcher = Searcher(settings)
        for query in queries + ["Northfield children missing from education"]:
            assert {p.doc_id for p in searcher.search(query, k=10)} <= own
    assert all(i.startswith("northfield.md@") for i in vectors.all_ids(server.get_collection(name_a)))


NORTHFIELD = "1. Scope\nThe Northfield protocol covers children missing from education for 15 days or more.\n"


def test_a_store_from_before_store_ids_moves_off_the_shared_server_collection(chroma_server, tmp_path):
    store = tmp_path / "store"
    settings = Settings.from_env(store=store, chroma_url=chroma_server)
    ingest_paths([_folder(tmp_path / "docs", (PDF, write_pdf))], settings, progress=False)
    server = _server(chroma_server)
    own = vectors.all_ids(server.get_collection(_own_collection(store)))
    # Turn it into a store of the old kind: its vectors in the one shared collection, beside another store's.
    server.get_collection(_own_collection(store)).modify(name=vectors.LEGACY_COLLECTION)
    shared = server.get_collection(vectors.LEGACY_COLLECTION)
    shared.upsert(ids=["other.txt@0123456789#0"], embeddings=[[0.1] * 384], metadatas=[{"doc_id": "other.txt"}])
    _forget_store_id(store)

    top = Searcher(settings).search(REFERRALS, k=1)[0]
    assert "2,418" in top.text and top.dense_score is not None  # its vectors came along
    name = store_meta(store, vectors.COLLECTION_KEY)
    assert name == _own_collection(store) != vectors.LEGACY_COLLECTION
    assert vectors.all_ids(server.get_collection(name)) == own
    report = ingest_paths([_folder(tmp_path / "more", ("northfield.md", lambda p: p.write_text(NORTHFIELD)))], settings)
    assert report.ingested
    # The shared collection is left alone: the other store's vector is still there.
    assert "other.txt@0123456789#0" in vectors.all_ids(server.get_collection(vectors.LEGACY_COLLECTION))
    registry = Registry(store)
    assert vectors.all_ids(server.get_collection(name)) == registry.chunk_ids()
    registry.close()


def test_an_embedded_store_from_before_store_ids_keeps_its_collection(writable_store, tmp_path):
    store = writable_store
    settings = Settings.from_env(store=store)
    queries = ["how many referrals did the MASH get in 2018-19", "looked after children at year end"]
    before = _results(settings, queries)
    client = vectors.client_for(store, None)
    client.get_collection(store_meta(store, vectors.COLLECTION_KEY)).modify(name=vectors.LEGACY_COLLECTION)
    _forget_store_id(store)

    after = _results(settings, queries)
    assert [[c for c, _, _ in r] for r in after] == [[c for c, _, _ in r] for r in before]
    assert all(d is not None for r in after for _, _, d in r[:1])
    assert store_meta(store, vectors.COLLECTION_KEY) == vectors.LEGACY_COLLECTION and store_meta(store, "store_id")
    ingest_paths([_folder(tmp_path / "more", ("northfield.md", lambda p: p.write_text(NORTHFIELD)))], settings)
    assert [c.name for c in client.list_collections()] == [vectors.LEGACY_COLLECTION]
    registry = Registry(store)
    assert vectors.all_ids(client.get_collection(vectors.LEGACY_COLLECTION)) == registry.chunk_ids()
    registry.close()


ASKED = [REFERRALS, POLICE, "What was the partnership budget for 2022/23?", "What is the capital of France?"]


def _ask(client: GradioHTTP, fn, question: str):
    status, output = client.call("sg-ask", "click", [question, [], None, "", "", "", ""], fn=fn)
    assert status == 200 and isinstance(output, list), (status, output)
    return output


@contextmanager
def _two_serve_workers(store: Path, chroma_url: str, monkeypatch):
    """Two `serve` processes on one store and Chroma server, started together: the first answers in its answer
    worker processes (serve's default on two cores or more), the second in its own process. Their answers must
    agree all the same, and the second does not load two more copies of the model and store."""
    workers = []
    try:
        for answer_workers in ("2", "0"):
            monkeypatch.setenv("SAFEGUARD_ANSWER_WORKERS", answer_workers)
            workers.append(web_server._start(store, None, chroma_url))
        monkeypatch.delenv("SAFEGUARD_ANSWER_WORKERS")
        deadline = time.time() + 180
        for worker in workers:
            web_server._wait_ready(worker, deadline)
        yield [worker.url for worker in workers]
    finally:
        for worker in workers:
            web_server._stop(worker)


def test_two_serve_workers_on_one_chroma_server_answer_alike(chroma_server, tmp_path, monkeypatch):
    store = tmp_path / "store"
    settings = Settings.from_env(store=store, chroma_url=chroma_server)
    ingest_paths([_folder(tmp_path / "docs", (PDF, write_pdf), (DOCX, write_docx))], settings, progress=False)
    started = time.perf_counter()
    with _two_serve_workers(store, chroma_server, monkeypatch) as urls:
        clients = [GradioHTTP(url) for url in urls]
        fns = [client.event("sg-ask", "click") for client in clients]
        for question in ASKED:
            first, second = (_ask(client, fn, question) for client, fn in zip(clients, fns, strict=True))
            # Every output alike: the chat, the sources panel (cited passages), the citation choices, the
            # answer with its references as copyable text.
            assert first == second, question
            # Outputs: chat, conversation, previous question, sources, citation choices, copy text, ...
            answer, citations = first[5], first[4]["choices"]
            if question != ASKED[-1]:
                assert "[1]" in answer and citations and "sg-cited" in first[3], (question, answer)
        assert "2,418" in _ask(clients[1], fns[1], REFERRALS)[5]
        assert "2 hours" in _ask(clients[0], fns[0], POLICE)[5]
    assert time.perf_counter() - started < 300
    assert not (store / "chroma").exists()
