"""The embedding model run by ONNX Runtime from the graph index/model_export.py made of the installed weights;
cache keys by text hash.

One runtime for every process: it loads in a fraction of a second (sentence-transformers costs about 9 s of
CPU to import) and gives the same vectors (cosine 1.0000 against sentence-transformers, tested). The same
tokenizer file, window, pooling and unit length as the sentence-transformers model it was exported from.

The cache (index/sentence_vectors.py uses it) means an edited document only pays for the chunks whose text
changed, and switching the model invalidates nothing by accident: the key includes the model name.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from functools import lru_cache

import numpy as np

from .config import EMBED_BATCH_SIZE, offline_environment
from .model_export import ensure_graph, read_layout
from .tokens import token_counter

DIMENSIONS = 384  # all-MiniLM-L6-v2
Span = tuple[int, int]  # [start, end) characters of a text
# One model call at a time in a process: ONNX Runtime already spreads one call over the cores, and the
# tokenizer's padding and truncation settings are shared state.
MODEL_LOCK = threading.Lock()
_THREADS: dict[str, int] = {}  # a process's share of the cores for the model, when it is not all of them


def use_threads(count: int) -> None:
    """Give the model this many threads (an answer worker takes its share of the cores); call before loading."""
    _THREADS["count"] = max(1, count)


@lru_cache(maxsize=2)
def load_model(model_path: str) -> OnnxModel:
    offline_environment()
    return OnnxModel(model_path)


class OnnxModel:
    """The transformer's graph in an ONNX Runtime session, its tokenizer, and the pooling of its token vectors."""

    def __init__(self, model_path: str):
        import onnxruntime
        from tokenizers import Tokenizer

        self.layout = read_layout(model_path)
        graph = ensure_graph(model_path)
        self.tokenizer = Tokenizer.from_file(str(self.layout.folder / "tokenizer.json"))
        padding = self.tokenizer.padding or {}
        self.tokenizer.enable_truncation(max_length=self.layout.max_seq_length)
        # Pad to the longest text of a batch (the file may ask for a fixed length).
        self.tokenizer.enable_padding(pad_id=padding.get("pad_id", 0), pad_token=padding.get("pad_token", "[PAD]"))
        self.counter = token_counter(model_path)
        options = onnxruntime.SessionOptions()
        options.inter_op_num_threads = 1
        if "count" in _THREADS:
            options.intra_op_num_threads = _THREADS["count"]
        self.session = onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])

    def token_vectors(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, list]:
        """One forward pass over a batch: token vectors (batch x tokens x width), the attention mask and the
        tokenizer's encodings (their character offsets)."""
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        types = np.array([e.type_ids for e in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        return self.session.run(None, feed)[0], mask, encodings

    def pool(self, tokens: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """The model's own pooling (mean over real tokens, or the first token), unit length."""
        if self.layout.pooling == "cls":
            pooled = tokens[:, 0]
        else:
            weights = mask[..., None].astype(np.float32)
            pooled = (tokens * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return unit(pooled)

    def word_pieces(self, texts: list[str]) -> list[int]:
        """How many word pieces each text is, without the start and end markers and uncut by the window."""
        return [self.counter.count(text) for text in texts]


def unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return (vectors / np.clip(norms, 1e-12, None)).astype(np.float32)


def batches_by_length(texts: list[str], size: int) -> Iterator[list[int]]:
    """Indexes of texts, longest first, in batches: texts of like length share a batch, so little padding is
    read (sentence-transformers batches the same way)."""
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    for start in range(0, len(order), size):
        yield order[start : start + size]


def cache_key(model: str, text: str) -> str:
    return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()


class Embedder:
    def __init__(self, model_name: str, model_path: str, batch_size: int = EMBED_BATCH_SIZE):
        self.model_name = model_name
        self.model_path = model_path
        self.batch_size = batch_size

    @property
    def model(self):
        return load_model(self.model_path)

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for batch in _shown(list(batches_by_length(texts, self.batch_size)), progress):
            with MODEL_LOCK:
                tokens, mask, _ = self.model.token_vectors([texts[i] for i in batch])
            vectors[batch] = self.model.pool(tokens, mask)
        return vectors

    def encode_with_spans(
        self, texts: list[str], spans: list[list[Span]], progress: bool = False
    ) -> tuple[np.ndarray, list[list[np.ndarray | None]]]:
        """One forward pass per text gives its vector (the model's own pooling, as `encode`) and, for each
        character span of it, the mean of the token vectors lying inside the span, unit length: a sentence
        vector read from its chunk's pass instead of a second pass of its own. A span is None when its tokens
        cannot be told (past the model's window)."""
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        pooled: list[list[np.ndarray | None]] = [[] for _ in texts]
        for batch in _shown(list(batches_by_length(texts, self.batch_size)), progress):
            with MODEL_LOCK:
                tokens, mask, encodings = self.model.token_vectors([texts[i] for i in batch])
            vectors[batch] = self.model.pool(tokens, mask)
            for row, i in enumerate(batch):
                real = mask[row].astype(bool)
                offsets = [o for o, keep in zip(encodings[row].offsets, real, strict=True) if keep]
                pooled[i] = [_pool(tokens[row][real], offsets, span) for span in spans[i]]
        return vectors, pooled


def _shown(batches: list[list[int]], progress: bool) -> list[list[int]] | Iterator[list[int]]:
    if not progress:
        return batches
    from tqdm import tqdm

    return tqdm(batches, desc="Embedding", unit="batch")


def _pool(tokens: np.ndarray, offsets: list[tuple[int, int]], span: Span) -> np.ndarray | None:
    """Mean of the vectors of the tokens inside span, L2-normalised (the model pools a text the same way);
    None when the span runs past the last token the model saw (the text was cut at its window)."""
    start, end = span
    inside = [j for j, (a, b) in enumerate(offsets) if b > a and a >= start and b <= end]
    last_seen = max((b for a, b in offsets if b > a), default=0)
    if not inside or end > last_seen:
        return None
    mean = tokens[inside].mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return (mean / norm).astype(np.float32) if norm else None
