"""How cases, events and overdue items look to the outside (CLI JSON, the API later)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from engine.domain import Case, Event
from engine.i18n import LANGS, N_, Message, _, label_map
from engine.states import Workflow

# A deadline's status as the views give it (an id), as people read it (CLI and pages).
TIMER_STATUS = {
    "pending": N_("pending"),
    "due_soon": N_("due soon"),
    "overdue": N_("overdue"),
    "done": N_("done"),
    "cancelled": N_("cancelled"),
}

# The engine's own events, beside the workflow's triggers, as people read them.
EVENTS = {
    "open": N_("Case opened (intake)"),
    "record": N_("Document recorded"),
    "assign_counsellor": N_("Counsellor assigned"),
}


def case_view(wf: Workflow, case: Case, at: datetime) -> dict[str, Any]:
    """A case as `case show --json` gives it, judged at the moment `at`."""
    today = at.astimezone(wf.tz).date()
    state = wf.states[case.state]
    assert case.state_entered_at is not None
    step_due = wf.step_due_on(case.state, case.state_entered_at)
    closed = wf.is_closed(case)
    return {
        "id": case.id,
        "client_ref": case.client_ref,
        "organisation": case.organisation,
        "counsellor": case.counsellor,
        "kind": case.kind,
        "intake_on": case.intake_on.isoformat(),
        "state": case.state,
        "state_label": dict(wf.state_labels[case.state]),
        "phase": state.phase,
        "step": state.step,
        "closed": closed,
        "state_entered_at": case.state_entered_at.isoformat(),
        "step_due_on": step_due.isoformat() if step_due else None,
        "step_overdue": bool(step_due and today > step_due and not closed),
        "residence_state": case.residence_state,
        "residence_label": dict(wf.state_labels[case.residence_state]),
        "article64": bool(case.facts.get("article64")),
        "facts": case.facts,
        "triggers": [
            {
                "name": o.name,
                "track": o.track,
                "label": label_map(o.label) if o.label else dict(wf.trigger_labels[o.name]),
                "allowed": o.allowed,
                **({"reasons": o.reasons} if not o.allowed else {}),
            }
            for o in wf.options(case, at)
        ],
        "missing_documents": wf.missing_documents(case, at),
        # What waits for later, e.g. the evaluation an IND decision in step 1 calls for.
        "deferred": wf.deferred(case),
        # What to do next where nothing else says it (the step's and open deadlines' hints).
        "hints": wf.hints(case, today),
        "documents": [
            {
                "kind": d.kind,
                "version": d.version,
                "happened_at": d.happened_at.isoformat(),
                "recorded_at": d.recorded_at.isoformat(),
                "actor": d.actor,
            }
            for d in sorted(case.documents.values(), key=lambda d: d.seq)
        ],
        "timers": [
            {
                "kind": t.kind,
                "due_on": t.due_on.isoformat(),
                "due_at": t.due_at.isoformat(),
                "status": t.status_on(today),
                "days_overdue": t.days_overdue(today),
                "remind_on": [d.isoformat() for d in t.remind_on],
            }
            for t in case.timers
        ],
        "version": case.version,
    }


def event_view(e: Event) -> dict[str, Any]:
    """One line of the case log, with its times as ISO strings."""
    return {
        **asdict(e),
        "happened_at": e.happened_at.isoformat(),
        "recorded_at": e.recorded_at.isoformat(),
    }


def overdue_item(wf: Workflow, row: Mapping[str, Any], today: date) -> dict[str, Any]:
    """One line of the overdue list: a timer past due, or a step open too long."""
    kind, due_on, state = row["kind"], row["due_on"], row["state"]
    label, step_number, step_label = _labels(wf, kind, state)
    return {
        "case_id": row["case_id"],
        "organisation": row["organisation"],
        "counsellor": row["counsellor"],
        "kind": kind,
        "label": dict(label),
        "state": state,
        "step": state,
        "step_number": step_number,
        "step_label": dict(step_label),
        "due_on": due_on.isoformat(),
        "due_at": wf.day_start(due_on).isoformat(),
        "days_overdue": (today - due_on).days,
    }


def missing_kinds(
    wf: Workflow, state: str, entered_seq: int, recorded: Mapping[str, int]
) -> list[dict[str, Any]]:
    """The document kinds a case's step still needs, from which kinds it has recorded (with
    each one's latest sequence number) alone, without reading a document: a kind never
    recorded, or one the step wants renewed and not recorded since it began. Whether a
    recorded document is complete, or a requirement waived, takes its contents (`case show`)."""
    return [
        {"kind": r.kind, "label": dict(_document_label(wf, r.kind))}
        for r in wf.requirements.get(state, ())
        if r.kind not in recorded or (r.since_entered and recorded[r.kind] <= entered_seq)
    ]


@functools.lru_cache(maxsize=256)
def _document_label(wf: Workflow, kind: str) -> dict[str, str]:
    return label_map(wf.labels.get(kind, kind))


@functools.lru_cache(maxsize=1024)
def _labels(
    wf: Workflow, kind: str, state_id: str
) -> tuple[dict[str, str], int | None, dict[str, str]]:
    """What an overdue item of `kind` in `state_id` is called; the same for every row of a
    list, so worked out once (bench/overdue.py). A step the loaded workflow file does not
    know (a case opened with another file) is named by its id: one such case does not take
    the whole list down."""
    state = wf.states.get(state_id)
    timer = wf.timer_specs.get(kind)
    if timer is not None:
        label = label_map(timer.label)
    elif kind == "step_overdue":
        step = Message(state.label) if state is not None else state_id
        label = label_map(_("Step open too long: {step}", step=step))
    else:  # a timer kind a newer workflow file dropped
        label = {lang: kind for lang in LANGS}
    return (label, *step_names(wf, state_id))


def step_names(wf: Workflow, state_id: str) -> tuple[int | None, dict[str, str]]:
    """A step's number and its name in every language; a step the loaded workflow file does
    not know (a case opened with another file) is named by its id rather than left out."""
    state = wf.states.get(state_id)
    if state is None:
        return None, {lang: state_id for lang in LANGS}
    return state.step, dict(wf.state_labels[state_id])


# What a coordinator (read) and a partner (partner) see of a case: no client reference, no
# facts, and for a partner only its own deadlines and the documents shared with it.
PARTNER_TIMERS = frozenset(
    {"arrival_confirmation", "contact_1_month", "report_6_months", "report_12_months"}
)


def restrict_view(
    view: dict[str, Any],
    scope: str,
    documents: frozenset[str] | None,
    *,
    partner_triggers: frozenset[str] = frozenset(),
    partner_records: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """A case view cut down to what a read-only or partner scope may see: a partner sees the
    triggers it may fire and the documents it must still record (`partner_*`)."""
    cut = {k: v for k, v in view.items() if k not in ("client_ref", "facts")}
    cut["triggers"] = []
    cut["hints"] = []  # they point to triggers this scope does not fire
    if scope == "partner":
        cut["triggers"] = [t for t in view["triggers"] if t["name"] in partner_triggers]
        cut["timers"] = [t for t in view["timers"] if t["kind"] in PARTNER_TIMERS]
        cut["missing_documents"] = [k for k in view["missing_documents"] if k in partner_records]
        cut["residence_state"] = cut["residence_label"] = None
        cut["deferred"] = []  # about the residence procedure
        cut["article64"] = None
    if documents is not None:
        cut["documents"] = [d for d in view["documents"] if d["kind"] in documents]
    return cut
