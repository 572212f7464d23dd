"""The Compress window from the Runs tab: options, a run on the worker thread, the table
with the same cells as ``workbench compress --json``, and exporting a row."""

from __future__ import annotations

import json

import pytest
from helpers import tiny_mlp_spec

from workbench.cli import run as cli
from workbench.core.compress.table import COLUMNS, cell
from workbench.core.data import load_source
from workbench.core.engine import TrainingConfig
from workbench.core.runs import RunStore, create_run
from workbench.ui.runs import RunsPanel

SAME = ("label", "params", "bytes", "size_ratio", "accuracy", "accuracy_change")


@pytest.fixture
def trained_run():
    with RunStore() as store:
        trainer, folder = create_run(tiny_mlp_spec(hidden=64), "digits",
                                     TrainingConfig(epochs=1, device="cpu"),
                                     data=load_source("digits", seed=0), store=store)
        trainer.fit()
    return folder


@pytest.mark.slow
def test_compress_view_matches_the_cli_and_exports(qtbot, trained_run, tmp_path, capsys):
    store = RunStore()
    panel = RunsPanel(store)
    qtbot.addWidget(panel)
    panel.refresh()
    panel.table.selectRow(0)
    assert panel.compress_button.isEnabled()
    window = panel._compress()
    qtbot.addWidget(window)
    window.set_method("prune")
    assert window.amount.isVisible() and not window.temperature.isVisible()
    window.amount.setValue(0.5)
    window.finetune.setValue(0)
    with qtbot.waitSignal(window.finished, timeout=120_000) as blocker:
        assert window.start() is not None
    report = blocker.args[0]
    assert [r["method"] for r in report["rows"]] == ["original", "prune"]
    assert window.table.rowCount() == 2

    assert cli(["compress", str(trained_run), "--method", "prune", "--amount", "0.5",
                "--finetune-epochs", "0", "--json"]) == 0
    table = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    keys = [k for k, _ in COLUMNS]
    for i, row in enumerate(table["rows"]):
        for key in SAME:
            assert window.cell_text(i, keys.index(key)) == cell(row, key), key

    window.table.selectRow(1)
    assert window.export_button.isEnabled()
    out = window.export_row(window.selected_row(), str(tmp_path / "pruned.wbbundle"), "bundle")
    assert out is not None and out.stat().st_size > 0
    panel.refresh()
    assert panel.model.rowCount() == 3  # the parent and the two pruned runs
    window.close()
    store.close()


def test_training_progress_shows_both_distillation_losses() -> None:
    from workbench.core.engine.events import StepMetrics
    from workbench.ui.compress.window import training_progress

    lines = []
    cb = training_progress(lambda f, text: lines.append((f, text)))
    cb.on_step(StepMetrics(5, 0, 0.5, 0.9, 0.7, 1e-3, 100.0, 3.0,
                           {"task_loss": 0.4, "kd_loss": 0.2}))
    assert lines == [(0.5, "training: epoch 1, step 5, loss 0.9000, task loss 0.4000, "
                           "kd loss 0.2000")]


def test_the_pytorch_int8_row_points_to_the_onnx_one(qtbot, tmp_path) -> None:
    from workbench.ui.compress import CompressWindow

    window = CompressWindow()
    qtbot.addWidget(window)
    row = {"method": "int8-torch", "label": "int8 dynamic (PyTorch)", "run_dir": str(tmp_path)}
    assert window.export_row(row, str(tmp_path / "x.onnx")) is None
    assert "onnxruntime int8 row" in window.status.text()
