"""A checked workflow file kept between processes: reading, validating and checking the YAML
took some 30 ms of every command's start (docs/performance.md, cold start).

An entry is named by the digest of the file's bytes and of the code that checks it (the
size and modification time of each module of `engine.states`, `engine.rules` and
`engine.documents`), so an edited file or changed checks never find an old entry: they are
read and checked again. An entry holds the workflow as JSON and is validated again when read
(about 1 ms), so an entry that no longer fits the schema is not used either. Entries live in
`$XDG_CACHE_HOME/safe-future` (default `~/.cache/safe-future`), written whole or not at all;
where that cannot be read or written, the file is read each time. Only a file that passed
every check is kept."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
from pathlib import Path

from pydantic import ValidationError

from engine.states._schema import WorkflowSpec

KEPT = 16
"""Entries kept; the oldest beyond this are removed when one is written."""
_CHECKING_CODE = ("states", "rules", "documents")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "safe-future"


def _code_stamp() -> bytes:
    engine = Path(__file__).resolve().parents[1]
    parts = [sys.version]
    for package in _CHECKING_CODE:
        with os.scandir(engine / package) as found:
            for entry in sorted(found, key=lambda e: e.name):
                if entry.name.endswith(".py"):
                    stat = entry.stat()
                    parts.append(f"{package}/{entry.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(parts).encode()


def entry_path(source: bytes) -> Path:
    """Where the checked workflow of a file with these bytes is kept."""
    digest = hashlib.sha256(_code_stamp() + b"\0" + source).hexdigest()
    return cache_dir() / f"workflow-{digest}.json"


def cached_spec(source: bytes) -> WorkflowSpec | None:
    """The checked workflow of a file with these bytes, if one is kept and still valid."""
    with contextlib.suppress(OSError, ValueError, ValidationError):
        return WorkflowSpec.model_validate_json(entry_path(source).read_bytes())
    return None


def keep_spec(source: bytes, spec: WorkflowSpec) -> None:
    """Keep the checked workflow of a file with these bytes; failing quietly, as a cache may."""
    path = entry_path(source)
    with contextlib.suppress(OSError):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(spec.model_dump_json(by_alias=True, round_trip=True))
            Path(tmp).replace(path)
        finally:
            Path(tmp).unlink(missing_ok=True)
        _prune(path.parent)


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("workflow-*.json"), key=lambda p: p.stat().st_mtime_ns)
    for old in entries[:-KEPT]:
        old.unlink(missing_ok=True)
