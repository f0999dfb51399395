"""Answers computed in worker processes over the same store, so a team's questions use every core.

Answering is mostly Python (keyword scoring, sentence choice), which holds the interpreter lock: threads in
one process take turns, and one of two cores idles. Each worker process opens the store on its own (its own
registry connection, Chroma client, keyword index and model) and answers exactly as an in-process Answerer
does: the same code on the same store. Workers notice another process's ingest or delete the way every
searcher does (the store generation), and then reopen the store whole, Chroma client included, so no worker
answers from vectors it read before the change.

Workers are started with "spawn" (a fresh interpreter): forking a process that already runs the model's thread
pool can deadlock. Each worker's model uses its share of the cores. Workers ignore Ctrl+C (the terminal sends
it to the whole process group): the server shuts down first and then ends them (close).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from index.config import Settings
from index.records import Answer, Filters

_WORKER: dict = {}  # in a worker process: its settings, answerer and the generation it loaded


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _start(settings: Settings, model_threads: int) -> None:
    from index.embed import use_threads

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    use_threads(model_threads)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    _WORKER["settings"] = settings
    _open()


def _exit_with_parent(parent: int) -> None:
    """A worker whose server was killed outright (no shutdown to tell it) ends too, within seconds."""
    while os.getppid() == parent:
        time.sleep(2)
    os._exit(0)


def _open() -> None:
    from app.engine.answer import Answerer
    from index.search import Searcher

    old = _WORKER.get("searcher")
    if old is not None:
        old.registry.close()
        # Chroma keeps one system per store path in a process: dropped, so the store is read afresh.
        from chromadb.api.shared_system_client import SharedSystemClient

        for system in list(SharedSystemClient._identifier_to_system.values()):
            system.stop()
        SharedSystemClient.clear_system_cache()
    searcher = Searcher(_WORKER["settings"])
    searcher.warm_up()
    _WORKER["searcher"] = searcher
    _WORKER["answerer"] = Answerer(searcher)
    _WORKER["generation"] = searcher.registry.generation()


def _answer(question: str, filters: Filters | None, previous: str | None) -> Answer:
    searcher = _WORKER["searcher"]
    if searcher.registry.generation() != _WORKER["generation"]:
        _open()
    return _WORKER["answerer"].answer(question, filters, previous=previous)


def _ready() -> int:
    return os.getpid()


class AnswerPool:
    """Answerer.answer, run in `workers` processes. Each call blocks its caller's thread until its answer is
    back, so any number of the server's request threads can wait on it at once."""

    def __init__(self, settings: Settings, workers: int):
        self.settings, self.workers = settings, workers
        self.threads = max(1, available_cores() // workers)
        self.lock = threading.Lock()
        self.processes: list[multiprocessing.process.BaseProcess] = []
        self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start,
            initargs=(self.settings, self.threads),
        )

    def start(self) -> list[Future]:
        """Start every worker now (each loads the store and the model), not on the first question."""
        before = set(multiprocessing.active_children())
        # With "spawn" the executor starts one process per submit until it has `workers`: all of them here.
        started = [self.pool.submit(_ready) for _ in range(self.workers)]
        self.processes += [p for p in multiprocessing.active_children() if p not in before]
        return started

    def answer(self, question: str, filters: Filters | None = None, previous: str | None = None) -> Answer:
        pool = self.pool
        try:
            return pool.submit(_answer, question, filters, previous).result()
        except BrokenProcessPool:
            # A worker died (killed, out of memory): every later call would fail too. A new pool, once.
            with self.lock:
                if self.pool is pool:
                    pool.shutdown(wait=False, cancel_futures=True)
                    self.pool = self._new_pool()
                    self.start()
            return self.pool.submit(_answer, question, filters, previous).result()

    def close(self) -> None:
        """End the workers now: queued calls are cancelled and a worker still loading or answering is
        terminated (it only reads the store), so the server's shutdown never waits on a model load."""
        self.pool.shutdown(wait=False, cancel_futures=True)
        for process in self.processes:
            if process.is_alive():
                process.terminate()
        for process in self.processes:
            process.join(timeout=10)
