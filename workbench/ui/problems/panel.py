"""Every problem of the model (errors first, then warnings); clicking one shows its layer."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.graph import Problem
from workbench.ui import style
from workbench.ui.document import ModelDocument

NODE_ROLE = Qt.ItemDataRole.UserRole + 1


class ProblemsPanel(QWidget):
    node_clicked = Signal(str)
    count_changed = Signal(int, int)  # errors, warnings

    def __init__(self, document: ModelDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.problems: list[Problem] = []
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Problem", "Layer"])
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setUniformRowHeights(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.tree.header().setStretchLastSection(False)
        self.tree.setColumnWidth(1, 140)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemActivated.connect(self._clicked)
        self.empty = QLabel("✓  No problems: the model is ready to train.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet(f"color: {style.OK}; font-size: 11pt")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.tree)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        icons = self.style()
        self._icons = {"error": icons.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
                       "warning": icons.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)}
        document.changed.connect(self.refresh)
        self.refresh()

    def refresh(self, *_args: Any) -> None:
        analysis = self.document.analysis
        problems = list(analysis.problems) if analysis is not None else []
        problems.sort(key=lambda p: p.severity != "error")
        errors = sum(p.severity == "error" for p in problems)
        if problems != self.problems:
            self.problems = problems
            self.tree.clear()
            for p in problems:
                item = QTreeWidgetItem([p.message, p.node or (str(p.edge) if p.edge else "")])
                item.setIcon(0, self._icons[p.severity])
                item.setToolTip(0, p.message)
                item.setData(0, NODE_ROLE, p.node or (p.edge.dst if p.edge else None))
                colour = style.ERROR if p.severity == "error" else style.WARNING
                item.setForeground(1, QColor(colour))
                self.tree.addTopLevelItem(item)
        self.stack.setCurrentWidget(self.tree if problems else self.empty)
        self.count_changed.emit(errors, len(problems) - errors)

    def _clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        node = item.data(0, NODE_ROLE)
        if node:
            self.node_clicked.emit(node)
