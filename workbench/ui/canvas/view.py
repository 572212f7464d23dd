"""The canvas view, with the controls of node editors (Blender, Unreal, ComfyUI): the wheel
zooms about the cursor (Ctrl+wheel too: touchpad pinches arrive so on Windows); Shift+wheel
pans up and down, a sideways wheel or Alt+wheel left and right; a touchpad's two-finger
scroll pans and its pinch zooms; middle drag or Space + drag pans; +/- zoom. Rubber-band
selection on the background, a dotted grid, and a hint when the model is empty."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QInputDevice,
    QKeyEvent,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView, QLabel, QMenu, QWidget

from workbench.ui import style
from workbench.ui.canvas.items import NODE_H
from workbench.ui.canvas.scene import GraphScene
from workbench.ui.i18n import tr_noop, translator

tr = translator("canvas.view")

MIN_SCALE = 0.15  # the wheel and zoom-out stop here; Fit to Window may go lower to fit
FIT_FLOOR = 0.03
MAX_SCALE = 3.0
READABLE = 0.5  # below this the node text is too small to read (9 pt at 50 % is ~6 px)
COMFORTABLE = 0.8  # the top of a model too tall to be read whole is shown at this zoom
STEP = 1.2  # zoom factor per wheel notch (120 units of angle delta) or key press
WHEEL_PAN = 0.5  # pixels panned per unit of angle delta (60 px a notch)
FIT_MARGIN = 40  # view pixels left free around a fitted model
GRID = 20.0
EMPTY_HINT = tr_noop("This model is empty.\nDrag a layer here from the palette, or double-click one "
              "to add it (start with an input layer).")


class CanvasView(QGraphicsView):
    zoom_changed = Signal(float)

    def __init__(self, scene: GraphScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.graph = scene
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        # zooming keeps the point under the cursor itself (zoom_at): Qt's anchor follows the
        # last mouse move, not the wheel event's position
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
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
        self._auto_fit: bool | None = None  # refit on resize until the user zooms or pans
        self.context_actions: list[QAction | None] = []  # the window's edit actions (None: ---)
        # the empty-model hint is a widget over the viewport, not paint on it: scrolling blits
        # the viewport's pixels, which dragged painted text along and left pieces of it behind
        self.empty_hint = QLabel(tr(EMPTY_HINT), self)
        self.empty_hint.setObjectName("CanvasEmptyHint")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.empty_hint.setStyleSheet(f"color: {style.TEXT_DIM}; font-size: 11pt; "
                                      "background: transparent;")
        scene.document.changed.connect(self._update_hint)
        scene.document.loaded.connect(self._update_hint)
        self._update_hint()

    # -- zoom ---------------------------------------------------------------------------------
    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float, *, lowest: float = MIN_SCALE) -> None:
        """Zoom to ``factor`` about the centre of the view."""
        centre = QPointF(self.viewport().rect().center())
        self.zoom_at(factor, centre, lowest=lowest)

    def zoom_at(self, factor: float, pos: QPointF, *, lowest: float = MIN_SCALE) -> None:
        """Zoom to ``factor`` keeping the scene point under ``pos`` (viewport pixels) there.
        Below ``lowest`` only when already lower (after a fit): zooming out never zooms in."""
        lowest = min(lowest, self.zoom)
        factor = min(MAX_SCALE, max(lowest, factor))
        anchor = self.viewportTransform().inverted()[0].map(pos)
        self.scale(factor / self.zoom, factor / self.zoom)
        moved = self.viewportTransform().map(anchor) - pos
        self.pan(moved.x(), moved.y())
        self.zoom_changed.emit(self.zoom)

    def zoom_in(self) -> None:
        self._auto_fit = None
        self.set_zoom(self.zoom * STEP)

    def zoom_out(self) -> None:
        self._auto_fit = None
        self.set_zoom(self.zoom / STEP)

    def reset_zoom(self) -> None:
        self._auto_fit = None
        self.set_zoom(1.0)

    def graph_bounds(self) -> QRectF:
        """The scene area of every layer and connection (loops go out to the side)."""
        bounds = QRectF()
        for it in list(self.graph.nodes.values()) + list(self.graph.edges.values()):
            bounds = bounds.united(it.sceneBoundingRect())
        return bounds

    def fit(self) -> None:
        """Fit to Window: the whole model with a margin, never enlarged beyond actual size.
        A model too tall to be read whole is still shown whole; the status bar says how to
        read it."""
        self._fit(readable=False)

    def show_model(self) -> None:
        """The view of a model just opened: all of it when that is readable, else its top
        at a readable size (Fit to Window shows the rest)."""
        self._fit(readable=True)

    def _fit(self, readable: bool, say: bool = True) -> None:
        self._auto_fit = readable
        bounds = self.graph_bounds()
        if bounds.isEmpty():
            self.set_zoom(1.0)
            self.centerOn(0, 0)
            return
        view = self.viewport().rect()
        room_w, room_h = max(view.width() - 2 * FIT_MARGIN, 1), max(view.height() - 2 * FIT_MARGIN, 1)
        scale = min(1.0, room_w / bounds.width(), room_h / bounds.height())
        if readable and scale < READABLE:
            scale = max(READABLE, min(COMFORTABLE, room_w / bounds.width()))
            self.set_zoom(scale)
            top = bounds.top() - FIT_MARGIN / scale
            self.centerOn(QPointF(bounds.center().x(), top + view.height() / 2 / scale))
            if say:
                self.graph.message.emit(tr("The model is taller than the window: Fit to Window "
                                        "(Ctrl+0) shows all of it, Shift+wheel scrolls"))
            return
        self.set_zoom(max(scale, FIT_FLOOR), lowest=FIT_FLOOR)
        self.centerOn(bounds.center())
        if say and scale < READABLE:
            self.graph.message.emit(tr("Zoomed to {} to show all {} layers: wheel over a "
                                       "layer to zoom in and read it").format(
                f"{self.zoom:.0%}", len(self.graph.nodes)))

    def center_on_node(self, name: str) -> bool:
        item = self.graph.item_for(name)
        if item is None:
            return False
        self.centerOn(item.sceneBoundingRect().center())
        return True

    def wheelEvent(self, event: QWheelEvent) -> None:
        self._auto_fit = None
        mods = event.modifiers()
        angle, pixels = event.angleDelta(), event.pixelDelta()
        device = event.pointingDevice()
        touchpad = device is not None and device.type() == QInputDevice.DeviceType.TouchPad
        event.accept()
        if touchpad and not mods & Qt.KeyboardModifier.ControlModifier:
            # two-finger scroll pans (pixels where the platform gives them)
            d = QPointF(pixels) if not pixels.isNull() else QPointF(angle) * WHEEL_PAN
            self.pan(-d.x(), -d.y())
        elif mods & Qt.KeyboardModifier.ShiftModifier and angle.y():
            self.pan(0, -angle.y() * WHEEL_PAN)
        elif mods & Qt.KeyboardModifier.AltModifier or (angle.x() and not angle.y()):
            # a sideways wheel; Alt+wheel (some platforms hand it over as sideways already)
            self.pan(-(angle.x() or angle.y()) * WHEEL_PAN, 0)
        elif angle.y():
            self.zoom_at(self.zoom * math.pow(STEP, angle.y() / 120.0), event.position())

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.NativeGesture:  # touchpad pinch (macOS, Wayland, X11)
            gesture: QNativeGestureEvent = event  # type: ignore[assignment]
            if gesture.gestureType() == Qt.NativeGestureType.ZoomNativeGesture:
                self._auto_fit = None
                self.zoom_at(self.zoom * (1.0 + gesture.value()), gesture.position())
                return True
        return super().viewportEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.empty_hint.setGeometry(self.viewport().geometry().adjusted(40, 40, -40, -40))
        if self._auto_fit is not None:  # a window laid out after the model was opened
            self._fit(self._auto_fit, say=False)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        """After View > Language: the nodes' faces again (their kind titles are the
        catalogue's), the selection kept."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.empty_hint.setText(tr(EMPTY_HINT))
            selected = self.graph.selected_names()
            self.graph.rebuild()
            self.graph.sync()
            self.graph.select_names(selected)

    def _update_hint(self, *_args: object) -> None:
        self.empty_hint.setVisible(self.graph.document.spec is not None
                                   and not self.graph.document.spec.nodes)
        self.empty_hint.raise_()

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
            self._auto_fit = None
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
            self._auto_fit = None
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

    def drop_point(self) -> QPointF:
        """Where a new layer lands when placed 'here': the centre of the view."""
        c = self.mapToScene(self.viewport().rect().center())
        return QPointF(c.x(), c.y() - NODE_H / 2)
