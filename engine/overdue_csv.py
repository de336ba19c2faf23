"""The overdue list as CSV, for the regional meeting: the columns the overdue page shows, with
a header row in the reader's language. Items carry no client reference, so neither does this."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

from engine.domain import short_id
from engine.i18n import N_, translate

MEDIA_TYPE = "text/csv; charset=utf-8"
HEADER = (
    N_("Case"),
    N_("Organisation"),
    N_("Step or deadline"),
    N_("Step"),
    N_("Due"),
    N_("Days overdue"),
    N_("Counsellor"),
    N_("Still missing"),
)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def overdue_csv(items: Iterable[Mapping[str, Any]], lang: str, names: Mapping[str, str]) -> str:
    """The items as CSV text; `names` gives organisations' names by id (else the id)."""
    out = io.StringIO()
    write = csv.writer(out, lineterminator="\r\n").writerow
    write([translate(h, lang) for h in HEADER])
    for item in items:
        step = " ".join(str(p) for p in (item["step_number"], item["step_label"][lang]) if p)
        write(
            _cell(value)
            for value in (
                short_id(item["case_id"]),
                names.get(item["organisation"], item["organisation"]),
                item["label"][lang],
                step,
                item["due_on"],
                item["days_overdue"],
                item["counsellor"] or translate(N_("unassigned"), lang),
                "; ".join(m["label"][lang] for m in item["missing"]),
            )
        )
    return out.getvalue()


def _cell(value: object) -> str:
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA) and not _number(text) else text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
