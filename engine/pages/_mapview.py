"""What the pages show of the social map, in the page's language: pure functions from the
map's entries and the case view's suggestions to what the templates print (labels, country
names, groups, links). No I/O: the routes read the map and hand it in."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from engine import socialmap
from engine.i18n import N_, translate
from engine.pages._i18n import ORIGINS, Say

HINT = N_("Suggestions from the social map; the choice is the client's and yours.")
HINT_NO_COUNTRY = N_(
    "Record her country of origin (client profile) to get suggestions from the social map."
)
SERVES_LISTED = 5  # a card names up to this many countries served; beyond, it counts them


def _pick(label: str, lang: str) -> str:
    return translate(label, lang)


def services(lang: str) -> list[tuple[str, str]]:
    """The 12 services as (id, label), in the book's table order."""
    return [(s, _pick(socialmap.SERVICE_LABELS[s], lang)) for s in socialmap.SERVICES]


def service_labels(ids: Iterable[str], lang: str) -> list[str]:
    return [_pick(socialmap.SERVICE_LABELS[s], lang) for s in ids]


def countries(codes: Iterable[str], lang: str) -> list[str]:
    """Country names in `lang`, in alphabetical order."""
    names = [socialmap.country_name(c, lang) for c in codes]
    return sorted(names, key=socialmap.fold)


def search_link(lang: str, country: str | None = None, needs: Sequence[str] = ()) -> str:
    """The social map's search page for a country, with `needs` ticked."""
    query = [("lang", lang), *([("country", country)] if country else [])]
    return "/ui/socialmap?" + urlencode(query + [("service", s) for s in needs])


def place(item: Mapping[str, Any], lang: str, t: Say) -> str:
    """Where an organisation works, in a few words: its country, or for an international one
    the countries it serves (counted when many)."""
    code = item.get("country")
    if code:
        return socialmap.country_name(code, lang)
    if item.get("worldwide"):
        return t(N_("Worldwide"))
    serves = item.get("serves") or []
    if not serves:
        return t(N_("International"))
    if len(serves) <= SERVES_LISTED:
        return t(N_("International: {countries}"), countries=", ".join(countries(serves, lang)))
    return t(N_("International, in {n} countries"), n=len(serves))


def card(entry: socialmap.Entry, lang: str, t: Say) -> dict[str, Any]:
    """An organisation as a result card shows it."""
    item = entry.item()
    return {
        **item,
        "place": place(item, lang, t),
        "kind_label": _pick(socialmap.KIND_LABELS[item["kind"]], lang),
        "service_labels": [(s, _pick(socialmap.SERVICE_LABELS[s], lang)) for s in item["services"]],
    }


def groups(
    entries: Sequence[socialmap.Entry], code: str | None, lang: str, t: Say
) -> list[dict[str, Any]]:
    """The results under headings. For a country: those based there, those serving it from
    elsewhere, the worldwide ones (the search's order). Without one: by country name, the
    international ones last."""
    if code is not None:
        name = socialmap.country_name(code, lang)
        parts: dict[str, tuple[str, list[socialmap.Entry]]] = {
            "based": (t(N_("Based in {country}"), country=name), []),
            "serves": (t(N_("Working in {country} from elsewhere"), country=name), []),
            "worldwide": (t(N_("Worldwide")), []),
        }
        for e in entries:
            key = (
                "based"
                if e.org.country == code
                else "serves"
                if code in e.org.serves
                else "worldwide"
            )
            parts[key][1].append(e)
        return [
            {"anchor": key, "heading": heading, "cards": [card(e, lang, t) for e in found]}
            for key, (heading, found) in parts.items()
            if found
        ]
    by_country: dict[str | None, list[socialmap.Entry]] = {}
    for e in entries:
        by_country.setdefault(e.org.country, []).append(e)
    named = sorted(
        (c for c in by_country if c is not None),
        key=lambda c: socialmap.fold(socialmap.country_name(c, lang)),
    )
    found = [
        {
            "anchor": f"c-{c}",
            "heading": socialmap.country_name(c, lang),
            "cards": [card(e, lang, t) for e in by_country[c]],
        }
        for c in named
    ]
    if None in by_country:
        found.append(
            {
                "anchor": "c-international",
                "heading": t(N_("International")),
                "cards": [card(e, lang, t) for e in by_country[None]],
            }
        )
    return found


def _source(source: Mapping[str, Any], t: Say) -> str:
    if source.get("bijlage") and source.get("line"):
        text = t(
            N_("Bijlage {bijlage}, line {line}"), bijlage=source["bijlage"], line=source["line"]
        )
    elif source.get("bijlage"):
        text = f"Bijlage {source['bijlage']}"
    else:
        text = t(N_("file {file}"), file=source.get("file") or "?")
    return f"{text} ({source['label']})" if source.get("label") else text


def detail(entry: socialmap.Entry, lang: str, t: Say) -> dict[str, Any]:
    """Everything the map holds on one organisation, labelled."""
    item = card(entry, lang, t)
    offered = set(item["services"])
    return {
        **item,
        "country_label": (
            socialmap.country_name(item["country"], lang) if item["country"] else None
        ),
        "serves_names": countries(item["serves"], lang),
        "all_services": [(s, label, s in offered) for s, label in services(lang)],
        "source_texts": [_source(s, t) for s in item["sources"]],
        "origin_label": t(ORIGINS.get(item["origin"], item["origin"])),
        "search_in_country": (search_link(lang, item["country"]) if item["country"] else None),
    }


def suggestions(view: Mapping[str, Any], lang: str, t: Say) -> dict[str, Any]:
    """The case view's suggestions (engine.socialmap.suggest) as the case page's box shows
    them: what each offers and lacks of her needs, a link to the rest on the map."""
    code = view.get("country")
    needs = list(view.get("needs") or [])
    return {
        "country": code,
        "country_name": socialmap.country_name(code, lang) if code else None,
        "needs": service_labels(needs, lang),
        "hint": t(HINT if code else HINT_NO_COUNTRY),
        "more": view.get("more", 0),
        # all in her country (as many as "N more" says), and those offering all her needs
        "link": search_link(lang, code) if code else None,
        "link_needs": search_link(lang, code, needs) if code and needs else None,
        "organisations": [
            {
                **o,
                "kind_label": _pick(socialmap.KIND_LABELS[o["kind"]], lang),
                "place": place(o, lang, t),
                # with no needs recorded yet, what it offers at all
                "offers_labels": service_labels(o["offers"] if needs else o["services"], lang),
                "lacks_labels": service_labels(o["lacks"], lang),
            }
            for o in view.get("organisations", [])
        ],
    }
