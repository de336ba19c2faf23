"""Sections of the personal return action plan about the client herself (Bijlage 5 sections
1-4 and 6-9, L4221-4397; explained in step 10, L2994-3260)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from engine.documents._base import Part, unanswered, within
from engine.documents._fields import CHOICES, MANY, Answer, Country, Label, Note, Role


class Background(Part):
    """Section 1, personal background: what she has done so far and her interests
    (L4242-4258, L3016-3036)."""

    education: Note | None = Field(
        default=None, description="Education, in the country of origin and in the Netherlands."
    )
    work_experience: Note | None = Field(
        default=None,
        description="Work experience, in the country of origin and in the Netherlands.",
    )
    interests: Note | None = Field(default=None, description="What does she enjoy doing?")
    talents: Note = Field(description="What is she good at? (L3018-3024)")
    certificates_collected: bool = Field(
        default=False, description="Certificates and papers of her training are collected."
    )


GoalArea = Literal["work", "housing", "other"]
Need = Literal["money", "facilities", "training", "time", "reality_check", "other"]


class PersonalGoal(Part):
    """A personal goal after return and what is needed to reach it."""

    area: GoalArea = Field(description="What the goal is about: work, housing or other.")
    goal: Label = Field(description="The goal, briefly, in the client's words.")
    needs: list[Need] = Field(
        max_length=MANY,
        default=[],
        description="What she needs to reach it (section 2b, L4266-4268).",
    )
    needs_note: Note | None = Field(
        default=None, description="What is needed, briefly; no names or contact details."
    )


class Goals(Part):
    """Section 2, personal goals for housing, work and education (2a) and what is needed to
    reach them (2b) (L4259-4274, L3039-3078)."""

    goals: list[PersonalGoal] = Field(
        max_length=MANY, min_length=1, description="The personal goals."
    )


SupporterKind = Literal[
    "family",
    "friends",
    "organisation",
    "faith_community",
    "online_group",
    "return_or_partner_organisation",
    "other",
]


class Supporter(Part):
    """Who can help with what (a kind of person or organisation, never a name)."""

    kind: SupporterKind = Field(description="Who can help.")
    where: Country = Field(description="In the Netherlands or in the country of origin.")
    helps_with: Label = Field(description="With what they can help.")
    organisation: Label | None = Field(
        default=None, description="The organisation's name, if an organisation; never a person."
    )


class SupportNetwork(Part):
    """Section 3, people and organisations that can help, in the Netherlands and the country
    of origin (L4275-4303, L3079-3131)."""

    supporters: list[Supporter] = Field(
        max_length=MANY, default=[], description="Who can help with what."
    )
    new_contacts_needed: bool = Field(
        description="Contacts need to be (re-)established (L4300-4303)."
    )
    new_contacts_plan: Note | None = Field(
        default=None, description="With whom (kind, not name) and how she will do that."
    )


SchoolStatus = Literal["arranged", "contacted", "not_yet"]


class Children(Part):
    """Section 4, children: school, language, social norms, peers, care (L4304-4318,
    L3132-3155)."""

    QUESTIONS: ClassVar[tuple[str, ...]] = (
        "school",
        "language_sufficient",
        "special_care_needed",
        "childcare_available",
    )

    children_return: bool = Field(description="Children return with the client.")
    school: SchoolStatus | None = Field(
        default=None, description="Can the children go to school there; is a school contacted?"
    )
    language_sufficient: Answer | None = Field(
        default=None, description="Do the children speak and write the language well enough?"
    )
    special_care_needed: Answer | None = Field(
        default=None, description="Does a child need special medical or psychological care?"
    )
    childcare_available: Answer | None = Field(
        default=None, description="Is there childcare, or someone who helps care for them?"
    )
    preparation: Note | None = Field(
        default=None,
        description="How the children are prepared: language lessons, social norms, contact "
        "with peers; no names.",
    )

    def gaps(self) -> list[str]:
        return unanswered(self, self.QUESTIONS) if self.children_return else []


InfoSource = Literal[
    "partner_organisation",
    "return_organisation",
    "iom",
    "local_ngo",
    "human_rights_reports",
    "family_or_network",
    "media",
    "other",
]


class Information(Part):
    """Section 6, information about the situation in the country of origin (L4347-4356,
    L3188-3211)."""

    sources: list[InfoSource] = Field(
        max_length=MANY,
        min_length=1,
        description="Where she gets information about the situation there.",
    )
    rights_on_arrival_discussed: bool = Field(
        default=False,
        description="Her rights on arrival were discussed: police questioning, protection, "
        "risk of prosecution (L3197-3210).",
    )


class Care(Part):
    """Health complaints of one kind and whether the necessary care exists (Bijlage 6)."""

    QUESTIONS: ClassVar[tuple[str, ...]] = ("care_available", "care_affordable", "care_accessible")

    complaints: bool = Field(description="She has complaints of this kind.")
    care_available: Answer | None = Field(
        default=None, description="Is the necessary care available there?"
    )
    care_affordable: Answer | None = Field(
        default=None, description="Is the necessary care affordable for her?"
    )
    care_accessible: Answer | None = Field(
        default=None, description="Can she reach the necessary care?"
    )

    def gaps(self) -> list[str]:
        return unanswered(self, self.QUESTIONS) if self.complaints else []


class Health(Part):
    """Section 7, health (L4357-4367, L3212-3218); details in the health checklist
    (Bijlage 6, L4441-4504)."""

    physical: Care = Field(description="Physical health complaints and care.")
    mental: Care = Field(description="Mental health complaints and care.")
    checklist_used: bool = Field(
        default=False, description="The health checklist of Bijlage 6 was gone through."
    )

    def gaps(self) -> list[str]:
        return within("physical", self.physical.gaps()) + within("mental", self.mental.gaps())


Feeling = Literal["shame", "fear_of_losing_face", "guilt", "fear", "other"]


class ExpectationsLeftBehind(Part):
    """Section 8, expectations of family and others left behind (L4368-4384, L3219-3237)."""

    had_expectations: Answer = Field(
        description="Did family or others left behind expect something of her stay abroad?"
    )
    still_expected: Answer | None = Field(
        default=None, description="Does she think they still have these expectations?"
    )
    feelings: list[Feeling] = Field(
        max_length=MANY, default=[], description="What these expectations mean to her."
    )
    how_to_adjust: Note | None = Field(
        default=None, description="What she can do to adjust these expectations."
    )
    partner_can_mediate: Answer | None = Field(
        default=None,
        description="Can a partner organisation contact or mediate with her family?",
    )


class OwnExpectations(Part):
    """Section 9, her own expectations of the return (L4385-4397, L3238-3253)."""

    looks_forward_to: Note | None = Field(
        default=None, description="What she looks forward to most."
    )
    dreads: Note | None = Field(default=None, description="What she dreads most.")
    coping: Note | None = Field(
        default=None, description="How she could deal with expected problems."
    )
    who_can_help: list[Role] = Field(
        max_length=CHOICES,
        default=[],
        description="Who can help her deal with them (roles, not names).",
    )
