"""Benchmark 5: the same process on SpiffWorkflow (from PyPI) and on this engine, each
persisting every step: ten steps of a trafficking case's residence track with one branch (the
last IND decision) and one timer (the reflection period). Instances per second, run to the
end one by one, every step a transaction of its own that reads the instance, moves it and
writes it back. SpiffWorkflow keeps an instance as its serialised JSON in one row; the engine
writes its case row, the events, the timers and the audit row."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    Integer,
    MetaData,
    Table,
    Text,
    create_engine,
    insert,
    select,
    update,
)

from bench._harness import Result, databases
from bench.transitions import ACTOR, engine_app, open_cases, sequence
from engine import service

BPMN = Path(__file__).with_name("case.bpmn")
_meta = MetaData()
instances = Table("spiff_instances", _meta, Column("id", Integer, primary_key=True),
                  Column("state", Text, nullable=False))  # fmt: skip


class Spiff:
    """SpiffWorkflow with its spec parsed once and each instance kept as JSON in a row."""

    def __init__(self, db: Engine) -> None:
        from SpiffWorkflow.bpmn.parser import BpmnParser
        from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer

        parser = BpmnParser()
        parser.add_bpmn_file(str(BPMN))
        self.spec = parser.get_spec("safe_future_case")
        self.serializer = BpmnWorkflowSerializer()
        self.db = db
        _meta.create_all(db)

    def start(self) -> int:
        from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

        workflow = BpmnWorkflow(self.spec)
        workflow.do_engine_steps()
        with self.db.begin() as conn:
            found = conn.execute(
                insert(instances).values(state=self.serializer.serialize_json(workflow))
            )
            return int(found.inserted_primary_key[0])

    def step(self, instance: int, data: dict[str, Any]) -> bool:
        """Complete the ready step with `data`; False when the instance has ended."""
        from SpiffWorkflow.util.task import TaskState

        with self.db.begin() as conn:
            state = conn.execute(
                select(instances.c.state).where(instances.c.id == instance)
            ).scalar_one()
            workflow = self.serializer.deserialize_json(state)
            task = workflow.get_next_task(state=TaskState.READY, manual=True)
            if task is None:
                return False
            task.data.update(data)
            task.run()
            workflow.do_engine_steps()
            conn.execute(
                update(instances).where(instances.c.id == instance)
                .values(state=self.serializer.serialize_json(workflow))
            )  # fmt: skip
            return True


def _spiff_run(db: Engine, n: int) -> float:
    spiff = Spiff(db)
    started = time.perf_counter()
    for _ in range(n):
        instance = spiff.start()
        for _trigger, data in sequence():
            decision = data.get("decision")
            assert spiff.step(instance, {"decision": decision} if decision else {})
    return time.perf_counter() - started


def _engine_run(url: str, n: int) -> float:
    app = engine_app(url)
    started = time.perf_counter()
    for i in range(n):
        (case_id,) = open_cases(app, 1, prefix=f"P{i}")
        for trigger, data in sequence():
            service.fire(app, case_id, trigger, data, actor=ACTOR)
    took = time.perf_counter() - started
    app.db.dispose()
    return took


def run(quick: bool) -> list[Result]:
    n = 30 if quick else 300
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, url in databases(Path(tmp)).items():
            spiff_db = create_engine(url("spiff"))
            spiff = _spiff_run(spiff_db, n)
            spiff_db.dispose()
            ours = _engine_run(url("engine"), n)
            what = f"{n} instances x 10 steps"
            results += [
                Result("peer", f"engine, {name}", ours, what, ours / n, ours / spiff,
                       "< 1 (faster than the peer)", {"instances_per_s": n / ours},
                       note=f"{n / ours:.0f} instances/s"),
                Result("peer", f"SpiffWorkflow 3, {name}", spiff, what, spiff / n,
                       extra={"instances_per_s": n / spiff}, note=f"{n / spiff:.0f} instances/s"),
            ]  # fmt: skip
    return results
