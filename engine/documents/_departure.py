"""Departure documents: the hand-over checklist (step 12), the client's consent, and the
monitoring contacts and reports after return."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import ClassVar, Literal, Self

from pydantic import Field, model_validator

from engine.documents._base import Document, unanswered, unmet, within
from engine.documents._dates import MADE
from engine.documents._fields import CHOICES, Label, Note, OrganisationId, ShareableKind
from engine.i18n import N_, Message, _

BudgetAgreements = Literal["made", "not_applicable"]
AirportPickup = Literal["arranged", "not_needed"]
FollowUp = Literal["agreed", "declined"]


class HandoverChecklist(Document):
    """Hand-over, departure, reception and monitoring checklist: step 12 "Overdracht, vertrek,
    ontvangst en monitoring" (L3368-3410). The partner items apply when a local partner
    organisation supports the return (L3369-3372)."""

    kind: ClassVar[str] = "handover_checklist"
    CHECKS: ClassVar[Mapping[str, str]] = {
        "client_has_copies": N_(
            "the client does not have her own (digital) copies of the documents yet"
        ),
        "client_has_emergency_contact": N_(
            "the client does not have the contact details of an "
            "organisation to call in an emergency yet"
        ),
        "arrival_notice_agreed": N_(
            "it is not agreed yet how the client lets us know she arrived safely"
        ),
    }
    PARTNER_CHECKS: ClassVar[Mapping[str, str]] = {
        "consent_given": N_(
            "the client has not given consent to hand over the updated risk "
            "analysis and the return plan to the partner organisation"
        ),
        "documents_received_confirmed": N_(
            "the partner organisation has not confirmed receipt of the documents and agreements yet"
        ),
        "reception_agreed": N_(
            "there are no clear agreements with the partner organisation on the "
            "reception after arrival yet"
        ),
        "partner_reporting_agreed": N_(
            "it is not agreed yet how the partner organisation keeps us "
            "informed during the first year"
        ),
    }

    with_partner: bool = Field(
        description="A local partner organisation in the country of origin supports the return."
    )
    consent_given: bool = Field(
        default=False,
        description="The client consented to hand over the updated risk analysis and the "
        "return plan to the partner organisation (L3375-3377).",
    )
    client_has_copies: bool = Field(
        default=False, description="The client has copies or a digital version (L3376-3377)."
    )
    documents_received_confirmed: bool = Field(
        default=False,
        description="The contact persons of both organisations have been in touch to confirm "
        "receipt of the documents and agreements (L3379-3381).",
    )
    partner_contact_role: Label | None = Field(
        default=None,
        description="The client knows her contact person at the partner organisation: the "
        "role there, never a name (L3383-3384).",
    )
    budget_agreements: BudgetAgreements | None = Field(
        default=None,
        description="Agreements on the use of and accounting for re-integration funds, if any, "
        "and the client knows them (L3386-3388).",
    )
    reception_agreed: bool = Field(
        default=False,
        description="Clear agreements with the partner organisation on the reception after "
        "arrival (L3392-3393).",
    )
    airport_pickup: AirportPickup | None = Field(
        default=None, description="Pick-up at the airport, if wanted or needed (L3395-3396)."
    )
    pickup_by: Label | None = Field(
        default=None, description="Who picks her up: an organisation or role, never a name."
    )
    client_has_emergency_contact: bool = Field(
        default=False,
        description="The client has the contact details of the partner organisation or another "
        "organisation (e.g. IOM) to call in an emergency (L3395-3397).",
    )
    arrival_notice_agreed: bool = Field(
        default=False,
        description="It is agreed how she lets us know she arrived safely (L3402).",
    )
    follow_up_contact: FollowUp | None = Field(
        default=None,
        description="Whether, and after how long, she will be contacted was agreed or she "
        "declined (L3404).",
    )
    partner_reporting_agreed: bool = Field(
        default=False,
        description="It is agreed how the partner organisation keeps us informed during the "
        "first year (L3406-3407).",
    )

    @model_validator(mode="after")
    def _pickup_named(self) -> Self:
        if self.airport_pickup == "arranged" and self.pickup_by is None:
            raise ValueError(_("pickup_by is required when airport_pickup is arranged"))
        return self

    def gaps(self) -> list[str]:
        found = unmet(self, self.CHECKS)
        found += unanswered(self, ["follow_up_contact"], N_("not agreed yet"))
        if self.with_partner:
            found += unmet(self, self.PARTNER_CHECKS)
            found += unanswered(
                self, ["partner_contact_role", "budget_agreements"], N_("not known yet")
            )
            found += unanswered(self, ["airport_pickup"], N_("not agreed yet"))
        return within(self.kind, found)

    @classmethod
    def example(cls) -> Self:
        return cls(
            with_partner=True,
            consent_given=True,
            client_has_copies=True,
            documents_received_confirmed=True,
            partner_contact_role=N_("Case manager"),
            budget_agreements="made",
            reception_agreed=True,
            airport_pickup="arranged",
            pickup_by=N_("Partner organisation social worker"),
            client_has_emergency_contact=True,
            arrival_notice_agreed=True,
            follow_up_contact="agreed",
            partner_reporting_agreed=True,
        )


class Consent(Document):
    """What the client consented to: hand-over of her plan and risk analysis to a partner
    organisation (L2976-2979, L3268-3270, L3375-3377) and monitoring contacts after return
    (PAT section 12, L4418-4424)."""

    kind: ClassVar[str] = "consent"

    given_on: date = Field(json_schema_extra=MADE, description="The day the consent was given.")
    handover_to_partner: bool = Field(
        default=False, description="She consents to hand her case over to a partner organisation."
    )
    partner_organisation: OrganisationId | None = Field(
        default=None,
        description="The id of the registered partner organisation she consents to (never its "
        "name); required with handover_to_partner.",
    )
    share_documents: list[ShareableKind] = Field(
        max_length=CHOICES,
        default=[],
        description="The document kinds that may be handed over to that organisation.",
    )
    monitoring_contacts: bool = Field(
        default=False, description="She consents to monitoring contacts after her return."
    )
    withdrawn: bool = Field(default=False, description="She has withdrawn this consent.")
    withdrawn_on: date | None = Field(
        json_schema_extra=MADE,
        default=None,
        description="The day she withdrew it; required when withdrawn.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.handover_to_partner != (self.partner_organisation is not None):
            raise ValueError(
                _("partner_organisation is given exactly when handover_to_partner is true")
            )
        if self.share_documents and not self.handover_to_partner:
            raise ValueError(_("share_documents needs handover_to_partner"))
        if self.withdrawn != (self.withdrawn_on is not None):
            raise ValueError(_("withdrawn_on is given exactly when withdrawn is true"))
        if self.withdrawn_on is not None and self.withdrawn_on < self.given_on:
            raise ValueError(_("withdrawn_on lies before given_on"))
        return self

    def gaps(self) -> list[str]:
        if self.handover_to_partner and not self.share_documents:
            return within(
                self.kind,
                [_("share_documents: no document is named that may be handed over to the partner")],
            )
        return []

    @classmethod
    def example(cls) -> Self:
        return cls(
            given_on=date(2024, 8, 20),
            handover_to_partner=True,
            partner_organisation="example-partner",
            share_documents=["return_plan", "risk_update"],
            monitoring_contacts=True,
        )


ContactAbout = Literal[
    "arrival_confirmation",
    "contact_1_month",
    "report_6_months",
    "report_12_months",
    "other",
    "follow_up_call",  # the phone call agreed when she left without support (L2916)
]
ContactBy = Literal["organisation", "partner"]
REPORTS: Mapping[str, str] = {
    "report_6_months": N_("report after six months"),
    "report_12_months": N_("report after twelve months"),
}
"""The partner's reports (L3406-3407, L3851-3852), in words."""
ReintegrationResult = Literal["on_track", "partly_on_track", "stalled", "ended"]
FundsUse = Literal["as_agreed", "partly_as_agreed", "not_as_agreed", "not_used_yet", "no_funds"]
Outcome = Literal["ok", "concerns", "no_contact"]


