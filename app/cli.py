"""The `safeguard` command line: the contract in ARCHITECTURE.md, kept stable for scripts and the evaluator.

Under --json, stdout carries JSON only: everything libraries print goes to stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from pathlib import Path

from index.config import Settings, offline_environment
from index.records import where

EXIT_OK, EXIT_ERROR, EXIT_BAD_INPUT, EXIT_LOCKED = 0, 1, 2, 3


class BadInput(Exception):
    """Reported on stderr as one line; exit status 2."""


def _add_filters(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("filters")
    group.add_argument("--doc", help="only this document (doc_id)")
    group.add_argument("--period", help='reporting period, e.g. "2018/19"')
    group.add_argument("--body", help="issuing body (substring match)")
    group.add_argument("--kind", help="annual report | protocol | review | inspection | guidance | other")
    group.add_argument("--collection", help="only this collection")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="safeguard", description="Search and check safeguarding documents.")
    parser.add_argument("--store", help="store directory (default .safeguard, or SAFEGUARD_STORE)")
    parser.add_argument("--chroma-url", help="use a Chroma server, e.g. http://127.0.0.1:8000")
    parser.add_argument(
        "--chroma-token",
        help="token for a Chroma server's token auth, sent as a bearer token (prefer SAFEGUARD_CHROMA_TOKEN: "
        "a command-line argument is visible to other users of the machine)",
    )
    parser.add_argument(
        "--allow-remote-chroma",
        action="store_true",
        default=None,
        help="permit a Chroma server off this machine (every document's text is stored there)",
    )
    parser.add_argument("--model", help="embedding model (default: the bundled all-MiniLM-L6-v2)")
    parser.add_argument("--llm-url", help="optional LLM to reword answers (OpenAI-compatible base URL, or Ollama)")
    parser.add_argument("--llm-model", help="model name at the LLM endpoint")
    parser.add_argument("--llm-provider", choices=["openai", "ollama"], help="LLM API flavour (default openai)")
    parser.add_argument(
        "--allow-remote-llm",
        action="store_true",
        default=None,
        help="permit an LLM endpoint off this machine (document text is sent to it)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="add or update documents")
    p.add_argument("paths", nargs="*", default=["corpus"], help="files or folders (default corpus/)")
    p.add_argument("--collection", default="default")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("docs", help="list documents")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("delete", help="remove a document and everything derived from it")
    p.add_argument("doc_id")

    p = sub.add_parser("search", help="find passages")
    p.add_argument("query", nargs="?")
    p.add_argument("--k", type=int, default=None)
    p.add_argument("--json", action="store_true")
    p.add_argument("--batch", help="JSONL file of {id, question}")
    p.add_argument("--out", help="JSONL output for --batch")
    p.add_argument("--mode", choices=["hybrid", "dense", "bm25"], default="hybrid")
    _add_filters(p)

    p = sub.add_parser("ask", help="answer a question from the documents, with citations")
    p.add_argument("question", nargs="?")
    p.add_argument("--json", action="store_true")
    p.add_argument("--batch", help="JSONL file of {id, question}")
    p.add_argument("--out", help="JSONL output for --batch")
    _add_filters(p)

    p = sub.add_parser("check", help="check a claim with a number against the documents")
    p.add_argument("claim")
    p.add_argument("--json", action="store_true")
    _add_filters(p)

    p = sub.add_parser("figures", help="list every figure found in the documents")
    p.add_argument("--doc")
    p.add_argument("--csv", action="store_true")

    p = sub.add_parser("serve", help="start the web app")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--auth-file", help="users file (`safeguard users add`): sign-in required")
    p.add_argument(
        "--no-auth", action="store_true", help="serve without sign-in on a non-loopback address (refused otherwise)"
    )
    for flag, env, default, text in SERVE_NUMBERS:
        p.add_argument(flag, type=float, default=None, help=f"{text} (default {default:g}, or {env})")

    p = sub.add_parser("export", help="write the store to one .tar.gz (with checksums)")
    p.add_argument("archive")

    p = sub.add_parser("import", help="restore a store from an archive made by `export` (into an empty store)")
    p.add_argument("archive")

    p = sub.add_parser("users", help="manage web app users (password hashes, roles, collections)")
    p.add_argument("action", choices=["add", "remove", "list"])
    p.add_argument("name", nargs="?")
    p.add_argument("--auth-file", required=True)
    p.add_argument("--role", default="reader", choices=["reader", "editor", "admin"])
    p.add_argument("--collections", default="default", help="comma-separated collections the user may see")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")

    p = sub.add_parser("eval", help="run the question set and write a report")
    p.add_argument("--questions", default=None)
    p.add_argument("--corpus", default=None)
    p.add_argument("--report", default="eval-report")
    p.add_argument(
        "--configs",
        default="all",
        help="comma-separated: hybrid, bm25, dense, llamaindex-1024, llamaindex-256 (default: all five)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    # Bytes that are not UTF-8 arrive as lone surrogates; read them as replacement characters, not a crash.
    argv = [a.encode("utf-8", "surrogateescape").decode("utf-8", "replace") for a in (argv or sys.argv[1:])]
    args = parser.parse_args(argv)
    offline_environment()
    settings = Settings.from_env(
        store=args.store,
        chroma_url=args.chroma_url,
        chroma_token=args.chroma_token,
        allow_remote_chroma=args.allow_remote_chroma,
        model=args.model,
        llm_url=args.llm_url,
        llm_model=args.llm_model,
        llm_provider=args.llm_provider,
        allow_remote_llm=args.allow_remote_llm,
    )
    from index.lock import StoreLocked

    refusal = settings.remote_chroma_refusal()
    if refusal:  # before anything is read, written or sent
        print(f"safeguard {args.command}: {refusal}", file=sys.stderr)
        return EXIT_BAD_INPUT
    handler = COMMANDS[args.command]
    try:
        with contextlib.redirect_stdout(sys.stderr):
            result = handler(args, settings)
    except BadInput as exc:
        print(f"safeguard {args.command}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except StoreLocked as exc:
        print(f"safeguard {args.command}: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except KeyboardInterrupt:
        return EXIT_ERROR
    except Exception as exc:  # one line for the user; SAFEGUARD_DEBUG=1 shows the traceback
        if os.environ.get("SAFEGUARD_DEBUG"):
            raise
        print(f"safeguard {args.command}: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if isinstance(result, tuple):
        code, output = result
    else:
        code, output = EXIT_OK, result
    if output:
        sys.stdout.write(output if output.endswith("\n") else output + "\n")
    return code


# -- commands ---------------------------------------------------------------------------------
def cmd_ingest(args, settings: Settings):
    from ingest.pipeline import ingest_paths

    report = ingest_paths([Path(p) for p in args.paths], settings, collection=args.collection)
    for doc_id, chunks in report.ingested:
        print(f"ingested {doc_id} ({chunks} chunks)", file=sys.stderr)
    for name, reason in report.refused:
        print(f"refused {name}: {reason}", file=sys.stderr)
    print(
        f"{len(report.ingested)} ingested, {len(report.unchanged)} unchanged, {len(report.refused)} refused "
        f"in {report.seconds:.1f} s",
        file=sys.stderr,
    )
    if report.all_refused:
        raise BadInput("every file was refused")
    if not report.ingested and not report.unchanged and not report.refused:
        raise BadInput("no supported files found (PDF, DOCX, HTML, MD, TXT)")
    if args.json:
        return json.dumps(
            {
                "ingested": [{"doc_id": d, "chunks": n} for d, n in report.ingested],
                "unchanged": report.unchanged,
                "refused": [{"file": f, "reason": r} for f, r in report.refused],
                "seconds": round(report.seconds, 3),
            }
        )
    return ""


def _registry(settings: Settings):
    from index.registry import Registry

    if not (settings.store / "registry.sqlite").exists():
        raise BadInput(f"store {settings.store} is empty: run `safeguard ingest` first")
    return Registry(settings.store)


def cmd_docs(args, settings: Settings):
    registry = _registry(settings)
    docs = registry.documents()
    if args.json:
        return json.dumps([d.to_dict() for d in docs], ensure_ascii=False)
    lines = [f"{d.doc_id}\t{d.period or '-'}\t{d.kind}\t{d.collection}\t{d.chunks} chunks\t{d.title}" for d in docs]
    return "\n".join(lines) if lines else "(no documents)"


def cmd_delete(args, settings: Settings):
    """Re-running `delete` after an interrupted one cleans up at once; nothing carrying the id at all is
    an unknown document (exit 2)."""
    from index.writer import UnknownDocument, delete

    _registry(settings).close()
    try:
        outcome = delete(settings, args.doc_id)
    except UnknownDocument:
        raise BadInput(f"no document with doc_id '{args.doc_id}' (see `safeguard docs`)") from None
    print(outcome.describe(), file=sys.stderr)
    return ""


def _filters(args):
    from index.records import Filters

    return Filters(doc=args.doc, period=args.period, body=args.body, kind=args.kind, collection=args.collection)


def _searcher(args, settings: Settings):
    registry = _registry(settings)
    if not registry.documents():
        raise BadInput(f"store {settings.store} has no documents: run `safeguard ingest` first")
    registry.close()
    from index.search import Searcher

    return Searcher(settings, mode=getattr(args, "mode", "hybrid"))


def search_json(searcher, query: str, k: int, filters) -> dict:
    passages = searcher.search(query, k=k, filters=filters)
    return {"query": query, "passages": [p.to_json() for p in passages]}


def cmd_search(args, settings: Settings):
    if args.batch:
        if not args.out:
            raise BadInput("--batch needs --out FILE")
        lines = _read_batch(args.batch)
        searcher = _searcher(args, settings)
        k = args.k or 10
        run_batch(lines, Path(args.out), lambda q: search_json(searcher, q, k, _filters(args)))
        return ""
    if not args.query or not args.query.strip():
        raise BadInput("give a query, or --batch FILE --out FILE")
    searcher = _searcher(args, settings)
    result = search_json(searcher, args.query, args.k or 5, _filters(args))
    if args.json:
        return json.dumps(result, ensure_ascii=False)
    return format_passages(result["passages"])


def format_passages(passages: list[dict]) -> str:
    if not passages:
        return "No matching passages."
    out = []
    for p in passages:
        head = f"[{p['rank']}] {where(p['source'], p['section'] or '(no section)', p['page'], p['page_label'])}"
        text = " ".join(p["text"].split())
        out.append(f"{head}\n    {text[:400]}{'...' if len(text) > 400 else ''}")
    return "\n\n".join(out)


def _read_batch(path: str) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise BadInput(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise BadInput(f"{path}: not UTF-8 text") from None


def run_batch(lines: list[str], out: Path, handle) -> None:
    """One output line per input line, in input order; a bad line yields {id, error} and the rest go on."""
    with open(out, "w", encoding="utf-8") as sink:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            record = {"id": f"line-{number}"}
            try:
                item = json.loads(line)
                record["id"] = item.get("id", record["id"]) if isinstance(item, dict) else record["id"]
                question = item.get("question") if isinstance(item, dict) else None
                if not isinstance(question, str) or not question.strip():
                    raise ValueError("missing 'question'")
                started = time.perf_counter()
                result = handle(question)
                record.update(result)
                record["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
            except (ValueError, TypeError, AttributeError) as exc:
                record["error"] = f"line {number}: {exc}"
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")


def _answerer(args, settings: Settings):
    from app.engine.answer import Answerer

    return Answerer(_searcher(args, settings))


def _rewriter(settings: Settings):
    from app.engine.rewrite import RemoteLLMRefused, make_llm, rewrite_answer

    try:
        llm = make_llm(settings)
    except RemoteLLMRefused as exc:
        raise BadInput(str(exc)) from None
    return lambda answer: rewrite_answer(answer, llm)


def cmd_ask(args, settings: Settings):
    rewrite = _rewriter(settings)
    if args.batch:
        if not args.out:
            raise BadInput("--batch needs --out FILE")
        lines = _read_batch(args.batch)
        answerer = _answerer(args, settings)
        run_batch(lines, Path(args.out), lambda q: rewrite(answerer.answer(q, filters=_filters(args))).to_json())
        return ""
    if not args.question or not args.question.strip():
        raise BadInput("give a question, or --batch FILE --out FILE")
    answer = rewrite(_answerer(args, settings).answer(args.question, filters=_filters(args)))
    if args.json:
        return json.dumps(answer.to_json(), ensure_ascii=False)
    return format_answer(answer.to_json())


def format_answer(answer: dict) -> str:
    lines = [answer["answer"]]
    if answer["abstained"]:
        lines.append(f"({answer['reason']})")
        if answer["closest"]:
            lines.append("\nClosest passages:\n" + format_passages(answer["closest"]))
        return "\n".join(lines)
    lines.append("")
    for c in answer["citations"]:
        lines.append(f"[{c['n']}] {where(c['title'] or c['source'], c['section'], c['page'], c['page_label'])}")
    figures = [f for f in answer["figures"]]
    if figures:
        lines.append("\nFigures:")
        for f in figures:
            origin = (
                "computed from " + ", ".join(f"[{n}]" for n in f["from"]) if f["computed"] else f"[{f['citation']}]"
            )
            lines.append(f"  {f['as_written']:>12} {f['unit']:<6} {f['period'] or '-':<20} {f['label'][:40]} {origin}")
    return "\n".join(lines)


def cmd_check(args, settings: Settings):
    from app.engine.check import Checker

    if not args.claim.strip():
        raise BadInput('give a claim to check, e.g. "199 children were looked after in 2018/19"')
    result = Checker(_answerer(args, settings)).check(args.claim, filters=_filters(args))
    if args.json:
        return json.dumps(result.to_json(), ensure_ascii=False)
    out = f"{result.verdict.upper()}"
    if result.document_value:
        out += f": the documents say {result.document_value}"
    if result.citation:
        out += f'\n  "{result.citation.sentence}"\n  {result.citation.where()}'
    elif result.reason:
        out += f" ({result.reason})"
    return out


def cmd_figures(args, settings: Settings):
    from app.engine.figures_table import figures_csv, figures_text

    registry = _registry(settings)
    if args.doc and registry.document(args.doc) is None:
        raise BadInput(f"no document with doc_id '{args.doc}'")
    return figures_csv(registry, args.doc) if args.csv else figures_text(registry, args.doc)


# serve's numeric options: flag, environment variable giving the default, default, help.
SERVE_NUMBERS = [
    ("--session-idle-minutes", "SAFEGUARD_SESSION_IDLE_MINUTES", 60, "end a session after this many idle minutes"),
    ("--login-failures", "SAFEGUARD_LOGIN_FAILURES", 5, "failed sign-ins per user name within the window"),
    (
        "--login-failures-per-address",
        "SAFEGUARD_LOGIN_FAILURES_PER_ADDRESS",
        20,
        "failed sign-ins per client address within the window",
    ),
    ("--login-window-seconds", "SAFEGUARD_LOGIN_WINDOW_SECONDS", 300, "window for counting failed sign-ins"),
]


def _serve_number(args, flag: str, env: str, default: float) -> float:
    value = getattr(args, flag.lstrip("-").replace("-", "_"))
    if value is None:
        raw = os.environ.get(env, "").strip()
        try:
            value = float(raw) if raw else default
        except ValueError:
            raise BadInput(f"{env}={raw!r} is not a number") from None
    if not value > 0 or value == float("inf"):
        raise BadInput(f"{flag} must be a positive number")
    return value


def cmd_serve(args, settings: Settings):
    from app.auth import AuthError
    from app.server import ServeOptions, ServeRefused, exposure_problem, serve

    problem = exposure_problem(args.host, args.auth_file, args.no_auth)
    if problem:  # refused before anything is loaded or bound
        raise BadInput(problem)
    numbers = [_serve_number(args, flag, env, default) for flag, env, default, _ in SERVE_NUMBERS]
    idle, failures, address_failures, window = numbers
    options = ServeOptions(
        host=args.host,
        port=args.port,
        auth_file=args.auth_file,
        no_auth=args.no_auth,
        session_idle_minutes=idle,
        login_failures=max(1, int(failures)),
        address_login_failures=max(1, int(address_failures)),
        login_window_seconds=window,
    )
    try:
        serve(settings, options)
    except (ServeRefused, AuthError) as exc:
        raise BadInput(str(exc)) from None
    return ""


def cmd_users(args, settings: Settings):
    import getpass

    from app.auth import AuthError, Users

    try:
        users = Users.load(Path(args.auth_file))
        if args.action == "list":
            return "\n".join(f"{u.name}\t{u.role}\t{','.join(u.collections)}" for u in users.users.values())
        if not args.name:
            raise BadInput(f"users {args.action} needs a NAME")
        if args.action == "remove":
            users.remove(args.name)
        else:
            password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: ")
            collections = [c.strip() for c in args.collections.split(",") if c.strip()]
            users.add(args.name, password, args.role, collections)
        users.save()
    except AuthError as exc:
        raise BadInput(str(exc)) from None
    print(f"{args.action} {args.name}: done ({args.auth_file})", file=sys.stderr)
    return ""


def cmd_export(args, settings: Settings):
    from index.backup import BackupError, export_store

    try:
        count = export_store(settings.store, Path(args.archive))
    except BackupError as exc:
        raise BadInput(str(exc)) from None
    print(f"exported {count} files from {settings.store} to {args.archive} (readable by you only)", file=sys.stderr)
    if not (settings.store / "chroma").is_dir():
        print(
            "the vectors are on the Chroma server, not in the archive: import with --chroma-url pointing at the "
            "same server and the new store copies them into a collection of its own",
            file=sys.stderr,
        )
    return ""


def cmd_import(args, settings: Settings):
    from index.backup import BackupError, ImportLimits, import_store

    if not Path(args.archive).is_file():
        raise BadInput(f"{args.archive}: no such file")
    limits = ImportLimits(max_total_bytes=settings.max_import_mb * 2**20, max_original_bytes=settings.max_file_bytes)
    try:
        imported = import_store(Path(args.archive), settings.store, limits)
    except BackupError as exc:
        raise BadInput(str(exc)) from None
    print(
        f"imported {imported.files} files into {settings.store} as a store of its own (store id {imported.store_id})",
        file=sys.stderr,
    )
    if settings.chroma_url and not imported.embedded_vectors:
        print(_copy_server_vectors(settings), file=sys.stderr)
    elif not imported.embedded_vectors:
        print(
            "the archive holds no vectors (they are on the Chroma server the store used): use this store with "
            "--chroma-url pointing at that server, or its searches find passages by keywords only",
            file=sys.stderr,
        )
    return ""


def _copy_server_vectors(settings: Settings) -> str:
    """Fill an imported store's own collection on the Chroma server from the original's; say how it went."""
    from index import vectors
    from index.registry import Registry

    registry = Registry(settings.store)
    try:
        wanted = registry.chunk_ids()
        have = len(vectors.all_ids(vectors.open_for(settings, registry)) & wanted)
        source = registry.meta(vectors.IMPORTED_FROM_KEY)
    finally:
        registry.close()
    if have == len(wanted):
        return f"copied {have} vectors from {source} into this store's own collection on the Chroma server"
    return (
        f"only {have} of {len(wanted)} vectors were found on the Chroma server (in {source}); the documents "
        "missing theirs are found by keywords only until they are deleted and ingested again"
    )


def cmd_eval(args, settings: Settings):
    from eval.runner import EvalInputError, run_eval

    try:
        return run_eval(args, settings)
    except EvalInputError as exc:
        raise BadInput(str(exc)) from None


COMMANDS = {
    "ingest": cmd_ingest,
    "docs": cmd_docs,
    "delete": cmd_delete,
    "search": cmd_search,
    "ask": cmd_ask,
    "check": cmd_check,
    "figures": cmd_figures,
    "serve": cmd_serve,
    "users": cmd_users,
    "export": cmd_export,
    "import": cmd_import,
    "eval": cmd_eval,
}

if __name__ == "__main__":
    sys.exit(main())
