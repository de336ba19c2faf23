"""Schemathesis hooks (SCHEMATHESIS_HOOKS) that aim its generated requests at the review's
absurd inputs (finding 6): dates and moments at the ends of the calendar with extreme
offsets, and integers past 32 and 64 bits, wherever a date, a moment or an integer is taken."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import strategies as st

MOMENTS = [
    "0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59-12:00",
    "9999-12-31T23:59:59+00:00", "1990-01-01T00:00:00Z", "2026-01-05T10:00:00+01:00",
]  # fmt: skip
DAYS = ["0001-01-01", "9999-12-31", "1899-12-31", "1990-01-01", "2026-01-05"]
BIG_INTS = [2**31, 2**63, 2**64, 1180591620717411303424, -(2**63) - 1]

schemathesis.openapi.format("date-time", st.sampled_from(MOMENTS))
schemathesis.openapi.format("date", st.sampled_from(DAYS))


def _with_big_ints(value: dict[str, Any] | None) -> st.SearchStrategy[dict[str, Any] | None]:
    """The parameters as generated, or with every integer among them made huge."""
    names = [k for k, v in (value or {}).items() if isinstance(v, int) and not isinstance(v, bool)]
    if not value or not names:
        return st.just(value)
    huge = st.sampled_from(BIG_INTS).map(lambda big: {**value, **dict.fromkeys(names, big)})
    return st.one_of(st.just(value), huge)


@schemathesis.hook
def flatmap_query(_: Any, query: dict[str, Any] | None) -> st.SearchStrategy[Any]:
    return _with_big_ints(query)


@schemathesis.hook
def flatmap_path_parameters(_: Any, path: dict[str, Any] | None) -> st.SearchStrategy[Any]:
    return _with_big_ints(path)
