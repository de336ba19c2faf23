"""The least client data the engine's guards need."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal, Self

from pydantic import Field, model_validator

from engine.documents._base import Document
from engine.documents._dates import PAST
from engine.i18n import _

Citizenship = Literal["dutch", "eu", "third_country"]


class ClientProfile(Document):
    """Client profile: only the facts the guards read, never names or contact details.
    Adult and not Dutch for COSM admission (L718-722); EU/EEA citizens have lawful stay
    (L4778-4808); minor children decide between a family location and a VBL (L740-753,
    L2878-2886)."""

    kind: ClassVar[str] = "client_profile"

    adult: bool = Field(description="The client is 18 or older.")
    citizenship: Citizenship = Field(
        description="Dutch, EU/EEA (incl. Switzerland), or a third-country national."
    )
    minor_children: int = Field(
        default=0, ge=0, le=30, description="How many children under 18 are in her care."
    )
    youngest_child_born_on: date | None = Field(
        json_schema_extra=PAST,
        default=None,
        description="Birth date of the youngest minor child; required when minor_children > 0. "
        "A family location lasts until this child turns 18 (L753, L2882).",
    )
    country_of_origin: str | None = Field(
        default=None,
        pattern=r"^[A-Z]{2}$",
        description="ISO 3166-1 alpha-2 code of the country of origin, e.g. NG.",
    )

    @model_validator(mode="after")
    def _youngest_child(self) -> Self:
        if self.minor_children > 0 and self.youngest_child_born_on is None:
            raise ValueError(_("youngest_child_born_on is required when minor_children > 0"))
        if self.minor_children == 0 and self.youngest_child_born_on is not None:
            raise ValueError(_("youngest_child_born_on is given but minor_children is 0"))
        return self

    @classmethod
    def example(cls) -> Self:
        return cls(
            adult=True,
            citizenship="third_country",
            minor_children=1,
            youngest_child_born_on=date(2019, 5, 14),
            country_of_origin="NG",
        )
