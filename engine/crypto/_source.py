"""Where the keys are: SAFE_FUTURE_KEYS, else SAFE_FUTURE_KEY_FILE, else (SQLite only) a key
file beside the database, which `init-db` makes."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from engine.crypto._keys import Keyring, parse_keys, read_key_file
from engine.errors import KeyProblem


def key_file_for(db_url: str, key_file: Path | None) -> Path:
    """The key file to use: the one set, else `<database file>.keys` for an SQLite file."""
    if key_file is not None:
        return key_file
    parsed = make_url(db_url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return Path(parsed.database + ".keys").resolve()
    raise KeyProblem(
        "no encryption key",
        [
            "keys: set SAFE_FUTURE_KEYS, or SAFE_FUTURE_KEY_FILE (`init-db` makes the file there); "
            "only an SQLite database has a default key file beside it"
        ],
    )


def load_keyring(db_url: str, keys: str | None, key_file: Path | None) -> Keyring:
    """The live keys: from `keys` (SAFE_FUTURE_KEYS) when given, else from the key file."""
    if keys:
        return parse_keys(keys, "SAFE_FUTURE_KEYS")
    return read_key_file(key_file_for(db_url, key_file))
