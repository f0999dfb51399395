"""Optional: let a language model rephrase an extractive answer, then check every number it wrote.

The model sees only the question and the cited sentences. Whatever it writes, each number in its
output must appear in a cited sentence (or be one the answer computed); any other number is listed
as unverified, because a plausible wrong figure is the failure this product must not hide.
An endpoint off this machine needs an explicit opt-in: document text would leave the machine. The HTTP
clients never follow a redirect (a loopback endpoint answering "302 -> elsewhere" would otherwise carry the
text off the machine), and every request they send is checked again before it leaves. When the model
cannot be reached, or refuses, the extractive answer stands.
"""

from __future__ import annotations

import logging
import re

from index.config import Settings, is_loopback_url
from index.records import Answer
from ingest.figures import NUMBER

PROMPT = """Rewrite the cited sentences below as a short, plain answer to the question.
Use only facts from the sentences. Keep the [n] markers after the facts they support.
Do not add any number that is not in the sentences.

Question: {question}

Sentences:
{sentences}

Answer:"""


log = logging.getLogger(__name__)
TIMEOUT = 60.0


class RemoteLLMRefused(Exception):
    """The configured LLM endpoint is not on this machine and remote use was not allowed."""


def is_loopback(url: str) -> bool:
    return is_loopback_url(url)


def _request_guard(settings: Settings):
    """An httpx request hook refusing any request to a host off this machine unless remote use was allowed."""

    def check(request) -> None:
        if not settings.allow_remote_llm and not is_loopback_url(str(request.url)):
            raise RemoteLLMRefused(f"refused to send document text to {request.url.host}: not on this machine")

    async def check_async(request) -> None:
        check(request)

    return check, check_async


def _http_clients(settings: Settings):
    """httpx clients that never follow redirects and check every request's host."""
    import httpx

    check, check_async = _request_guard(settings)
    sync = httpx.Client(follow_redirects=False, timeout=TIMEOUT, event_hooks={"request": [check]})
    asynchronous = httpx.AsyncClient(follow_redirects=False, timeout=TIMEOUT, event_hooks={"request": [check_async]})
    return sync, asynchronous


def make_llm(settings: Settings):
    if not settings.llm_url:
        return None
    if not is_loopback_url(settings.llm_url) and not settings.allow_remote_llm:
        raise RemoteLLMRefused(
            f"LLM endpoint {settings.llm_url} is not on this machine; document text would be sent there. "
            "Pass --allow-remote-llm to permit it."
        )
    if settings.llm_provider == "ollama":
        from llama_index.llms.ollama import Ollama
        from ollama import AsyncClient, Client

        check, check_async = _request_guard(settings)
        # ollama's clients follow redirects unless told not to; extra keywords go to httpx.
        client = Client(
            host=settings.llm_url, timeout=TIMEOUT, follow_redirects=False, event_hooks={"request": [check]}
        )
        async_client = AsyncClient(
            host=settings.llm_url, timeout=TIMEOUT, follow_redirects=False, event_hooks={"request": [check_async]}
        )
        return Ollama(
            model=settings.llm_model,
            base_url=settings.llm_url,
            request_timeout=TIMEOUT,
            client=client,
            async_client=async_client,
        )
    from llama_index.llms.openai_like import OpenAILike

    # The OpenAI client follows redirects by default: it is given clients that do not.
    http_client, async_http_client = _http_clients(settings)
    return OpenAILike(
        model=settings.llm_model,
        api_base=settings.llm_url,
        api_key=settings.llm_api_key or "not-needed",
        is_chat_model=True,
        max_retries=0,
        timeout=TIMEOUT,
        temperature=0.0,
        http_client=http_client,
        async_http_client=async_http_client,
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
    try:
        response = llm.complete(PROMPT.format(question=answer.question, sentences=sentences))
    except Exception as exc:  # unreachable, refused, redirected, or an error reply: the extractive answer stands
        log.warning("LLM rewording skipped, the extractive answer stands: %s: %s", type(exc).__name__, exc)
        return answer
    text = str(response.text).strip()
    if not text:
        return answer
    answer.extractive_text = answer.text
    answer.text = text
    answer.unverified = unverified_numbers(text, answer)
    if answer.unverified:
        answer.text += "\n\nUnverified (not in the cited sentences, do not use): " + ", ".join(answer.unverified)
    return answer
