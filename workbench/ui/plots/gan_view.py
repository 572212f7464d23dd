"""A GAN's live view in the Training tab: D and G losses, D(x) and D(G(z)), and the sample
grid from fixed noise. Fed the worker's event batches like ``LivePlots``; only the newest
grid of a batch is drawn, and at most ``GRID_FPS`` times a second, so a fast run cannot
flood the GUI thread with pixmaps."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from workbench.core.engine.events import GanMetrics, RunStarted, SampleGrid
from workbench.ui.i18n import translator
from workbench.ui.plots.metric_plot import MetricPlot

tr = translator("plots.gan_view")

D_COLOR, G_COLOR = "#d62728", "#1f77b4"
GRID_FPS = 4.0


def grid_pixmap(pixels: np.ndarray, side: int) -> QPixmap:
    """A grey or RGB uint8 array as a pixmap scaled to ``side`` pixels, with crisp pixels."""
    a = np.ascontiguousarray(pixels)
    h, w = a.shape[:2]
    if a.ndim == 2:
        img = QImage(a.data, w, h, w, QImage.Format.Format_Grayscale8)
    else:
        img = QImage(a.data, w, h, 3 * w, QImage.Format.Format_RGB888)
    pix = QPixmap.fromImage(img.copy())  # copy: the array may go away
    return pix.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio,
                      Qt.TransformationMode.FastTransformation)


class GanView(QWidget):
    """Two plots and the sample grid; ``add_events`` takes the worker's batches."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.losses = MetricPlot(tr("GAN losses"))
        self.scores = MetricPlot("D(x) and D(G(z))")
        self.d_loss = self.losses.add_curve("d", tr("discriminator"), color=D_COLOR, width=2)
        self.g_loss = self.losses.add_curve("g", tr("generator"), color=G_COLOR, width=2)
        self.d_real = self.scores.add_curve("real", tr("D(x) real"), color=D_COLOR, width=2)
        self.d_fake = self.scores.add_curve("fake", tr("D(G(z)) generated"), color=G_COLOR, width=2)
        self.grid = QLabel(tr("Samples from fixed noise appear here while it trains"))
        self.grid.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.grid.setMinimumSize(240, 240)
        self.grid.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.caption = QLabel("")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.warning = QLabel("")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #a94400; font-weight: bold")
        self.warning.hide()
        right = QVBoxLayout()
        right.addWidget(self.grid, 1)
        right.addWidget(self.caption)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.losses, 0, 0)
        layout.addWidget(self.scores, 1, 0)
        layout.addLayout(right, 0, 1, 2, 1)
        layout.addWidget(self.warning, 2, 0, 1, 2)
        layout.setColumnStretch(0, 3)
        layout.setColumnStretch(1, 2)
        self._pending: SampleGrid | None = None
        self._last_draw = 0.0
        self.frames = 0  # grids drawn (tests, benchmarks)

    def set_grid_only(self, on: bool, text: str = "") -> None:
        """An autoencoder's view: the reconstruction grid alone, no GAN curves."""
        self.losses.setVisible(not on)
        self.scores.setVisible(not on)
        self.layout().setColumnStretch(0, 0 if on else 3)  # the grid takes the width
        if text:
            self.grid.setText(text)

    def reset(self) -> None:
        for c in (self.d_loss, self.g_loss, self.d_real, self.d_fake):
            c.clear()
        self.warning.hide()
        self._pending = None

    def add_events(self, events: Sequence[Any]) -> None:
        metrics = []
        for e in events:
            if isinstance(e, GanMetrics):
                metrics.append(e)
                if e.warning:
                    self.warning.setText("⚠ " + e.warning)
                    self.warning.show()
            elif isinstance(e, SampleGrid):
                self._pending = e  # only the newest one is worth drawing
            elif isinstance(e, RunStarted) and e.start_step == 0:
                self.reset()
        if metrics:
            x = np.array([m.step for m in metrics], dtype=np.float64)
            for curve, key in ((self.d_loss, "d_loss"), (self.g_loss, "g_loss"),
                               (self.d_real, "d_real"), (self.d_fake, "d_fake")):
                curve.extend(x, np.array([getattr(m, key) for m in metrics], dtype=np.float64))
            self.losses.refresh()
            self.scores.refresh()
        self._draw_grid()

    def _draw_grid(self, force: bool = False) -> None:
        now = time.monotonic()
        if self._pending is None or (not force and now - self._last_draw < 1 / GRID_FPS):
            return
        e, self._pending = self._pending, None
        self._last_draw = now
        side = max(120, min(self.grid.width(), self.grid.height()))
        self.grid.setPixmap(grid_pixmap(e.pixels, side))
        self.caption.setText(tr("{} · step {:,} (epoch {})").format(
            e.title or tr("Samples"), e.step, e.epoch + 1))
        self.frames += 1

    def flush(self) -> None:
        """Draw a grid held back by the throttle (at the end of a run)."""
        self._draw_grid(force=True)
