"""TensorBoardLogger: fed synthetic trainer events, its event files read back with
TensorBoard's own EventAccumulator."""

from __future__ import annotations

import pytest
import torch

from workbench.core.engine.config import TrainingConfig
from workbench.core.engine.events import (
    EpochEnd,
    EvaluationDone,
    RunEnded,
    RunStarted,
    StepMetrics,
    dispatch,
)
from workbench.core.export.tensorboard import TensorBoardLogger
from workbench.core.export.verify import example_input
from workbench.core.graph import build_model
from workbench.core.templates import load_template

pytest.importorskip("tensorboard")
from tensorboard.backend.event_processing.event_accumulator import (  # noqa: E402
    EventAccumulator,
)
from tensorboard.plugins.hparams import plugin_data_pb2  # noqa: E402


def feed(logger: TensorBoardLogger, steps: int = 4) -> None:
    dispatch([logger], RunStarted(TrainingConfig(lr=0.01).to_dict(), "cpu", 100, 20, 20, 1234,
                                  2, steps, "fp32"))
    for step in range(1, steps + 1):
        dispatch([logger], StepMetrics(step, (step - 1) // 2, 0.5, 2.0 / step, 0.1 * step,
                                       0.01, 500.0, 1.0))
        if step % 2 == 0:
            dispatch([logger], EpochEnd(step // 2 - 1, step, 1.0 / step, 0.2 * step,
                                        1.5 / step, 0.15 * step, 0.5, True))
    dispatch([logger], EvaluationDone({"accuracy": 0.61, "loss": 0.9, "per_class": [1, 2]}))
    dispatch([logger], RunEnded("finished", "", 2, steps, 2.0, best_val_accuracy=0.6,
                                best_val_loss=0.375))


def read(log_dir) -> EventAccumulator:
    acc = EventAccumulator(str(log_dir))
    acc.Reload()
    return acc


def test_scalars_hparams_and_graph(tmp_path) -> None:
    spec = load_template("cnn_mnist")
    model = build_model(spec).train()
    logger = TensorBoardLogger(tmp_path / "tb", model, example_input(spec))
    feed(logger)
    assert logger.graph_error is None and model.training  # traced in eval mode, put back
    acc = read(tmp_path / "tb")
    tags = set(acc.Tags()["scalars"])
    assert {"step/loss", "step/accuracy", "step/lr", "loss/train", "loss/val", "accuracy/train",
            "accuracy/val", "test/accuracy", "test/loss"} <= tags
    assert [e.step for e in acc.Scalars("step/loss")] == [1, 2, 3, 4]
    assert [round(e.value, 4) for e in acc.Scalars("step/loss")] == [2.0, 1.0, 0.6667, 0.5]
    assert [e.step for e in acc.Scalars("loss/val")] == [2, 4]
    assert acc.Tags()["graph"]
    hparams = acc.PluginTagToContent("hparams")
    start = plugin_data_pb2.HParamsPluginData.FromString(hparams["_hparams_/session_start_info"])
    assert start.session_start_info.hparams["lr"].number_value == pytest.approx(0.01)
    assert start.session_start_info.hparams["optimizer"].string_value == "adam"
    assert acc.Scalars("hparam/best_val_loss")[0].value == pytest.approx(0.375)


def test_graph_failure_is_logged_not_raised(tmp_path, caplog) -> None:
    spec = load_template("mlp")
    logger = TensorBoardLogger(tmp_path / "tb", build_model(spec), torch.zeros(2, 3))  # wrong
    feed(logger, steps=2)
    assert logger.graph_error and "TensorBoard: could not add the model graph" in caplog.text
    acc = read(tmp_path / "tb")
    assert not acc.Tags()["graph"] and "step/loss" in acc.Tags()["scalars"]
    assert "run/graph/text_summary" in acc.Tags()["tensors"]


def test_no_files_until_a_run_starts(tmp_path) -> None:
    TensorBoardLogger(tmp_path / "tb").close()
    assert not (tmp_path / "tb").exists()


def test_cli_train_writes_tensorboard_with_the_graph(tmp_path, monkeypatch, capsys) -> None:
    import json
    from pathlib import Path

    from workbench.cli import run as cli_main

    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    code = cli_main(["train", "mlp", "--data", "digits28", "--epochs", "1", "--device", "cpu",
                     "--tensorboard", "--json",
                     "--runs-dir", str(tmp_path / "runs")])
    out, err = capsys.readouterr()
    assert code == 0, err
    acc = read(Path(json.loads(out)["run_dir"]) / "tensorboard")
    assert {"step/loss", "loss/val", "test/accuracy"} <= set(acc.Tags()["scalars"])
    assert acc.Tags()["graph"]  # the model graph, traced from a real training sample
