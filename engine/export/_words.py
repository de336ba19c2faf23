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

from engine.i18n import N_, translate
from engine.socialmap import SERVICE_LABELS

# Each closed list, keyed by its values in order, with its English words (the catalogs'
# msgids: `engine.i18n.translate` gives them in the export's language).
_Vocab = dict[str, str]
VOCABULARIES: dict[frozenset[str], _Vocab] = {}


def _vocab(words: _Vocab) -> None:
    VOCABULARIES[frozenset(words)] = words


_vocab({"yes": N_("yes"), "no": N_("no"), "unknown": N_("unknown")})
_vocab({"work": N_("work"), "housing": N_("housing"), "other": N_("other")})
_vocab({
    "money": N_("money"),
    "facilities": N_("facilities"),
    "training": N_("training"),
    "time": N_("time"),
    "reality_check": N_("checking it is realistic"),
    "other": N_("other"),
})  # fmt: skip
_vocab({
    "family": N_("Family"),
    "friends": N_("Friends"),
    "organisation": N_("Organisations"),
    "faith_community": N_("Faith communities"),
    "online_group": N_("Internet groups, social media, chat pages"),
    "return_or_partner_organisation": N_(
        "Organisations supporting (the preparation of) the return in the Netherlands and "
        "partner organisations in the country of origin"
    ),
    "other": N_("Other"),
})  # fmt: skip
_vocab({
    "netherlands": N_("in the Netherlands"),
    "country_of_origin": N_("in the country of origin"),
})  # fmt: skip
_vocab({
    "arranged": N_("yes, arranged"),
    "contacted": N_("a school has been contacted"),
    "not_yet": N_("not yet"),
})  # fmt: skip
_vocab({
    "partner_organisation": N_("the partner organisation"),
    "return_organisation": N_("a return organisation"),
    "iom": N_("IOM"),
    "local_ngo": N_("local NGOs"),
    "human_rights_reports": N_("human rights reports"),
    "family_or_network": N_("family or network"),
    "media": N_("media"),
    "other": N_("other"),
})  # fmt: skip
_vocab({
    "shame": N_("shame"),
    "fear_of_losing_face": N_("fear of losing face"),
    "guilt": N_("guilt"),
    "fear": N_("fear"),
    "other": N_("other"),
})  # fmt: skip
_vocab({
    "client": N_("the client"),
    "counsellor": N_("the counsellor"),
    "client_and_counsellor": N_("the client and the counsellor"),
    "shelter": N_("the shelter"),
    "partner_organisation": N_("the partner organisation"),
    "return_organisation": N_("a return organisation"),
    "iom": N_("IOM"),
    "lawyer": N_("a lawyer"),
    "police": N_("the police"),
    "family_or_network": N_("family or network"),
    "other": N_("other"),
})  # fmt: skip
_vocab(SERVICE_LABELS)
_vocab({
    "travel_document": N_("travel document (laissez-passer)"),
    "flight": N_("flight"),
    "housing": N_("housing"),
    "work": N_("work"),
    "luggage": N_("luggage"),
    "medical_transfer": N_("medical hand-over"),
    "money_transfer": N_("money transfer"),
    "other": N_("other"),
})  # fmt: skip
_vocab({
    "phone": N_("by phone"),
    "text_message": N_("by text message"),
    "email": N_("by e-mail"),
    "via_partner": N_("through the partner organisation"),
    "other": N_("otherwise"),
})  # fmt: skip
_vocab({
    "one_month": N_("after one month"),
    "six_months": N_("after six months"),
    "twelve_months": N_("after twelve months"),
    "other": N_("other"),
})  # fmt: skip
_vocab({
    "organisation": N_("our organisation (in the Netherlands)"),
    "partner": N_("the partner organisation"),
    "both": N_("both"),
})  # fmt: skip
_vocab({
    "none": N_("none"),
    "low": N_("low"),
    "medium": N_("medium"),
    "high": N_("high"),
})  # fmt: skip
_vocab({
    "religious": N_("religious"),
    "social": N_("social"),
    "cultural": N_("cultural"),
})  # fmt: skip
# The health checklist (Bijlage 6)
_vocab({
    "doctor_in_country": N_("a doctor in the country of origin"),
    "partner_organisation": N_("the partner organisation"),
    "iom": N_("IOM"),
    "return_organisation": N_("a return organisation"),
    "healthnet_tpo": N_("HealthNet TPO"),
    "health_authority": N_("a health authority"),
    "treating_doctor_nl": N_("the treating doctor in the Netherlands"),
    "other": N_("other"),
})  # fmt: skip
_vocab({"capable": N_("capable of deciding"),
        "not_capable": N_("not capable of deciding")})  # fmt: skip
