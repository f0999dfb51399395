"""The Chroma collection holding one vector per chunk, embedded or behind a `chroma run` server.

We always pass our own embeddings: Chroma's default embedding function downloads a model.

Each store has its own collection, named from the store id kept in its registry (`safeguard_<id>`): stores
pointed at one Chroma server must never share a collection, because a writer's reconcile deletes every
vector its own registry does not know. An imported copy of a store gets a new id (index/backup.py), so on a
server it has a collection of its own too, filled on first use from the collection of the store it was
exported from (only the vectors its registry names are read; the original's collection is never written).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from .config import Settings
from .registry import Registry

# The one collection every store used before stores had ids.
LEGACY_COLLECTION = "safeguard_chunks"
# Registry meta key recording which collection holds the store's vectors, decided on the first open.
COLLECTION_KEY = "chroma_collection"
# Registry meta keys of an imported store: the collection of the store it was exported from, and the server
# collection its vectors were copied into from there (recorded once the copy is whole).
IMPORTED_FROM_KEY = "chroma_imported_from"
IMPORT_COPIED_KEY = "chroma_import_copied"


def collection_name(store_id: str) -> str:
    return f"safeguard_{store_id}"


def open_collection(store: Path, chroma_url: str | None, registry: Registry | None = None, token: str | None = None):
    """The store's own collection (created if new); registry is the store's, opened here if not given; token
    authenticates to a Chroma server."""
    client = client_for(store, chroma_url, token)
    own_registry = registry is None
    registry = registry or Registry(store)
    try:
        name = registry.meta(COLLECTION_KEY) or _choose_collection(client, registry, embedded=not chroma_url)
        if chroma_url:
            # On a server a store only ever uses the collection named by its own id: never the old shared one,
            # nor the one an imported embedded store kept from the store it was copied from.
            name = collection_name(registry.store_id())
            _fill_imported(client, registry, name)
    finally:
        if own_registry:
            registry.close()
    return _collection(client, name)


def open_for(settings: Settings, registry: Registry | None = None):
    """The collection of settings' store: on its Chroma server (with its token), or embedded."""
    return open_collection(settings.store, settings.chroma_url, registry, settings.chroma_token)


def client_for(store: Path, chroma_url: str | None, token: str | None = None):
    """The Chroma client: the server at chroma_url (with Chroma's token auth when a token is given, sent as
    `Authorization: Bearer <token>`), else the store's embedded database."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url and token:
        settings = ChromaSettings(
            anonymized_telemetry=False,
            chroma_client_auth_provider="chromadb.auth.token_authn.TokenAuthClientProvider",
            chroma_client_auth_credentials=token,
            chroma_auth_token_transport_header="Authorization",
        )
    if chroma_url:
        url = urlparse(chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1", port=url.port or 8000, ssl=url.scheme == "https", settings=settings
        )
    return chromadb.PersistentClient(path=str(Path(store) / "chroma"), settings=settings)


def _collection(client, name: str):
    return client.get_or_create_collection(name, metadata={"hnsw:space": "cosine"}, embedding_function=None)


def _existing(client, name: str):
    from chromadb.errors import NotFoundError

    try:
        return client.get_collection(name, embedding_function=None)
    except NotFoundError:
        return None


def _choose_collection(client, registry: Registry, embedded: bool) -> str:
    """Decide, on a store's first open, which collection holds its vectors, and record the choice."""
    store_id = registry.store_id()
    legacy = _existing(client, LEGACY_COLLECTION)
    if embedded and legacy is not None:
        # A store made before store ids keeps its collection. Its embedded Chroma belongs to it alone, so the
        # old name is safe there, and keeping it moves nothing: a copy would be slow on a big store and would
        # need crash handling of its own.
        return registry.set_meta_once(COLLECTION_KEY, LEGACY_COLLECTION)
    name = collection_name(store_id)
    if legacy is not None and registry.has_chunks():
        # A store that used the shared collection on a server before store ids: copy its own vectors into its
        # own collection and leave the shared one alone (other stores' vectors may be in it). The choice is
        # recorded after the copy, so a copy cut short is simply redone by the next open (upserts repeat safely).
        copy_vectors(legacy, _collection(client, name), sorted(registry.chunk_ids()))
    return registry.set_meta_once(COLLECTION_KEY, name)


def _fill_imported(client, registry: Registry, name: str) -> None:
    """An imported store's first use on a server: copy the vectors its registry names from the collection of
    the store it was exported from (read only: that store's vectors stay its own) into its own collection.
    Recorded after the copy, so a copy cut short, or a server that lacked the original's collection, is tried
    again on the next open; the copied ids carry their content version, so a repeat never brings back
    anything stale."""
    source_name = registry.meta(IMPORTED_FROM_KEY)
    if not source_name or source_name == name or registry.meta(IMPORT_COPIED_KEY) == name:
        return
    source = _existing(client, source_name)
    if source is None:
        return
    if registry.has_chunks():
        copy_vectors(source, _collection(client, name), sorted(registry.chunk_ids()))
    registry.set_meta_once(IMPORT_COPIED_KEY, name)


def copy_vectors(source, target, ids: list[str], batch: int = 1000) -> None:
    """Upsert the vectors and metadata of ids (those source holds) from one collection into another."""
    for i in range(0, len(ids), batch):
        got = source.get(ids=ids[i : i + batch], include=["embeddings", "metadatas"])
        if got["ids"]:
            target.upsert(ids=got["ids"], embeddings=got["embeddings"], metadatas=got["metadatas"])


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


def embeddings_of(collection, ids: list[str]) -> dict[str, list[float]]:
    """The stored vectors of these chunk ids (those the collection holds)."""
    if not ids:
        return {}
    got = collection.get(ids=ids, include=["embeddings"])
    return dict(zip(got["ids"], got["embeddings"], strict=True))


def ids_of_document(collection, doc_id: str) -> list[str]:
    """Vector ids whose metadata names doc_id: how a document's vectors are found once the registry forgot it."""
    return list(collection.get(where={"doc_id": doc_id}, include=[])["ids"])


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
