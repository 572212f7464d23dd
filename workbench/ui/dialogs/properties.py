"""Edit > Model Properties…: the model's name (runs, export file names, the exported class)
and description (the exported code's docstring)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.i18n import translator

tr = translator("dialogs.properties")


class PropertiesDialog(QDialog):
    def __init__(self, name: str, description: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Model properties"))
        self.resize(480, 280)
        self.name = QLineEdit(name)
        self.name.setPlaceholderText(tr("e.g. Digits CNN"))
        self.name.setToolTip(tr("Shown in the Runs table; names exported files and the model class"))
        self.description = QPlainTextEdit(description)
        self.description.setPlaceholderText(tr("What the model is for, what it expects…"))
        self.description.setToolTip(tr("Kept in the model file and the exported code's docstring"))
        self.reason = QLabel("")
        self.reason.setObjectName("reason")
        form = QFormLayout()
        form.addRow(tr("Name"), self.name)
        form.addRow(tr("Description"), self.description)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(self._check)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self._check()

    def _check(self) -> None:
        ok = bool(self.name.text().strip())
        self.reason.setText("" if ok else tr("The model needs a name."))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def values(self) -> tuple[str, str]:
        return self.name.text().strip(), self.description.toPlainText().strip()

    @classmethod
    def ask(cls, name: str, description: str, parent: QWidget | None = None
            ) -> tuple[str, str] | None:
        dialog = cls(name, description, parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None
