"""The palette: the layer catalogue as a tree grouped like core GROUPS, with a search box.

Drag an entry onto the canvas (mime ``LAYER_MIME`` carries the kind) or double-click it
(``activated(kind)``: the window appends it after the selected layer).
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.layers import GROUPS, kinds_in_group
from workbench.ui import style
from workbench.ui.canvas.scene import LAYER_MIME

KIND_ROLE = Qt.ItemDataRole.UserRole + 1


class _LayerTree(QTreeWidget):
    def mimeTypes(self) -> list[str]:
        return [LAYER_MIME]

    def mimeData(self, items) -> QMimeData:
        mime = QMimeData()
        kinds = [it.data(0, KIND_ROLE) for it in items if it.data(0, KIND_ROLE)]
        if kinds:
            mime.setData(LAYER_MIME, kinds[0].encode("utf-8"))
            mime.setText(kinds[0])
        return mime


class PalettePanel(QWidget):
    activated = Signal(str)  # a layer kind was double-clicked (or Enter pressed)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search layers…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.filter)
        self.tree = _LayerTree()
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(True)
        self.tree.setIndentation(14)
        self.tree.setUniformRowHeights(True)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.itemActivated.connect(self._on_activated)
        self.tree.setToolTip("")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.setSpacing(6)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        self.groups: dict[str, QTreeWidgetItem] = {}
        self.items: dict[str, QTreeWidgetItem] = {}
        self._populate()

    def _populate(self) -> None:
        bold = QFont(self.font())
        bold.setBold(True)
        for group in GROUPS:
            g = QTreeWidgetItem([group])
            g.setFont(0, bold)
            g.setIcon(0, style.swatch_icon(style.GROUP_COLOURS.get(group, "#888")))
            g.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(g)
            self.groups[group] = g
            for kind in kinds_in_group(group):
                it = QTreeWidgetItem([kind.title])
                it.setData(0, KIND_ROLE, kind.kind)
                it.setToolTip(0, f"<b>{kind.title}</b> <span style='color:{style.TEXT_DIM}'>"
                                 f"({kind.kind})</span><br>{kind.help}<br><i>Drag onto the "
                                 "canvas, or double-click to add after the selected layer</i>")
                it.setStatusTip(0, kind.help)
                it.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                            | Qt.ItemFlag.ItemIsDragEnabled)
                g.addChild(it)
                self.items[kind.kind] = it
            g.setExpanded(True)
        self.tree.setStyleSheet(
            "QTreeWidget::item { padding: 2px 0; } "
            f"QTreeWidget::item:hover {{ background: {QColor('#e8f0fe').name()}; }}")

    def filter(self, text: str) -> None:
        """Show the layers whose title, kind or help contains every word of ``text``."""
        words = text.lower().split()
        for group, g in self.groups.items():
            shown = 0
            for i in range(g.childCount()):
                it = g.child(i)
                hay = f"{it.text(0)} {it.data(0, KIND_ROLE)} {it.statusTip(0)} {group}".lower()
                hide = bool(words) and not all(w in hay for w in words)
                it.setHidden(hide)
                shown += not hide
            g.setHidden(shown == 0)
            if words:
                g.setExpanded(True)

    def visible_kinds(self) -> list[str]:
        return [k for k, it in self.items.items() if not it.isHidden()
                and not it.parent().isHidden()]

    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        kind = item.data(0, KIND_ROLE)
        if kind:
            self.activated.emit(kind)
