"""The palette: the layer catalogue as a tree grouped like core GROUPS, with a search box.

Drag an entry onto the canvas (mime ``LAYER_MIME`` carries the kind) or double-click it
(``activated(kind)``: the window appends it after the selected layer). A search shows the
matches as one list, best first (``match_rank``); Enter adds the first.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.layers import CATALOGUE, GROUPS, kinds_in_group
from workbench.ui import style
from workbench.ui.canvas.scene import LAYER_MIME
from workbench.ui.i18n import tr_core, translator

tr = translator("palette.panel")

KIND_ROLE = Qt.ItemDataRole.UserRole + 1


def match_rank(query: str, title: str, kind: str, group: str, help_text: str) -> int | None:
    """How well a layer matches a search, best 0: its title or kind starts with the query
    (0), a word of its title does (1), its title or kind contains it (2), every word is in
    its title, kind or group (3), or in its description too (4); None: no match. Spaces
    do not count in names ("conv2d" finds "Conv 2D")."""
    q = " ".join(query.lower().split())
    if not q:
        return None
    names = [title.lower(), kind.lower()]
    squashed, q_squashed = [n.replace(" ", "") for n in names], q.replace(" ", "")
    if any(n.startswith(q) for n in names) or any(n.startswith(q_squashed) for n in squashed):
        return 0
    if any(word.startswith(q) for n in names for word in n.split()):
        return 1
    if any(q in n for n in names) or any(q_squashed in n for n in squashed):
        return 2
    words = q.split()
    named = " ".join(names + [group.lower()])
    if all(w in named for w in words):
        return 3
    if all(w in f"{named} {help_text.lower()}" for w in words):
        return 4
    return None


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
        self.search.setPlaceholderText(tr("Search layers…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.filter)
        self.search.returnPressed.connect(self._activate_first)
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
        self._results: list[str] = []  # the kinds a search shows, best first
        # never narrower than its longest title: a dock squeezed by a narrow window (or a
        # layout saved then) kept ~60 px and cut every name
        longest = max(self.tree.fontMetrics().horizontalAdvance(it.text(0))
                      for it in self.items.values())
        scroll = self.tree.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        self.tree.setMinimumWidth(longest + 2 * self.tree.indentation() + scroll
                                  + 2 * self.tree.frameWidth() + 16)

    def _populate(self) -> None:
        bold = QFont(self.font())
        bold.setBold(True)
        for group in GROUPS:
            g = QTreeWidgetItem([""])
            g.setFont(0, bold)
            g.setIcon(0, style.swatch_icon(style.GROUP_COLOURS.get(group, "#888")))
            g.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(g)
            self.groups[group] = g
            for kind in kinds_in_group(group):
                it = QTreeWidgetItem([""])
                it.setData(0, KIND_ROLE, kind.kind)
                it.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                            | Qt.ItemFlag.ItemIsDragEnabled)
                g.addChild(it)
                self.items[kind.kind] = it
            g.setExpanded(True)
        self.retranslate()
        self.tree.setStyleSheet(
            "QTreeWidget::item { padding: 2px 0; } "
            f"QTreeWidget::item:hover {{ background: {QColor('#e8f0fe').name()}; }}")

    def retranslate(self) -> None:
        """The catalogue's titles and help in the interface's language (again after
        View > Language: the tooltips are composed, so no text swap finds them)."""
        for group, g in self.groups.items():
            g.setText(0, tr_core("catalogue", group))
        hint = tr("Drag onto the canvas, or double-click to add after the selected layer")
        for name, it in self.items.items():
            kind = CATALOGUE[name]
            title, help_text = tr_core("catalogue", kind.title), tr_core("catalogue", kind.help)
            it.setText(0, title)
            it.setToolTip(0, f"<b>{title}</b> <span style='color:{style.TEXT_DIM}'>"
                             f"({kind.kind})</span><br>{help_text}<br><i>{hint}</i>")
            it.setStatusTip(0, help_text)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def filter(self, text: str) -> None:
        """Without a search, the groups; with one, the matching layers as one list, best
        first (see ``match_rank``), the first current so that Enter adds it."""
        self._regroup()
        ranked = []
        for order, (kind, it) in enumerate(self.items.items()):
            rank = match_rank(text, it.text(0), kind, CATALOGUE[kind].group, it.statusTip(0))
            if rank is not None:
                ranked.append((rank, order, kind))
        if not text.split():
            return
        self._results = [kind for _rank, _order, kind in sorted(ranked)]
        for g in self.groups.values():
            g.setHidden(True)
        for kind in self._results:
            it = self.items[kind]
            it.parent().removeChild(it)
            it.setIcon(0, self.groups[CATALOGUE[kind].group].icon(0))  # its group's colour
            self.tree.addTopLevelItem(it)
        if self._results:
            self.tree.setCurrentItem(self.items[self._results[0]])

    def _regroup(self) -> None:
        """Every layer back under its group, in catalogue order."""
        for kind in self._results:
            it = self.items[kind]
            self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(it))
            it.setIcon(0, QIcon())
            self.groups[CATALOGUE[kind].group].addChild(it)
        self._results = []
        for group, g in self.groups.items():
            g.setHidden(False)
            children = [g.takeChild(0) for _ in range(g.childCount())]
            order = [k.kind for k in kinds_in_group(group)]
            children.sort(key=lambda it: order.index(it.data(0, KIND_ROLE)))
            g.addChildren(children)

    def visible_kinds(self) -> list[str]:
        """The layers shown, in the order shown."""
        if self._results:
            return list(self._results)
        return [k for k, it in self.items.items() if not it.isHidden()
                and it.parent() is not None and not it.parent().isHidden()]

    def _activate_first(self) -> None:
        if self._results:
            self.activated.emit(self._results[0])

    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        kind = item.data(0, KIND_ROLE)
        if kind:
            self.activated.emit(kind)
