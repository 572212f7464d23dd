"""The confusion matrix as a table of coloured cells (true class down, predicted across)."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from workbench.ui.i18n import translator

tr = translator("evaluation.confusion")


def _blend(fraction: float, diagonal: bool) -> QColor:
    """White to blue (correct) or white to red (errors), by the share of the true class."""
    f = max(0.0, min(1.0, fraction)) ** 0.6  # make small error rates visible
    r0, g0, b0 = (31, 119, 180) if diagonal else (214, 39, 40)
    return QColor(int(255 + (r0 - 255) * f), int(255 + (g0 - 255) * f), int(255 + (b0 - 255) * f))


class ConfusionModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.counts = np.zeros((0, 0), dtype=np.int64)
        self.names: list[str] = []
        self._row_totals = np.zeros(0)

    def set_matrix(self, counts: Any, names: list[str]) -> None:
        self.beginResetModel()
        m = np.asarray(counts if counts is not None else [], dtype=np.int64)
        if m.ndim != 2:
            m = np.zeros((0, 0), dtype=np.int64)
        self.counts = m
        n = m.shape[0]
        self.names = [str(s) for s in names][:n] + [str(i) for i in range(len(names), n)]
        self._row_totals = m.sum(axis=1) if n else np.zeros(0)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else self.counts.shape[0]

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else (self.counts.shape[1] if self.counts.ndim == 2 else 0)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        value = int(self.counts[r, c])
        total = float(self._row_totals[r]) or 1.0
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{value:,}" if value else ""
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(_blend(value / total, r == c))
        if role == Qt.ItemDataRole.ForegroundRole:
            dark = value / total > 0.45
            return QBrush(QColor("white" if dark else "#222"))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ToolTipRole:
            tn = self.names[r] if r < len(self.names) else r
            pn = self.names[c] if c < len(self.names) else c
            return (f"true {tn}, predicted {pn}: {value:,} of {int(total):,} "
                    f"({100 * value / total:.1f} %)\nClick to see these samples")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and section < len(self.names):
            return self.names[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return "predicted class" if orientation == Qt.Orientation.Horizontal else "true class"
        return None


class ConfusionView(QTableView):
    """Emits ``cell_clicked(true, predicted)`` with class indices."""

    cell_clicked = Signal(int, int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.matrix = ConfusionModel(self)
        self.setModel(self.matrix)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setShowGrid(True)
        self.setStyleSheet("QTableView { gridline-color: #ddd; }"
                           "QTableView::item:selected { border: 2px solid #222; }")
        for header in (self.horizontalHeader(), self.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            header.setMinimumSectionSize(18)
        self.horizontalHeader().setToolTip(tr("predicted class"))
        self.verticalHeader().setToolTip(tr("true class"))
        self.clicked.connect(lambda index: self.cell_clicked.emit(index.row(), index.column()))

    def set_matrix(self, counts: Any, names: list[str]) -> None:
        self.matrix.set_matrix(counts, names)
        n = self.matrix.rowCount()
        mode = (QHeaderView.ResizeMode.Stretch if n <= 20
                else QHeaderView.ResizeMode.ResizeToContents)
        for header in (self.horizontalHeader(), self.verticalHeader()):
            header.setSectionResizeMode(mode)
