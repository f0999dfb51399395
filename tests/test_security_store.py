"""The security review's findings on ingest, the store, backups, the Chroma server and the LLM endpoint, each
attack performed through the real interface (the `safeguard` command in a subprocess) and shown to do no harm.
Each attack is written to the security record (helpers.record_attack) before it is asserted.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import socket
import sqlite3
import stat
import subprocess
import tarfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from documents import write_docx, write_pdf
from helpers import ROOT, SAFEGUARD, ingest_folder, record_attack, store_meta, store_view
from hostile import report_text, write_paragraph_bomb_docx

from index import vectors
from index.backup import ROOT as ARCHIVE_ROOT
from index.config import Settings
from ingest.pipeline import ingest_paths

PDF, DOCX = "testshire-annual-report.pdf", "riverside-missing-protocol.docx"


def cli(*args: str, store: Path | None = None, env: dict | None = None, timeout: int = 900):
    """The CLI in a subprocess, with extra environment variables; the result carries its wall time."""
    command = SAFEGUARD + (["--store", str(store)] if store else []) + list(args)
    started = time.perf_counter()
    result = subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, timeout=timeout, env={**os.environ, **(env or {})}
    )
    result.seconds = time.perf_counter() - started
    return result


def refusals(result) -> dict[str, str]:
    """File name -> reason, from `ingest --json`."""
    return {Path(r["file"]).name: r["reason"] for r in json.loads(result.stdout)["refused"]}


def ingested(result) -> set[str]:
    return {i["doc_id"] for i in json.loads(result.stdout)["ingested"]}


def outward_address() -> str | None:
    """This machine's own address on a non-loopback interface (to stand for a remote host that the test can
    still watch), or None when it has none."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.123", 9))  # no packet is sent: this only picks the outgoing interface
            address = probe.getsockname()[0]
        with socket.socket() as sock:
            sock.bind((address, 0))
    except OSError:
        return None
    return None if address.startswith("127.") else address


