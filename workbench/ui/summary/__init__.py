"""The summary: a per-layer table with totals and the training-memory estimate."""

from workbench.ui.summary.panel import SummaryModel, SummaryPanel

__all__ = ["SummaryModel", "SummaryPanel"]
