"""`safeguard serve` starts on loopback, renders the search page and stops by PID."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request

from conftest import ROOT, SAFEGUARD


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_renders_the_search_page(bundled_store):
    port = _free_port()
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False")
    process = subprocess.Popen(
        SAFEGUARD + ["--store", str(bundled_store), "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        page = ""
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    assert response.status == 200
                    page = response.read().decode()
                    break
            except OSError:
                assert process.poll() is None, process.stdout.read()
                time.sleep(0.5)
        assert "Safeguarding Assistant" in page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/config", timeout=5) as response:
            config = response.read().decode()
        assert "sg-question" in config and "sg-figures" in config
    finally:
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
