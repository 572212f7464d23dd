"""The canvas's connections: a curve from a node's output down to an input port of another,
stepping round the nodes in its way (or looping round when the input lies above)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsSceneHoverEvent,
    QStyle,
    QStyleOptionGraphicsItem,
    QWidget,
)

from workbench.core.graph import Edge
from workbench.ui import style
from workbench.ui.canvas.items import LINE_H, NODE_W, NodeItem


class EdgeItem(QGraphicsPathItem):
    """A connection from a node's output to an input port of another, drawn as a curve that
    steps around nodes in its way."""

    def __init__(self, edge: Edge, src: NodeItem, dst: NodeItem) -> None:
        super().__init__()
        self.edge = edge
        self.src = src
        self.dst = dst
        self._hover = False
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setZValue(0)
        self.setToolTip(f"{edge.src} → {edge.dst}"
                        + (f" (input '{edge.dst_port}')" if edge.dst_port != "in" else "")
                        + "\nClick to select, Delete to remove")
        self._restyle()

    def _restyle(self) -> None:
        if self.isSelected():
            self.setPen(QPen(QColor(style.ACCENT), 3.0, Qt.PenStyle.SolidLine,
                             Qt.PenCapStyle.RoundCap))
        else:
            colour = QColor("#5f6368") if self._hover else QColor(style.EDGE)
            self.setPen(QPen(colour, 2.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self._restyle()
            self.setZValue(0.5 if value else 0)
        return super().itemChange(change, value)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hover = True
        self._restyle()

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hover = False
        self._restyle()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        opt = QStyleOptionGraphicsItem(option)  # selection shows as colour, not a dashed box
        opt.state &= ~QStyle.StateFlag.State_Selected
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        super().paint(painter, opt, widget)

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(12)
        return stroker.createStroke(self.path())

    def route(self) -> None:
        scene = self.scene()
        p1 = self.src.output_point()
        p2 = self.dst.input_point(self.edge.dst_port)
        self.setPath(edge_path(p1, p2, _obstacles(scene, p1, p2, (self.src, self.dst))
                               if scene is not None else [],
                               half_width=max(self.src.width, self.dst.width) / 2))


def _obstacles(scene, p1: QPointF, p2: QPointF, skip: tuple) -> list[QRectF]:
    if p2.y() - p1.y() < 2 * LINE_H:
        return []
    corridor = QRectF(QPointF(min(p1.x(), p2.x()) - 10, p1.y() + 4),
                      QPointF(max(p1.x(), p2.x()) + 10, p2.y() - 4))
    return [it.sceneBoundingRect() for it in scene.items(corridor)
            if isinstance(it, NodeItem) and it not in skip]


def edge_path(p1: QPointF, p2: QPointF, obstacles: list[QRectF] = (),
              half_width: float = NODE_W / 2) -> QPainterPath:
    """A smooth path from an output (p1) down to an input (p2), detouring beside obstacles,
    or looping round when the input lies above the output."""
    path = QPainterPath(p1)
    if p2.y() < p1.y() + 12:  # upwards: leave downwards, go round, enter from above
        side = max(p1.x(), p2.x()) + half_width + 30
        path.cubicTo(QPointF(p1.x(), p1.y() + 40), QPointF(side, p1.y() + 40),
                     QPointF(side, p1.y()))
        path.lineTo(QPointF(side, p2.y()))
        path.cubicTo(QPointF(side, p2.y() - 40), QPointF(p2.x(), p2.y() - 40), p2)
        return path
    if obstacles:
        left = min(o.left() for o in obstacles) - 22
        right = max(o.right() for o in obstacles) + 22
        side = left if abs(p1.x() - left) + abs(p2.x() - left) < \
            abs(p1.x() - right) + abs(p2.x() - right) else right
        top = max(p1.y() + 14, min(o.top() for o in obstacles) - 10)
        bottom = min(p2.y() - 14, max(o.bottom() for o in obstacles) + 10)
        if bottom < top:
            bottom = top
        mid1 = (p1.y() + top) / 2
        mid2 = (bottom + p2.y()) / 2
        path.cubicTo(QPointF(p1.x(), mid1), QPointF(side, mid1), QPointF(side, top))
        path.lineTo(QPointF(side, bottom))
        path.cubicTo(QPointF(side, mid2), QPointF(p2.x(), mid2), p2)
        return path
    dy = max(24.0, (p2.y() - p1.y()) / 2)
    path.cubicTo(QPointF(p1.x(), p1.y() + dy), QPointF(p2.x(), p2.y() - dy), p2)
    return path
