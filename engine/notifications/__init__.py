"""Notification channels (log, e-mail, webhook) behind one small interface, and delivery.

Reminders are decided from the timers the engine keeps (`engine.states` timer rules, stored
as rows by `engine.store`); delivering them is the reminders worker's job.

A channel is anything with a `name` and `send(message)` that delivers one `Message` or raises
`DeliveryFailed` (its `retryable` says whether trying the same message later may help):

- `LogChannel` writes one structured `reminder` event (ids, names and the subject, never the
  body text).
- `SmtpChannel` sends one e-mail per message (`SmtpSettings`, env `SAFE_FUTURE_SMTP_*`), with
  STARTTLS and login; its Message-ID comes from the idempotency key, so a retry is recognisable.
- `WebhookChannel` posts signed JSON (`WebhookSettings`, env `SAFE_FUTURE_WEBHOOK_*`) with a
  timeout and quick retries, with the Standard Webhooks headers (`webhook-id`,
  `webhook-timestamp`, `webhook-signature`, one signature per live secret) and our own
  `X-Safe-Future-Signature`, which receivers check with `verify_signature`.

A message carries no personal data beyond the case reference and what the reminder is about,
and a link to the case, never its contents. The webhook payload leaves out the body text.
"""

from engine.notifications._log import LogChannel
from engine.notifications._message import Channel, DeliveryFailed, Message
from engine.notifications._smtp import SmtpChannel, SmtpSettings
from engine.notifications._webhook import (
    WebhookChannel,
    WebhookSettings,
    payload,
    sign,
    standard_signature,
    verify_signature,
)

__all__ = [
    "Channel",
    "DeliveryFailed",
    "LogChannel",
    "Message",
    "SmtpChannel",
    "SmtpSettings",
    "WebhookChannel",
    "WebhookSettings",
    "payload",
    "sign",
    "standard_signature",
    "verify_signature",
]
