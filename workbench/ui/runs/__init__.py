"""The Runs tab: run history, overlays, config comparison, reopening and deleting runs."""

from workbench.ui.runs.panel import RunsPanel, compare_configs

__all__ = ["RunsPanel", "compare_configs"]
