"""An explanation as plain data (numpy arrays and numbers): what the CLI writes as JSON and
PNG and what the UI draws."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

METHODS = ("saliency", "integrated-gradients", "gradcam", "occlusion", "lime", "shap")
TITLES = {"saliency": "Saliency", "integrated-gradients": "Integrated Gradients",
          "gradcam": "Grad-CAM", "occlusion": "Occlusion", "lime": "LIME",
          "shap": "KernelSHAP"}
SLOW_METHODS = frozenset({"lime", "shap", "occlusion"})
TOP_SHARE = 0.10  # the summary's "share of mass in the top 10 % of pixels"


@dataclass
class Explanation:
    method: str
    kind: str  # "image", "tokens", "features"
    # the map shown: (H, W) for images, (tokens,) for text, the sample's shape for features
    attribution: np.ndarray
    raw_shape: tuple[int, ...]  # the attribution as the method gave it, e.g. (1, 3, 32, 32)
    signed: bool  # positive and negative values mean for and against the target
    target: int
    target_name: str
    predicted: int
    predicted_name: str
    probability: float  # of the predicted class (its value for regression)
    target_probability: float
    seconds: float = 0.0
    layer: str | None = None  # Grad-CAM's layer, the Embedding for token models
    layer_map: np.ndarray | None = None  # Grad-CAM at the layer's own (h, w) size
    image: np.ndarray | None = None  # the input, (H, W, C) in [0, 1]
    tokens: list[str] | None = None
    input_label: str = ""
    notes: list[str] = field(default_factory=list)  # what was assumed (baseline, segments...)
    task: str = "classification"  # "regression": probability is the output's value

    @property
    def title(self) -> str:
        return TITLES.get(self.method, self.method)

    def summary(self) -> dict[str, Any]:
        """Figures for the JSON: shape, range, mean, how concentrated the mass is."""
        a = np.asarray(self.attribution, dtype=np.float64)
        out: dict[str, Any] = {
            "method": self.method, "kind": self.kind, "shape": list(a.shape),
            "raw_shape": list(self.raw_shape),
            "min": float(a.min()) if a.size else 0.0, "max": float(a.max()) if a.size else 0.0,
            "mean": float(a.mean()) if a.size else 0.0,
            "top10_share": top_share(a, TOP_SHARE), "signed": self.signed,
            "target": self.target, "target_name": self.target_name,
            "target_probability": self.target_probability,
            "predicted": self.predicted, "predicted_name": self.predicted_name,
            "probability": self.probability, "seconds": round(self.seconds, 4),
            "layer": self.layer, "notes": list(self.notes), "task": self.task}
        if self.layer_map is not None:
            out["layer_shape"] = list(self.layer_map.shape)
        if self.tokens is not None:
            out["tokens"] = [{"token": t, "attribution": float(v)}
                             for t, v in zip(self.tokens, a.reshape(-1).tolist(), strict=False)]
        return out


def top_share(attribution: np.ndarray, fraction: float = TOP_SHARE) -> float:
    """Share of the absolute attribution mass held by the top ``fraction`` of elements."""
    mass = np.abs(np.asarray(attribution, dtype=np.float64)).reshape(-1)
    total = float(mass.sum())
    if mass.size == 0 or total <= 0:
        return 0.0
    k = max(1, int(round(fraction * mass.size)))
    return float(np.sort(mass)[-k:].sum() / total)


def mass_share(attribution: np.ndarray, mask: np.ndarray, positive_only: bool = False) -> float:
    """Share of the attribution mass inside ``mask`` (a boolean array of the same shape):
    of the absolute values, or of the positive part (evidence for the target) only."""
    a = np.asarray(attribution, dtype=np.float64)
    mass = np.clip(a, 0, None) if positive_only else np.abs(a)
    total = float(mass.sum())
    return float(mass[np.asarray(mask, dtype=bool)].sum() / total) if total > 0 else 0.0
