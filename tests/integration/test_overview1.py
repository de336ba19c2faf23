"""Issue 14, point 4: Overview 1 as the book asks (L2453-2519, form Bijlage 3 L4168-4207).
The counsellor strives to score all twenty factors, but lets the client answer and never
fills in her view herself: a factor may be marked not applicable or unanswered, with the
reason, and is then no gap. The form's columns Total- and Total+ are computed per side."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update

from engine import service
from engine.documents import example
from engine.errors import InvalidInput
from engine.store._tables import documents
from tests.support import ACTOR, CaseDriver

NO_CHILDREN = {"factor": "children_parenting", "mark": "not_applicable", "reason": "No children"}
NO_ANSWER = {"factor": "family_network", "mark": "no_answer", "reason": "She did not want to say"}


def _overview1(case: CaseDriver, **sides: dict[str, Any]) -> dict[str, Any]:
    """The example Overview 1 of today with fields of its sides changed."""
    data = example("overview1", case.today)
    for side, changes in sides.items():
        data[side] = {**data[side], **changes}
    return data


def _at_future_talks(case: CaseDriver) -> None:
    case.open("domestic_violence")
    case.to_short_term_plan()
    case.record("action_plan")
    case.fire("complete")
    case.record("overview2")
    assert "future_talks" == case.state


def test_a_factor_marked_not_applicable_or_unanswered_is_no_gap_l2506_2519(
    case: CaseDriver,
) -> None:
    """Striving to score every factor (L2506-2507) is not scoring them for her (L2516-2519):
    a factor without score but marked not_applicable or no_answer with a reason lets step 5
    complete."""
    _at_future_talks(case)
    data = _overview1(
        case,
        netherlands={"children_parenting": None, "unscored": [NO_CHILDREN]},
        country_of_origin={
            "children_parenting": None,
            "family_network": None,
            "unscored": [NO_CHILDREN, NO_ANSWER],
        },
    )
    service.record(case.app, case.id, "overview1", data, actor=ACTOR)
    assert "supplement_plan" == case.fire("complete")["state"]


def test_a_factor_with_neither_score_nor_mark_is_a_gap_l2506_2507(case: CaseDriver) -> None:
    """A factor with no score and no mark keeps step 5 open, naming the side and factor and
    what may be done (L2506-2507)."""
    _at_future_talks(case)
    data = _overview1(case, country_of_origin={"children_parenting": None})
    service.record(case.app, case.id, "overview1", data, actor=ACTOR)
    assert [
        "overview1.country_of_origin.children_parenting: the client's view of this factor "
        "(3. Children and parenting) has no score yet; score it with her, or mark it "
        "not_applicable or no_answer with the reason (unscored)"
    ] == case.refused("complete")


@pytest.mark.parametrize(
    ("unscored", "why"),
    [
        ([{**NO_ANSWER, "factor": "safety"}], "safety has a score"),
        ([NO_CHILDREN, NO_CHILDREN], "children_parenting is listed more than once"),
        ([{**NO_CHILDREN, "reason": ""}], "unscored.0.reason"),
        ([{**NO_CHILDREN, "mark": "counsellor_thinks"}], "unscored.0.mark"),
    ],
)
def test_a_mark_must_be_single_with_a_reason_and_on_an_unscored_factor_l2516_2519(
    case: CaseDriver, unscored: list[dict[str, Any]], why: str
) -> None:
    """A factor is either her score or a mark with a reason (L2516-2519): a scored factor
    also marked, a factor marked twice, a mark without reason or an unknown mark is refused,
    naming the field, and nothing is recorded."""
    _at_future_talks(case)
    data = _overview1(case, netherlands={"children_parenting": None, "unscored": unscored})
    with pytest.raises(InvalidInput) as refused:
        service.record(case.app, case.id, "overview1", data, actor=ACTOR)
    text = "\n".join(refused.value.reasons)
    assert "overview1.netherlands" in text and why in text, text
    assert all(d["kind"] != "overview1" for d in case.show()["documents"])


def test_totals_per_side_are_computed_and_read_with_the_document_l4207(
    case: CaseDriver,
) -> None:
    """Total- and Total+ of each side (L4207) come with the document when it is read: the
    minus and plus signs of its scores, `--` and `++` counting twice; totals sent along are
    recomputed, not taken."""
    _at_future_talks(case)
    data = _overview1(
        case,
        netherlands={"children_parenting": None, "unscored": [NO_CHILDREN]},
    )
    data["totals"] = {"netherlands": {"minus": 99, "plus": 0}}
    service.record(case.app, case.id, "overview1", data, actor=ACTOR)
    read = service.document(case.app, case.id, "overview1", actor=ACTOR)["data"]
    # Netherlands: + ++ (n/a) - - + -- ++ - +  /  origin: -- - + + - ++ + - - --
    expected = {
        "netherlands": {"minus": 5, "plus": 7},
        "country_of_origin": {"minus": 8, "plus": 5},
    }
    assert expected == read["totals"]


def test_an_overview1_stored_before_marks_and_totals_reads_with_its_totals_l4207(
    case: CaseDriver,
) -> None:
    """A version stored before `unscored` and the totals existed (its row sealed as it was
    then) still counts for step 5 and reads with the totals of its scores (L4207)."""
    _at_future_talks(case)
    case.record("overview1")
    old = example("overview1", case.today)
    del old["totals"], old["netherlands"]["unscored"], old["country_of_origin"]["unscored"]
    sealed = case.app.uow.codec.document(case.id, "overview1", 1, old)
    with case.app.db.begin() as conn:
        conn.execute(
            update(documents)
            .where(documents.c.case_id == case.id, documents.c.kind == "overview1")
            .values(data=sealed)
        )
    read = service.document(case.app, case.id, "overview1", actor=ACTOR)["data"]
    expected = {
        "netherlands": {"minus": 5, "plus": 8},
        "country_of_origin": {"minus": 8, "plus": 5},
    }
    assert ({**old, "totals": expected}, "supplement_plan") == (
        read,
        case.fire("complete")["state"],
    )
