"""Attribution methods for image and feature inputs, each a thin adapter over Captum.

Gradient methods (saliency, Integrated Gradients, Grad-CAM) attribute the target's logit
(softmax saturates and would hide gradients); perturbation methods (occlusion, LIME,
KernelSHAP) attribute its probability, so a value reads "the probability falls by this much
when the patch is hidden". Hidden or baseline pixels take the value 0 of the normalized input:
the training data's mean. LIME and KernelSHAP switch square segments of a grid on and off
(about 8 x 8 of them), not single pixels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from workbench.core.explain.errors import ExplainError
from workbench.core.explain.layers import check_gradcam_layer
from workbench.core.explain.progress import Watch
from workbench.core.explain.subject import Prepared, Subject


@dataclass(frozen=True)
class Settings:
    """The knobs of the methods, with defaults that suit small images on a CPU."""

    ig_steps: int = 50
    ig_batch: int = 10  # Integrated Gradients' steps per forward call (one progress tick)
    samples: int = 512  # LIME and KernelSHAP: perturbed inputs the surrogate is fitted to
    per_call: int = 64  # perturbed inputs per forward call (LIME, SHAP, occlusion)
    segments: int = 8  # LIME / SHAP segments per image side
    lime_alpha: float = 0.001  # Lasso penalty of LIME's surrogate (Captum's default: 0.01)


@dataclass
class Result:
    """What a method gives back before it becomes an Explanation."""

    attribution: np.ndarray  # the map to show
    raw_shape: tuple[int, ...]
    signed: bool
    layer: str | None = None
    layer_map: np.ndarray | None = None
    notes: tuple[str, ...] = ()


def grid_segments(shape: tuple[int, ...], per_side: int) -> tuple[torch.Tensor, int]:
    """(1, C, H, W) segment ids of square cells (the same cells in every channel), and the
    cell side. Images have no superpixels here: a grid is honest and works at 8 x 8 pixels."""
    c, h, w = shape
    cell = max(1, math.ceil(max(h, w) / per_side))
    rows = torch.arange(h).div(cell, rounding_mode="floor")
    cols = torch.arange(w).div(cell, rounding_mode="floor")
    ids = rows[:, None] * math.ceil(w / cell) + cols[None, :]
    return ids.expand(c, h, w).unsqueeze(0).contiguous(), cell


def _occlusion_window(shape: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    if len(shape) == 3:
        c, h, w = shape
        k = max(2, math.ceil(max(h, w) / 7))
        s = max(1, k // 2)
        return (c, k, k), (c, s, s)
    return (1,) * len(shape), (1,) * len(shape)


def _windows(shape: tuple[int, ...], window: tuple[int, ...], strides: tuple[int, ...]) -> int:
    n = 1
    for size, k, s in zip(shape, window, strides, strict=True):
        n *= (size - k) // s + 1
    return n


def _image_map(a: torch.Tensor, reduce: str) -> np.ndarray:
    """(1, C, H, W) -> (H, W): channels summed (signed methods) or their max (saliency)."""
    a = a.detach().float().cpu()[0]
    a = a.amax(0) if reduce == "max" else a.sum(0)
    return a.numpy()


def surrogate(method: str, forward, settings: Settings):
    """LIME (a sparse linear surrogate weighted by closeness) or KernelSHAP (Shapley values
    by a weighted linear fit) over ``forward``."""
    from captum.attr import KernelShap, Lime

    if method == "lime":
        from captum._utils.models.linear_model import SkLearnLasso

        return Lime(forward, interpretable_model=SkLearnLasso(alpha=settings.lime_alpha))
    return KernelShap(forward)


def attribute_dense(subject: Subject, prepared: Prepared, method: str, target: int,
                    layer: str | None, watch: Watch, settings: Settings) -> Result:
    """Attributions for an image (C, H, W) or feature input, by Captum."""
    from captum.attr import (
        IntegratedGradients,
        LayerAttribution,
        LayerGradCam,
        Occlusion,
        Saliency,
    )

    x = prepared.x.detach().float().clone().requires_grad_(True)
    shape = tuple(x.shape[1:])
    image = subject.kind == "image" and len(shape) == 3
    position = prepared.position

    def logits(inp: torch.Tensor) -> torch.Tensor:
        return subject.scores(inp, position)

    def probs(inp: torch.Tensor) -> torch.Tensor:
        return subject.scores(inp, position, probabilities=True)

    def shown(a: torch.Tensor, reduce: str = "sum") -> np.ndarray:
        return _image_map(a, reduce) if image else a.detach().float().cpu()[0].numpy()

    baseline = torch.zeros_like(x.detach())
    if method == "saliency":
        watch.start("Saliency: one backward pass", 1)
        a = Saliency(watch.wrap(logits)).attribute(x, target=target, abs=True)
        return Result(shown(a, "max"), tuple(a.shape), False,
                      notes=("|gradient| of the target's logit; the largest over channels",))
    if method == "integrated-gradients":
        steps, batch = settings.ig_steps, settings.ig_batch
        watch.start(f"Integrated Gradients: {steps} steps", math.ceil(steps / batch))
        a = IntegratedGradients(watch.wrap(logits)).attribute(
            x, baselines=baseline, target=target, n_steps=steps, internal_batch_size=batch)
        return Result(shown(a), tuple(a.shape), True,
                      notes=(f"{steps} steps from the training data's mean image",))
    if method == "gradcam":
        if not image:
            raise ExplainError("Grad-CAM explains image models (it needs convolution feature "
                               "maps); choose saliency, integrated-gradients, occlusion, lime "
                               "or shap.")
        name = check_gradcam_layer(subject, layer)
        watch.start(f"Grad-CAM on {name}", 1)
        cam = LayerGradCam(watch.wrap(logits), subject.module(name)).attribute(
            x, target=target, relu_attributions=True)
        if cam.dim() != 4:
            raise ExplainError(f"Grad-CAM needs feature maps from '{name}', which gave "
                               f"a {tuple(cam.shape[1:])} output.")
        up = LayerAttribution.interpolate(cam, shape[1:], interpolate_mode="bilinear")
        return Result(up.detach().float().cpu()[0, 0].numpy(), tuple(cam.shape), False, name,
                      cam.detach().float().cpu()[0, 0].numpy(),
                      notes=(f"on {name} ({cam.shape[2]} x {cam.shape[3]}), upsampled bilinearly",))
    if method == "occlusion":
        window, strides = _occlusion_window(shape)
        windows = _windows(shape, window, strides)
        watch.start(f"Occlusion: {windows} positions", 1 + math.ceil(windows / settings.per_call))
        a = Occlusion(watch.wrap(probs)).attribute(
            x, sliding_window_shapes=window, strides=strides, baselines=0.0, target=target,
            perturbations_per_eval=settings.per_call)
        what = f"{window[-1]} x {window[-1]} patches" if image else "one feature at a time"
        return Result(shown(a), tuple(a.shape), True,
                      notes=(f"{what} set to the training mean; fall of the probability",))
    if method in ("lime", "shap"):
        if image:
            mask, cell = grid_segments(shape, settings.segments)
            what = f"{int(mask.max()) + 1} segments of {cell} x {cell} pixels"
        else:
            mask = torch.arange(x[0].numel()).view(1, *shape)
            what = f"{x[0].numel()} features"
        mask = mask.to(x.device)
        n = settings.samples
        watch.start(f"{'LIME' if method == 'lime' else 'KernelSHAP'}: {n} samples",
                    1 + math.ceil(n / settings.per_call))
        a = surrogate(method, watch.wrap(probs), settings).attribute(x, baselines=baseline, target=target, feature_mask=mask,
                                n_samples=n, perturbations_per_eval=settings.per_call)
        return Result(shown(a), tuple(a.shape), True,
                      notes=(f"{n} samples over {what}; hidden ones set to the training mean",))
    raise ExplainError(f"Unknown method '{method}'.")
