"""Pruning with ``torch.nn.utils.prune``.

- ``prune_unstructured``: global magnitude (L1) pruning of every Linear and convolution
  weight at once, kept as masks (``weight_orig * weight_mask``) so that fine-tuning cannot
  bring a pruned weight back; ``make_permanent`` folds the masks into plain weights.
- ``prune_structured`` (see ``channels``): whole channels and neurons.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import nn
from torch.nn.utils import prune

PRUNABLE = (nn.Linear, nn.Conv1d, nn.Conv2d, nn.ConvTranspose2d)


def prunable(model: nn.Module) -> list[tuple[nn.Module, str]]:
    """(module, "weight") for every layer whose weights magnitude pruning applies to."""
    return [(m, "weight") for m in model.modules() if isinstance(m, PRUNABLE)]


def check_amount(amount: float) -> float:
    amount = float(amount)
    if not 0.0 < amount < 1.0:
        raise ValueError(f"the pruning amount must be between 0 and 1 (a share of the "
                         f"weights), not {amount}")
    return amount


def prune_unstructured(model: nn.Module, amount: float) -> nn.Module:
    """Zero the ``amount`` share of all prunable weights with the smallest magnitude, taken
    over the whole model (global), as pruning masks. Pruning an already pruned model prunes
    ``amount`` of the weights that remain (as torch does), which is what iterative pruning
    relies on."""
    targets = prunable(model)
    if not targets:
        raise ValueError("the model has no Linear or convolution layers to prune")
    prune.global_unstructured(targets, pruning_method=prune.L1Unstructured,
                              amount=check_amount(amount))
    return model


def round_amounts(target: float, rounds: int) -> list[float]:
    """Per-round shares that reach ``target`` sparsity after ``rounds`` rounds, each round
    pruning a share of what is left: 1 - (1 - r)^rounds = target."""
    check_amount(target)
    rounds = max(1, int(rounds))
    r = 1.0 - (1.0 - target) ** (1.0 / rounds)
    return [r] * rounds


def is_pruned(model: nn.Module) -> bool:
    return prune.is_pruned(model)


def make_permanent(model: nn.Module) -> nn.Module:
    """Fold every pruning mask into its weight (plain parameters again, zeros kept)."""
    for m in model.modules():
        for name in [k[: -len("_mask")] for k, _ in list(m.named_buffers(recurse=False))
                     if k.endswith("_mask")]:
            prune.remove(m, name)
    return model


def fold_masks(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """A state dict saved with pruning masks (``x_orig``, ``x_mask``) as plain ``x``."""
    out: dict[str, torch.Tensor] = {}
    for k, v in state.items():
        if k.endswith("_mask"):
            continue
        if k.endswith("_orig"):
            base = k[: -len("_orig")]
            out[base] = v * state[base + "_mask"].to(v.dtype)
        else:
            out[k] = v
    return out


def sparsity(model: nn.Module, targets: Iterable[tuple[nn.Module, str]] | None = None) -> float:
    """Share of zeros among the prunable weights (as the forward pass sees them)."""
    zeros = total = 0
    for m, name in targets if targets is not None else prunable(model):
        w = getattr(m, name)
        zeros += int((w == 0).sum())
        total += w.numel()
    return zeros / total if total else 0.0
