"""Return funds: the file kept for each returnee on the financial support she gets
(L2963-2968), the agreements with the local organisation on their use and accounting
(L3386-3388), and where the support comes from (L2931-2940, L2954-2956, L2959-2960).

Its own kind, not a section of the hand-over checklist: the book asks for "a specific file per
returnee" (L2965) that the reports after six and twelve months account against (L3853-3856);
the checklist's `budget_agreements` only ticks that the agreements were made."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal, Self

from pydantic import Field, model_validator

from engine.documents._base import Document, Part, within
from engine.documents._dates import MADE
from engine.documents._fields import CHOICES, Label, Note, OrganisationId, SocialMapId
from engine.i18n import N_, _


class FundsOrganisation(Part):
    """An organisation, never a person: a registered organisation's id, an organisation on
    the social map, or the name of one that is neither."""

    organisation_id: OrganisationId | None = Field(
        default=None, description="The id of a registered organisation (`safe-future org list`)."
    )
    socialmap_id: SocialMapId | None = Field(
        default=None, description="The organisation's id on the social map (e.g. ng-cosudow)."
    )
    name: Label | None = Field(
        default=None,
        description="The organisation's name when it is neither registered nor on the map; "
        "never a person.",
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        given = [v for v in (self.organisation_id, self.socialmap_id, self.name) if v is not None]
        if len(given) != 1:
            raise ValueError(_("give exactly one of organisation_id, socialmap_id or name"))
        return self


Form = Literal["in_kind", "cash", "mixed"]
Programme = Literal[
    "iom_rean",
    "iom_additional",
    "return_organisation",
    "shelter_project",
    "other",
]
Purpose = Literal[
    "training_course",
    "business_start",
    "housing",
    "medical_care",
    "schooling_children",
    "departure_preparation",
    "other",
]
_MAX_AMOUNT = 1_000_000


class ReturnFunds(Document):
    """Return funds, "financiële ondersteuning" (L2952-2968, L3386-3388): how much, in kind or
    in cash, through which organisation she returned and which organisation in her country
    receives the money, and the agreements on monitoring its use."""

    kind: ClassVar[str] = "return_funds"

    agreed_on: date = Field(json_schema_extra=MADE, description="The day the support was agreed.")
    programme: Programme = Field(
        description="Where the support comes from: IOM's REAN programme (for EU citizens only "
        "as a victim of trafficking, L2938-2940), IOM's extra support (L2939-2940), a return "
        "organisation (L2950-2960), a project of the shelter (L2954-2956), or other."
    )
    amount: int = Field(
        ge=0, le=_MAX_AMOUNT, description="The amount agreed, in whole units of the currency."
    )
    currency: str = Field(
        default="EUR", pattern=r"^[A-Z]{3}$", description="ISO 4217 currency code."
    )
    form: Form = Field(
        description="In kind (the money pays for activities or services agreed beforehand), "
        "in cash, or both (L2963-2965)."
    )
    purposes: list[Purpose] = Field(
        max_length=CHOICES,
        default=[],
        description="What the money is for, agreed beforehand (L2964-2965, L2954-2956).",
    )
    returned_through: FundsOrganisation = Field(
        description="The organisation through which she returned (L2966)."
    )
    paid_to: FundsOrganisation | None = Field(
        default=None,
        description="The organisation in the country of origin that receives the money and "
        "supports her (L2966-2967).",
    )
    use_agreements_made: bool = Field(
        default=False,
        description="Agreements on the use of and accounting for the funds are made with the "
        "local organisation (L3386-3387).",
    )
    client_knows_agreements: bool = Field(
        default=False, description="The client knows these agreements (L3387)."
    )
    monitoring_agreements: Note | None = Field(
        default=None,
        description="How the use of the funds is monitored after return, e.g. in the partner's "
        "reports after six and twelve months (L2967-2968, L3853-3856); no names.",
    )

    def gaps(self) -> list[str]:
        found = []
        if self.form in ("in_kind", "mixed") and not self.purposes:
            found.append(
                _(
                    "purposes: support in kind pays for activities or services agreed beforehand; "
                    "none is named (L2963-2965)"
                )
            )
        if self.paid_to is None:
            found.append(
                _(
                    "paid_to: the organisation in the country of origin that receives the money is "
                    "not known yet (L2966-2967)"
                )
            )
        if not self.use_agreements_made:
            found.append(
                _(
                    "use_agreements_made: no agreements on the use of and accounting for the funds "
                    "with the local organisation yet (L3386-3387)"
                )
            )
        if not self.client_knows_agreements:
            found.append(_("client_knows_agreements: the client does not know them yet (L3387)"))
        if self.monitoring_agreements is None:
            found.append(
                _(
                    "monitoring_agreements: no agreements on monitoring after return yet "
                    "(L2967-2968)"
                )
            )
        return within(self.kind, found)

    @classmethod
    def example(cls) -> Self:
        return cls(
            agreed_on=date(2024, 8, 16),
            programme="return_organisation",
            amount=1500,
            form="in_kind",
            purposes=["training_course", "business_start"],
            returned_through=FundsOrganisation(socialmap_id="int-iom"),
            paid_to=FundsOrganisation(organisation_id="example-partner"),
            use_agreements_made=True,
            client_knows_agreements=True,
            monitoring_agreements=N_(
                "The partner accounts for the spending in its reports after six and twelve months"
            ),
        )
