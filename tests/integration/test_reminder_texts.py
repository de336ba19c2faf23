"""What a reminder says (issue 15 point 5, newcomer findings 29-31), through real passes, the
real database and a real SMTP server on 127.0.0.1: the deadline in words, the case's short id,
the due day written out, how early or late, what is missing and what this reader can do, in
the recipient's language; a daily digest per recipient; plain log-only and failure reports."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from email.message import Message as MimeMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import structlog

from engine import reminders, service
from engine.bootstrap import bootstrap, build_channels
from engine.clock import FixedClock
from engine.directory import Directory
from engine.errors import InvalidInput
from engine.i18n import translate
from engine.notifications import LogChannel, SmtpChannel
from engine.settings import Settings
from engine.states import Workflow
from tests.e2e.test_cli_dutch import english_in
from tests.integration.test_channels import Mailbox, SmtpServer, _EphemeralController, _smtp
from tests.support import CaseDriver, free_port

AMS = ZoneInfo("Europe/Amsterdam")
LINK = "https://crm.example/cases/{case_id}"
DUE = date(2026, 4, 5)  # the reflection period from 5 January ends on Sunday 5 April 2026


@pytest.fixture
def mail() -> Iterator[SmtpServer]:
    """A real SMTP server on 127.0.0.1 that keeps what it accepts."""
    mailbox = Mailbox()
    controller = _EphemeralController(mailbox, hostname="127.0.0.1", port=0, ready_timeout=5)
    controller.start()
    yield SmtpServer(mailbox, controller.port)
    controller.stop()


def _directory(**people: dict[str, Any]) -> Directory:
    return Directory.model_validate(
        {
            "organisations": {
                "shelter-a": {"region": "noord", "inbox": {"email": "inbox@shelter-a.example"}}
            },
            "regions": {"noord": {"coordinator": {"email": "zc@noord.example"}}},
            "people": {"j.devries": {"email": "j.devries@shelter-a.example"}, **people},
        }
    )


def _pass(case: CaseDriver, port: int, directory: Directory, at: datetime) -> reminders.PassResult:
    case.clock.set(at)
    channels: dict[str, Any] = {"email": SmtpChannel(_smtp(port)), "log": LogChannel()}
    return reminders.run_once(
        case.app, channels, directory, worker="test", link=LINK, jitter=lambda: 0.0
    )


def _reflection(case: CaseDriver, client: str = "SF-2026-0042", counsellor: str | None = None):
    case.open(client=client, counsellor=counsellor, intake=date(2026, 1, 5))
    case.fire("start_reflection_period", started_on="2026-01-05")
    return case.id


def _mails(server: SmtpServer, to: str) -> list[MimeMessage]:
    return [r.email for r in server.mailbox.received if r.rcpt_tos == [to]]


def _about(server: SmtpServer, to: str, label: str = "Reflection period ends") -> list[MimeMessage]:
    """The e-mails to `to` about one deadline (a case has several at a time)."""
    said = {translate(label, lang) for lang in ("nl", "en")}
    return [m for m in _mails(server, to) if any(f"] {x} - " in str(m["Subject"]) for x in said)]


def _text(email: MimeMessage) -> str:
    content = email.get_body().get_content()  # type: ignore[union-attr]
    return f"{email['Subject']}\n{content}".replace("\r\n", "\n")


def _label(text: str) -> str:
    return translate(text, "nl")


def test_a_dutch_reminder_says_what_when_what_is_missing_and_what_to_do(
    case: CaseDriver, mail: SmtpServer
) -> None:
    """Three days before the reflection period ends, the counsellor's e-mail names it in Dutch,
    the case by short id (and her own reference), Sunday 5 April written out, "over 3 dagen",
    what ends the deadline and what she can do; not a word of English."""
    case_id = _reflection(case, counsellor="j.devries")
    _pass(case, mail.port, _directory(), datetime.combine(date(2026, 4, 2), time(8), AMS))

    [email] = _about(mail, "j.devries@shelter-a.example")
    subject, body = str(email["Subject"]), _text(email)
    short = case_id[:8]
    assert f"[Safe Future] {_label('Reflection period ends')} - over 3 dagen (casus {short})" == (
        subject
    )
    assert f"Casus {short} (SF-2026-0042) van shelter-a." in body
    assert "Uiterlijk op zondag 5 april 2026 (over 3 dagen)." in body
    for trigger in ("Reported to the police", "Residence permit applied for"):
        assert _label(trigger) in body, trigger
    assert "Wat u kunt doen: leg een van deze vast in het dossier." in body
    assert body.rstrip().endswith(LINK.format(case_id=case_id))
    assert "Stage:" not in body and "escalation" not in body
    assert [] == english_in(body)


def test_an_english_contact_reads_english(case: CaseDriver, mail: SmtpServer) -> None:
    """A person whose directory entry says `language: en` gets the same reminder in English,
    with the day written out the English way."""
    directory = _directory(**{"a.bakker": {"email": "a.bakker@x.example", "language": "en"}})
    _reflection(case, counsellor="a.bakker")
    _pass(case, mail.port, directory, datetime.combine(date(2026, 4, 2), time(8), AMS))

    [email] = _about(mail, "a.bakker@x.example")
    assert str(email["Subject"]).startswith("[Safe Future] Reflection period ends - in 3 days")
    assert "Due on Sunday, April 5, 2026 (in 3 days)." in _text(email)
    assert "What you can do: record one of these in the case file." in _text(email)


def test_an_organisation_language_reaches_its_inbox(case: CaseDriver, mail: SmtpServer) -> None:
    """`language: en` on the organisation is the language of its inbox's reminders."""
    directory = Directory.model_validate(
        {"organisations": {"shelter-a": {"language": "en", "inbox": {"email": "in@a.example"}}}}
    )
    _reflection(case)
    _pass(case, mail.port, directory, datetime.combine(DUE, time(8), AMS))

    [email] = _about(mail, "in@a.example")
    assert "Reflection period ends - due today" in str(email["Subject"])


