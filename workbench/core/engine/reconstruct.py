"""Autoencoders: a model ending in an Image output trained to give back its input image.

The loader normalizes images for the model; the target is the image itself in the output's
pixel range ([0, 1] for sigmoid, [-1, 1] for tanh), so ``target_of`` undoes the
normalization. The loss is the Image output's own choice: MSE, or BCE (sigmoid only).
Also here: the reconstruction grid the trainer sends while training and the test-split
evaluation (mean loss, originals against reconstructions, the worst ones).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import torch
import torch.nn.functional as F
from torch import nn

from workbench.core.engine.errors import TrainingError

if TYPE_CHECKING:
    from workbench.core.data import DataSet
    from workbench.core.graph import ModelSpec

GRID_IMAGES = 16


def image_head(spec: ModelSpec, output_node: str) -> dict[str, Any]:
    from workbench.core.graph.analysis import resolved_params

    return resolved_params(spec, output_node)


def target_of(data: DataSet, activation: str) -> Callable[[torch.Tensor], torch.Tensor]:
    """Normalized model input -> the image to reconstruct, in the output's range."""
    cache: dict[Any, tuple[torch.Tensor, torch.Tensor]] = {}

    def target(xb: torch.Tensor) -> torch.Tensor:
        x = xb
        if data.mean is not None and data.std is not None:
            key = (xb.device, xb.dtype)
            if key not in cache:
                shape = (1, -1) + (1,) * (xb.dim() - 2)
                cache[key] = (torch.tensor(data.mean, device=xb.device, dtype=xb.dtype).view(shape),
                              torch.tensor(data.std, device=xb.device, dtype=xb.dtype).view(shape))
            mean, std = cache[key]
            x = xb * std + mean
        x = x.clamp(0, 1)
        return x * 2 - 1 if activation == "tanh" else x

    return target


def per_sample_loss(loss: str, activation: str) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    """(output, target) -> one loss per sample (the mean over its pixels)."""
    if loss == "bce":
        if activation != "sigmoid":
            raise TrainingError("The binary cross-entropy loss needs pixels in [0, 1]: set the "
                                "Image output's activation to sigmoid, or its loss to MSE.")

        def bce(out: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
            return F.binary_cross_entropy(out.float().clamp(1e-6, 1 - 1e-6), t.float(),
                                          reduction="none").flatten(1).mean(1)
        return bce

    def mse(out: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        return (out.float() - t.float()).pow(2).flatten(1).mean(1)
    return mse


def make_objective(loss: str, activation: str):
    """An engine objective ``(output, target) -> (loss, None, count)`` for reconstruction."""
    fn = per_sample_loss(loss, activation)

    def reconstruction(out: torch.Tensor, target: torch.Tensor):
        return fn(out, target).mean(), None, target.shape[0]

    return reconstruction


def to_unit(x: torch.Tensor, activation: str) -> torch.Tensor:
    return ((x + 1) / 2 if activation == "tanh" else x).clamp(0, 1)


def pairs_grid(originals: torch.Tensor, outputs: torch.Tensor, activation: str):
    """Rows of 8: originals on one row, their reconstructions on the row below."""
    from workbench.core.generate.grid import image_grid

    o, r = originals.detach().cpu().float(), to_unit(outputs.detach().cpu().float(), activation)
    rows = []
    for i in range(0, len(o), 8):
        rows += [o[i:i + 8], r[i:i + 8]]
    return image_grid(torch.cat(rows), columns=8)


def evaluate_reconstruction(model: nn.Module, data: DataSet, *, loss: str, activation: str,
                            device: torch.device | str = "cpu", split: str = "test",
                            worst: int = 16, batch_size: int = 256,
                            run_dir: Any = None) -> dict[str, Any]:
    """Mean loss over the split, its worst samples, and (with ``run_dir``) PNGs of originals
    against reconstructions and of the worst ones."""
    s = data.splits[split]
    if s.x is None or not len(s):
        return {"task": "reconstruction", "split": split, "size": 0, "loss": None,
                "accuracy": None}
    fn, target = per_sample_loss(loss, activation), target_of(data, activation)
    losses, outs = [], []
    model.eval()
    with torch.no_grad():
        for xb in s.x.split(batch_size):
            xb = data.normalize(xb.to(device).float()) if data.mean is not None else xb.to(device)
            out = model(xb)
            losses.append(fn(out, target(xb)).cpu())
            outs.append(out.cpu())
    per = torch.cat(losses)
    order = per.argsort(descending=True)[:worst]
    result: dict[str, Any] = {
        "task": "reconstruction", "split": split, "size": int(len(per)),
        "loss": float(per.mean()), "accuracy": None, "reconstruction_loss": loss,
        "worst": [{"index": int(i), "loss": float(per[i]),
                   "label": (data.class_names[int(s.y[i])] if s.y is not None
                             and s.y.dim() == 1 and data.class_names else "")}
                  for i in order]}
    if run_dir is not None:
        from pathlib import Path

        from workbench.core.generate.grid import save_png

        out_all = torch.cat(outs)
        first = torch.arange(min(GRID_IMAGES, len(per)))
        save_png(pairs_grid(s.x[first], out_all[first], activation),
                 Path(run_dir) / "reconstructions.png", 2)
        save_png(pairs_grid(s.x[order], out_all[order], activation),
                 Path(run_dir) / "worst_reconstructions.png", 2)
        result.update(reconstructions="reconstructions.png",
                      worst_reconstructions="worst_reconstructions.png")
    return result
