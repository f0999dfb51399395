"""Serving the web app: Gradio mounted in our own ASGI app, run by uvicorn on the given host and port.

Around Gradio it adds what Gradio's launch() has no hook for:

- a Content-Security-Policy on every response, naming no outside origin;
- sign-in checked off the event loop (one scrypt per attempt whether or not the user exists, at most a
  few at a time) and failed sign-ins limited per user name and per client address (HTTP 429);
- the users file re-read when it changes: a removed user's sessions end, as do the sessions of a user
  whose password, role or collections changed; sessions idle for too long end too;
- Gradio's cache (uploads, files handed to the browser) inside the store, private to the server's user
  (umask 077), emptied at start-up when no other server uses the store.

Nothing heavy is imported at module level: the CLI refuses bad options before loading Gradio.
"""

from __future__ import annotations

import asyncio
import contextvars
import ipaddress
import math
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from index.config import Settings

from .auth import LoginLimiter, Users

CACHE_DIR = "gradio-cache"
# Gradio 6 needs inline scripts (its config), eval (gr.HTML compiles its templates with `new Function`),
# inline styles, data:/blob: images and blob: workers; everything else comes from this server. No
# outside origin is named anywhere.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "media-src 'self' data: blob:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "frame-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
MAX_PASSWORD_CHARS = 4096
# The client address of the request being handled, for the sign-in check (Gradio passes it only the
# user name and password).
CLIENT_ADDRESS: contextvars.ContextVar[str] = contextvars.ContextVar("client_address", default="")
_HELD: list = []  # the cache's lock file, open (and locked) for the life of the process


# Events Gradio runs at once (each in a request thread); answers beyond the worker count wait for a worker.
CONCURRENT_EVENTS = 16
# Answer processes at most, whatever the core count: each holds its own model and store (~300-600 MB).
MAX_ANSWER_WORKERS = 4
# Gradio keeps a record of every event for its monitoring page (not served here) and rebuilds a pandas
# summary of all of them after each event: ever slower as the records grow to its default 10,000.
GRADIO_EVENT_RECORDS = "100"
GRADIO_SUMMARY_EVERY = "1000000"


def answer_workers() -> int:
    """Processes that answer questions: SAFEGUARD_ANSWER_WORKERS when set (0 or 1: answers in the server
    process itself), else one per core on a machine with two or more. Answering is mostly Python, so in one
    process concurrent questions take turns on the interpreter lock; in workers they use every core
    (bench/load.py: 16 clients against one)."""
    from .answer_pool import available_cores

    value = os.environ.get("SAFEGUARD_ANSWER_WORKERS", "").strip()
    if value.isdigit():
        return int(value)
    cores = available_cores()
    return min(cores, MAX_ANSWER_WORKERS) if cores >= 2 else 0


class ServeRefused(Exception):
    """Options that must not be served with; reported as one line, exit status 2."""


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 7860
    auth_file: str | None = None
    no_auth: bool = False
    session_idle_minutes: float = 60.0
    login_failures: int = 5  # failed sign-ins per user name within the window
    address_login_failures: int = 20  # failed sign-ins per client address within the window
    login_window_seconds: float = 300.0


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False  # another host name: it may resolve to anything
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


def exposure_problem(host: str, auth_file: str | None, no_auth: bool) -> str | None:
    """Why these options must not be served with, or None."""
    if auth_file and no_auth:
        return "give --auth-file FILE or --no-auth, not both"
    if auth_file or no_auth or is_loopback(host):
        return None
    return (
        f"refusing to serve on {host} without --auth-file: anyone who can reach it could read every document "
        "(give --auth-file FILE, or --no-auth to serve without sign-in anyway)"
    )


def prepare_cache(store: Path) -> Path:
    """<store>/gradio-cache, 0700, emptied unless another server on this store is running; Gradio is
    pointed at it and everything the process writes from now on is private to its user."""
    import fcntl

    os.umask(0o077)
    cache = Path(store) / CACHE_DIR
    cache.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(cache, 0o700)
    lock = open(cache / ".serving.lock", "a+")  # noqa: SIM115 - held until the process ends
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        alone = True
    except BlockingIOError:
        alone = False  # another server uses this cache: leave its files alone
    if alone:
        for entry in cache.iterdir():
            if entry.name == ".serving.lock":
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
    fcntl.flock(lock, fcntl.LOCK_SH)
    _HELD.append(lock)
    os.environ["GRADIO_TEMP_DIR"] = str(cache.resolve())
    return cache


