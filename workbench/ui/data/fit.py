"""The Data tab's "Fit with the model" box: how the data do not fit the model (the
workspace's check), each with its one-click fix as a button."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from workbench.core.workspace import Mismatch
from workbench.ui.i18n import translator

tr = translator("data.fit")


class FitBox(QGroupBox):
    """``show_mismatches(list | None)``: None when no data are loaded. ``fix_requested``
    carries the mismatch whose button was pressed."""

    fix_requested = Signal(object)

    def __init__(self) -> None:
        super().__init__(tr("Fit with the model"))
        self.rows = QVBoxLayout(self)
        self.rows.setContentsMargins(8, 8, 8, 8)
        self.buttons: list[QPushButton] = []

    def show_mismatches(self, mismatches: list[Mismatch] | None) -> None:
        self.buttons = []
        while self.rows.count():
            w = self.rows.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        if mismatches is None:
            self.rows.addWidget(QLabel(tr("Load the data to check it against the model.")))
            return
        if not mismatches:
            ok = QLabel(tr("✓ The data fit the model's input and output."))
            ok.setStyleSheet("color: #1b6e20")
            self.rows.addWidget(ok)
        for m in mismatches:
            row = QWidget()
            h = QHBoxLayout(row)
            h.setContentsMargins(0, 0, 0, 0)
            text = QLabel(f"⚠ {m.message}")
            text.setWordWrap(True)
            text.setStyleSheet(f"color: {QColor('#8a4b00').name()}")
            h.addWidget(text, 1)
            if m.fixable:
                fix = QPushButton(m.fix_label)
                fix.setObjectName("fix")
                fix.clicked.connect(lambda _=False, m=m: self.fix_requested.emit(m))
                h.addWidget(fix)
                self.buttons.append(fix)
            self.rows.addWidget(row)
