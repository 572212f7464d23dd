"""Live training curves: loss, accuracy, learning rate and throughput against the step.

Training steps are drawn raw (faint) and smoothed (exponential moving average); validation
is one marker per epoch. Earlier runs can be overlaid (dashed). Every curve is created once
and fed through growing buffers, so a run of a million steps stays smooth: pyqtgraph only
draws what is in view, downsampled by peaks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from workbench.core.engine.events import EpochEnd, RunStarted, StepMetrics
from workbench.ui.i18n import tr_noop, translator
from workbench.ui.plots.metric_plot import MetricPlot
from workbench.ui.plots.series import Ema

tr = translator("plots.live")

TRAIN = "#1f77b4"
VAL = "#ff7f0e"
OVERLAY_COLORS = ["#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
                  "#bcbd22", "#7f7f7f"]

REFRESH_MS = 100  # at most 10 redraws a second: smooth to the eye, light on the GUI thread
DEFAULT_SMOOTHING = 0.6  # as TensorBoard's, but per step (see Ema): reports come a few
# times a second, each the average of the steps since the last one

# (plot key, title, unit, y axis from 0)
PLOTS = (("loss", tr_noop("Loss"), "", False), ("accuracy", tr_noop("Accuracy"), "%", False),
         ("lr", tr_noop("Learning rate"), "", True),
         ("throughput", tr_noop("Samples per second"), "", True))


def columns(records: Any) -> dict[str, np.ndarray]:
    """Metrics as columns: accepts a list of dicts (rows), a dict of sequences, or None.

    Missing values (None) become NaN so that curves show gaps.
    """
    if records is None:
        return {}
    if isinstance(records, Mapping):
        return {k: _floats(v) for k, v in records.items() if _numeric(v)}
    rows = [r if isinstance(r, Mapping) else getattr(r, "__dict__", {}) for r in records]
    if not rows:
        return {}
    keys = {k for r in rows for k in r}
    out = {}
    for k in keys:
        values = [r.get(k) for r in rows]
        if _numeric(values):
            out[k] = _floats(values)
    return out


def _numeric(values: Any) -> bool:
    try:
        return all(v is None or isinstance(v, int | float | np.number) for v in values)
    except TypeError:
        return False


def _floats(values: Any) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


class LivePlots(QWidget):
    """The four metric plots, fed by ``add_events`` (worker batches) and overlays."""

    overlays_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plots: dict[str, MetricPlot] = {}
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        for i, (key, title, unit, from_zero) in enumerate(PLOTS):
            plot = MetricPlot(tr(title), unit, from_zero=from_zero)
            self.plots[key] = plot
            grid.addWidget(plot, i // 2, i % 2)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)

        loss, acc = self.plots["loss"], self.plots["accuracy"]
        self.train_loss_raw = loss.add_curve("train_raw", tr("train (raw)"), color=TRAIN, width=1,
                                             alpha=70, in_legend=False, readout=False)
        self.train_loss = loss.add_curve("train", tr("train"), color=TRAIN, width=2, z=1)
        self.val_loss = loss.add_curve("val", tr("validation"), color=VAL, width=1.5, symbol="o", z=2)
        self.train_acc_raw = acc.add_curve("train_raw", tr("train (raw)"), color=TRAIN, width=1,
                                           alpha=70, in_legend=False, readout=False)
        self.train_acc = acc.add_curve("train", tr("train"), color=TRAIN, width=2, z=1)
        self.val_acc = acc.add_curve("val", tr("validation"), color=VAL, width=1.5, symbol="o", z=2)
        self.lr = self.plots["lr"].add_curve("lr", tr("this run"), color=TRAIN, width=2,
                                             in_legend=False)
        self.throughput = self.plots["throughput"].add_curve("sps", tr("this run"), color=TRAIN,
                                                             width=1.5, in_legend=False)
        acc.move_legend("bottom-right")
        self._loss_ema = Ema(DEFAULT_SMOOTHING)
        self._acc_ema = Ema(DEFAULT_SMOOTHING)
        self.overlays: dict[str, dict[str, Any]] = {}
        self._dirty = False
        self._pending: list[MetricPlot] = []  # plots still to redraw in this staggered pass
        self._throttle = QTimer(self)
        self._throttle.setSingleShot(True)
        self._throttle.setInterval(REFRESH_MS)
        self._throttle.timeout.connect(self._refresh_staggered)
        self._stagger = QTimer(self)
        self._stagger.setSingleShot(True)
        self._stagger.setInterval(0)
        self._stagger.timeout.connect(self._refresh_next)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(QLabel(tr("Smoothing")))
        self.smoothing = QSlider(Qt.Orientation.Horizontal)
        self.smoothing.setRange(0, 99)
        self.smoothing.setValue(round(DEFAULT_SMOOTHING * 100))
        self.smoothing.setMaximumWidth(160)
        self.smoothing.setToolTip(tr("Exponential moving average of the training curves, per "
                                  "step"))
        self.smoothing.valueChanged.connect(self.set_smoothing)
        self.smoothing_label = QLabel(f"{DEFAULT_SMOOTHING:.2f}")
        bar.addWidget(self.smoothing)
        bar.addWidget(self.smoothing_label)
        self.show_raw = QCheckBox(tr("Raw"))
        self.show_raw.setChecked(True)
        self.show_raw.setToolTip(tr("Show the unsmoothed training values (faint)"))
        self.show_raw.toggled.connect(self._set_raw_visible)
        bar.addWidget(self.show_raw)
        self.log_loss = QCheckBox(tr("Log loss"))
        self.log_loss.toggled.connect(self._set_log_loss)
        bar.addWidget(self.log_loss)
        bar.addStretch(1)
        self.status = QLabel("")
        self.status.setStyleSheet("color: #666")
        bar.addWidget(self.status)
        self.clear_overlays_button = QPushButton(tr("Clear overlays"))
        self.clear_overlays_button.setEnabled(False)
        self.clear_overlays_button.clicked.connect(self.clear_overlays)
        bar.addWidget(self.clear_overlays_button)
        fit = QPushButton(tr("Fit"))
        fit.setToolTip(tr("Autoscale every plot to its data"))
        fit.clicked.connect(self.auto_range)
        bar.addWidget(fit)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addLayout(grid, 1)

    # -- the current run ------------------------------------------------------------------
    def reset(self) -> None:
        """Clear the current run's curves (overlays stay)."""
        for curve in self._own_curves():
            curve.clear()
        for plot in self.plots.values():
            plot.x_hint = 0.0
        self._loss_ema.reset()
        self._acc_ema.reset()
        self.status.setText("")

    def _own_curves(self):
        return (self.train_loss_raw, self.train_loss, self.val_loss, self.train_acc_raw,
                self.train_acc, self.val_acc, self.lr, self.throughput)

    def add_events(self, events: Sequence[Any]) -> None:
        """Take one batch from the worker: append to the buffers, then redraw once."""
        steps: list[StepMetrics] = []
        epochs: list[EpochEnd] = []
        for e in events:
            if isinstance(e, StepMetrics):
                steps.append(e)
            elif isinstance(e, EpochEnd):
                epochs.append(e)
            elif isinstance(e, RunStarted):
                self._flush_steps(steps)
                steps = []
                if e.start_step == 0:
                    self.reset()
                for plot in self.plots.values():  # the whole run's width from the start:
                    plot.x_hint = float(e.total_steps)  # the axes stay put while it trains
        self._flush_steps(steps)
        if epochs:
            x = np.array([e.step for e in epochs], dtype=np.float64)
            self.val_loss.extend(x, _floats(e.val_loss for e in epochs))
            self.val_acc.extend(x, _percent(e.val_accuracy for e in epochs))
        if steps or epochs:
            self.request_refresh()

    def _flush_steps(self, steps: list[StepMetrics]) -> None:
        if not steps:
            return
        x = np.fromiter((s.step for s in steps), dtype=np.float64, count=len(steps))
        loss = _floats(s.loss for s in steps)
        self.train_loss_raw.extend(x, loss)
        self.train_loss.extend(x, self._loss_ema(loss, x))
        if any(s.accuracy is not None for s in steps):
            acc = _percent(s.accuracy for s in steps)
            self.train_acc_raw.extend(x, acc)
            self.train_acc.extend(x, self._acc_ema(acc, x))
        self.lr.extend(x, _floats(s.lr for s in steps))
        self.throughput.extend(x, _floats(s.samples_per_sec for s in steps))

    def request_refresh(self) -> None:
        """Redraw soon when visible, else when next shown (hidden tabs cost nothing).

        Redraws are throttled to REFRESH_MS and staggered: one plot per event-loop turn, so
        that Qt paints each before the next is updated. Painting all four plots in one go
        held the GUI thread for up to ~70 ms on two busy cores; one at a time is ~15 ms."""
        if not self.isVisible():
            self._dirty = True
        elif not self._throttle.isActive() and not self._pending:
            self._throttle.start()

    @property
    def refresh_pending(self) -> bool:
        """Whether new points are still waiting to be drawn."""
        return self._throttle.isActive() or bool(self._pending)

    def _refresh_staggered(self) -> None:
        self._dirty = False
        self._pending = list(self.plots.values())
        self._refresh_next()

    def _refresh_next(self) -> None:
        if self._pending:
            self._pending.pop(0).refresh()
        if self._pending:
            self._stagger.start()

    def refresh(self) -> None:
        """Redraw every plot now."""
        self._dirty = False
        self._pending = []
        for plot in self.plots.values():
            plot.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def auto_range(self) -> None:
        for plot in self.plots.values():
            plot.auto_range()

    def set_smoothing(self, value: int) -> None:
        weight = value / 100.0
        self.smoothing_label.setText(f"{weight:.2f}")
        self._loss_ema = Ema(weight)
        self._acc_ema = Ema(weight)
        for raw, smooth, ema in ((self.train_loss_raw, self.train_loss, self._loss_ema),
                                 (self.train_acc_raw, self.train_acc, self._acc_ema)):
            smooth.series.clear()
            smooth.extend(raw.series.x, ema(raw.series.y, raw.series.x))
        for key, overlay in self.overlays.items():
            for metric, raw in overlay["raw"].items():
                curve = self.plots[metric].curves.get(f"overlay:{key}:train")
                if curve is not None:
                    curve.series.clear()
                    curve.extend(raw[0], Ema(weight)(raw[1], raw[0]))
        self.request_refresh()

    def _set_raw_visible(self, on: bool) -> None:
        self.train_loss_raw.item.setVisible(on)
        self.train_acc_raw.item.setVisible(on)
        self.request_refresh()

    def _set_log_loss(self, on: bool) -> None:
        plot = self.plots["loss"]
        plot.getPlotItem().setLogMode(y=on)
        if plot.managed:
            plot.apply_range(force=True)

    # -- earlier runs -------------------------------------------------------------------
    def add_overlay(self, key: str, label: str, step_metrics: Any = None,
                    epoch_metrics: Any = None) -> None:
        """Overlay an earlier run's curves (smoothed train, validation markers), dashed.

        ``step_metrics``/``epoch_metrics``: rows (dicts) or columns as RunStore returns them,
        with ``step`` and metric names as in StepMetrics/EpochEnd.
        """
        self.remove_overlay(key)
        color = OVERLAY_COLORS[len(self.overlays) % len(OVERLAY_COLORS)]
        steps, epochs = columns(step_metrics), columns(epoch_metrics)
        weight = self.smoothing.value() / 100.0
        raw: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        dash = Qt.PenStyle.DashLine
        if "step" in steps:
            x = steps["step"]
            for metric, column, scale in (("loss", "loss", 1.0), ("accuracy", "accuracy", 100.0)):
                if column in steps and np.isfinite(steps[column]).any():
                    y = steps[column] * scale
                    raw[metric] = (x, y)
                    curve = self.plots[metric].add_curve(f"overlay:{key}:train", label,
                                                         color=color, width=1.5, style=dash)
                    curve.extend(x, Ema(weight)(y, x))
            if "lr" in steps:
                self.plots["lr"].add_curve(f"overlay:{key}:lr", label, color=color,
                                           style=dash).extend(x, steps["lr"])
            if "samples_per_sec" in steps:
                self.plots["throughput"].add_curve(f"overlay:{key}:sps", label, color=color,
                                                   style=dash).extend(x, steps["samples_per_sec"])
        if "step" in epochs:
            x = epochs["step"]
            for metric, column, scale in (("loss", "val_loss", 1.0),
                                          ("accuracy", "val_accuracy", 100.0)):
                if column in epochs and np.isfinite(epochs[column]).any():
                    self.plots[metric].add_curve(
                        f"overlay:{key}:val", f"{label} validation", color=color, width=1,
                        style=dash, symbol="t", in_legend=False).extend(x, epochs[column] * scale)
        self.overlays[key] = {"label": label, "raw": raw}
        self.clear_overlays_button.setEnabled(True)
        self.request_refresh()
        self.overlays_changed.emit()

    def remove_overlay(self, key: str) -> None:
        if self.overlays.pop(key, None) is None:
            return
        prefix = f"overlay:{key}:"
        for plot in self.plots.values():
            for k in [k for k in plot.curves if k.startswith(prefix)]:
                plot.remove_curve(k)
        self.clear_overlays_button.setEnabled(bool(self.overlays))
        self.overlays_changed.emit()

    def clear_overlays(self) -> None:
        for key in list(self.overlays):
            self.remove_overlay(key)

    def set_overlays(self, runs: Iterable[tuple[str, str, Any, Any]]) -> None:
        """Show exactly these earlier runs: (key, label, step_metrics, epoch_metrics)."""
        self.clear_overlays()
        for key, label, steps, epochs in runs:
            self.add_overlay(key, label, steps, epochs)


def _percent(values: Iterable[float | None]) -> np.ndarray:
    return _floats(values) * 100.0
