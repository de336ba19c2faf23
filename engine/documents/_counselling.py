"""Counselling documents: the first counselling talks (step 2) and evaluations (step 7)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import ClassVar, Literal, Self

from pydantic import Field

from engine.documents._base import Document, unmet, within
from engine.documents._dates import MADE
from engine.documents._fields import Note
from engine.i18n import N_

ReturnOrganisation = Literal["iom", "other_return_organisation", "partner_organisation"]


class CounsellingInfo(Document):
    """First counselling talks and information: step 2 "Eerste begeleidingsgesprekken en
    informatie" (L2305-2366), held shortly after intake."""

    kind: ClassVar[str] = "counselling_info"
    CHECKS: ClassVar[Mapping[str, str]] = {
        "informed_residence_procedure": N_(
            "the client has not been told about the residence procedure yet"
        ),
        "informed_why_future_options_early": N_(
            "the client has not been told yet why future options are discussed early"
        ),
        "orientation_talk_offered": N_(
            "an orientation talk with IOM or another return organisation has not been offered yet"
        ),
    }

    held_on: date = Field(
        json_schema_extra=MADE, description="The day of the first counselling talk."
    )
    informed_residence_procedure: bool = Field(
        default=False,
        description="The client was told how the residence procedure works (L2331-2332).",
    )
    informed_why_future_options_early: bool = Field(
        default=False,
        description="The client was told why future options (stay or return) are discussed "
        "early in the counselling (L2312-2324).",
    )
    orientation_talk_offered: bool = Field(
        default=False,
        description="An orientation talk with IOM and/or another return organisation was "
        "offered (L2337-2338).",
    )
    orientation_talk_with: ReturnOrganisation | None = Field(
        default=None, description="With which kind of organisation the talk was offered."
    )
    information_video_shown: bool = Field(
        default=False,
        description="The information video with counsellors and returned clients was shown "
        "(optional, L2339-2340).",
    )
    wishes_to_return_from_start: bool = Field(
        default=False,
        description="The client wishes to return from the start; the personal return action "
        "plan can then be used straight away (L2327-2329).",
    )
    notes: Note | None = Field(
        default=None, description="Short notes on the talk; no names or contact details."
    )

    def gaps(self) -> list[str]:
        return within(self.kind, unmet(self, self.CHECKS))

    @classmethod
    def example(cls) -> Self:
        return cls(
            held_on=date(2024, 3, 8),
            informed_residence_procedure=True,
            informed_why_future_options_early=True,
            orientation_talk_offered=True,
            orientation_talk_with="iom",
        )


EvaluationReason = Literal["ind_decision", "change", "periodic"]
ObjectionAppealDecision = Literal["object", "appeal", "no", "undecided"]


class Evaluation(Document):
    """Interim changes and evaluation: step 7 "Tussentijdse veranderingen en evaluatie"
    (L2812-2866). Entered on an IND decision, another important change, or a periodic
    evaluation of the care plan; risk analysis and safety plan are re-checked (L2863-2864)."""

    kind: ClassVar[str] = "evaluation"
    CHECKS: ClassVar[Mapping[str, str]] = {
        "overview1_rescored": N_("Overview 1 has not been re-scored yet"),
        "future_options_discussed": N_(
            "return and other future options have not been discussed yet"
        ),
        "risk_analysis_rechecked": N_("the risk analysis has not been re-checked yet"),
        "safety_plan_rechecked": N_("the safety plan has not been re-checked yet"),
    }

    reason: EvaluationReason = Field(
        description="Why: an IND decision (L2816), another change in the client's life "
        "(L2859-2861), or a periodic evaluation of the care plan (L2861-2863)."
    )
    held_on: date = Field(json_schema_extra=MADE, description="The day of the evaluation.")
    overview1_rescored: bool = Field(
        default=False,
        description="Overview 1 was gone through again and re-scored (L2744-2746, L2841).",
    )
    future_options_discussed: bool = Field(
        default=False,
        description="Return and other future options were discussed (L2861-2863).",
    )
    risk_analysis_rechecked: bool = Field(
        default=False, description="The risk analysis was re-checked (L2863-2864)."
    )
    safety_plan_rechecked: bool = Field(
        default=False, description="The safety plan was re-checked (L2863-2864)."
    )
    partner_or_iom_contact: bool = Field(
        default=False,
        description="The client had (renewed) contact with the partner organisation in the "
        "country of origin and/or IOM (L2851-2857).",
    )
    objection_appeal_decision: ObjectionAppealDecision | None = Field(
        default=None,
        description="After a negative IND decision: the client's choice about the remedies "
        "open to her: file an objection, an appeal, neither, or not decided yet (L2819-2822). "
        "Required while a negative decision stands.",
    )
    objection_appeal_interest_discussed: bool = Field(
        default=False,
        description="Whether going on with the procedure serves her interest was discussed "
        "with her, also when the chance of a permit looks small and her lawyer advises to use "
        "every procedure (L2822-2826). Required while a negative decision stands.",
    )
    objection_appeal_notes: Note | None = Field(
        default=None,
        description="What was discussed about objection or appeal, briefly; no names or "
        "contact details.",
    )
    notes: Note | None = Field(
        default=None, description="Short notes on the evaluation; no names or contact details."
    )

    def gaps(self) -> list[str]:
        return within(self.kind, unmet(self, self.CHECKS))

    @classmethod
    def example(cls) -> Self:
        return cls(
            reason="ind_decision",
            held_on=date(2024, 7, 1),
            overview1_rescored=True,
            future_options_discussed=True,
            risk_analysis_rechecked=True,
            safety_plan_rechecked=True,
            partner_or_iom_contact=True,
            objection_appeal_decision="object",
            objection_appeal_interest_discussed=True,
        )
