"""Sentence-transformers embeddings from the locally installed model; cache keys by text hash.

The cache (index/sentence_vectors.py uses it) means an edited document only pays for the chunks whose text
changed, and switching the model invalidates nothing by accident: the key includes the model name.
"""

from __future__ import annotations

import hashlib
import threading
from functools import lru_cache

import numpy as np

from .config import offline_environment

DIMENSIONS = 384  # all-MiniLM-L6-v2
Span = tuple[int, int]  # [start, end) characters of a text
# One model call at a time in a process: the fast tokenizer is not safe to share between threads ("Already
# borrowed"), and torch already spreads one call over the cores.
MODEL_LOCK = threading.Lock()


@lru_cache(maxsize=2)
def load_model(model_path: str):
    offline_environment()
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(model_path, device="cpu")


def cache_key(model: str, text: str) -> str:
    return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()


class Embedder:
    def __init__(self, model_name: str, model_path: str, batch_size: int = 32):
        self.model_name = model_name
        self.model_path = model_path
        self.batch_size = batch_size

    @property
    def model(self):
        return load_model(self.model_path)

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        with MODEL_LOCK:
            vectors = self.model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                show_progress_bar=progress,
                convert_to_numpy=True,
            )
        return vectors.astype(np.float32)

    def encode_with_spans(
        self, texts: list[str], spans: list[list[Span]], progress: bool = False
    ) -> tuple[np.ndarray, list[list[np.ndarray | None]]]:
        """One forward pass per text gives its vector (the model's own pooling, as `encode`) and, for each
        character span of it, the mean of the token vectors lying inside the span, unit length: a sentence
        vector read from its chunk's pass instead of a second pass of its own. A span is None when its tokens
        cannot be told (past the model's window, or the tokenizer's offsets disagree with the model's input)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32), []
        import torch

        model = self.model
        # output_value=None hands back every feature of the pass (token vectors, mask, ids), one dict per text.
        with MODEL_LOCK:
            features = model.encode(
                texts, batch_size=self.batch_size, output_value=None, show_progress_bar=progress, convert_to_numpy=False
            )
            # The same tokenizer and window as the model's input, asked for offsets (which encode does not keep).
            encoded = model.tokenizer(
                texts, truncation=True, max_length=model.max_seq_length, return_offsets_mapping=True, padding=False
            )
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        pooled: list[list[np.ndarray | None]] = []
        for i, item in enumerate(features):
            vectors[i] = torch.nn.functional.normalize(item["sentence_embedding"], p=2, dim=0).cpu().numpy()
            ids = encoded["input_ids"][i]
            mask = item["attention_mask"].bool()
            same = item["input_ids"][mask].tolist() == ids
            tokens = item["token_embeddings"][mask].float().cpu().numpy() if same else None
            pooled.append([_pool(tokens, encoded["offset_mapping"][i], span) for span in spans[i]])
        return vectors, pooled


def _pool(tokens: np.ndarray | None, offsets: list[tuple[int, int]], span: Span) -> np.ndarray | None:
    """Mean of the vectors of the tokens inside span, L2-normalised (the model pools a text the same way);
    None when the span runs past the last token the model saw (the text was cut at its window)."""
    if tokens is None:
        return None
    start, end = span
    inside = [j for j, (a, b) in enumerate(offsets) if b > a and a >= start and b <= end]
    last_seen = max((b for a, b in offsets if b > a), default=0)
    if not inside or end > last_seen:
        return None
    mean = tokens[inside].mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return (mean / norm).astype(np.float32) if norm else None
