"""The CLI contract (app.cli): JSON shapes, batch files, docs and delete, exit codes."""

from __future__ import annotations

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from documents import write_encrypted_pdf
from helpers import MASH_QUESTION, run_cli

ASK_QUESTION = "What percentage of child protection conferences had GP reports?"
CHECK_CLAIM = "Camden had 199 looked after children at the end of 2018/19"


@pytest.fixture(scope="module")
def read_runs(bundled_store, tmp_path_factory) -> tuple[dict[str, subprocess.CompletedProcess], Path]:
    """Every CLI call that only reads the bundled store, started together: each process loads the model, and
    their start-ups overlap on two cores. The tests below assert on their results."""
    folder = tmp_path_factory.mktemp("cli")
    (folder / "q.jsonl").write_text(
        json.dumps({"id": "a", "question": MASH_QUESTION, "extra": 1})
        + "\n"
        + "{not json\n"
        + json.dumps({"id": "c"})
        + "\n"
        + json.dumps({"id": "d", "question": "private fostering arrangements"})
        + "\n"
    )
    (folder / "questions.jsonl").write_text(
        json.dumps({"id": "x", "question": "How many referrals did the MASH get in 2021/22?"}) + "\n" + "[]\n"
    )
    calls = {
        "search": ["search", MASH_QUESTION, "--json", "--k", "5"],
        "search batch": ["search", "--batch", str(folder / "q.jsonl"), "--out", str(folder / "out.jsonl"), "--k", "3"],
        "ask": ["ask", ASK_QUESTION, "--json"],
        "ask batch": ["ask", "--batch", str(folder / "questions.jsonl"), "--out", str(folder / "answers.jsonl")],
        "check": ["check", CHECK_CLAIM, "--json"],
    }
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = {name: pool.submit(run_cli, *args, store=bundled_store) for name, args in calls.items()}
        return {name: future.result() for name, future in futures.items()}, folder


def test_search_json_contract_finds_the_mash_figure(read_runs):
    result = read_runs[0]["search"]
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


def test_search_batch_keeps_order_and_reports_bad_lines(read_runs):
    runs, folder = read_runs
    result, out = runs["search batch"], folder / "out.jsonl"
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["id"] for line in lines] == ["a", "line-2", "c", "d"]
    assert len(lines[0]["passages"]) == 3 and lines[0]["latency_ms"] > 0
    assert "error" in lines[1] and "error" in lines[2]
    assert "Private Fostering" in lines[3]["passages"][0]["section"]


def test_ask_and_check_cli_contract(read_runs):
    runs, folder = read_runs
    result = runs["ask"]
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert set(answer) >= {"question", "answer", "abstained", "reason", "citations", "figures", "closest"}
    assert "94%" in answer["answer"] and not answer["abstained"]
    assert set(answer["citations"][0]) == {
        "n",
        "doc_id",
        "source",
        "title",
        "section",
        "page",
        "page_label",
        "sentence",
        "passage",
    }
    assert set(answer["figures"][0]) >= {
        "as_written",
        "value",
        "unit",
        "label",
        "period",
        "citation",
        "computed",
        "from",
    }
    batch, out = runs["ask batch"], folder / "answers.jsonl"
    assert batch.returncode == 0, batch.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert lines[0]["id"] == "x" and lines[0]["abstained"] and lines[0]["citations"] == [] and lines[0]["closest"]
    assert "error" in lines[1]
    check = runs["check"]
    verdict = json.loads(check.stdout)
    assert verdict["verdict"] == "contradicted" and verdict["document_value"] == "191"
    assert verdict["citation"]["section"] == "4.3 Looked after children"


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


def test_every_file_refused_exits_2(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    write_encrypted_pdf(folder / "locked.pdf")
    result = run_cli("ingest", str(folder), store=tmp_path / "store")
    assert result.returncode == 2
    assert "locked.pdf" in result.stderr and "encrypted" in result.stderr
