"""Named guards and their registry. Importing this package registers every guard."""

from engine.rules import _guards  # noqa: F401  (registers the guards)
from engine.rules._registry import GUARDS, BoundGuard, GuardContext, bind, evaluate, guard

__all__ = ["GUARDS", "BoundGuard", "GuardContext", "bind", "evaluate", "guard"]
