"""The main window: files (save, reopen, unsaved-change questions, recent files), autosave and
recovery, summary and problems panels, status bar, the API for other tabs, and run_app."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLabel

from workbench.core.graph import ModelSpec, analyze
from workbench.core.templates import load_template
from workbench.ui.commands import SetParamCommand
from workbench.ui.document import ModelDocument, recovery_file
from workbench.ui.summary.panel import COLUMNS
from workbench.ui.units import fmt_bytes


def test_layout_tabs_docks_and_menus(window):
    assert window.tabs.tabText(0) == "Model"
    titles = {d.windowTitle() for d in (window.palette_dock, window.inspector_dock,
                                        window.summary_dock, window.problems_dock)}
    assert titles == {"Palette", "Inspector", "Summary", "Problems"}
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&View", "&Help"]
    file_items = [a.text() for a in window.file_menu.actions() if a.text()]
    # New (an empty model), New from Template… and Open… lead the File menu
    assert file_items[:3] == ["&New", "New from &Template…", "&Open…"]
    assert "Save &As…" in file_items and "&Quit" in file_items
    assert file_items.index("&Export…") == file_items.index("&Quit") - 1  # File > Export…
    window.palette_dock.toggleViewAction().trigger()
    assert window.palette_dock.isHidden()


def test_each_tab_keeps_its_own_docks(make_window):
    """The model's docks stay with the canvas: other tabs get the whole window, and what
    the user shows or hides on a tab is kept for that tab."""
    window = make_window("cnn_mnist")
    window.add_tab(QLabel("training"), "Training")
    window.summary_dock.hide()
    window.tabs.setCurrentIndex(1)
    assert all(d.isHidden() for d in window.docks())
    window.inspector_dock.show()  # the user wants one here
    window.tabs.setCurrentIndex(0)
    assert not window.palette_dock.isHidden() and not window.inspector_dock.isHidden()
    assert window.summary_dock.isHidden()
    window.tabs.setCurrentIndex(1)
    assert not window.inspector_dock.isHidden() and window.palette_dock.isHidden()
    window.close()  # the next start restores the Model tab's layout, whatever tab was up
    again = make_window("cnn_mnist")
    assert again.summary_dock.isHidden() and not again.palette_dock.isHidden()


def test_other_panels_add_tabs_and_file_menu_entries(window):
    page = QLabel("training")
    index = window.add_tab(page, "Training")
    assert window.tabs.widget(index) is page and window.tabs.tabText(index) == "Training"
    action = window.file_menu.addAction("Export…")
    assert action in window.file_menu.actions()
    assert isinstance(window.document, ModelDocument)


def test_save_and_reopen_round_trip(window, prompts, tmp_path):
    doc = window.document
    assert window.windowTitle() == "Untitled[*] — Workbench" and not window.isWindowModified()
    doc.push(SetParamCommand(doc, "conv1", "out_channels", 24))
    assert window.isWindowModified()
    prompts.save_answer = str(tmp_path / "my_cnn.json")
    assert window.save_action.isEnabled()
    window.save_action.trigger()
    assert prompts.asked == ["save_as"]
    assert not window.isWindowModified() and window.windowTitle() == "my_cnn.json[*] — Workbench"
    saved = ModelSpec.load(tmp_path / "my_cnn.json")
    assert saved.to_dict() == doc.spec.to_dict()
    expected = doc.spec.to_dict()
    assert window.new_from_template("mlp")
    assert doc.spec.name != saved.name
    assert window.open_file(tmp_path / "my_cnn.json")
    assert doc.spec.to_dict() == expected and doc.path == tmp_path / "my_cnn.json"
    assert window.recent_files()[0] == str((tmp_path / "my_cnn.json").resolve())
    doc.push(SetParamCommand(doc, "conv1", "out_channels", 20))
    window.save()  # to the same file, no question
    assert prompts.asked == ["save_as"]
    assert json.loads((tmp_path / "my_cnn.json").read_text())["nodes"][1]["params"][
        "out_channels"] == 20


def test_unsaved_changes_are_asked_about_on_new_open_and_close(window, prompts, tmp_path):
    doc = window.document
    doc.push(SetParamCommand(doc, "conv1", "out_channels", 24))
    prompts.unsaved_answer = "cancel"
    assert not window.new_from_template("mlp")
    assert not window.open_file(tmp_path / "x.json")
    assert not window.close()
    assert doc.spec.node("conv1").params["out_channels"] == 24
    assert prompts.asked == ["unsaved:Untitled"] * 3
    prompts.unsaved_answer = "save"
    prompts.save_answer = str(tmp_path / "kept.json")
    assert window.new_from_template("mlp")
    assert ModelSpec.load(tmp_path / "kept.json").node("conv1").params["out_channels"] == 24
    doc.push(SetParamCommand(doc, doc.spec.nodes[1].name, "out_features", 7))
    prompts.unsaved_answer = "discard"
    assert window.new_from_template("cnn_mnist")
    assert not doc.is_modified


def test_a_bad_file_is_reported_and_the_model_kept(window, prompts, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    before = window.document.spec.to_dict()
    assert not window.open_file(bad)
    assert prompts.errors and "not valid JSON" in prompts.errors[0][1]
    assert window.document.spec.to_dict() == before


def test_autosave_writes_a_recovery_file_that_is_offered_next_time(window, prompts, make_window,
                                                                   tmp_path):
    doc = window.document
    assert doc.autosave_timer.interval() == 60_000
    assert doc.autosave_now() is None  # nothing unsaved
    doc.push(SetParamCommand(doc, "conv1", "out_channels", 12))
    path = doc.autosave_now()
    assert path == recovery_file(None) and str(tmp_path / "autosave") in str(path)
    assert ModelSpec.load(path).node("conv1").params["out_channels"] == 12
    # "crash": a new window opens the default model and finds the recovery
    other = make_window("cnn_mnist")
    assert other.offer_recovery()
    assert other.document.spec.node("conv1").params["out_channels"] == 12
    assert other.document.is_modified and prompts.asked[-1] == "restore:Untitled"
    # saving removes the recovery; a declined recovery is removed too
    prompts.save_answer = str(tmp_path / "m.json")
    assert other.save()
    assert not recovery_file(None).exists()
    doc.autosave_now()
    prompts.restore_answer = False
    third = make_window("cnn_mnist")
    assert not third.offer_recovery() and not recovery_file(None).exists()


def test_recovery_of_a_saved_file_only_when_newer(window, prompts, tmp_path):
    doc = window.document
    target = tmp_path / "net.json"
    window.save_as(target)
    doc.push(SetParamCommand(doc, "conv1", "out_channels", 5))
    rec = doc.autosave_now()
    assert rec == recovery_file(target)
    old = time.time() - 100
    os.utime(rec, (old, old))
    assert ModelDocument.find_recovery(target) is None  # older than the file: stale
    os.utime(rec, None)
    assert ModelDocument.find_recovery(target) == rec
    doc.undo_stack.setClean()
    assert window.open_file(target)
    assert doc.spec.node("conv1").params["out_channels"] == 5 and doc.is_modified


def test_summary_totals_equal_analyze(make_window):
    w = make_window("resnet_small")
    doc = w.document
    doc.set_batch_size(32)
    a = analyze(doc.spec, 32, "adam")
    model = w.summary.model
    assert [model.headerData(i, Qt.Orientation.Horizontal)
            for i in range(len(COLUMNS))] == list(COLUMNS)
    assert model.rowCount() == len(a.rows()) + 1
    last = model.rowCount() - 1
    assert model.index(last, 0).data() == "Total"
    assert model.index(last, 3).data(256) == a.total_params
    assert model.index(last, 4).data(256) == a.total_flops
    assert sum(model.index(r, 3).data(256) for r in range(last)) == a.total_params
    assert [model.index(r, 0).data() for r in range(last)] == [r["name"] for r in a.rows()]
    assert model.index(1, 2).data() == "32 x 28 x 28"
    labels = w.summary.labels
    assert labels["total"].text() == fmt_bytes(a.memory.total)
    assert labels["activations"].text() == fmt_bytes(a.memory.activations)
    assert labels["params"].text() == f"{a.total_params:,}"
    assert "batch of 32" in w.summary.memory_note.text()
    assert f"{a.total_params:,} parameters" == w.params_label.text()


def test_clicking_a_problem_selects_and_centres_its_node(make_window):
    w = make_window("resnet_small")
    doc = w.document
    doc.push(SetParamCommand(doc, "b2_short", "out_channels", 48))
    tree = w.problems.tree
    assert tree.topLevelItemCount() >= 1
    item = tree.topLevelItem(0)
    assert "b2_add" in item.text(1) or "b2" in item.text(0)
    w.view.centerOn(0, 0)
    tree.itemClicked.emit(item, 0)
    node = item.text(1)
    assert w.scene.selected_names() == [node]
    centre = w.view.mapToScene(w.view.viewport().rect().center())
    assert (centre - w.scene.item_for(node).sceneBoundingRect().center()).manhattanLength() < 60
    assert "Problems (" in w.problems_dock.windowTitle()


def test_window_state_and_geometry_are_remembered(make_window):
    w = make_window("cnn_mnist")
    w.summary_dock.hide()
    w.resize(1111, 777)
    w.close()
    s = QSettings()
    assert s.value("window/geometry") is not None and s.value("window/state") is not None
    again = make_window("cnn_mnist")
    assert again.summary_dock.isHidden()


def test_analysis_batch_is_settable_by_the_training_panel(window):
    doc = window.document
    seen = []
    doc.changed.connect(seen.append)
    doc.set_batch_size(128)
    assert seen and seen[-1].batch == 128 and doc.batch_size == 128
    doc.batch_size = 16
    assert doc.analysis.batch == 16


@pytest.mark.qt_warnings_ok  # the training tabs (another team's) may warn offscreen
def test_run_app_writes_a_screenshot(tmp_path, qapp):
    from workbench.ui import app as app_module

    style, palette, sheet = qapp.style().name(), qapp.palette(), qapp.styleSheet()
    shot = tmp_path / "shot.png"
    spec_file = tmp_path / "lenet.json"
    load_template("lenet5").save(spec_file)
    try:
        code = app_module.run_app(argparse.Namespace(screenshot=str(shot), open=str(spec_file)))
    finally:
        qapp.setStyleSheet(sheet)
        qapp.setPalette(palette)
        qapp.setStyle(style)
    assert code == 0
    image = QImage(str(shot))
    assert not image.isNull() and image.width() >= 800 and image.height() >= 500
    assert shot.stat().st_size > 20_000
    assert QApplication.instance() is qapp


def test_the_window_opens_before_torch_is_imported():
    code = ("import sys\n"
            "from PySide6.QtWidgets import QApplication\n"
            "from workbench.ui.main_window import MainWindow\n"
            "app = QApplication([])\n"
            "w = MainWindow(build_panels=False, remember=False)\n"
            "w.show(); app.processEvents()\n"
            "assert 'torch' not in sys.modules, 'the window needed torch'\n"
            "assert not w.new_action.isEnabled()\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr


def test_the_template_dialog_lists_every_template(qtbot):
    from workbench.core.templates import list_templates
    from workbench.ui.dialogs.prompts import TemplateDialog

    dialog = TemplateDialog()
    qtbot.addWidget(dialog)
    assert dialog.list.count() == len(list_templates())
    dialog.list.setCurrentRow(2)
    assert dialog.chosen() == list_templates()[2].name


def test_file_new_gives_an_empty_model_of_its_own(window, prompts, tmp_path):
    doc = window.document
    assert window.new_action.text() == "&New" and window.new_action.isEnabled()
    window.new_action.trigger()
    assert doc.spec.nodes == [] and doc.spec.edges == []
    assert doc.spec.name == "Untitled model" and doc.spec.description == ""
    assert doc.template is None and not doc.is_modified
    assert window.windowTitle() == "Untitled[*] — Workbench"
    _double_click = window.palette.tree.itemActivated.emit
    for kind in ("FeatureInput", "Linear", "ClassificationHead"):
        _double_click(window.palette.items[kind], 0)
    prompts.save_answer = str(tmp_path / "tabular_net.json")
    assert window.save_as()
    # the blank model is named after its file, not left "Untitled model"
    assert ModelSpec.load(tmp_path / "tabular_net.json").name == "tabular_net"


def test_a_template_model_saved_as_a_new_file_is_named_after_it(window, prompts, tmp_path):
    """Built from a template, the model used to keep the template's name and description in
    the file, the Runs table, export names and the exported code."""
    doc = window.document
    assert doc.template == "cnn_mnist"
    template_name = doc.spec.name
    assert template_name == load_template("cnn_mnist").name
    prompts.save_answer = str(tmp_path / "my_digits.json")
    assert window.save_as()
    saved = ModelSpec.load(tmp_path / "my_digits.json")
    assert saved.name == "my_digits" != template_name
    assert not doc.is_modified
    doc.undo_stack.undo()  # the naming is one undoable step
    assert doc.spec.name == template_name
    # a name of one's own is kept: saving again elsewhere does not rename it
    doc.undo_stack.redo()
    prompts.save_answer = str(tmp_path / "copy.json")
    assert window.save_as()
    assert ModelSpec.load(tmp_path / "copy.json").name == "my_digits"


def test_model_properties_set_name_and_description_undoably(window, prompts, tmp_path):
    doc = window.document
    assert window.properties_action.isEnabled()
    assert window.properties_action in window.edit_menu.actions()
    prompts.properties_answer = ("Digits CNN", "Two convolutions for 28 x 28 digits")
    window.properties_action.trigger()
    assert prompts.asked[-1] == f"properties:{load_template('cnn_mnist').name}"
    assert (doc.spec.name, doc.spec.description) == ("Digits CNN",
                                                    "Two convolutions for 28 x 28 digits")
    assert doc.is_modified and window.windowTitle() == "Digits CNN[*] — Workbench"
    assert "properties" in window.undo_action.text()
    prompts.save_answer = str(tmp_path / "cnn.json")
    assert window.save_as()
    saved = ModelSpec.load(tmp_path / "cnn.json")
    assert (saved.name, saved.description) == ("Digits CNN", "Two convolutions for 28 x 28 digits")
    doc.undo_stack.undo()
    assert doc.spec.name == load_template("cnn_mnist").name
    prompts.properties_answer = None  # cancelled: nothing changes
    count = doc.undo_stack.count()
    assert not window.edit_properties() and doc.undo_stack.count() == count


def test_an_edit_is_autosaved_within_two_seconds(qtbot, window):
    """Autosave ran every 60 s only: a crash two seconds after an edit lost it."""
    doc = window.document
    assert doc.autosave_timer.interval() == 60_000 and doc.autosave_soon.interval() <= 2000
    assert not recovery_file(None).exists()
    doc.push(SetParamCommand(doc, "conv1", "out_channels", 13))
    qtbot.waitUntil(recovery_file(None).exists, timeout=3000)
    assert ModelSpec.load(recovery_file(None)).node("conv1").params["out_channels"] == 13
    for v in (14, 15, 16):  # typing: each edit postpones the write a little
        doc.push(SetParamCommand(doc, "conv1", "out_channels", v))
    qtbot.waitUntil(lambda: ModelSpec.load(recovery_file(None)).node("conv1")
                    .params["out_channels"] == 16, timeout=3000)


def test_summary_shows_per_device_memory_for_several_processes(make_window):
    from dataclasses import replace

    w = make_window("transformer_classifier")
    labels = w.summary.labels
    assert labels["per_device"].isHidden()  # one process: the total is the device's
    ws = w.document.workspace
    ws.set_config(replace(ws.config, nproc=4, batch_size=32))
    m = analyze(w.document.spec, 32, "adam").memory
    assert not labels["per_device"].isHidden()
    assert labels["per_device"].text() == f"{fmt_bytes(m.per_device(4).total)} (of 4)"
    assert labels["per_device_fsdp"].text() == \
        f"{fmt_bytes(m.per_device(4, sharded=True).total)} (of 4)"
