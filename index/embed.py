"""Sentence-transformers embeddings from the locally installed model, cached by text hash.

The cache means an edited document only pays for the chunks whose text changed, and switching the
model invalidates nothing by accident: the key includes the model name.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np

from .config import offline_environment

DIMENSIONS = 384  # all-MiniLM-L6-v2


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
        vectors = self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=progress,
            convert_to_numpy=True,
        )
        return vectors.astype(np.float32)

    def encode_cached(self, texts: list[str], registry, progress: bool = False) -> np.ndarray:
        keys = [cache_key(self.model_name, t) for t in texts]
        cached = registry.cached_vectors(keys)
        missing = [i for i, k in enumerate(keys) if k not in cached]
        fresh = self.encode([texts[i] for i in missing], progress=progress)
        if missing:
            registry.cache_vectors({keys[i]: fresh[n].tobytes() for n, i in enumerate(missing)})
        out = np.zeros((len(texts), fresh.shape[1] if len(missing) else DIMENSIONS), dtype=np.float32)
        for n, i in enumerate(missing):
            out[i] = fresh[n]
        for i, k in enumerate(keys):
            if k in cached:
                out[i] = np.frombuffer(cached[k], dtype=np.float32)
        return out
