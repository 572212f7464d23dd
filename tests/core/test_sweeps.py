"""Sweeps: parameters parsed and checked against the declarations and the catalogue; an
Optuna study whose trials are runs, stored in the runs folder so it resumes after an
interruption; the median pruner stops a poor trial early."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import tiny_mlp_spec

from workbench.core.data import load_source
from workbench.core.engine import Callback, EpochEnd, TrainingConfig
from workbench.core.runs import RunStore, open_run
from workbench.core.sweeps import Sweep, SweepParamError, parse_param, trial_rows
from workbench.core.sweeps.params import apply_values


def test_params_are_ranges_or_choices() -> None:
    lr = parse_param("lr=1e-4..1e-2:log")
    assert (lr.low, lr.high, lr.log, lr.integer) == (1e-4, 1e-2, True, False)
    bs = parse_param("batch_size=32,64,128")
    assert bs.choices == (32, 64, 128)
    width = parse_param("fc.out_features=8..64", tiny_mlp_spec())
    assert width.integer and width.node == "fc" and width.key == "out_features"
    assert parse_param("optimizer=adam,sgd").choices == ("adam", "sgd")


@pytest.mark.parametrize("text, words", [
    ("lr", "NAME=LOW..HIGH"),
    ("lr=1e-2..1e-4", "LOW must be less than HIGH"),
    ("lr=0..1:log", "log range must start above 0"),
    ("lr=-1..1", "learning rate must be greater than 0"),
    ("learning=1..2", "no training setting 'learning'"),
    ("optimizer=adam,lion", "optimizer must be one of"),
    ("nope.units=1..2", "no layer 'nope'"),
    ("fc.units=1..2", "has no parameter 'units'"),
    ("fc.out_features=0..4", "fc.out_features"),
])
def test_bad_params_are_refused_in_words(text: str, words: str) -> None:
    with pytest.raises(SweepParamError, match=words.replace(".", r"\.").replace("(", r"\(")):
        parse_param(text, tiny_mlp_spec())


def test_a_trials_values_go_into_the_spec_and_the_config() -> None:
    spec, config = apply_values(tiny_mlp_spec(), TrainingConfig(),
                                {"lr": 1, "fc.out_features": 24, "batch_size": 32})
    assert config.lr == 1.0 and isinstance(config.lr, float) and config.batch_size == 32
    assert spec.node("fc").params["out_features"] == 24
    assert tiny_mlp_spec().node("fc").params["out_features"] == 16  # the original is kept


CONFIG = TrainingConfig(epochs=1, batch_size=64, device="cpu", schedule="none")


class _InterruptOnce(Callback):
    """Ctrl+C in the middle of the second trial."""

    def __init__(self) -> None:
        self.epochs = 0

    def on_epoch_end(self, event: EpochEnd) -> None:
        self.epochs += 1
        if self.epochs == 2:
            raise KeyboardInterrupt


@pytest.mark.slow
def test_three_trials_are_three_runs_and_the_sweep_resumes(tmp_path: Path) -> None:
    data = load_source("digits", seed=0)
    params = [parse_param("lr=1e-3..1e-2:log"), parse_param("fc.out_features=8,16", tiny_mlp_spec())]
    runs = tmp_path / "runs"
    with RunStore(tmp_path / "runs.sqlite") as store:
        first = Sweep(tiny_mlp_spec(), "digits", CONFIG, params, trials=3, runs_dir=runs,
                      store=store, data=data, callbacks=[_InterruptOnce()])
        with pytest.raises(KeyboardInterrupt):
            first.run()
        assert first.done() == 1
        assert (runs / "sweeps.sqlite").is_file()
        # a new process: the same sweep, from the stored study
        again = Sweep(tiny_mlp_spec(), "digits", CONFIG, params, trials=3, runs_dir=runs,
                      store=store, data=data)
        assert again.name == first.name and again.done() == 1
        study = again.run()
        rows = trial_rows(study)
        done = [r for r in rows if r.state == "COMPLETE"]
        assert len(done) == 3 and again.done() == 3
        assert [r.interrupted for r in rows].count(True) == 1
        for r in done:
            record = store.get(r.run_id)
            assert record.status == "finished" and record.epochs_done == 1
            run = open_run(r.run_dir, store)
            assert run.info["sweep"] == {"study": again.name, "trial": r.number}
            assert run.config.lr == pytest.approx(r.params["lr"])
            assert run.spec.node("fc").params["out_features"] == r.params["fc.out_features"]
        statuses = sorted(rec.status for rec in store.list_runs())
        assert statuses == ["finished", "finished", "finished", "stopped"]
        assert again.run() is study and again.done() == 3  # nothing more to do


@pytest.mark.slow
def test_the_pruner_stops_a_poor_trial_early(tmp_path: Path) -> None:
    data = load_source("digits", seed=0)
    config = TrainingConfig.from_dict({**CONFIG.to_dict(), "epochs": 3})
    with RunStore(tmp_path / "runs.sqlite") as store:
        sweep = Sweep(tiny_mlp_spec(), "digits", config, [parse_param("lr=1e-7..1e-2:log")],
                      trials=2, runs_dir=tmp_path / "runs", store=store, data=data,
                      prune_after=1)
        sweep.enqueue({"lr": 5e-3})  # learns
        sweep.enqueue({"lr": 1e-7})  # does not: worse than the median at epoch 1
        rows = trial_rows(sweep.run())
        assert [r.state for r in rows] == ["COMPLETE", "PRUNED"]
        assert rows[0].epochs == 3 and rows[1].epochs == 1
        pruned = store.get(rows[1].run_id)
        assert pruned.status == "stopped" and pruned.epochs_done == 1


def test_the_sweep_command_refuses_a_bad_param_in_one_line(capsys) -> None:
    from workbench.cli import run

    assert run(["sweep", "mlp", "--data", "digits", "--param", "lr=1..0"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "LOW must be less than HIGH" in err
    assert run(["sweep", "mlp", "--data", "digits"]) == 2
    assert "give at least one --param" in capsys.readouterr().err
