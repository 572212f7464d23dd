"""The interface in Simplified Chinese: every widget of the main window and of its dialogs
shows no English but proper names and units (``english_texts``), the shipped .ts is
complete, and switching the language on a running window keeps the open model, its undo
history and the selection.

When this fails after new strings were added: the message lists each English text with its
widget path. Put the text through ``tr()`` (``tr = translator("context")`` in the module),
run ``uv run python tools/update_translations.py``, translate the ``unfinished`` messages in
resources/translations/workbench_zh_CN.ts, and run this test again.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from tests.ui.english_texts import english_words, untranslated
from workbench.platform_checks import Problem
from workbench.ui import desktop, i18n
from workbench.ui.i18n import tr_core

TS = Path(__file__).resolve().parents[2] / "resources" / "translations" / "workbench_zh_CN.ts"


@pytest.fixture
def zh(tmp_path, monkeypatch):
    """The real Chinese translation installed (compiled from the .ts into a temp cache)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(i18n, "_translations", i18n.Translations())
    assert i18n.translations().apply("zh_CN") == "zh_CN", i18n.translations().error
    yield
    i18n.translations().apply(i18n.ENGLISH)


@pytest.fixture
def zh_window(zh, make_window, tmp_path):
    from workbench.ui.training import install_training_ui

    window = make_window("cnn_mnist")
    install_training_ui(window, runs_dir=tmp_path / "runs")
    yield window
    window.training_ui.shutdown()


def _fail_on(found: list[str]) -> None:
    if found:
        pytest.fail(f"{len(found)} English texts under zh_CN (translate them, see this "
                    "module's docstring):\n" + "\n".join(found), pytrace=False)


def test_the_detector_tells_english_from_names_and_units():
    assert english_words("Train the model") == ["Train", "the", "model"]
    assert english_words("导出为 ONNX、TorchScript (CUDA, 12 MB, Conv2d, conv_1)") == []
    assert english_words("<b>训练</b> &amp; <i>PyTorch</i> 2.4 · 28×28 px") == []


def test_the_translation_is_complete():
    text = TS.read_text(encoding="utf-8")
    assert 'type="unfinished"' not in text
    assert text.count("<translation>") + text.count("<numerusform>") >= 400


def test_main_window_and_task_tabs_show_no_english(zh_window, qtbot):
    window = zh_window
    found = []
    for i in range(window.tabs.count()):  # every tab shown once (some fill on show)
        window.tabs.setCurrentIndex(i)
        qtbot.wait(20)
    window.tabs.setCurrentIndex(0)
    window.scene.select_names([window.document.spec.nodes[1].name])  # the inspector's form
    found += untranslated(window, data=[window.document.spec.name])
    _fail_on(found)


def _dialogs(window, qtbot) -> list[QWidget]:
    """Open every dialog the window has (not modal here) and return them."""
    from workbench.ui.dialogs.prompts import TemplateDialog
    from workbench.ui.dialogs.properties import PropertiesDialog
    from workbench.ui.startup_checks import SystemCheckDialog

    desktop.show_about(window)
    shown = [window.about_dialog]
    export = window.export_model()
    if export is not None:
        shown.append(export)
    shown.append(PropertiesDialog("cnn_mnist", "A small CNN", window))
    shown.append(TemplateDialog(window))
    shown.append(SystemCheckDialog([], window))
    shown += _tool_windows(window)
    for d in shown:
        d.show()
        qtbot.waitExposed(d)
    return shown


def _tool_windows(window) -> list[QWidget]:
    """File > Import's dialog, the Compress window (each method's options shown once: the
    form hides the others') and the Generate text window."""
    from workbench.ui.compress.window import CompressWindow
    from workbench.ui.dialogs.import_dialog import ImportDialog
    from workbench.ui.generate.text_window import GenerateWindow

    compress = [CompressWindow(window) for _ in range(3)]
    for w, method in zip(compress, ("prune", "int8", "distill"), strict=True):
        w.set_method(method)
    return [ImportDialog(window), *compress, GenerateWindow(window)]


