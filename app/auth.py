"""Users for the web app: scrypt password hashes, a role, and the collections each user may see.

The file is JSON, written private to its owner. Roles: reader (ask, search, figures, check), editor
(also upload and delete), admin (also manage users with `safeguard users`).

A running server re-reads the file when it changes (`Users.reload_if_changed`) and learns whose access
was removed or changed, so their sessions can be ended. Passwords are hashed with scrypt N=2^17, r=8,
p=1; a hash made with older parameters still verifies and is replaced on the next successful sign-in.
`LoginLimiter` counts failed sign-ins per user name and per client address.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import sys
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from index.files import atomic_write

ROLES = ("reader", "editor", "admin")
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
# scrypt needs 128 * r * N bytes (128 MB at N=2^17); OpenSSL's default ceiling is 32 MB.
SCRYPT_MAXMEM = 256 * 2**20
# Verified when the user name is unknown, so an unknown name costs the same one scrypt as a known one.
# No password matches it: the digest is not the scrypt of anything anyone knows.
_UNKNOWN_USER_HASH = f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${'A' * 22}==${'A' * 43}="


class AuthError(Exception):
    pass


def hash_password(password: str, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=32, maxmem=SCRYPT_MAXMEM)
    encode = base64.b64encode
    return f"scrypt${n}${r}${p}${encode(salt).decode()}${encode(digest).decode()}"


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return None
        return int(n), int(r), int(p), base64.b64decode(salt), base64.b64decode(digest)
    except (ValueError, TypeError, AttributeError):
        return None


def verify_password(password: str, stored: str) -> bool:
    parsed = _parse(stored)
    if parsed is None:  # a broken hash costs the same time as a real one and matches nothing
        verify_password(password, _UNKNOWN_USER_HASH)
        return False
    n, r, p, salt, expected = parsed
    try:
        actual = hashlib.scrypt(
            password.encode(), salt=salt, n=n, r=r, p=p, dklen=len(expected) or 32, maxmem=SCRYPT_MAXMEM
        )
    except (ValueError, TypeError, MemoryError):
        return False
    return hmac.compare_digest(actual, expected)


def needs_rehash(stored: str) -> bool:
    """True for a hash made with other scrypt parameters than today's."""
    parsed = _parse(stored)
    return parsed is not None and parsed[:3] != (SCRYPT_N, SCRYPT_R, SCRYPT_P)


@dataclass
class User:
    name: str
    password: str  # scrypt hash, never the password itself
    role: str = "reader"
    collections: list[str] = field(default_factory=lambda: ["default"])

    def can(self, action: str) -> bool:
        needed = {"read": "reader", "write": "editor", "admin": "admin"}[action]
        return ROLES.index(self.role) >= ROLES.index(needed)

    def access(self) -> tuple:
        """What a session was granted on: a change to any of it ends the user's sessions."""
        return self.password, self.role, tuple(sorted(self.collections))


