"""Hybrid search and the CLI contract: JSON shapes, filters, batch, exit codes."""

from __future__ import annotations

import json

from conftest import run_cli

from index.search import Filters

MASH_QUESTION = "how many referrals did the MASH get in 2018-19"


def test_search_json_contract_finds_the_mash_figure(bundled_store):
    result = run_cli("search", MASH_QUESTION, "--json", "--k", "5", store=bundled_store)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)  # stdout is JSON only
    assert payload["query"] == MASH_QUESTION
    passages = payload["passages"]
    assert [p["rank"] for p in passages] == [1, 2, 3, 4, 5]
    assert set(passages[0]) == {"rank", "doc_id", "source", "title", "section", "page", "page_label", "text", "score"}
    assert any("1,394" in p["text"] for p in passages[:3])
    scores = [p["score"] for p in passages]
    assert scores == sorted(scores, reverse=True)
    assert passages[0]["page"] is None and passages[0]["doc_id"] == "camden-scb-annual-report-2018-19.txt"


def test_hybrid_ranks_vocabulary_and_paraphrase(searcher):
    top = searcher.search("children looked after at year end", k=3)
    assert any("191" in p.text for p in top)
    budget = searcher.search("what was the board's budget", k=3)
    assert any("£178, 430" in p.text for p in budget)


def test_filters_limit_results(searcher):
    assert searcher.search(MASH_QUESTION, k=3, filters=Filters(period="2018-19"))
    assert searcher.search(MASH_QUESTION, k=3, filters=Filters(period="2021/22")) == []
    assert searcher.search(MASH_QUESTION, k=3, filters=Filters(doc="no-such-doc")) == []
    assert searcher.search(MASH_QUESTION, k=3, filters=Filters(kind="annual report"))
    assert searcher.search(MASH_QUESTION, k=3, filters=Filters(collection="other")) == []
    assert searcher.search(MASH_QUESTION, k=3, filters=Filters(body="Camden"))


def test_search_batch_keeps_order_and_reports_bad_lines(bundled_store, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        json.dumps({"id": "a", "question": MASH_QUESTION, "extra": 1})
        + "\n"
        + "{not json\n"
        + json.dumps({"id": "c"})
        + "\n"
        + json.dumps({"id": "d", "question": "private fostering arrangements"})
        + "\n"
    )
    out = tmp_path / "out.jsonl"
    result = run_cli("search", "--batch", str(questions), "--out", str(out), "--k", "3", store=bundled_store)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["id"] for line in lines] == ["a", "line-2", "c", "d"]
    assert len(lines[0]["passages"]) == 3 and lines[0]["latency_ms"] > 0
    assert "error" in lines[1] and "error" in lines[2]
    assert "Private Fostering" in lines[3]["passages"][0]["section"]


def test_docs_and_delete(writable_store):
    docs = json.loads(run_cli("docs", "--json", store=writable_store, check=True).stdout)
    assert [d["doc_id"] for d in docs] == ["camden-scb-annual-report-2018-19.txt"]
    assert docs[0]["chunks"] > 100 and docs[0]["period"] == "2018/19"
    missing = run_cli("delete", "nope.txt", store=writable_store)
    assert missing.returncode == 2 and "nope.txt" in missing.stderr
    run_cli("delete", docs[0]["doc_id"], store=writable_store, check=True)
    assert json.loads(run_cli("docs", "--json", store=writable_store, check=True).stdout) == []
    empty = run_cli("search", "referrals", store=writable_store)
    assert empty.returncode == 2 and "no documents" in empty.stderr


def test_bad_input_exit_codes(tmp_path):
    empty = run_cli("search", "anything", store=tmp_path / "none")
    assert empty.returncode == 2 and "empty" in empty.stderr
    unknown = run_cli("frobnicate", store=tmp_path / "none")
    assert unknown.returncode == 2
    missing = run_cli("ingest", str(tmp_path / "missing.pdf"), store=tmp_path / "s")
    assert missing.returncode == 2 and "missing.pdf" in missing.stderr
