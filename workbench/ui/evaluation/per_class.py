"""The Evaluation tab's per-class table: precision, recall, F1 and support, sortable."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from workbench.ui.i18n import translator

tr = translator("evaluation.per_class")


class _ClassItem(QTableWidgetItem):
    """A class name that sorts in class order (2 before 10), not as text."""

    def __init__(self, name: str, index: int) -> None:
        super().__init__(name)
        self.index = index

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, _ClassItem):
            return self.index < other.index
        return super().__lt__(other)


class PerClassTable(QTableWidget):
    def __init__(self) -> None:
        super().__init__(0, 5)
        self.setHorizontalHeaderLabels([tr("Class"), tr("Precision"), tr("Recall"), "F1", tr("Support")])
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def fill(self, rows: list[dict[str, Any]]) -> None:
        self.setSortingEnabled(False)
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setRowCount(len(rows))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for r, row in enumerate(rows):
            self.setItem(r, 0, _ClassItem(str(row.get("name", r)), r))
            for c, key in enumerate(("precision", "recall", "f1"), start=1):
                v = row.get(key)
                # fixed decimals in [0, 1]: the text sorts as the numbers do
                item = QTableWidgetItem(f"{float(v):.3f}" if isinstance(v, int | float) else "—")
                item.setTextAlignment(right)
                self.setItem(r, c, item)
            support = QTableWidgetItem()
            support.setData(Qt.ItemDataRole.DisplayRole, int(row.get("support", 0) or 0))
            support.setTextAlignment(right)
            self.setItem(r, 4, support)
        self.setSortingEnabled(True)
