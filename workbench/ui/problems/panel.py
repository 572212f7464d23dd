"""Every problem of the model (errors first, then warnings); clicking one shows its layer.
Problems found outside the model (the data do not fit it) are listed too, with a button for
their one-click fix."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
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
from workbench.ui.i18n import tr_core, translator

tr = translator("problems.panel")

NODE_ROLE = Qt.ItemDataRole.UserRole + 1


class ProblemsPanel(QWidget):
    node_clicked = Signal(str)
    count_changed = Signal(int, int)  # errors, warnings

    def __init__(self, document: ModelDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.problems: list[Problem] = []
        self.extra_problems: list[Problem] = []
        self.fixes: dict[Problem, tuple[str, Callable[[], Any]]] = {}
        self._shown_fixes: list[str] = []
        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([tr("Problem"), tr("Layer"), ""])
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setUniformRowHeights(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.setColumnWidth(1, 140)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemActivated.connect(self._clicked)
        self.empty = QLabel(tr("✓  No problems: the model is ready to train."))
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

    def set_extra_problems(self, problems: list[Problem],
                           fixes: dict[Problem, tuple[str, Callable[[], Any]]] | None = None
                           ) -> None:
        """Problems from outside the model's analysis (the data's fit), listed after its own;
        ``fixes``: problem -> (button text, what the button does)."""
        self.extra_problems = list(problems)
        self.fixes = dict(fixes or {})
        self.refresh()

    def fix_button(self, row: int) -> QPushButton | None:
        item = self.tree.topLevelItem(row)
        widget = self.tree.itemWidget(item, 2) if item is not None else None
        return widget if isinstance(widget, QPushButton) else None

    def refresh(self, *_args: Any) -> None:
        analysis = self.document.analysis
        problems = list(analysis.problems) if analysis is not None else []
        problems += [p for p in self.extra_problems if p not in problems]
        problems.sort(key=lambda p: p.severity != "error")
        errors = sum(p.severity == "error" for p in problems)
        fix_labels = [self.fixes[p][0] if p in self.fixes else "" for p in problems]
        if problems != self.problems or fix_labels != self._shown_fixes:
            self.problems = problems
            self._shown_fixes = fix_labels
            self.tree.clear()
            for p in problems:
                message = tr_core("problems", p.message)
                item = QTreeWidgetItem([message, p.node or (str(p.edge) if p.edge else "")])
                item.setIcon(0, self._icons[p.severity])
                item.setToolTip(0, message)
                item.setData(0, NODE_ROLE, p.node or (p.edge.dst if p.edge else None))
                colour = style.ERROR if p.severity == "error" else style.WARNING
                item.setForeground(1, QColor(colour))
                self.tree.addTopLevelItem(item)
                if p in self.fixes:
                    label, action = self.fixes[p]
                    button = QPushButton(label)
                    button.setToolTip(tr("Fix it (one step you can undo)"))
                    button.clicked.connect(lambda _=False, action=action: action())
                    self.tree.setItemWidget(item, 2, button)
        self.stack.setCurrentWidget(self.tree if problems else self.empty)
        self.count_changed.emit(errors, len(problems) - errors)

    def _clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        node = item.data(0, NODE_ROLE)
        if node:
            self.node_clicked.emit(node)
