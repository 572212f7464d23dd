"""Real tiny runs through the whole training UI (engine, worker thread, plots, evaluation,
runs): the built-in 8x8 digits, an MLP, one epoch, on the CPU."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.engine.events import StepMetrics
from workbench.core.runs import RunStore
from workbench.ui.data.thumbnails import sample_to_qimage
from workbench.ui.training import install_training_ui


@pytest.fixture
def window(make_window, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    w = make_window("mlp")
    install_training_ui(w)
    ui = w.training_ui
    ui.training_panel.show_dialogs = False
    tp = ui.training_panel
    tp.epochs.setValue(1)
    tp.batch_size.setValue(32)
    yield w
    thread = ui.controller.thread
    ui.shutdown()
    assert not ui.controller.is_running  # no training thread left behind
    assert thread is None or thread.isFinished()


def _use_digits_8x8(qtbot, ui):
    """Load the 8x8 digits on the Data tab and apply the one-click fix to the model's input."""
    dp = ui.data_panel
    dp.set_source("digits")
    with qtbot.waitSignal(dp.loaded, timeout=30000):
        dp.load()
    assert [b.text() for b in dp.fix_buttons()] == ["Set input to 1 x 8 x 8"]
    dp.fix_buttons()[0].click()
    assert dp.mismatches == []


def _train(qtbot, ui, timeout=60000):
    with qtbot.waitSignal(ui.controller.finished, timeout=timeout) as done:
        assert ui.start_training()
    return done.args[0]


def test_a_tiny_run_trains_plots_evaluates_and_is_listed(qtbot, window, tmp_path):
    ui = window.training_ui
    _use_digits_8x8(qtbot, ui)
    window.tabs.setCurrentWidget(ui.training_panel)
    assert ui.training_panel.tensorboard.isEnabled()
    ui.training_panel.tensorboard.setChecked(True)
    result = _train(qtbot, ui)
    assert result.status == "finished", result.reason
    assert list((Path(ui.run_dir) / "tensorboard").glob("events.out.tfevents.*"))
    plots = ui.plots
    assert len(plots.train_loss.series) > 0 and len(plots.lr.series) > 0
    assert len(plots.val_loss.series) == 1 and len(plots.val_acc.series) == 1
    qtbot.waitUntil(lambda: not plots.refresh_pending, timeout=2000)
    x, _ = plots.train_loss.item.getData()
    assert x is not None and len(x) == len(plots.train_loss.series)
    assert "Training finished" in ui.training_panel.progress_label.text()

    ev = ui.evaluation_panel
    window.tabs.setCurrentWidget(ev)
    assert ev.results is not None and ev.results["task"] == "classification"
    assert "Test accuracy" in ev.headline.text()
    assert ev.confusion.model().rowCount() == 10 == ev.per_class.rowCount()
    assert ev.gallery.count() > 0 and not ev.gallery.item(0).icon().isNull()
    ev.show_cell(3, 3)
    assert "True 3, predicted 3" in ev.gallery_title.text()
    # every sample of the cell, not only those among the worst (the run kept them all)
    assert ev.gallery.count() == min(64, ev.results["confusion"][3][3]) > 0

    # Try it: a test image saved as a file gets top-k bars
    image = tmp_path / "digit.png"
    assert sample_to_qimage(ui.run_data.test.x[0]).save(str(image))
    rows = ev.predict_file(str(image))
    assert len(rows) == 5 and abs(sum(p for _, p in rows) - 1) < 0.5
    assert len(ev.bars.rows) == 5 and "Prediction" in ev.try_status.text()

    # the Runs tab lists it
    runs = ui.runs_panel
    records = runs.records()
    assert len(records) == 1 and records[0].status == "finished"
    assert records[0].data_source == "digits"
    assert runs.model.data(runs.model.index(0, 1)) == "finished"


