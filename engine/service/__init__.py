"""The application service: open a case, fire a trigger, record a document, show a case,
list what is overdue. One transaction each; entry points only translate to these calls."""

from engine.service._cases import KINDS, assign, fire, open_case, record
from engine.service._common import Actor
from engine.service._find import MAX_LIST, CaseQuery, list_cases
from engine.service._overdue import (
    OverdueQuery,
    organisations_in_scope,
    overdue,
    overdue_counts,
    overdue_page,
)
from engine.service._overview import MAX_WEEKS, OverviewQuery, overview
from engine.service._partners import partner_cases
from engine.service._reads import MAX_VERSION, document, export, show, timeline, timers

__all__ = [
    "KINDS",
    "MAX_LIST",
    "MAX_VERSION",
    "MAX_WEEKS",
    "Actor",
    "CaseQuery",
    "OverdueQuery",
    "OverviewQuery",
    "assign",
    "document",
    "export",
    "fire",
    "list_cases",
    "open_case",
    "organisations_in_scope",
    "overdue",
    "overdue_counts",
    "overdue_page",
    "overview",
    "partner_cases",
    "record",
    "show",
    "timeline",
    "timers",
]
