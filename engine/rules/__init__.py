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

__all__ = [
    "GUARDS",
    "BoundGuard",
    "GuardContext",
    "Requirement",
    "bind",
    "evaluate",
    "guard",
    "unmet_requirements",
]
