"""The canvas view: zoom (Ctrl+wheel, +/-), pan (middle drag, or Space + drag), rubber-band
selection on the background, a dotted grid, and a hint when the model is empty."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView, QMenu, QWidget

from workbench.ui import style
from workbench.ui.canvas.items import NODE_H
from workbench.ui.canvas.scene import GraphScene

MIN_SCALE = 0.15
MAX_SCALE = 3.0
STEP = 1.2
GRID = 20.0


class CanvasView(QGraphicsView):
    zoom_changed = Signal(float)

    def __init__(self, scene: GraphScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.graph = scene
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setAcceptDrops(True)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        # pan with the wheel, a middle drag or Space + drag: scroll bars only add clutter
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._pan_from: QPointF | None = None
        self._space = False
        self.context_actions: list[QAction | None] = []  # the window's edit actions (None: ---)

    # -- zoom ---------------------------------------------------------------------------------
    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float, anchor_under_mouse: bool = False) -> None:
        factor = min(MAX_SCALE, max(MIN_SCALE, factor))
        if not anchor_under_mouse:
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.scale(factor / self.zoom, factor / self.zoom)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.zoom_changed.emit(self.zoom)

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom * STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom / STEP)

    def reset_zoom(self) -> None:
        self.set_zoom(1.0)

    def fit(self, min_scale: float = 0.75) -> None:
        """Show the whole model; when that would make it too small to read, show its top at a
        readable size instead (scroll for the rest)."""
        items = self.graph.nodes.values()
        if not items:
            self.set_zoom(1.0)
            self.centerOn(0, 0)
            return
        bounds = QRectF()
        for it in items:
            bounds = bounds.united(it.sceneBoundingRect())
        bounds = bounds.adjusted(-40, -30, 40, 30)
        view = self.viewport().rect()
        scale = min(view.width() / max(bounds.width(), 1), view.height() / max(bounds.height(), 1))
        scale = min(1.0, scale)
        if scale >= min_scale:
            self.set_zoom(scale)
            self.centerOn(bounds.center())
        else:
            self.set_zoom(min_scale)
            visible_h = view.height() / self.zoom
            self.centerOn(QPointF(bounds.center().x(), bounds.top() + visible_h / 2))

    def center_on_node(self, name: str) -> bool:
        item = self.graph.item_for(name)
        if item is None:
            return False
        self.centerOn(item.sceneBoundingRect().center())
        return True

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120.0
            if steps:
                self.set_zoom(self.zoom * math.pow(STEP, steps), anchor_under_mouse=True)
            event.accept()
        else:
            super().wheelEvent(event)

    # -- keys ---------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_out()
        elif key == Qt.Key.Key_Backspace:
            self.graph.delete_selection()
        elif key == Qt.Key.Key_Escape:
            self.graph.cancel_connection()
            self.graph.clearSelection()
        elif key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
            self.setInteractive(False)
        else:
            super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.setInteractive(True)
            self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        else:
            super().keyReleaseEvent(event)

    # -- middle-button panning --------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton:
            self._pan_from = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            self.pan(-delta.x(), -delta.y())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton and self._pan_from is not None:
            self._pan_from = None
            self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def pan(self, dx: float, dy: float) -> None:
        self.horizontalScrollBar().setValue(int(self.horizontalScrollBar().value() + dx))
        self.verticalScrollBar().setValue(int(self.verticalScrollBar().value() + dy))

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        item = self.itemAt(event.pos())
        selectable = QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
        while item is not None and not item.flags() & selectable:
            item = item.parentItem()
        if item is not None and not item.isSelected():
            self.graph.clearSelection()
            item.setSelected(True)
        if not self.context_actions:
            return
        menu = QMenu(self)
        for action in self.context_actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.exec(event.globalPos())

    # -- drawing ------------------------------------------------------------------------------------
    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, QColor(style.CANVAS_BG))
        step = GRID if self.zoom >= 0.5 else GRID * 4
        if step * self.zoom < 6:
            return
        pen = QPen(QColor("#cfd4da"), 1.6 / max(self.zoom, 0.01))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        left = math.floor(rect.left() / step) * step
        top = math.floor(rect.top() / step) * step
        points = []
        y = top
        while y < rect.bottom():
            x = left
            while x < rect.right():
                points.append(QPointF(x, y))
                x += step
            y += step
        if len(points) < 40_000:
            painter.drawPoints(points)

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        if self.graph.document.spec is None or self.graph.nodes:
            return
        painter.save()
        painter.resetTransform()
        font = QFont(self.font())
        font.setPointSizeF(11)
        painter.setFont(font)
        painter.setPen(QColor(style.TEXT_DIM))
        area = self.viewport().rect().adjusted(40, 40, -40, -40)
        painter.drawText(area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                         "This model is empty.\nDrag a layer here from the palette, or "
                         "double-click one to add it (start with an input layer).")
        painter.restore()

    def drop_point(self) -> QPointF:
        """Where a new layer lands when placed 'here': the centre of the view."""
        c = self.mapToScene(self.viewport().rect().center())
        return QPointF(c.x(), c.y() - NODE_H / 2)
