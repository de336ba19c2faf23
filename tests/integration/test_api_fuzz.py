"""Schemathesis against the served API's own OpenAPI schema: generated requests, valid and
invalid, as a counsellor and as an administrator, never get a server error nor a status
the schema does not document for the operation. Its hooks
(tests/schemathesis_hooks.py) aim dates, moments and integers at the ends of their ranges,
and a real case id reaches the case endpoints, so the review's absurd inputs are among them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from engine import accounts, service
from engine.api import create_api
from engine.bootstrap import App
from tests.support import ADMIN, ServerThread, enrolled_token

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
HOOKS = Path(__file__).resolve().parents[1] / "schemathesis_hooks.py"


@pytest.mark.parametrize("role", ["counsellor", "admin"])
def test_generated_requests_find_no_server_error(app: App, role: str, tmp_path: Path) -> None:
    """Every operation, fuzzed from the schema with the role's token and aimed at absurd
    dates and integers: no 5xx answer, no status the schema does not document for that
    operation, and every answer whose status the schema documents fits its schema."""
    accounts.add_organisation(app, "noord", kind="region", name="Regio Noord", actor=ADMIN)
    accounts.add_organisation(
        app, "shelter-a", kind="shelter", name="Shelter A", region="noord", actor=ADMIN
    )
    accounts.add_user(app, "anna", organisation="shelter-a", role=role, actor=ADMIN)
    token = enrolled_token(app, "anna")
    case_id = service.open_case(
        app, client_ref="F-1", organisation="shelter-a", kind="trafficking",
        intake_on=date(2025, 12, 1), actor="counsellor:test",
    )["id"]  # fmt: skip
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        "[parameters]\n"
        f'"path.case_id" = "{case_id}"\n"path.kind" = "risk_analysis"\n'
        '"path.trigger" = "report_to_police"\n"path.user_id" = "anna"\n'
    )
    with ServerThread(create_api(app)) as server:
        run = subprocess.run(
            [str(SCHEMATHESIS), "--config-file", str(config), "run", f"{server.url}/openapi.json",
             "--checks", "not_a_server_error,response_schema_conformance,status_code_conformance",
             "--max-examples", "15", "--seed", "1",
             "-H", f"Authorization: Bearer {token}", "--request-timeout", "10"],
            capture_output=True, text=True, timeout=600, cwd=tmp_path,
            env={**os.environ, "SCHEMATHESIS_HOOKS": str(HOOKS)},
        )  # fmt: skip
    assert 0 == run.returncode, run.stdout[-4000:]
    tested = re.search(r"(\d+) generated, (\d+) passed", run.stdout)
    assert tested and int(tested[1]) >= 100 and tested[1] == tested[2], run.stdout[-2000:]
    operations = re.search(r"Selected: (\d+)/(\d+)\s+Tested: (\d+)", run.stdout)
    assert operations and operations[2] == operations[3], run.stdout[-2000:]
