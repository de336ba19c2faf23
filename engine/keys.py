"""Keys for the security officer: the first key file (`init-db`), a new key (`keys add`),
re-sealing with it (`keys rotate`), what the database and the ring hold (`keys status`), and
taking a retired key out of the file (`keys remove`). Secrets are never printed or logged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine.bootstrap import App, keyring
from engine.crypto import append_key, create_key_file, key_file_for, new_key_id, remove_key
from engine.errors import KeyProblem
from engine.i18n import _
from engine.logs import get_logger
from engine.settings import Settings
from engine.store import registered_keys
from engine.store._rotation import Progress

log = get_logger("engine.keys")


def prepare_key_file(app: App) -> Path | None:
    """For `init-db`: make the key file (mode 0600, one new key) when no key is set and the
    file does not exist; answers its path then, else None. Refuses when the database already
    holds data sealed with keys: their file was lost or moved, and a new key opens nothing."""
    settings = app.settings
    if settings.keys is not None:
        return None
    path = key_file_for(settings.db, settings.key_file)
    if path.exists():
        return None
    known = [k["id"] for k in registered_keys(app.db) if k["retired_at"] is None]
    if known:
        raise KeyProblem(
            _("the key file is missing"),
            [_("key file: {path} does not exist, but this database is sealed with key "
               "{keys}; restore that file (or set SAFE_FUTURE_KEY_FILE to it)",
               path=str(path), keys=", ".join(known))],
        )  # fmt: skip
    create_key_file(path, new_key_id(app.clock.now()))
    log.info("key_file_created", path=str(path))
    return path


def _file(settings: Settings) -> Path:
    if settings.keys is not None:
        raise KeyProblem(
            _("the keys come from SAFE_FUTURE_KEYS"),
            [_("keys: change SAFE_FUTURE_KEYS where it is set (`keys add --print` makes a key)")],
        )
    return key_file_for(settings.db, settings.key_file)


def add_key(app: App, key_id: str | None = None) -> dict[str, Any]:
    """Append a new key to the key file: from the next start on it seals what is written."""
    path = _file(app.settings)
    key_id = key_id or new_key_id(app.clock.now())
    append_key(path, key_id)
    log.info("key_added", key_id=key_id, path=str(path))
    return {"added": key_id, "key_file": str(path)}


def rotate(app: App, *, batch: int = 500, progress: Progress | None = None) -> dict[str, Any]:
    """Re-seal every value with the newest key, `batch` rows per committed transaction; safe
    to interrupt and run again. Older keys are retired once nothing is sealed with them."""
    if not 1 <= batch <= 100_000:
        raise KeyProblem(_("bad batch size"), [_("batch: from 1 to 100000")])
    done = app.uow.rotate(batch=batch, progress=progress)
    newest = app.uow.cipher.ring.newest.id
    log.info("keys_rotated", key_id=newest, resealed=done.resealed, left=done.left)
    return {"key": newest, "resealed": done.resealed, "left": done.left,
            "retired": done.retired, "done": done.left == 0}  # fmt: skip


def status(app: App) -> dict[str, Any]:
    """The ring's keys (the newest seals) and the database's: which are retired, and how many
    rows still hold a value under an older key."""
    left = app.uow.stale()
    ring = app.uow.cipher.ring
    return {
        "source": ring.source,
        "newest": ring.newest.id,
        "ring": [k.id for k in ring.keys],
        "database": [
            {"id": k["id"], "added_at": k["added_at"].isoformat(),
             "retired_at": k["retired_at"].isoformat() if k["retired_at"] else None}
            for k in registered_keys(app.db)
        ],
        "rows_under_older_keys": left,
    }  # fmt: skip


def remove(app: App, key_id: str) -> dict[str, Any]:
    """Take a key out of the key file, once the database no longer needs it (retired, or
    never used here)."""
    path = _file(app.settings)
    live = {k["id"] for k in registered_keys(app.db) if k["retired_at"] is None}
    if key_id in live:
        raise KeyProblem(
            _("the key is still in use"),
            [
                _(
                    "key {key}: data is sealed with it; run `safe-future keys rotate` first",
                    key=key_id,
                )
            ],
        )
    remove_key(path, key_id)
    log.info("key_removed", key_id=key_id, path=str(path))
    return {
        "removed": key_id,
        "key_file": str(path),
        "ring": [k.id for k in keyring(app.settings).keys],
    }
