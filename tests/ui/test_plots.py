"""Live plots: one item per curve for the whole run, growing buffers, downsampling on,
a million points taken in one go, overlays of earlier runs, crosshair readout."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QPushButton

from workbench.core.engine.events import EpochEnd, RunStarted, StepMetrics
from workbench.ui.plots import Ema, GrowingSeries, LivePlots, columns


@pytest.fixture
def plots(qtbot):
    w = LivePlots()
    qtbot.addWidget(w)
    w.resize(900, 600)
    w.show()
    qtbot.waitExposed(w)
    return w


def _steps(start: int, n: int, epoch: int = 0) -> list[StepMetrics]:
    return [StepMetrics(s, epoch, 0.5, 1.0 / s, 0.5, 1e-3, 1000.0, 10.0)
            for s in range(start, start + n)]


def _items(plots: LivePlots) -> dict[tuple[str, str], object]:
    return {(p, k): c.item for p, plot in plots.plots.items() for k, c in plot.curves.items()}


def test_points_arrive_and_items_are_created_once(qtbot, plots):
    plots.add_events([RunStarted({}, "cpu", 100, 10, 10, 5, 10, 1000, "fp32")])
    before = _items(plots)
    scene_items = len(plots.plots["loss"].getPlotItem().items)
    for i in range(200):
        plots.add_events(_steps(1 + 5 * i, 5))
        if i % 50 == 49:
            plots.add_events([EpochEnd(i // 50, 5 * (i + 1), 0.5, 0.8, 0.6, 0.7, 1.0, True)])
    qtbot.waitUntil(lambda: not plots.refresh_pending, timeout=2000)  # drawn within ~0.1 s
    assert _items(plots) == before  # same objects: nothing re-created
    assert all(a is b for a, b in zip(_items(plots).values(), before.values(), strict=True))
    assert len(plots.plots["loss"].getPlotItem().items) == scene_items
    assert len(plots.train_loss.series) == 1000
    x, y = plots.train_loss_raw.item.getData()
    assert len(x) == 1000 and x[-1] == 1000 and y[0] == pytest.approx(1.0)
    assert len(plots.val_acc.series) == 4
    assert plots.val_acc.series.y[0] == pytest.approx(70.0)  # percent
    for item in before.values():
        assert item.opts["autoDownsample"] and item.opts["clipToView"]
        assert item.opts["downsampleMethod"] == "peak"


def test_a_million_points(qtbot, plots):
    n = 1_000_000
    before = _items(plots)
    steps = [StepMetrics(s, 0, 0.5, 1.0 + np.sin(s / 1000.0), 0.5, 1e-3, 1000.0, 1.0)
             for s in range(1, n + 1)]
    for k in range(0, n, 100_000):
        plots.add_events(steps[k:k + 100_000])
    qtbot.waitUntil(lambda: not plots.refresh_pending, timeout=5000)
    assert _items(plots) == before
    assert len(plots.train_loss_raw.series) == n
    assert plots.train_loss_raw.series.capacity >= n
    assert plots.train_loss_raw.series.capacity < 2 * n  # preallocated, doubling: bounded
    # what pyqtgraph is handed is a level of detail of a few thousand points, not a million,
    # and it keeps the peaks (min/max per bucket)
    raw = plots.train_loss_raw
    handed_x, handed_y = raw.item.xData, raw.item.yData
    assert 0 < len(handed_x) <= 4 * raw.lod.target
    assert handed_x[-1] == n and handed_y.max() == raw.series.y.max()
    assert handed_y.min() == raw.series.y.min()
    plots.plots["loss"].getPlotItem().getViewBox().autoRange()
    drawn = raw.item.getData()[0]
    assert drawn is not None and len(drawn) <= 4 * raw.lod.target
    # zoomed in on 1,000 steps: full resolution, still bounded
    plot = plots.plots["loss"]
    plot.getPlotItem().getViewBox().setXRange(500_000, 501_000, padding=0)
    qtbot.waitUntil(lambda: len(raw.item.xData) < 2000, timeout=2000)
    x, y = raw.item.xData, raw.item.yData
    assert x[0] <= 500_000 and x[-1] >= 501_000 and np.all(np.diff(x) == 1)
    assert np.array_equal(y, raw.series.y[int(x[0]) - 1:int(x[-1])])
    # a new start clears the current run but keeps the items
    plots.add_events([RunStarted({}, "cpu", 100, 10, 10, 5, 10, 1000, "fp32")])
    assert len(plots.train_loss_raw.series) == 0 and _items(plots) == before


def test_growing_series_doubles_and_keeps_values():
    s = GrowingSeries(16)
    for i in range(100):
        s.append(i, i * 2)
    s.extend(np.arange(100, 1000), np.arange(100, 1000) * 2)
    assert len(s) == 1000 and s.capacity == 1024
    assert np.array_equal(s.y, np.arange(1000) * 2)
    assert s.nearest(10.4) == 10 and s.nearest(-5) == 0 and s.nearest(5000) == 999


def test_ema_is_incremental_and_skips_nan():
    values = np.array([1.0, 2.0, np.nan, 3.0, 4.0])
    whole = Ema(0.5)(values)
    ema = Ema(0.5)
    parts = np.concatenate([ema(values[:2]), ema(values[2:])])
    assert np.allclose(whole, parts, equal_nan=True)
    assert whole[0] == 1.0 and whole[1] == 1.5 and np.isnan(whole[2])
    assert whole[3] == pytest.approx(2.25)


def test_ema_weight_is_per_step():
    """A point standing for 20 steps is smoothed as 20 steps would be, not as one: the
    smoothed curve of a fast run (few reports) does not lag its raw one."""
    values = np.array([2.0, 1.0, 0.5, 0.4, 0.3])
    every_step = Ema(0.6)(values, np.arange(1, 6))
    assert np.allclose(every_step, Ema(0.6)(values))  # one point per step: as before
    sparse = Ema(0.6)(values, np.arange(1, 6) * 20)
    assert sparse[0] == 2.0 and np.allclose(sparse[1:], values[1:], atol=1e-4)
    steps = np.array([1, 3, 4, 10, 11, 30, 31, 32], dtype=float)
    y = np.sin(steps)
    ema = Ema(0.8)
    parts = np.concatenate([ema(y[:3], steps[:3]), ema(y[3:], steps[3:])])
    expected, s = [], y[0]
    for i, v in enumerate(y):
        a = 0.8 ** (steps[i] - steps[i - 1]) if i else 1.0
        s = a * s + (1 - a) * v
        expected.append(s)
    assert np.allclose(parts, expected)


def test_overlays_of_earlier_runs_and_clearing(qtbot, plots):
    steps = [{"step": s, "epoch": 0, "loss": 1 / s, "accuracy": 0.5, "lr": 1e-3,
              "samples_per_sec": 100.0} for s in range(1, 101)]
    epochs = [{"epoch": 0, "step": 100, "val_loss": 0.5, "val_accuracy": 0.8}]
    plots.add_overlay("run1", "cnn 0001", steps, epochs)
    plots.add_overlay("run2", "cnn 0002", columns(steps), None)
    loss_keys = set(plots.plots["loss"].curves)
    assert {"overlay:run1:train", "overlay:run1:val", "overlay:run2:train"} <= loss_keys
    assert len(plots.plots["loss"].curves["overlay:run1:train"].series) == 100
    assert plots.plots["accuracy"].curves["overlay:run1:val"].series.y[0] == pytest.approx(80.0)
    plots.set_overlays([("run2", "cnn 0002", steps, epochs)])
    assert not any(k.startswith("overlay:run1") for k in plots.plots["loss"].curves)
    plots.clear_overlays()
    assert not any(k.startswith("overlay:") for p in plots.plots.values() for k in p.curves)
    assert set(plots.plots["loss"].curves) == {"train_raw", "train", "val"}


def test_crosshair_readout_shows_values_at_the_step(qtbot, plots):
    plots.add_events(_steps(1, 100))
    plots.add_events([EpochEnd(0, 100, 0.5, 0.8, 0.25, 0.75, 1.0, True)])
    plot = plots.plots["loss"]
    text = plot.readout_text(50.2)
    assert "step 50" in text and "train" in text and "validation: <b>0.25</b>" in text
    plot.show_readout_at(50.2)
    assert plot.vline.isVisible() and plot.vline.value() == pytest.approx(50.2)
    plot.hide_readout()
    assert not plot.readout.isVisible()


def test_smoothing_recomputes_from_raw(qtbot, plots):
    plots.add_events(_steps(1, 50))
    plots.smoothing.setValue(0)
    assert np.allclose(plots.train_loss.series.y, plots.train_loss_raw.series.y)
    plots.smoothing.setValue(99)
    assert not np.allclose(plots.train_loss.series.y, plots.train_loss_raw.series.y)


def test_legends_and_autoscale_after_a_manual_zoom(qtbot, plots):
    loss = plots.plots["loss"]
    names = [label.text for _, label in loss.legend.items]
    assert names == ["train", "validation"] and loss.legend.isVisible()
    plots.add_events([RunStarted({}, "cpu", 100, 10, 10, 5, 10, 1000, "fp32")] + _steps(1, 100))
    qtbot.waitUntil(lambda: not plots.refresh_pending, timeout=2000)
    (x0, x1), _ = loss.getPlotItem().getViewBox().viewRange()
    assert x0 <= 0 and x1 >= 1000  # the run's planned steps from the start
    vb = loss.getPlotItem().getViewBox()
    vb.setRange(xRange=(10, 20), yRange=(0.0, 0.1), padding=0)
    vb.sigRangeChangedManually.emit([True, True])  # as a wheel or drag does
    assert not loss.managed
    plots.add_events(_steps(101, 100))
    qtbot.waitUntil(lambda: not plots.refresh_pending, timeout=2000)
    assert vb.viewRange()[0] == pytest.approx([10, 20])  # the user's zoom is kept
    fit = next(b for b in plots.findChildren(QPushButton) if b.text() == "Fit")
    fit.click()
    (x0, x1), (y0, y1) = vb.viewRange()
    assert loss.managed and x0 <= 1 and x1 >= 1000 and y0 <= 1 / 200 and y1 >= 1.0
    plots.add_overlay("old", "run old", [{"step": s, "loss": 2.0} for s in range(1, 11)])
    assert "run old" in [label.text for _, label in loss.legend.items]


def test_redraws_are_throttled_and_one_plot_at_a_time(qtbot, plots, monkeypatch):
    """Batches arriving faster than REFRESH_MS are drawn together, and each redraw pass
    updates one plot per event-loop turn (so that Qt paints between them)."""
    from workbench.ui.plots.live import REFRESH_MS

    turns: list[str] = []
    for key, plot in plots.plots.items():
        original = plot.refresh

        def spy(original=original, key=key):
            turns.append(key)
            original()
        monkeypatch.setattr(plot, "refresh", spy)
    for i in range(5):  # five batches at once: one pass
        plots.add_events(_steps(1 + 10 * i, 10))
    assert turns == []  # nothing drawn synchronously
    qtbot.waitUntil(lambda: not plots.refresh_pending, timeout=2000)
    assert sorted(turns) == sorted(plots.plots)  # each plot once
    assert REFRESH_MS <= 200
