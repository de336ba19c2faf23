"""Settings from the environment (prefix SAFE_FUTURE_); command-line options win."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SAFE_FUTURE_", extra="ignore")

    db: str = Field(default="sqlite:///safe_future.db", description="database URL")
    workflow: Path | None = Field(default=None, description="workflow file; default: shipped")
    log_level: str = "WARNING"
    log_json: bool = True
