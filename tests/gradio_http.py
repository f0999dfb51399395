"""Call the web app's Gradio events over plain HTTP, as a script (or an attacker) would, without a browser."""

from __future__ import annotations

import json
import uuid

import httpx


class GradioHTTP:
    def __init__(self, url: str):
        self.url = url.rstrip("/")
        self.client = httpx.Client(timeout=60, follow_redirects=True)

    def login(self, username: str, password: str) -> int:
        response = self.client.post(f"{self.url}/login", data={"username": username, "password": password})
        return response.status_code

    def config(self) -> dict:
        response = self.client.get(f"{self.url}/config")
        response.raise_for_status()
        return response.json()

    def event(self, elem_id: str, trigger: str) -> tuple[int, int]:
        """(fn_index, trigger component id) of the event bound to an element."""
        config = self.config()
        component = next(c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == elem_id)
        for dependency in config["dependencies"]:
            if [component, trigger] in [list(t) for t in dependency["targets"]]:
                return dependency["id"], component
        raise KeyError(f"no {trigger} event on #{elem_id}")

    def call(self, elem_id: str, trigger: str, data: list, fn=None) -> tuple[int, object]:
        """(HTTP status of the join, output data or the error message)."""
        if fn is None:
            fn = self.event(elem_id, trigger)
        fn_index, trigger_id = fn
        session = uuid.uuid4().hex[:10]
        joined = self.client.post(
            f"{self.url}/gradio_api/queue/join",
            json={
                "data": data,
                "fn_index": fn_index,
                "trigger_id": trigger_id,
                "session_hash": session,
                "event_data": None,
            },
        )
        if joined.status_code != 200:
            return joined.status_code, None
        with self.client.stream("GET", f"{self.url}/gradio_api/queue/data", params={"session_hash": session}) as r:
            for line in r.iter_lines():
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                if message.get("msg") == "process_completed":
                    output = message.get("output", {})
                    return 200, output.get("data", output.get("error"))
        return 200, None
