"""The workflow and documents of the ways home: the silent drum's trigger, states and timer,
the early return's sources, and the social-map id the documents share with the map."""

from __future__ import annotations

from engine.documents import SOCIALMAP_ID
from engine.socialmap._model import ID_PATTERN
from engine.states import Workflow
from tests.contract import EXTRA_TIMER_KINDS


def test_the_social_map_id_is_the_maps_own() -> None:
    """Documents and trigger data check a social-map id with the map's own pattern."""
    assert ID_PATTERN == SOCIALMAP_ID


def test_the_silent_drum_is_in_the_shipped_workflow() -> None:
    """depart_unassisted leaves steps 10-12 (L2913) for left_unassisted or the end state
    closed_returned_unassisted; its follow_up_call timer is defined (L2916)."""
    spec = Workflow.load().spec
    moves = {
        (source, tr.dest)
        for tr in spec.care.transitions
        if tr.trigger == "depart_unassisted"
        for source in tr.sources()
    }
    assert {
        (s, d)
        for s in ("return_action_plan", "risk_update", "departure")
        for d in ("left_unassisted", "closed_returned_unassisted")
    } == moves
    assert EXTRA_TIMER_KINDS <= {t.kind for t in spec.timers}
    states = {s.id: s for s in spec.care.states}
    assert (False, True) == (states["left_unassisted"].final,
                             states["closed_returned_unassisted"].final)  # fmt: skip


def test_early_return_leaves_every_dutch_step_before_8() -> None:
    """choose_return goes to the PAT from steps 1-7 (L2327-2329) and from 8 and 9 (L2899)."""
    spec = Workflow.load().spec
    sources = {
        source
        for tr in spec.care.transitions
        if tr.trigger == "choose_return"
        for source in tr.sources()
    }
    assert {s.id for s in spec.care.states if s.phase == "nl" and (s.step or 0) <= 9} == sources
