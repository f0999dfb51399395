"""Load the question set (JSONL) and its splits."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_QUESTIONS = Path(__file__).with_name("questions.jsonl")
TYPES = {"figure", "comparison", "definition", "list", "who", "recommendation", "process", "unanswerable"}


@dataclass
class Question:
    id: str
    type: str
    question: str
    answer: str
    answer_numbers: list[str]
    evidence: list[str]
    split: str
    extra: dict = field(default_factory=dict)

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable"


def load_questions(path: Path = DEFAULT_QUESTIONS) -> list[Question]:
    questions = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        raw = json.loads(line)
        known = {k: raw.pop(k) for k in list(raw) if k in Question.__dataclass_fields__ and k != "extra"}
        try:
            questions.append(Question(**known, extra=raw))
        except TypeError as exc:
            raise ValueError(f"{path}:{number}: {exc}") from None
    return questions
