"""The look: a light theme, one colour per palette group, and the colours of node states.

Torch-free on purpose: the main window is built (and shown) before PyTorch is imported.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

# a distinct header colour for every group of the layer catalogue (core GROUPS)
GROUP_COLOURS: dict[str, str] = {
    "Inputs": "#2e7d32",
    "Dense": "#0277bd",
    "Convolution": "#6a1b9a",
    "Pooling": "#00838f",
    "Normalization": "#e65100",
    "Recurrent": "#ad1457",
    "Attention": "#3949ab",
    "Merge": "#6d4c41",
    "Activation": "#7c8a16",
    "Output": "#37474f",
}
DEFAULT_GROUP_COLOUR = "#607d8b"

ACCENT = "#1a73e8"
TEXT = "#202124"
TEXT_DIM = "#5f6368"
BORDER = "#c4c9d0"
CANVAS_BG = "#f4f5f7"
GRID = "#e1e4e8"
ERROR = "#d93025"
ERROR_FILL = "#fdecea"
WARNING = "#e37400"
WARNING_FILL = "#fff4e0"
OK = "#188038"
EDGE = "#8a9099"


def group_colour(group: str) -> QColor:
    return QColor(GROUP_COLOURS.get(group, DEFAULT_GROUP_COLOUR))


def swatch_icon(colour: str | QColor, size: int = 12) -> QIcon:
    """A small rounded square of one colour (palette groups, legend)."""
    pix = QPixmap(size, size)
    pix.fill(QColor(0, 0, 0, 0))
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QColor(0, 0, 0, 0))
    p.setBrush(QColor(colour))
    p.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    p.end()
    return QIcon(pix)


STYLESHEET = f"""
QMainWindow::separator {{ background: #dadce0; width: 1px; height: 1px; }}
QDockWidget {{ font-weight: 600; }}
QDockWidget::title {{ background: #eceef1; padding: 5px 8px; border-bottom: 1px solid #dadce0; }}
QTabWidget::pane {{ border: 1px solid #dadce0; top: -1px; background: white; }}
QTabBar::tab {{ padding: 6px 16px; border: 1px solid transparent; color: {TEXT_DIM}; }}
QTabBar::tab:selected {{ color: {TEXT}; border-bottom: 2px solid {ACCENT}; font-weight: 600; }}
QTabBar::tab:hover:!selected {{ color: {TEXT}; }}
QStatusBar {{ background: #eceef1; border-top: 1px solid #dadce0; }}
QStatusBar QLabel {{ padding: 0 10px; }}
QToolBar {{ background: #f8f9fa; border-bottom: 1px solid #dadce0; spacing: 2px; padding: 2px 4px; }}
QToolButton {{ padding: 3px 6px; border-radius: 4px; }}
QToolButton:hover {{ background: #e8eaed; }}
QHeaderView::section {{ background: #f1f3f4; border: none; border-bottom: 1px solid #dadce0;
                        border-right: 1px solid #e3e5e8; padding: 4px 6px; font-weight: 600; }}
QTreeView, QTableView, QListView {{ border: none; }}
QTableView {{ gridline-color: #eceef1; }}
QLineEdit[invalid="true"], QComboBox[invalid="true"], QAbstractSpinBox[invalid="true"] {{
    border: 1px solid {ERROR};
                                                        background: {ERROR_FILL}; }}
QLabel#reason {{ color: {ERROR}; }}
QLabel#heading {{ font-size: 13pt; font-weight: 600; }}
QLabel#dim {{ color: {TEXT_DIM}; }}
"""


def apply_theme(app: QApplication) -> None:
    """Fusion with a light palette and the stylesheet above (independent of the desktop's
    dark or light setting, so screenshots and colours are predictable)."""
    app.setStyle("Fusion")
    pal = QPalette()
    pal.setColor(QPalette.ColorRole.Window, QColor("#f8f9fa"))
    pal.setColor(QPalette.ColorRole.WindowText, QColor(TEXT))
    pal.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    pal.setColor(QPalette.ColorRole.AlternateBase, QColor("#f6f7f9"))
    pal.setColor(QPalette.ColorRole.Text, QColor(TEXT))
    pal.setColor(QPalette.ColorRole.Button, QColor("#f1f3f4"))
    pal.setColor(QPalette.ColorRole.ButtonText, QColor(TEXT))
    pal.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    pal.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    pal.setColor(QPalette.ColorRole.ToolTipBase, QColor("#ffffff"))
    pal.setColor(QPalette.ColorRole.ToolTipText, QColor(TEXT))
    pal.setColor(QPalette.ColorRole.PlaceholderText, QColor("#9aa0a6"))
    pal.setColor(QPalette.ColorRole.Link, QColor(ACCENT))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor("#9aa0a6"))
    app.setPalette(pal)
    font = QFont(app.font())
    if font.pointSizeF() < 9.5:
        font.setPointSizeF(9.5)
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)
