"""Count word pieces with the embedding model's own tokenizer (chunk sizes, sentence weights).

Loaded through the `tokenizers` library straight from the model directory, so chunking does not pay
for importing torch or sentence-transformers.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


class TokenCounter:
    def __init__(self, model_path: str):
        from tokenizers import Tokenizer

        tokenizer_file = Path(model_path) / "tokenizer.json"
        if not tokenizer_file.exists():
            raise FileNotFoundError(f"{tokenizer_file}: the embedding model has no tokenizer.json")
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()

    def count(self, text: str) -> int:
        """Word pieces without the [CLS]/[SEP] markers the model adds."""
        return len(self._tokenizer.encode(text, add_special_tokens=False).ids)

    def offsets(self, text: str) -> list[tuple[int, int]]:
        return self._tokenizer.encode(text, add_special_tokens=False).offsets


@lru_cache(maxsize=4)
def token_counter(model_path: str) -> TokenCounter:
    return TokenCounter(model_path)
