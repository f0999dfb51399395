"""The Chroma collection holding one vector per chunk, embedded or behind a `chroma run` server.

We always pass our own embeddings: Chroma's default embedding function downloads a model.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

COLLECTION = "safeguard_chunks"


def open_collection(store: Path, chroma_url: str | None):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        url = urlparse(chroma_url)
        client = chromadb.HttpClient(
            host=url.hostname or "127.0.0.1", port=url.port or 8000, ssl=url.scheme == "https", settings=settings
        )
    else:
        client = chromadb.PersistentClient(path=str(Path(store) / "chroma"), settings=settings)
    return client.get_or_create_collection(COLLECTION, metadata={"hnsw:space": "cosine"}, embedding_function=None)


def add_chunks(collection, ids: list[str], vectors, metadatas: list[dict], batch: int = 1000) -> None:
    for i in range(0, len(ids), batch):
        collection.upsert(
            ids=ids[i : i + batch],
            embeddings=[list(map(float, v)) for v in vectors[i : i + batch]],
            metadatas=metadatas[i : i + batch],
        )


def delete_ids(collection, ids: list[str], batch: int = 1000) -> None:
    for i in range(0, len(ids), batch):
        collection.delete(ids=ids[i : i + batch])


def all_ids(collection) -> set[str]:
    ids: set[str] = set()
    offset, page = 0, 5000
    while True:
        got = collection.get(include=[], limit=page, offset=offset)["ids"]
        ids.update(got)
        if len(got) < page:
            return ids
        offset += page


def query(collection, vector, k: int, where: dict | None) -> dict[str, float]:
    """Cosine similarity (1 - distance) of the k nearest chunks."""
    count = collection.count()
    if count == 0:
        return {}
    result = collection.query(
        query_embeddings=[list(map(float, vector))],
        n_results=min(k, count),
        where=where or None,
        include=["distances"],
    )
    return {cid: 1.0 - dist for cid, dist in zip(result["ids"][0], result["distances"][0], strict=True)}
