"""Optional: let a language model rephrase an extractive answer, then check every number it wrote.

The model sees only the question and the cited sentences. Whatever it writes, each number in its
output must appear in a cited sentence (or be one the answer computed); any other number is listed
as unverified, because a plausible wrong figure is the failure this product must not hide.
An endpoint off this machine needs an explicit opt-in: document text would leave the machine.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlparse

from index.config import Settings
from index.records import Answer
from ingest.figures import NUMBER

PROMPT = """Rewrite the cited sentences below as a short, plain answer to the question.
Use only facts from the sentences. Keep the [n] markers after the facts they support.
Do not add any number that is not in the sentences.

Question: {question}

Sentences:
{sentences}

Answer:"""


class RemoteLLMRefused(Exception):
    """The configured LLM endpoint is not on this machine and remote use was not allowed."""


def is_loopback(url: str) -> bool:
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def make_llm(settings: Settings):
    if not settings.llm_url:
        return None
    if not is_loopback(settings.llm_url) and not settings.allow_remote_llm:
        raise RemoteLLMRefused(
            f"LLM endpoint {settings.llm_url} is not on this machine; document text would be sent there. "
            "Pass --allow-remote-llm to permit it."
        )
    if settings.llm_provider == "ollama":
        from llama_index.llms.ollama import Ollama

        return Ollama(model=settings.llm_model, base_url=settings.llm_url, request_timeout=60.0)
    from llama_index.llms.openai_like import OpenAILike

    return OpenAILike(
        model=settings.llm_model,
        api_base=settings.llm_url,
        api_key=settings.llm_api_key or "not-needed",
        is_chat_model=True,
        max_retries=0,
        timeout=60.0,
        temperature=0.0,
    )


def _digits(text: str) -> str:
    return re.sub(r"[^\d.]", "", text).rstrip(".")


def unverified_numbers(text: str, answer: Answer) -> list[str]:
    """Numbers in text that no cited sentence and no computed figure of the answer contains."""
    known = set()
    for citation in answer.citations:
        known |= {_digits(m.group("num")) for m in NUMBER.finditer(citation.sentence)}
    known |= {_digits(f.as_written) for f in answer.figures}
    text_without_markers = re.sub(r"\[\d+\]", " ", text)
    found = []
    for match in NUMBER.finditer(text_without_markers):
        written = match.group(0).strip()
        if _digits(match.group("num")) not in known and written not in found:
            found.append(written)
    return found


def rewrite_answer(answer: Answer, llm) -> Answer:
    """Replace the answer text by the model's wording, flagging numbers the citations do not hold."""
    if llm is None or answer.abstained or not answer.citations:
        return answer
    sentences = "\n".join(f"[{c.n}] {c.sentence}" for c in answer.citations)
    response = llm.complete(PROMPT.format(question=answer.question, sentences=sentences))
    text = str(response.text).strip()
    if not text:
        return answer
    answer.extractive_text = answer.text
    answer.text = text
    answer.unverified = unverified_numbers(text, answer)
    if answer.unverified:
        answer.text += "\n\nUnverified (not in the cited sentences, do not use): " + ", ".join(answer.unverified)
    return answer
