"""The embedding model's transformer written once as an ONNX graph, on this machine, from the installed weights.

Why: loading sentence-transformers costs about 9 s of CPU in every process (torch, transformers' configuration
code, scikit-learn through its utilities) before a single text is embedded, and every CLI call, server and
answer worker pays it. ONNX Runtime loads the same weights in a fraction of a second and, with the attention,
GELU and layer-norm steps fused by its own transformer optimizer, reads text as fast as torch on these cores
(python -m bench.runtime). The vectors agree with sentence-transformers' to a cosine of 1.0000
(tests/test_embed_runtime.py).

The conversion is local (torch's exporter over the sentence-transformers model as installed; nothing is
downloaded). `make install` runs it (`python -m index.model_export`); `index.embed` also runs it on first use
when the graph is missing, so a store can always be read.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from .config import Settings, offline_environment

# Pooling steps the runtime can repeat exactly (sentence-transformers' Pooling module configuration keys).
POOLINGS = {"pooling_mode_mean_tokens": "mean", "pooling_mode_cls_token": "cls"}
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OPSET = 17


class UnsupportedModel(Exception):
    """A model whose modules the ONNX runtime cannot repeat (other pooling, extra layers)."""


@dataclass(frozen=True)
class ModelLayout:
    """What the runtime must know of a sentence-transformers model besides its graph."""

    folder: Path
    pooling: str  # "mean" or "cls"
    max_seq_length: int


def model_cache_dir() -> Path:
    """Where exported graphs live: beside the installed packages (one per virtualenv), unless
    SAFEGUARD_MODEL_CACHE says otherwise."""
    configured = os.environ.get("SAFEGUARD_MODEL_CACHE")
    return Path(configured) if configured else Path(sys.prefix) / "share" / "safeguard" / "models"


def read_layout(model_path: str) -> ModelLayout:
    """The model's pooling, window and width from its own files; refuses a layout the runtime would not
    repeat exactly rather than embed differently from sentence-transformers."""
    folder = Path(model_path)
    modules = _read_json(folder / "modules.json")
    kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
    if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        raise UnsupportedModel(f"{folder}: modules {kinds} (only Transformer, Pooling and Normalize are supported)")
    pooling_config = _read_json(folder / modules[1]["path"] / "config.json")
    chosen = [name for key, name in POOLINGS.items() if pooling_config.get(key)]
    others = [k for k, v in pooling_config.items() if k.startswith("pooling_mode") and v and k not in POOLINGS]
    if len(chosen) != 1 or others:
        raise UnsupportedModel(f"{folder}: pooling {pooling_config} (only mean or CLS pooling is supported)")
    window = _read_json(folder / "sentence_bert_config.json").get("max_seq_length", 512)
    return ModelLayout(folder, chosen[0], int(window))


GRAPH_KEY_CHARS = 16  # of the hash of the weights' names, sizes and times, in a graph's file name


def graph_path(model_path: str) -> Path:
    """The exported graph for these weights: named by the model folder and its weight files' sizes and times,
    so a reinstalled or changed model is exported again."""
    folder = Path(model_path).resolve()
    stamp = [str(folder)]
    for weights in sorted(folder.glob("*.safetensors")) + sorted(folder.glob("*.bin")):
        info = weights.stat()
        stamp.append(f"{weights.name}:{info.st_size}:{info.st_mtime_ns}")
    key = hashlib.sha256("\n".join(stamp).encode()).hexdigest()[:GRAPH_KEY_CHARS]
    return model_cache_dir() / f"{folder.parent.name}-{folder.name}-{key}.onnx"


def ensure_graph(model_path: str) -> Path:
    """The exported graph, made now if missing; one process exports while others wait (file lock)."""
    target = graph_path(model_path)
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        if not target.is_file():
            print(f"Preparing the embedding model for ONNX Runtime (once): {target.name}", file=sys.stderr)
            export(model_path, target)
            _remove_replaced(target)
    return target


def _remove_replaced(current: Path) -> None:
    """Graphs exported from earlier weights of the same model (its package reinstalled or updated): about
    90 MB each, never read again once the weights changed. Another model's graphs are left alone."""
    prefix = current.name.rsplit("-", 1)[0]  # the model's folder; the key after the last "-" is its weights'
    for old in current.parent.glob(f"{prefix}-*.onnx"):
        if old != current and re.fullmatch(rf"{re.escape(prefix)}-[0-9a-f]{{{GRAPH_KEY_CHARS}}}\.onnx", old.name):
            old.unlink(missing_ok=True)


def export(model_path: str, target: Path) -> None:
    """Trace the transformer (eager attention, which the optimizer recognises and fuses), fuse it, and move
    the file into place whole so a reader never sees half a graph."""
    offline_environment()
    import warnings

    import torch
    from sentence_transformers import SentenceTransformer

    read_layout(model_path)  # refuse before spending time on an export

    class HiddenStates(torch.nn.Module):
        """The transformer with keyword inputs and its token vectors as the one output (the exporter passes
        inputs by position, and transformers' forward takes more arguments than these)."""

        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    model = SentenceTransformer(model_path, device="cpu", model_kwargs={"attn_implementation": "eager"})
    transformer = HiddenStates(model[0].auto_model.eval())
    sample = torch.ones(2, 8, dtype=torch.long)
    axes = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "token_vectors")}
    raw = target.with_suffix(".raw.onnx")
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes on constant shapes; the agreement test checks the graph
        torch.onnx.export(
            transformer,
            (sample, sample, torch.zeros_like(sample)),
            str(raw),
            input_names=list(INPUTS),
            output_names=["token_vectors"],
            dynamic_axes=axes,
            opset_version=OPSET,
            dynamo=False,
        )
    partial = target.with_suffix(".partial.onnx")
    _fuse(raw, partial, model[0].auto_model.config)
    raw.unlink()
    partial.replace(target)


def _fuse(source: Path, target: Path, config) -> None:
    """ONNX Runtime's transformer optimizer for BERT-family graphs; other families keep the plain graph."""
    if getattr(config, "model_type", "") != "bert":
        source.replace(target)
        return
    from onnxruntime.transformers import optimizer

    fused = optimizer.optimize_model(
        str(source),
        model_type="bert",
        num_heads=config.num_attention_heads,
        hidden_size=config.hidden_size,
        opt_level=0,
    )
    fused.save_model_to_file(str(target))


def _read_json(path: Path) -> dict | list:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UnsupportedModel(f"{path}: {exc}") from exc


def main() -> None:
    path = ensure_graph(Settings.from_env().model_path())
    print(f"embedding model ready: {path}")


if __name__ == "__main__":
    main()
