"""The strengths inventory (step 3) and the short-term action plan (steps 4, 6 and 9)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal, Self, get_args

from pydantic import Field

from engine.documents._base import Document, Part, unanswered, within
from engine.documents._dates import MADE, PLANNED
from engine.documents._fields import MANY, Country, Label, LifeDomain, Note, Role
from engine.i18n import N_, _


class DomainEntry(Part):
    """What the client wants and has in one life domain, preferably in her own words."""

    wishes: Note | None = Field(
        default=None, description="What the client wants in this domain (wishes, ambitions)."
    )
    strengths: Note | None = Field(
        default=None, description="What she can and knows: her personal strengths."
    )
    resources: Note | None = Field(
        default=None, description="Who or what supports her: her social resources."
    )
    in_country_of_origin: Note | None = Field(
        default=None,
        description="Her strengths and resources here when she still lived in her country of "
        "origin (L2385-2389).",
    )
    not_relevant: bool = Field(
        default=False,
        description="The domain does not apply to her now (e.g. no children); nothing to record.",
    )

    def gaps(self) -> list[str]:
        filled = (self.wishes, self.strengths, self.resources, self.in_country_of_origin)
        if self.not_relevant or any(filled):
            return []
        return [_("nothing is recorded yet for this life domain (or mark it not_relevant)")]


class StrengthsInventory(Document):
    """Strengths inventory: step 3 "Krachteninventarisatie" (L2367-2396): wishes, ambitions,
    strengths and resources in the 10 life domains of Krachtwerk (footnote 91, L2406-2410)."""

    kind: ClassVar[str] = "strengths_inventory"

    held_on: date = Field(
        json_schema_extra=MADE, description="The day of the (last) inventory talk."
    )
    safety: DomainEntry | None = Field(
        default=None, description="Safety and protection against violence."
    )
    housing_daily_life: DomainEntry | None = Field(
        default=None, description="Housing and daily life."
    )
    finances: DomainEntry | None = Field(default=None, description="Finances and social security.")
    children_parenting: DomainEntry | None = Field(
        default=None, description="Children and parenting."
    )
    ex_partner: DomainEntry | None = Field(default=None, description="(Ex-)partner.")
    social_relations: DomainEntry | None = Field(default=None, description="Social relations.")
    work_learning: DomainEntry | None = Field(
        default=None, description="Activity, work and learning."
    )
    leisure: DomainEntry | None = Field(default=None, description="Leisure and recreation.")
    health_self_care: DomainEntry | None = Field(default=None, description="Health and self-care.")
    meaning: DomainEntry | None = Field(
        default=None, description="Meaning and purpose in life (zingeving)."
    )

    def gaps(self) -> list[str]:
        domains = get_args(LifeDomain)
        found = unanswered(self, domains, N_("this life domain has not been discussed yet"))
        for name in domains:
            entry: DomainEntry | None = getattr(self, name)
            found += within(name, entry.gaps() if entry else [])
        return within(self.kind, found)

    @classmethod
    def example(cls) -> Self:
        entry = DomainEntry(
            wishes=N_("Feel safe and rested"),
            strengths=N_("Perseverance; speaks three languages"),
            resources=N_("A friend from church"),
        )
        return cls(
            held_on=date(2024, 3, 20),
            safety=entry,
            housing_daily_life=entry,
            finances=entry,
            children_parenting=DomainEntry(not_relevant=True),
            ex_partner=DomainEntry(not_relevant=True),
            social_relations=entry,
            work_learning=DomainEntry(wishes=N_("Finish a hairdressing course")),
            leisure=entry,
            health_self_care=entry,
            meaning=entry,
        )


GoalStatus = Literal["open", "done", "dropped"]
ReportDecision = Literal["report", "no_report", "undecided"]
PermitDecision = Literal["apply", "no_apply", "undecided"]


class Goal(Part):
    """A concrete short-term goal: what is done, by whom, by when (L2398-2400)."""

    goal: Label = Field(description="The goal, briefly, preferably in the client's words.")
    action: Label = Field(description="What is done to reach it.")
    who: Role = Field(description="Who is responsible (a role, not a name).")
    when: date = Field(json_schema_extra=PLANNED, description="By when it is done.")
    domain: LifeDomain | None = Field(
        default=None, description="The life domain of the strengths inventory it comes from."
    )
    country: Country = Field(
        default="netherlands",
        description="Where the goal is about: goals may concern the country of origin too, "
        "e.g. restoring contact with family (L2422-2426).",
    )
    status: GoalStatus = Field(default="open", description="Whether the goal is open or done.")


class ActionPlan(Document):
    """Action plan for short-term goals: step 4 "Actieplan voor korte termijn doelen"
    (L2397-2426), supplemented in step 6 (L2789-2811) and continued in step 9 (L2902-2912)."""

    kind: ClassVar[str] = "action_plan"

    made_on: date = Field(
        json_schema_extra=MADE, description="The day the plan was made or last supplemented."
    )
    goals: list[Goal] = Field(
        max_length=MANY, default=[], description="The goals with what, who and when."
    )
    report_decision: ReportDecision | None = Field(
        default=None,
        description="Whether the client reports to the police: a trafficking victim in the "
        "reflection period against her trafficker (L2417-2418, footnote 94), a victim of "
        "domestic or honour violence against her (ex-)partner (L2418-2420); both decide it at "
        "step 4. A decision to report shows as a deadline until `report_to_police`.",
    )
    permit_decision: PermitDecision | None = Field(
        default=None,
        description="Whether the client applies for an (independent) residence permit: a "
        "victim of domestic or honour violence decides it at step 4 (L2418-2420). A decision "
        "to apply shows as a deadline until `apply_permit`.",
    )

    def gaps(self) -> list[str]:
        if self.goals:
            return []
        return within(self.kind, [_("goals: no goals with what, who and when are set yet")])

    @classmethod
    def example(cls) -> Self:
        return cls(
            made_on=date(2024, 3, 27),
            goals=[
                Goal(
                    goal=N_("Decide whether to report to the police"),
                    action=N_("Talk with a lawyer about the report"),
                    who="client_and_counsellor",
                    when=date(2024, 4, 30),
                    domain="safety",
                ),
                Goal(
                    goal=N_("Restore contact with her mother"),
                    action=N_("Ask the partner organisation whether it can mediate"),
                    who="counsellor",
                    when=date(2024, 5, 15),
                    domain="social_relations",
                    country="country_of_origin",
                ),
            ],
            report_decision="report",
            permit_decision="apply",
        )
