"""The problems list: every error and warning of the model, linked to its layer."""

from workbench.ui.problems.panel import ProblemsPanel

__all__ = ["ProblemsPanel"]
