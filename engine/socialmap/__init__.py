"""The social map (book Bijlagen 11-14): organisations that help victims return and
re-integrate, by country and by the twelve services, with their public websites.

The shipped file `data/book.yaml` is the book's reading; a shelter's additions file and an
administrator's changes (audited) lie over it. Searching and suggesting are pure functions
of the map; only `current` and the administrator's changes touch the database."""

from engine.socialmap._countries import country_name, fold, resolve_country
from engine.socialmap._load import book_path, compose, read_file
from engine.socialmap._map import Entry, Query, SocialMap, check_services
from engine.socialmap._model import (
    KIND_LABELS,
    KINDS,
    SERVICE_LABELS,
    SERVICES,
    Organisation,
    Source,
)
from engine.socialmap._refs import wrong_references
from engine.socialmap._service import add, correct, current, retire, search, show
from engine.socialmap._suggest import country_from, needs_from, suggest

__all__ = [
    "KINDS",
    "KIND_LABELS",
    "SERVICES",
    "SERVICE_LABELS",
    "Entry",
    "Organisation",
    "Query",
    "SocialMap",
    "Source",
    "add",
    "book_path",
    "check_services",
    "compose",
    "correct",
    "country_from",
    "country_name",
    "current",
    "fold",
    "needs_from",
    "read_file",
    "resolve_country",
    "retire",
    "search",
    "show",
    "suggest",
    "wrong_references",
]
