"""Users for the web app: scrypt password hashes, a role, and the collections each user may see.

The file is JSON, written private to its owner. Roles: reader (ask, search, figures, check), editor
(also upload and delete), admin (also manage users with `safeguard users`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path

from index.files import atomic_write

ROLES = ("reader", "editor", "admin")
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


class AuthError(Exception):
    pass


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    encode = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encode(salt).decode()}${encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


@dataclass
class User:
    name: str
    password: str  # scrypt hash, never the password itself
    role: str = "reader"
    collections: list[str] = field(default_factory=lambda: ["default"])

    def can(self, action: str) -> bool:
        needed = {"read": "reader", "write": "editor", "admin": "admin"}[action]
        return ROLES.index(self.role) >= ROLES.index(needed)


class Users:
    def __init__(self, path: Path, users: dict[str, User] | None = None):
        self.path = Path(path)
        self.users = users or {}

    @classmethod
    def load(cls, path: Path) -> Users:
        path = Path(path)
        if not path.exists():
            return cls(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            users = {u["name"]: User(**u) for u in raw.get("users", [])}
        except (ValueError, KeyError, TypeError) as exc:
            raise AuthError(f"{path}: not a valid users file ({exc})") from None
        for user in users.values():
            if user.role not in ROLES:
                raise AuthError(f"{path}: user {user.name} has unknown role {user.role!r}")
        return cls(path, users)

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
        user = self.users.get(name)
        if user is None:
            verify_password(password, hash_password("timing-equaliser"))
            return False
        return verify_password(password, user.password)
