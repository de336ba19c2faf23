"""The checked workflow kept between processes (engine/states/_cache.py): a second start
reads the kept copy, but an edited file, a damaged entry or an unwritable cache never give a
workflow other than the file's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import WorkflowInvalid
from engine.states import Workflow, default_workflow_path
from engine.states._schema import WorkflowSpec

SHIPPED = default_workflow_path().read_text(encoding="utf-8")
FIRST_LABEL = 'label: "Basic needs and safety"'


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "safe-future"


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "flow.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _first_label(workflow: Workflow) -> str:
    return workflow.spec.care.states[0].label


def test_a_second_load_reads_the_kept_workflow_and_an_edit_is_seen(
    tmp_path: Path, cache: Path
) -> None:
    """Loading keeps one entry and loading again gives the same workflow; after the file's
    first step is renamed, the next load shows the new name (a new entry, the old one unused)."""
    path = _file(tmp_path, SHIPPED)
    first = Workflow.load(path)
    [kept] = cache.glob("workflow-*.json")
    again = Workflow.load(path)
    assert (first.spec, "Basic needs and safety") == (again.spec, _first_label(again))
    # The second load read the kept copy, not the file: a label changed in the copy shows.
    kept.write_text(kept.read_text().replace("Basic needs and safety", "From the cache"))
    assert "From the cache" == _first_label(Workflow.load(path))
    path.write_text(SHIPPED.replace(FIRST_LABEL, 'label: "Shelter and safety first"'), "utf-8")
    edited = Workflow.load(path)
    assert "Shelter and safety first" == _first_label(edited)
    assert 2 == len(list(cache.glob("workflow-*.json")))


def test_a_damaged_entry_is_read_again_from_the_file(tmp_path: Path, cache: Path) -> None:
    """An entry that is cut off or no longer fits the schema is passed over: the file is read,
    checked and kept again."""
    path = _file(tmp_path, SHIPPED)
    expected = Workflow.load(path).spec
    [kept] = cache.glob("workflow-*.json")
    for damage in (kept.read_text()[:100], '{"timezone": "Europe/Amsterdam"}'):
        kept.write_text(damage)
        assert expected == Workflow.load(path).spec
        assert expected == WorkflowSpec.model_validate_json(kept.read_text())


def test_without_a_writable_cache_the_file_is_read_each_time(tmp_path: Path, cache: Path) -> None:
    """Where the cache directory cannot be made (a file is in its place), the workflow still
    loads, and an edit is still seen."""
    cache.parent.mkdir(parents=True)
    cache.write_text("not a directory")
    path = _file(tmp_path, SHIPPED)
    assert "Basic needs and safety" == _first_label(Workflow.load(path))
    path.write_text(SHIPPED.replace(FIRST_LABEL, 'label: "Shelter and safety first"'), "utf-8")
    assert "Shelter and safety first" == _first_label(Workflow.load(path))


def test_a_refused_file_is_never_kept(tmp_path: Path, cache: Path) -> None:
    """A file with a problem is refused at every load, with its problem, and nothing is kept."""
    path = _file(tmp_path, SHIPPED.replace("initial: ", "initial: no_such_", 1))
    for _ in range(2):
        with pytest.raises(WorkflowInvalid) as refused:
            Workflow.load(path)
        assert any("unknown state 'no_such_" in reason for reason in refused.value.reasons)
    assert [] == list(cache.glob("workflow-*.json"))
