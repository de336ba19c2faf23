"""Overview 1 and Overview 2 of the future talks: step 5 "Toekomstgesprek" (L2428-2788)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal, Self, get_args

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

from engine.documents._base import Document, Part, described, unanswered, within
from engine.documents._dates import MADE
from engine.documents._fields import CHOICES, MANY, Country, Label, Note, Role, Score
from engine.i18n import N_, _

Factor = Literal[
    "safety",
    "protection_from_violence",
    "children_parenting",
    "housing",
    "work_income_education",
    "feeling_at_home",
    "family_network",
    "health_care",
    "social_position",
    "social_norm",
]
"""The 10 factors of Overview 1, the same names for the Netherlands and the country of origin."""

ResidenceStatus = Literal[
    "reflection_period_b8_3",
    "b8_3_permit",
    "non_temporary_humanitarian_application",
    "dependent_permit",
    "undocumented",
    "other",
]

Unscored = Literal["not_applicable", "no_answer"]
"""Why a factor has no score: it does not apply to her (no children), or she did not answer."""


class UnscoredFactor(Part):
    """A factor left without a score, and why (L2506-2519): the counsellor strives to score
    every factor but lets the answers come from the client and never fills them in herself."""

    factor: Factor = Field(description="The factor of Overview 1 that has no score.")
    mark: Unscored = Field(
        description="not_applicable: the factor does not apply to her now (e.g. no children); "
        "no_answer: the client did not answer (the counsellor does not score it for her)."
    )
    reason: Note = Field(description="Why, briefly; no names.")


class Totals(BaseModel):
    """The columns Total- and Total+ of one side of the form (L4207): the minus and plus signs
    the client's scores hold, `--` and `++` counting twice."""

    model_config = ConfigDict(frozen=True)

    minus: int = Field(description="Total -: the minus signs of the side's scores.")
    plus: int = Field(description="Total +: the plus signs of the side's scores.")


class _Factors(Part):
    """How the client sees her possibilities, per factor: `--`, `-`, `+` or `++` (L2463-2466);
    a factor without a score is listed in `unscored` with its reason."""

    safety: Score | None = Field(default=None, description="1. Safety (personal and for family).")
    protection_from_violence: Score | None = Field(
        default=None, description="2. Protection against violence."
    )
    children_parenting: Score | None = Field(default=None, description="3. Children and parenting.")
    housing: Score | None = Field(default=None, description="4. Housing.")
    work_income_education: Score | None = Field(
        default=None, description="5. Work, income and education."
    )
    feeling_at_home: Score | None = Field(default=None, description="6. Feeling at home.")
    family_network: Score | None = Field(default=None, description="7. Family and network.")
    health_care: Score | None = Field(default=None, description="8. Health care.")
    social_position: Score | None = Field(default=None, description="9. Social position.")
    unscored: list[UnscoredFactor] = Field(
        max_length=len(get_args(Factor)),
        default=[],
        description="The factors without a score: not applicable, or the client did not "
        "answer, each with its reason (L2506-2519).",
    )

    @model_validator(mode="after")
    def _scored_or_marked(self) -> Self:
        marked = [u.factor for u in self.unscored]
        twice = sorted({f for f in marked if marked.count(f) > 1})
        if twice:
            raise ValueError(
                _("unscored: {factors} is listed more than once", factors=", ".join(twice))
            )
        scored = sorted(f for f in marked if getattr(self, f) is not None)
        if scored:
            raise ValueError(
                _(
                    "unscored: {factors} has a score; a factor is either scored or marked "
                    "not_applicable or no_answer",
                    factors=", ".join(scored),
                )
            )
        return self

    def scores(self) -> list[Score]:
        """The scores given, in the order of the form."""
        return [s for s in (getattr(self, f) for f in get_args(Factor)) if s is not None]

    def totals(self) -> Totals:
        """Total- and Total+ of this side (L4207)."""
        signs = "".join(self.scores())
        return Totals(minus=signs.count("-"), plus=signs.count("+"))

    def gaps(self) -> list[str]:
        marked = {u.factor for u in self.unscored}
        return [
            _(
                "{factor}: the client's view of this factor ({what}) has no score yet; score "
                "it with her, or mark it not_applicable or no_answer with the reason (unscored)",
                factor=name,
                what=described(type(self), name),
            )
            for name in get_args(Factor)
            if getattr(self, name) is None and name not in marked
        ]


class NetherlandsFactors(_Factors):
    """The client's view of her possibilities in the Netherlands."""

    social_norm: Score | None = Field(default=None, description="10. Social norm towards return.")


class OriginFactors(_Factors):
    """The client's view of her possibilities in her country of origin."""

    social_norm: Score | None = Field(
        default=None, description="10. Social norm: the expectations of those left behind."
    )


