"""What a stored document's chunks depend on besides its content: the model, the chunk sizes and the code.

The source of every module that decides a document's chunks, sentences and figures is fingerprinted, so a
change to any of them re-chunks stored documents without anyone remembering to bump a number.
"""

from __future__ import annotations

import hashlib
import importlib.util
from functools import lru_cache
from pathlib import Path

from index.config import Settings

# Bump when chunking changes in a way the source fingerprint below cannot see.
CHUNKER_VERSION = "3"
CHUNKING_MODULES = (
    "ingest.loaders",
    "ingest.spacing",
    "ingest.pdf_headings",
    "ingest.pdf_layout",
    "ingest.tables",
    "ingest.level_grids",
    "ingest.boxes",
    "ingest.ocr",
    "ingest.clean",
    "ingest.sections",
    "ingest.sentences",
    "ingest.chunker",
    "ingest.figures",
    "ingest.metadata",
    "ingest.parse",
    "index.periods",
    "index.lexicon",
    "index.embed",  # how chunk and sentence vectors are made
    "index.model_export",
    "index.sentence_vectors",
)


@lru_cache(maxsize=1)
def chunking_fingerprint() -> str:
    digest = hashlib.sha256(CHUNKER_VERSION.encode())
    for name in CHUNKING_MODULES:
        spec = importlib.util.find_spec(name)
        digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest()[:12]


def index_version(settings: Settings) -> str:
    return (
        f"{settings.model}|{settings.max_chunk_tokens}|{settings.target_chunk_tokens}|chunker-{chunking_fingerprint()}"
    )
