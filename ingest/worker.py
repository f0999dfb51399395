"""Read files in a worker process with a time budget per file, so no file can hold the store for long.

Reading a file (load, clean, find sections, chunk, find figures) is pure computation on content an
outsider may have written; some inputs make a library take minutes. Python cannot stop a thread that is
inside C code, so each file is read in a separate process that is killed when its budget runs out: the
file is refused by name, a fresh worker starts, and the batch goes on. Documents already committed are
untouched, since the worker never writes to the store. One worker serves a whole batch, so a batch pays
the start-up (imports, tokenizer) once, not per file.

The worker reads one file ahead: the next file's request goes out with the current one, so the worker
reads it while the ingesting process embeds the current file, and parsing and embedding share the cores
instead of taking turns. A file's budget starts when its answer is waited for, as before.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable
from pathlib import Path

from index.config import Settings

from .loaders import LoadError

# How long a new worker may take to import its libraries and load the tokenizer: not part of any file's budget.
STARTUP_SECONDS = 300


class ParseWorker:
    """parse(...) returns a ParsedDocument or raises LoadError; the worker process is started on first use."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.budget = settings.max_file_seconds
        self.on_stage: Callable[[str], None] | None = None  # told each stage within the file ("OCR page 3/40")
        # The request of the file to read after the one asked for next (set by the caller, used once).
        self.read_ahead: tuple | None = None
        self._pending: tuple | None = None  # a request already sent ahead, its answer not yet read
        self._process = None
        self._conn = None

    def __enter__(self) -> ParseWorker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def parse(self, path: Path, doc_id: str, source: str, sha: str, collection: str):
        from .parse import parse_file

        ahead, self.read_ahead = self.read_ahead, None
        if not self.budget:
            return parse_file(path, doc_id, source, sha, collection, self.settings)
        request = (str(path), doc_id, source, sha, collection)
        if self._pending is not None and self._pending != request:
            self._stop()  # the file sent ahead is not the one asked for (refused meanwhile): drop its reading
        if self._process is None or not self._process.is_alive():
            self._stop()
            self._start()
        if self._pending != request:
            self._conn.send(request)
        self._pending = None
        if ahead is not None:
            self._pending = (str(ahead[0]), *ahead[1:])
            self._conn.send(self._pending)
        status, value = self._reply(source)
        if status == "refused":
            raise LoadError(value)
        if status == "failed":
            raise LoadError(f"could not be read ({value})")
        return value

    def _reply(self, source: str) -> tuple:
        """The worker's answer for one file. A scan's pages are OCR'd at seconds a page: each OCR'd page is
        shown on stderr and gives the file OCR_PAGE_SECONDS more, and the budget starts again once OCR is
        done, so a long scan fits while every single step stays bounded."""
        import sys
        import time

        from .ocr import OCR_PAGE_SECONDS

        deadline = time.monotonic() + self.budget
        ocr_pages = 0
        while True:
            if not self._conn.poll(max(0.0, deadline - time.monotonic())):
                self._stop()
                extra = f", plus {OCR_PAGE_SECONDS:g} s an OCR'd page" if ocr_pages else ""
                raise LoadError(
                    f"took longer than {self.budget:g} s to read (SAFEGUARD_MAX_FILE_SECONDS{extra}); not ingested"
                )
            try:
                message = self._conn.recv()
            except (EOFError, OSError):
                code = self._process.exitcode if self._process is not None else None
                self._stop()
                raise LoadError(f"the reader stopped while reading it (exit code {code}); not ingested") from None
            if message[0] != "ocr":
                return message
            _, done, ocr_pages = message
            now = time.monotonic()
            deadline = max(deadline, now + (self.budget if done == ocr_pages else OCR_PAGE_SECONDS))
            if done:
                print(f"{source}: OCR page {done}/{ocr_pages}", file=sys.stderr, flush=True)
                if self.on_stage:
                    self.on_stage(f"OCR page {done}/{ocr_pages}")

    def _start(self) -> None:
        # spawn, not fork: the ingesting process may hold the embedding model and its threads.
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(target=_serve, args=(child, self.settings), daemon=True, name="safeguard-reader")
        process.start()
        child.close()
        self._process, self._conn = process, parent
        if not parent.poll(STARTUP_SECONDS):
            self._stop()
            raise RuntimeError("the file reader process did not start")
        try:
            parent.recv()
        except EOFError:
            self._stop()
            raise RuntimeError("the file reader process did not start") from None

    def _stop(self) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        self._pending = None
        if conn is not None:
            conn.close()
        if process is not None:
            if process.is_alive():
                process.kill()
            process.join(timeout=30)

    def close(self) -> None:
        """Ask the worker to finish (closing its pipe ends its loop), then make sure it has."""
        process, conn = self._process, self._conn
        self._process = self._conn = None
        self._pending = None
        if conn is not None:
            conn.close()
        if process is not None:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join(timeout=30)


def _serve(conn, settings: Settings) -> None:
    """The worker: read files until the pipe closes (the ingest finished, or was killed)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the ingest, which then stops the worker
    from index.tokens import token_counter

    from .ocr import set_progress_listener
    from .parse import parse_file

    # OCR progress goes to the ingesting process, which shows it and extends the file's time budget.
    set_progress_listener(lambda name, done, total: conn.send(("ocr", done, total)))
    token_counter(settings.model_path())
    for module in ("pypdf", "docx"):  # imported once here, not inside the first file's budget
        __import__(module)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            path, doc_id, source, sha, collection = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        try:
            reply = ("ok", parse_file(Path(path), doc_id, source, sha, collection, settings))
        except LoadError as exc:
            reply = ("refused", str(exc))
        except RecursionError:
            reply = ("failed", "nested too deeply")
        except MemoryError:
            reply = ("failed", "out of memory")
        except Exception as exc:  # a library failing on hostile content: refuse the file, keep the batch
            reply = ("failed", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return
