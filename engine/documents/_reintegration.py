"""Re-integration documents the partner organisation records in the country of origin
(chapter 7, L3426-3860): the agreement that ends step 1, the legal questions of step 2 and the
plan to strengthen resources of step 5. Steps 3 and 4 reuse the strengths inventory and the
action plan; step 6 the monitoring contact and its reports (`contact`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import ClassVar, Literal, Self, get_args

from pydantic import Field, model_validator

from engine.documents._base import Document, Part, within
from engine.documents._dates import MADE, PLANNED
from engine.documents._fields import MANY, Label, Note, Role
from engine.i18n import N_, Message, _

FirstNeed = Literal[
    "safety",
    "health",
    "hospital_treatment",
    "mental_wellbeing",
    "emergency_needs",
    "legal_procedures",
    "near_future_plans",
    "family_relations",
    "livelihood",
]
"""The first needs the inventory of step 1 looks at (L3538-3559)."""
_FIRST_NEEDS: tuple[str, ...] = get_args(FirstNeed)
NEED_WORDS: Mapping[str, str] = {
    "safety": N_("her safety"),
    "health": N_("her health"),
    "hospital_treatment": N_("whether she has an illness that needs hospital treatment"),
    "mental_wellbeing": N_("her mental and emotional wellbeing"),
    "emergency_needs": N_("first emergency needs such as shelter, food and medicines"),
    "legal_procedures": N_("(ongoing) legal procedures"),
    "near_future_plans": N_("plans for the near future"),
    "family_relations": N_("whether she has family relations"),
    "livelihood": N_("the means of livelihood available, including an income"),
}
"""Each first need in words, as the book lists them (L3540-3558)."""


class NextStep(Part):
    """One agreed next step: what, who does it, by when (L3562-3563)."""

    what: Label = Field(description="What will be done (no names).")
    who: Role = Field(description="Who does it, as a role.")
    by: date = Field(json_schema_extra=PLANNED, description="By when.")


class ReintAgreement(Document):
    """Re-integration step 1 "Aandacht voor veiligheid en eerste levensbehoeften"
    (L3529-3567): the inventory of first needs ends in an agreement with the client on the
    first next steps and a safety plan; if she wants no further help she always gets the
    organisation's contact details, for later and for emergencies (L3566-3567)."""

    kind: ClassVar[str] = "reint_agreement"

    agreed_on: date = Field(json_schema_extra=MADE, description="The day of the agreement.")
    needs_discussed: list[FirstNeed] = Field(
        max_length=len(_FIRST_NEEDS),
        default=[],
        description="The first needs looked at together with her (L3538-3559).",
    )
    further_help_wanted: bool = Field(
        description="She wants the organisation's further help with her re-integration."
    )
    next_steps: list[NextStep] = Field(
        max_length=MANY, default=[], description="The first next steps agreed (with help)."
    )
    safety_plan_agreed: bool = Field(
        default=False,
        description="A safety plan is agreed with her, based on the updated risk analysis "
        "where she consented (L3562-3563, L3569-3573).",
    )
    expectations_explained: bool = Field(
        default=False,
        description="She knows what to expect from the organisation and what it expects of "
        "her, or, referred on, what was passed on with her consent (L3563-3566).",
    )
    contact_details_given: bool = Field(
        default=False,
        description="She has the organisation's contact details, for later and for "
        "emergencies (always when she wants no further help, L3566-3567).",
    )
    note: Note | None = Field(default=None, description="No names, phone numbers or addresses.")

    def gaps(self) -> list[str]:
        found = [
            _(
                "needs_discussed: {need} has not been looked at yet (L3538-3559)",
                need=Message(NEED_WORDS[need]),
            )
            for need in _FIRST_NEEDS
            if need not in self.needs_discussed
        ]
        if self.further_help_wanted:
            if not self.next_steps:
                found.append(_("next_steps: no next step is agreed yet (L3562)"))
            if not self.safety_plan_agreed:
                found.append(_("safety_plan_agreed: no safety plan is agreed yet (L3562)"))
            if not self.expectations_explained:
                found.append(
                    _("expectations_explained: she has not been told yet what to expect (L3563)")
                )
        elif not self.contact_details_given:
            found.append(
                _(
                    "contact_details_given: she wants no further help, so she must get the "
                    "organisation's contact details (L3566-3567)"
                )
            )
        return within(self.kind, found)

    @classmethod
    def example(cls) -> Self:
        return cls(
            agreed_on=date(2024, 9, 10),
            needs_discussed=list(_FIRST_NEEDS),
            further_help_wanted=True,
            next_steps=[
                NextStep(
                    what=N_("Shelter place for the first weeks"),
                    who="partner_organisation",
                    by=date(2024, 9, 17),
                )
            ],
            safety_plan_agreed=True,
            expectations_explained=True,
            contact_details_given=True,
        )


