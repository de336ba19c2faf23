"""The social map is searched by country (code, English or Dutch name), services and words,
and maintained without a code change: an administrator adds, corrects and retires entries
(audited, kept across restarts), a shelter loads its own additions file beside the shipped
one, and the shipped file stays the book's reading."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from engine import socialmap
from engine.bootstrap import App, bootstrap
from engine.errors import InvalidInput, NotFound
from engine.settings import Settings
from engine.socialmap import Query
from engine.store._tables import audit
from tests.support import ADMIN

NEW = {
    "id": "ng-new-hope",
    "name": "New Hope Lagos",
    "kind": "partner",
    "country": "NG",
    "services": ["shelter", "financial"],
    "website": "https://newhope.example.org",
}


def _ids(app: App, **query: object) -> list[str]:
    return [i["id"] for i in socialmap.search(app, Query(**query))]  # type: ignore[arg-type]


def test_a_country_by_code_english_or_dutch_name_finds_the_same_organisations(app: App) -> None:
    """`NG`, `Nigeria`, `nigerië` and `NIGERIE` all mean Nigeria (book: COSUDOW, L7273)."""
    by_code = _ids(app, country="NG", services=("shelter", "psychological"))
    assert "ng-cosudow" in by_code
    for name in ("Nigeria", "nigerië", "NIGERIE"):
        assert by_code == _ids(app, country=name, services=("shelter", "psychological"))


def test_every_service_asked_for_must_be_offered(app: App) -> None:
    """COSUDOW offers shelter but no financial help (book L7273-7292): asking both drops it."""
    assert "ng-cosudow" in _ids(app, country="NG", services=("shelter",))
    assert "ng-cosudow" not in _ids(app, country="NG", services=("shelter", "financial"))


def test_organisations_based_in_the_country_come_before_those_serving_it(app: App) -> None:
    """IOM serves Nigeria from elsewhere: it comes after the organisations based there."""
    items = socialmap.search(app, Query(country="NG"))
    based = [i["country"] == "NG" for i in items]
    assert based == sorted(based, reverse=True)
    assert any(i["kind"] == "iom" for i in items)


def test_unknown_country_and_service_name_the_allowed_values(app: App) -> None:
    """An unknown country names the rule and the countries on the map; an unknown service
    names the twelve."""
    with pytest.raises(InvalidInput) as country:
        socialmap.search(app, Query(country="Narnia"))
    assert "country: 'Narnia' is not a country" in country.value.reasons[0]
    assert "NG Nigeria" in country.value.reasons[-1]
    with pytest.raises(InvalidInput) as service:
        socialmap.search(app, Query(services=("food",)))
    assert [f"service: 'food' is not one of {', '.join(socialmap.SERVICES)}"] == (
        service.value.reasons
    )


def test_words_are_found_whatever_their_accents_and_case(app: App) -> None:
    """Text search ignores case and accents, and every word must occur."""
    assert "ng-cosudow" in _ids(app, text="cosudow")
    assert "ng-cosudow" in _ids(app, text="COSUDOW nigerië")
    assert [] == _ids(app, text="cosudow narnia")


def test_an_administrator_adds_corrects_and_retires_an_entry_and_each_is_audited(
    app: App,
) -> None:
    """Add, correct and retire change what is found, and each leaves an audit row."""
    socialmap.add(app, NEW, actor=ADMIN)
    assert "ng-new-hope" in _ids(app, country="Nigerië", services=("financial",))

    corrected = socialmap.correct(app, "ng-new-hope", {"services": ["shelter"]}, actor=ADMIN)
    assert ["shelter"] == corrected["services"]
    assert "New Hope Lagos" == corrected["name"]  # untouched fields stay
    assert "ng-new-hope" not in _ids(app, country="NG", services=("financial",))

    socialmap.retire(app, "ng-new-hope", actor=ADMIN)
    assert "ng-new-hope" not in _ids(app, country="NG")
    assert "ng-new-hope" in _ids(app, country="NG", include_retired=True)
    assert socialmap.show(app, "ng-new-hope")["retired"]

    socialmap.retire(app, "ng-new-hope", actor=ADMIN, undo=True)
    assert "ng-new-hope" in _ids(app, country="NG")

    with app.db.connect() as conn:
        rows = conn.execute(
            select(audit.c.actor, audit.c.action).where(audit.c.case_id == "socialmap")
        ).all()
    assert [
        (ADMIN, "socialmap:add:ng-new-hope"),
        (ADMIN, "socialmap:correct:ng-new-hope"),
        (ADMIN, "socialmap:retire:ng-new-hope"),
        (ADMIN, "socialmap:restore:ng-new-hope"),
    ] == [tuple(r) for r in rows]


def test_a_correction_of_the_books_entry_lies_over_it_and_keeps_its_source(app: App) -> None:
    """Correcting COSUDOW's website changes what is shown, not the shipped file."""
    before = Path(socialmap.book_path()).read_bytes()
    item = socialmap.correct(
        app, "ng-cosudow", {"website": "https://cosudow.example.org"}, actor=ADMIN
    )
    assert "https://cosudow.example.org" == item["website"]
    assert "book" == item["origin"]
    assert {"action": "correct", "by": ADMIN} == {k: item["changed"][k] for k in ("action", "by")}
    assert 14 in [s["bijlage"] for s in item["sources"]]
    assert before == Path(socialmap.book_path()).read_bytes()