def _file_signature(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


class Users:
    def __init__(self, path: Path, users: dict[str, User] | None = None):
        self.path = Path(path)
        self.users = users or {}
        self._signature = _file_signature(self.path)
        self._lock = threading.Lock()
        self._ended: set[str] = set()  # found by a sign-in's rehash, handed out by reload_if_changed

    @classmethod
    def load(cls, path: Path) -> Users:
        path = Path(path)
        signature = _file_signature(path)
        if not path.exists():
            return cls(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            users = {u["name"]: User(**u) for u in raw.get("users", [])}
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise AuthError(f"{path}: not a valid users file ({exc})") from None
        for user in users.values():
            if user.role not in ROLES:
                raise AuthError(f"{path}: user {user.name} has unknown role {user.role!r}")
        loaded = cls(path, users)
        loaded._signature = signature  # as it was before reading: a write during the read is seen next time
        return loaded

    def save(self) -> None:
        atomic_write(self.path, json.dumps({"users": [asdict(u) for u in self.users.values()]}, indent=1), 0o600)

    def add(self, name: str, password: str, role: str, collections: list[str]) -> User:
        if role not in ROLES:
            raise AuthError(f"unknown role {role!r} (choose from {', '.join(ROLES)})")
        if not name or not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
            raise AuthError("a user name is letters, digits, '.', '-' or '_'")
        if len(password) < 8:
            raise AuthError("a password needs at least 8 characters")
        user = User(name, hash_password(password), role, collections or ["default"])
        self.users[name] = user
        return user

    def remove(self, name: str) -> None:
        if name not in self.users:
            raise AuthError(f"no user {name!r}")
        del self.users[name]

    def verify(self, name: str, password: str) -> bool:
        """One scrypt whether or not the user exists, so the time taken does not tell which."""
        user = self.users.get(name)
        ok = verify_password(password, user.password if user is not None else _UNKNOWN_USER_HASH)
        return ok and user is not None

    # -- a running server ------------------------------------------------------------------------
    def reload_if_changed(self) -> set[str]:
        """Re-read the file if it changed on disk; the names whose sessions must end (removed, or their
        password, role or collections changed). An unreadable file leaves no one signed in."""
        if _file_signature(self.path) == self._signature and not self._ended:
            return set()
        with self._lock:
            self._reload_locked()
            ended, self._ended = self._ended, set()
        return ended

    def _reload_locked(self) -> None:
        signature = _file_signature(self.path)
        if signature == self._signature:
            return
        try:
            fresh = Users.load(self.path).users
        except (AuthError, OSError) as exc:
            print(f"warning: {exc}; nobody can sign in until it is fixed", file=sys.stderr)
            fresh = {}
        self._ended |= {
            name for name, user in self.users.items() if name not in fresh or fresh[name].access() != user.access()
        }
        self.users = fresh  # one reference swap: readers see the old dict or the new one
        self._signature = signature

    def login(self, name: str, password: str) -> bool:
        """Verify a sign-in (one scrypt either way); a hash with old parameters is replaced by one made with
        today's, saved atomically, without ending the session being opened."""
        user = self.users.get(name)
        stored = user.password if user is not None else _UNKNOWN_USER_HASH
        ok = verify_password(password, stored) and user is not None
        if ok and needs_rehash(stored):
            try:
                self._upgrade(name, stored, hash_password(password))
            except OSError as exc:  # a read-only file: the old hash keeps working
                print(f"warning: could not upgrade the password hash of {name}: {exc}", file=sys.stderr)
        return ok

    def _upgrade(self, name: str, old_hash: str, new_hash: str) -> None:
        with self._lock:
            self._reload_locked()  # changes made meanwhile by others are kept, and their effects remembered
            user = self.users.get(name)
            if user is None or user.password != old_hash:
                return  # removed or given a new password meanwhile: leave it
            users = dict(self.users)
            users[name] = replace(user, password=new_hash)
            self.users = users
            self.save()
            self._signature = _file_signature(self.path)  # our own write ends nobody's session


class LoginLimiter:
    """Failed sign-ins counted per user name and per client address over a sliding window.

    `begin` reserves an attempt (so parallel guesses cannot slip past the count) or says how many seconds
    to wait; `end` records the outcome. A success clears the name's failures.
    """

    MAX_KEYS = 10_000

    def __init__(self, per_name: int = 5, per_address: int = 20, window: float = 300.0, clock=time.monotonic):
        self.per_name, self.per_address, self.window, self.clock = per_name, per_address, window, clock
        self.failures: dict[tuple[str, str], deque[float]] = {}
        self.pending: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self.failures.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self.failures[key]
        return times

    def begin(self, name: str, address: str) -> float:
        """0 if the attempt may go ahead (it is then reserved), else the seconds until one may."""
        now = self.clock()
        keys = ((("name", name), self.per_name), (("address", address), self.per_address))
        with self._lock:
            if len(self.failures) > self.MAX_KEYS:
                for key in list(self.failures):
                    self._recent(key, now)
            for key, limit in keys:
                times = self._recent(key, now)
                if len(times) + self.pending.get(key, 0) >= limit:
                    return max(1.0, times[0] + self.window - now) if len(times) >= limit else 1.0
            for key, _ in keys:
                self.pending[key] = self.pending.get(key, 0) + 1
        return 0.0

    def end(self, name: str, address: str, ok: bool) -> None:
        now = self.clock()
        with self._lock:
            for key in (("name", name), ("address", address)):
                left = self.pending.get(key, 0) - 1
                if left > 0:
                    self.pending[key] = left
                else:
                    self.pending.pop(key, None)
                if not ok:
                    self.failures.setdefault(key, deque()).append(now)
            if ok:
                self.failures.pop(("name", name), None)
