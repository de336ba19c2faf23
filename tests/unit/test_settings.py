"""The settings are read from SAFE_FUTURE_ variables as pydantic-settings read them before
(engine/settings.py reads them itself, for a quicker start): any case of the name, arguments
before the environment, each value checked as its field's type."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from engine.settings import Settings


def test_a_variable_in_any_case_sets_its_field_and_an_argument_wins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SAFE_FUTURE_DB and safe_future_session_hours are read, converted to the field's type;
    an argument given to Settings comes before the environment; other variables are ignored."""
    monkeypatch.setenv("SAFE_FUTURE_DB", "sqlite:///from-env.db")
    monkeypatch.setenv("safe_future_session_hours", "3")
    monkeypatch.setenv("SAFE_FUTURE_LOG_JSON", "no")
    monkeypatch.setenv("SAFE_FUTURE_WORKFLOW", "/tmp/flow.yaml")
    monkeypatch.setenv("SAFE_FUTURE_NO_SUCH_SETTING", "x")
    monkeypatch.setenv("DB", "sqlite:///unprefixed.db")
    read = Settings()
    assert ("sqlite:///from-env.db", 3.0, False, Path("/tmp/flow.yaml")) == (
        read.db, read.session_hours, read.log_json, read.workflow)  # fmt: skip
    assert "sqlite:///given.db" == Settings(db="sqlite:///given.db").db


def test_a_bad_value_in_the_environment_names_the_setting_and_the_rule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SAFE_FUTURE_SESSION_HOURS=30 is refused: the error names session_hours and its limit."""
    monkeypatch.setenv("SAFE_FUTURE_SESSION_HOURS", "30")
    with pytest.raises(ValidationError) as refused:
        Settings()
    [error] = refused.value.errors()
    assert (("session_hours",), "less_than_equal") == (error["loc"], error["type"])


def test_without_variables_the_defaults_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no SAFE_FUTURE_ variable the defaults apply: the local SQLite file, 8 hours."""
    for name in [n for n in os.environ if n.upper().startswith("SAFE_FUTURE_")]:
        monkeypatch.delenv(name)
    read = Settings()
    assert ("sqlite:///safe_future.db", 8.0, None) == (read.db, read.session_hours, read.keys)
