"""The Sweep tab: an Optuna study of the open model, its trials live, the best so far,
parallel coordinates and parameter importances, and the best trial's model to open."""

from workbench.ui.sweep.view import SweepView

__all__ = ["SweepView"]