LegalTopic = Literal[
    # victims of trafficking (L3600-3632)
    "victim_status_rights",
    "reflection_period",
    "where_to_report",
    "free_legal_advice",
    "free_legal_representation",
    "procedure_after_report",
    "protection_as_witness",
    "measures_against_offenders",
    "compensation",
    "help_with_forms",
    # victims of domestic violence (L3634-3651)
    "domestic_violence_rights",
    "restraining_order",
    "safe_shelter_during_procedure",
    "custody_and_guardianship",
    "child_protection",
]
_TRAFFICKING: tuple[str, ...] = get_args(LegalTopic)[:10]
_VIOLENCE: tuple[str, ...] = (
    "domestic_violence_rights",
    "where_to_report",
    "restraining_order",
    "safe_shelter_during_procedure",
    "free_legal_advice",
    "custody_and_guardianship",
    "child_protection",
)
TOPIC_WORDS: Mapping[str, str] = {
    "victim_status_rights": N_("the rights and options that come with the status of victim"),
    "reflection_period": N_("a right to a reflection period, and how long it lasts"),
    "where_to_report": N_("where and how she can report the crime"),
    "free_legal_advice": N_("free legal advice"),
    "free_legal_representation": N_("free legal representation, and how to apply for it"),
    "procedure_after_report": N_("what follows when she reports the crime or acts as a witness"),
    "protection_as_witness": N_("her rights to protection when she reports or testifies"),
    "measures_against_offenders": N_("the legal measures against the offenders"),
    "compensation": N_("the right to compensation and how to claim it"),
    "help_with_forms": N_("help with filling in forms and documents"),
    "domestic_violence_rights": N_(
        "how domestic violence is defined in the country and the rights of its victims"
    ),
    "restraining_order": N_("a restraining or contact order, also for the children"),
    "safe_shelter_during_procedure": N_("a right to safe shelter during the procedure"),
    "custody_and_guardianship": N_("parental authority, guardianship and the family home"),
    "child_protection": N_("protection of the children if they are in danger"),
}
"""Each legal question in words, as the book asks them (L3600-3651)."""
LegalStatus = Literal["explained", "in_progress", "not_applicable"]


class LegalQuestion(Part):
    """One legal question and where it stands for her."""

    topic: LegalTopic = Field(description="The question (L3600-3651).")
    status: LegalStatus = Field(
        description="explained to her; being sorted out; not applicable to her."
    )
    note: Note | None = Field(default=None, description="No names or case numbers.")


