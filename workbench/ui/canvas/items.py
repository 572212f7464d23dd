"""What the canvas draws: layer nodes (here), with their ports (``ports``), and the
connections between them (``edges``).

Items show the spec and its analysis; they never change the model themselves. Drags on a port
and moves of a node are reported to the scene, which turns them into undo commands.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from workbench.core.graph import Node, NodeInfo, Problem
from workbench.core.layers import AUTO, CATALOGUE, LayerKind, fmt_shape
from workbench.ui import style
from workbench.ui.canvas.ports import PortItem
from workbench.ui.i18n import tr_core, translator
from workbench.ui.units import fmt_params

tr = translator("canvas.items")

if TYPE_CHECKING:
    from workbench.ui.canvas.edges import EdgeItem
    from workbench.ui.canvas.scene import GraphScene

NODE_W = 200.0  # the narrowest a node gets; wider when its texts need it...
MAX_NODE_W = 300.0  # ...up to this, beyond which they are elided (the tooltip has them all)
PAD = 9.0  # text inset from the node's sides
BADGE_W = 18.0  # the "!" of a layer with a problem
NAME_MIN = 64.0  # the least of a long name the header keeps before it cuts the kind
HEADER_H = 22.0
LINE_H = 17.0
NODE_H = HEADER_H + 2 * LINE_H + 8.0  # with a line of key parameters
NODE_H_SHORT = HEADER_H + LINE_H + 8.0  # kinds without key parameters (ReLU, Flatten...)
RADIUS = 7.0

# short names for common parameters on the node face (the inspector shows full titles)
ABBREVIATIONS = {
    "out_channels": "out", "out_features": "out", "kernel_size": "k", "stride": "s",
    "padding": "pad", "channels": "C", "height": "H", "width": "W", "features": "features",
    "hidden_size": "hidden", "num_layers": "layers", "embedding_dim": "dim",
    "vocab_size": "vocab", "output_size": "size", "negative_slope": "slope",
}

_FONTS: dict[str, QFont] = {}


FROZEN_FILL, FROZEN_BORDER = "#e8f0fe", "#4c7bd9"  # a frozen layer: cool blue, dashed


def _font(which: str) -> QFont:
    """Fonts are made on first use (a QApplication must exist)."""
    if not _FONTS:
        base = QFont()
        base.setPointSizeF(9.0)
        title = QFont(base)
        title.setBold(True)
        small = QFont(base)
        small.setPointSizeF(8.4)
        shape = QFont(base)
        shape.setBold(True)
        _FONTS.update(base=base, title=title, small=small, shape=shape)
    return _FONTS[which]


def format_value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return "x".join(str(v) for v in value)
    return str(value)


def key_params_text(kind: LayerKind, params: dict) -> str:
    values = kind.resolve(params)
    parts = []
    for name in kind.key_params:
        p = kind.param(name)
        v = values.get(name)
        text = "auto" if p.auto and v == AUTO else format_value(v)
        parts.append(f"{ABBREVIATIONS.get(name, name)} {text}")
    return " · ".join(parts)


class NodeItem(QGraphicsItem):
    """One layer: a header in its group's colour, its name, key parameters and output shape."""

    def __init__(self, node: Node) -> None:
        super().__init__()
        self.node = node
        self.kind: LayerKind | None = CATALOGUE.get(node.kind)
        self.edges: set[EdgeItem] = set()
        self.state = "ok"  # ok | error | warning | pending
        self.frozen = False  # fine-tuning: its weights do not train
        self._face: tuple = ()
        self.title = tr_core("catalogue", self.kind.title) if self.kind else node.kind
        self.colour = style.group_colour(self.kind.group if self.kind else "")
        self.name = self.params_text = self.shape_text = self.count_text = ""
        self.width = NODE_W
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setAcceptHoverEvents(True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setZValue(1)
        ports = self.kind.inputs if self.kind else ("in",)
        required = self.kind.required_inputs if self.kind else 1
        self.inputs: dict[str, PortItem] = {}
        for i, port in enumerate(ports):
            item = PortItem(self, port, required=i < required)
            item.setPos(self.input_x(i, len(ports)), 0)
            item.setToolTip(tr("Input '{}'").format(port)
                            + ("" if i < required else tr(" (optional)"))
                            + tr(": drag from another layer's output to here"))
            self.inputs[port] = item
        self.height = NODE_H if self.kind is None or self.kind.key_params else NODE_H_SHORT
        self.output = PortItem(self, None)
        self.output.setPos(0, self.height)
        self.output.setToolTip(tr("Output: drag to another layer's input to connect"))
        self.setPos(*node.pos)

    @staticmethod
    def input_x(i: int, n: int) -> float:
        if n == 1:
            return 0.0
        span = min(NODE_W - 50, 46.0 * (n - 1))
        return -span / 2 + span * i / (n - 1)

    # -- content from the analysis ------------------------------------------------------
    def update_from(self, info: NodeInfo | None, problems: list[Problem],
                    frozen: bool = False) -> None:
        node, kind = self.node, self.kind
        params = key_params_text(kind, node.params) if kind else "unknown layer kind"
        if info is not None and info.out_shape is not None:
            shape = "→ " + fmt_shape(info.out_shape)
            count = tr("{} params").format(fmt_params(info.params)) if info.params else ""
        else:
            shape, count = "→ ?", ""
        frozen = frozen and (info is None or info.params > 0)
        if frozen:
            count = "frozen · " + count if count else "frozen"
        errors = [p for p in problems if p.severity == "error"]
        state = "error" if errors else "warning" if problems else "ok"
        tip = [f"<b>{_html(self.title)}</b> '{_html(node.name)}'"]
        if kind:
            tip.append(f"<span style='color:{style.TEXT_DIM}'>{tr_core('catalogue', kind.help)}</span>")
            if params:
                tip.append(_html(params))
        if info is not None and info.out_shape is not None:
            tip.append(tr("Output: {} · {} parameters").format(fmt_shape(info.out_shape),
                                                             f"{info.params:,}"))
        if frozen:
            tip.append(tr("Frozen: its weights do not train (toggle in the inspector)"))
        for p in problems:
            colour = style.ERROR if p.severity == "error" else style.WARNING
            tip.append(f"<span style='color:{colour}'>• {_html(tr_core('problems', p.message))}</span>")
        face = (node.name, params, shape, count, state, tuple(tip), frozen)
        if face != self._face:
            self._face = face
            self.name, self.params_text, self.shape_text, self.count_text = face[:4]
            self.state = state
            self.frozen = frozen
            self.setToolTip("<br>".join(tip))
            self._set_width(self.needed_width())
            self.update()
        if self.pos() != QPointF(*node.pos) and self.scene() is not None \
                and self.scene().mouseGrabberItem() is not self:
            self.setPos(*node.pos)

    # -- geometry and painting ----------------------------------------------------------------
    def needed_width(self) -> float:
        """The width at which every text of the face shows whole, within the limits."""
        small, title, shape = (QFontMetricsF(_font(f)) for f in ("small", "title", "shape"))
        header = (title.horizontalAdvance(self.name) + 1 + 8 + small.horizontalAdvance(self.title)
                  + 2 + (BADGE_W if self.state in ("error", "warning") else 0.0))
        params = small.horizontalAdvance(self.params_text) if self.height == NODE_H else 0
        line = shape.horizontalAdvance(self.shape_text) + (
            small.horizontalAdvance(self.count_text) + 8 if self.count_text else 0)
        return min(MAX_NODE_W, max(NODE_W, math.ceil(max(header, params, line) + 2 * PAD)))

    def _set_width(self, width: float) -> None:
        if width != self.width:
            self.prepareGeometryChange()
            self.width = width
            for edge in self.edges:
                edge.route()

    def face(self) -> dict[str, tuple[str, str, QRectF, str]]:
        """What the face shows, by part ("name", "kind", "params", "shape", "count"): the
        full text, the text shown (elided to fit), its rectangle and font."""
        r = self.rect()
        inner_w = r.width() - 2 * PAD
        left = r.left() + PAD
        badge_w = BADGE_W if self.state in ("error", "warning") else 0.0
        small, title = QFontMetricsF(_font("small")), QFontMetricsF(_font("title"))
        # the header: the name on the left, the kind on the right; when both cannot fit
        # (a very long name), the name is cut down to NAME_MIN before the kind is
        room = inner_w - badge_w - 8
        kind_need = small.horizontalAdvance(self.title) + 2
        name_keep = min(title.horizontalAdvance(self.name) + 1, NAME_MIN)
        kind_w = min(kind_need, room - name_keep)
        name_w = room - kind_w
        parts = {"name": (self.name, QRectF(left, r.top(), name_w, HEADER_H), "title"),
                 "kind": (self.title, QRectF(left + name_w + 8, r.top(), kind_w, HEADER_H),
                          "small")}
        y = r.top() + HEADER_H + 3
        if self.height == NODE_H:
            parts["params"] = (self.params_text, QRectF(left, y, inner_w, LINE_H), "small")
            y += LINE_H
        count_w = small.horizontalAdvance(self.count_text) + 8 if self.count_text else 0.0
        parts["shape"] = (self.shape_text, QRectF(left, y, inner_w - count_w, LINE_H), "shape")
        if self.count_text:
            parts["count"] = (self.count_text,
                              QRectF(left + inner_w - count_w, y, count_w, LINE_H), "small")
        return {part: (text, _elide(text, _font(font), rect.width()), rect, font)
                for part, (text, rect, font) in parts.items()}

    def rect(self) -> QRectF:
        return QRectF(-self.width / 2, 0, self.width, self.height)

    def boundingRect(self) -> QRectF:
        return self.rect().adjusted(-4, -4, 6, 7)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self.rect(), RADIUS, RADIUS)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        r = self.rect()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # soft shadow
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 22))
        painter.drawRoundedRect(r.translated(1.5, 2.5), RADIUS, RADIUS)
        # body
        fill = {"error": style.ERROR_FILL, "warning": style.WARNING_FILL}.get(
            self.state, FROZEN_FILL if self.frozen else "#ffffff")
        painter.setBrush(QColor(fill))
        painter.drawRoundedRect(r, RADIUS, RADIUS)
        # header in the group's colour
        header = QPainterPath()
        header.addRoundedRect(r, RADIUS, RADIUS)
        clip = QPainterPath()
        clip.addRect(QRectF(r.left(), r.top(), r.width(), HEADER_H))
        painter.setBrush(self.colour)
        painter.drawPath(header.intersected(clip))
        # border: selection wins, then problem state
        if self.isSelected():
            pen = QPen(QColor(style.ACCENT), 2.6)
        elif self.state == "error":
            pen = QPen(QColor(style.ERROR), 2.2)
        elif self.state == "warning":
            pen = QPen(QColor(style.WARNING), 2.0)
        elif self.frozen:  # dashed: it stays as it is while the rest trains
            pen = QPen(QColor(FROZEN_BORDER), 1.6, Qt.PenStyle.DashLine)
        else:
            pen = QPen(QColor(style.BORDER), 1.0)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(r, RADIUS, RADIUS)

        colours = {"name": QColor("#ffffff"), "kind": QColor(255, 255, 255, 210),
                   "params": QColor(style.TEXT_DIM), "count": QColor(style.TEXT_DIM),
                   "shape": QColor(style.ERROR if self.state == "error" else "#174ea6")}
        for part, (_full, shown, rect, font) in self.face().items():
            painter.setFont(_font(font))
            painter.setPen(colours[part])
            side = Qt.AlignmentFlag.AlignRight if part in ("kind", "count") \
                else Qt.AlignmentFlag.AlignLeft
            painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | side, shown)
        if self.state in ("error", "warning"):
            c = QPointF(r.right() - PAD - 5, r.top() + HEADER_H / 2)
            painter.setPen(QPen(QColor("#ffffff"), 1.3))
            painter.setBrush(QColor(style.ERROR if self.state == "error" else style.WARNING))
            painter.drawEllipse(c, 7.0, 7.0)
            painter.setFont(_font("title"))
            painter.drawText(QRectF(c.x() - 7, c.y() - 7.5, 14, 14),
                             Qt.AlignmentFlag.AlignCenter, "!")

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            for edge in self.edges:
                edge.route()
        elif change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self.setZValue(3 if value else 1)
        return super().itemChange(change, value)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        scene: GraphScene = self.scene()  # type: ignore[assignment]
        scene.node_activated.emit(self.node.name)
        super().mouseDoubleClickEvent(event)

    def output_point(self) -> QPointF:
        return self.mapToScene(self.output.pos())

    def input_point(self, port: str) -> QPointF:
        item = self.inputs.get(port)
        return self.mapToScene(item.pos() if item else QPointF(0, 0))


def _elide(text: str, font: QFont, width: float) -> str:
    return QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, width)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
