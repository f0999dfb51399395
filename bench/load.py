"""Load: questions over HTTP against `safeguard serve` on loopback, one client and then many, in one run.

Usage: python -m bench.load [--store DIR] [--clients 16] [--requests 200] [--report DIR]

Starts the server as a process of its own on 127.0.0.1 (stopped by its process id), asks each question once
from one client to learn the single-client answer, then times one client asking the workload in turn and
the same number of requests from `clients` clients at once, in alternating rounds. Reports answers per
second both ways and their ratio (target >= 1.7x on 2 cores), latencies, errors, and every answer under
load that differs from the single-client answer (target: none). Without --store, the bundled corpus is
ingested into a temporary store.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.report import write_report

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = 25  # distinct questions, each asked many times under load
ASK_ELEMENT = "sg-ask"


class Client:
    """Calls one Gradio event over plain HTTP (join the queue, read its event stream), as a script would.

    One per simulated user, made before the clock starts and kept for all of that user's questions (as a
    browser keeps its connection): making an httpx.Client loads the CA bundle into an SSL context, ~50 ms of
    CPU under the bench's interpreter lock, which made the bench itself the bottleneck when it made one per
    request. Each question still joins the queue as a new Gradio session, so no question is read as a
    follow-up of the one before."""

    def __init__(self, url: str):
        import httpx

        self.url = url.rstrip("/")
        self.http = httpx.Client(timeout=300, follow_redirects=True)

    def close(self) -> None:
        self.http.close()

    def event(self, elem_id: str, trigger: str) -> tuple[int, int]:
        """(fn_index, trigger component id) of the event bound to an element."""
        config = self.http.get(f"{self.url}/config").json()
        component = next(c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == elem_id)
        for dependency in config["dependencies"]:
            if [component, trigger] in [list(t) for t in dependency["targets"]]:
                return dependency["id"], component
        raise KeyError(f"no {trigger} event on #{elem_id}")

    def call(self, fn: tuple[int, int], data: list) -> object:
        """The event's output data; raises on any HTTP or event error."""
        session = uuid.uuid4().hex[:10]
        body = {"data": data, "fn_index": fn[0], "trigger_id": fn[1], "session_hash": session, "event_data": None}
        self.http.post(f"{self.url}/gradio_api/queue/join", json=body).raise_for_status()
        with self.http.stream("GET", f"{self.url}/gradio_api/queue/data", params={"session_hash": session}) as r:
            for line in r.iter_lines():
                if line.startswith("data:"):
                    message = json.loads(line[5:])
                    if message.get("msg") == "process_completed":
                        if not message.get("success", True):
                            raise RuntimeError(str(message.get("output")))
                        return message.get("output", {}).get("data")
        raise RuntimeError("event stream ended without a result")