class LegalQuestions(Document):
    """Re-integration step 2 "Juridische zaken" (L3579-3660): her rights and the procedures
    in the country of origin, for victims of trafficking (L3600-3632) or of domestic violence
    (L3634-3651), explained clearly, simply and in a language she understands (L3657-3660)."""

    kind: ClassVar[str] = "legal_questions"

    reviewed_on: date = Field(json_schema_extra=MADE, description="The day they were gone over.")
    for_victim_of: Literal["trafficking", "domestic_violence", "both"] = Field(
        description="Which list of questions applies to her."
    )
    questions: list[LegalQuestion] = Field(
        max_length=MANY, default=[], description="The questions gone over, one per topic."
    )
    explained_in_her_language: bool = Field(
        default=False,
        description="Explained clearly, simply and concretely, in a language she understands "
        "(L3657-3660).",
    )

    @model_validator(mode="after")
    def _each_topic_once(self) -> Self:
        topics = [q.topic for q in self.questions]
        if len(topics) != len(set(topics)):
            raise ValueError(_("questions: each topic at most once"))
        return self

    def gaps(self) -> list[str]:
        wanted: tuple[str, ...] = ()
        if self.for_victim_of in ("trafficking", "both"):
            wanted += _TRAFFICKING
        if self.for_victim_of in ("domestic_violence", "both"):
            wanted += tuple(t for t in _VIOLENCE if t not in wanted)
        answered = {q.topic for q in self.questions}
        found = [
            _("questions: {topic} is not gone over yet", topic=Message(TOPIC_WORDS[t]))
            for t in wanted
            if t not in answered
        ]
        if not self.explained_in_her_language:
            found.append(
                _("explained_in_her_language: not yet explained in a language she understands")
            )
        return within(self.kind, found)

    @classmethod
    def example(cls) -> Self:
        return cls(
            reviewed_on=date(2024, 10, 1),
            for_victim_of="trafficking",
            questions=[LegalQuestion(topic=t, status="explained") for t in _TRAFFICKING],
            explained_in_her_language=True,
        )


ResourceKind = Literal["inner", "socio_economic", "relational", "institutional"]
_RESOURCE_KINDS: tuple[str, ...] = get_args(ResourceKind)
RESOURCE_WORDS: Mapping[str, str] = {
    "inner": N_("inner"),
    "socio_economic": N_("socio-economic"),
    "relational": N_("relational"),
    "institutional": N_("institutional"),
}
"""Each kind of resource in words (L3814-3822)."""


class ResourceAction(Part):
    """One way a resource of hers is strengthened."""

    resource: ResourceKind = Field(
        description="inner (personal, social skills); socio_economic (e.g. skills for work); "
        "relational (a supportive network); institutional."
    )
    action: Label = Field(description="What is done (no names).")
    who: Role = Field(description="Who does it, as a role.")
    status: Literal["planned", "started", "done"] = Field(
        default="planned", description="Where the action stands."
    )


class ResourcesPlan(Document):
    """Re-integration step 5 "Versterken van persoonlijke en sociale hulpbronnen"
    (L3801-3831): the inner, socio-economic, relational and institutional resources linked
    to her wishes; each kind is strengthened or she and the partner agreed it needs nothing
    now. The fewer resources, the greater the risk of being victimised again (L3808-3809)."""

    kind: ClassVar[str] = "resources_plan"

    made_on: date = Field(json_schema_extra=MADE, description="The day it was made or updated.")
    actions: list[ResourceAction] = Field(
        max_length=MANY, default=[], description="How each kind of resource is strengthened."
    )
    nothing_needed: list[ResourceKind] = Field(
        max_length=len(_RESOURCE_KINDS),
        default=[],
        description="Kinds of resource that need no strengthening now, as agreed with her.",
    )
    autonomy_and_safety: Note | None = Field(
        default=None, description="How her sense of autonomy and safety grows (L3826)."
    )

    def gaps(self) -> list[str]:
        covered = {a.resource for a in self.actions} | set(self.nothing_needed)
        return within(
            self.kind,
            [
                _(
                    "actions: nothing is planned yet for her {resource} resources "
                    "(or list them in nothing_needed)",
                    resource=Message(RESOURCE_WORDS[r]),
                )
                for r in _RESOURCE_KINDS
                if r not in covered
            ],
        )

    @classmethod
    def example(cls) -> Self:
        return cls(
            made_on=date(2024, 12, 1),
            actions=[
                ResourceAction(resource=kind, action=action, who=who)
                for kind, action, who in (
                    ("inner", N_("Peer support group"), "partner_organisation"),
                    ("socio_economic", N_("Tailoring course"), "partner_organisation"),
                    ("relational", N_("Rebuild contact with her sister"), "client"),
                    ("institutional", N_("Register at the health centre"), "client_and_counsellor"),
                )
            ],
        )
