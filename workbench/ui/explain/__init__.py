"""Explain a prediction and look inside a trained model: the Explain view (saliency, Integrated
Gradients, Grad-CAM, occlusion, LIME, KernelSHAP from ``workbench.core.explain``) and the
Look-inside view (feature maps, attention per head), in a tool window opened from the
Evaluation tab (``show_explain``)."""

from workbench.ui.explain.inside import InsideView
from workbench.ui.explain.view import ExplainView
from workbench.ui.explain.window import ExplainWindow, open_windows, show_explain, subject_for

__all__ = ["ExplainView", "ExplainWindow", "InsideView", "open_windows", "show_explain",
           "subject_for"]
