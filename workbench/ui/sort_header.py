"""A table header whose sort arrow points the way its column runs.

QHeaderView hands the style SortDown for an ascending column and SortUp for a descending
one, and Fusion draws them as they are named: the Runs table, newest first, showed an arrow
pointing up. Here ascending draws ▲ and descending ▼, as file managers and web tables do.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QStyleOptionHeader, QWidget


class SortHeader(QHeaderView):
    def __init__(self, orientation: Qt.Orientation = Qt.Orientation.Horizontal,
                 parent: QWidget | None = None) -> None:
        super().__init__(orientation, parent)
        self.setSectionsClickable(True)
        self.setHighlightSections(False)

    def initStyleOptionForIndex(self, option: QStyleOptionHeader,  # noqa: N802 - Qt override
                                logical_index: int) -> None:
        super().initStyleOptionForIndex(option, logical_index)
        if option.sortIndicator == QStyleOptionHeader.SortIndicator.SortDown:
            option.sortIndicator = QStyleOptionHeader.SortIndicator.SortUp
        elif option.sortIndicator == QStyleOptionHeader.SortIndicator.SortUp:
            option.sortIndicator = QStyleOptionHeader.SortIndicator.SortDown


def use_sort_header(table) -> SortHeader:
    """Give ``table`` (a QTableView) a SortHeader, keeping the header's settings that matter."""
    old = table.horizontalHeader()
    header = SortHeader(Qt.Orientation.Horizontal, table)
    header.setStretchLastSection(old.stretchLastSection())
    header.setDefaultAlignment(old.defaultAlignment())
    table.setHorizontalHeader(header)
    return header