class Sessions:
    """Ends Gradio sessions (its `tokens`: token -> user name) of users removed or changed in the users
    file, and sessions idle for longer than `idle_seconds`."""

    SWEEP_SECONDS = 30.0

    def __init__(self, users: Users, idle_seconds: float, gradio_app, clock=time.monotonic):
        self.users, self.idle, self.gradio, self.clock = users, idle_seconds, gradio_app, clock
        self.last_seen: dict[str, float] = {}
        self.next_sweep = 0.0
        cookie_id = gradio_app.cookie_id
        self.cookie_names = (f"access-token-{cookie_id}", f"access-token-unsecure-{cookie_id}")

    def _end(self, token: str) -> None:
        self.gradio.tokens.pop(token, None)
        self.last_seen.pop(token, None)

    def check(self, scope) -> None:
        """Before a request is handled: apply changes to the users file and the idle limit."""
        from starlette.requests import HTTPConnection

        tokens = self.gradio.tokens
        ended = self.users.reload_if_changed()
        now = self.clock()
        if ended:
            for token, name in list(tokens.items()):
                if name in ended:
                    self._end(token)
        if now >= self.next_sweep:
            self.next_sweep = now + min(self.SWEEP_SECONDS, self.idle / 4)
            for token, name in list(tokens.items()):
                if now - self.last_seen.setdefault(token, now) > self.idle or name not in self.users.users:
                    self._end(token)
            for token in [t for t in self.last_seen if t not in tokens]:
                del self.last_seen[token]
        cookies = HTTPConnection(scope).cookies
        for token in {cookies.get(name) for name in self.cookie_names} - {None}:
            name = tokens.get(token)
            if name is None:
                continue
            if now - self.last_seen.get(token, now) > self.idle or name not in self.users.users:
                self._end(token)
            else:
                self.last_seen[token] = now

    def user_of(self, scope):
        """The signed-in user of a request (None when there is no live session)."""
        from starlette.requests import HTTPConnection

        cookies = HTTPConnection(scope).cookies
        for token in {cookies.get(name) for name in self.cookie_names} - {None}:
            name = self.gradio.tokens.get(token)
            if name is not None and name in self.users.users:
                return self.users.users[name]
        return None


