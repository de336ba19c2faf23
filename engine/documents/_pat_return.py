"""Sections of the personal return action plan about safety and the return itself (Bijlage 5
sections 5 and 10-13, L4319-4346 and L4398-4440; explained in step 10, L3156-3290)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal, Self

from pydantic import Field, model_validator

from engine.documents._base import Part, unanswered
from engine.documents._dates import PLANNED
from engine.documents._fields import CHOICES, MANY, Answer, Label, Note, Role, Service
from engine.i18n import N_, _


class Safety(Part):
    """Section 5, safety: the client's worries about her safety on return and what can make her
    feel safer (L4319-4346, L3156-3187). May serve as the updated risk analysis of step 11 when
    it gives enough information (L3296-3367)."""

    QUESTIONS: ClassVar[tuple[str, ...]] = (
        "worried_about_safety",
        "family_involved",
        "family_threatened",
        "perpetrators_know_of_return",
        "fears_stigma",
        "fears_revictimisation",
        "contact_with_origin_organisation",
    )

    worried_about_safety: Answer | None = Field(
        default=None,
        description="Is she worried about her safety, or her children's or family's, on return?",
    )
    worries: Note | None = Field(
        default=None, description="What she is worried about, briefly; no names."
    )
    family_involved: Answer | None = Field(
        default=None, description="Was her family involved in the trafficking or the violence?"
    )
    family_threatened: Answer | None = Field(
        default=None, description="Has her family been threatened; does she fear it (again)?"
    )
    perpetrators_know_of_return: Answer | None = Field(
        default=None,
        description="Does she think the traffickers know of her return and where she will stay?",
    )
    fears_stigma: Answer | None = Field(
        default=None,
        description="Does she fear trouble because of religious or social views on single "
        "mothers, domestic violence or prostitution?",
    )
    fears_revictimisation: Answer | None = Field(
        default=None,
        description="Does she fear becoming a victim of trafficking or domestic violence again?",
    )
    needs_to_feel_safer: Note | None = Field(
        default=None, description="What she needs to feel safer, and what she can do herself."
    )
    supporters: list[Role] = Field(
        max_length=CHOICES, default=[], description="Who can support her (roles, not names)."
    )
    contact_with_origin_organisation: bool | None = Field(
        default=None,
        description="Has she had contact with an organisation in the country of origin that "
        "can help her?",
    )
    origin_organisation_help: list[Service] = Field(
        max_length=CHOICES, default=[], description="What help that organisation can give her."
    )
    wants_contact: bool | None = Field(
        default=None,
        description="Without contact so far: does she want contact with such an organisation?",
    )
    risk_section_sufficient_for_update: bool = Field(
        default=False,
        description="This section gives enough information to serve as the updated risk "
        "analysis of step 11 (L3363-3367); all its questions must be answered.",
    )

    @model_validator(mode="after")
    def _sufficient_only_when_answered(self) -> Self:
        if self.risk_section_sufficient_for_update and unanswered(self, self.QUESTIONS):
            raise ValueError(
                _("risk_section_sufficient_for_update needs every safety question answered")
            )
        return self

    def gaps(self) -> list[str]:
        return unanswered(self, self.QUESTIONS)


PracticalTaskKind = Literal[
    "travel_document",
    "flight",
    "housing",
    "work",
    "luggage",
    "medical_transfer",
    "money_transfer",
    "other",
]


class PracticalTask(Part):
    """A practical matter to arrange before departure, and who does it."""

    task: PracticalTaskKind = Field(description="What has to be arranged.")
    by: Role = Field(description="Who arranges it (a role, not a name).")
    done: bool = Field(default=False, description="It has been arranged.")


class PracticalMatters(Part):
    """Section 10, practical matters: travel document (laissez-passer), housing, work, flight
    (L4398-4401, L3254-3260)."""

    tasks: list[PracticalTask] = Field(
        max_length=MANY, min_length=1, description="The practical matters and who arranges them."
    )


class InvolvedOrganisation(Part):
    """An organisation involved in the return and what it is responsible for."""

    organisation: Label = Field(description="The organisation's name; never a person.")
    responsible_for: Label = Field(description="What it is responsible for.")


class Organisations(Part):
    """Section 11, organisations involved and hand-over (L4402-4417, L3261-3278). The central
    contact person is agreed as a role at each organisation (L2984-2988, L3265-3267)."""

    partner_organisation: Label | None = Field(
        default=None,
        description="The organisation in the country of origin that will support her, if any.",
    )
    partner_contact_role: Label | None = Field(
        default=None,
        description="Her contact person at that organisation, as a role (e.g. case manager); "
        "never a name.",
    )
    agreements: Note | None = Field(
        default=None, description="The concrete agreements made with that organisation."
    )
    wants_support_after_return: bool = Field(
        description="She wants to be supported after her return."
    )
    support_areas: list[Service] = Field(
        max_length=CHOICES, default=[], description="In which areas she wants support."
    )
    involved: list[InvolvedOrganisation] = Field(
        max_length=MANY,
        default=[],
        description="The organisations involved and what each is responsible for.",
    )
    handover: Note | None = Field(
        default=None,
        description="How the hand-over between organisations goes and her own role in it.",
    )

    def gaps(self) -> list[str]:
        if self.partner_organisation is None or self.partner_contact_role is not None:
            return []
        return [
            _(
                "partner_contact_role: no contact person (role) at the partner organisation "
                "is agreed yet"
            )
        ]


ArrivalNotice = Literal["phone", "text_message", "email", "via_partner", "other"]
Moment = Literal["one_month", "six_months", "twelve_months", "other"]
Monitor = Literal["organisation", "partner", "both"]


class Monitoring(Part):
    """Section 12, monitoring after return (L4418-4424, L3279-3287): how she lets us know she
    arrived, and whether, how long and when she may be contacted."""

    arrival_notice: ArrivalNotice | None = Field(
        default=None, description="How she lets us know she has arrived."
    )
    client_agrees_to_monitoring: bool = Field(
        description="She agrees to being contacted after her return to see how she is doing."
    )
    moments: list[Moment] = Field(
        max_length=MANY, default=[], description="When she will be contacted, if she agrees."
    )
    monitored_by: Monitor | None = Field(
        default=None, description="Who contacts her: this organisation, the partner, or both."
    )

    @model_validator(mode="after")
    def _only_with_agreement(self) -> Self:
        if not self.client_agrees_to_monitoring and (self.moments or self.monitored_by):
            raise ValueError(
                _("moments and monitored_by can only be set when client_agrees_to_monitoring")
            )
        return self

    def gaps(self) -> list[str]:
        found = unanswered(self, ["arrival_notice"], N_("not agreed yet"))
        if self.client_agrees_to_monitoring:
            found += unanswered(self, ["monitored_by"], N_("not agreed yet"))
            if not self.moments:
                found.append(_("moments: the client agreed to monitoring but no moments are set"))
        return found


class Appointment(Part):
    """A next appointment and what she does before it."""

    on: date = Field(json_schema_extra=PLANNED, description="The day of the appointment.")
    activities: Note | None = Field(
        default=None,
        description="What she does before it to make the plans concrete: whom she contacts, "
        "what she finds out (kinds, not names).",
    )


class Appointments(Part):
    """Section 13, appointments (L4425-4440, L3288-3290)."""

    appointments: list[Appointment] = Field(
        max_length=MANY, default=[], description="The next appointments."
    )
