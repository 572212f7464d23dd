"""Choosing text data in the app applies the settings that suit text (the core's preset, as
``workbench train`` does), says so above the Training form, and Undo or other data puts the
earlier settings back."""

from __future__ import annotations

import pytest

from workbench.core.engine.config import TrainingConfig
from workbench.core.engine.presets import TEXT
from workbench.core.templates import load_template
from workbench.ui.training import install_training_ui


@pytest.fixture
def window(make_window, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    w = make_window("mlp")
    install_training_ui(w, runs_dir=tmp_path / "runs")
    yield w
    w.training_ui.shutdown()


def _values(tp) -> dict:
    return {k: tp.form.value(k) for k in TEXT}


def test_text_data_applies_the_text_settings_and_undo_puts_them_back(window):
    ui = window.training_ui
    tp, dp = ui.training_panel, ui.data_panel
    note = tp.preset_note
    before = _values(tp)
    assert before != TEXT and not note.isVisibleTo(tp)
    dp.set_source("text")
    assert _values(tp) == TEXT
    assert note.isVisibleTo(tp) and "text" in note.label.text()
    assert "AdamW" in note.label.text() and f"Batch size {TEXT['batch_size']}" in note.label.text()
    workspace = window.document.workspace
    assert workspace.config.optimizer == "adamw" and workspace.config.batch_size == TEXT["batch_size"]
    note.undo_button.click()
    assert _values(tp) == before and not note.isVisibleTo(tp)
    assert workspace.config.batch_size == TrainingConfig().batch_size
    dp.set_source("text")  # still text: not applied again behind the user's back
    assert _values(tp) == before


def test_other_data_takes_the_preset_back_but_keeps_what_the_user_changed(window):
    ui = window.training_ui
    tp, dp = ui.training_panel, ui.data_panel
    before = _values(tp)
    dp.set_source("text")
    tp.lr.setValue(0.005)  # the user's own value
    dp.set_source("digits")
    after = _values(tp)
    assert after["lr"] == 0.005
    assert {k: v for k, v in after.items() if k != "lr"} == \
        {k: v for k, v in before.items() if k != "lr"}
    assert not tp.preset_note.isVisibleTo(tp)


def test_a_gan_gets_no_text_preset(window):
    window.open_spec(load_template("mlp_gan"), None, template="mlp_gan")
    ui = window.training_ui
    tp = ui.training_panel
    ui.data_panel.set_source("text")
    assert tp.preset_note.before == {} and not tp.preset_note.isVisibleTo(tp)
    assert tp.form.widget("optimizer").currentData() == "adam"  # the editor untouched
