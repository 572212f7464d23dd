"""The Sweep tab: a short study of the open model on the Data tab's choice; the trials
table, best so far, plots and "open the best trial" follow the study."""

from __future__ import annotations

import pytest

from workbench.ui.training import install_training_ui


@pytest.fixture
def window(make_window):
    w = make_window("mlp")
    install_training_ui(w)
    w.training_ui.training_panel.show_dialogs = False
    yield w
    w.training_ui.shutdown()
    assert not w.training_ui.sweep_view.running  # no sweep thread left behind


def test_a_bad_parameter_line_is_said_not_raised(window):
    view = window.training_ui.sweep_view
    view.params.setPlainText("lr=1..0")
    assert not view.start() and "LOW must be less than HIGH" in view.status.text()
    view.params.setPlainText("")
    assert not view.start() and "at least one parameter" in view.status.text()
    assert not view.best_button.isEnabled()


@pytest.mark.slow
def test_a_sweep_fills_the_table_and_opens_the_best_trial(qtbot, window):
    w = window
    view = w.training_ui.sweep_view
    view.params.setPlainText("lr=1e-3..1e-2:log\nbatch_size=32,64")
    view.trials.setValue(2)
    view.epochs.setValue(1)
    with qtbot.waitSignal(view.sweep_finished, timeout=240_000) as blocker:
        assert view.start()
        assert not view.start_button.isEnabled() and view.stop_button.isEnabled()
    assert blocker.args == [""]
    assert view.table.rowCount() == 2
    heads = [view.table.horizontalHeaderItem(i).text() for i in range(view.table.columnCount())]
    assert heads[:5] == ["Trial", "State", "val_loss", "lr", "batch_size"]
    assert {view.table.item(r, 1).text() for r in range(2)} == {"finished"}
    assert view.best.text().startswith("Best so far: trial ")
    assert len(view.parallel.listDataItems()) == 2  # one line per finished trial
    assert view.best_button.isEnabled() and view.start_button.isEnabled()
    opened = []
    view.open_model.connect(opened.append)
    assert view.open_best() and opened[0].name == w.document.spec.name
    w.training_ui.runs_panel.refresh()
    assert len(w.training_ui.runs_panel.records()) == 2  # each trial is a run
