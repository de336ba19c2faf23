"""AES-256-GCM sealing of values, the keyed hash beside a client reference, and the check value
that tells a right key from a wrong one.

A sealed value is `0x01, len(id), id, nonce(12), ciphertext+tag`: it names the key that made
it. The associated data binds it to its place (column and case), so a value copied into
another case or column does not open."""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from engine.crypto._keys import Key, Keyring
from engine.errors import KeyProblem

_FORMAT = 1
_NONCE = 12


def _derive(secret: bytes, purpose: bytes) -> bytes:
    """A sub-key per purpose (HMAC-SHA256 as a PRF, HKDF-Expand with one block)."""
    return hmac.new(secret, b"safe-future/" + purpose + b"\x01", hashlib.sha256).digest()


class Cipher:
    """Seals and opens values with a key ring; computes client reference hashes."""

    def __init__(self, ring: Keyring) -> None:
        self.ring = ring
        self._aead = {k.id: AESGCM(_derive(k.secret, b"aes-gcm")) for k in ring.keys}
        self._index = {k.id: _derive(k.secret, b"client-ref-index") for k in ring.keys}
        self._headers = {k.id: bytes([_FORMAT, len(k.id)]) + k.id.encode() for k in ring.keys}
        self._newest = ring.newest.id

    @property
    def newest_header(self) -> bytes:
        """The first bytes of every value sealed with the newest key."""
        return self._headers[self._newest]

    def seal(self, plain: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(_NONCE)
        header = self._headers[self._newest]
        return header + nonce + self._aead[self._newest].encrypt(nonce, plain, header + aad)

    def open(self, sealed: bytes, aad: bytes, where: str) -> bytes:
        """The plain value; a clear error naming `where` (never the value) when it cannot be."""
        key_id = key_id_of(sealed, where)
        aead = self._aead.get(key_id)
        if aead is None:
            raise KeyProblem(
                "missing encryption key",
                [f"{where}: sealed with key {key_id}, which is not in {self.ring.source}"],
            )
        start = 2 + len(key_id)
        header, nonce, body = (
            sealed[:start],
            sealed[start : start + _NONCE],
            sealed[start + _NONCE :],
        )
        try:
            return aead.decrypt(nonce, body, header + aad)
        except InvalidTag:
            raise KeyProblem(
                "cannot decrypt",
                [f"{where}: key {key_id} does not open it: a wrong key, or the value was altered"],
            ) from None

    def index(self, value: str) -> str:
        """The keyed hash of a client reference under the newest key (hex)."""
        return self._hash(self._newest, value)

    def indexes(self, value: str) -> list[str]:
        """Its hashes under every live key: a lookup finds rows not yet rotated too."""
        return [self._hash(k.id, value) for k in self.ring.keys]

    def _hash(self, key_id: str, value: str) -> str:
        return hmac.new(self._index[key_id], value.encode(), hashlib.sha256).hexdigest()


def key_id_of(sealed: bytes, where: str) -> str:
    """The id of the key a sealed value names."""
    if len(sealed) < 2 or sealed[0] != _FORMAT or len(sealed) < 2 + sealed[1] + _NONCE + 16:
        raise KeyProblem("cannot decrypt", [f"{where}: not a sealed value (plain or damaged)"])
    return sealed[2 : 2 + sealed[1]].decode("ascii", "replace")


def check_value(key: Key) -> str:
    """A value stored beside the data for each key: it tells whether a key of that id is the
    one that sealed it, without revealing the key."""
    return _derive(key.secret, b"key-check").hex()[:32]
