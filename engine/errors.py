"""Every error the engine raises on purpose, in one hierarchy.

Entry points translate these: the CLI to exit status 2 and `{"error", "message", "reasons"}`,
the HTTP API to problem+json. `code` is the stable machine-readable name.
"""

from __future__ import annotations

from collections.abc import Sequence


class EngineError(Exception):
    """Base of all deliberate engine errors; nothing has been changed when one is raised."""

    code = "engine_error"

    def __init__(self, message: str, reasons: Sequence[str] | None = None) -> None:
        self.message = message
        self.reasons = list(reasons or [])
        super().__init__("; ".join([message, *self.reasons]))

    def as_dict(self) -> dict[str, object]:
        return {"error": self.code, "message": self.message, "reasons": self.reasons}


class InvalidInput(EngineError):
    """Input failed validation; each reason names the field and the rule."""

    code = "invalid_input"


class AmbiguousCase(InvalidInput):
    """A short case id (a prefix of the full id) names more than one case the caller may
    see; the reasons list them by their longer prefixes. HTTP 422, like other bad input."""

    code = "ambiguous_case"


class TriggerRefused(EngineError):
    """A trigger is not possible now; the reasons say which rules are not met."""

    code = "trigger_refused"


class CaseNotFound(EngineError):
    """No case with this id is visible to the caller."""

    code = "case_not_found"


class NotFound(EngineError):
    """No such item (an organisation on the social map, say)."""

    code = "not_found"


class ConcurrentChange(EngineError):
    """Someone else changed the case since it was read; nothing was written, try again."""

    code = "concurrent_change"


class WorkflowInvalid(EngineError):
    """A workflow file failed its checks; each reason gives file, line and what is wrong."""

    code = "workflow_invalid"


class Unauthenticated(EngineError):
    """No valid token: missing, unknown, expired or revoked (which one is not said)."""

    code = "unauthenticated"


class Forbidden(EngineError):
    """The caller's role may not do this (a case outside her scope is `CaseNotFound`)."""

    code = "forbidden"


class NotConfigured(EngineError):
    """The engine lacks a setting this needs; the reasons name the setting."""

    code = "not_configured"


class TooManyAttempts(EngineError):
    """Too many failed sign-ins from this address or with this token; `retry_after` says when
    the next attempt is counted again."""

    code = "too_many_attempts"

    def __init__(self, message: str, reasons: Sequence[str], *, retry_after: int) -> None:
        super().__init__(message, reasons)
        self.retry_after = retry_after


class KeyProblem(EngineError):
    """An encryption key is missing, wrong or unreadable; reasons name the key id and where it
    was looked for, never the key."""

    code = "key_error"
