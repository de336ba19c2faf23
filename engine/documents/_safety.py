"""Safety documents: the risk analysis, the safety plan (step 1) and its update (step 11)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal, Self

from pydantic import Field, model_validator

from engine.documents._base import Document, Part, unanswered, within
from engine.documents._dates import MADE, PLANNED
from engine.documents._fields import CHOICES, MANY, Answer, Label, Note, Role
from engine.i18n import N_, _

ThreatLevel = Literal["none", "low", "medium", "high"]


class RiskAnalysis(Document):
    """Risk analysis at admission: step 1 "Eerste behoeften en veiligheid" (L2265-2304) and
    Bijlage 7 "Risico Analyse" (L4505-4527). Re-checked on every change (L2279-2280,
    L2863-2864)."""

    kind: ClassVar[str] = "risk_analysis"
    QUESTIONS: ClassVar[tuple[str, ...]] = (
        "threat_level",
        "threatened_with_reprisal",
        "concrete_indications",
        "family_or_network_threatened",
        "family_involved_as_perpetrator",
        "sought_or_followed",
        "suspicious_persons_seen",
        "places_to_avoid",
        "risky_own_behaviour",
    )

    assessed_on: date = Field(
        json_schema_extra=MADE, description="The day the risk analysis was made or last revised."
    )
    threat_level: ThreatLevel | None = Field(
        default=None, description="What is the concrete threat at this moment?"
    )
    threatened_with_reprisal: Answer | None = Field(
        default=None, description="Is the client threatened with reprisals?"
    )
    concrete_indications: Answer | None = Field(
        default=None, description="Are there concrete indications of a threat at this moment?"
    )
    family_or_network_threatened: Answer | None = Field(
        default=None, description="Are family members or other important people threatened?"
    )
    family_involved_as_perpetrator: Answer | None = Field(
        default=None, description="Are family members involved as trafficker or (co-)perpetrator?"
    )
    sought_or_followed: Answer | None = Field(
        default=None, description="Is the client being searched for, or has she been followed?"
    )
    suspicious_persons_seen: Answer | None = Field(
        default=None, description="Has the client noticed suspicious persons around her?"
    )
    places_to_avoid: Answer | None = Field(
        default=None, description="Are there places the client does not dare or cannot go?"
    )
    risky_own_behaviour: Answer | None = Field(
        default=None, description="Does the client show risky behaviour that endangers herself?"
    )
    practical_safety_discussed: bool = Field(
        default=False,
        description="Practical matters were discussed: use of her phone and social media, "
        "withdrawing cash near the shelter, anything that may reveal where she is (L2301-2303).",
    )
    other_concerns: Note | None = Field(
        default=None,
        description="Other relevant matters, briefly; no names or contact details.",
    )

    def gaps(self) -> list[str]:
        found = unanswered(self, self.QUESTIONS)
        if not self.practical_safety_discussed:
            found.append(
                _(
                    "practical_safety_discussed: the practical safety matters (phone, social "
                    "media, cash withdrawals near the shelter) have not been discussed yet"
                )
            )
        return within(self.kind, found)

    @classmethod
    def example(cls) -> Self:
        return cls(
            assessed_on=date(2024, 3, 4),
            threat_level="medium",
            threatened_with_reprisal="yes",
            concrete_indications="no",
            family_or_network_threatened="unknown",
            family_involved_as_perpetrator="no",
            sought_or_followed="no",
            suspicious_persons_seen="no",
            places_to_avoid="yes",
            risky_own_behaviour="no",
            practical_safety_discussed=True,
        )


SafetyArea = Literal[
    "accommodation",
    "phone_and_social_media",
    "money_and_banking",
    "movement_outside",
    "contact_with_perpetrators",
    "children",
    "family_and_network",
    "health",
    "other",
]


class SafetyMeasure(Part):
    """One concrete measure of the safety plan."""

    area: SafetyArea = Field(description="What the measure is about.")
    measure: Label = Field(description="The measure, briefly; no names or contact details.")
    responsible: Role = Field(description="Who takes the measure (a role, not a name).")


class SafetyPlan(Document):
    """Individual safety plan of step 1 (L2275-2277): concrete measures the client can agree to.
    Revised on every change or contact with the perpetrator (L2279-2280, L2863-2864)."""

    kind: ClassVar[str] = "safety_plan"

    measures: list[SafetyMeasure] = Field(
        max_length=MANY, default=[], description="The concrete safety measures (L2275-2276)."
    )
    client_resources: Note | None = Field(
        default=None,
        description="The client's own resources to deal with the risks (L2273-2274).",
    )
    client_agreed: bool = Field(
        default=False, description="The client agrees to the measures (L2276-2277)."
    )
    agreed_on: date | None = Field(
        json_schema_extra=MADE,
        default=None,
        description="The day the client agreed; required when client_agreed.",
    )
    review_on: date | None = Field(
        json_schema_extra=PLANNED,
        default=None,
        description="When the plan is to be reviewed next, if agreed.",
    )

    @model_validator(mode="after")
    def _agreement_dated(self) -> Self:
        if self.client_agreed and self.agreed_on is None:
            raise ValueError(_("agreed_on is required when client_agreed is true"))
        if not self.client_agreed and self.agreed_on is not None:
            raise ValueError(_("agreed_on is given but client_agreed is false"))
        return self

    def gaps(self) -> list[str]:
        found = []
        if not self.measures:
            found.append(_("measures: no safety measures are listed yet"))
        if not self.client_agreed:
            found.append(_("client_agreed: the client has not agreed to the safety plan yet"))
        return within(self.kind, found)

    @classmethod
    def example(cls) -> Self:
        return cls(
            measures=[
                SafetyMeasure(
                    area="phone_and_social_media",
                    measure=N_("New phone number; location services and old accounts switched off"),
                    responsible="client_and_counsellor",
                ),
                SafetyMeasure(
                    area="movement_outside",
                    measure=N_("Goes out accompanied for the first weeks"),
                    responsible="shelter",
                ),
            ],
            client_agreed=True,
            agreed_on=date(2024, 3, 5),
            review_on=date(2024, 6, 5),
        )


StigmaSource = Literal["religious", "social", "cultural"]


class RiskUpdate(Document):
    """Updated risk analysis before return: step 11 "Update Risico Inventarisatie"
    (L3291-3367) and Bijlage 7 "Geactualiseerde Risico Analyse" (L4528-4561). Section 5 of the
    return plan may serve instead when it is sufficient (L3363-3367)."""

    kind: ClassVar[str] = "risk_update"
    QUESTIONS: ClassVar[tuple[str, ...]] = (
        "revictimisation_risk",
        "fgm_risk",
        "family_involved",
        "perpetrators_in_network",
        "family_threatened",
        "perpetrators_know_of_return",
        "debts_outstanding",
        "stigma_risk",
        "has_support_network",
        "network_needs_support",
        "coping_skills",
        "poverty_risk",
        "support_programmes_available",
        "government_support_in_region",
        "prosecution_risk",
    )

    updated_on: date = Field(
        json_schema_extra=MADE, description="The day the risk analysis was updated."
    )
    revictimisation_risk: Answer | None = Field(
        default=None,
        description="Is there a risk she becomes a victim of trafficking or domestic violence "
        "again?",
    )
    fgm_risk: Answer | None = Field(
        default=None,
        description="Is there a risk of (re-)circumcision (female genital mutilation)?",
    )
    family_involved: Answer | None = Field(
        default=None, description="Was the family involved in the trafficking or the violence?"
    )
    perpetrators_in_network: Answer | None = Field(
        default=None,
        description="Are perpetrators in the country of origin part of the client's network?",
    )
    family_threatened: Answer | None = Field(
        default=None, description="Has the client's family been threatened?"
    )
    perpetrators_know_of_return: Answer | None = Field(
        default=None,
        description="Do the traffickers or perpetrators know of the return and where she will "
        "stay?",
    )
    debts_outstanding: Answer | None = Field(
        default=None, description="Does the client still owe debts to the trafficker or family?"
    )
    stigma_risk: Answer | None = Field(
        default=None, description="Is there a risk of stigma and social exclusion?"
    )
    stigma_sources: list[StigmaSource] = Field(
        max_length=CHOICES,
        default=[],
        description="Which religious, social or cultural factors make stigma a danger.",
    )
    has_support_network: Answer | None = Field(
        default=None, description="Does the client have a network that can support her?"
    )
    network_needs_support: Answer | None = Field(
        default=None, description="Does that network need support to receive and support her?"
    )
    coping_skills: Answer | None = Field(
        default=None, description="Does the client have the skills to cope with the difficulties?"
    )
    poverty_risk: Answer | None = Field(
        default=None,
        description="Is there a risk that poverty and unemployment push her back into "
        "trafficking or violence?",
    )
    support_programmes_available: Answer | None = Field(
        default=None, description="Are there support programmes the client can call on?"
    )
    government_support_in_region: Answer | None = Field(
        default=None, description="Can the client count on support of government bodies there?"
    )
    prosecution_risk: Answer | None = Field(
        default=None,
        description="Is there a risk she is prosecuted for crimes committed while trafficked, "
        "or for irregular migration?",
    )
    overall_risk: ThreatLevel | None = Field(
        default=None, description="The counsellor's overall assessment of the risk on return."
    )
    other_concerns: Note | None = Field(
        default=None,
        description="Other relevant matters, e.g. the government's policy on trafficking; no "
        "names or contact details.",
    )

    def gaps(self) -> list[str]:
        found = unanswered(self, self.QUESTIONS)
        found += unanswered(self, ["overall_risk"], N_("not assessed yet"))
        return within(self.kind, found)

    @classmethod
    def example(cls) -> Self:
        return cls(
            updated_on=date(2024, 9, 2),
            revictimisation_risk="yes",
            fgm_risk="no",
            family_involved="no",
            perpetrators_in_network="no",
            family_threatened="no",
            perpetrators_know_of_return="unknown",
            debts_outstanding="yes",
            stigma_risk="yes",
            stigma_sources=["social"],
            has_support_network="yes",
            network_needs_support="yes",
            coping_skills="yes",
            poverty_risk="yes",
            support_programmes_available="yes",
            government_support_in_region="unknown",
            prosecution_risk="no",
            overall_risk="medium",
        )
