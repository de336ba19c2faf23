"""How the client's data is stored: each sensitive column has one encode and one decode
function here. Values are sealed (engine.crypto) with associated data naming the column and
the case (and the event or document version), so a value moved elsewhere does not open.
Ids, states, dates and kinds stay in clear for the indexes; a client reference is looked up
by its keyed hash."""

from __future__ import annotations

import json
from typing import Any, Protocol


class Sealer(Protocol):
    """What the codec needs of a cipher (engine.crypto.Cipher)."""

    def seal(self, plain: bytes, aad: bytes) -> bytes: ...

    def open(self, sealed: bytes, aad: bytes, where: str) -> bytes: ...

    def index(self, value: str) -> str: ...

    def indexes(self, value: str) -> list[str]: ...


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_loads = json.loads


class Codec:
    """Encodes values for the tables and decodes them back."""

    def __init__(self, sealer: Sealer) -> None:
        self.sealer = sealer

    # cases.client_ref and cases.client_hash
    def client_ref(self, case_id: str, ref: str) -> bytes:
        return self.sealer.seal(ref.encode(), b"cases.client_ref|" + case_id.encode())

    def client_ref_of(self, case_id: str, sealed: bytes) -> str:
        aad = b"cases.client_ref|" + case_id.encode()
        return self.sealer.open(sealed, aad, f"case {case_id} client_ref").decode()

    def client_hash(self, organisation: str, ref: str) -> str:
        """The keyed hash of a reference at an organisation (the same reference at another
        organisation hashes differently: the hashes link no cases across organisations)."""
        return self.sealer.index(f"{organisation}\x00{ref}")

    def client_hashes(self, organisation: str, ref: str) -> list[str]:
        return self.sealer.indexes(f"{organisation}\x00{ref}")

    # cases.facts
    def facts(self, case_id: str, facts: dict[str, Any]) -> bytes:
        return self.sealer.seal(_dumps(facts).encode(), b"cases.facts|" + case_id.encode())

    def facts_of(self, case_id: str, sealed: bytes) -> dict[str, Any]:
        aad = b"cases.facts|" + case_id.encode()
        found: dict[str, Any] = _loads(self.sealer.open(sealed, aad, f"case {case_id} facts"))
        return found

    # events.data
    def event_data(self, case_id: str, seq: int, data: dict[str, Any]) -> bytes:
        return self.sealer.seal(_dumps(data).encode(), _event_aad(case_id, seq))

    def event_data_of(self, case_id: str, seq: int, sealed: bytes) -> dict[str, Any]:
        where = f"case {case_id} event {seq}"
        found: dict[str, Any] = _loads(self.sealer.open(sealed, _event_aad(case_id, seq), where))
        return found

    # documents.data
    def document(self, case_id: str, kind: str, version: int, data: dict[str, Any]) -> bytes:
        return self.sealer.seal(_dumps(data).encode(), _document_aad(case_id, kind, version))

    def document_of(self, case_id: str, kind: str, version: int, sealed: bytes) -> dict[str, Any]:
        aad, where = _document_aad(case_id, kind, version), f"case {case_id} {kind} v{version}"
        found: dict[str, Any] = _loads(self.sealer.open(sealed, aad, where))
        return found


def _event_aad(case_id: str, seq: int) -> bytes:
    return f"events.data|{case_id}|{seq}".encode()


def _document_aad(case_id: str, kind: str, version: int) -> bytes:
    return f"documents.data|{case_id}|{kind}|{version}".encode()
