"""The Training form is generated from TrainingConfig's declarations: an editor per field
with the declared range and choices, rows shown while they matter, inline messages for
refused values, the settings locked during a run, and the Summary following the batch size
and optimizer."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QSpinBox
from scripted import scripted_create_run

from workbench.core.engine.config import TrainingConfig
from workbench.core.engine.settings import Setting
from workbench.core.templates import load_template
from workbench.ui.training import install_training_ui
from workbench.ui.training.fields import LogSpinBox, WideIntSpinBox
from workbench.ui.training.form import SettingsForm


@pytest.fixture
def form(qtbot):
    f = SettingsForm(TrainingConfig, choices={"device": lambda: [("auto", "Automatic"),
                                                                  ("cpu", "CPU")]})
    qtbot.addWidget(f)
    return f


@pytest.fixture
def window(make_window, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    w = make_window("mlp")
    install_training_ui(w, runs_dir=tmp_path / "runs")
    w.training_ui.training_panel.show_dialogs = False
    yield w
    w.training_ui.shutdown()
    assert not w.training_ui.controller.is_running


def _other(s: Setting):
    """A valid value of ``s`` other than its default."""
    if s.kind == "bool":
        return not s.default
    if s.kind == "choice":
        return next(c for c in s.choices if c != s.default)
    if s.kind == "str":
        return "cpu"
    if s.kind == "int":
        return s.default + 1
    high = s.max if s.max is not None else 4 * s.default + 1
    return round((s.default + high) / 2, s.decimals or 3)


def test_every_setting_has_an_editor_with_its_declared_range(form):
    for s in TrainingConfig.settings():
        w = form.widget(s.name)
        assert w.toolTip() == s.help, s.name
        if s.kind == "bool":
            assert isinstance(w, QCheckBox) and w.text() == s.short_label
        elif s.kind == "choice":
            assert isinstance(w, QComboBox)
            assert [w.itemData(i) for i in range(w.count())] == list(s.choices)
            assert [w.itemText(i) for i in range(w.count())] == [t for _, t in s.titles]
        elif s.kind in ("int", "float"):
            assert isinstance(w, QSpinBox | QDoubleSpinBox | WideIntSpinBox), s.name
            if s.min is not None and not s.min_open:
                assert w.minimum() == s.min, s.name
            if s.max is not None and not s.max_open:
                assert w.maximum() == s.max, s.name
    assert isinstance(form.widget("lr"), LogSpinBox)  # decades: 1e-4 ... 1
    assert isinstance(form.widget("weight_decay"), LogSpinBox)
    assert form.widget("lr").minimum() > 0 and form.widget("weight_decay").minimum() == 0
    assert isinstance(form.widget("seed"), WideIntSpinBox)  # a 64-bit seed fits
    assert form.widget("patience").minimum() == 1 and form.widget("grad_clip").minimum() == 0
    assert form.widget("warmup_epochs").minimum() == 0


def test_the_form_reads_and_writes_every_setting(form):
    changed = TrainingConfig(**{s.name: _other(s) for s in TrainingConfig.settings()})
    assert all(getattr(changed, f.name) != f.default
               for f in dataclasses.fields(TrainingConfig))
    assert form.config() == TrainingConfig()
    form.set_config(changed)
    assert form.config() == changed and form.problems == {}
    form.set_config(TrainingConfig())
    assert form.config() == TrainingConfig()


def test_rows_show_while_they_matter(form):
    shown = form.row_shown
    assert not shown("momentum") and not shown("nesterov")  # Adam
    form.set_value("optimizer", "sgd")
    assert shown("momentum") and shown("nesterov")
    form.set_value("optimizer", "rmsprop")
    assert shown("momentum") and not shown("nesterov")
    assert not shown("step_size") and not shown("gamma")
    form.set_value("schedule", "step")
    assert shown("step_size") and shown("gamma")
    assert not any(shown(n) for n in ("rotation", "scale", "crop_padding", "hflip", "patience"))
    form.set_value("augment", True)
    form.set_value("early_stopping", True)
    assert all(shown(n) for n in ("rotation", "scale", "crop_padding", "hflip", "patience"))
    assert shown("monitor")  # it also picks the best checkpoint


def test_collapsed_sections_say_what_is_set(form):
    aug = form.sections["Augmentation"]
    assert not aug.expanded and aug.summary.text() == "· off"
    form.set_value("augment", True)
    form.set_value("rotation", 15.0)
    assert aug.summary.text() == "· on, Rotation (degrees) 15"
    assert form.sections["Hardware"].summary.text() == "· defaults"
    form.set_value("precision", "bf16")
    assert form.sections["Hardware"].summary.text() == "· Precision bf16 (mixed)"
    assert form.sections["Optimizer"].expanded  # the everyday groups start open
    aug.header.click()
    assert aug.expanded and aug.body.isVisibleTo(form)


def _type(qtbot, box, text: str) -> None:
    box.lineEdit().selectAll()
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Delete)
    qtbot.keyClicks(box.lineEdit(), text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def test_a_refused_seed_is_an_inline_message_and_blocks_train(qtbot, window):
    ui = window.training_ui
    tp = ui.training_panel
    seed = tp.seed
    _type(qtbot, seed, "-1")
    assert tp.form.error_text("seed") == "Seed must be between 0 and 2^64 - 1, not -1"
    assert not tp.train_button.isEnabled()
    assert "Fix the training settings first" in tp.train_button.toolTip()
    assert "Seed must be" in tp.train_button.toolTip()
    assert ui.data_panel.seed == 0  # the Data tab's splits never see a refused seed
    _type(qtbot, seed, str(2**64))
    assert "not 18446744073709551616" in tp.form.error_text("seed")
    _type(qtbot, seed, "")
    assert tp.form.error_text("seed") == "Seed must be a whole number, not blank"
    _type(qtbot, seed, str(2**40))  # beyond 32 bits, within 64
    assert tp.form.error_text("seed") == "" and tp.train_button.isEnabled()
    assert tp.config().seed == 2**40 == ui.data_panel.seed


def test_epochs_and_seed_are_locked_while_training(qtbot, window):
    ui = window.training_ui
    tp = ui.training_panel
    ui.controller.create_run = scripted_create_run(epochs=1, steps_per_epoch=100000,
                                                   step_seconds=0.001)
    editors = tp.form.widgets
    assert all(w.isEnabled() for w in editors.values())
    tp.train_button.click()
    qtbot.waitUntil(lambda: ui.controller.is_running, timeout=10000)
    locked = [n for n, w in editors.items() if not w.isEnabled()]
    assert locked == [s.name for s in TrainingConfig.settings() if not s.live]
    assert {"epochs", "seed", "batch_size", "lr"} <= set(locked)
    assert not tp.tensorboard.isEnabled() and tp.form.lock_note.isVisibleTo(tp)
    with qtbot.waitSignal(ui.controller.finished, timeout=10000):
        tp.stop_button.click()
    assert all(w.isEnabled() for w in editors.values())
    assert tp.tensorboard.isEnabled() and not tp.form.lock_note.isVisibleTo(tp)


def test_augmentation_is_off_for_data_that_are_not_images(qtbot, window):
    tp = window.training_ui.training_panel
    tp.augment.setChecked(True)
    tp.set_data_kind("table")
    assert not tp.augment.isEnabled() and "image data only" in tp.augment.toolTip()
    assert tp.config().augment is False and not tp.form.row_shown("rotation")
    tp.set_data_kind("image")
    assert tp.augment.isEnabled() and tp.config().augment is True


def test_the_summary_follows_the_optimizer_and_batch_size(qtbot, window):
    doc = window.document
    tp = window.training_ui.training_panel
    adam = doc.analysis.memory.optimizer
    tp.optimizer.setCurrentIndex(tp.optimizer.findData("sgd"))
    assert doc.optimizer == "sgd" and doc.analysis.memory.optimizer == adam // 2
    tp.batch_size.setValue(128)
    assert doc.analysis.batch == 128


GAN_ONLY = ("gan_loss", "g_lr", "d_lr", "beta1", "beta2", "d_steps", "gan_quality")
NETWORK_ONLY = ("optimizer", "lr", "weight_decay", "schedule", "loss", "early_stopping",
                "augment", "unfreeze_after", "head_lr_multiplier", "precision", "nproc")
SHARED = ("epochs", "batch_size", "seed", "grad_clip", "device", "num_workers")


def test_gan_settings_show_for_a_gan_only(qtbot, window):
    tp = window.training_ui.training_panel
    form = tp.form
    # a classifier: no GAN section, none of its rows; its values do not reach the config
    assert not form.sections["GAN"].isVisibleTo(tp)
    assert not any(form.row_shown(n) for n in GAN_ONLY)
    assert all(form.row_shown(n) for n in (*NETWORK_ONLY[:2], *SHARED[:4]))
    tp.lr.setValue(0.01)
    tp.form.set_value("g_lr", 0.005)  # e.g. left from a GAN opened earlier
    assert tp.config().g_lr == TrainingConfig().g_lr and tp.config().lr == 0.01

    window.open_spec(load_template("dcgan_digits"), None, template="dcgan_digits")
    assert form.sections["GAN"].isVisibleTo(tp) and form.sections["GAN"].expanded
    assert all(form.row_shown(n) for n in GAN_ONLY if n != "gp_weight")
    assert not any(form.row_shown(n) for n in NETWORK_ONLY)  # the GanTrainer ignores them
    for group in ("Schedule", "Loss", "Early stopping", "Augmentation", "Fine-tuning"):
        assert not form.sections[group].isVisibleTo(tp), group
    assert form.sections["Optimizer"].isVisibleTo(tp)  # gradient clipping applies to both
    assert all(form.row_shown(n) for n in SHARED)
    tp.form.set_value("gan_loss", "wgan_gp")
    assert form.row_shown("gp_weight")  # relevant_when still holds inside the GAN rows
    config = tp.config()
    assert config.g_lr == 0.005 and config.gan_loss == "wgan_gp"
    assert config.lr == TrainingConfig().lr  # hidden: the default, not the classifier's

    window.open_spec(load_template("mlp"), None, template="mlp")  # back: as it was set
    assert not form.sections["GAN"].isVisibleTo(tp) and form.row_shown("lr")
    assert tp.config().lr == 0.01


def test_every_setting_applies_to_a_known_kind_of_model():
    from workbench.core.engine.config import GAN, MODEL_KINDS, NETWORK

    for s in TrainingConfig.settings():
        assert set(s.models) <= set(MODEL_KINDS), s.name
        assert s.applies_to(None)
    by_name = {s.name: s for s in TrainingConfig.settings()}
    assert all(by_name[n].applies_to(GAN) and not by_name[n].applies_to(NETWORK)
               for n in GAN_ONLY)
    assert all(by_name[n].applies_to(NETWORK) and not by_name[n].applies_to(GAN)
               for n in NETWORK_ONLY)
    assert all(by_name[n].applies_to(GAN) and by_name[n].applies_to(NETWORK) for n in SHARED)
