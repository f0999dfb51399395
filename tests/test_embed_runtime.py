"""The embedding runtime: a graph exported on this machine from the installed weights, run by ONNX Runtime,
gives the vectors sentence-transformers gives for the same model (the one every stored vector was made with
before), on real sentences and on chunks longer than the model's window."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from helpers import ROOT

from index.config import Settings
from index.embed import Embedder, load_model
from index.model_export import UnsupportedModel, graph_path, read_layout

CORPUS = ROOT / "corpus" / "camden-scb-annual-report-2018-19.txt"


def corpus_texts() -> list[str]:
    text = CORPUS.read_text(encoding="utf-8")
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if len(s.strip()) > 20]
    picked = sentences[::12][:150]
    # Chunks of 30 sentences run past the 256-word-piece window: both runtimes must cut them alike.
    long = [" ".join(sentences[i : i + 30]) for i in range(0, 300, 30)]
    return picked + long + ["MASH", "how many kids in care last yr"]


@pytest.fixture
def empty_model_cache(tmp_path, monkeypatch):
    """A model cache with no graph in it, for this test only (the loaded model is forgotten before and after)."""
    monkeypatch.setenv("SAFEGUARD_MODEL_CACHE", str(tmp_path))
    load_model.cache_clear()
    yield tmp_path
    load_model.cache_clear()


def test_a_graph_exported_into_an_empty_cache_gives_sentence_transformers_vectors(empty_model_cache):
    from sentence_transformers import SentenceTransformer

    model_path = Settings().model_path()
    assert not graph_path(model_path).exists()
    # Left by earlier weights of the same model, and by another model: only the first is replaced.
    current = graph_path(model_path)
    replaced = current.with_name(current.name.rsplit("-", 1)[0] + "-" + "0" * 16 + ".onnx")
    other = empty_model_cache / "other-model-0123456789abcdef.onnx"
    replaced.write_bytes(b"old graph")
    other.write_bytes(b"another model")
    embedder = Embedder("same", model_path, batch_size=8)
    texts = corpus_texts()
    ours = embedder.encode(texts)  # exports first: nothing is in this cache
    assert graph_path(model_path).is_file() and graph_path(model_path).parent == empty_model_cache
    assert not replaced.exists() and other.exists()
    assert max(embedder.model.word_pieces(texts)) > read_layout(model_path).max_seq_length
    theirs = SentenceTransformer(model_path, device="cpu").encode(texts, batch_size=32, normalize_embeddings=True)
    agreement = (ours * theirs).sum(axis=1)
    assert agreement.min() >= 0.9999, (agreement.min(), texts[int(agreement.argmin())][:80])
    # A text's vector does not depend on the batch it is read in (padding is masked out).
    alone = np.stack([embedder.encode([t])[0] for t in texts[:5]])
    assert np.allclose(alone, ours[:5], atol=1e-5)


def test_a_model_with_a_layer_the_runtime_cannot_repeat_is_refused_by_name(tmp_path):
    folder = tmp_path / "dense-model"
    (folder / "1_Pooling").mkdir(parents=True)
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"},
    ]
    (folder / "modules.json").write_text(json.dumps(modules))
    with pytest.raises(UnsupportedModel, match="dense-model.*Dense"):
        read_layout(str(folder))
    modules[2]["type"] = "sentence_transformers.models.Normalize"
    (folder / "modules.json").write_text(json.dumps(modules))
    (folder / "1_Pooling" / "config.json").write_text(
        json.dumps({"word_embedding_dimension": 384, "pooling_mode_max_tokens": True})
    )
    with pytest.raises(UnsupportedModel, match="dense-model.*pooling"):
        read_layout(str(folder))