class Overview1(Document):
    """Overview 1: factors weighing in the client's view of her possibilities in the
    Netherlands and in her country of origin (L2453-2516; form Bijlage 3, L4168-4207).
    Re-scored at every change or evaluation (L2744-2746)."""

    kind: ClassVar[str] = "overview1"

    scored_on: date = Field(json_schema_extra=MADE, description="The day of the (re-)scoring.")
    residence_status: ResidenceStatus | None = Field(
        default=None, description="The starting point: the client's residence status."
    )
    residence_status_other: Label | None = Field(
        default=None, description="The residence status when it is `other`."
    )
    residence_note: Note | None = Field(
        default=None, description="An explanation of the residence status factor."
    )
    netherlands: NetherlandsFactors = Field(
        default_factory=NetherlandsFactors, description="The 10 factors for the Netherlands."
    )
    country_of_origin: OriginFactors = Field(
        default_factory=OriginFactors, description="The 10 factors for the country of origin."
    )
    notes: Note | None = Field(
        default=None,
        description="The considerations behind the scores, briefly (L2510-2516); no names.",
    )

    @model_validator(mode="after")
    def _other_status_named(self) -> Self:
        if (self.residence_status == "other") != (self.residence_status_other is not None):
            raise ValueError(
                _("residence_status_other is given exactly when residence_status is other")
            )
        return self

    @computed_field(  # type: ignore[prop-decorator]
        description="Total- and Total+ per side, as the form's bottom row (L4207); computed "
        "from the scores, never entered."
    )
    @property
    def totals(self) -> dict[Country, Totals]:
        return {
            "netherlands": self.netherlands.totals(),
            "country_of_origin": self.country_of_origin.totals(),
        }

    def gaps(self) -> list[str]:
        found = unanswered(self, ["residence_status"], N_("not filled in yet"))
        found += within("netherlands", self.netherlands.gaps())
        found += within("country_of_origin", self.country_of_origin.gaps())
        return within(self.kind, found)

    @classmethod
    def example(cls) -> Self:
        return cls(
            scored_on=date(2024, 4, 10),
            residence_status="reflection_period_b8_3",
            netherlands=NetherlandsFactors(
                safety="+",
                protection_from_violence="++",
                children_parenting="+",
                housing="-",
                work_income_education="-",
                feeling_at_home="+",
                family_network="--",
                health_care="++",
                social_position="-",
                social_norm="+",
            ),
            country_of_origin=OriginFactors(
                safety="--",
                protection_from_violence="-",
                children_parenting="+",
                housing="+",
                work_income_education="-",
                feeling_at_home="++",
                family_network="+",
                health_care="-",
                social_position="-",
                social_norm="--",
            ),
        )


class FactorChange(Part):
    """A factor of Overview 1 whose score may still change, and how (Bijlage 4)."""

    side: Country = Field(description="Whether the factor is about the Netherlands or origin.")
    factor: Factor = Field(description="The factor of Overview 1.")
    score: Score = Field(description="Its score now.")
    how: Note = Field(
        description="In what way and under which circumstances the score may still change."
    )
    with_whom: list[Role] = Field(
        max_length=CHOICES,
        default=[],
        description="With the help of whom (roles or kinds of organisation).",
    )
    organisation: Label | None = Field(
        default=None, description="The organisation that can help, if any; never a person."
    )


class Overview2(Document):
    """Overview 2: possibilities of change in the factors of Overview 1 (L2760-2788; form
    Bijlage 4, L4209-4219)."""

    kind: ClassVar[str] = "overview2"

    made_on: date = Field(
        json_schema_extra=MADE, description="The day Overview 2 was made or reviewed."
    )
    changes: list[FactorChange] = Field(
        max_length=MANY, default=[], description="The factors that may change: how and with whom."
    )
    no_change_expected: bool = Field(
        default=False,
        description="Discussed with the client: no factor is expected to change now.",
    )

    @model_validator(mode="after")
    def _changes_or_none(self) -> Self:
        if self.changes and self.no_change_expected:
            raise ValueError(_("no_change_expected cannot be true when changes are listed"))
        return self

    def gaps(self) -> list[str]:
        if self.changes or self.no_change_expected:
            return []
        return within(
            self.kind,
            [_("changes: no factor that may change is described yet (or set no_change_expected)")],
        )

    @classmethod
    def example(cls) -> Self:
        return cls(
            made_on=date(2024, 4, 17),
            changes=[
                FactorChange(
                    side="country_of_origin",
                    factor="safety",
                    score="--",
                    how=N_("Information from the partner organisation about its shelter"),
                    with_whom=["partner_organisation"],
                ),
                FactorChange(
                    side="country_of_origin",
                    factor="work_income_education",
                    score="-",
                    how=N_("A vocational training before departure"),
                    with_whom=["return_organisation"],
                ),
            ],
        )
