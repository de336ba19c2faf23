"""Keys: where they come from (the environment or a key file) and the ring of live keys.

A key is an id and 32 random bytes. The ring lists them oldest first; the newest seals what
is written, every key in the ring opens what it once sealed, so several keys are live while
`safe-future keys rotate` moves the data to the newest one."""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from engine.errors import KeyProblem

KEY_ID = re.compile(r"^[A-Za-z0-9._-]{1,32}$")
_ID_RULE = "a key id is 1-32 letters, digits, '.', '_' or '-'"
_SECRET_RULE = "a key is 32 random bytes in URL-safe base64 (`safe-future keys add` makes one)"  # noqa: S105 (a rule, not a secret)


@dataclass(frozen=True)
class Key:
    id: str
    secret: bytes = field(repr=False)  # never in a repr, a log line or a traceback


@dataclass(frozen=True)
class Keyring:
    """The live keys, oldest first; the last one seals."""

    keys: tuple[Key, ...]
    source: str  # where they came from, for messages: "SAFE_FUTURE_KEYS" or the file's path

    def __post_init__(self) -> None:
        if not self.keys:
            raise KeyProblem("no encryption key", [f"{self.source}: holds no key"])
        ids = [k.id for k in self.keys]
        if len(set(ids)) != len(ids):
            raise KeyProblem("duplicate key id", [f"{self.source}: each key id appears once"])

    @property
    def newest(self) -> Key:
        return self.keys[-1]


def parse_keys(text: str, source: str) -> Keyring:
    """Keys from text: `ID SECRET` per line (a key file) or `ID:SECRET` separated by commas
    (SAFE_FUTURE_KEYS), oldest first; `#` starts a comment. Errors name the line, never the
    secret."""
    keys = []
    entries = [e for line in text.splitlines() for e in line.split("#", 1)[0].split(",")]
    for n, entry in enumerate((e.strip() for e in entries if e.strip()), start=1):
        parts = entry.replace(":", " ", 1).split()
        if len(parts) != 2:
            raise KeyProblem("unreadable key", [f"{source}: entry {n}: write `ID SECRET`"])
        key_id, encoded = parts
        if not KEY_ID.match(key_id):
            raise KeyProblem("unreadable key", [f"{source}: entry {n}: {_ID_RULE}"])
        try:
            secret = base64.urlsafe_b64decode(encoded.encode("ascii"))
        except (binascii.Error, UnicodeEncodeError, ValueError):
            secret = b""
        if len(secret) != 32:
            raise KeyProblem("unreadable key", [f"{source}: key {key_id}: {_SECRET_RULE}"])
        keys.append(Key(key_id, secret))
    return Keyring(tuple(keys), source)


def read_key_file(path: Path) -> Keyring:
    """The keys in a key file; refuses one that others may read."""
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise KeyProblem(
            "no encryption key",
            [
                f"key file: {path} does not exist; run `safe-future init-db` to make one, or set "
                "SAFE_FUTURE_KEYS or SAFE_FUTURE_KEY_FILE"
            ],
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyProblem(
            "unreadable key file", [f"key file: {path}: {type(exc).__name__}"]
        ) from None
    if mode & 0o077:
        raise KeyProblem(
            "key file readable by others",
            [f"key file: {path} has mode {mode & 0o777:o}; run `chmod 600 {path}`"],
        )
    return parse_keys(text, str(path))


def new_key_id(now: datetime | None = None) -> str:
    """A fresh key id: the UTC time it was made (sorts in the order keys were made)."""
    return (now or datetime.now(UTC)).strftime("k%Y%m%dT%H%M%S")


def key_line(key_id: str) -> str:
    """A new key as a key file line: `ID SECRET` with 32 fresh random bytes."""
    if not KEY_ID.match(key_id):
        raise KeyProblem("bad key id", [f"id: {_ID_RULE}"])
    return f"{key_id} {base64.urlsafe_b64encode(secrets.token_bytes(32)).decode('ascii')}"


def create_key_file(path: Path, key_id: str) -> None:
    """Make a key file with one new key, readable by its owner only (0600); never overwrites."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write("# Safe Future Engine encryption keys, oldest first; the last one seals.\n")
        out.write("# Keep a copy apart from the database backups: without it the data is lost.\n")
        out.write(key_line(key_id) + "\n")


def append_key(path: Path, key_id: str) -> None:
    """Add a new key at the end of an existing key file: from now on it seals."""
    ring = read_key_file(path)
    if key_id in {k.id for k in ring.keys}:
        raise KeyProblem("duplicate key id", [f"id: {key_id} is in {path} already"])
    with path.open("a", encoding="ascii") as out:
        out.write(key_line(key_id) + "\n")


def remove_key(path: Path, key_id: str) -> None:
    """Take a key out of a key file (after `keys rotate` has moved everything off it)."""
    ring = read_key_file(path)
    if key_id not in {k.id for k in ring.keys}:
        raise KeyProblem("no such key", [f"id: {key_id} is not in {path}"])
    if ring.newest.id == key_id:
        raise KeyProblem("cannot remove the newest key", [f"id: {key_id} seals new data"])
    kept = [
        line
        for line in path.read_text(encoding="ascii").splitlines()
        if line.split("#", 1)[0].replace(":", " ", 1).split()[:1] != [key_id]
    ]
    tmp = path.with_name(path.name + ".new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write("\n".join(kept) + "\n")
    tmp.replace(path)
