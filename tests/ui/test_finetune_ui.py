"""Fine-tuning in the app: continue a stopped run from the Runs tab (same metrics as a run
that went through), fine-tune from a run with frozen layers (node, inspector, Summary), and a
bundle opened with its weights attached. The built-in 8x8 digits and an MLP on the CPU."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.engine.events import StepMetrics
from workbench.core.runs import RunStore
from workbench.ui.training import install_training_ui


@pytest.fixture
def window(make_window, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    w = make_window("mlp")
    install_training_ui(w)
    w.maybe_save = lambda: True  # no unsaved-changes question in these tests
    ui = w.training_ui
    ui.training_panel.show_dialogs = False
    ui.training_panel.epochs.setValue(2)
    ui.training_panel.batch_size.setValue(16)
    dp = ui.data_panel
    dp.set_source("digits")
    yield w
    ui.shutdown()
    assert not ui.controller.is_running


def _fit_input(qtbot, ui) -> None:
    dp = ui.data_panel
    with qtbot.waitSignal(dp.loaded, timeout=30000):
        dp.load()
    for b in dp.fix_buttons():
        b.click()
    assert dp.mismatches == []


def _epochs(run_dir: str) -> list[dict]:
    import json

    store = RunStore()
    try:
        run_id = json.loads((Path(run_dir) / "run.json").read_text())["id"]
        return store.epoch_metrics(run_id), store.get(run_id)
    finally:
        store.close()


@pytest.mark.slow
def test_continue_a_stopped_run_matches_one_that_went_through(qtbot, window) -> None:
    ui = window.training_ui
    _fit_input(qtbot, ui)
    with qtbot.waitSignal(ui.controller.finished, timeout=90000):
        assert ui.start_training()
    whole_dir = ui.run_dir
    whole, whole_record = _epochs(whole_dir)

    def stop_at_first_step(events):
        if any(isinstance(e, StepMetrics) for e in events):
            ui.controller.stop()

    ui.controller.events.connect(stop_at_first_step)
    with qtbot.waitSignal(ui.controller.finished, timeout=90000) as done:
        assert ui.start_training()
    ui.controller.events.disconnect(stop_at_first_step)
    assert done.args[0].status == "stopped"
    part_dir = ui.run_dir
    ui.runs_panel.refresh()
    ui.runs_panel.select_ids([_epochs(part_dir)[1].id])
    assert ui.runs_panel.continue_button.isEnabled()
    steps_before = len(ui.plots.train_loss.series)
    with qtbot.waitSignal(ui.controller.finished, timeout=90000) as done:
        assert ui.continue_run(part_dir, 2)
    assert done.args[0].status == "finished"
    assert ui.run_dir == part_dir  # the same run, continued
    part, part_record = _epochs(part_dir)
    assert [e["epoch"] for e in part] == [0, 1]
    for a, b in zip(whole, part, strict=True):
        assert b["val_loss"] == pytest.approx(a["val_loss"], rel=1e-6)
        assert b["val_accuracy"] == a["val_accuracy"]
        assert b["train_loss"] == pytest.approx(a["train_loss"], rel=1e-6)
    assert part_record.test_accuracy == whole_record.test_accuracy
    # the curves went on from where they were, on the same plot
    assert len(ui.plots.train_loss.series) >= steps_before
    assert len(ui.plots.val_loss.series) == 2


@pytest.mark.slow
def test_fine_tune_from_a_run_with_frozen_layers(qtbot, window) -> None:
    ui = window.training_ui
    ui.training_panel.epochs.setValue(1)
    _fit_input(qtbot, ui)
    with qtbot.waitSignal(ui.controller.finished, timeout=90000):
        assert ui.start_training()
    parent = ui.run_dir
    assert ui.fine_tune_from(parent)
    ws = window.document.workspace
    assert ws.initial_weights is not None and ws.initial_weights.origin == parent
    summary = window.summary
    assert "loaded" in summary.weights_note.text() and summary.weights_note.isVisibleTo(summary)
    window.freeze_head_action.trigger()
    weighted = [n for n in ws.analysis.order if ws.analysis.nodes[n].params]
    assert ws.frozen == set(weighted[:-1]) and weighted[-1] not in ws.frozen
    assert "saves" in summary.labels["frozen"].text()
    first = weighted[0]
    assert window.scene.item_for(first).frozen and "frozen" in window.scene.item_for(first).count_text
    window.inspector.show_node(first)
    assert window.inspector.freeze_box.isChecked()
    window.inspector.freeze_box.setChecked(False)  # unfreeze one layer: undoable
    assert first not in ws.frozen
    window.document.undo_stack.undo()
    assert first in ws.frozen and window.inspector.freeze_box.isChecked()
    with qtbot.waitSignal(ui.controller.finished, timeout=90000) as done:
        assert ui.start_training()
    assert done.args[0].status == "finished"
    notes = ui.training_panel.start_notes.text()
    assert "layers loaded" in notes and "Frozen:" in notes
    from workbench.core.runs.folders import read_finetune
    from workbench.core.runs.lineage import read_lineage

    assert read_lineage(ui.run_dir)["parent"] == parent
    assert read_finetune(ui.run_dir)["frozen_layers"] == weighted[:-1]
    ui.runs_panel.refresh()
    texts = [ui.runs_panel.model.data(ui.runs_panel.model.index(r, 3))
             for r in range(ui.runs_panel.model.rowCount())]
    assert any("fine-tuned from run" in t for t in texts)


def test_a_bundle_opens_with_its_weights_attached(qtbot, make_window, tmp_path) -> None:
    from workbench.core.export.bundle import save_bundle
    from workbench.core.graph import build_model
    from workbench.core.templates import load_template

    spec = load_template("lenet5")
    bundle = save_bundle(tmp_path / "lenet.wbbundle", spec, build_model(spec), {})
    w = make_window("mlp")
    w.maybe_save = lambda: True
    assert w.open_file(bundle)
    ws = w.document.workspace
    assert ws.initial_weights is not None and ws.initial_weights.origin == str(bundle.resolve())
    assert ws.weights_report().loaded == ["conv1", "conv2", "fc1", "fc2", "head"]
    assert "5 layers loaded" in w.summary.weights_note.text()
    ws.set_param("head", "classes", 3)  # a new head for a 3-class task starts fresh
    assert "head starts fresh: shape changed" in w.summary.weights_note.text()
    w.document.undo_stack.setClean()


def test_freeze_from_the_edit_menu_toggles_the_selection(make_window) -> None:
    w = make_window("lenet5")
    ws = w.document.workspace
    w.scene.select_names(["conv1", "conv2"])
    w.freeze_action.trigger()
    assert ws.frozen == {"conv1", "conv2"}
    assert w.scene.item_for("conv1").frozen and not w.scene.item_for("fc1").frozen
    assert w.freeze_action in w.view.context_actions
    w.freeze_action.trigger()  # all frozen already: unfreeze
    assert ws.frozen == set()
    w.document.undo_stack.undo()
    assert ws.frozen == {"conv1", "conv2"}
    w.freeze_head_action.trigger()
    assert ws.frozen == {"conv1", "conv2", "fc1", "fc2"}
    w.unfreeze_all_action.trigger()
    assert ws.frozen == set()
    w.document.undo_stack.setClean()