class Contact(Document):
    """A monitoring contact or report that took place after return: safe-arrival
    confirmation and contact after a month (L3275-3277, L3402-3405), the partner's reports
    after half a year and a year (L3406-3407, L3851-3852)."""

    kind: ClassVar[str] = "contact"

    about: ContactAbout = Field(description="Which contact or report this is.")
    took_place_on: date = Field(
        json_schema_extra=MADE, description="The day it took place or the report came in."
    )
    by: ContactBy = Field(description="Who made the contact: this organisation or the partner.")
    outcome: Outcome = Field(
        description="ok; concerns (follow up); no_contact (the client could not be reached)."
    )
    note: Note | None = Field(
        default=None, description="A short note; no names, phone numbers or addresses."
    )
    reintegration_result: ReintegrationResult | None = Field(
        default=None,
        description="A report's (6 or 12 months) result of the re-integration so far "
        "(L3841-3842); only in a report.",
    )
    funds_use: FundsUse | None = Field(
        default=None,
        description="A report's account of how the return funds were used (L3844, "
        "L3853-3856); only in a report.",
    )
    funds_note: Note | None = Field(
        default=None, description="What the funds went to; no names or account numbers."
    )

    @model_validator(mode="after")
    def _reports_account_for_the_funds(self) -> Self:
        report = self.about in REPORTS
        given = [n for n in ("reintegration_result", "funds_use") if getattr(self, n) is not None]
        if report and len(given) < 2:
            raise ValueError(
                _(
                    "a {report} says how the re-integration goes and how the return funds "
                    "were used: reintegration_result and funds_use are required (L3841-3856)",
                    report=Message(REPORTS[self.about]),
                )
            )
        if not report and (given or self.funds_note is not None):
            raise ValueError(
                _(
                    "reintegration_result, funds_use and funds_note belong to the 6- and 12-month "
                    "reports only"
                )
            )
        return self

    @classmethod
    def example(cls) -> Self:
        return cls(
            about="arrival_confirmation", took_place_on=date(2024, 9, 3), by="partner", outcome="ok"
        )