def test_late_reminders_tell_the_inbox_to_assign_and_the_coordinator_to_follow_up(
    case: CaseDriver, mail: SmtpServer
) -> None:
    """Five days late, a case without a counsellor: the inbox is asked to assign one; the
    coordinator to follow up with the shelter, by short id, never the client reference."""
    case_id = _reflection(case, client="CLIENT-NORTH-9")
    _pass(case, mail.port, _directory(), datetime.combine(DUE + timedelta(days=5), time(8), AMS))

    [inbox] = _about(mail, "inbox@shelter-a.example")
    assert "5 dagen te laat" in str(inbox["Subject"])
    assert "deze casus heeft nog geen begeleider; wijs er een toe" in _text(inbox)
    assert "CLIENT-NORTH-9" in _text(inbox) and "CLIENT-NORTH-9" not in str(inbox["Subject"])
    [coordinator] = _about(mail, "zc@noord.example")
    assert f"Casus {case_id[:8]} van shelter-a." in _text(coordinator)
    assert "neem contact op met shelter-a" in _text(coordinator)
    assert "CLIENT-NORTH" not in _text(coordinator)
    assert [] == english_in(_text(coordinator)) == english_in(_text(inbox))


def test_a_step_open_too_long_names_its_missing_documents(
    case: CaseDriver, mail: SmtpServer
) -> None:
    """Step 1 left open past its expected end: the reminder names the step and the
    documents it still lacks (a risk analysis is recorded, the safety plan is not)."""
    case.open(client="SF-2", counsellor="j.devries", intake=date(2026, 1, 5))
    case.record("risk_analysis")
    _pass(case, mail.port, _directory(), datetime.combine(date(2026, 6, 1), time(8), AMS))

    step = _mails(mail, "j.devries@shelter-a.example")
    [body] = [_text(m) for m in step if _label("Basic needs and safety") in str(m["Subject"])]
    assert _label("Basic needs and safety") in body
    assert f"Nog nodig voor deze stap: {_label('Safety plan')}." in body
    assert _label("Risk analysis") not in body.split("Nog nodig")[1]
    assert "leg vast wat ontbreekt en rond de stap af" in body
    assert [] == english_in(body)


