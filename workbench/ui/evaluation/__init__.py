"""The Evaluation tab: test metrics, confusion matrix, per-class scores, worst samples, Try it."""

from workbench.ui.evaluation.confusion import ConfusionView
from workbench.ui.evaluation.panel import EvaluationPanel

__all__ = ["ConfusionView", "EvaluationPanel"]
