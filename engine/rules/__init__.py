"""Named guards and their registry. Importing this package registers every guard."""

from engine.rules._guards import unmet_requirements
from engine.rules._registry import (
    GUARDS,
    BoundGuard,
    GuardContext,
    Requirement,
    bind,
    evaluate,
    guard,
)
from engine.rules._return import complaints

__all__ = [
    "GUARDS",
    "BoundGuard",
    "GuardContext",
    "Requirement",
    "bind",
    "complaints",
    "evaluate",
    "guard",
    "unmet_requirements",
]
