"""Reading the social map's files: the shipped one (the book's reading, never edited by a
shelter) and a shelter's own additions beside it (SAFE_FUTURE_SOCIALMAP_FILE). Every problem
is reported with the file, the entry and the field."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from engine.documents import validation_reasons
from engine.errors import InvalidInput
from engine.i18n import _
from engine.socialmap._map import Entry, SocialMap
from engine.socialmap._model import Organisation

_YamlLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def book_path() -> Path:
    """The shipped data file (Bijlagen 11-14)."""
    return Path(str(resources.files("engine.socialmap").joinpath("data/book.yaml")))


@functools.cache
def _read(path: Path, mtime_ns: int) -> tuple[dict[str, Any], tuple[Organisation, ...]]:
    """The file's header and organisations, parsed once per version of the file."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YamlLoader)  # noqa: S506
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidInput(
            _("cannot read the social map file {path}", path=path), [str(exc)]
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("organisations"), list):
        raise InvalidInput(
            _("cannot read the social map file {path}", path=path),
            [_("{path}: a mapping with a list `organisations` is expected", path=path)],
        )
    orgs, problems = [], []
    for index, raw in enumerate(data["organisations"]):
        label = raw.get("id", f"#{index + 1}") if isinstance(raw, dict) else f"#{index + 1}"
        try:
            orgs.append(Organisation.model_validate(raw))
        except ValidationError as exc:
            problems += [
                _("{path}: organisation {label}: {reason}", path=path, label=label, reason=reason)
                for reason in validation_reasons("", exc, "entry")
            ]
    seen: set[str] = set()
    for org in orgs:
        if org.id in seen:
            problems.append(_("{path}: organisation {id}: id: appears twice", path=path, id=org.id))
        seen.add(org.id)
    if problems:
        raise InvalidInput(_("the social map file {path} has problems", path=path), problems)
    header = {k: v for k, v in data.items() if k != "organisations"}
    return header, tuple(orgs)


def read_file(path: Path) -> tuple[dict[str, Any], tuple[Organisation, ...]]:
    """A social map file's header (e.g. `counts`) and its organisations, checked."""
    return _read(path, _version(path))


def compose(additions: Path | None, changes: Iterable[Mapping[str, Any]] = ()) -> SocialMap:
    """The map as it stands: the book's organisations, a shelter's additions (new ids only:
    the book's entries are corrected by an administrator, so the file keeps the book's
    reading), then the administrator's changes (rows of `engine.store`), latest last. The
    same files and changes give the same map, built once."""
    rows = tuple(changes)
    book = book_path()
    key = (
        _version(book),
        None if additions is None else (additions, _version(additions)),
        tuple((r["id"], r["action"], r["changed_at"]) for r in rows),
    )
    found = _composed.get(key)
    if found is None:
        found = _compose(book, additions, rows)
        if len(_composed) >= _KEEP:
            _composed.clear()
        _composed[key] = found
    return found


_composed: dict[tuple[object, ...], SocialMap] = {}
_KEEP = 16  # maps kept: one per database and additions file in use, in practice


def _version(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError as exc:
        raise InvalidInput(
            _("cannot read the social map file {path}", path=path), [str(exc)]
        ) from None


def _compose(
    book: Path, additions: Path | None, changes: tuple[Mapping[str, Any], ...]
) -> SocialMap:
    entries = {o.id: Entry(o, "book") for o in read_file(book)[1]}
    if additions is not None:
        added = read_file(additions)[1]
        clash = [o.id for o in added if o.id in entries]
        if clash:
            raise InvalidInput(
                _("the social map file {additions} has problems", additions=additions),
                [
                    _(
                        "{additions}: organisation {i}: id: is the book's entry; correct it with "
                        "`safe-future socialmap correct` instead",
                        additions=additions,
                        i=i,
                    )
                    for i in clash
                ],
            )
        entries |= {o.id: Entry(o, "shelter") for o in added}
    for row in changes:
        org = Organisation.model_validate(row["data"])
        before = entries.get(org.id)
        origin = before.origin if before is not None else "admin"
        entries[org.id] = Entry(
            org,
            origin,
            retired=bool(row["retired"]),
            changed={
                "action": row["action"],
                "at": row["changed_at"].isoformat(),
                "by": row["changed_by"],
            },
        )
    return SocialMap(tuple(entries.values()))
