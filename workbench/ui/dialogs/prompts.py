"""Every modal question the main window asks goes through a ``Prompts`` object. The window
uses the real dialogs below; tests pass a subclass (or set attributes) that answers at once.
Torch-free: the window is built before PyTorch is imported.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Literal

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.i18n import tr_noop, translator

tr = translator("dialogs.prompts")

Choice = Literal["save", "discard", "cancel"]
# ".wbbundle" is the core's bundle SUFFIX, spelled out: this module must not import torch
FILTER = tr_noop("Workbench models and bundles (*.json *.wbbundle);;Workbench models (*.json);;"
                 "Workbench bundles (*.wbbundle);;All files (*)")
SAVE_FILTER = tr_noop("Workbench models (*.json);;All files (*)")


class Prompts:
    """Real dialogs. Each method returns the user's answer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def unsaved_changes(self, name: str) -> Choice:
        box = QMessageBox(self.parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(tr("Unsaved changes"))
        box.setText(tr("Save the changes to {}?").format(name))
        box.setInformativeText(tr("Your changes are lost if you don't save them."))
        box.setStandardButtons(QMessageBox.StandardButton.Save
                               | QMessageBox.StandardButton.Discard
                               | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        return {QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard"}.get(
                    QMessageBox.StandardButton(answer), "cancel")  # type: ignore[return-value]

    def restore_recovery(self, name: str, recovery: Path) -> bool:
        when = _dt.datetime.fromtimestamp(recovery.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        answer = QMessageBox.question(
            self.parent, tr("Restore unsaved work?"),
            tr("Workbench found unsaved changes to {} from {} (the app closed before they "
               "were saved).\n\nRestore them?").format(name, when),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes)
        return answer == QMessageBox.StandardButton.Yes

    def open_path(self, folder: str = "") -> str | None:
        path, _ = QFileDialog.getOpenFileName(self.parent, tr("Open model"), folder, tr(FILTER))
        return path or None

    def save_path(self, suggestion: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self.parent, tr("Save model as"), suggestion,
                                              tr(SAVE_FILTER))
        if path and not Path(path).suffix:
            path += ".json"
        return path or None

    def export_path(self, suggestion: str, title: str, file_filter: str,
                    suffix: str) -> str | None:
        """Where to export; ``suffix`` "" means a new folder (a PyTorch project)."""
        if not suffix:  # a folder that does not exist yet: ask for its name like a file's
            file_filter = tr("Folder (*)")
        path, _ = QFileDialog.getSaveFileName(self.parent, tr("Export as {}").format(title), suggestion,
                                              file_filter)
        if path and suffix and not Path(path).suffix:
            path += suffix
        return path or None

    def confirm_overwrite(self, path: str) -> bool:
        answer = QMessageBox.question(
            self.parent, tr("Replace the file?"),
            tr("{} already exists in {}.\n\nReplace it?").format(Path(path).name, Path(path).parent),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def choose_template(self) -> str | None:
        return TemplateDialog.ask(self.parent)

    def model_properties(self, name: str, description: str) -> tuple[str, str] | None:
        """The model's new (name, description), or None when cancelled."""
        from workbench.ui.dialogs.properties import PropertiesDialog

        return PropertiesDialog.ask(name, description, self.parent)

    def error(self, title: str, text: str) -> None:
        QMessageBox.critical(self.parent, title, text)

    def warning(self, title: str, text: str) -> None:
        """Something the user must know that stops nothing (the model opened regardless)."""
        QMessageBox.warning(self.parent, title, text)


class TemplateDialog(QDialog):
    """Pick one of the shipped templates (name, title and description)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from workbench.core.templates import list_templates

        self.setWindowTitle(tr("New model from template"))
        self.resize(560, 420)
        self.list = QListWidget()
        self.list.setSpacing(2)
        self.list.setWordWrap(True)
        for t in list_templates():
            item = QListWidgetItem(f"{t.title}\n{t.description}")
            item.setData(256, t.name)
            item.setToolTip(t.name)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Start from a ready-made model:")))
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return item.data(256) if item else None

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> str | None:
        dialog = cls(parent)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
