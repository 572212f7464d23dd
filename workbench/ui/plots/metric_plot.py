"""One pyqtgraph plot of one metric: curves created once and fed from growing buffers, with a
legend and a crosshair readout of the values under the mouse."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QTimer

from workbench.ui.i18n import translator
from workbench.ui.plots.series import GrowingSeries, LevelOfDetail

tr = translator("plots.metric_plot")

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
    # finite data bounds, kept up to date as points arrive (for the plot's range)
    xmin: float = math.inf
    xmax: float = -math.inf
    ymin: float = math.inf
    ymax: float = -math.inf
    ypos: float = math.inf  # smallest positive y (log scale)

    def __post_init__(self) -> None:
        self.lod = LevelOfDetail(self.series)

    def extend(self, xs, ys) -> None:
        n = len(self.series)
        self.series.extend(xs, ys)
        self._bounds(self.series.x[n:], self.series.y[n:])
        self.dirty = True

    def append(self, x: float, y: float) -> None:
        self.extend([x], [y])

    def _bounds(self, xs: np.ndarray, ys: np.ndarray) -> None:
        good = np.isfinite(ys) & np.isfinite(xs)
        if not good.any():
            return
        x, y = xs[good], ys[good]
        self.xmin, self.xmax = min(self.xmin, float(x.min())), max(self.xmax, float(x.max()))
        self.ymin, self.ymax = min(self.ymin, float(y.min())), max(self.ymax, float(y.max()))
        pos = y[y > 0]
        if pos.size:
            self.ypos = min(self.ypos, float(pos.min()))

    def clear(self) -> None:
        self.series.clear()
        self.lod.clear()
        self.xmin = self.ymin = self.ypos = math.inf
        self.xmax = self.ymax = -math.inf
        self.item.setData([], [])
        self.dirty = False

    @property
    def has_data(self) -> bool:
        return self.xmax >= self.xmin

    def refresh(self, x_range: tuple[float, float] | None = None) -> None:
        """Hand pyqtgraph what is worth drawing for this x range (all of it when short)."""
        self.dirty = False
        x, y = self.lod.arrays(*(x_range or (None, None)))
        self.item.setData(x, y)


def nice_step(span: float) -> float:
    """1, 2 or 5 times a power of ten, near ``span``."""
    if not span > 0 or not math.isfinite(span):
        return 1.0
    exp = math.floor(math.log10(span))
    base = span / 10**exp
    mult = 1 if base < 1.5 else 2 if base < 3.5 else 5 if base < 7.5 else 10
    return mult * 10.0**exp


def nice_ceil(value: float) -> float:
    """The next of 1, 1.5, 2, 3, 4, 5, 6, 8 times a power of ten at or above ``value``."""
    if value <= 0:
        return 1.0
    exp = math.floor(math.log10(value))
    for m in (1, 1.5, 2, 3, 4, 5, 6, 8, 10):
        if m * 10.0**exp >= value * (1 - 1e-9):
            return m * 10.0**exp
    return 10.0 ** (exp + 1)


def nice_range(lo: float, hi: float) -> tuple[float, float]:
    """[lo, hi] widened to a coarse grid, so that the range (and the axes, which are costly
    to redraw) change only now and then while a curve grows."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return 0.0, 1.0
    if hi - lo <= 1e-12 * max(1.0, abs(hi)):
        pad = abs(hi) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    step = nice_step((hi - lo) / 4)
    return math.floor(lo / step) * step, math.ceil(hi / step) * step


