"""The document registry: documents, chunks and figures in one SQLite file inside the store.

SQLite gives us transactions for free: a document, its chunks and its figures become visible in
one commit, so a crash mid-ingest never leaves half a document behind. It is stdlib, so the
"is anything to do?" decision is made without importing torch, chromadb or llama-index.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from .records import (
    TEXT_LAYER,
    Box,
    Chunk,
    Document,
    Figure,
    PageStart,
    Sentence,
    boxes_from_json,
    boxes_to_json,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, content_sha256 TEXT NOT NULL, source TEXT, title TEXT, body TEXT,
    period TEXT, kind TEXT, collection TEXT, pages INTEGER, ingested_at TEXT, index_version TEXT,
    chunks INTEGER
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, position INTEGER, text TEXT, section TEXT,
    section_path TEXT, page INTEGER, last_page INTEGER, page_label TEXT, char_start INTEGER,
    char_end INTEGER, embed_text TEXT
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS figures (
    doc_id TEXT NOT NULL, chunk_id TEXT, as_written TEXT, value REAL, unit TEXT, label TEXT,
    period TEXT, sentence TEXT, page INTEGER, section TEXT, row_label TEXT, column_label TEXT, caption TEXT,
    box TEXT
);
CREATE INDEX IF NOT EXISTS figures_doc ON figures(doc_id);
CREATE TABLE IF NOT EXISTS pages (
    doc_id TEXT NOT NULL, page INTEGER, label TEXT, start INTEGER, source TEXT, confidence REAL
);
CREATE INDEX IF NOT EXISTS pages_doc ON pages(doc_id);
CREATE TABLE IF NOT EXISTS sentences (
    doc_id TEXT NOT NULL, start INTEGER, end INTEGER, page INTEGER, text TEXT, vector BLOB, boxes TEXT
);
CREATE INDEX IF NOT EXISTS sentences_doc ON sentences(doc_id, start);
CREATE TABLE IF NOT EXISTS texts (doc_id TEXT PRIMARY KEY, text TEXT);
CREATE TABLE IF NOT EXISTS embed_cache (key TEXT PRIMARY KEY, vector BLOB);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""

DOC_FIELDS = [
    "doc_id",
    "content_sha256",
    "source",
    "title",
    "body",
    "period",
    "kind",
    "collection",
    "pages",
    "ingested_at",
    "chunks",
]
CHUNK_FIELDS = [
    "chunk_id",
    "doc_id",
    "position",
    "text",
    "section",
    "section_path",
    "page",
    "last_page",
    "page_label",
    "char_start",
    "char_end",
    "embed_text",
]
FIGURE_FIELDS = ["doc_id", "chunk_id", "as_written", "value", "unit", "label", "period", "sentence", "page", "section"]
# A table cell's place: Figure field -> registry column ("row" and "column" are SQL words).
FIGURE_CELL_COLUMNS = {"row": "row_label", "column": "column_label", "caption": "caption"}
FIGURE_SELECT = ", ".join([*FIGURE_FIELDS, *FIGURE_CELL_COLUMNS.values(), "box"])

# Columns added after the first stores were made: a store opened by this version gains them (empty), and
# its documents are re-chunked anyway because the index version changed with them.
ADDED_COLUMNS = {
    "figures": {"row_label": "TEXT", "column_label": "TEXT", "caption": "TEXT", "box": "TEXT"},
    "pages": {"source": "TEXT", "confidence": "REAL"},
    "sentences": {"boxes": "TEXT"},
}


class Registry:
    """One registry, usable from many threads: each thread reads and writes through a connection of its own
    (a server answers several questions at once; one connection's cursors and transactions are not to be
    shared between threads)."""

    def __init__(self, store: Path):
        self.path = Path(store) / "registry.sqlite"
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)
        self._add_missing_columns()

    @property
    def db(self) -> sqlite3.Connection:
        """This thread's connection, opened on its first use."""
        connection = getattr(self._local, "db", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            self._local.db = connection
            with self._connections_lock:
                self._connections.append(connection)
        return connection

    def _add_missing_columns(self) -> None:
        for table, columns in ADDED_COLUMNS.items():
            have = {row[1] for row in self.db.execute(f"PRAGMA table_info({table})")}
            for name, kind in columns.items():
                if name not in have:
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
        self.db.commit()

    def close(self) -> None:
        with self._connections_lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
        self._local = threading.local()

    # -- documents -------------------------------------------------------------------------
    def documents(self) -> list[Document]:
        rows = self.db.execute(f"SELECT {', '.join(DOC_FIELDS)} FROM documents ORDER BY doc_id").fetchall()
        return [Document(**dict(zip(DOC_FIELDS, row, strict=True))) for row in rows]

    def document(self, doc_id: str) -> Document | None:
        row = self.db.execute(f"SELECT {', '.join(DOC_FIELDS)} FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return Document(**dict(zip(DOC_FIELDS, row, strict=True))) if row else None

    def version_of(self, doc_id: str) -> tuple[str, str] | None:
        row = self.db.execute(
            "SELECT content_sha256, index_version FROM documents WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        return (row[0], row[1]) if row else None

    def put_document(
        self,
        doc: Document,
        index_version: str,
        chunks: list[Chunk],
        figures: list[Figure],
        text: str = "",
        page_starts: list[PageStart] | None = None,
        sentences: list[Sentence] | None = None,
    ) -> None:
        """Replace a document and everything derived from it in one transaction."""
        doc.ingested_at = datetime.now(UTC).isoformat(timespec="seconds")
        doc.chunks = len(chunks)
        with self.db:
            self._delete_rows(doc.doc_id)
            values = [getattr(doc, f) for f in DOC_FIELDS]
            self.db.execute(
                f"INSERT INTO documents ({', '.join(DOC_FIELDS)}, index_version) "
                f"VALUES ({', '.join('?' * (len(DOC_FIELDS) + 1))})",
                values + [index_version],
            )
            self.db.executemany(
                f"INSERT INTO chunks VALUES ({', '.join('?' * len(CHUNK_FIELDS))})",
                [[getattr(c, f) for f in CHUNK_FIELDS] for c in chunks],
            )
            self.db.executemany(
                f"INSERT INTO figures ({FIGURE_SELECT}) VALUES ({', '.join('?' * (len(FIGURE_FIELDS) + 4))})",
                [_figure_row(f) for f in figures],
            )
            self.db.execute("INSERT INTO texts VALUES (?, ?)", (doc.doc_id, text))
            self.db.executemany(
                "INSERT INTO pages (doc_id, page, label, start, source, confidence) VALUES (?, ?, ?, ?, ?, ?)",
                [(doc.doc_id, p.page, p.label, p.start, p.source, p.confidence) for p in page_starts or []],
            )
            self.db.executemany(
                "INSERT INTO sentences (doc_id, start, end, page, text, vector, boxes) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (doc.doc_id, x.start, x.end, x.page, x.text, x.vector, boxes_to_json(x.boxes))
                    for x in sentences or []
                ],
            )
            self._bump_generation()

    def delete_document(self, doc_id: str) -> bool:
        with self.db:
            found = self.db.execute("SELECT 1 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
            self._delete_rows(doc_id)
            if found:
                self._bump_generation()
        return bool(found)

    def _delete_rows(self, doc_id: str) -> None:
        for table in ("documents", "chunks", "figures", "pages", "texts", "sentences"):
            self.db.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))

    # -- chunks and figures ----------------------------------------------------------------
    def chunk_ids(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT chunk_id FROM chunks")}

    def chunk_ids_of(self, doc_id: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT chunk_id FROM chunks WHERE doc_id = ?", (doc_id,))]

    def sections_of(self, doc_id: str) -> list[tuple[str, str]]:
        """Each chunk of a document with its section, in reading order."""
        q = "SELECT chunk_id, section FROM chunks WHERE doc_id = ? ORDER BY position"
        return [(r[0], r[1] or "") for r in self.db.execute(q, (doc_id,))]

    def chunks(self, chunk_ids: Iterable[str] | None = None) -> list[Chunk]:
        query = f"SELECT {', '.join(CHUNK_FIELDS)} FROM chunks"
        if chunk_ids is None:
            rows = self.db.execute(query + " ORDER BY doc_id, position").fetchall()
        else:
            ids = list(chunk_ids)
            rows = []
            for i in range(0, len(ids), 500):
                part = ids[i : i + 500]
                rows += self.db.execute(query + f" WHERE chunk_id IN ({', '.join('?' * len(part))})", part).fetchall()
        return [Chunk(**dict(zip(CHUNK_FIELDS, row, strict=True))) for row in rows]

    def figures(self, doc_id: str | None = None) -> list[Figure]:
        query = f"SELECT {FIGURE_SELECT} FROM figures"
        args: tuple = ()
        if doc_id:
            query += " WHERE doc_id = ?"
            args = (doc_id,)
        rows = self.db.execute(query + " ORDER BY doc_id, rowid", args).fetchall()
        return [_figure_of(row) for row in rows]

    def table_figures(self, chunk_ids: list[str]) -> list[Figure]:
        """The figures read from table cells in these chunks, each with the row, column and period the table
        gave it (a "Change over time" column has no period; a sentence re-read as prose would get one)."""
        rows: list = []
        query = f"SELECT {FIGURE_SELECT} FROM figures WHERE (row_label != '' OR column_label != '') AND chunk_id IN "
        for i in range(0, len(chunk_ids), 500):
            part = chunk_ids[i : i + 500]
            rows += self.db.execute(query + f"({', '.join('?' * len(part))}) ORDER BY rowid", part).fetchall()
        return [_figure_of(row) for row in rows]

    def text_of(self, doc_id: str) -> str:
        row = self.db.execute("SELECT text FROM texts WHERE doc_id = ?", (doc_id,)).fetchone()
        return row[0] if row else ""

    def page_starts(self, doc_id: str) -> list[PageStart]:
        q = "SELECT page, label, start, COALESCE(source, ?), confidence FROM pages WHERE doc_id = ? ORDER BY start"
        return [PageStart(*r) for r in self.db.execute(q, (TEXT_LAYER, doc_id))]

    def sentence_vectors_of_chunks(self, chunk_ids: list[str]) -> list[tuple[str, bytes]]:
        """(chunk_id, sentence vector) for every sentence lying inside each of the chunks."""
        rows: list[tuple[str, bytes]] = []
        for i in range(0, len(chunk_ids), 500):
            part = chunk_ids[i : i + 500]
            rows += self.db.execute(
                "SELECT c.chunk_id, s.vector FROM chunks c JOIN sentences s ON s.doc_id = c.doc_id"
                " AND s.start >= c.char_start AND s.start < c.char_end AND s.end <= c.char_end"
                f" WHERE c.chunk_id IN ({','.join('?' * len(part))})",
                part,
            ).fetchall()
        return rows

    def chunks_with_lines_starting(self, doc_id: str, openings: Iterable[str]) -> list[str]:
        """The chunks of a document holding a sentence that opens with one of these words ("Author:")."""
        found: list[str] = []
        for opening in openings:
            rows = self.db.execute(
                "SELECT c.chunk_id FROM sentences s JOIN chunks c ON c.doc_id = s.doc_id"
                " AND c.char_start <= s.start AND s.start < c.char_end"
                " WHERE s.doc_id = ? AND s.text LIKE ? ORDER BY c.position",
                (doc_id, f"{opening}%"),
            )
            found += [r[0] for r in rows if r[0] not in found]
        return found

    def section_span(self, doc_id: str, section: str) -> tuple[int, int]:
        """Where a section's chunks begin and end in its document's text ((0, 0) when it has none)."""
        row = self.db.execute(
            "SELECT MIN(char_start), MAX(char_end) FROM chunks WHERE doc_id = ? AND section = ?", (doc_id, section)
        ).fetchone()
        return (row[0], row[1]) if row and row[0] is not None else (0, 0)

    def chunk_span(self, chunk_id: str) -> tuple[int, int]:
        """Where one chunk begins and ends in its document's text ((0, 0) when unknown)."""
        row = self.db.execute("SELECT char_start, char_end FROM chunks WHERE chunk_id = ?", (chunk_id,)).fetchone()
        return (row[0], row[1]) if row else (0, 0)

    def sentences_in(self, doc_id: str, start: int, end: int, light: bool = False) -> list[Sentence]:
        """Sentences lying inside [start, end) of a document, with their page, and their vector and boxes
        unless asked light (read often, for their words only)."""
        if light:
            q = "SELECT start, end, page, text FROM sentences WHERE doc_id = ? AND start >= ? AND end <= ?"
            return [Sentence(*r) for r in self.db.execute(f"{q} ORDER BY start", (doc_id, start, end))]
        q = (
            "SELECT start, end, page, text, vector, boxes FROM sentences"
            " WHERE doc_id = ? AND start >= ? AND end <= ? ORDER BY start"
        )
        return [Sentence(*r[:5], boxes_from_json(r[5])) for r in self.db.execute(q, (doc_id, start, end))]

    def text_between(self, doc_id: str, start: int, end: int) -> str:
        """The document's text in [start, end), as it was read (line breaks kept)."""
        row = self.db.execute(
            "SELECT substr(text, ?, ?) FROM texts WHERE doc_id = ?", (start + 1, max(0, end - start), doc_id)
        ).fetchone()
        return row[0] if row else ""

    def sentence_boxes(self, doc_id: str, page: int | None, text: str) -> tuple[Box, ...]:
        """Where a cited sentence lies on its page (empty when the page has no boxes, e.g. plain text)."""
        row = self.db.execute(
            "SELECT boxes FROM sentences WHERE doc_id = ? AND page IS ? AND text = ? LIMIT 1", (doc_id, page, text)
        ).fetchone()
        return boxes_from_json(row[0]) if row else ()

    def sentence_vectors_of(self, doc_id: str) -> dict[str, bytes]:
        """Sentence text -> stored vector for one document (reused when a new version keeps a chunk's text)."""
        q = "SELECT text, vector FROM sentences WHERE doc_id = ? AND vector IS NOT NULL"
        return {text: vector for text, vector in self.db.execute(q, (doc_id,)) if vector}

    def sentence_texts(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT text FROM sentences")]

    def figure_periods(self) -> dict[str, set[str]]:
        """Every period each document has figures for."""
        found: dict[str, set[str]] = {}
        for doc_id, period in self.db.execute("SELECT DISTINCT doc_id, period FROM figures"):
            if period:
                found.setdefault(doc_id, set()).add(period)
        return found

    # -- embedding cache -------------------------------------------------------------------
    def cached_vectors(self, keys: list[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            q = f"SELECT key, vector FROM embed_cache WHERE key IN ({', '.join('?' * len(part))})"
            found.update(dict(self.db.execute(q, part).fetchall()))
        return found

    def cache_vectors(self, items: dict[str, bytes]) -> None:
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO embed_cache VALUES (?, ?)", list(items.items()))

    def prune_cache(self, keep: set[str]) -> int:
        """Drop cached embeddings outside keep; returns how many were dropped."""
        stale = [k for (k,) in self.db.execute("SELECT key FROM embed_cache") if k not in keep]
        with self.db:
            self.db.executemany("DELETE FROM embed_cache WHERE key = ?", [(k,) for k in stale])
        return len(stale)

    def counts(self) -> dict[str, int]:
        """How many documents, chunks and sentences the store holds."""
        count = lambda table: self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: E731
        return {table: count(table) for table in ("documents", "chunks", "sentences")}

    def has_chunks(self) -> bool:
        return self.db.execute("SELECT 1 FROM chunks LIMIT 1").fetchone() is not None

    # -- store identity --------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta_once(self, key: str, value: str) -> str:
        """Record value under key unless one is there already; returns the recorded value. Two processes
        racing to set the same key agree on whichever committed first."""
        with self.db:
            self.db.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (key, value))
        return self.meta(key) or value

    def store_id(self) -> str:
        """A random id made once per store and kept in the registry (so export/import carries it): it names
        the store's Chroma collection, so stores sharing one Chroma server never see each other's vectors."""
        return self.meta("store_id") or self.set_meta_once("store_id", uuid.uuid4().hex)

    # -- generation ------------------------------------------------------------------------
    def generation(self) -> int:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def _bump_generation(self) -> None:
        self.db.execute(
            "INSERT INTO meta VALUES ('generation', '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )


def _figure_row(figure: Figure) -> list:
    cells = [getattr(figure, name) for name in FIGURE_CELL_COLUMNS]
    box = boxes_to_json([figure.box] if figure.box else [])
    return [*(getattr(figure, name) for name in FIGURE_FIELDS), *cells, box]


def _figure_of(row) -> Figure:
    named = dict(zip(FIGURE_FIELDS, row, strict=False))
    cells = dict(zip(FIGURE_CELL_COLUMNS, row[len(FIGURE_FIELDS) :], strict=False))
    boxes = boxes_from_json(row[-1])
    return Figure(**named, **{k: v or "" for k, v in cells.items()}, box=boxes[0] if boxes else None)