def answer_text(output) -> str:
    """The last chat message: the answer as the user sees it."""
    chat = output[0] if isinstance(output, list) and output else None
    return chat[-1]["content"] if isinstance(chat, list) and chat else repr(output)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(store: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"}
    command = [sys.executable, "-m", "app.cli", "--store", str(store), "serve", "--host", "127.0.0.1"]
    return subprocess.Popen(
        [*command, "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def wait_ready(process: subprocess.Popen, url: str, timeout: float = 300) -> None:
    import httpx

    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{url}/config", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError("server did not answer in time")


def stop_server(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()


def server_cpu_seconds(pid: int) -> float:
    """CPU time of the server process and its children (the answer workers) so far, from /proc (Linux).
    Set against the wall time it tells how many cores the server had: under 2 while 16 clients wait means
    other work on the machine took the rest, whatever the server could have done with them (with Linux's
    autogroup scheduling each terminal session gets an even share of the cores, however many processes it
    runs: on a machine shared with other sessions the ratio says little)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, pids = 0.0, [pid]
    while pids:
        current = pids.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
            for task in Path(f"/proc/{current}/task").iterdir():
                pids += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):  # gone meanwhile, or not Linux
            continue
    return total


def run_load(
    store: Path, clients: int = 16, requests: int = 200, single_requests: int | None = None, rounds: int = 4
) -> dict:
    from eval.metrics import percentile
    from eval.questions import load_questions

    questions = [q.question for q in load_questions()][:QUESTIONS]
    workload = [questions[i % len(questions)] for i in range(requests)]
    single_workload = workload[: single_requests or requests]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = start_server(store, port)
    try:
        wait_ready(process, url)
        users = [Client(url) for _ in range(clients)]
        fn = users[0].event(ASK_ELEMENT, "click")

        def ask(client: Client, question: str) -> tuple[str | None, float, str]:
            started = time.perf_counter()
            try:
                output = client.call(fn, [question, [], None, "", "", "", ""])
                return answer_text(output), (time.perf_counter() - started) * 1000, ""
            except Exception as exc:  # counted and reported, never fatal to the run
                return None, (time.perf_counter() - started) * 1000, f"{type(exc).__name__}: {exc}"[:300]

        def user(n: int, share: range) -> list[tuple[int, tuple[str | None, float, str]]]:
            """User n asks its part of this round's requests (every clients-th one), one question at a time."""
            return [(i, ask(users[n], workload[i])) for i in share[n::clients]]

        expected = {q: ask(users[0], q)[0] for q in questions}  # also warms every worker's caches
        single, answered, single_s, loaded_s, single_cpu, loaded_cpu = [], {}, 0.0, 0.0, 0.0, 0.0
        # One client and many take turns, round by round, so that a change in what else the machine is doing
        # during the run weighs on both sides of the ratio alike.
        for r in range(rounds):
            started, cpu = time.perf_counter(), server_cpu_seconds(process.pid)
            single += [ask(users[0], q) for q in single_workload[r::rounds]]
            single_s += time.perf_counter() - started
            single_cpu += server_cpu_seconds(process.pid) - cpu
            share = range(r, len(workload), rounds)
            started, cpu = time.perf_counter(), server_cpu_seconds(process.pid)
            with ThreadPoolExecutor(max_workers=clients) as pool:
                for pairs in pool.map(lambda n, share=share: user(n, share), range(clients)):
                    answered.update(pairs)
            loaded_s += time.perf_counter() - started
            loaded_cpu += server_cpu_seconds(process.pid) - cpu
        loaded = [answered[i] for i in range(len(workload))]
        for client in users:
            client.close()
    finally:
        stop_server(process)
    errors = [e for _, _, e in single + loaded if e]
    mismatched = sorted({q for q, (text, _, e) in zip(workload, loaded, strict=True) if not e and text != expected[q]})
    single_rate = len(single_workload) / single_s
    loaded_rate = len(workload) / loaded_s
    latencies = [ms for _, ms, e in loaded if not e]
    return {
        "clients": clients,
        "requests": requests,
        "rounds": rounds,
        "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "single_requests": len(single_workload),
        "single_answers_per_s": round(single_rate, 2),
        "single_p50_ms": round(percentile([ms for _, ms, e in single if not e], 50), 1),
        "answers_per_s": round(loaded_rate, 2),
        "speedup": round(loaded_rate / single_rate, 2),
        "p50_ms": round(percentile(latencies, 50), 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 95), 1) if latencies else None,
        "single_server_cores": round(single_cpu / single_s, 2),
        "server_cores": round(loaded_cpu / loaded_s, 2),
        "single_cpu_ms_per_answer": round(single_cpu / len(single_workload) * 1000, 1),
        "cpu_ms_per_answer": round(loaded_cpu / len(workload) * 1000, 1),
        "load_average": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "errors": len(errors),
        "error_examples": errors[:3],
        "mismatched": len(mismatched),
        "mismatched_examples": mismatched[:3],
    }


def markdown(load: dict) -> str:
    rows = [
        ("one client", f"{load['single_answers_per_s']} answers/s (p50 {load['single_p50_ms']} ms)", ""),
        (
            f"{load['clients']} clients, {load['requests']} requests",
            f"{load['answers_per_s']} answers/s (p50 / p95 {load['p50_ms']} / {load['p95_ms']} ms)",
            "",
        ),
        (f"throughput, {load['clients']} clients / one ({load['cores']} cores)", f"{load['speedup']}x", ">= 1.7x"),
        (
            "cores the server and its workers used, one client / many (CPU ms per answer)",
            f"{load['single_server_cores']} / {load['server_cores']} "
            f"({load['single_cpu_ms_per_answer']} / {load['cpu_ms_per_answer']})",
            "",
        ),
        ("machine load average at the end", load["load_average"], ""),
        ("errors", load["errors"], "0"),
        ("answers differing from the single-client answer", load["mismatched"], "0"),
    ]
    lines = ["| measure | result | target |", "|---|---|---|"]
    return "\n".join(lines + [f"| {a} | {b} | {c} |" for a, b, c in rows])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--single-requests", type=int, default=None, help="one client's workload (default: all)")
    parser.add_argument("--rounds", type=int, default=4, help="turns of one client, then many")
    parser.add_argument("--report", default="bench-report")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(args.store) if args.store else Path(tmp) / "store"
        if not args.store:
            from index.config import Settings
            from ingest.pipeline import ingest_paths

            ingest_paths([ROOT / "corpus"], Settings.from_env(store=store), progress=False)
        load = run_load(store, args.clients, args.requests, args.single_requests, args.rounds)
    table = markdown(load)
    write_report(Path(args.report), "load", load, table)
    print(table)


if __name__ == "__main__":
    main()