class MetricPlot(pg.PlotWidget):
    """A plot of one metric against the training step."""

    def __init__(self, title: str, unit: str = "", *, x_label: str | None = None,
                 from_zero: bool = False, parent=None) -> None:
        super().__init__(parent=parent, background=BACKGROUND)
        self.title = title
        self.unit = unit
        # the y range starts at 0 (for rates, whose size matters more than their wiggles: a
        # constant learning rate is a flat line near the top, not one across a 1e-4 window)
        self.from_zero = from_zero
        self.curves: dict[str, Curve] = {}
        item = self.getPlotItem()
        item.setTitle(f"{title} ({unit})" if unit else title, color=FOREGROUND, size="10pt")
        item.setLabel("bottom", x_label if x_label is not None else tr("step"))
        item.showGrid(x=True, y=True, alpha=0.15)
        for axis in ("left", "bottom"):
            item.getAxis(axis).setPen(FOREGROUND)
            item.getAxis(axis).setTextPen(FOREGROUND)
        item.setMenuEnabled(True)
        # PlotItem.addItem applies the plot's own (context-menu) settings to every data item:
        # set them here so that each curve is downsampled by peaks and clipped to the view.
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        # The range is ours ("managed"): it follows the data on a coarse grid, so axes are
        # not redrawn on every update; a pan or zoom by the user ends that until "Fit".
        self.managed = True
        self.x_hint = 0.0  # the x range reaches at least this far (the run's planned steps)
        self._applied: tuple | None = None
        vb = item.getViewBox()
        vb.disableAutoRange()
        item.hideButtons()
        vb.sigRangeChangedManually.connect(self._on_manual_range)
        vb.sigXRangeChanged.connect(self._on_x_range)
        self._lod_timer = QTimer(self)
        self._lod_timer.setSingleShot(True)
        self._lod_timer.setInterval(40)
        self._lod_timer.timeout.connect(self._refresh_detail)
        self.legend = item.addLegend(offset=(-8, 8), labelTextColor=FOREGROUND,
                                     labelTextSize="8pt", verSpacing=-6,
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
        self._update_legend()
        return curve

    def remove_curve(self, key: str) -> None:
        curve = self.curves.pop(key, None)
        if curve is not None:
            self.getPlotItem().removeItem(curve.item)
            if self.legend is not None:
                self.legend.removeItem(curve.item)
            self._update_legend()

    def _update_legend(self) -> None:
        if self.legend is not None:
            self.legend.setVisible(bool(self.legend.items))

    def move_legend(self, corner: str) -> None:
        """Put the legend in a corner: "top-right" (default) or "bottom-right"."""
        if self.legend is None:
            return
        if corner == "bottom-right":
            self.legend.anchor(itemPos=(1, 1), parentPos=(1, 1), offset=(-8, -8))
        else:
            self.legend.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-8, 8))

    def refresh(self) -> None:
        """Push new points to the items (and move the range when the data outgrow it)."""
        if self.managed:
            self.apply_range()
        x_range = self.x_range()
        for curve in self.curves.values():
            if curve.dirty:
                curve.refresh(x_range)

    def x_range(self) -> tuple[float, float]:
        x0, x1 = self.getPlotItem().getViewBox().viewRange()[0]
        return float(x0), float(x1)

    def data_range(self) -> tuple[tuple[float, float], tuple[float, float]] | None:
        """Nice x and y ranges around the visible curves' data, or None without data."""
        curves = [c for c in self.curves.values() if c.has_data and c.item.isVisible()]
        if not curves:
            return None
        x0 = min(c.xmin for c in curves)
        x1 = max(c.xmax for c in curves)
        # the run's planned steps when the data stay within them (a run that ends on its
        # last step is not left with a blank quarter on the right), else a nice round end
        x_end = self.x_hint if 0 < x1 <= self.x_hint else nice_ceil(max(x1, 1.0))
        x_range = (min(0.0, x0), x_end)
        log_y = self.getPlotItem().getAxis("left").logMode
        if log_y:
            lo = min(c.ypos for c in curves)
            hi = max(c.ymax for c in curves)
            if not (math.isfinite(lo) and hi > 0):
                return x_range, (0.0, 1.0)
            y_range = (math.floor(math.log10(lo) * 2) / 2, math.ceil(math.log10(hi) * 2) / 2)
            if y_range[1] <= y_range[0]:
                y_range = (y_range[0] - 0.5, y_range[1] + 0.5)
        else:
            lo, hi = min(c.ymin for c in curves), max(c.ymax for c in curves)
            if self.from_zero and lo >= 0:
                lo, hi = 0.0, hi * 1.05  # some room above the highest point
            y_range = nice_range(lo, hi)
        return x_range, y_range

    def apply_range(self, force: bool = False) -> None:
        ranges = self.data_range()
        if ranges is None or (ranges == self._applied and not force):
            return
        self._applied = ranges
        self.getPlotItem().getViewBox().setRange(xRange=ranges[0], yRange=ranges[1],
                                                 padding=0.02)

    def auto_range(self) -> None:
        """Back to following the data (after the user panned or zoomed)."""
        self.managed = True
        self.apply_range(force=True)

    def _on_manual_range(self, *_) -> None:
        self.managed = False

    def _on_x_range(self, *_) -> None:
        if any(len(c.series) > c.lod.raw_limit for c in self.curves.values()):
            self._lod_timer.start()

    def _refresh_detail(self) -> None:
        """After a zoom or pan: long curves pick the level of detail for the new range."""
        x_range = self.x_range()
        for curve in self.curves.values():
            if len(curve.series) > curve.lod.raw_limit:
                curve.refresh(x_range)

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
        head = tr("step {}").format(f"{int(step):,}") if step is not None else ""
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
