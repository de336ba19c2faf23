"""Settings from the environment (prefix SAFE_FUTURE_); command-line options win."""

from __future__ import annotations

import os
from ipaddress import ip_network
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

ENV_PREFIX = "safe_future_"


class Settings(BaseModel):
    """Read as pydantic-settings' `BaseSettings` with `env_prefix="SAFE_FUTURE_"` reads them
    (the variable's name in any case, arguments before the environment, each value validated
    as its field's type), without importing pydantic-settings: that took 35 ms of every
    command's start (docs/performance.md, cold start). Every field is a single value; a list
    or mapping would need that library's JSON decoding of the variable."""

    model_config = ConfigDict(extra="ignore", validate_default=True)

    def __init__(self, **values: Any) -> None:
        super().__init__(**{**_environment(type(self).model_fields), **values})

    db: str = Field(default="sqlite:///safe_future.db", description="database URL")
    keys: SecretStr | None = Field(
        default=None,
        description="encryption keys as ID:SECRET,ID:SECRET (oldest first; the last seals)",
    )
    key_file: Path | None = Field(
        default=None,
        description="key file (one `ID SECRET` per line, mode 0600); default: for SQLite "
        "the database file's name plus .keys",
    )
    workflow: Path | None = Field(default=None, description="workflow file; default: shipped")
    log_level: str = "WARNING"
    log_json: bool = True
    directory: Path | None = Field(
        default=None, description="who gets reminders: organisations' inboxes, coordinators"
    )
    socialmap_file: Path | None = Field(
        default=None,
        description="a shelter's own additions to the social map (YAML, as the shipped file)",
    )
    case_link: str | None = Field(
        default=None, description="link to a case in the shelter's system, with {case_id}"
    )
    public_url: str | None = Field(
        default=None,
        pattern=r"^https?://[^/?#]+$",
        description="where people reach the pages, as https://host[:port], when a proxy sits "
        "in front: forms must come from there, and the session cookie is Secure for https",
    )
    session_hours: float = Field(
        default=8.0, gt=0, le=24, description="a browser session's life (the pages' login)"
    )
    enrolment_hours: float = Field(
        default=24.0, gt=0, le=168, description="how long a person's enrolment link works"
    )
    worker_interval: float = Field(default=60.0, gt=0, description="seconds between passes")
    auth_failures_per_address: int = Field(
        default=20, ge=1, description="wrong tokens from one client address per window"
    )
    auth_failures_per_token: int = Field(
        default=5, ge=1, description="wrong tries at one token prefix per window, any address"
    )
    auth_window_seconds: int = Field(
        default=900, ge=1, le=86_400, description="the rate limit's (sliding) window"
    )
    trusted_proxies: str = Field(
        default="",
        description="comma-separated addresses or networks of reverse proxies whose "
        "X-Forwarded-For names the client; empty: the connecting address is the client",
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        for part in filter(None, (p.strip() for p in value.split(","))):
            try:
                ip_network(part, strict=False)
            except ValueError:
                raise ValueError(f"{part!r} is not an IP address or network") from None
        return value


def _environment(fields: dict[str, Any]) -> dict[str, str]:
    """The SAFE_FUTURE_ variables that name a field, by field name."""
    found: dict[str, str] = {}
    for name, value in os.environ.items():
        lowered = name.lower()
        if lowered.startswith(ENV_PREFIX) and lowered[len(ENV_PREFIX) :] in fields:
            found[lowered[len(ENV_PREFIX) :]] = value
    return found
