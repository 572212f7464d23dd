"""One pyqtgraph plot of one metric: curves created once and fed from growing buffers, with a
legend and a crosshair readout of the values under the mouse."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt

from workbench.ui.plots.series import GrowingSeries

BACKGROUND = "w"
FOREGROUND = "#333"


def format_value(value: float, unit: str = "") -> str:
    if not math.isfinite(value):
        return "—"
    if unit == "%":
        return f"{value:.2f} %"
    a = abs(value)
    if a != 0 and (a < 1e-3 or a >= 1e5):
        return f"{value:.3e}"
    if a >= 100:
        return f"{value:,.0f}"
    return f"{value:.4g}"


@dataclass(eq=False)
class Curve:
    """A PlotDataItem (created once) and the growing buffers it shows."""

    key: str
    name: str
    item: pg.PlotDataItem
    readout: bool = True
    series: GrowingSeries = field(default_factory=GrowingSeries)
    dirty: bool = False

    def extend(self, xs, ys) -> None:
        self.series.extend(xs, ys)
        self.dirty = True

    def append(self, x: float, y: float) -> None:
        self.series.append(x, y)
        self.dirty = True

    def clear(self) -> None:
        self.series.clear()
        self.item.setData([], [])
        self.dirty = False

    def refresh(self) -> None:
        if self.dirty:
            self.dirty = False
            self.item.setData(self.series.x, self.series.y)


class MetricPlot(pg.PlotWidget):
    """A plot of one metric against the training step."""

    def __init__(self, title: str, unit: str = "", *, x_label: str = "step",
                 parent=None) -> None:
        super().__init__(parent=parent, background=BACKGROUND)
        self.title = title
        self.unit = unit
        self.curves: dict[str, Curve] = {}
        item = self.getPlotItem()
        item.setTitle(title, color=FOREGROUND, size="10pt")
        item.setLabel("bottom", x_label)
        item.showGrid(x=True, y=True, alpha=0.15)
        for axis in ("left", "bottom"):
            item.getAxis(axis).setPen(FOREGROUND)
            item.getAxis(axis).setTextPen(FOREGROUND)
        item.setMenuEnabled(True)
        # PlotItem.addItem applies the plot's own (context-menu) settings to every data item:
        # set them here so that each curve is downsampled by peaks and clipped to the view.
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        item.enableAutoRange()
        self.legend = item.addLegend(offset=(-8, 8), labelTextColor=FOREGROUND,
                                     brush=pg.mkBrush(255, 255, 255, 200))
        self.vline = pg.InfiniteLine(angle=90, movable=False,
                                     pen=pg.mkPen("#888", style=Qt.PenStyle.DashLine))
        self.vline.setVisible(False)
        self.readout = pg.TextItem(color=FOREGROUND, anchor=(0, 0),
                                   fill=pg.mkBrush(255, 255, 255, 220),
                                   border=pg.mkPen("#bbb"))
        self.readout.setZValue(100)
        self.readout.setVisible(False)
        item.addItem(self.vline, ignoreBounds=True)
        item.addItem(self.readout, ignoreBounds=True)
        self._mouse_proxy = pg.SignalProxy(self.scene().sigMouseMoved, rateLimit=30,
                                           slot=self._mouse_moved)
        self.setMinimumSize(220, 160)

    # -- curves ---------------------------------------------------------------------------
    def add_curve(self, key: str, name: str, *, color, width: float = 1.5, alpha: int = 255,
                  style=Qt.PenStyle.SolidLine, symbol: str | None = None,
                  in_legend: bool = True, readout: bool = True, z: float = 0) -> Curve:
        """Create a curve once; later calls with the same key return the same curve."""
        if key in self.curves:
            return self.curves[key]
        qcolor = pg.mkColor(color)
        qcolor.setAlpha(alpha)
        pen = pg.mkPen(qcolor, width=width, style=style)
        kwargs = {}
        if symbol:
            kwargs = {"symbol": symbol, "symbolSize": 7, "symbolBrush": pg.mkBrush(qcolor),
                      "symbolPen": pg.mkPen("w")}
        item = pg.PlotDataItem([], [], pen=pen, name=name if in_legend else None, **kwargs)
        item.setZValue(z)
        self.getPlotItem().addItem(item)
        item.setDownsampling(auto=True, method="peak")
        item.setClipToView(True)
        curve = Curve(key, name, item, readout=readout)
        self.curves[key] = curve
        return curve

    def remove_curve(self, key: str) -> None:
        curve = self.curves.pop(key, None)
        if curve is not None:
            self.getPlotItem().removeItem(curve.item)
            if self.legend is not None:
                self.legend.removeItem(curve.item)

    def refresh(self) -> None:
        for curve in self.curves.values():
            curve.refresh()

    def auto_range(self) -> None:
        self.getPlotItem().enableAutoRange()

    # -- crosshair --------------------------------------------------------------------------
    def _mouse_moved(self, args) -> None:
        pos = args[0]
        vb = self.getPlotItem().getViewBox()
        if not self.sceneBoundingRect().contains(pos) or not vb.sceneBoundingRect().contains(pos):
            self.hide_readout()
            return
        point = vb.mapSceneToView(pos)
        self.show_readout_at(point.x())

    def readout_text(self, x: float) -> str | None:
        """The values of every curve at the point nearest step ``x`` (HTML), or None."""
        rows = []
        step = None
        for curve in self.curves.values():
            if not curve.readout or not curve.item.isVisible() or not len(curve.series):
                continue
            i = curve.series.nearest(x)
            if i is None:
                continue
            cx, cy = float(curve.series.x[i]), float(curve.series.y[i])
            if step is None or abs(cx - x) < abs(step - x):
                step = cx
            rows.append(f"{curve.name}: <b>{format_value(cy, self.unit)}</b>")
        if not rows:
            return None
        head = f"step {int(step):,}" if step is not None else ""
        return f"<span style='font-size:9pt'>{head}<br>" + "<br>".join(rows) + "</span>"

    def show_readout_at(self, x: float) -> None:
        text = self.readout_text(x)
        if text is None:
            self.hide_readout()
            return
        self.vline.setPos(x)
        self.vline.setVisible(True)
        self.readout.setHtml(text)
        (x0, x1), (y0, y1) = self.getPlotItem().getViewBox().viewRange()
        # Keep the box inside the view: on the left of the line when past the middle.
        right = x > (x0 + x1) / 2
        self.readout.setAnchor((1, 0) if right else (0, 0))
        self.readout.setPos(QPointF(x, y1))
        self.readout.setVisible(True)

    def hide_readout(self) -> None:
        self.vline.setVisible(False)
        self.readout.setVisible(False)

    def leaveEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.hide_readout()
        super().leaveEvent(event)


def finite_or_nan(values) -> np.ndarray:
    """None -> NaN, as float64."""
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)
