"""Why did the model predict that? Attributions (saliency, Integrated Gradients, Grad-CAM,
occlusion, LIME, KernelSHAP: adapters over Captum) and a look inside (feature maps, attention
weights per head). Qt-free: the CLI, the UI and the tests drive it.

    subject = Subject.open("runs/20260101-...")            # a run, a run id or a .wbbundle
    e = explain(subject, "seven.png", "gradcam")          # an Explanation: numpy + figures
    render_png(e, "heat.png")
"""

from workbench.core.explain.activations import attention_maps, feature_maps
from workbench.core.explain.errors import Cancelled, ExplainError
from workbench.core.explain.explain import explain
from workbench.core.explain.explanation import (
    METHODS,
    SLOW_METHODS,
    TITLES,
    Explanation,
    mass_share,
    top_share,
)
from workbench.core.explain.layers import (
    attention_layers,
    default_gradcam_layer,
    feature_layers,
    gradcam_layers,
)
from workbench.core.explain.methods import Settings
from workbench.core.explain.render import render_png, render_png_bytes
from workbench.core.explain.subject import Prepared, Subject

__all__ = ["METHODS", "SLOW_METHODS", "TITLES", "Cancelled", "ExplainError", "Explanation",
           "Prepared", "Settings", "Subject", "attention_layers", "attention_maps",
           "default_gradcam_layer", "explain", "feature_layers", "feature_maps",
           "gradcam_layers", "mass_share", "render_png", "render_png_bytes", "top_share"]
