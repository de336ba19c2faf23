"""Answers as words: a field's value as a reader of the printed form reads it, in English or
Dutch. Closed lists (the documents' `Literal` types) become words, never ids; an empty answer
stays visible as "not answered", so the reader sees the question was asked."""

from __future__ import annotations

import re
import types
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from engine.i18n import translate
from engine.socialmap import SERVICE_LABELS

# Each closed list, keyed by its values in order, with (en, nl) per value.
_Vocab = dict[str, tuple[str, str]]
VOCABULARIES: dict[frozenset[str], _Vocab] = {}


def _vocab(words: _Vocab) -> None:
    VOCABULARIES[frozenset(words)] = words


_vocab({"yes": ("yes", "ja"), "no": ("no", "nee"), "unknown": ("unknown", "onbekend")})
_vocab({"work": ("work", "werk"), "housing": ("housing", "wonen"), "other": ("other", "anders")})
_vocab({
    "money": ("money", "geld"),
    "facilities": ("facilities", "faciliteiten"),
    "training": ("training", "opleiding"),
    "time": ("time", "tijd"),
    "reality_check": ("checking it is realistic", "controleren of het realistisch is"),
    "other": ("other", "anders"),
})  # fmt: skip
_vocab({
    "family": ("Family", "Familie"),
    "friends": ("Friends", "Vrienden"),
    "organisation": ("Organisations", "Organisaties"),
    "faith_community": ("Faith communities", "Geloofsgenootschappen"),
    "online_group": ("Internet groups, social media, chat pages",
                     "Internetgroepen/social media/chatpagina's"),
    "return_or_partner_organisation": (
        "Organisations supporting (the preparation of) the return in the Netherlands and "
        "partner organisations in the country of origin",
        "Organisaties voor ondersteuning bij (de voorbereiding van) terugkeer in Nederland en "
        "partner organisaties in het land van herkomst",
    ),
    "other": ("Other", "Anders"),
})  # fmt: skip
_vocab({
    "netherlands": ("in the Netherlands", "in Nederland"),
    "country_of_origin": ("in the country of origin", "in het land van herkomst"),
})  # fmt: skip
_vocab({
    "arranged": ("yes, arranged", "ja, geregeld"),
    "contacted": ("a school has been contacted", "er is contact gelegd met een school"),
    "not_yet": ("not yet", "nog niet"),
})  # fmt: skip
_vocab({
    "partner_organisation": ("the partner organisation", "de partnerorganisatie"),
    "return_organisation": ("a return organisation", "een terugkeerorganisatie"),
    "iom": ("IOM", "IOM"),
    "local_ngo": ("local NGOs", "lokale NGO's"),
    "human_rights_reports": ("human rights reports", "mensenrechtenrapporten"),
    "family_or_network": ("family or network", "familie of netwerk"),
    "media": ("media", "media"),
    "other": ("other", "anders"),
})  # fmt: skip
_vocab({
    "shame": ("shame", "schaamte"),
    "fear_of_losing_face": ("fear of losing face", "angst voor gezichtsverlies"),
    "guilt": ("guilt", "schuldgevoel"),
    "fear": ("fear", "angst"),
    "other": ("other", "anders"),
})  # fmt: skip
_vocab({
    "client": ("the client", "de cliënt"),
    "counsellor": ("the counsellor", "de hulpverlener"),
    "client_and_counsellor": ("the client and the counsellor", "de cliënt en de hulpverlener"),
    "shelter": ("the shelter", "de opvang"),
    "partner_organisation": ("the partner organisation", "de partnerorganisatie"),
    "return_organisation": ("a return organisation", "een terugkeerorganisatie"),
    "iom": ("IOM", "IOM"),
    "lawyer": ("a lawyer", "een advocaat"),
    "police": ("the police", "de politie"),
    "family_or_network": ("family or network", "familie of netwerk"),
    "other": ("other", "anders"),
})  # fmt: skip
_vocab({code: (en, translate(en, "nl")) for code, en in SERVICE_LABELS.items()})
_vocab({
    "travel_document": ("travel document (laissez-passer)", "reisdocument (laissez-passer)"),
    "flight": ("flight", "vlucht"),
    "housing": ("housing", "wonen"),
    "work": ("work", "werk"),
    "luggage": ("luggage", "bagage"),
    "medical_transfer": ("medical hand-over", "medische overdracht"),
    "money_transfer": ("money transfer", "geldoverdracht"),
    "other": ("other", "anders"),
})  # fmt: skip
_vocab({
    "phone": ("by phone", "telefonisch"),
    "text_message": ("by text message", "per sms/bericht"),
    "email": ("by e-mail", "per e-mail"),
    "via_partner": ("through the partner organisation", "via de partnerorganisatie"),
    "other": ("otherwise", "anders"),
})  # fmt: skip
_vocab({
    "one_month": ("after one month", "na een maand"),
    "six_months": ("after six months", "na zes maanden"),
    "twelve_months": ("after twelve months", "na twaalf maanden"),
    "other": ("other", "anders"),
})  # fmt: skip
_vocab({
    "organisation": ("our organisation (in the Netherlands)", "onze organisatie (in Nederland)"),
    "partner": ("the partner organisation", "de partnerorganisatie"),
    "both": ("both", "beide"),
})  # fmt: skip
_vocab({
    "none": ("none", "geen"),
    "low": ("low", "laag"),
    "medium": ("medium", "gemiddeld"),
    "high": ("high", "hoog"),
})  # fmt: skip
_vocab({
    "religious": ("religious", "religieus"),
    "social": ("social", "sociaal"),
    "cultural": ("cultural", "cultureel"),
})  # fmt: skip
# The health checklist (Bijlage 6)
_vocab({
    "doctor_in_country": ("a doctor in the country of origin", "een arts in het land van herkomst"),
    "partner_organisation": ("the partner organisation", "de partnerorganisatie"),
    "iom": ("IOM", "IOM"),
    "return_organisation": ("a return organisation", "een terugkeerorganisatie"),
    "healthnet_tpo": ("HealthNet TPO", "HealthNet TPO"),
    "health_authority": ("a health authority", "een gezondheidsautoriteit"),
    "treating_doctor_nl": ("the treating doctor in the Netherlands",
                           "de behandelend arts in Nederland"),
    "other": ("other", "anders"),
})  # fmt: skip
_vocab({"capable": ("capable of deciding", "beslissingsbekwaam"),
        "not_capable": ("not capable of deciding", "niet beslissingsbekwaam")})  # fmt: skip
