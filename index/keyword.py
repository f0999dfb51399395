"""BM25 keyword index over the same chunks as the vector store, persisted beside it (bm25s).

The domain's vocabulary (MASH, CSE, section 47) is exact and rare, which keyword search matches far
better than a small embedding model; the hybrid search leans on it.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import uuid
from pathlib import Path

import numpy as np

from .files import atomic_write

# Bump when what is saved changes; an index saved in another format is rebuilt from the registry.
FORMAT = 4
META = "ids.json"  # the commit point: names the folder holding the current index
DATA_PREFIX = "data-"
SPLIT_THOUSANDS = re.compile(r"(?<=\d),\s?(?=\d{3}\b)")
# bm25s's words of two or more characters, and a digit standing alone: "level 3", "stage 2" and "phase 9"
# name the thing asked about by their number.
TOKEN = r"(?u)\b\w\w+\b|\b\d\b"


def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def keyword_text(section: str, text: str) -> str:
    """What BM25 indexes for a chunk: its section heading helps match the topic of short passages."""
    return f"{section}\n{text}" if section else text


def normalise_for_keywords(text: str) -> str:
    """'1,394' and '£178, 430' become one token each, so a number can be searched for."""
    return SPLIT_THOUSANDS.sub("", text)


class KeywordIndex:
    def __init__(self, chunk_ids: list[str], retriever, generation: int):
        self.chunk_ids = chunk_ids
        self.retriever = retriever
        self.generation = generation
        self.chunk_ids_set = set(chunk_ids)
        # bm25s keeps one column per token in its score matrix; a column's entries are the chunks holding it.
        self._chunk_counts = np.diff(retriever.scores["indptr"]) if retriever is not None else np.zeros(0, int)

    @classmethod
    def build(cls, chunk_ids: list[str], texts: list[str], generation: int) -> KeywordIndex:
        import bm25s

        retriever = bm25s.BM25()
        if texts:
            retriever.index(cls.tokenize([normalise_for_keywords(t) for t in texts]), show_progress=False)
        return cls(chunk_ids, retriever if texts else None, generation)

    @staticmethod
    def tokenize(texts: list[str]) -> list[list[str]]:
        """Lower-cased, English stop words removed, Snowball-stemmed: the same for chunks and queries."""
        import bm25s

        return bm25s.tokenize(
            texts, token_pattern=TOKEN, stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False
        )

    @staticmethod
    def tokens_of(text: str) -> tuple[str, ...]:
        """One text's keyword tokens, remembered: answering tokenises the same question and sentences many
        times over, and bm25s.tokenize costs the same for one text as for a batch (it sets up progress bars)."""
        return _tokens_of(text)

    def doc_freq(self, token: str) -> int:
        """How many chunks hold the (stemmed) token."""
        if self.retriever is None:
            return 0
        column = self.retriever.vocab_dict.get(token)
        return int(self._chunk_counts[column]) if column is not None and column < len(self._chunk_counts) else 0

    def idf(self, token: str) -> float:
        """bm25s's own (Lucene) inverse chunk frequency; unseen tokens get the highest weight."""
        from bm25s.scoring import _score_idf_lucene

        return _score_idf_lucene(self.doc_freq(token), N=max(len(self.chunk_ids), 1))

    def save(self, directory: Path) -> None:
        """Write the index into a new folder inside directory, then point ids.json at it with one os.replace,
        so a reader, or a crash, sees the old index or the new one and never half of each.

        The pointer is the swap because rename(2) cannot replace a non-empty folder: swapping folders takes
        two renames and leaves a moment with no index at all. Saves run under the store's write lock, so
        whatever ids.json no longer names (the old folder, folders of a save cut short, the files of the
        older flat layout) is removed here, never by a reader, which could be loading it.
        """
        directory.mkdir(parents=True, exist_ok=True)
        data = None
        if self.retriever is not None:
            data = f"{DATA_PREFIX}{uuid.uuid4().hex[:12]}"
            self.retriever.save(str(directory / data), show_progress=False)
            for path in (directory / data).iterdir():
                _fsync(path)
            _fsync(directory / data)
        meta = {
            "format": FORMAT,
            "generation": self.generation,
            "chunk_ids": self.chunk_ids,
            "data": data,
        }
        atomic_write(directory / META, json.dumps(meta))
        _fsync(directory)
        remove_unreferenced(directory, data)

    @classmethod
    def load(cls, directory: Path) -> KeywordIndex | None:
        """The index ids.json names, or None when there is none or it cannot be read (callers then build it
        from the registry). Folders ids.json does not name, left by a save cut short, are never read. A save
        removes the folder it replaced right after moving ids.json on, so a reader that loses that race
        reads ids.json again rather than failing."""
        for _ in range(3):
            meta = read_meta(directory)
            if meta is None:
                return None
            try:
                return cls._from_meta(directory, meta)
            except (OSError, ValueError, KeyError, EOFError):
                continue
        return None

    @classmethod
    def _from_meta(cls, directory: Path, meta: dict) -> KeywordIndex:
        import bm25s

        chunk_ids = meta["chunk_ids"]
        retriever = None
        if chunk_ids:
            # Indexes saved before the pointer layout have no "data": their files sit in directory itself.
            folder = directory / meta["data"] if "data" in meta else directory
            retriever = bm25s.BM25.load(str(folder), show_progress=False)
            if retriever.scores["num_docs"] != len(chunk_ids):
                raise ValueError(f"{folder}: {retriever.scores['num_docs']} chunks indexed, {len(chunk_ids)} named")
        return cls(chunk_ids, retriever, meta["generation"])

    def scores(self, query: str, allowed: set[str] | None = None) -> dict[str, float]:
        """BM25 score of every matching chunk (score > 0), limited to allowed chunk ids."""
        if self.retriever is None:
            return {}
        tokens = self.tokenize([normalise_for_keywords(query)])[0]
        vocab = self.retriever.vocab_dict
        tokens = [t for t in tokens if t in vocab]
        if not tokens:
            return {}
        raw = self.retriever.get_scores(tokens)
        hits = np.nonzero(raw > 0)[0]
        out = {}
        for i in hits:
            cid = self.chunk_ids[i]
            if allowed is None or cid in allowed:
                out[cid] = float(raw[i])
        return out


def read_meta(directory: Path) -> dict | None:
    """ids.json of a saved index in this FORMAT, or None (absent, unreadable, or another format)."""
    try:
        meta = json.loads((directory / META).read_text())
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) and meta.get("format") == FORMAT else None


def remove_unreferenced(directory: Path, data: str | None) -> list[str]:
    """Delete everything in directory but ids.json and the index folder data; returns the names removed.
    Only a writer holding the store's lock may call this: a reader could be loading what it removes."""
    keep = {META, data}
    removed = []
    for path in sorted(directory.iterdir()):
        if path.name in keep:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path.name)
    return removed


def _fsync(path: Path) -> None:
    """Flush a file, or a folder's entries, to disk, so a power cut after the commit cannot lose them."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def keyword_index_stale(directory: Path, generation: int) -> bool:
    """Is the saved index missing (with documents stored), of an older format, or of another generation?"""
    meta_file = directory / META
    if not meta_file.exists():
        return generation > 0
    try:
        saved = json.loads(meta_file.read_text())
        return saved["generation"] != generation or saved.get("format") != FORMAT
    except (ValueError, KeyError):
        return True


@functools.lru_cache(maxsize=65536)
def _tokens_of(text: str) -> tuple[str, ...]:
    return tuple(KeywordIndex.tokenize([normalise_for_keywords(text)])[0])
