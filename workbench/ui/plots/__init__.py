"""Live training curves (pyqtgraph): one item per curve, growing buffers, downsampled."""

from workbench.ui.plots.live import LivePlots, columns
from workbench.ui.plots.metric_plot import Curve, MetricPlot
from workbench.ui.plots.series import Ema, GrowingSeries

__all__ = ["Curve", "Ema", "GrowingSeries", "LivePlots", "MetricPlot", "columns"]
