"""Encryption at rest: the key ring (from SAFE_FUTURE_KEYS or a key file), AES-GCM sealing
that names its key, and keyed hashes for looking up a client reference. No database here:
`engine.store` uses these to encode and decode its columns."""

from engine.crypto._cipher import Cipher, check_value, key_id_of
from engine.crypto._keys import (
    Key,
    Keyring,
    append_key,
    create_key_file,
    key_line,
    new_key_id,
    parse_keys,
    read_key_file,
    remove_key,
)
from engine.crypto._source import key_file_for, load_keyring

__all__ = [
    "Cipher",
    "Key",
    "Keyring",
    "append_key",
    "check_value",
    "create_key_file",
    "key_file_for",
    "key_id_of",
    "key_line",
    "load_keyring",
    "new_key_id",
    "parse_keys",
    "read_key_file",
    "remove_key",
]