_vocab({"psychiatrist": ("a psychiatrist", "een psychiater"), "doctor": ("a doctor", "een arts")})
_vocab({
    "arranged": ("yes, arranged", "ja, geregeld"),
    "not_arranged": ("not arranged", "niet geregeld"),
    "not_needed": ("not needed", "niet nodig"),
})  # fmt: skip
_vocab({"needed": ("needed", "noodzakelijk"), "not_needed": ("not needed", "niet nodig")})

EMPTY = {"en": "— not answered", "nl": "— niet beantwoord"}
YES_NO = {True: ("yes", "ja"), False: ("no", "nee")}
REDACTED = "[…]"


@dataclass(frozen=True)
class Shown:
    """An answer as printed: its words, and whether the question was left unanswered."""

    text: str
    empty: bool = False

    def __str__(self) -> str:
        return self.text


def literal_of(annotation: Any) -> frozenset[str] | None:
    """The values of the closed list in a field's type (`Answer | None`, `list[Service]`)."""
    if get_origin(annotation) is Literal:
        return frozenset(str(v) for v in get_args(annotation))
    if get_origin(annotation) in (Union, types.UnionType, list):
        for inner in get_args(annotation):
            found = literal_of(inner)
            if found is not None:
                return found
    return None


class Answers:
    """Turns a part's fields into printed answers in one language. In an export that is not
    the client's own copy, `redact` (her reference) is blanked out of free text."""

    def __init__(self, lang: str, redact: str | None = None) -> None:
        self.lang = lang
        self._index = 0 if lang == "en" else 1
        self._redact = re.compile(re.escape(redact), re.IGNORECASE) if redact is not None else None

    def __call__(self, part: BaseModel | None, field: str) -> Shown:
        """The answer to `field` of `part`; a part not filled in answers nothing."""
        if part is None:
            return self.empty()
        value = getattr(part, field)
        vocab = literal_of(type(part).model_fields[field].annotation)
        if value is None or value == []:
            return self.empty()
        items = value if isinstance(value, list) else [value]
        return Shown(", ".join(self._word(item, vocab) for item in items))

    def empty(self) -> Shown:
        return Shown(EMPTY[self.lang], empty=True)

    def words(self, en: str, nl: str) -> str:
        """The form's own text in the export's language."""
        return en if self.lang == "en" else nl

    def _word(self, value: Any, vocab: frozenset[str] | None) -> str:
        if isinstance(value, bool):
            return YES_NO[value][self._index]
        if isinstance(value, date):
            return value.isoformat()
        if vocab is not None:
            return VOCABULARIES[vocab][str(value)][self._index]
        text = str(value)
        return self._redact.sub(REDACTED, text) if self._redact is not None else text
