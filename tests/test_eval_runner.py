"""The evaluator end to end on small subsets, with real components: the report an evaluator reads is right."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from helpers import EXTERNAL

from eval.answers import number_in
from eval.metrics import normalise
from eval.questions import TYPES, load_questions
from eval.runner import ALL_CONFIGS, parse_configs, run_eval

PDF_QUESTIONS = Path(__file__).resolve().parents[1] / "eval" / "questions_pdf.jsonl"
WEST_NORTHANTS = "ofsted-west-northamptonshire-focused-visit-2025.pdf"
# q005: the MASH 1,394 referrals sentence; q111: Islington is not in a Camden report; q138: who refers most.
BUNDLED_SUBSET = ["q005", "q029", "q058", "q111", "q138", "q145"]


def _write_questions(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _raw_questions(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _rows(report: dict, config: str) -> dict[str, dict]:
    result = next(r for r in report["configs"] if r["config"] == config)
    return {row["id"]: row for row in result["rows"]}


def _summary(report: dict, config: str, split: str = "all") -> dict:
    return next(r for r in report["configs"] if r["config"] == config)["summary"][split]


def test_configs_default_to_all_five_and_unknown_names_are_refused():
    from eval.runner import EvalInputError

    assert parse_configs("hybrid,bm25,dense") == ALL_CONFIGS  # the CLI's default value
    assert parse_configs("all") == parse_configs(None) == ALL_CONFIGS
    assert len(ALL_CONFIGS) == 5 and {"llamaindex-1024", "llamaindex-256"} <= set(ALL_CONFIGS)
    assert parse_configs("bm25, llamaindex-256") == ["bm25", "llamaindex-256"]
    with pytest.raises(EvalInputError, match="unknown configuration"):
        parse_configs("hybrid,tfidf")


def test_llamaindex_baseline_retrieves_from_a_tiny_corpus(tmp_path):
    from eval.baselines import build_llamaindex_baseline

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "mash.txt").write_text(
        "The front door team screens every contact. The MASH received 1,394 referrals in 2018-19. "
        "Police made most of them.\n",
        encoding="utf-8",
    )
    (corpus / "training.txt").write_text(
        "The board ran safeguarding training for teachers. Courses covered neglect and online safety.\n",
        encoding="utf-8",
    )
    (corpus / "README.md").write_text("This folder holds 999 test files.\n", encoding="utf-8")

    baseline = build_llamaindex_baseline(corpus, chunk_size=256, chunk_overlap=20)
    assert baseline.documents == 2 and baseline.sources == ["mash.txt", "training.txt"]  # README excluded
    assert baseline.chunk_count == 2 and baseline.ingest_seconds > 0
    retrieve, seconds, chunks = baseline  # the (retrieve, ingest_seconds, chunk_count) shape
    assert (seconds, chunks) == (baseline.ingest_seconds, 2)

    passages = retrieve("How many referrals did the MASH receive?")
    assert [p.source for p in passages] == ["mash.txt", "training.txt"]
    assert passages[0].rank == 1 and passages[0].page is None  # text files have no pages
    answer = baseline.answer("How many referrals did the MASH receive?")
    assert answer["abstained"] is False
    assert answer["citations"][0]["sentence"] == "The MASH received 1,394 referrals in 2018-19."
    assert number_in("1,394", answer["answer"])
    # No sentence with a number: the first sentence is the answer.
    assert baseline.answer("What did training cover?")["citations"][0]["sentence"].startswith("The board ran")


def test_eval_end_to_end_on_bundled_subset(writable_store, settings_for, tmp_path):
    wanted = {r["id"]: r for r in _raw_questions(Path(__file__).resolve().parents[1] / "eval" / "questions.jsonl")}
    questions = _write_questions(tmp_path / "q.jsonl", [wanted[i] for i in BUNDLED_SUBSET])
    report_dir = tmp_path / "report"
    args = SimpleNamespace(
        questions=str(questions),
        corpus=None,
        report=str(report_dir),
        configs="hybrid,bm25,llamaindex-1024",
        time_ingest=False,  # the store is already built; a fresh timing ingest is covered by the PDF test
    )
    table = run_eval(args, settings_for(writable_store))

    for name in ("report.md", "report.json", "report.png"):
        assert (report_dir / name).stat().st_size > 0
    assert (report_dir / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| hybrid |" in table and "| llamaindex-1024 |" in table and "### dev" in table and "### test" in table
    markdown = (report_dir / "report.md").read_text(encoding="utf-8")
    assert table in markdown and "## Failures (hybrid)" in markdown

    report = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    assert [r["config"] for r in report["configs"]] == ["hybrid", "bm25", "llamaindex-1024"]
    hybrid = _rows(report, "hybrid")
    assert set(hybrid) == set(BUNDLED_SUBSET)
    for row in hybrid.values():
        assert {"id", "split", "type", "hit@1", "mrr", "figure_ok", "search_ms", "top", "answer"} <= set(row)

    # Hand-checked: the MASH 1,394 sentence is found and quoted with its number.
    mash = hybrid["q005"]
    assert mash["hit@5"] == 1.0 and mash["figure_ok"] == 1.0 and "1,394" in mash["answer"]
    assert "1,394" in mash["top"] or mash["hit@1"] == 0.0
    # Islington is not in a Camden report: this system abstains, the llama-index baseline never does.
    assert hybrid["q111"]["abstained"] == 1.0 and hybrid["q111"]["hit@1"] is None
    assert _rows(report, "llamaindex-1024")["q111"]["abstained"] == 0.0
    assert _summary(report, "hybrid")["abstention"] == 1.0
    assert _summary(report, "llamaindex-1024")["abstention"] == 0.0
    assert _summary(report, "hybrid")["n"] == 6 and _summary(report, "hybrid")["n_unanswerable"] == 1

    # Ingest figures: this system's chunk count comes from the registry, the baseline's from Chroma.
    by_name = {r["config"]: r for r in report["configs"]}
    assert by_name["hybrid"]["chunks"] > 100 and by_name["hybrid"]["ingest_seconds"] is None
    assert 10 < by_name["llamaindex-1024"]["chunks"] < by_name["hybrid"]["chunks"]
    assert by_name["llamaindex-1024"]["ingest_seconds"] > 0


def test_pdf_question_set_is_sound():
    questions = load_questions(PDF_QUESTIONS)
    assert len(questions) >= 50 and len({q.id for q in questions}) == len(questions)
    assert {q.split for q in questions} == {"dev", "test"} and {q.type for q in questions} <= TYPES
    unanswerable = [q for q in questions if not q.answerable]
    assert 8 <= len(unanswerable) <= 15 and all(not q.evidence and "doc" not in q.extra for q in unanswerable)
    answerable = [q for q in questions if q.answerable]
    assert len({q.extra["doc"] for q in answerable}) >= 4
    for q in answerable:
        assert q.evidence and q.extra["page"], q.id
        for n in q.answer_numbers:
            assert number_in(n, q.answer), (q.id, n)


@pytest.mark.skipif(not EXTERNAL.is_dir(), reason="external safeguarding PDFs not available")
def test_pdf_evidence_is_on_its_gold_page():
    import pypdf

    pages: dict[str, list[str]] = {}
    for q in load_questions(PDF_QUESTIONS):
        if not q.answerable:
            continue
        doc = q.extra["doc"]
        if doc not in pages:
            pages[doc] = [normalise(p.extract_text() or "") for p in pypdf.PdfReader(EXTERNAL / doc).pages]
        gold = q.extra["page"] if isinstance(q.extra["page"], list) else [q.extra["page"]]
        for quote in q.evidence:
            assert any(normalise(quote) in pages[doc][p - 1] for p in gold), (q.id, quote)


@pytest.mark.skipif(not EXTERNAL.is_dir(), reason="external safeguarding PDFs not available")
def test_eval_on_pdfs_ingests_only_named_documents_into_its_own_store(settings_for, tmp_path):
    rows = _raw_questions(PDF_QUESTIONS)
    subset = [r for r in rows if r.get("doc") == WEST_NORTHANTS] + [r for r in rows if r["type"] == "unanswerable"][:2]
    questions = _write_questions(tmp_path / "q.jsonl", subset)
    user_store = tmp_path / "user-store"
    report_dir = tmp_path / "report"
    args = SimpleNamespace(
        questions=str(questions), corpus=str(EXTERNAL), report=str(report_dir), configs="hybrid,llamaindex-256"
    )
    table = run_eval(args, settings_for(user_store))

    assert not user_store.exists()  # the evaluation never writes to the user's store
    report = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    assert report["meta"]["documents"] == [WEST_NORTHANTS] and report["meta"]["store"] == "(temporary)"
    assert "page@1" in table and "answer page acc" in table
    for config in ("hybrid", "llamaindex-256"):
        summary = _summary(report, config)
        assert summary["n_page"] == 10 and summary["page@1"] is not None and summary["answer_page"] is not None
    by_name = {r["config"]: r for r in report["configs"]}
    assert by_name["hybrid"]["ingest_seconds"] > 0 and by_name["hybrid"]["chunks"] > 0  # fresh store: timed
    # Hand-checked: the inspectors' names are on page 1 of the letter, and both pipelines know the page.
    for config in ("hybrid", "llamaindex-256"):
        inspectors = _rows(report, config)["p001"]
        assert inspectors["hit@5"] == 1.0
        assert inspectors["top_page"] is None or inspectors["page@1"] == float(inspectors["top_page"] == 1)
