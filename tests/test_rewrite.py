"""Optional LLM rewrite against a scripted OpenAI-compatible server on loopback."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from helpers import run_cli

SCRIPTED = "The front door (MASH) received 1,394 referrals in 2018/19 [1], up from 1,500 the year before [1]."


class ScriptedLLM(BaseHTTPRequestHandler):
    requests: list[dict] = []

    def do_POST(self):  # noqa: N802 - the http.server API
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        ScriptedLLM.requests.append({"path": self.path, "body": body})
        reply = {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": 0,
            "model": body.get("model", "m"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": SCRIPTED}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def llm_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), ScriptedLLM)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    ScriptedLLM.requests = []
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_rewritten_answer_flags_numbers_no_citation_holds(bundled_store, llm_server):
    result = run_cli(
        "--llm-url",
        llm_server,
        "--llm-model",
        "scripted",
        "ask",
        "How many referrals did the front door get last year?",
        "--json",
        store=bundled_store,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["rewritten"] and "1,394" in answer["extractive_answer"]
    assert answer["unverified_numbers"] == ["1,500"]
    assert "Unverified" in answer["answer"] and "1,500" in answer["answer"]
    # The model was sent the question and the cited sentences only.
    (request,) = ScriptedLLM.requests
    assert request["path"].endswith("/chat/completions")
    prompt = " ".join(m["content"] for m in request["body"]["messages"])
    assert "[1] The Camden MASH received 1,394 referrals" in prompt
    assert "Looked after children" not in prompt


def test_remote_llm_endpoint_needs_explicit_permission(bundled_store):
    result = run_cli("--llm-url", "http://llm.example.org/v1", "ask", "How many referrals?", store=bundled_store)
    assert result.returncode == 2
    assert "--allow-remote-llm" in result.stderr