def test_a_daily_digest_gathers_a_day_s_reminders_in_one_message(
    case: CaseDriver, mail: SmtpServer
) -> None:
    """A counsellor with `digest: daily`: nothing before 07:00, then one e-mail listing the
    reminders of her three cases; the inbox still gets each by itself; later passes that
    day add nothing."""
    directory = _directory(**{"a.bakker": {"email": "a.bakker@x.example", "digest": "daily"}})
    ids = [_reflection(case, client=f"R-{n}", counsellor="a.bakker") for n in range(3)]
    day = date(2026, 4, 2)

    early = _pass(case, mail.port, directory, datetime.combine(day, time(6), AMS))
    assert [] == _mails(mail, "a.bakker@x.example") and early.planned >= 6
    _pass(case, mail.port, directory, datetime.combine(day, time(7), AMS))
    [digest] = _mails(mail, "a.bakker@x.example")
    items = _text(digest).count("\n\n")
    assert items >= 3  # the reflection periods, and more deadlines of these cases
    assert (
        f"[Safe Future] Uw herinneringen van donderdag 2 april 2026: {items}" == (digest["Subject"])
    )
    body = _text(digest)
    assert all(f"Casus {i[:8]} (R-" in body for i in ids)
    assert all(LINK.format(case_id=i) in body for i in ids)  # each item with its case's link
    assert 3 == body.count(f"{_label('Reflection period ends')}\n")
    assert 3 == body.count("over 3 dagen")
    assert [] == english_in(body)
    assert 3 == len(_about(mail, "inbox@shelter-a.example"))  # the inbox: one by one

    again = _pass(case, mail.port, directory, datetime.combine(day, time(12), AMS))
    assert (0, 1) == (again.sent, len(_mails(mail, "a.bakker@x.example")))


def test_the_digest_comes_at_seven_local_time_on_the_day_the_clocks_change(
    case: CaseDriver, mail: SmtpServer
) -> None:
    """On 29 March 2026 the clocks go forward at 02:00: the digest still comes at 07:00 on
    the wall clock, not at 08:00 (midnight in UTC plus seven hours)."""
    directory = _directory(**{"a.bakker": {"email": "a.bakker@x.example", "digest": "daily"}})
    _reflection(case, client="R-1", counsellor="a.bakker")
    day = date(2026, 3, 29)
    _pass(case, mail.port, directory, datetime.combine(day, time(6, 30), AMS))
    assert [] == _mails(mail, "a.bakker@x.example")
    _pass(case, mail.port, directory, datetime.combine(day, time(7), AMS))
    assert 1 == len(_mails(mail, "a.bakker@x.example"))


def test_a_digest_that_failed_is_sent_once_later_without_what_was_done(
    case: CaseDriver, mail: SmtpServer
) -> None:
    """The mail server is down at 07:00: the digest's reminders wait and are retried. One
    deadline is met meanwhile; the retry sends one digest with the two still open, and a
    further pass sends nothing twice."""
    directory = _directory(**{"a.bakker": {"email": "a.bakker@x.example", "digest": "daily"}})
    ids = [_reflection(case, client=f"R-{n}", counsellor="a.bakker") for n in range(3)]
    day = date(2026, 4, 2)

    down = _pass(case, free_port(), directory, datetime.combine(day, time(7), AMS))
    assert 0 == down.sent and down.retrying >= 3
    case.fire("report_to_police", reported_on="2026-04-02")  # the last case's deadline is met
    _pass(case, mail.port, directory, datetime.combine(day, time(9), AMS))
    _pass(case, mail.port, directory, datetime.combine(day, time(10), AMS))

    [digest] = _mails(mail, "a.bakker@x.example")
    body = _text(digest)
    label = _label("Reflection period ends")
    assert 2 == body.count(f"{label}\n")  # the met one is left out
    reflections = [part for part in body.split("\n\n") if f"{label}\n" in part]
    assert [[True, False, False], [False, True, False]] == sorted(
        ([f"Casus {i[:8]}" in part for i in ids] for part in reflections), reverse=True
    )


def test_a_digest_reminder_planned_after_the_day_s_digest_waits_for_tomorrow(
    case: CaseDriver, mail: SmtpServer
) -> None:
    """After her digest went out, a reminder that falls due later that day waits for the
    next morning's digest instead of coming by itself."""
    directory = _directory(**{"a.bakker": {"email": "a.bakker@x.example", "digest": "daily"}})
    _reflection(case, client="R-1", counsellor="a.bakker")
    day = date(2026, 4, 2)
    _pass(case, mail.port, directory, datetime.combine(day, time(7), AMS))
    assert 1 == len(_mails(mail, "a.bakker@x.example"))

    _reflection(case, client="R-2", counsellor="a.bakker")  # its reminder is due at once
    noon = _pass(case, mail.port, directory, datetime.combine(day, time(12), AMS))
    assert noon.planned >= 1 and 1 == len(_mails(mail, "a.bakker@x.example"))
    _pass(case, mail.port, directory, datetime.combine(day + timedelta(days=1), time(7), AMS))
    assert 2 == len(_mails(mail, "a.bakker@x.example"))


