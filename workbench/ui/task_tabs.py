"""The task tabs (Model, Data, Training, Evaluation, Runs) with their tab bar in a row of its
own across the top of the window.

A QTabWidget draws its bar above its pages; as the window's central widget that put the bar
between the docks, so it jumped sideways whenever a tab with docks (Model) and one without
were swapped. Here the pages stay a QTabWidget (its API, its Ctrl+Tab) with its own bar
hidden, and ``bar``, a mirror of it, sits in a toolbar above the dock areas, where nothing
moves it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QSizePolicy, QTabBar, QTabWidget, QToolBar, QWidget

from workbench.ui.i18n import translator

tr = translator("task_tabs")


class TaskTabs(QTabWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocumentMode(True)
        self.tabBar().hide()
        self.bar = QTabBar()
        self.bar.setObjectName("TaskTabBar")
        self.bar.setDocumentMode(True)
        self.bar.setExpanding(False)
        self.bar.setDrawBase(False)
        # the whole row: a toolbar keeps a widget at the size hint it had when added, so a
        # tab inserted later (Runs) was cut off ("Ru…") at the right
        self.bar.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.bar.currentChanged.connect(self.setCurrentIndex)
        self.currentChanged.connect(self.bar.setCurrentIndex)

    def tabInserted(self, index: int) -> None:  # noqa: N802 - Qt override
        super().tabInserted(index)
        self.tabBar().hide()
        self.bar.insertTab(index, self.tabIcon(index), self.tabText(index))
        self.bar.setTabToolTip(index, self.tabToolTip(index))
        self.bar.setCurrentIndex(self.currentIndex())
        self.bar.updateGeometry()

    def tabRemoved(self, index: int) -> None:  # noqa: N802 - Qt override
        super().tabRemoved(index)
        self.bar.removeTab(index)

    def mount_bar(self, window: QMainWindow) -> QToolBar:
        """Put the bar in a fixed toolbar row of ``window``, below its other toolbars."""
        row = QToolBar(tr("Tasks"), window)
        row.setObjectName("TaskTabsBar")
        row.setMovable(False)
        row.setFloatable(False)
        row.toggleViewAction().setVisible(False)  # not among the toolbars one can hide
        row.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        row.addWidget(self.bar)
        window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, row)
        return row
