"""Start `safeguard serve` on free loopback ports for a test, and stop it by PID."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from helpers import ROOT, SAFEGUARD


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Worker:
    process: subprocess.Popen
    url: str
    log_path: Path
    log: object


def _start(store: Path, auth_file: Path | None, chroma_url: str | None) -> Worker:
    port = free_port()
    command = SAFEGUARD + ["--store", str(store)]
    if chroma_url:
        command += ["--chroma-url", chroma_url]
    command += ["serve", "--host", "127.0.0.1", "--port", str(port)]
    if auth_file:
        command += ["--auth-file", str(auth_file)]
    log_path = Path(store).parent / f"serve-{port}.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed by _stop
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    return Worker(process, f"http://127.0.0.1:{port}", log_path, log)


def _wait_ready(worker: Worker, deadline: float) -> None:
    while True:
        try:
            with urllib.request.urlopen(worker.url + "/", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        if worker.process.poll() is not None or time.time() > deadline:
            raise RuntimeError(f"serve did not start: {worker.log_path.read_text()}")
        time.sleep(0.1)


def _stop(worker: Worker) -> None:
    if worker.process.poll() is None:
        os.kill(worker.process.pid, signal.SIGTERM)
    try:
        worker.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.kill(worker.process.pid, signal.SIGKILL)
        worker.process.wait()
    worker.log.close()


@contextlib.contextmanager
def served_workers(
    store: Path, count: int, auth_file: Path | None = None, chroma_url: str | None = None, timeout: float = 180
):
    """`count` serve processes on one store, started together (their start-ups overlap); yields their URLs."""
    workers: list[Worker] = []
    try:
        for _ in range(count):
            workers.append(_start(store, auth_file, chroma_url))
        deadline = time.time() + timeout
        for worker in workers:
            _wait_ready(worker, deadline)
        yield [worker.url for worker in workers]
    finally:
        for worker in workers:
            _stop(worker)


@contextlib.contextmanager
def served(store: Path, auth_file: Path | None = None, timeout: float = 180, chroma_url: str | None = None):
    with served_workers(store, 1, auth_file, chroma_url, timeout) as urls:
        yield urls[0]
