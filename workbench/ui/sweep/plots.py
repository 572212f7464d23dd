"""The Sweep tab's two pictures (pyqtgraph): parallel coordinates (one line per finished
trial across the parameters' axes, scaled 0..1, coloured from best to worst) and the
parameters' importances (Optuna's fANOVA evaluator) as bars."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg

from workbench.ui.i18n import translator

tr = translator("sweep.plots")


def _scaled(values: list[Any], log: bool) -> list[float]:
    """Each value's place on its axis, 0..1 (choices by their order; a log range in log)."""
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        order = list(dict.fromkeys(map(str, values)))
        top = max(1, len(order) - 1)
        return [order.index(str(v)) / top for v in values]
    xs = [math.log10(v) if log and v > 0 else float(v) for v in values]
    lo, hi = min(xs), max(xs)
    return [0.5 if hi == lo else (x - lo) / (hi - lo) for x in xs]


class ParallelCoordinates(pg.PlotWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setBackground("w")
        self.setTitle(tr("Parallel coordinates (finished trials; yellow: best, purple: worst)"),
                      color="#333")
        self.setMouseEnabled(False, False)
        self.hideButtons()
        self.getAxis("left").setLabel(tr("scaled 0..1"))
        self._curves: list[Any] = []

    def show_trials(self, names: list[str], logs: list[bool], trials: list[tuple[dict, float]],
                    higher_better: bool, objective: str) -> None:
        self.clear()
        axes = [*names, objective]
        self.getAxis("bottom").setTicks([list(enumerate(axes))])
        if not trials:
            return
        columns = [_scaled([t[0].get(n) for t in trials], log) for n, log in
                   zip(names, logs, strict=True)]
        columns.append(_scaled([t[1] for t in trials], False))
        values = [t[1] for t in trials]
        ranked = sorted(range(len(values)), key=lambda i: values[i], reverse=higher_better)
        cmap = pg.colormap.get("viridis")
        for place, i in enumerate(reversed(ranked)):  # the best drawn last, on top
            share = place / max(1, len(ranked) - 1)
            color = cmap.map(share, mode="qcolor")
            ys = np.array([col[i] for col in columns])
            self.plot(np.arange(len(axes)), ys, pen=pg.mkPen(color, width=3 if share == 1 else 1.5),
                      symbol="o", symbolSize=5, symbolBrush=color, symbolPen=None)
        for x in range(len(axes)):
            self.addItem(pg.InfiniteLine(x, angle=90, pen=pg.mkPen("#bbb")))
        self.setXRange(-0.2, len(axes) - 0.8)
        self.setYRange(-0.05, 1.05)


class Importances(pg.PlotWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setBackground("w")
        self.setTitle(tr("Parameter importance"), color="#333")
        self.setMouseEnabled(False, False)
        self.hideButtons()

    def show_importances(self, importances: dict[str, float]) -> None:
        self.clear()
        names = list(importances)
        self.getAxis("bottom").setTicks([list(enumerate(names))])
        if not names:
            return
        heights = [importances[n] for n in names]
        self.addItem(pg.BarGraphItem(x=np.arange(len(names)), height=heights, width=0.6,
                                     brush="#4a7bd0"))
        self.setXRange(-0.6, len(names) - 0.4)
        self.setYRange(0, max(1e-9, max(heights)) * 1.1)
