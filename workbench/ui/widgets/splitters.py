"""Splitters built in one call: the tabs lay their parts out side by side and one above the
other (the Evaluation tab's and the Sweep view's 2 x 2 layouts, the Runs tab's two rows)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QWidget


def _splitter(orientation: Qt.Orientation, widgets: Sequence[QWidget],
              sizes: Sequence[int]) -> QSplitter:
    splitter = QSplitter(orientation)
    for w in widgets:
        splitter.addWidget(w)
    splitter.setSizes(list(sizes))
    return splitter


def side_by_side(*widgets: QWidget, sizes: Sequence[int]) -> QSplitter:
    """``widgets`` left to right, starting at ``sizes`` pixels wide."""
    return _splitter(Qt.Orientation.Horizontal, widgets, sizes)


def stacked(*widgets: QWidget, sizes: Sequence[int]) -> QSplitter:
    """``widgets`` top to bottom, starting at ``sizes`` pixels high."""
    return _splitter(Qt.Orientation.Vertical, widgets, sizes)
