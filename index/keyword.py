"""BM25 keyword index over the same chunks as the vector store, persisted beside it (bm25s).

The domain's vocabulary (MASH, CSE, section 47) is exact and rare, which keyword search matches far
better than a small embedding model; the hybrid search leans on it.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import uuid
from collections import Counter
from pathlib import Path

import numpy as np

# Bump when what is saved changes; an index saved in another format is rebuilt from the registry.
FORMAT = 2
META = "ids.json"  # the commit point: names the folder holding the current index
DATA_PREFIX = "data-"
SPLIT_THOUSANDS = re.compile(r"(?<=\d),\s?(?=\d{3}\b)")


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
    def __init__(self, chunk_ids: list[str], retriever, generation: int, doc_freq: dict[str, int] | None = None):
        self.chunk_ids = chunk_ids
        self.retriever = retriever
        self.generation = generation
        self.chunk_ids_set = set(chunk_ids)
        self.doc_freq = doc_freq or {}

    @classmethod
    def build(cls, chunk_ids: list[str], texts: list[str], generation: int) -> KeywordIndex:
        import bm25s

        retriever = bm25s.BM25()
        doc_freq: Counter[str] = Counter()
        if texts:
            tokens = cls.tokenize([normalise_for_keywords(t) for t in texts])
            retriever.index(tokens, show_progress=False)
            for chunk_tokens in tokens:
                doc_freq.update(set(chunk_tokens))
        return cls(chunk_ids, retriever if texts else None, generation, dict(doc_freq))

    @staticmethod
    def tokenize(texts: list[str]) -> list[list[str]]:
        """Lower-cased, English stop words removed, Snowball-stemmed: the same for chunks and queries."""
        import bm25s

        return bm25s.tokenize(texts, stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False)

    def idf(self, token: str) -> float:
        """Inverse chunk frequency; unseen tokens get the highest weight."""
        n = max(len(self.chunk_ids), 1)
        return math.log(1 + (n - self.doc_freq.get(token, 0) + 0.5) / (self.doc_freq.get(token, 0) + 0.5))

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
            "doc_freq": self.doc_freq,
            "data": data,
        }
        tmp = directory / f"{META}.tmp"
        with open(tmp, "w") as handle:
            handle.write(json.dumps(meta))
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(directory / META)
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
        return cls(chunk_ids, retriever, meta["generation"], meta.get("doc_freq"))

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
