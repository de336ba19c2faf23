"""Safe Future Engine: the Safe Future care pathway as durable per-case state machines.

Use it as a library through `bootstrap` and the functions of `engine.service`::

    from engine.bootstrap import bootstrap
    from engine import service

    app = bootstrap()
    case = service.open_case(app, client_ref="A-17", organisation="shelter-north",
                             kind="trafficking", intake_on=date(2026, 11, 2), actor="me")
"""

from engine.errors import (
    CaseNotFound,
    ConcurrentChange,
    EngineError,
    InvalidInput,
    TriggerRefused,
    WorkflowInvalid,
)

__all__ = [
    "CaseNotFound",
    "ConcurrentChange",
    "EngineError",
    "InvalidInput",
    "TriggerRefused",
    "WorkflowInvalid",
]
