"""BM25 keyword index over the same chunks as the vector store, persisted beside it (bm25s).

The domain's vocabulary (MASH, CSE, section 47) is exact and rare, which keyword search matches far
better than a small embedding model; the hybrid search leans on it.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path

import numpy as np

# Bump when what is saved changes; an index saved in another format is rebuilt from the registry.
FORMAT = 2
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
        directory.mkdir(parents=True, exist_ok=True)
        if self.retriever is not None:
            self.retriever.save(str(directory), show_progress=False)
        tmp = directory / "ids.json.tmp"
        meta = {"format": FORMAT, "generation": self.generation, "chunk_ids": self.chunk_ids, "doc_freq": self.doc_freq}
        tmp.write_text(json.dumps(meta))
        tmp.replace(directory / "ids.json")

    @classmethod
    def load(cls, directory: Path) -> KeywordIndex | None:
        import bm25s

        meta_file = directory / "ids.json"
        if not meta_file.exists():
            return None
        meta = json.loads(meta_file.read_text())
        if meta.get("format") != FORMAT:
            return None
        retriever = bm25s.BM25.load(str(directory), show_progress=False) if meta["chunk_ids"] else None
        return cls(meta["chunk_ids"], retriever, meta["generation"], meta.get("doc_freq"))

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
