"""The run history locked by another process: the recorder keeps every row until a write
gets through, never raises out of a hook, and says so in one warning (no traceback)."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from workbench.core.engine.events import EpochEnd, RunEnded, RunStarted, StepMetrics
from workbench.core.runs import RunRecord, RunRecorder, RunStore
from workbench.core.runs import recorder as recorder_module


def _started() -> RunStarted:
    return RunStarted({}, "cpu", 10, 2, 2, 100, 20, 20, "fp32", 0, 0)


def _step(i: int) -> StepMetrics:
    return StepMetrics(i, 0, i / 20, 1.0 / i, 0.5, 1e-3, 100.0, 1.0)


@pytest.fixture
def setup(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(recorder_module, "STEP_WAIT", 0.05)
    monkeypatch.setattr(recorder_module, "END_WAIT", 0.05)
    store = RunStore(tmp_path / "runs.sqlite", timeout=0.05)
    record = RunRecord(id="r1", run_dir=tmp_path / "run")
    store.add(record)
    rec = RunRecorder(tmp_path / "run", store, record)
    rec.on_run_started(_started())
    yield store, rec
    store.close()


def _lock(path: Path) -> sqlite3.Connection:
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process's write transaction
    return other


def test_rows_survive_a_locked_history(setup, caplog):
    store, rec = setup
    for i in range(1, 6):
        rec.on_step(_step(i))
    other = _lock(store.path)
    with caplog.at_level(logging.WARNING):
        assert rec.flush() is False  # locked: nothing written, nothing dropped
        for i in range(6, 10):
            rec.on_step(_step(i))
        rec.on_epoch_end(EpochEnd(0, 9, 0.5, 0.6, 0.4, 0.7, 1.0, True))
        rec.on_run_ended(RunEnded("finished", "", 1, 9, 1.0))
    assert rec.unsaved_rows == 10  # 9 steps and the epoch, still buffered
    assert all(r.exc_info is None for r in caplog.records)  # a line, not a traceback
    assert any("cannot be written now" in r.getMessage() for r in caplog.records)
    assert any("stayed locked" in r.getMessage() for r in caplog.records)
    other.rollback()
    other.close()
    assert rec.flush() is True
    assert [r["step"] for r in store.step_metrics("r1")] == list(range(1, 10))
    assert len(store.epoch_metrics("r1")) == 1
    assert store.get("r1").status == "finished" and rec.unsaved_rows == 0


def test_a_lock_released_before_the_end_loses_nothing(setup):
    store, rec = setup
    other = _lock(store.path)
    for i in range(1, 4):
        rec.on_step(_step(i))
    rec.flush()
    other.rollback()
    other.close()
    rec.on_run_ended(RunEnded("finished", "", 0, 3, 1.0))
    assert [r["step"] for r in store.step_metrics("r1")] == [1, 2, 3]
    steps_csv = (rec.run_dir / "metrics" / "steps.csv").read_text().splitlines()
    assert len(steps_csv) == 4  # header and three rows, each once
