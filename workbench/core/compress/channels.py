"""Structured pruning that really removes channels (convolutions) and neurons (Linear).

Each prunable layer's output channels are ranked by the L1 norm of their filters
(``torch.nn.utils.prune.ln_structured``); the weakest ``amount`` share is masked, with its
bias and the BatchNorm scale and shift that follow it, so a masked channel is exactly zero
all the way to the next layer. Then the spec is made narrower (``out_channels`` /
``out_features``), built, and given the kept slices of every tensor: its outputs equal the
masked model's, with fewer parameters and FLOPs.

A layer is pruned only when its output runs along one path, through layers that keep zero
at zero (activations such as ReLU, GELU, Tanh; pooling; dropout; BatchNorm; Flatten), into
one Linear, convolution or head. Layers feeding a merge (Add, Concatenate), a recurrent
layer or attention, or an activation that moves zero (Sigmoid), are left whole.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.nn.utils import prune

from workbench.core.graph import ModelSpec, analyze, build_model
from workbench.core.graph.analysis import Analysis

CANDIDATES = {"Linear": "out_features", "Conv1d": "out_channels", "Conv2d": "out_channels"}
CONSUMERS = {"Linear": "in_features", "Conv1d": "in_channels", "Conv2d": "in_channels",
             "ClassificationHead": "in_features", "RegressionHead": "in_features"}
ZERO_KEEPING = {"ReLU", "ReLU6", "LeakyReLU", "ELU", "GELU", "SiLU", "Hardswish", "Tanh",
                "Dropout", "Dropout2d", "MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d",
                "AdaptiveAvgPool2d", "AdaptiveMaxPool2d", "GlobalAvgPool"}
NORMS = {"BatchNorm1d", "BatchNorm2d"}


@dataclass
class Chain:
    """A prunable layer, the BatchNorms on its path and the one layer that reads it."""

    layer: str
    norms: list[str]
    consumer: str
    spread: int = 1  # features per channel where a Flatten lies between (H x W)
    keep: torch.Tensor = field(default_factory=lambda: torch.empty(0, dtype=torch.long))


def find_chains(spec: ModelSpec, analysis: Analysis | None = None) -> list[Chain]:
    """Every layer structured pruning can narrow, with what lies between it and its reader."""
    analysis = analysis or analyze(spec)
    chains = []
    for name in analysis.order:
        node = spec.node(name)
        if node.kind not in CANDIDATES or name == analysis.output_node:
            continue
        if node.kind != "Linear" and node.params.get("groups", 1) != 1:
            continue
        out = analysis.nodes[name].out_shape
        if out is None or (node.kind == "Linear" and len(out) != 1):
            continue  # a Linear over a sequence: its features are not a channel axis
        chain = _follow(spec, analysis, name)
        if chain is not None:
            chains.append(chain)
    return chains


def _follow(spec: ModelSpec, analysis: Analysis, start: str) -> Chain | None:
    norms: list[str] = []
    spread, flattened, current = 1, False, start
    while True:
        outs = spec.outputs_of(current)
        if len(outs) != 1 or outs[0].dst not in analysis.nodes:
            return None
        nxt = outs[0].dst
        kind = spec.node(nxt).kind
        in_shape = analysis.nodes[nxt].in_shapes[0] if analysis.nodes[nxt].in_shapes else None
        if kind in CONSUMERS:
            if kind == "Conv1d" or kind == "Conv2d":
                if flattened or spec.node(nxt).params.get("groups", 1) != 1:
                    return None
            elif in_shape is None or len(in_shape) != 1:
                return None  # a Linear over H x W, not over the channels
            return Chain(start, norms, nxt, spread)
        if kind == "Flatten" and not flattened and in_shape is not None:
            spread, flattened = math.prod(in_shape[1:]), True
        elif kind in NORMS and not flattened:
            norms.append(nxt)
        elif kind not in ZERO_KEEPING:
            return None
        current = nxt


def mask_channels(model: nn.Module, chains: list[Chain], amount: float) -> nn.Module:
    """Mask (in place, as torch pruning masks) the weakest ``amount`` share of each chain's
    output channels and their bias and BatchNorm parameters; records what each keeps."""
    for chain in chains:
        layer = model.get_submodule(chain.layer)
        channels = layer.weight.shape[0]
        n_prune = min(channels - 1, int(round(amount * channels)))  # one channel stays
        if n_prune <= 0:
            chain.keep = torch.arange(channels)
            continue
        prune.ln_structured(layer, "weight", amount=n_prune, n=1, dim=0)
        alive = layer.weight_mask.flatten(1).any(1)
        chain.keep = alive.nonzero().flatten()
        if layer.bias is not None:
            prune.custom_from_mask(layer, "bias", alive.to(layer.bias.dtype))
        for norm_name in chain.norms:
            norm = model.get_submodule(norm_name)
            if norm.affine:
                prune.custom_from_mask(norm, "weight", alive.to(norm.weight.dtype))
                prune.custom_from_mask(norm, "bias", alive.to(norm.bias.dtype))
    return model


def narrow_spec(spec: ModelSpec, chains: list[Chain]) -> ModelSpec:
    """The spec with each chain's layer keeping only its kept channels (inferred sizes stay
    inferred; sizes written out are updated)."""
    narrow = copy.deepcopy(spec)
    for chain in chains:
        n = int(chain.keep.numel())
        node = narrow.node(chain.layer)
        node.params[CANDIDATES[node.kind]] = n
        for norm in chain.norms:
            p = narrow.node(norm).params
            if p.get("num_features"):
                p["num_features"] = n
        consumer = narrow.node(chain.consumer)
        key = CONSUMERS[consumer.kind]
        if consumer.params.get(key):
            consumer.params[key] = n * chain.spread
    return narrow


def narrow_state(state: dict[str, torch.Tensor], chains: list[Chain]
                 ) -> dict[str, torch.Tensor]:
    """The kept slices of every tensor: a pruned layer's rows (and bias), its BatchNorms'
    entries, and the matching input columns of the layer that reads it."""
    out_keep: dict[str, torch.Tensor] = {}
    in_keep: dict[str, torch.Tensor] = {}
    for chain in chains:
        out_keep[chain.layer] = chain.keep
        for norm in chain.norms:
            out_keep[norm] = chain.keep
        k = chain.keep
        if chain.spread > 1:  # channel c of C x H x W is features c*HW .. c*HW + HW - 1
            k = (k[:, None] * chain.spread + torch.arange(chain.spread)[None, :]).flatten()
        in_keep[chain.consumer] = k
    result = {}
    for key, value in state.items():
        module, _, tensor = key.rpartition(".")
        v = value
        if module in out_keep and v.dim() >= 1 and tensor != "num_batches_tracked":
            v = v.index_select(0, out_keep[module])
        if module in in_keep and tensor == "weight" and v.dim() >= 2:
            v = v.index_select(1, in_keep[module])
        result[key] = v.clone()
    return result


@dataclass
class StructuredResult:
    spec: ModelSpec  # the narrower spec
    model: nn.Module  # built from it, with the kept weights
    masked: nn.Module  # the original architecture with the pruned channels masked
    chains: list[Chain]


def prune_structured(spec: ModelSpec, model: nn.Module, amount: float) -> StructuredResult:
    """Remove the ``amount`` share of channels/neurons from every layer that can lose them.
    ``model`` (built from ``spec``) is not changed. Raises ValueError when no layer can."""
    from workbench.core.compress.prune import check_amount, fold_masks

    amount = check_amount(amount)
    analysis = analyze(spec)
    chains = find_chains(spec, analysis)
    if not chains:
        raise ValueError("no layer of this model can lose channels: structured pruning "
                         "needs a Linear or convolution whose output feeds one other Linear, "
                         "convolution or head (through activations, pooling or BatchNorm)")
    masked = mask_channels(copy.deepcopy(model).cpu().eval(), chains, amount)
    plain = fold_masks({k: v.detach() for k, v in masked.state_dict().items()})
    narrow = narrow_spec(spec, chains)
    small = build_model(narrow)
    small.load_state_dict(narrow_state(plain, chains), strict=True)
    return StructuredResult(narrow, small.eval(), masked, chains)
