"""Pydantic's validation errors in words a counsellor reads, in Dutch and English.

Pydantic words its errors in English only ("Field required", "Input should be ..."). Here the
common error types become catalog texts by their `type` (in English as pydantic words them),
with the values of their `ctx` as parameters; each reason keeps the field's path in front, as
the engine's other reasons do.
A validator of ours raises `ValueError(_("..."))`: its own text is used as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from engine.i18n import N_, Message, _

_TEXTS: Mapping[str, str] = {
    "missing": N_("Field required"),
    "extra_forbidden": N_("Extra inputs are not permitted"),
    "literal_error": N_("Input should be {expected}"),
    "enum": N_("Input should be {expected}"),
    "string_too_long": N_("String should have at most {max_length} characters"),
    "string_too_short": N_("String should have at least {min_length} characters"),
    "too_long": N_(
        "List should have at most {max_length} items after validation, not {actual_length}"
    ),
    "too_short": N_(
        "List should have at least {min_length} items after validation, not {actual_length}"
    ),
    "string_pattern_mismatch": N_("String should match pattern '{pattern}'"),
    "string_type": N_("Input should be a valid string"),
    "date_type": N_("Input should be a valid date"),
    "date_parsing": N_("Input should be a valid date in the format YYYY-MM-DD"),
    "date_from_datetime_parsing": N_("Input should be a valid date or datetime (YYYY-MM-DD)"),
    "date_from_datetime_inexact": N_("Input should be a date (YYYY-MM-DD), without a time"),
    "greater_than": N_("Input should be greater than {gt}"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "less_than": N_("Input should be less than {lt}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "bool_type": N_("Input should be a valid boolean"),
    "bool_parsing": N_("Input should be a valid boolean (true or false)"),
    "int_type": N_("Input should be a valid integer"),
    "int_parsing": N_("Input should be a valid integer"),
    "int_from_float": N_("Input should be a valid integer, got a number with a fractional part"),
    "float_type": N_("Input should be a valid number"),
    "float_parsing": N_("Input should be a valid number"),
    "list_type": N_("Input should be a valid list"),
    "dict_type": N_("Input should be a valid dictionary"),
    "model_type": N_("Input should be a valid dictionary"),
    "model_attributes_type": N_("Input should be a valid dictionary"),
}


def _expected(text: str) -> Message:
    """Pydantic's `'a', 'b' or 'c'` as alternatives in the reader's language."""
    return either([Message(repr(v)) for v in re.findall(r"'([^']*)'", text)])


def either(names: list[Message]) -> Message:
    """`a`, `a or b`, `a, b or c`: the names as one alternative, in words."""
    text = names[0] if names else Message("")
    for i, name in enumerate(names[1:], 2):
        if i == len(names):
            text = _("{these} or {that}", these=text, that=name)
        else:
            text = _("{these}, {that}", these=text, that=name)
    return text


def problem(err: ErrorDetails) -> Message:
    """What is wrong with one value, in words (without the field)."""
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    if err["type"] == "value_error":
        raised = ctx.get("error")
        args = getattr(raised, "args", ())
        if args and isinstance(args[0], Message):
            return args[0]
        return _("{problem}", problem=str(raised))
    text = _TEXTS.get(err["type"])
    if text is None:
        return _("{problem}", problem=err["msg"])
    if "expected" in ctx:
        ctx["expected"] = _expected(str(ctx["expected"]))
    names = set(re.findall(r"{(\w+)}", text))
    return Message(text, **{k: v for k, v in ctx.items() if k in names})


def validation_reasons(prefix: str, exc: ValidationError, whole: str = "") -> list[str]:
    """A reason per error: `prefix.path.to.field: what is wrong` (`whole` names the field of
    an error about the whole input when there is no prefix)."""
    return [
        _(
            "{field}: {problem}",
            field=".".join(str(p) for p in (prefix, *err["loc"]) if p != "") or whole,
            problem=problem(err),
        )
        for err in exc.errors()
    ]
