"""RunStore and RunRecorder without a Trainer: synthetic engine events, tiny files."""

from __future__ import annotations

import csv
import json
import threading
import time
from pathlib import Path

import pytest

from workbench.core.engine.events import (
    EpochEnd,
    EvaluationDone,
    RunEnded,
    RunStarted,
    StepMetrics,
)
from workbench.core.runs import (
    RunError,
    RunRecord,
    RunRecorder,
    RunStore,
    default_runs_dir,
    workbench_home,
)


@pytest.fixture
def store(tmp_path: Path) -> RunStore:
    s = RunStore(tmp_path / "runs.sqlite")
    yield s
    s.close()


def _record(run_id: str, tmp_path: Path, created: str) -> RunRecord:
    return RunRecord(id=run_id, run_dir=tmp_path / run_id, created=created, spec_name="CNN",
                     data_source="digits", config={"lr": 0.001})


def test_home_follows_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "wb"))
    assert workbench_home() == tmp_path / "wb"
    assert default_runs_dir() == tmp_path / "wb" / "runs"
    assert RunStore().path == tmp_path / "wb" / "runs.sqlite"


def test_round_trip(store: RunStore, tmp_path: Path) -> None:
    store.add(_record("20260101-000000-aaaa", tmp_path, "2026-01-01T00:00:00+00:00"))
    store.add(_record("20260102-000000-bbbb", tmp_path, "2026-01-02T00:00:00+00:00"))
    assert [r.id for r in store.list_runs()] == ["20260102-000000-bbbb", "20260101-000000-aaaa"]
    r = store.get("20260101-000000-aaaa")
    assert r.config == {"lr": 0.001} and r.run_dir == tmp_path / "20260101-000000-aaaa"
    assert r.status == "running" and r.test_accuracy is None

    store.update(r.id, status="finished", test_accuracy=0.97, epochs_done=3)
    r = store.get(r.id)
    assert (r.status, r.test_accuracy, r.epochs_done) == ("finished", 0.97, 3)

    store.add_steps(r.id, [{"step": s, "epoch": 0, "loss": 1.0 / s, "accuracy": None, "lr": 1e-3,
                            "samples_per_sec": 100.0} for s in (2, 1, 3)])
    store.add_epochs(r.id, [{"epoch": 0, "step": 3, "train_loss": 0.5, "train_accuracy": 0.8,
                             "val_loss": None, "val_accuracy": None, "seconds": 1.5}])
    steps = store.step_metrics(r.id)
    assert [s["step"] for s in steps] == [1, 2, 3] and steps[0]["accuracy"] is None
    assert set(steps[0]) == {"step", "epoch", "loss", "accuracy", "lr", "samples_per_sec"}
    assert store.epoch_metrics(r.id)[0]["seconds"] == 1.5
    assert store.match("20260101") == ["20260101-000000-aaaa"]
    assert store.match("2026010_") == []  # LIKE wildcards are taken literally

    store.delete(r.id)
    assert store.find(r.id) is None and store.step_metrics(r.id) == []
    with pytest.raises(RunError, match="no run"):
        store.get(r.id)
    assert len(store.list_runs()) == 1


def test_reads_while_another_thread_writes(store: RunStore, tmp_path: Path) -> None:
    store.add(_record("r1", tmp_path, "2026-01-01T00:00:00+00:00"))
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for i in range(200):
                store.add_steps("r1", [{"step": i * 10 + j, "epoch": 0, "loss": 0.1}
                                       for j in range(10)])
                store.update("r1", epochs_done=i)
        except BaseException as e:  # noqa: BLE001 (reported to the main thread)
            errors.append(e)

    t = threading.Thread(target=write)
    t.start()
    seen = 0
    deadline = time.monotonic() + 30
    while t.is_alive() and time.monotonic() < deadline:
        rows = store.step_metrics("r1")
        assert len(rows) % 10 == 0  # a batch is visible whole or not at all
        seen = max(seen, len(rows))
        store.list_runs()
    t.join()
    assert not errors
    assert len(store.step_metrics("r1")) == 2000
    # a second store on the same file (another process, the GUI) sees it all
    with RunStore(store.path) as other:
        assert other.get("r1").epochs_done == 199


