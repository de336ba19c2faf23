"""The social map as a whole: the book's reading, a shelter's additions and an
administrator's changes laid over each other, and searched by country, services and text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from engine.errors import InvalidInput, NotFound
from engine.i18n import LANGS, _
from engine.socialmap._countries import country_name, fold, resolve_country, spellings
from engine.socialmap._model import SERVICES, Organisation

Origin = Literal["book", "shelter", "admin"]


@dataclass(frozen=True)
class Entry:
    """An organisation with where its current reading comes from and whether it is retired."""

    org: Organisation
    origin: Origin = "book"
    retired: bool = False
    changed: dict[str, Any] | None = None  # the last administrator's change: at, by, action

    def item(self) -> dict[str, Any]:
        """The item as the CLI's --json and the API give it."""
        data = self.org.public()
        code = self.org.country
        data["country_name"] = (
            None if code is None else {lang: country_name(code, lang) for lang in LANGS}
        )
        data["origin"] = self.origin
        data["retired"] = self.retired
        if self.changed is not None:
            data["changed"] = self.changed
        return data


@dataclass(frozen=True)
class Query:
    """What to look for. `country` is a code or an English or Dutch name; every service in
    `services` must be offered; every word of `text` must occur (accents and case ignored)."""

    country: str | None = None
    services: Sequence[str] = ()
    text: str | None = None
    include_retired: bool = False


@dataclass(frozen=True)
class SocialMap:
    entries: tuple[Entry, ...]
    _by_id: dict[str, Entry] = field(init=False, repr=False, compare=False)

    _working_in: dict[str, list[Entry]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {e.org.id: e for e in self.entries})
        working: dict[str, list[Entry]] = {}
        for e in self.entries:
            if e.org.worldwide:
                working.setdefault("*", []).append(e)
            else:
                for code in {e.org.country, *e.org.serves} - {None}:
                    working.setdefault(str(code), []).append(e)
        object.__setattr__(self, "_working_in", working)

    def get(self, org_id: str) -> Entry:
        found = self._by_id.get(org_id)
        if found is None:
            raise NotFound(
                _("no such organisation"),
                [_("id: {org_id} is not on the social map", org_id=repr(org_id))],
            )
        return found

    def __contains__(self, org_id: object) -> bool:
        return org_id in self._by_id

    def countries(self) -> list[str]:
        """The codes of the countries organisations on the map are based in."""
        return sorted({e.org.country for e in self.live() if e.org.country is not None})

    def live(self) -> list[Entry]:
        return [e for e in self.entries if not e.retired]

    def working_in(self, code: str, *, include_retired: bool = False) -> list[Entry]:
        """The organisations based in or serving the country, and the worldwide ones (the
        retired ones only with `include_retired`)."""
        found = [*self._working_in.get(code, []), *self._working_in.get("*", [])]
        return [e for e in found if include_retired or not e.retired]

    def search(self, query: Query) -> list[Entry]:
        """Matching organisations: those based in the country first, then those serving it
        from elsewhere, then worldwide ones; by name within each."""
        code = self.country_code(query.country) if query.country else None
        services = check_services(query.services)
        words = [fold(w) for w in (query.text or "").split() if fold(w)]
        candidates = (
            [e for e in self.entries if query.include_retired or not e.retired]
            if code is None
            else self.working_in(code, include_retired=query.include_retired)
        )
        found = [
            e
            for e in candidates
            if all(s in e.org.services for s in services)
            and all(w in _haystack(e.org) for w in words)
        ]
        return sorted(found, key=lambda e: (_nearness(e.org, code), fold(e.org.name)))

    def country_code(self, text: str) -> str:
        """The code for a country given by code or name; an unknown one is refused with the
        countries on the map as examples."""
        try:
            return resolve_country(text)
        except InvalidInput as exc:
            listed = ", ".join(f"{c} {country_name(c)}" for c in self.countries())
            raise InvalidInput(
                exc.message,
                [*exc.reasons, _("country: countries on the map: {listed}", listed=listed)],
            ) from None


def check_services(services: Iterable[str]) -> list[str]:
    """The services asked for, each a known id; unknown ones are refused naming the 12."""
    asked = list(dict.fromkeys(services))
    unknown = [s for s in asked if s not in SERVICES]
    if unknown:
        raise InvalidInput(
            _("unknown service"),
            [
                _("service: {s} is not one of {items}", s=repr(s), items=", ".join(SERVICES))
                for s in unknown
            ],
        )
    return asked


def _nearness(org: Organisation, code: str | None) -> int:
    if code is None or org.country == code:
        return 0
    return 1 if code in org.serves else 2


def _haystack(org: Organisation) -> str:
    parts = [org.name, org.other_services or "", org.description or "", org.website or ""]
    if org.country is not None:
        parts += [org.country, *spellings(org.country)]
    return " ".join(fold(p) for p in parts)