def test_a_failed_delivery_is_logged_with_its_reason(case: CaseDriver, mail: SmtpServer) -> None:
    """A server without STARTTLS, which the settings require: the `reminder_failed` line says
    why; the log-channel line of a role without address (the coordinator, here) carries the
    subject, which names the case by short id only."""
    _reflection(case, client="CLIENT-LOG-1")
    case.clock.set(datetime.combine(DUE, time(8), AMS))
    channels: dict[str, Any] = {
        "email": SmtpChannel(_smtp(mail.port, starttls=True)),
        "log": LogChannel(),
    }
    directory = Directory.model_validate(
        {"organisations": {"shelter-a": {"inbox": {"email": "in@a.example"}}}}
    )
    with structlog.testing.capture_logs() as logs:
        reminders.run_once(case.app, channels, directory, worker="test")

    failed = [line for line in logs if line["event"] == "reminder_failed"]
    assert failed and all("STARTTLS is required" in line["reason"] for line in failed)
    logged = [line for line in logs if line["event"] == "reminder"]
    assert logged and all(line["subject"].startswith("[Safe Future] ") for line in logged)
    assert all(f"(casus {case.id[:8]})" in line["subject"] for line in logged)
    assert not any("CLIENT-LOG" in repr(line) for line in logs)


def test_smtp_settings_errors_name_the_environment_variable(
    monkeypatch: pytest.MonkeyPatch, case: CaseDriver
) -> None:
    """An SMTP host without a sender is refused, naming SAFE_FUTURE_SMTP_SENDER."""
    for name in ("SAFE_FUTURE_SMTP_SENDER", "SAFE_FUTURE_WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SAFE_FUTURE_SMTP_HOST", "127.0.0.1")
    with pytest.raises(InvalidInput) as refused:
        build_channels(case.clock)
    assert ["SAFE_FUTURE_SMTP_SENDER: Field required"] == refused.value.reasons


def test_a_reassigned_case_reminds_its_new_counsellor_in_her_language(
    case: CaseDriver, mail: SmtpServer
) -> None:
    """After `case assign`, the next reminder goes to the new counsellor, in her language."""
    directory = _directory(**{"a.bakker": {"email": "a.bakker@x.example", "language": "en"}})
    _reflection(case, counsellor="j.devries")
    service.assign(case.app, case.id, "a.bakker", actor="zc-test")
    _pass(case, mail.port, directory, datetime.combine(DUE, time(8), AMS))

    [email] = _about(mail, "a.bakker@x.example")
    assert "due today" in str(email["Subject"])


def test_a_held_digest_survives_a_restart(
    case: CaseDriver, mail: SmtpServer, settings: Settings, workflow: Workflow
) -> None:
    """Reminders held at 06:00 for the 07:00 digest are in the database: an engine started
    afresh (a restarted worker) sends them at 07:00, once."""
    directory = _directory(**{"a.bakker": {"email": "a.bakker@x.example", "digest": "daily"}})
    _reflection(case, client="R-1", counsellor="a.bakker")
    held = _pass(case, mail.port, directory, datetime.combine(date(2026, 4, 2), time(6), AMS))
    assert held.planned >= 1 and [] == _mails(mail, "a.bakker@x.example")
    case.app.db.dispose()  # the first worker is gone

    clock = FixedClock(datetime.combine(date(2026, 4, 2), time(7), AMS))
    restarted = bootstrap(settings, clock=clock, workflow=workflow, configure_logs=False)
    try:
        channels: dict[str, Any] = {"email": SmtpChannel(_smtp(mail.port)), "log": LogChannel()}
        for _ in range(2):
            reminders.run_once(restarted, channels, directory, worker="restarted")
    finally:
        restarted.db.dispose()
    [digest] = _mails(mail, "a.bakker@x.example")
    assert 1 == _text(digest).count(f"{_label('Reflection period ends')}\n")


def test_a_directory_with_an_unknown_language_or_digest_is_refused(tmp_path: Path) -> None:
    """`language: fr` and `digest: weekly` are refused at load, naming the entry and the rule."""
    path = tmp_path / "directory.yaml"
    path.write_text("people:\n  a.bakker: {email: a@b.example, language: fr, digest: weekly}\n")
    with pytest.raises(InvalidInput) as refused:
        Directory.load(path)
    assert [
        "people.a.bakker.language: Value error, one of nl, en",
        "people.a.bakker.digest: Input should be 'daily'",
    ] == refused.value.reasons
