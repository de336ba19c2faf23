"""What a reminder says, in its recipient's language.

A reminder names the step or deadline in words (the workflow's labels), the case by its short
id (the client reference only for the shelter's own people, never for a coordinator), the due
day written out, how many days early or late, what is still missing, and what this recipient
can do: the counsellor records or fires it, the organisation's inbox assigns a counsellor when
the case has none, the coordinator follows up with the shelter. The subject carries no
personal data (it is written to the log too). A daily digest lists several of them in one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from engine.domain import short_id
from engine.i18n import Message, _, translate
from engine.states import Workflow
from engine.states._schema import Match


@dataclass(frozen=True)
class Reminder:
    """One outbox row and what its case says at delivery: whose it is and, for a step
    deadline, the step and the documents it still lacks."""

    row: Mapping[str, Any]
    counsellor: str | None
    state: str | None = None
    missing: Sequence[str] = field(default_factory=tuple)


def written_out(day: date, lang: str) -> str:
    """The day in words: "zondag 5 april 2026", "Sunday, April 5, 2026"."""
    from babel.dates import format_date  # not at import: the CLI's quick commands never need it

    return format_date(day, "full", locale=lang)


def title(wf: Workflow, reminder: Reminder) -> Message:
    """The deadline or step in words (a label, translated where shown)."""
    kind = reminder.row["kind"]
    timer = wf.timer_specs.get(kind)
    if timer is not None:
        return Message(timer.label)
    if kind == "step_overdue" and reminder.state is not None:
        return _("Step open too long: {step}", step=_label(wf, "state", reminder.state))
    return Message(kind)  # a timer kind a newer workflow file dropped: its id is all there is


def when(due_on: date, today: date) -> Message:
    """How far off the due day is: "in 3 days", "today", "5 days late"."""
    days = (due_on - today).days
    if days == 0:
        return _("due today")
    if days == 1:
        return _("in 1 day")
    if days > 1:
        return _("in {n} days", n=days)
    if days == -1:
        return _("1 day late")
    return _("{n} days late", n=-days)


def subject(wf: Workflow, reminder: Reminder, lang: str, today: date) -> str:
    row = reminder.row
    return translate(
        _(
            "[Safe Future] {what} - {when} (case {case})",
            what=title(wf, reminder),
            when=when(row["due_on"], today),
            case=short_id(row["case_id"]),
        ),
        lang,
    )


def body(wf: Workflow, reminder: Reminder, lang: str, today: date) -> str:
    """The plain-text body: what, which case, when, what is missing, what to do."""
    row = reminder.row
    roles = row["role"].split("+")
    case = short_id(row["case_id"])
    ref = None if "coordinator" in roles else row.get("client_ref")
    day = written_out(row["due_on"], lang)
    org = row["organisation"]
    lines = [
        title(wf, reminder),
        _("Case {case} ({ref}) of {organisation}.", case=case, ref=ref, organisation=org)
        if ref
        else _("Case {case} of {organisation}.", case=case, organisation=org),
        _("Due on {day} ({when}).", day=day, when=when(row["due_on"], today)),
        *_missing(wf, reminder),
        *dict.fromkeys(_action(reminder, role) for role in roles),
    ]
    return "\n".join(translate(line, lang) for line in lines)


def digest(
    wf: Workflow, reminders: Sequence[Reminder], lang: str, today: date, links: Sequence[str | None]
) -> tuple[str, str]:
    """One message listing several reminders, the nearest due day first: subject and body."""
    day = written_out(today, lang)
    head = _("[Safe Future] Your reminders of {day}: {n}", day=day, n=len(reminders))
    parts = [translate(_("Your reminders of {day}, the most urgent first:", day=day), lang)]
    for number, (reminder, link) in enumerate(zip(reminders, links, strict=True), 1):
        text = body(wf, reminder, lang, today).replace("\n", "\n   ")
        parts.append(f"{number}. {text}" + (f"\n   {link}" if link else ""))
    return translate(head, lang), "\n\n".join(parts) + "\n"


def _missing(wf: Workflow, reminder: Reminder) -> list[Message]:
    """What still closes the deadline: the step's missing documents, or what ends the timer."""
    if reminder.row["kind"] == "step_overdue":
        if not reminder.missing:
            return [_("All documents of this step are there; only completing the step is left.")]
        documents = _joined([_label(wf, "document", k) for k in reminder.missing])
        return [_("Still missing for this step: {documents}.", documents=documents)]
    timer = wf.timer_specs.get(reminder.row["kind"])
    if timer is None or not timer.done:
        return []
    events = _joined([_done(wf, m) for m in timer.done])
    return [_("This is done once one of these is recorded: {events}.", events=events)]


def _action(reminder: Reminder, role: str) -> Message:
    """What this recipient can do about it."""
    step = reminder.row["kind"] == "step_overdue"
    if role == "coordinator":
        return _(
            "What you can do: follow up with {organisation}; the shelter records it in the "
            "case file.",
            organisation=reminder.row["organisation"],
        )
    if role == "organisation" and reminder.counsellor is None:
        return _("What you can do: this case has no counsellor yet; assign one.")
    if role == "organisation":
        return _(
            "What you can do: check with the counsellor ({counsellor}) that it gets done.",
            counsellor=reminder.counsellor,
        )
    if step:
        return _("What you can do: record what is missing and complete the step in the case file.")
    return _("What you can do: record one of these in the case file.")


def _done(wf: Workflow, m: Match) -> Message:
    """One way a deadline is met, in words."""
    if m.trigger is not None and m.leave is not None:
        trigger, step = _label(wf, "trigger", m.trigger), _label(wf, "state", m.leave)
        return _("{trigger} in {step}", trigger=trigger, step=step)
    if m.trigger is not None:
        return _label(wf, "trigger", m.trigger)
    if m.record is not None:
        return _label(wf, "document", m.record)
    return _label(wf, "state", m.enter or m.leave or "")


def _label(wf: Workflow, what: str, name: str) -> Message:
    """A trigger's, document's or step's label (its id when the workflow lacks it)."""
    specs: Mapping[str, Any] = (
        wf.spec.triggers if what == "trigger" else wf.spec.documents if what == "document"
        else wf.states
    )  # fmt: skip
    spec = specs.get(name)
    return Message(spec.label if spec is not None else name)


def _joined(items: Sequence[Message]) -> Message:
    """Texts joined with commas, each translated in the reader's language when shown."""
    placeholders = ", ".join(f"{{i{n}}}" for n in range(len(items)))
    return Message(placeholders, **{f"i{n}": item for n, item in enumerate(items)})
