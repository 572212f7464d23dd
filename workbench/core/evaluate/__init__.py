"""Evaluation of trained models: figures on a split, and predictions for new inputs."""

from workbench.core.evaluate.evaluation import evaluate
from workbench.core.evaluate.predict import PredictionError, Predictions, predict
from workbench.core.evaluate.result import EvaluationResult

__all__ = ["EvaluationResult", "PredictionError", "Predictions", "evaluate", "predict"]
