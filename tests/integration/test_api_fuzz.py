"""Schemathesis against the served API's own OpenAPI schema: generated requests, valid and
invalid, as a counsellor and as an administrator, never get a server error."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from engine import accounts
from engine.api import create_api
from engine.bootstrap import App
from tests.support import ADMIN, ServerThread, enrolled_token

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


@pytest.mark.parametrize("role", ["counsellor", "admin"])
def test_generated_requests_find_no_server_error(app: App, role: str, tmp_path: Path) -> None:
    """Every operation, fuzzed from the schema with the role's token: no 5xx answer, and
    every answer whose status the schema documents fits its schema."""
    accounts.add_organisation(app, "noord", kind="region", name="Regio Noord", actor=ADMIN)
    accounts.add_organisation(
        app, "shelter-a", kind="shelter", name="Shelter A", region="noord", actor=ADMIN
    )
    accounts.add_user(app, "anna", organisation="shelter-a", role=role, actor=ADMIN)
    token = enrolled_token(app, "anna")
    with ServerThread(create_api(app)) as server:
        run = subprocess.run(
            [str(SCHEMATHESIS), "run", f"{server.url}/openapi.json",
             "--checks", "not_a_server_error,response_schema_conformance",
             "--max-examples", "15", "--seed", "1",
             "-H", f"Authorization: Bearer {token}", "--request-timeout", "10"],
            capture_output=True, text=True, timeout=600, cwd=tmp_path,
        )  # fmt: skip
    assert 0 == run.returncode, run.stdout[-4000:]
    tested = re.search(r"(\d+) generated, (\d+) passed", run.stdout)
    assert tested and int(tested[1]) >= 100 and tested[1] == tested[2], run.stdout[-2000:]
