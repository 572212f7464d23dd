"""The Evaluation tab: test metrics, confusion matrix, per-class scores, worst samples, Try it."""

import workbench.ui.worker  # noqa: F401 - keep_singletons_alive() before any Qt call
from workbench.ui.evaluation.confusion import ConfusionView
from workbench.ui.evaluation.panel import EvaluationPanel

__all__ = ["ConfusionView", "EvaluationPanel"]