def test_bad_changes_are_refused_naming_the_field_and_change_nothing(app: App) -> None:
    """A phone number, an unknown country, a duplicate id or an id change are refused."""
    cases = [
        ({**NEW, "other_services": "call +234 80 6555 6555"}, "other_services"),
        ({**NEW, "country": "XX"}, "country"),
        ({**NEW, "services": ["food"]}, "services.0"),
        ({**NEW, "id": "ng-cosudow"}, "id"),
    ]
    for data, field in cases:
        with pytest.raises(InvalidInput) as refused:
            socialmap.add(app, data, actor=ADMIN)
        assert refused.value.reasons[0].startswith(f"{field}:"), refused.value.reasons
    with pytest.raises(InvalidInput) as renamed:
        socialmap.correct(app, "ng-cosudow", {"id": "ng-other"}, actor=ADMIN)
    assert ["id: cannot be changed"] == renamed.value.reasons
    with pytest.raises(NotFound):
        socialmap.correct(app, "xx-nowhere", {"name": "x"}, actor=ADMIN)
    assert "ng-new-hope" not in socialmap.current(app)
    assert "book" == socialmap.show(app, "ng-cosudow")["origin"]
    assert "changed" not in socialmap.show(app, "ng-cosudow")


def test_changes_are_kept_across_a_restart(app: App, settings: Settings) -> None:
    """An added entry is there for the next process on the same database."""
    socialmap.add(app, NEW, actor=ADMIN)
    again = bootstrap(settings, clock=app.clock, workflow=app.workflow, configure_logs=False)
    try:
        assert "New Hope Lagos" == socialmap.show(again, "ng-new-hope")["name"]
    finally:
        again.db.dispose()


def _shelter_file(tmp_path: Path, organisations: list[dict[str, object]]) -> Path:
    path = tmp_path / "our-socialmap.yaml"
    path.write_text(yaml.safe_dump({"organisations": organisations}), encoding="utf-8")
    return path


def _with_file(app: App, settings: Settings, path: Path) -> App:
    changed = settings.model_copy(update={"socialmap_file": path})
    return bootstrap(changed, clock=app.clock, workflow=app.workflow, configure_logs=False)


def test_a_shelters_additions_file_adds_organisations_beside_the_books(
    app: App, settings: Settings, tmp_path: Path
) -> None:
    """SAFE_FUTURE_SOCIALMAP_FILE's entries are found, marked as the shelter's."""
    path = _shelter_file(tmp_path, [{**NEW, "sources": [{"file": "our list, 2026"}]}])
    ours = _with_file(app, settings, path)
    try:
        item = socialmap.show(ours, "ng-new-hope")
        assert "shelter" == item["origin"]
        assert "ng-new-hope" in _ids(ours, country="NG", services=("financial",))
        assert "ng-cosudow" in _ids(ours, country="NG")
    finally:
        ours.db.dispose()


def test_a_shelters_file_cannot_overwrite_the_books_entries_or_hold_bad_ones(
    app: App, settings: Settings, tmp_path: Path
) -> None:
    """A book id in the shelter's file, or a bad entry, is refused naming file, id and field."""
    clash = _with_file(app, settings, _shelter_file(tmp_path, [{**NEW, "id": "ng-cosudow"}]))
    try:
        with pytest.raises(InvalidInput) as refused:
            socialmap.current(clash)
        assert "organisation ng-cosudow: id: is the book's entry" in refused.value.reasons[0]
        assert "our-socialmap.yaml" in refused.value.reasons[0]
    finally:
        clash.db.dispose()
    bad = _with_file(
        app, settings, _shelter_file(tmp_path, [{**NEW, "website": "+31 6 1234 5678"}])
    )
    try:
        with pytest.raises(InvalidInput) as refused:
            socialmap.current(bad)
        assert "organisation ng-new-hope: website:" in refused.value.reasons[0]
    finally:
        bad.db.dispose()
