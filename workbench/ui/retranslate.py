"""Switching the language of a running window without rebuilding it.

Every string of the interface goes through ``tr()`` when a widget is made or refreshed.
After View > Language installs new translators, ``retranslate_widgets`` walks the live
widgets and actions and swaps each text that is a translation in the old language
(looked up in the .ts: shown text -> context and source) for the same source in the new
one. Texts with values in them ("3 errors") are not in the index: the widgets that show
them compute them again on QEvent.LanguageChange (the main window's status and title,
the problems count...), or at their next refresh. Nothing is rebuilt, so the open model,
its undo history, the selection and a running training keep going.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTabBar,
    QTableView,
    QTableWidget,
    QTabWidget,
    QTreeView,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

Index = dict[str, tuple[str, str]]  # shown text -> (context, source)


def read_index(ts: Path | None, translated: bool) -> Index:
    """The texts a language shows, from its .ts: the translations (``translated``), or the
    English sources. Plural messages are left out (they always carry a number)."""
    index: Index = {}
    if ts is None or not ts.is_file():
        return index
    try:
        root = ET.parse(ts).getroot()
    except ET.ParseError:
        return index
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            if message.get("numerus") == "yes":
                continue
            source = message.findtext("source") or ""
            node = message.find("translation")
            shown = source if not translated else (node.text or "" if node is not None else "")
            if shown and node is not None and node.get("type") not in ("obsolete", "vanished"):
                index.setdefault(shown, (name, source))
    return index


def _swap(text: str, old: Index) -> str | None:
    key = old.get(text)
    if key is None:
        return None
    new = QCoreApplication.translate(key[0], key[1])
    return new if new != text else None


def _each(get: Callable[[], str], put: Callable[[str], object], old: Index) -> None:
    new = _swap(get(), old)
    if new is not None:
        put(new)


def _tree_items(tree: QTreeWidget) -> Iterable[QTreeWidgetItem]:
    stack = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    while stack:
        item = stack.pop()
        yield item
        stack.extend(item.child(i) for i in range(item.childCount()))


def _item_texts(item: QTreeWidgetItem, c: int, old: Index) -> None:
    _each(lambda: item.text(c), lambda t: item.setText(c, t), old)
    _each(lambda: item.toolTip(c), lambda t: item.setToolTip(c, t), old)
    _each(lambda: item.statusTip(c), lambda t: item.setStatusTip(c, t), old)


def _retranslate_widget(w: QWidget, old: Index) -> None:
    _each(w.toolTip, w.setToolTip, old)
    _each(w.statusTip, w.setStatusTip, old)
    if w.isWindow() or isinstance(w, QDockWidget):
        _each(w.windowTitle, w.setWindowTitle, old)
    if isinstance(w, QLabel):  # (the class's methods: a subclass may name a child "text")
        _each(lambda: QLabel.text(w), lambda t: QLabel.setText(w, t), old)
    if isinstance(w, QAbstractButton):
        _each(lambda: QAbstractButton.text(w), lambda t: QAbstractButton.setText(w, t), old)
    if isinstance(w, QLineEdit):
        _each(w.placeholderText, w.setPlaceholderText, old)
    if isinstance(w, QGroupBox):
        _each(lambda: QGroupBox.title(w), lambda t: QGroupBox.setTitle(w, t), old)
    if isinstance(w, QMenu):
        _each(lambda: QMenu.title(w), lambda t: QMenu.setTitle(w, t), old)
    if isinstance(w, QTabBar):
        for i in range(w.count()):
            _each(lambda i=i: w.tabText(i), lambda t, i=i: w.setTabText(i, t), old)
            _each(lambda i=i: w.tabToolTip(i), lambda t, i=i: w.setTabToolTip(i, t), old)
    if isinstance(w, QTabWidget):  # its own (hidden) bar and the mirrored one
        for i in range(w.count()):
            _each(lambda i=i: w.tabText(i), lambda t, i=i: w.setTabText(i, t), old)
    if isinstance(w, QComboBox):
        for i in range(w.count()):
            _each(lambda i=i: w.itemText(i), lambda t, i=i: w.setItemText(i, t), old)
            _each(lambda i=i: str(w.itemData(i, Qt.ItemDataRole.ToolTipRole) or ""),
                  lambda t, i=i: w.setItemData(i, t, Qt.ItemDataRole.ToolTipRole), old)
    if isinstance(w, QTreeWidget):
        header = w.headerItem()
        for c in range(w.columnCount()):
            _each(lambda c=c: header.text(c), lambda t, c=c: header.setText(c, t), old)
        for item in _tree_items(w):
            for c in range(w.columnCount()):
                _item_texts(item, c, old)
    if isinstance(w, QTableWidget):
        for c in range(w.columnCount()):
            item = w.horizontalHeaderItem(c)
            if item is not None:
                _each(item.text, item.setText, old)
    if isinstance(w, QAbstractItemView) and not isinstance(w, QTreeWidget | QTableWidget):
        model = w.model()  # headers a model computes with tr(): ask the view to read again
        columns = _columns(w)
        if model is not None and columns > 0:
            model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, columns - 1)
        w.viewport().update()


def _columns(view: QAbstractItemView) -> int:
    """Header columns of a table or tree view (0 for a list)."""
    if isinstance(view, QTableView):
        return view.horizontalHeader().count()
    if isinstance(view, QTreeView):
        return view.header().count()
    return 0


def _retranslate_action(a: QAction, old: Index) -> None:
    _each(a.text, a.setText, old)
    _each(a.toolTip, a.setToolTip, old)
    _each(a.statusTip, a.setStatusTip, old)
    _each(a.iconText, a.setIconText, old)


def retranslate_widgets(old: Index, widgets: Iterable[QWidget] | None = None) -> None:
    """Swap every text shown in the ``old`` language for the current translators' (all of
    the application's widgets and their actions by default)."""
    if not old:
        return
    if widgets is None:
        app = QApplication.instance()
        widgets = app.allWidgets() if isinstance(app, QApplication) else []
    seen: set[int] = set()
    for w in list(widgets):
        _retranslate_widget(w, old)
        for a in w.actions():
            if id(a) not in seen:
                seen.add(id(a))
                _retranslate_action(a, old)
        for a in w.findChildren(QAction, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if id(a) not in seen:
                seen.add(id(a))
                _retranslate_action(a, old)
