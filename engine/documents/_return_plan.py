"""The personal return action plan (PAT): step 10 (L2994-3290), form Bijlage 5 (L4221-4440)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Self

from pydantic import Field

from engine.documents._base import Document, Part, within
from engine.documents._dates import MADE
from engine.documents._pat_person import (
    Background,
    Care,
    Children,
    ExpectationsLeftBehind,
    Goals,
    Health,
    Information,
    OwnExpectations,
    PersonalGoal,
    Supporter,
    SupportNetwork,
)
from engine.documents._pat_return import (
    Appointment,
    Appointments,
    InvolvedOrganisation,
    Monitoring,
    Organisations,
    PracticalMatters,
    PracticalTask,
    Safety,
)
from engine.i18n import N_, Message, _

SECTIONS = {
    "background": N_("1, personal background"),
    "goals": N_("2, personal goals"),
    "support_network": N_("3, people and organisations who can help"),
    "children": N_("4, children"),
    "safety": N_("5, safety"),
    "information": N_("6, information"),
    "health": N_("7, health"),
    "expectations_left_behind": N_("8, expectations of those left behind"),
    "own_expectations": N_("9, own expectations of the return"),
    "practical_matters": N_("10, practical matters"),
    "organisations": N_("11, organisations involved and hand-over"),
    "monitoring": N_("12, monitoring after return"),
    "appointments": N_("13, appointments"),
}


class ReturnPlan(Document):
    """Personal return action plan, "Persoonlijk Actieplan Terugkeer" (PAT): step 10
    (L2994-3290), form Bijlage 5 (L4221-4440), 13 sections. Drawn up preferably in English so
    it can travel with the client and, with her consent, go to the partner organisation
    (L2990-2992, L3010-3011). The form's personal details (name, date of birth, phone, e-mail,
    address) are deliberately left out: the case and client profile hold what is needed."""

    kind: ClassVar[str] = "return_plan"

    drawn_up_on: date = Field(
        json_schema_extra=MADE, description="The day the plan was drawn up or last revised."
    )
    language: str = Field(
        default="en",
        pattern=r"^[a-z]{2}$",
        description="ISO 639-1 language of the plan; preferably English (`en`) (L2990-2992).",
    )
    background: Background | None = Field(
        default=None, description="Section 1, personal background (L4242-4258)."
    )
    goals: Goals | None = Field(
        default=None, description="Section 2, personal goals and what is needed (L4259-4274)."
    )
    support_network: SupportNetwork | None = Field(
        default=None, description="Section 3, who can help and with what (L4275-4303)."
    )
    children: Children | None = Field(default=None, description="Section 4, children (L4304-4318).")
    safety: Safety | None = Field(
        default=None, description="Section 5, safety: the risks on return (L4319-4346)."
    )
    information: Information | None = Field(
        default=None, description="Section 6, information (L4347-4356)."
    )
    health: Health | None = Field(default=None, description="Section 7, health (L4357-4367).")
    expectations_left_behind: ExpectationsLeftBehind | None = Field(
        default=None, description="Section 8, expectations of those left behind (L4368-4384)."
    )
    own_expectations: OwnExpectations | None = Field(
        default=None, description="Section 9, own expectations of the return (L4385-4397)."
    )
    practical_matters: PracticalMatters | None = Field(
        default=None, description="Section 10, practical matters (L4398-4401)."
    )
    organisations: Organisations | None = Field(
        default=None, description="Section 11, organisations involved and hand-over (L4402-4417)."
    )
    monitoring: Monitoring | None = Field(
        default=None, description="Section 12, monitoring after return (L4418-4424)."
    )
    appointments: Appointments | None = Field(
        default=None, description="Section 13, appointments (L4425-4440)."
    )

    def gaps(self) -> list[str]:
        found: list[str] = []
        for name, title in SECTIONS.items():
            section: Part | None = getattr(self, name)
            if section is None:
                found.append(
                    _(
                        "{field}: section {title}, has not been filled in yet",
                        field=name,
                        title=Message(title),
                    )
                )
            else:
                found += within(name, section.gaps())
        return within(self.kind, found)

    @classmethod
    def example(cls) -> Self:
        return cls(
            drawn_up_on=date(2024, 8, 12),
            background=Background(
                education=N_("Secondary school in the country of origin"),
                work_experience=N_("Market trader; cleaning work"),
                talents=N_("Good with customers; sews"),
                certificates_collected=True,
            ),
            goals=Goals(
                goals=[
                    PersonalGoal(
                        area="work",
                        goal=N_("Start a small tailoring business"),
                        needs=["money", "training"],
                    ),
                    PersonalGoal(area="housing", goal=N_("Rent a room in a safe town")),
                ]
            ),
            support_network=SupportNetwork(
                supporters=[
                    Supporter(
                        kind="return_or_partner_organisation",
                        where="country_of_origin",
                        helps_with=N_("Shelter and business start-up"),
                        organisation="Example Partner Foundation",
                    )
                ],
                new_contacts_needed=False,
            ),
            children=Children(children_return=False),
            safety=Safety(
                worried_about_safety="yes",
                family_involved="no",
                family_threatened="no",
                perpetrators_know_of_return="unknown",
                fears_stigma="yes",
                fears_revictimisation="yes",
                supporters=["partner_organisation"],
                contact_with_origin_organisation=True,
                origin_organisation_help=["shelter", "psychological"],
                risk_section_sufficient_for_update=True,
            ),
            information=Information(
                sources=["partner_organisation", "iom"], rights_on_arrival_discussed=True
            ),
            health=Health(
                physical=Care(complaints=False),
                mental=Care(complaints=False),
                checklist_used=True,
            ),
            expectations_left_behind=ExpectationsLeftBehind(
                had_expectations="yes", still_expected="yes", feelings=["shame"]
            ),
            own_expectations=OwnExpectations(who_can_help=["partner_organisation"]),
            practical_matters=PracticalMatters(
                tasks=[
                    PracticalTask(task="travel_document", by="iom"),
                    PracticalTask(task="flight", by="iom"),
                ]
            ),
            organisations=Organisations(
                partner_organisation="Example Partner Foundation",
                partner_contact_role=N_("Case manager"),
                wants_support_after_return=True,
                support_areas=["airport_pickup", "shelter", "job_income"],
                involved=[InvolvedOrganisation(organisation="IOM", responsible_for="Travel")],
            ),
            monitoring=Monitoring(
                arrival_notice="via_partner",
                client_agrees_to_monitoring=True,
                moments=["one_month", "six_months", "twelve_months"],
                monitored_by="both",
            ),
            appointments=Appointments(appointments=[Appointment(on=date(2024, 8, 19))]),
        )
