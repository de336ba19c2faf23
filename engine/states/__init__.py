"""The workflow: its schema, the loader and its checks, the machines, timers and diagrams."""

from engine.states._dataschema import trigger_example, trigger_names, trigger_schema
from engine.states._diagram import dot, edges, from_any_step, mermaid, state_title
from engine.states._loader import default_workflow_path, parse_spec, read_spec
from engine.states._reminders import Stage, current_stage
from engine.states._schema import Duration, WorkflowSpec
from engine.states._workflow import TriggerOption, Workflow

__all__ = [
    "Duration",
    "Stage",
    "TriggerOption",
    "Workflow",
    "WorkflowSpec",
    "current_stage",
    "default_workflow_path",
    "dot",
    "edges",
    "from_any_step",
    "mermaid",
    "parse_spec",
    "read_spec",
    "state_title",
    "trigger_example",
    "trigger_names",
    "trigger_schema",
]
