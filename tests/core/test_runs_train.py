"""create_run / open_run / resume_run with the real Trainer on the built-in 8x8 digits."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import torch
from helpers import tiny_mlp_spec

from workbench.core.data import load_source
from workbench.core.engine import Callback, EpochEnd, TrainingConfig, TrainingError
from workbench.core.graph import ModelInvalidError
from workbench.core.runs import RunError, RunStore, create_run, open_run, resume_run


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture(scope="module")
def digits():
    return load_source("digits", seed=0)


CONFIG = TrainingConfig(epochs=2, batch_size=64, lr=3e-3, device="cpu")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def test_create_run_and_fit_complete_the_folder(home: Path, digits) -> None:
    with RunStore() as store:
        trainer, run_dir = create_run(tiny_mlp_spec(hidden=32), "digits", CONFIG, data=digits, store=store,
                                      data_options={"val_fraction": 0.1})
        assert run_dir.parent == home / "runs" and run_dir.name.endswith("-tiny-mlp")
        assert store.list_runs()[0].status == "running"
        ended = trainer.fit()
        assert ended.status == "finished"
        for name in ("run.json", "spec.json", "config.json", "data.json", "evaluation.json",
                     "metrics/steps.csv", "metrics/epochs.csv",
                     "checkpoints/best/model.safetensors", "checkpoints/last/model.safetensors"):
            assert (run_dir / name).is_file(), name
        info = json.loads((run_dir / "run.json").read_text())
        record = store.get(info["id"])
        assert record.status == info["status"] == "finished"
        assert record.epochs_done == 2 and record.device == "cpu" and record.params > 0
        assert 0.5 < record.test_accuracy <= 1 and record.test_loss > 0
        assert record.best_val_accuracy == ended.best_val_accuracy
        assert record.config["lr"] == 3e-3 and record.data_source == "digits"
        assert info["data_options"] == {"val_fraction": 0.1}
        assert [e["epoch"] for e in store.epoch_metrics(record.id)] == [0, 1]
        assert len(_rows(run_dir / "metrics" / "epochs.csv")) == 2
        assert store.step_metrics(record.id)[-1]["step"] == ended.steps_done

        run = open_run(run_dir, store)
        assert run.record is not None and run.record.id == record.id
        assert run.meta.sample_shape == (1, 8, 8) and run.meta.class_names[3] == "3"
        assert run.config == CONFIG and run.spec.to_dict() == tiny_mlp_spec(hidden=32).to_dict()
        assert run.evaluation["accuracy"] == pytest.approx(record.test_accuracy)
        model = run.load_model("best")
        trained = trainer.model.state_dict()  # the best weights, evaluated at the end
        for k, v in model.state_dict().items():
            assert torch.equal(v, trained[k].cpu()), k
        assert open_run(record.id).run_dir == run_dir  # by id, default store
        assert open_run(record.id[:15]).run_dir == run_dir  # by the start of the id


def test_open_run_explains_what_is_missing(home: Path, tmp_path: Path) -> None:
    with pytest.raises(RunError, match="no run 'abc' in the run history and no run folder at abc"):
        open_run("abc")
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "run.json").write_text("{}")
    with pytest.raises(RunError, match="spec.json is missing"):
        open_run(tmp_path / "half")


def test_problems_create_nothing(home: Path, digits) -> None:
    broken = tiny_mlp_spec(hidden=32)
    broken.edges = broken.edges[:-1]  # the head has no input
    with RunStore() as store:
        with pytest.raises(ModelInvalidError):
            create_run(broken, "digits", CONFIG, data=digits, store=store)
        with pytest.raises(TrainingError, match="28"):  # a 28x28 model on 8x8 digits
            create_run(tiny_mlp_spec(28, 32), "digits", CONFIG, data=digits, store=store)
        assert store.list_runs() == []
    assert not (home / "runs").exists() or not any((home / "runs").iterdir())


class _StopAfterFirstEpoch(Callback):
    def __init__(self) -> None:
        self.trainer = None

    def on_epoch_end(self, event: EpochEnd) -> None:
        if event.epoch == 0:
            self.trainer.request_stop()


def test_stop_then_resume(home: Path, digits) -> None:
    stopper = _StopAfterFirstEpoch()
    with RunStore() as store:
        trainer, run_dir = create_run(tiny_mlp_spec(hidden=32), "digits", CONFIG, data=digits, store=store,
                                      callbacks=[stopper])
        stopper.trainer = trainer
        assert trainer.fit().status == "stopped"
        run_id = json.loads((run_dir / "run.json").read_text())["id"]
        assert store.get(run_id).status == "stopped" and store.get(run_id).epochs_done == 1
        trainer, same = resume_run(run_id, store=store, epochs=3)
        assert same == run_dir
        ended = trainer.fit(resume=True)
        assert ended.status == "finished"
        record = store.get(run_id)
        assert record.status == "finished" and record.epochs_done == 3
        assert [e["epoch"] for e in store.epoch_metrics(run_id)] == [0, 1, 2]
        steps = [int(r["step"]) for r in _rows(run_dir / "metrics" / "steps.csv")]
        assert steps == sorted(set(steps))  # nothing written twice
        assert open_run(run_dir).config.epochs == 3


def test_a_stopped_run_is_evaluated_on_demand(home: Path, digits) -> None:
    """A run stopped before its test has no evaluation; its best checkpoint is tested on
    request, saved with the run and recorded in the history."""
    from workbench.core.runs import evaluate_run, record_evaluation

    class StopAfterFirstEpoch(Callback):
        trainer = None

        def on_epoch_end(self, event: EpochEnd) -> None:
            self.trainer.request_stop()

    stopper = StopAfterFirstEpoch()
    with RunStore() as store:
        trainer, run_dir = create_run(tiny_mlp_spec(hidden=32), "digits", CONFIG, data=digits,
                                      store=store, callbacks=[stopper])
        stopper.trainer = trainer
        assert trainer.fit().status == "stopped"
        run = open_run(run_dir, store)
        assert run.evaluation is None and not (run_dir / "evaluation.json").exists()
        result = evaluate_run(run, data=digits)
        assert result.size == len(digits.test) and 0 < result.accuracy <= 1
        assert open_run(run_dir, store).evaluation["accuracy"] == result.accuracy
        assert json.loads((run_dir / "evaluation.json").read_text())["checkpoint"] == "best"
        record_evaluation(store, run, result)
        assert store.get(run.record.id).test_accuracy == result.accuracy
        assert store.get(run.record.id).status == "stopped"
