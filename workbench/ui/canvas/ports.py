"""A node's ports on the canvas: its inputs along the top edge, its output at the bottom; a
drag from one is reported to the scene, which makes the connection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsSceneHoverEvent,
    QGraphicsSceneMouseEvent,
)

from workbench.ui import style

if TYPE_CHECKING:
    from workbench.ui.canvas.items import NodeItem

PORT_R = 4.5


class PortItem(QGraphicsEllipseItem):
    """An input port (top edge) or the output port (bottom edge) of a node."""

    def __init__(self, node_item: NodeItem, port: str | None, required: bool = True) -> None:
        super().__init__(-PORT_R, -PORT_R, 2 * PORT_R, 2 * PORT_R, node_item)
        self.node_item = node_item
        self.port = port  # None for the output
        self.required = required
        self.connected = False
        self._hover = False
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setZValue(2)
        self._restyle()

    @property
    def is_output(self) -> bool:
        return self.port is None

    def set_connected(self, connected: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            self._restyle()

    def set_highlight(self, on: bool) -> None:
        if on != self._hover:
            self._hover = on
            self._restyle()

    def _restyle(self) -> None:
        if self._hover:
            pen, fill = QPen(QColor("#ffffff"), 1.5), QColor(style.ACCENT)
        elif self.connected:
            pen, fill = QPen(QColor("#ffffff"), 1.5), QColor("#7d848d")
        else:
            pen = QPen(QColor("#7d848d"), 1.5)
            fill = QColor("#ffffff") if self.required else QColor("#eceff1")
        self.setPen(pen)
        self.setBrush(QBrush(fill))
        r = PORT_R * (1.5 if self._hover else 1.0)
        self.setRect(-r, -r, 2 * r, 2 * r)

    def shape(self) -> QPainterPath:  # a generous target for the mouse
        path = QPainterPath()
        path.addEllipse(QPointF(0, 0), PORT_R + 5, PORT_R + 5)
        return path

    def boundingRect(self) -> QRectF:
        r = PORT_R + 6
        return QRectF(-r, -r, 2 * r, 2 * r)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.set_highlight(True)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.set_highlight(False)
        super().hoverLeaveEvent(event)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.scene().begin_connection(self)  # type: ignore[union-attr]
            event.accept()
        else:
            event.ignore()

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self.scene().update_connection(event.scenePos())  # type: ignore[union-attr]

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.scene().finish_connection(event.scenePos())  # type: ignore[union-attr]
