"""The Training tab and its wiring, with a scripted trainer (no model): button states,
progress, failures shown in the window, the batch size reaching the document, closing the
window during a run."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from scripted import scripted_create_run

from workbench.core.engine.config import TrainingConfig
from workbench.core.templates import load_template
from workbench.ui.training import install_training_ui


@pytest.fixture
def window(make_window, tmp_path, monkeypatch):
    """The real MainWindow with the training tabs installed (as app.py does)."""
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    w = make_window("mlp")
    install_training_ui(w, runs_dir=tmp_path / "runs")
    ui = w.training_ui
    ui.training_panel.show_dialogs = False
    yield w
    thread = ui.controller.thread
    ui.shutdown()
    assert not ui.controller.is_running  # no training thread left behind
    assert thread is None or thread.isFinished()


def _scripted(window, **options):
    window.training_ui.controller.create_run = scripted_create_run(**options)


def test_tabs_are_mounted_and_the_form_makes_a_config(qtbot, window):
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["Model", "Data", "Training", "Evaluation", "Runs", "Sweep"]
    tp = window.training_ui.training_panel
    tp.lr.setValue(0.01)
    tp.epochs.setValue(3)
    tp.early_stopping.setChecked(True)
    c = tp.config()
    assert isinstance(c, TrainingConfig) and c.validate() == []
    assert (c.lr, c.epochs, c.early_stopping) == (0.01, 3, True)
    assert tp.device.itemData(tp.device.count() - 1) == "cpu"  # the CPU is always offered
    tp.set_config(TrainingConfig(optimizer="sgd", lr=0.1, batch_size=32, schedule="cosine"))
    assert tp.config().optimizer == "sgd" and tp.momentum.isVisibleTo(tp)
    assert tp.config().schedule == "cosine"


def test_batch_size_sets_the_document_analysis_batch(qtbot, window):
    window.training_ui.training_panel.batch_size.setValue(256)
    assert window.document.batch_size == 256
    assert window.document.analysis.batch == 256


def test_a_run_updates_buttons_progress_plots_and_evaluation(qtbot, window):
    _scripted(window, epochs=2, steps_per_epoch=40, step_seconds=0.003)
    ui = window.training_ui
    tp = ui.training_panel
    window.tabs.setCurrentWidget(tp)
    assert tp.train_button.isEnabled() and not tp.stop_button.isEnabled()
    states = []
    ui.controller.running_changed.connect(lambda r: states.append(
        (r, tp.train_button.isEnabled(), tp.pause_button.isEnabled(), tp.stop_button.isEnabled())))
    with qtbot.waitSignal(ui.controller.finished, timeout=20000):
        tp.train_button.click()
    assert states[0] == (True, False, True, True)
    assert states[-1] == (False, True, False, False)
    assert not tp.resume_button.isEnabled()
    assert len(tp.plots.train_loss.series) == 80
    assert len(tp.plots.val_acc.series) == 2
    assert tp.progress.value() == tp.progress.maximum() == 80
    assert tp.progress_label.text().startswith("Training finished")
    ev = ui.evaluation_panel
    assert ev.results is not None and "80.00 %" in ev.headline.text()
    assert ev.confusion.model().rowCount() == 0  # built when the tab is shown
    window.tabs.setCurrentWidget(ev)
    assert ev.confusion.model().rowCount() == 2
    assert ev.per_class.rowCount() == 2 and ev.gallery.count() == 1


def test_pause_resume_buttons(qtbot, window):
    _scripted(window, epochs=1, steps_per_epoch=100000, step_seconds=0.001)
    ui, tp = window.training_ui, window.training_ui.training_panel
    tp.train_button.click()
    qtbot.waitUntil(lambda: len(tp.plots.train_loss.series) > 0, timeout=10000)
    tp.pause_button.click()
    assert not tp.pause_button.isEnabled() and tp.resume_button.isEnabled()
    assert "paused" in tp.progress_label.text()
    tp.resume_button.click()
    assert tp.pause_button.isEnabled() and not tp.resume_button.isEnabled()
    with qtbot.waitSignal(ui.controller.finished, timeout=10000) as done:
        tp.stop_button.click()
    assert done.args[0].status == "stopped"
    assert "stopped" in tp.progress_label.text().lower()
    assert tp.train_button.isEnabled()


def test_nan_failure_is_shown_in_the_window(qtbot, window):
    _scripted(window, epochs=1, steps_per_epoch=50, nan_at=20)
    ui, tp = window.training_ui, window.training_ui.training_panel
    tp.show_dialogs = True
    with qtbot.waitSignal(ui.controller.finished, timeout=10000) as done:
        tp.train_button.click()
    assert done.args[0].status == "failed"
    assert "NaN" in tp.status_text and tp.status_label.isVisibleTo(tp)
    assert "NaN" in window.statusBar().currentMessage()
    box = tp.message_box
    assert box is not None and "NaN" in box.text() and box.isVisible()
    box.close()
    assert tp.train_button.isEnabled()


def test_a_failure_before_training_is_shown(qtbot, window):
    _scripted(window)
    ui, tp = window.training_ui, window.training_ui.training_panel
    ui.data_panel.set_source("folder", "/nowhere")
    ui.controller.create_run = scripted_create_run()
    ui.data_panel.source_string = lambda: "broken"  # the scripted create_run fails on it
    with qtbot.waitSignal(ui.controller.failed, timeout=10000):
        tp.train_button.click()
    assert "does not exist" in tp.status_text
    assert tp.train_button.isEnabled() and not ui.controller.is_running


def test_train_is_disabled_with_a_tooltip_when_the_model_has_errors(qtbot, window):
    tp = window.training_ui.training_panel
    doc = window.document
    doc.spec.edges.clear()
    doc.reanalyze()
    assert not tp.train_button.isEnabled()
    assert "Fix the model first" in tp.train_button.toolTip()
    window.open_spec(load_template("mlp"))
    assert tp.train_button.isEnabled()


def test_closing_during_training_asks_then_stops(qtbot, window, monkeypatch):
    _scripted(window, epochs=1, steps_per_epoch=100000, step_seconds=0.001)
    ui = window.training_ui
    ui.training_panel.train_button.click()
    qtbot.waitUntil(lambda: ui.run_dir is not None, timeout=10000)
    asked = []

    def answer(reply):
        def question(*args, **kwargs):
            asked.append(args[1])
            return reply
        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    assert not window.close()
    assert asked and ui.controller.is_running and window.isVisible()
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    thread = ui.controller.thread
    ended = []
    ui.controller.finished.connect(ended.append)
    assert window.close()
    assert len(asked) == 2
    assert not ui.controller.is_running and thread.isFinished()
    assert ended and ended[0].status == "stopped"


def test_closing_when_idle_does_not_ask(qtbot, window, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("asked"))
    assert window.training_ui.confirm_close()
    assert window.close()


def test_a_data_misfit_is_a_problem_on_the_canvas_with_a_one_click_fix(qtbot, window):
    ui = window.training_ui
    dp = ui.data_panel
    dp.set_source("digits")  # 8 x 8 images for the mlp's 28 x 28 input
    with qtbot.waitSignal(dp.loaded, timeout=30000):
        dp.load()
    node = window.scene.item_for("input")
    assert node.state == "warning" and "8x8" in node.toolTip().replace(" ", "")
    messages = [window.problems.tree.topLevelItem(i).text(0)
                for i in range(window.problems.tree.topLevelItemCount())]
    assert messages == [dp.mismatches[0].message]
    assert window.problems.tree.topLevelItem(0).text(1) == "input"
    assert "1 warning" in window.problems_label.text()
    fix = window.problems.fix_button(0)
    assert fix is not None and fix.text() == "Set input to 1 x 8 x 8"
    fix.click()
    params = window.document.spec.node("input").params
    assert (params["channels"], params["height"], params["width"]) == (1, 8, 8)
    assert dp.mismatches == [] and window.scene.item_for("input").state == "ok"
    assert window.problems.tree.topLevelItemCount() == 0
    window.document.undo_stack.undo()  # one step back brings the problem back
    assert window.scene.item_for("input").state == "warning"
    assert window.problems.tree.topLevelItemCount() == 1


def test_progress_shows_epoch_step_speed_and_eta(qtbot, window):
    from workbench.core.engine.events import RunStarted, StepMetrics

    tp = window.training_ui.training_panel
    tp.handle_events([RunStarted({"epochs": 3}, "cpu", 1000, 100, 100, 1234, 10, 30, "fp32"),
                      StepMetrics(12, 1, 0.2, 0.5, 0.9, 1e-3, 2345.0, 75.0)])
    assert tp.progress.maximum() == 30 and tp.progress.value() == 12
    text = tp.progress_label.text()
    assert "Epoch 2/3" in text and "step 12/30" in text and "2,345 samples/s" in text
    assert "ETA 1:15" in text


def test_the_device_box_lists_gpus_by_name_and_memory(qtbot, window, monkeypatch):
    import workbench.core.engine as engine
    from workbench.core.engine.devices import DeviceInfo

    monkeypatch.setattr(engine, "detect_devices", lambda: [
        DeviceInfo("cuda:0", "NVIDIA H100 80GB HBM3", 80 * 2**30, "cuda"),
        DeviceInfo("cuda:1", "NVIDIA RTX 4090", 24 * 2**30, "cuda"),
        DeviceInfo("cpu", "x86_64", None, "cpu")])
    tp = window.training_ui.training_panel
    tp.reload_devices()
    items = [(tp.device.itemData(i), tp.device.itemText(i)) for i in range(tp.device.count())]
    assert [d for d, _ in items] == ["auto", "cuda:0", "cuda:1", "cpu"]
    assert items[1][1] == "NVIDIA H100 80GB HBM3 (80 GB)" and items[2][1] == "NVIDIA RTX 4090 (24 GB)"
    assert items[3][1].startswith("CPU")
    tp.device.setCurrentIndex(2)
    assert tp.config().device == "cuda:1"


@pytest.mark.parametrize("reason", [  # the engine's words for these failures
    "Out of memory on NVIDIA H100 at batch size 4096: try a batch size of 2048 or a smaller "
    "model",
    "The data could not be read at step 7 (epoch 1): cannot identify image file 'x.png'",
])
def test_out_of_memory_and_bad_data_end_with_a_message_in_the_window(qtbot, window, reason):
    from workbench.core.engine.events import RunEnded

    ui, tp = window.training_ui, window.training_ui.training_panel
    tp.show_dialogs = True
    ui.controller.finished.emit(RunEnded("failed", reason, 0, 3, 1.0))
    assert "Training failed" in tp.status_text and reason in tp.status_text
    assert tp.status_label.isVisibleTo(tp)
    assert reason in window.statusBar().currentMessage()
    assert tp.progress_label.text().startswith("Training failed")
    assert tp.message_box is not None and tp.message_box.text() == reason
    tp.message_box.close()
