"""Start `safeguard serve` on a free loopback port for a test, and stop it by PID."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import ROOT, SAFEGUARD


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def served(store: Path, auth_file: Path | None = None, timeout: float = 180):
    port = free_port()
    command = SAFEGUARD + ["--store", str(store), "serve", "--port", str(port)]
    if auth_file:
        command += ["--auth-file", str(auth_file)]
    log = open(Path(store).parent / f"serve-{port}.log", "w")  # noqa: SIM115 - closed below
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if process.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"serve did not start: {(Path(store).parent / f'serve-{port}.log').read_text()}")
            time.sleep(0.5)
        yield url
    finally:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
        log.close()