def test_dialogs_show_no_english(zh_window, qtbot):
    found = []
    for dialog in _dialogs(zh_window, qtbot):
        found += untranslated(dialog, data=[zh_window.document.spec.name])
        dialog.close()
    _fail_on(found)


def test_a_missing_cjk_font_is_said_in_english(zh, qtbot):
    """Without a CJK font Chinese is drawn as empty boxes: that one problem stays English."""
    from workbench.ui.startup_checks import SystemCheckDialog

    dialog = SystemCheckDialog([Problem("cjk-font", "No font for Chinese is installed.",
                                        "Install Noto Sans CJK.", "sudo apt install x")])
    qtbot.addWidget(dialog)
    texts = [w.text() for w in dialog.findChildren(QLabel)]
    assert "<b>No font for Chinese is installed.</b>" in texts


def test_message_boxes_show_no_english(zh_window, monkeypatch):
    """The questions the window asks (QMessageBox's static functions, caught here)."""
    asked: list[str] = []

    def record(_parent, title, text, *args, **kwargs):
        asked.extend([title, text])
        return QMessageBox.StandardButton.No

    for name in ("question", "warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(record))
    desktop.reset_everything(zh_window)  # answered No: nothing is reset
    zh_window.training_ui.runs_panel.delete_selected() if hasattr(
        zh_window.training_ui.runs_panel, "delete_selected") else None
    found = [f"QMessageBox: {t!r} ({', '.join(w)})" for t in asked if (w := english_words(t))]
    assert asked
    _fail_on(found)


def test_catalogue_and_settings_are_translated(zh):
    from workbench.core.engine.config import TrainingConfig
    from workbench.core.engine.settings import settings_of
    from workbench.core.layers import CATALOGUE, GROUPS

    found = []
    for text in [*GROUPS, *(k.title for k in CATALOGUE.values()),
                 *(k.help for k in CATALOGUE.values())]:
        if english_words(tr_core("catalogue", text)):
            found.append(f"catalogue: {text!r}")
    for s in settings_of(TrainingConfig):
        for text in (s.label, s.help, s.group):
            if text and english_words(tr_core("settings", text)):
                found.append(f"settings {s.name}: {text!r}")
    _fail_on(found)


def test_switching_language_keeps_model_history_and_selection(make_window, zh, qtbot,
                                                              tmp_path):
    from workbench.ui.training import install_training_ui

    i18n.translations().apply(i18n.ENGLISH)
    window = make_window("cnn_mnist")
    install_training_ui(window, runs_dir=tmp_path / "runs")
    doc = window.document
    window.scene.append_layer("Dropout")  # an unsaved edit with undo history
    spec, steps = doc.spec.to_dict(), doc.undo_stack.count()
    name = doc.spec.nodes[1].name
    window.scene.select_names([name])
    workspace = doc.workspace
    train_button = window.training_ui.training_panel.train_button
    assert train_button.text() == "Train"

    assert desktop.change_language(window, "zh_CN") == "zh_CN"
    qtbot.waitUntil(lambda: train_button.text() != "Train", timeout=5000)
    assert train_button.text() == QCoreApplication.translate("training.panel", "Train")
    assert window.tabs.bar.tabText(0) == QCoreApplication.translate("main_window", "Model")
    assert doc.workspace is workspace and doc.spec.to_dict() == spec
    assert doc.undo_stack.count() == steps and doc.is_modified
    assert window.scene.selected_names() == [name]
    QApplication.processEvents()
    assert not untranslated(window.palette)  # the catalogue follows too

    assert desktop.change_language(window, "en") == "en"
    qtbot.waitUntil(lambda: train_button.text() == "Train", timeout=5000)
    assert window.tabs.bar.tabText(0) == "Model"
    doc.undo_stack.undo()  # the history still works
    assert doc.undo_stack.count() == steps
    window.training_ui.shutdown()
    for w in QApplication.topLevelWidgets():
        if w is not window and w.isVisible():
            w.close()  # the system check the switch may have opened (no CJK font here)