def _started(**kw) -> RunStarted:
    return RunStarted(config={"epochs": 2, "lr": 0.01}, device="cpu", train_size=100,
                      val_size=10, test_size=10, params=1234, steps_per_epoch=2, total_steps=4,
                      precision="fp32", **kw)


def _epoch(e: int, acc: float) -> EpochEnd:
    return EpochEnd(epoch=e, step=2 * (e + 1), train_loss=1.0 - 0.1 * e, train_accuracy=0.5,
                    val_loss=0.9, val_accuracy=acc, seconds=0.25, is_best=True)


def _step(s: int) -> StepMetrics:
    return StepMetrics(step=s, epoch=(s - 1) // 2, epoch_progress=0.5, loss=float("nan") if s == 4
                       else 1.0 / s, accuracy=0.5, lr=0.01, samples_per_sec=1000.0,
                       eta_seconds=1.0)


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def test_recorder_writes_folder_and_rows(store: RunStore, tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    record = _record("r2", tmp_path, "2026-01-01T00:00:00+00:00")
    record.run_dir = run_dir
    store.add(record)
    rec = RunRecorder(run_dir, store, record)
    rec.on_run_started(_started())
    assert store.get("r2").device == "cpu" and store.get("r2").params == 1234
    for s in (1, 2):
        rec.on_step(_step(s))
    rec.on_epoch_end(_epoch(0, 0.7))
    for s in (3, 4):
        rec.on_step(_step(s))
    rec.on_epoch_end(_epoch(1, 0.6))
    rec.on_evaluation(EvaluationDone({"accuracy": 0.75, "loss": 0.8, "per_class": []}))
    rec.on_run_ended(RunEnded(status="finished", reason="", epochs_done=2, steps_done=4,
                              seconds=1.5, best_val_accuracy=0.7))

    info = json.loads((run_dir / "run.json").read_text())
    assert info["status"] == "finished" and info["test_accuracy"] == 0.75
    assert info["best_val_accuracy"] == 0.7 and info["epochs_done"] == 2
    assert info["device"] == "cpu" and info["seconds"] == 1.5 and info["id"] == "r2"
    assert json.loads((run_dir / "evaluation.json").read_text())["loss"] == 0.8
    steps = _csv(run_dir / "metrics" / "steps.csv")
    assert [r["step"] for r in steps] == ["1", "2", "3", "4"] and steps[3]["loss"] == "nan"
    assert [r["epoch"] for r in _csv(run_dir / "metrics" / "epochs.csv")] == ["0", "1"]
    r = store.get("r2")
    assert (r.status, r.test_accuracy, r.test_loss, r.best_val_accuracy) == ("finished", 0.75, 0.8, 0.7)
    assert r.config == {"epochs": 2, "lr": 0.01}
    assert len(store.step_metrics("r2")) == 4 and len(store.epoch_metrics("r2")) == 2

    # resumed from the checkpoint after epoch 0: later rows are written again, not doubled
    rec = RunRecorder(run_dir, store, store.get("r2"))
    rec.on_run_started(_started(start_epoch=1, start_step=2))
    assert [r["step"] for r in _csv(run_dir / "metrics" / "steps.csv")] == ["1", "2"]
    for s in (3, 4):
        rec.on_step(_step(s))
    rec.on_epoch_end(_epoch(1, 0.8))
    rec.on_run_ended(RunEnded(status="stopped", reason="stopped by the user", epochs_done=2,
                              steps_done=4, seconds=0.5))
    assert [r["epoch"] for r in _csv(run_dir / "metrics" / "epochs.csv")] == ["0", "1"]
    assert [s["step"] for s in store.step_metrics("r2")] == [1, 2, 3, 4]
    r = store.get("r2")
    assert r.status == "stopped" and r.reason == "stopped by the user"
    assert r.best_val_accuracy == 0.8 and r.seconds == pytest.approx(2.0)


def test_delete_can_remove_the_folder(store: RunStore, tmp_path: Path) -> None:
    run_dir = tmp_path / "r3"
    run_dir.mkdir()
    (run_dir / "run.json").write_text("{}")
    record = _record("r3", tmp_path, "2026-01-01T00:00:00+00:00")
    store.add(record)
    store.delete("r3", remove_folder=True)
    assert not run_dir.exists() and store.find("r3") is None