_vocab({"psychiatrist": N_("a psychiatrist"), "doctor": N_("a doctor")})
_vocab({
    "arranged": N_("yes, arranged"),
    "not_arranged": N_("not arranged"),
    "not_needed": N_("not needed"),
})  # fmt: skip
_vocab({"needed": N_("needed"), "not_needed": N_("not needed")})
# The other closed lists, for a document read on the screen (`_reading`).
_vocab({
    "accommodation": N_("accommodation"),
    "phone_and_social_media": N_("phone and social media"),
    "money_and_banking": N_("money and banking"),
    "movement_outside": N_("going out"),
    "contact_with_perpetrators": N_("contact with perpetrators"),
    "children": N_("children"),
    "family_and_network": N_("family and network"),
    "health": N_("health"),
    "other": N_("other"),
})  # fmt: skip
_vocab({"dutch": N_("Dutch"), "eu": N_("EU citizen"), "third_country": N_("from outside the EU")})
_vocab({"open": N_("open"), "done": N_("done"), "dropped": N_("dropped")})
_vocab({"report": N_("will report"), "no_report": N_("will not report"),
        "undecided": N_("undecided")})  # fmt: skip
_vocab({"apply": N_("will apply"), "no_apply": N_("will not apply"),
        "undecided": N_("undecided")})  # fmt: skip
_vocab({"ind_decision": N_("a decision of the IND"), "change": N_("a change in her situation"),
        "periodic": N_("the periodic evaluation")})  # fmt: skip
_vocab({"object": N_("object"), "appeal": N_("appeal"), "no": N_("no"),
        "undecided": N_("undecided")})  # fmt: skip
_vocab({"made": N_("made"), "not_applicable": N_("not applicable")})
_vocab({"arranged": N_("yes, arranged"), "not_needed": N_("not needed")})
_vocab({"agreed": N_("agreed"), "declined": N_("declined")})
_vocab({"organisation": N_("this organisation"), "partner": N_("the partner organisation")})
_vocab({"ok": N_("ok"), "concerns": N_("concerns"), "no_contact": N_("no contact")})
_vocab({"in_kind": N_("in kind"), "cash": N_("cash"), "mixed": N_("partly in kind, partly cash")})
_vocab({
    "iom_rean": N_("IOM (REAN)"),
    "iom_additional": N_("IOM, additional support"),
    "return_organisation": N_("a return organisation"),
    "shelter_project": N_("a project of the shelter"),
    "other": N_("other"),
})  # fmt: skip
_vocab({
    "training_course": N_("a training or course"),
    "business_start": N_("starting a business"),
    "housing": N_("housing"),
    "medical_care": N_("medical care"),
    "schooling_children": N_("schooling of the children"),
    "departure_preparation": N_("preparing the departure"),
    "other": N_("other"),
})  # fmt: skip
_vocab({"trafficking": N_("human trafficking"), "domestic_violence": N_("domestic violence"),
        "both": N_("both")})  # fmt: skip
_vocab({"explained": N_("explained"), "in_progress": N_("in progress"),
        "not_applicable": N_("not applicable")})  # fmt: skip
_vocab({"planned": N_("planned"), "started": N_("started"), "done": N_("done")})
_vocab({"not_applicable": N_("not applicable"), "no_answer": N_("no answer")})
_vocab({"iom": N_("IOM"), "other_return_organisation": N_("another return organisation"),
        "partner_organisation": N_("the partner organisation")})  # fmt: skip
