"""Live training curves (pyqtgraph): one item per curve, growing buffers, downsampled."""

import workbench.ui.worker  # noqa: F401 - keep_singletons_alive() before any Qt call
from workbench.ui.plots.live import LivePlots, columns
from workbench.ui.plots.metric_plot import Curve, MetricPlot
from workbench.ui.plots.series import Ema, GrowingSeries

__all__ = ["Curve", "Ema", "GrowingSeries", "LivePlots", "MetricPlot", "columns"]
