"""The one format of a chunk id: "<doc_id>@<first 10 hex of the content hash>#<position, 5 digits>".

The content version inside the id lets a new version's vectors be written beside the old one's before
the registry switches over, so a crash never leaves a document half replaced.
"""

from __future__ import annotations

VERSION_MARK = "@"
POSITION_MARK = "#"
HASH_CHARS = 10


def version_prefix(doc_id: str, content_sha256: str) -> str:
    return f"{doc_id}{VERSION_MARK}{content_sha256[:HASH_CHARS]}"


def chunk_id(prefix: str, position: int) -> str:
    return f"{prefix}{POSITION_MARK}{position:05d}"


def doc_id_of(chunk_id_: str) -> str:
    return chunk_id_.rsplit(VERSION_MARK, 1)[0]


def neighbour(chunk_id_: str, step: int) -> str:
    """The id of the chunk `step` places away in the same document version."""
    prefix, position = chunk_id_.rsplit(POSITION_MARK, 1)
    return chunk_id(prefix, int(position) + step)