_vocab({
    "safety": N_("safety"),
    "protection_from_violence": N_("protection from violence"),
    "children_parenting": N_("children and parenting"),
    "housing": N_("housing"),
    "work_income_education": N_("work, income and education"),
    "feeling_at_home": N_("feeling at home"),
    "family_network": N_("family and network"),
    "health_care": N_("health care"),
    "social_position": N_("social position"),
    "social_norm": N_("social norm"),
})  # fmt: skip
_vocab({
    "reflection_period_b8_3": N_("reflection period (B8/3)"),
    "b8_3_permit": N_("B8/3 residence permit"),
    "non_temporary_humanitarian_application": N_(
        "application for a non-temporary humanitarian permit"
    ),
    "dependent_permit": N_("permit dependent on her partner"),
    "undocumented": N_("without papers"),
    "other": N_("other"),
})  # fmt: skip
# The re-integration lists, in the words the partner's forms use (engine/pages/_partner_forms).
_vocab({
    "safety": N_("safety"),
    "health": N_("health"),
    "hospital_treatment": N_("hospital treatment"),
    "mental_wellbeing": N_("mental wellbeing"),
    "emergency_needs": N_("emergency needs"),
    "legal_procedures": N_("legal procedures"),
    "near_future_plans": N_("plans for the near future"),
    "family_relations": N_("family relations"),
    "livelihood": N_("livelihood"),
})  # fmt: skip
_vocab({
    "victim_status_rights": N_("rights as a victim"),
    "reflection_period": N_("reflection period"),
    "where_to_report": N_("where to report"),
    "free_legal_advice": N_("free legal advice"),
    "free_legal_representation": N_("free legal representation"),
    "procedure_after_report": N_("the procedure after a police report"),
    "protection_as_witness": N_("protection as a witness"),
    "measures_against_offenders": N_("measures against offenders"),
    "compensation": N_("compensation"),
    "help_with_forms": N_("help with forms"),
    "domestic_violence_rights": N_("rights of victims of domestic violence"),
    "restraining_order": N_("restraining order"),
    "safe_shelter_during_procedure": N_("safe shelter during the procedure"),
    "custody_and_guardianship": N_("custody and guardianship"),
    "child_protection": N_("child protection"),
})  # fmt: skip
_vocab({
    "inner": N_("inner"),
    "socio_economic": N_("socio-economic"),
    "relational": N_("relational"),
    "institutional": N_("institutional"),
})  # fmt: skip
_vocab({
    "safety": N_("safety"),
    "housing_daily_life": N_("housing and daily life"),
    "finances": N_("finances"),
    "children_parenting": N_("children and parenting"),
    "ex_partner": N_("the ex-partner"),
    "social_relations": N_("social relations"),
    "work_learning": N_("work and learning"),
    "leisure": N_("leisure"),
    "health_self_care": N_("health and self-care"),
    "meaning": N_("meaning in life"),
})  # fmt: skip
_vocab({
    "on_track": N_("on track"),
    "partly_on_track": N_("partly on track"),
    "stalled": N_("stalled"),
    "ended": N_("ended"),
})  # fmt: skip
_vocab({
    "as_agreed": N_("as agreed"),
    "partly_as_agreed": N_("partly as agreed"),
    "not_as_agreed": N_("not as agreed"),
    "not_used_yet": N_("not used yet"),
    "no_funds": N_("no funds"),
})  # fmt: skip

EMPTY = N_("— not answered")
YES_NO = {True: N_("yes"), False: N_("no")}
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
        return Shown(translate(EMPTY, self.lang), empty=True)

    def _word(self, value: Any, vocab: frozenset[str] | None) -> str:
        if isinstance(value, bool):
            return translate(YES_NO[value], self.lang)
        if isinstance(value, date):
            return value.isoformat()
        if vocab is not None:
            return translate(VOCABULARIES[vocab][str(value)], self.lang)
        text = str(value)
        return self._redact.sub(REDACTED, text) if self._redact is not None else text