class Guard:
    """ASGI middleware around the whole app: sessions first, the client address for the sign-in check,
    and the Content-Security-Policy on every response."""

    def __init__(self, app, sessions: Sessions | None):
        self.app, self.sessions = app, sessions

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if self.sessions is not None:
            self.sessions.check(scope)
            if _is_upload(scope) and not _may_write(self.sessions.user_of(scope)):
                # Gradio's upload route takes files before any handler runs: readers never get that far.
                await _refuse(send, b"Only editors can add documents.")
                return

        async def send_with_policy(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-security-policy"]
                headers.append((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()))
                message = {**message, "headers": headers}
            await send(message)

        client = scope.get("client") or ("", 0)
        reset = CLIENT_ADDRESS.set(str(client[0] or ""))
        try:
            await self.app(scope, receive, send_with_policy)
        finally:
            CLIENT_ADDRESS.reset(reset)


def _is_upload(scope) -> bool:
    return scope["type"] == "http" and scope.get("method") == "POST" and scope["path"].rstrip("/").endswith("/upload")


def _may_write(user) -> bool:
    return user is not None and user.can("write")


async def _refuse(send, body: bytes) -> None:
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    ]
    await send({"type": "http.response.start", "status": 403, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def sign_in_check(users: Users, limiter: LoginLimiter, concurrent_hashes: int):
    """The coroutine Gradio's /login awaits: refuse (429) once the limit is reached, else verify in a
    worker thread, at most `concurrent_hashes` at once (each scrypt takes 128 MB and a core)."""
    from fastapi import HTTPException

    hashing = asyncio.Semaphore(concurrent_hashes)

    async def check(username: str, password: str) -> bool:
        name, address = username[:200], CLIENT_ADDRESS.get()
        wait = limiter.begin(name, address)
        if wait:
            seconds = str(math.ceil(wait))
            raise HTTPException(
                status_code=429,
                detail=f"Too many failed sign-ins: try again in {seconds} seconds.",
                headers={"Retry-After": seconds},
            )
        ok = False
        try:
            if len(password) <= MAX_PASSWORD_CHARS:
                async with hashing:
                    ok = await asyncio.to_thread(users.login, username, password)
        finally:
            limiter.end(name, address, ok)
        return ok

    return check


def serve(settings: Settings, options: ServeOptions) -> None:
    problem = exposure_problem(options.host, options.auth_file, options.no_auth)
    if problem:
        raise ServeRefused(problem)
    # Before Gradio is imported: it reads GRADIO_TEMP_DIR when its app and components are made.
    prepare_cache(settings.store)
    users = Users.load(Path(options.auth_file)) if options.auth_file else None
    if users is not None and not users.users:
        raise ServeRefused(
            f"{options.auth_file}: no users; add one with `safeguard users add NAME --auth-file {options.auth_file}`"
        )

    from .web import App

    app = App(settings, users)
    # Answers on every core: worker processes over the same store (app/answer_pool.py), started now so they
    # load while the page is built; the queue lets as many questions run at once as there are request threads.
    workers = answer_workers()
    pool = None
    if workers > 1:
        from .answer_pool import AnswerPool

        pool = AnswerPool(settings, workers)
        pool.start()
        app.answerer = pool
    try:
        _serve_app(app, users, options, on_shutdown=pool.close if pool is not None else None)
    finally:
        if pool is not None:
            pool.close()


def _serve_app(app, users: Users | None, options: ServeOptions, on_shutdown=None) -> None:
    """Gradio mounted in our ASGI app and run by uvicorn until it is stopped. `on_shutdown` runs as the
    server shuts down: after a SIGTERM uvicorn ends the process by raising the signal again, so code after
    run() never runs then."""
    import contextlib

    import gradio as gr
    import uvicorn
    from fastapi import FastAPI
    from starlette.routing import Mount

    from .render import CSS, SCRIPT

    demo = app.build()
    os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", GRADIO_EVENT_RECORDS)  # read when the queue is made
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", GRADIO_SUMMARY_EVERY)
    demo.queue(default_concurrency_limit=CONCURRENT_EVENTS)
    auth = None
    if users is not None:
        limiter = LoginLimiter(options.login_failures, options.address_login_failures, options.login_window_seconds)
        auth = sign_in_check(users, limiter, concurrent_hashes=max(1, min(4, (os.cpu_count() or 2) // 2)))

    @contextlib.asynccontextmanager
    async def lifespan(_):
        yield
        if on_shutdown is not None:
            on_shutdown()

    outer = FastAPI(docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    gr.mount_gradio_app(
        outer,
        demo,
        path="/",
        server_name=options.host,
        server_port=options.port,
        footer_links=[],
        auth=auth,
        auth_message="Sign in to Safeguarding Assistant",
        max_file_size=f"{app.max_upload_mb}mb",
        allowed_paths=[str(path) for path in [getattr(app, "downloads", None)] if path],
        ssr_mode=False,
        css=CSS,
        js=SCRIPT,  # the chat's [n] markers, the page zoom, the first-click CSV download
        show_error=False,
        pwa=False,
    )
    # launch() marks the app launched; Gradio checks that files sent as inputs were uploaded (are in its
    # cache) only for a launched app.
    demo.has_launched = True
    gradio_app = next(route.app for route in outer.routes if isinstance(route, Mount))
    sessions = Sessions(users, options.session_idle_minutes * 60, gradio_app) if users is not None else None
    shown = f"[{options.host}]" if ":" in options.host else options.host
    print(f"Safeguarding Assistant on http://{shown}:{options.port}", file=sys.stderr)
    config = uvicorn.Config(
        Guard(outer, sessions),
        host=options.host,
        port=options.port,
        log_level="warning",
        timeout_graceful_shutdown=5,
        server_header=False,
    )
    uvicorn.Server(config).run()