def test_runs_compare_overlay_reopen_and_delete(qtbot, window, prompts):
    ui = window.training_ui
    _use_digits_8x8(qtbot, ui)
    assert _train(qtbot, ui).status == "finished"
    ui.training_panel.lr.setValue(0.003)
    ui.training_panel.optimizer.setCurrentIndex(ui.training_panel.optimizer.findData("sgd"))
    assert _train(qtbot, ui).status == "finished"
    runs = ui.runs_panel
    assert len(runs.records()) == 2
    runs.select_ids([r.id for r in runs.records()])
    differing = {runs.compare.verticalHeaderItem(i).text() for i in range(runs.compare.rowCount())}
    assert {"Learning rate", "Optimizer"} <= differing and "Epochs" not in differing
    item = runs.compare.item(0, 0)
    assert item.font().bold()
    overlays = [k for k in ui.plots.plots["loss"].curves if k.startswith("overlay:")]
    assert len(overlays) >= 2  # both earlier runs' curves (train and validation)

    runs.select_ids([runs.records()[0].id])
    window.document.spec.node("input").params["height"] = 12  # an unsaved edit...
    window.document.reanalyze()
    window.document.undo_stack.resetClean()
    prompts.unsaved_answer = "discard"
    runs.open_button.click()  # ...is asked about, then the run's model opens
    assert "unsaved:" in " ".join(prompts.asked)
    assert window.document.spec.node("input").params["height"] == 8

    run_dir = runs.records()[0].run_dir
    assert runs.delete_runs([runs.records()[0].id]) == 1
    assert len(runs.records()) == 1 and not run_dir.exists()
    assert len(RunStore().list_runs()) == 1


def test_nan_loss_ends_the_run_with_a_message(qtbot, window):
    ui = window.training_ui
    _use_digits_8x8(qtbot, ui)
    tp = ui.training_panel
    tp.optimizer.setCurrentIndex(tp.optimizer.findData("sgd"))
    tp.lr.setValue(1e2)
    tp.weight_decay.setValue(0)
    ui.data_panel.dataset.train.x.mul_(1e6)  # and huge inputs: it must blow up
    result = _train(qtbot, ui)
    assert result.status == "failed"
    assert "NaN" in result.reason or "infinite" in result.reason
    assert "Training failed" in tp.status_text
    assert tp.train_button.isEnabled() and not ui.controller.is_running


def test_a_mismatch_is_a_message_not_a_run(qtbot, window):
    ui = window.training_ui
    tp = ui.training_panel
    dp = ui.data_panel
    dp.set_source("digits")  # 8x8 images for a 28x28 model, not loaded yet: the run finds out
    with qtbot.waitSignal(ui.controller.failed, timeout=60000) as failed:
        assert ui.start_training()
    message = failed.args[0]
    assert "28" in message and "8" in message and "Traceback" not in message
    assert message in tp.status_text.replace("&lt;", "<").replace("&gt;", ">") or "28" in tp.status_text
    assert not ui.controller.is_running
    with qtbot.waitSignal(dp.loaded, timeout=30000):  # loaded: the Data tab says it first
        dp.load()
    assert not ui.start_training()
    assert "do not fit" in tp.status_text


def test_stop_a_real_run_midway(qtbot, window):
    ui = window.training_ui
    _use_digits_8x8(qtbot, ui)
    tp = ui.training_panel
    tp.epochs.setValue(500)
    tp.batch_size.setValue(8)
    steps = []
    ui.controller.events.connect(lambda b: steps.extend(e for e in b if isinstance(e, StepMetrics)))
    assert ui.start_training()
    qtbot.waitUntil(lambda: len(steps) > 0, timeout=60000)
    thread = ui.controller.thread
    with qtbot.waitSignal(ui.controller.finished, timeout=30000) as done:
        tp.stop_button.click()
    assert done.args[0].status == "stopped"
    assert thread.isFinished() and not ui.controller.is_running
    assert ui.runs_panel.records()[0].status == "stopped"


def test_a_setting_walks_from_the_form_to_the_trainer(qtbot, window, monkeypatch):
    """Label smoothing and gradient clipping set in the form are what the loss and the
    optimizer step really use (spied on at torch's own functions)."""
    import torch
    import torch.nn.functional as F

    ui = window.training_ui
    _use_digits_8x8(qtbot, ui)
    tp = ui.training_panel
    tp.form.set_value("label_smoothing", 0.2)
    tp.form.set_value("grad_clip", 0.5)
    clips, smoothing = [], []
    clip, cross_entropy = torch.nn.utils.clip_grad_norm_, F.cross_entropy

    def spy_clip(params, max_norm, *args, **kwargs):
        clips.append(max_norm)
        return clip(params, max_norm, *args, **kwargs)

    def spy_cross_entropy(*args, **kwargs):
        smoothing.append(kwargs.get("label_smoothing"))
        return cross_entropy(*args, **kwargs)

    monkeypatch.setattr(torch.nn.utils, "clip_grad_norm_", spy_clip)
    monkeypatch.setattr(F, "cross_entropy", spy_cross_entropy)
    assert _train(qtbot, ui).status == "finished"
    assert clips and set(clips) == {0.5}
    assert smoothing and 0.2 in smoothing
    config = ui.runs_panel.records()[0].config
    assert (config["label_smoothing"], config["grad_clip"]) == (0.2, 0.5)