def serve_http(handler, host: str = "127.0.0.1"):
    server = ThreadingHTTPServer((host, 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# -- 8. files that take minutes to read --------------------------------------------------------------------
NESTED_DEPTH = 200_000  # <div> x 200,000 + text + </div> x 200,000: 2.2 MB, as in the review


def write_nested_html(path: Path, depth: int = NESTED_DEPTH) -> Path:
    path.write_text(
        "<html><body>" + "<div>" * depth + "<p>Nested Quarrington text: 17 referrals.</p>" + "</div>" * depth
        + "</body></html>",
        encoding="utf-8",
    )  # fmt: skip
    return path


def write_plain_html(path: Path, size: int) -> Path:
    """An ordinary HTML report of about `size` bytes: headings and paragraphs."""
    parts, index = ["<html><body><h1>Plainford annual report</h1>"], 0
    while sum(map(len, parts)) < size:
        parts.append(f"<h2>Section {index}</h2><p>" + report_text(index % 300).replace("\n", "</p><p>") + "</p>")
        index += 1
    path.write_text("".join(parts) + "</body></html>", encoding="utf-8")
    return path


def _read_seconds(path: Path, settings: Settings) -> tuple[float, str]:
    """How long reading one file takes (what the per-file budget limits), and what came of it."""
    from ingest.loaders import LoadError
    from ingest.parse import parse_file

    started = time.perf_counter()
    try:
        parsed = parse_file(path, path.name, path.name, "0" * 64, "default", settings)
        outcome = f"{len(parsed.chunks)} chunks"
    except LoadError as exc:
        outcome = f"refused: {exc}"
    return time.perf_counter() - started, outcome


def test_nested_html_and_expanding_docx_are_read_or_refused_in_seconds(tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    nested = write_nested_html(folder / "nested.html")
    bomb = write_paragraph_bomb_docx(folder / "paragraphs.docx", 150)
    (folder / "northfield.md").write_text("1. Scope\nThe Northfield protocol covers 15 missing children.\n")
    # A budget far above what either should take: the loaders themselves must be quick.
    run = cli("ingest", str(folder), "--json", store=tmp_path / "store", env={"SAFEGUARD_MAX_FILE_SECONDS": "900"})
    assert run.returncode == 0, run.stderr
    refused, went_in = refusals(run), ingested(run)

    docx_reason = refused.get("paragraphs.docx", "")
    ok = "limit of 20 MB" in docx_reason and f"refused {bomb}" in run.stderr
    record_attack(
        "8. Slow files",
        f"DOCX of {bomb.stat().st_size / 2**10:.0f} KB whose XML expands to 150 MB, through `ingest`",
        "refused by name within seconds (it took over 300 s), the batch goes on",
        f"{docx_reason or 'not refused'}; whole ingest {run.seconds:.1f} s; northfield.md "
        f"{'ingested' if 'northfield.md' in went_in else 'not ingested'}",
        ok and "northfield.md" in went_in,
    )
    assert ok and "northfield.md" in went_in, (refused, went_in)

    # The nested file went in (its text is searchable) or was refused for its content, never for time.
    settings = Settings.from_env(store=tmp_path / "probe")
    plain = write_plain_html(tmp_path / "plain.html", nested.stat().st_size)
    nested_seconds, nested_outcome = _read_seconds(nested, settings)
    plain_seconds, plain_outcome = _read_seconds(plain, settings)
    ratio = nested_seconds / plain_seconds
    handled = "nested.html" in went_in or ("nested.html" in refused and "took longer" not in refused["nested.html"])
    ok = handled and nested_seconds < 60 and ratio < 3
    record_attack(
        "8. Slow files",
        f"HTML of {nested.stat().st_size / 2**20:.1f} MB: {NESTED_DEPTH:,} nested <div>s around one paragraph",
        "read or refused within seconds (it took over 120 s, quadratic in the nesting)",
        f"{'ingested' if 'nested.html' in went_in else refused.get('nested.html')}; reading it took "
        f"{nested_seconds:.1f} s ({nested_outcome}), a plain HTML report of the same size {plain_seconds:.1f} s "
        f"({plain_outcome}): ratio {ratio:.2f}",
        ok,
    )
    assert ok, (nested_seconds, plain_seconds, refused)
    chunks, _, _ = store_view(tmp_path / "store")
    assert any("Quarrington" in c.text for c in chunks)


def test_a_file_over_the_time_budget_is_refused_by_name_and_the_batch_goes_on(tmp_path):
    store = tmp_path / "store"
    first = tmp_path / "first"
    first.mkdir()
    (first / "eastbury.txt").write_text(report_text(700))
    # What the store already holds is set up in this process (the model is loaded here once for the session);
    # the attack, the batch with the slow file, goes through the CLI below.
    assert [d for d, _ in ingest_folder(first, store).ingested] == ["eastbury.txt"]
    folder = tmp_path / "incoming"
    folder.mkdir()
    # About 3 MB of report text: it takes many seconds to read (chunking, sentences, figures).
    (folder / "a-long.txt").write_text("\n\n".join(report_text(i, sections=8, sentences=12) for i in range(300)))
    (folder / "b-next.txt").write_text(report_text(800))
    run = cli("ingest", str(folder), "--json", store=store, env={"SAFEGUARD_MAX_FILE_SECONDS": "1"})
    assert run.returncode == 0, run.stderr
    reason = refusals(run).get("a-long.txt", "")
    docs = {d["doc_id"] for d in json.loads(cli("docs", "--json", store=store).stdout)}
    ok = (
        "took longer than 1 s to read" in reason
        and f"refused {folder / 'a-long.txt'}: took longer than 1 s" in run.stderr
        and ingested(run) == {"b-next.txt"}
        and docs == {"eastbury.txt", "b-next.txt"}
    )
    record_attack(
        "8. Slow files",
        f"a {(folder / 'a-long.txt').stat().st_size / 2**20:.1f} MB text file in a batch with "
        "SAFEGUARD_MAX_FILE_SECONDS=1, into a store that already holds a document",
        "refused by name ('took longer than 1 s to read'); the next file ingested; what was stored stays",
        f"{reason or 'not refused'}; ingested {sorted(ingested(run))}; store holds {sorted(docs)}",
        ok,
    )
    assert ok, (run.stderr, docs)


# -- 10. export permissions --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Path:
    """One short report ingested once for the module; a test that exports copies it first."""
    tmp_path = tmp_path_factory.mktemp("small")
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "eastbury.txt").write_text(report_text(700))
    store = tmp_path / "store"
    ingest_folder(folder, store)
    return store


def test_exported_archive_is_private(small_store, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(small_store, store)
    archive = tmp_path / "store.tar.gz"
    archive.with_name(archive.name + ".tmp").write_bytes(b"left by an earlier run")
    os.chmod(archive.with_name(archive.name + ".tmp"), 0o644)
    old = os.umask(0o022)
    try:
        run = cli("export", str(archive), store=store)
    finally:
        os.umask(old)
    mode = stat.S_IMODE(archive.stat().st_mode) if archive.exists() else None
    ok = run.returncode == 0 and mode == 0o600
    record_attack(
        "10. Export permissions",
        "`safeguard export` under umask 022 (another user of the machine reads the archive)",
        "archive written 0600",
        f"exit {run.returncode}, mode {oct(mode) if mode is not None else 'no archive'}",
        ok,
    )
    assert ok, run.stderr


# -- 11. import of crafted archives ------------------------------------------------------------------------
class Zeros(io.RawIOBase):
    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        buffer[:] = bytes(len(buffer))
        return len(buffer)


def _zeros_sha(size: int) -> str:
    digest, block = hashlib.sha256(), bytes(1 << 20)
    for start in range(0, size, 1 << 20):
        digest.update(block[: min(1 << 20, size - start)])
    return digest.hexdigest()


def craft(genuine: Path, target: Path, files: dict | None = None, drop: set[str] = frozenset()) -> Path:
    """A copy of a genuine export with members replaced or added (bytes, or an int: that many zero bytes) and
    its manifest made again to match: what someone who can change the archive can do."""
    with tarfile.open(genuine) as tar:
        members = {m.name.split("/", 1)[1]: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
    members.pop("manifest.json")
    members = {k: v for k, v in members.items() if k not in drop}
    members.update(files or {})
    sums = {
        rel: _zeros_sha(data) if isinstance(data, int) else hashlib.sha256(data).hexdigest()
        for rel, data in members.items()
    }
    with tarfile.open(target, "w:gz") as tar:
        manifest = json.dumps({"format": 1, "files": sums}).encode()
        info = tarfile.TarInfo(f"{ARCHIVE_ROOT}/manifest.json")
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))
        for rel, data in members.items():
            info = tarfile.TarInfo(f"{ARCHIVE_ROOT}/{rel}")
            info.size = data if isinstance(data, int) else len(data)
            tar.addfile(info, io.BufferedReader(Zeros()) if isinstance(data, int) else io.BytesIO(data))
    return target


def _written(store: Path) -> list[str]:
    """Everything an import left in the target folder (its lock file aside)."""
    if not store.exists():
        return []
    return sorted(str(p.relative_to(store)) for p in store.rglob("*") if p.name != "write.lock")


def _sqlite_bytes(tmp_path: Path, name: str, script: str) -> bytes:
    path = tmp_path / name
    db = sqlite3.connect(path)
    db.executescript(script)
    db.commit()
    db.close()
    return path.read_bytes()


@pytest.fixture(scope="module")
def genuine_archive(small_store, tmp_path_factory) -> Path:
    tmp_path = tmp_path_factory.mktemp("genuine")
    store = tmp_path / "store"
    shutil.copytree(small_store, store)
    archive = tmp_path / "store.tar.gz"
    run = cli("export", str(archive), store=store)
    assert run.returncode == 0, run.stderr
    return archive


def _registry_bytes(archive: Path) -> bytes:
    with tarfile.open(archive) as tar:
        return tar.extractfile(f"{ARCHIVE_ROOT}/registry.sqlite").read()


def test_import_refuses_archives_that_would_write_too_much(genuine_archive, tmp_path):
    original = "originals/" + "ab" * 32 + ".txt"
    cases = [
        (
            "a 300 MB stored original (zeros), manifest made to match",
            craft(genuine_archive, tmp_path / "big-original.tar.gz", {original: 300 * 2**20}),
            {},
            ["limit of 50 MB for a document"],
        ),
        (
            "registry.sqlite replaced by 300 MB of zeros, manifest made to match",
            craft(genuine_archive, tmp_path / "big-registry.tar.gz", {"registry.sqlite": 300 * 2**20}),
            {},
            ["times the archive's size"],
        ),
        (
            "a genuine archive plus a 5 MB original, with SAFEGUARD_MAX_IMPORT_MB=3",
            craft(genuine_archive, tmp_path / "over-total.tar.gz", {original: 5 * 2**20}),
            {"SAFEGUARD_MAX_IMPORT_MB": "3"},
            ["import limit of 3 MB", "SAFEGUARD_MAX_IMPORT_MB"],
        ),
    ]
    failures = []
    for number, (attack, archive, env, words) in enumerate(cases):
        target = tmp_path / f"target-{number}"
        run = cli("import", str(archive), store=target, env=env)
        left = _written(target)
        ok = run.returncode == 2 and all(w in run.stderr for w in words) and not left and run.seconds < 120
        record_attack(
            "11. Import limits",
            f"{attack} ({archive.stat().st_size / 2**10:,.0f} KB archive), through `safeguard import`",
            "refused (exit 2) naming the limit, before anything is written",
            f"exit {run.returncode} in {run.seconds:.1f} s: {run.stderr.strip()[-200:]}; left in the target: "
            f"{left or 'nothing'}",
            ok,
        )
        if not ok:
            failures.append((attack, run.stderr, left))
    assert not failures, failures


def test_import_restores_only_store_files_and_a_sound_registry(genuine_archive, tmp_path):
    registry = _registry_bytes(genuine_archive)
    damaged = bytearray(registry)
    for offset in range(4096 + 100, min(len(damaged), 3 * 4096), 7):  # scribble over the second page's cells
        damaged[offset] ^= 0x5A
    cases = [
        ("a write.lock member", {"write.lock": b"held"}, ["not a file of a store"]),
        (
            "an extra file beside the store's (evil.sh)",
            {"evil.sh": b"#!/bin/sh\nrm -rf ~\n"},
            ["not a file of a store"],
        ),
        (
            "a pickle among Chroma's files",
            {"chroma/01234567-89ab-cdef-0123-456789abcdef/index_metadata.pickle": b"cos\nsystem\n."},
            ["not a file of a store"],
        ),
        ("registry.sqlite that is not SQLite (text)", {"registry.sqlite": b"just some text\n" * 100}, ["not a SQLite"]),
        (
            "registry.sqlite without a documents table",
            {"registry.sqlite": _sqlite_bytes(tmp_path, "empty.sqlite", "CREATE TABLE other (x);")},
            ["no documents table"],
        ),
        (
            "registry.sqlite with a trigger",
            {
                "registry.sqlite": _sqlite_bytes(
                    tmp_path,
                    "trigger.sqlite",
                    "CREATE TABLE documents (doc_id TEXT); CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
                    "CREATE TRIGGER t AFTER INSERT ON documents BEGIN DELETE FROM meta; END;",
                )
            },
            ["triggers or views"],
        ),
        ("registry.sqlite with a damaged page", {"registry.sqlite": bytes(damaged)}, ["registry.sqlite"]),
    ]
    failures = []
    for number, (attack, files, words) in enumerate(cases):
        archive = craft(genuine_archive, tmp_path / f"crafted-{number}.tar.gz", files)
        target = tmp_path / f"target-{number}"
        run = cli("import", str(archive), store=target)
        left = _written(target)
        lock_untouched = not (target / "write.lock").exists() or (target / "write.lock").read_bytes() != b"held"
        ok = run.returncode == 2 and all(w in run.stderr for w in words) and not left and lock_untouched
        record_attack(
            "11. Import contents",
            f"archive with {attack}, manifest made to match, through `safeguard import`",
            "refused (exit 2) with the reason; nothing restored",
            f"exit {run.returncode}: {run.stderr.strip()[-160:]}; left in the target: {left or 'nothing'}",
            ok,
        )
        if not ok:
            failures.append((attack, run.stderr, left))
    assert not failures, failures
    # The genuine archive still imports, and the copy is a store of its own.
    run = cli("import", str(genuine_archive), store=tmp_path / "restored")
    assert run.returncode == 0, run.stderr
    assert json.loads(cli("docs", "--json", store=tmp_path / "restored").stdout)[0]["doc_id"] == "eastbury.txt"


# -- 13. LLM endpoint redirect ------------------------------------------------------------------------------
class Counter(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_POST(self):  # noqa: N802 - the http.server API
        type(self).hits.append(self.path)
        self.send_response(500)
        self.end_headers()

    do_GET = do_POST  # noqa: N815

    def log_message(self, *args):
        pass


def test_llm_redirect_to_a_remote_host_is_not_followed(bundled_store, answerer):
    remote_host = outward_address()

    class Remote(Counter):
        hits: list[str] = []

    remote = serve_http(Remote, remote_host) if remote_host else None
    remote_url = f"http://{remote_host}:{remote.server_address[1]}" if remote else "http://203.0.113.7:9"

    class Redirector(Counter):
        hits: list[str] = []

        def do_POST(self):  # noqa: N802
            type(self).hits.append(self.path)
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(302)
            self.send_header("Location", f"{remote_url}/v1/chat/completions")
            self.send_header("Content-Length", "0")
            self.end_headers()

    local = serve_http(Redirector)
    try:
        question = "How many referrals did the MASH get in 2018-19?"
        url = f"http://127.0.0.1:{local.server_address[1]}/v1"
        run = cli("--llm-url", url, "ask", question, "--json", store=bundled_store, timeout=600)
    finally:
        local.shutdown()
        if remote:
            remote.shutdown()
    answer = json.loads(run.stdout) if run.returncode == 0 else {}
    # The extractive answer, from the same engine over the same store in this process (what `ask --json` prints
    # without --llm-url: Answer.to_json() of Answerer.answer), without a second CLI start-up.
    expected = answerer.answer(question).to_json()["answer"]
    ok = (
        run.returncode == 0
        and Redirector.hits
        and not Remote.hits
        and answer.get("rewritten") is False
        and answer.get("answer") == expected
    )
    record_attack(
        "13. LLM redirect",
        f"--llm-url on 127.0.0.1 answering 302 to {remote_url} (this machine's non-loopback address, watched)",
        "the redirect is not followed: the remote host gets nothing; the extractive answer stands",
        f"exit {run.returncode}; loopback endpoint asked {len(Redirector.hits)} time(s), remote host "
        f"{len(Remote.hits)}; rewritten={answer.get('rewritten')}; answer is the extractive one: "
        f"{answer.get('answer') == expected}",
        ok,
    )
    assert ok, run.stderr


# -- 16. Chroma server: remote needs a flag, token auth, an imported copy has its own collection ----------


TOKEN = "s3cret-chroma-token"


def auth_proxy(upstream: str, host: str):
    """A reverse proxy in front of the Chroma server that requires `Authorization: Bearer TOKEN` (what a
    deployment puts in front of `chroma run`); counts the requests it let through and refused."""

    class Proxy(BaseHTTPRequestHandler):
        allowed: list[str] = []
        refused: list[str] = []

        def _relay(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                type(self).refused.append(self.path)
                self.send_response(401)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            type(self).allowed.append(self.path)
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
            request = urllib.request.Request(upstream + self.path, data=body or None, headers=headers)
            request.method = self.command
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    status, data, kind = response.status, response.read(), response.headers.get("Content-Type")
            except urllib.error.HTTPError as error:
                status, data, kind = error.code, error.read(), error.headers.get("Content-Type")
            self.send_response(status)
            self.send_header("Content-Type", kind or "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _relay  # noqa: N815

        def log_message(self, *args):
            pass

    return serve_http(Proxy, host), Proxy


def test_remote_chroma_needs_a_flag_and_a_token_is_sent(chroma_server, tmp_path):
    host = outward_address() or "127.0.0.1"
    server, proxy = auth_proxy(chroma_server, host)
    url = f"http://{host}:{server.server_address[1]}"
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "northfield.md").write_text("1. Scope\nThe Northfield protocol covers 15 missing children.\n")
    try:
        if host != "127.0.0.1":
            refused = cli("--chroma-url", url, "ingest", str(docs), store=tmp_path / "refused")
            ok = refused.returncode == 2 and "--allow-remote-chroma" in refused.stderr and not proxy.allowed
            ok = ok and not proxy.refused and not (tmp_path / "refused" / "registry.sqlite").exists()
            record_attack(
                "16. Remote Chroma",
                f"`--chroma-url {url}` (this machine's non-loopback address) without --allow-remote-chroma",
                "exit 2 with the reason; nothing sent to the server, nothing stored",
                f"exit {refused.returncode}: {refused.stderr.strip()[-160:]}; requests to the server: "
                f"{len(proxy.allowed) + len(proxy.refused)}",
                ok,
            )
            assert ok, refused.stderr
        remote = ["--chroma-url", url, "--allow-remote-chroma"]
        # Two stores, two processes, side by side (their start-ups overlap); the proxy tells their requests
        # apart by the token alone.
        with ThreadPoolExecutor(max_workers=2) as pool:
            refused_ingest = pool.submit(cli, *remote, "ingest", str(docs), store=tmp_path / "no-token")
            env = {"SAFEGUARD_CHROMA_TOKEN": TOKEN}
            with_token = pool.submit(cli, *remote, "ingest", str(docs), store=tmp_path / "token", env=env).result()
            no_token = refused_ingest.result()
        searched = cli(*remote, "--chroma-token", TOKEN, "search", "Northfield missing children", "--json",
                       store=tmp_path / "token")  # fmt: skip
    finally:
        server.shutdown()
    client = vectors.client_for(Path("unused"), chroma_server)
    collection = vectors.collection_name(store_meta(tmp_path / "token", "store_id"))
    stored = vectors.all_ids(client.get_collection(collection))
    ok = (
        no_token.returncode != 0
        and "Traceback" not in no_token.stderr
        and with_token.returncode == 0
        and searched.returncode == 0
        and json.loads(searched.stdout)["passages"][0]["doc_id"] == "northfield.md"
        and stored
        and proxy.refused
        and proxy.allowed
    )
    record_attack(
        "16. Chroma token",
        "a Chroma server behind a proxy requiring a bearer token: ingest without a token, then with "
        "SAFEGUARD_CHROMA_TOKEN, then search with --chroma-token",
        "without the token the server refuses and ingest fails cleanly; with it the vectors are stored and found",
        f"no token: exit {no_token.returncode} ({len(proxy.refused)} requests refused); token: exit "
        f"{with_token.returncode}, {len(stored)} vectors, search exit {searched.returncode}",
        bool(ok),
    )
    assert ok, (no_token.stderr, with_token.stderr, searched.stderr)


REFERRALS = "how many referrals did the front door receive"
NORTHFIELD = "1. Scope\nThe Northfield protocol covers children missing from education for 15 days or more.\n"


def test_an_imported_copy_on_the_same_chroma_server_keeps_its_own_vectors(chroma_server, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    write_pdf(docs / PDF)
    write_docx(docs / DOCX)
    store_a, store_b = tmp_path / "store-a", tmp_path / "store-b"
    server = ["--chroma-url", chroma_server]
    # Store A is made in this process (test_vectors covers `ingest --chroma-url` itself); the export and the
    # import of the attack go through the CLI.
    made = ingest_paths([docs], Settings.from_env(store=store_a, chroma_url=chroma_server), progress=False)
    assert {d for d, _ in made.ingested} == {PDF, DOCX}, made
    archive = tmp_path / "a.tar.gz"
    exported = cli(*server, "export", str(archive), store=store_a)
    assert exported.returncode == 0, exported.stderr
    imported = cli(*server, "import", str(archive), store=store_b)
    assert imported.returncode == 0, imported.stderr
    client = vectors.client_for(Path("unused"), chroma_server)
    id_a, id_b = store_meta(store_a, "store_id"), store_meta(store_b, "store_id")
    name_a, name_b = vectors.collection_name(id_a), vectors.collection_name(id_b)
    ids_a = vectors.all_ids(client.get_collection(name_a))
    ids_b = vectors.all_ids(client.get_collection(name_b))
    copied = id_a != id_b and ids_a == ids_b and bool(ids_b)

    # Each store's writers reconcile (delete every vector their registry does not know): A ingests a new
    # document and deletes the PDF; B deletes the DOCX. With a shared collection each would wipe the other's.
    extra = tmp_path / "more"
    extra.mkdir()
    (extra / "northfield.md").write_text(NORTHFIELD)
    # A's two writes in order; B's delete at the same time, from its own process (their start-ups overlap).
    with ThreadPoolExecutor(max_workers=2) as pool:
        b_delete = pool.submit(cli, *server, "delete", DOCX, store=store_b)
        steps = [cli(*server, "ingest", str(extra), store=store_a), cli(*server, "delete", PDF, store=store_a)]
        steps.append(b_delete.result())
    after_a = vectors.all_ids(client.get_collection(name_a))
    after_b = vectors.all_ids(client.get_collection(name_b))
    from index.search import Searcher

    passage = Searcher(Settings.from_env(store=store_b, chroma_url=chroma_server)).search(REFERRALS, k=1)[0]
    top = {"doc_id": passage.doc_id, "dense_score": passage.dense_score}
    ok = (
        copied
        and all(step.returncode == 0 for step in steps)
        and after_b == {i for i in ids_b if i.startswith(f"{PDF}@")}
        and {i.split("@")[0] for i in after_a} == {DOCX, "northfield.md"}
        and top.get("doc_id") == PDF
        and top.get("dense_score") is not None
    )
    record_attack(
        "16. Imported store id",
        "export a store that uses a Chroma server, import it as a second store on the same server; then A "
        "ingests and deletes, B deletes",
        "the copy gets a new store id and its own collection; neither store's clean-up touches the other's vectors",
        f"ids differ: {id_a != id_b}; copy holds {len(ids_b)} of A's {len(ids_a)} vectors; after the writes A holds "
        f"{sorted({i.split('@')[0] for i in after_a})}, B {sorted({i.split('@')[0] for i in after_b})}; B's top "
        f"passage {top.get('doc_id')} (dense {top.get('dense_score') is not None})",
        bool(ok),
    )
    assert ok, [s.stderr[-500:] for s in steps]


# -- 17. links and skipped entries in an ingested folder ---------------------------------------------------
def test_links_out_of_the_folder_are_not_followed_and_every_skipped_entry_is_named(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Zanzibarton secret ledger: 4,242 payments.\n")
    folder = tmp_path / "incoming"
    (folder / "x.pdf").mkdir(parents=True)
    (folder / ".git").mkdir()
    (folder / ".git" / "config").write_text("[core]\n")
    (folder / "README").write_text("what this folder is\n")
    (folder / "notes.xlsx").write_bytes(b"PK\x03\x04 not really")
    (folder / "northfield.md").write_text(NORTHFIELD)
    passwd = Path("/etc/passwd")
    target = passwd if passwd.is_file() else outside / "secret.txt"
    (folder / "passwd.txt").symlink_to(target)
    (folder / "ledger.txt").symlink_to(outside / "secret.txt")
    (folder / "elsewhere").symlink_to(outside, target_is_directory=True)
    store = tmp_path / "store"
    run = cli("ingest", str(folder), "--json", store=store)
    assert run.returncode == 0, run.stderr
    refused, went_in = refusals(run), ingested(run)
    chunks, _, docs = store_view(store)
    leaked = [c.doc_id for c in chunks if "Zanzibarton" in c.text or "root:" in c.text or "/bin/" in c.text]
    searched = cli("search", "Zanzibarton secret ledger payments root bash", "--json", "--k", "10", store=store)
    hits = [p["doc_id"] for p in json.loads(searched.stdout)["passages"]]
    named = {name: refused.get(name, "") for name in ("passwd.txt", "ledger.txt", "elsewhere", "x.pdf", "notes.xlsx")}
    silent = not any(name in refused for name in ("README", ".git", "config"))
    ok = (
        not leaked
        and set(docs) == {"northfield.md"}
        and went_in == {"northfield.md"}
        and set(hits) <= {"northfield.md"}
        and all("not followed" in named[n] for n in ("passwd.txt", "ledger.txt", "elsewhere"))
        and "is a folder, not a file" in named["x.pdf"]
        and "unsupported file type '.xlsx'" in named["notes.xlsx"]
        and silent
        and all(f"refused {folder / name}: " in run.stderr for name in named)
    )
    record_attack(
        "17. Links and skipped entries",
        f"folder with passwd.txt -> {target}, ledger.txt -> a file outside, a link to a folder outside, a folder "
        "named x.pdf, notes.xlsx, README and .git/",
        "no text from outside the folder is stored or found; each link, x.pdf and notes.xlsx named with the "
        "reason; README and .git silent",
        f"documents {sorted(docs)}; chunks with outside text: {len(leaked)}; search hits {sorted(set(hits))}; "
        + "; ".join(f"{n}: {r or 'not named'}" for n, r in named.items()),
        ok,
    )
    assert ok, (run.stderr, leaked, hits)
