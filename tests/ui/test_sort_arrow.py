"""Sort arrows point the way the rows run: the Runs table, newest first, shows ▼ on
Started, and clicking the header for oldest first shows ▲ (as drawn on screen); the
Evaluation tab's per-class table likewise."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from test_runs_panel import panel, store  # noqa: F401 - fixtures


def arrow_direction(header, section: int) -> str:
    """'down' or 'up': which way the arrow drawn in ``section`` points (its wide end is
    at the top when it points down), read off the header's pixels at its right end."""
    image = header.grab().toImage()
    right = min(header.sectionViewportPosition(section) + header.sectionSize(section),
                image.width())
    widths = []
    for y in range(image.height()):
        dark = [x for x in range(right - 22, right - 2)
                if QColor(image.pixel(x, y)).lightness() < 140]
        if dark:
            widths.append(max(dark) - min(dark) + 1)
    assert len(widths) >= 3, "no arrow drawn"
    return "down" if widths[0] > widths[-1] else "up"


def test_the_sort_arrow_matches_the_order(panel, qtbot):  # noqa: F811
    panel.resize(1000, 400)
    panel.show()
    qtbot.waitExposed(panel)
    header = panel.table.horizontalHeader()
    rows = lambda: [panel.proxy.index(r, 2).data() for r in range(3)]  # noqa: E731
    assert rows() == sorted(rows(), reverse=True)  # newest first...
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert arrow_direction(header, 2) == "down"  # ...and the arrow says so
    section = header.sectionViewportPosition(2) + header.sectionSize(2) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, QPoint(section, 10))
    assert rows() == sorted(rows())  # oldest first
    assert arrow_direction(header, 2) == "up"


def test_the_per_class_table_arrow_matches_too(qtbot):
    from test_evaluation_panel import RESULTS, _images

    from workbench.ui.evaluation import EvaluationPanel

    p = EvaluationPanel()
    qtbot.addWidget(p)
    p.resize(1000, 700)
    p.show()
    qtbot.waitExposed(p)
    p.show_results(RESULTS, _images(), run_dir=None)
    table = p.per_class
    table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    qtbot.wait(20)
    assert arrow_direction(table.horizontalHeader(), 1) == "down"
    table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert arrow_direction(table.horizontalHeader(), 1) == "up"
