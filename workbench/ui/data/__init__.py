"""The Data tab: choose and preview a data source; check it against the model."""

from workbench.ui.data.panel import DataPanel

__all__ = ["DataPanel"]
