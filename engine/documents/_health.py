"""The health checklist, "Lijst bij gezondheidsklachten" (Bijlage 6, L4441-4504): whether the
medicines and care a client with health complaints needs are available, accessible and
affordable in her country of origin. Used in step 5 (L2696-2699) and for the PAT's section 7
(L3212-3217, L4357-4367); its answers may go into the hand-over file (L4445-4446).

Doctors, care institutions and the network are named by role or organisation, never by a
person's name."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal, Self

from pydantic import Field, model_validator

from engine.documents._base import Document, Part, unanswered, within
from engine.documents._dates import MADE
from engine.documents._fields import CHOICES, MANY, Answer, Label, Note
from engine.i18n import N_, _

# The three checks of L4444: aanwezig (available), beschikbaar (accessible), betaalbaar
# (affordable).
_CHECKS = ("available", "accessible", "affordable")


def _not_verified(part: Part) -> list[str]:
    """A gap for every check still answered `unknown`: the list must be verified (L4443)."""
    return [
        _("{field}: not verified yet (unknown); check it with a reliable source", field=name)
        for name in _CHECKS
        if getattr(part, name) == "unknown"
    ]


class Medicine(Part):
    """One medicine she needs (Medicijnen, L4452-4464)."""

    substance: Label = Field(description="The medicine's substance name (stofnaam, L4454).")
    alternative: Label | None = Field(
        default=None,
        description="An alternative, in case the medicine is not (or no longer) to be had (L4456).",
    )
    available: Answer = Field(description="Is it to be had in the country of origin? (L4458)")
    where: Label | None = Field(
        default=None,
        description="Where it is to be had, as a kind of place (e.g. pharmacy in the regional "
        "capital); no addresses (L4460).",
    )
    accessible: Answer = Field(description="Can she reach the place where it is sold? (L4460)")
    cost: Label | None = Field(default=None, description="What it costs, e.g. per month (L4462).")
    affordable: Answer = Field(description="Can she afford it? (L4462)")
    transport_cost: Label | None = Field(
        default=None, description="What the journey to the pharmacy costs (L4464)."
    )

    def gaps(self) -> list[str]:
        return _not_verified(self)


class CareNeed(Part):
    """One kind of care she needs (Gezondheidsvoorzieningen, L4466-4474)."""

    care: Label = Field(
        description="Which care or facility she needs, e.g. dialysis, psychiatric treatment "
        "(L4468)."
    )
    where: Label | None = Field(
        default=None,
        description="Where it is, as a kind of place or institution; no addresses (L4470).",
    )
    available: Answer = Field(description="Is the care there at all? (L4444)")
    accessible: Answer = Field(description="Can she reach it and be admitted? (L4444, L4470)")
    cost: Label | None = Field(default=None, description="What it costs (L4472).")
    affordable: Answer = Field(description="Can she pay for this care? (L4474)")

    def gaps(self) -> list[str]:
        return _not_verified(self)


InfoSource = Literal[
    "doctor_in_country",
    "partner_organisation",
    "iom",
    "return_organisation",
    "healthnet_tpo",
    "health_authority",
    "treating_doctor_nl",
    "other",
]
Capacity = Literal["capable", "not_capable"]
AssessedBy = Literal["psychiatrist", "doctor"]
DoctorHandover = Literal["arranged", "not_arranged", "not_needed"]


class HealthChecklist(Document):
    """Health checklist, "Lijst bij gezondheidsklachten. Controle beschikbaarheid,
    toegankelijkheid en betaalbaarheid van zorg" (Bijlage 6, L4441-4504): needed before
    departure when the return plan records health complaints (PAT section 7)."""

    kind: ClassVar[str] = "health_checklist"

    checked_on: date = Field(
        json_schema_extra=MADE, description="The day the list was gone through."
    )
    sources: list[InfoSource] = Field(
        max_length=CHOICES,
        default=[],
        description="Where the answers come from: reliable, verifiable sources, preferably in "
        "the country of origin (L4443-4444).",
    )
    # Ziekte en klachten (L4448-4450)
    condition_en: Label | None = Field(
        default=None, description="What the illness is called in English (L4450)."
    )
    # Medicijnen (L4452-4464)
    medicines_needed: bool | None = Field(default=None, description="She needs medicines (L4454).")
    medicines: list[Medicine] = Field(
        max_length=MANY, default=[], description="The medicines she needs (L4454-4464)."
    )
    # Gezondheidsvoorzieningen (L4466-4474)
    care_needed: bool | None = Field(
        default=None, description="She needs care or health facilities (L4468)."
    )
    care: list[CareNeed] = Field(
        max_length=MANY, default=[], description="The care she needs (L4468-4474)."
    )
    # Netwerk/mantelzorg (L4476-4484)
    network: Answer | None = Field(
        default=None,
        description="Is there a network to receive, support and care for her? (L4478)",
    )
    network_informed: Answer | None = Field(
        default=None, description="Does the network know about her health? (L4480)"
    )
    network_help_from: Label | None = Field(
        default=None,
        description="Without a network return can be very problematic: the organisation "
        "consulted to find local support, e.g. Maatwerk bij Terugkeer, IOM or HealthNet TPO "
        "(L4482-4484).",
    )
    # Beslissingsbekwaamheid / wilsbekwaamheid (L4486-4490)
    capacity_doubt: Answer | None = Field(
        default=None,
        description="Is there doubt whether she is capable of deciding (wilsbekwaam)? (L4488)",
    )
    capacity_assessed_by: AssessedBy | None = Field(
        default=None,
        description="Who assessed her capacity when in doubt: a psychiatrist or doctor (L4490).",
    )
    capacity: Capacity | None = Field(
        default=None, description="The outcome of that assessment (L4490)."
    )
    # Overdracht (L4492-4504)
    doctor_handover: DoctorHandover | None = Field(
        default=None,
        description="Is the hand-over from her treating doctor in the Netherlands to a doctor "
        "or care institution in the country of origin arranged? (L4494-4495)",
    )
    doctor_handover_how: Note | None = Field(
        default=None, description="How the hand-over goes (L4495); no names."
    )
    care_taken_over_by: Label | None = Field(
        default=None,
        description="Who takes over her care and files: the care institution and the doctor's "
        "role, never a name (L4497).",
    )
    medication_supply: Answer | None = Field(
        default=None,
        description="Can the treating doctor in the Netherlands give her a supply of medicines? "
        "(L4499)",
    )
    medical_escort: Literal["needed", "not_needed"] | None = Field(
        default=None,
        description="Does she need medical escort on the journey, as a doctor assessed (L4501)?",
    )
    medical_passport: bool = Field(
        default=False,
        description="All relevant information is in a medical passport, preferably in the "
        "language of the country of origin; the treating doctor can provide it (L4503-4504).",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.medicines and not self.medicines_needed:
            raise ValueError(_("medicines are listed only when medicines_needed is true"))
        if self.care and not self.care_needed:
            raise ValueError(_("care is listed only when care_needed is true"))
        if self.capacity is not None and self.capacity_assessed_by is None:
            raise ValueError(_("capacity needs capacity_assessed_by (a psychiatrist or doctor)"))
        return self

    def gaps(self) -> list[str]:
        found = unanswered(
            self,
            ["condition_en", "medicines_needed", "care_needed", "network", "capacity_doubt",
             "doctor_handover", "medical_escort"],
        )  # fmt: skip
        if not self.sources:
            found.append(_("sources: no reliable source of the answers is named (L4443)"))
        if self.medicines_needed and not self.medicines:
            found.append(_("medicines: she needs medicines but none is listed"))
        if self.care_needed and not self.care:
            found.append(_("care: she needs care but none is listed"))
        for i, medicine in enumerate(self.medicines):
            found += within(f"medicines.{i}", medicine.gaps())
        for i, need in enumerate(self.care):
            found += within(f"care.{i}", need.gaps())
        if self.network in ("no", "unknown") and self.network_help_from is None:
            found.append(
                _(
                    "network_help_from: without a network return can be very problematic; consult "
                    "Maatwerk bij Terugkeer, IOM or HealthNet TPO for local support (L4482-4484)"
                )
            )
        if self.capacity_doubt == "yes" and self.capacity is None:
            found.append(
                _(
                    "capacity: her capacity to decide is in doubt; have a psychiatrist or doctor "
                    "assess it (L4488-4490)"
                )
            )
        if self.capacity == "not_capable":
            found.append(
                _(
                    "capacity: she was assessed as not capable of deciding, so her consent to the "
                    "return is not valid (L4486-4490)"
                )
            )
        if self.doctor_handover == "arranged" and self.care_taken_over_by is None:
            found.append(_("care_taken_over_by: who takes over her care is not known yet (L4497)"))
        if not self.medical_passport:
            found.append(
                _(
                    "medical_passport: the relevant information is not in a medical passport yet "
                    "(L4503-4504)"
                )
            )
        return within(self.kind, found)

    @classmethod
    def example(cls) -> Self:
        return cls(
            checked_on=date(2024, 8, 14),
            sources=["partner_organisation", "doctor_in_country"],
            condition_en="Post-traumatic stress disorder",
            medicines_needed=True,
            medicines=[
                Medicine(
                    substance="sertraline",
                    alternative="fluoxetine",
                    available="yes",
                    where=N_("Pharmacy in the regional capital"),
                    accessible="yes",
                    cost=N_("About 10 euros a month"),
                    affordable="yes",
                    transport_cost=N_("About 2 euros"),
                )
            ],
            care_needed=True,
            care=[
                CareNeed(
                    care=N_("Trauma therapy"),
                    where=N_("Partner organisation's counselling centre"),
                    available="yes",
                    accessible="yes",
                    cost=N_("Free through the partner organisation"),
                    affordable="yes",
                )
            ],
            network="yes",
            network_informed="yes",
            capacity_doubt="no",
            doctor_handover="arranged",
            doctor_handover_how=N_("Treating doctor sends a summary to the receiving clinic"),
            care_taken_over_by=N_("General practitioner at the partner's clinic"),
            medication_supply="yes",
            medical_escort="not_needed",
            medical_passport=True,
        )
