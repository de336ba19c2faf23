"""`safe-future case export` as a shelter runs it (issue 13, point 7): the PAT (Bijlage 5,
book L4221-4440) written as PDF/A or HTML, in English or Dutch, audited; bad options exit 2
naming the values allowed."""

from __future__ import annotations

import json
import os
import pty
import stat
import subprocess
from pathlib import Path

from engine.documents import example
from tests.e2e.test_cli import COMMAND, Cli, open_args, reasons_text, today
from tests.pdfs import pdf_text, pdfa_claim

CLIENT = "CLI-EXP-9"


def _case_with_plan(cli: Cli) -> str:
    case_id: str = cli.ok(*open_args(client=CLIENT))["id"]
    plan = json.dumps(example("return_plan", today()))
    cli.ok("case", "record", case_id, "return_plan", "--data", plan)
    return case_id


def test_export_writes_the_dutch_pat_as_pdf_a_readable_by_its_owner_only(
    ready: Cli, tmp_path: Path
) -> None:
    """Bijlage 5 in the book's Dutch (L4242): written to --out, mode 0600 (special-category
    data), without the client reference; the export is in the case's audit trail."""
    case_id = _case_with_plan(ready)
    out = tmp_path / "pat.pdf"
    details = ready.ok(
        "case", "export", case_id, "return_plan", "--format", "pdf", "--lang", "nl",
        "--out", str(out),
    )  # fmt: skip
    assert {
        "file": str(out),
        "filename": f"return_plan-{case_id[:8]}-v1-nl.pdf",
        "media_type": "application/pdf",
        "bytes": out.stat().st_size,
    } == details
    assert 0o600 == stat.S_IMODE(out.stat().st_mode)
    content = out.read_bytes()
    assert ("3", "B") == pdfa_claim(content)
    text = pdf_text(content)
    assert "1 Persoonlijke achtergrond: wat heeft u tot nu toe gedaan" in text
    assert "13 Afspraken" in text and CLIENT not in text
    trail = ready.ok("audit", "show", case_id)
    assert ["read:export:return_plan"] == [r["action"] for r in trail if "export" in r["action"]]


def test_html_goes_to_standard_output_and_the_clients_copy_carries_her_reference(
    ready: Cli, tmp_path: Path
) -> None:
    """Without --out the HTML is printed; --client-copy prints her reference on it."""
    case_id = _case_with_plan(ready)
    printed = ready.run("case", "export", case_id, "return_plan", "--format", "html")
    assert 0 == printed.code, printed
    assert printed.out.startswith("<!DOCTYPE html>") and CLIENT not in printed.out
    assert "Personal background: what have you done so far" in printed.out
    copy = tmp_path / "copy.pdf"
    ready.ok("case", "export", case_id, "return_plan", "--client-copy", "--out", str(copy))
    assert f"Client reference {CLIENT}" in pdf_text(copy.read_bytes())


def test_bad_export_options_exit_2_naming_the_allowed_values(ready: Cli, tmp_path: Path) -> None:
    """Each refusal names the field and what it takes; nothing is written."""
    case_id = _case_with_plan(ready)
    out = tmp_path / "never.html"
    for args, reason in (
        (["overview1"], "kind: 'overview1' cannot be exported; one of return_plan, risk_update, "
                        "health_checklist"),
        (["risk_update", "--out", str(out)], "kind: no risk_update recorded on this case yet"),
        (["return_plan", "--format", "docx"], "format: 'docx' is not a format; one of pdf, html"),
        (["return_plan", "--lang", "fr"],
         "lang: 'fr' is not a language of the export; one of en, nl"),
        (["return_plan"], "out: the export's details needs a file to write the export to"),
    ):  # fmt: skip
        assert reason == reasons_text(ready.refused("case", "export", case_id, *args))
    assert not out.exists()


def test_a_pdf_is_not_written_to_a_terminal(ready: Cli) -> None:
    """Binary on a terminal helps no one: without --out, a PDF on a terminal is refused."""
    case_id = _case_with_plan(ready)
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(
            [str(COMMAND), *ready.db, "case", "export", case_id, "return_plan"],
            stdout=follower, stderr=subprocess.PIPE, env=ready.env, cwd=ready.cwd,
            timeout=120, check=False,
        )  # fmt: skip
    finally:
        os.close(follower)
        os.close(leader)
    assert 2 == proc.returncode
    assert "out: a PDF needs a file to write the export to" in proc.stderr.decode()
