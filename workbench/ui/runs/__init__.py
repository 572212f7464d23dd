"""The Runs tab: run history, overlays, config comparison, reopening and deleting runs."""

import workbench.ui.worker  # noqa: F401 - keep_singletons_alive() before any Qt call
from workbench.ui.runs.panel import RunsPanel, compare_configs

__all__ = ["RunsPanel", "compare_configs"]
