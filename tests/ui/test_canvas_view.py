"""How the canvas is looked at: Fit to Window shows the whole model, the wheel zooms about
the cursor as in node editors (Shift pans, a touchpad pans and pinches), and the hint of an
empty model stays put in the middle of the view. Real events sent to the real viewport."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QInputDevice, QNativeGestureEvent, QPointingDevice, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from workbench.ui.canvas.view import FIT_MARGIN, READABLE


def visible_rect(view):
    return view.mapToScene(view.viewport().rect()).boundingRect()


def wheel(view, pos: QPoint, dy: int = 0, dx: int = 0, modifiers=Qt.KeyboardModifier.NoModifier,
          pixels: QPoint | None = None, device: QPointingDevice | None = None) -> None:
    vp = view.viewport()
    args = (QPointF(pos), QPointF(vp.mapToGlobal(pos)), pixels or QPoint(), QPoint(dx, dy),
            Qt.MouseButton.NoButton, modifiers, Qt.ScrollPhase.NoScrollPhase, False,
            Qt.MouseEventSource.MouseEventNotSynthesized)
    event = QWheelEvent(*args, device) if device is not None else QWheelEvent(*args)
    QApplication.sendEvent(vp, event)


def test_fit_to_window_shows_every_layer_with_a_margin(make_window):
    for template in ("cnn_mnist", "resnet_small", "transformer_encoder"):
        w = make_window(template)
        view = w.view
        view.set_zoom(2.0)
        view.pan(3000, 3000)
        w.fit_action.trigger()
        shown = visible_rect(view)
        margin = FIT_MARGIN / view.zoom * 0.9
        for item in w.scene.nodes.values():
            box = item.sceneBoundingRect()
            assert shown.adjusted(margin, margin, -margin, -margin).contains(box), \
                (template, item.node.name)
        assert view.zoom <= 1.0


def test_fit_never_enlarges_a_small_model_and_a_tall_one_says_how_to_read_it(make_window):
    w = make_window(empty=True)
    w.palette.activated.emit("ImageInput")
    w.palette.activated.emit("Flatten")
    w.fit_action.trigger()
    assert w.view.zoom == 1.0  # actual size: fitting does not blow a small model up
    assert (visible_rect(w.view).center() - w.view.graph_bounds().center()).manhattanLength() < 2
    tall = make_window("resnet_small")
    tall.fit_action.trigger()
    assert tall.view.zoom < READABLE  # 20+ layers in a 850-px window
    assert "to show all" in tall.statusBar().currentMessage()


def test_a_tall_model_opens_at_a_readable_size_from_its_input(make_window, qtbot):
    w = make_window("resnet_small")
    qtbot.wait(20)
    assert READABLE <= w.view.zoom < 1.0
    assert visible_rect(w.view).contains(w.scene.item_for("input").sceneBoundingRect())
    small = make_window("mlp")  # one that fits is shown whole
    qtbot.wait(20)
    for item in small.scene.nodes.values():
        assert visible_rect(small.view).contains(item.sceneBoundingRect())


def test_the_wheel_zooms_about_the_cursor(window):
    view = window.view
    view.reset_zoom()
    item = window.scene.item_for("conv2")
    pos = view.mapFromScene(item.sceneBoundingRect().center() + QPointF(40, 5))
    under = view.mapToScene(pos)
    wheel(view, pos, dy=120)  # one notch up: in
    assert abs(view.zoom - 1.2) < 1e-6
    assert (view.mapToScene(pos) - under).manhattanLength() < 2  # the same point stays put
    wheel(view, pos, dy=-240)  # two down: out
    assert abs(view.zoom - 1.2 ** -1) < 1e-6
    assert (view.mapToScene(pos) - under).manhattanLength() < 3
    wheel(view, pos, dy=120, modifiers=Qt.KeyboardModifier.ControlModifier)  # Ctrl too
    assert abs(view.zoom - 1.0) < 1e-6


def test_shift_wheel_and_a_sideways_wheel_pan_without_zooming(window):
    view = window.view
    view.reset_zoom()
    centre = view.viewport().rect().center()
    before = visible_rect(view).center()
    wheel(view, centre, dy=-120, modifiers=Qt.KeyboardModifier.ShiftModifier)
    after = visible_rect(view).center()
    assert view.zoom == 1.0 and after.y() - before.y() > 30 and after.x() == before.x()
    wheel(view, centre, dx=-120)
    assert visible_rect(view).center().x() - after.x() > 30 and view.zoom == 1.0


def test_a_touchpad_scroll_pans_and_a_pinch_zooms(window):
    view = window.view
    view.reset_zoom()
    pad = QPointingDevice("test touchpad", 99, QInputDevice.DeviceType.TouchPad,
                          QPointingDevice.PointerType.Finger,
                          QInputDevice.Capability.Position | QInputDevice.Capability.Scroll, 2, 0)
    centre = view.viewport().rect().center()
    before = visible_rect(view).center()
    wheel(view, centre, dy=-30, dx=-20, pixels=QPoint(-20, -30), device=pad)
    after = visible_rect(view).center()
    assert view.zoom == 1.0
    assert abs(after.y() - before.y() - 30) <= 1 and abs(after.x() - before.x() - 20) <= 1
    pinch = QNativeGestureEvent(Qt.NativeGestureType.ZoomNativeGesture, pad, 2,
                                QPointF(centre), QPointF(centre), QPointF(centre), 0.25,
                                QPointF())
    QApplication.sendEvent(view.viewport(), pinch)
    assert abs(view.zoom - 1.25) < 1e-6


def _hint_pixels(window, view):
    """The bounding box of the hint's text on screen: what the platform shows, not a fresh
    repaint (scrolling reuses the viewport's pixels)."""
    vp = view.viewport()
    QApplication.processEvents()
    top_left = vp.mapTo(window, QPoint(0, 0))
    image = window.windowHandle().screen().grabWindow(window.winId()).copy(
        top_left.x(), top_left.y(), vp.width(), vp.height()).toImage()
    xs, ys = [], []
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = QColor(image.pixel(x, y))
            if c.red() < 150 and c.green() < 150:  # the hint's text, darker than the grid dots
                xs.append(x)
                ys.append(y)
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def test_the_empty_model_hint_stays_whole_in_the_middle_when_the_view_pans(make_window, qtbot):
    w = make_window(empty=True)
    view = w.view
    qtbot.waitUntil(lambda: view.empty_hint.isVisible())
    vp = view.viewport()
    first = _hint_pixels(w, view)
    assert first is not None
    centre = vp.rect().center()
    assert abs((first[0] + first[2]) / 2 - centre.x()) < 12  # centred, not cut
    QTest.mousePress(vp, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier, centre)
    QTest.mouseMove(vp, centre + QPoint(-60, -45))
    QTest.mouseRelease(vp, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier,
                       centre + QPoint(-60, -45))
    wheel(view, centre, dy=120)
    assert _hint_pixels(w, view) == first  # not dragged along, no pieces left behind
    w.palette.activated.emit("ImageInput")  # a first layer: the hint goes
    assert not view.empty_hint.isVisible()
