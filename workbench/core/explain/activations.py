"""A look inside: what a layer outputs for an input (its feature maps) and, for attention
layers, the attention weights of every head.

Both come from forward hooks on the built GraphModule (its submodules carry the spec's node
names), registered for one forward pass and removed after it: training never sees them. The
model's attention modules are called with ``need_weights=False`` (the fast path); the hook
calls the same ``nn.MultiheadAttention`` again on the very inputs it was given, asking for the
weights per head, so what is shown is what the layer computed and nothing is changed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from workbench.core.explain.layers import attention_layers
from workbench.core.explain.subject import Prepared, Subject, evaluating


@dataclass
class AttentionMap:
    name: str  # "encoder", or "encoder, block 2" for stacked blocks
    weights: np.ndarray  # (heads, queries, keys); each row sums to 1 over the keys

    @property
    def heads(self) -> int:
        return int(self.weights.shape[0])


@contextlib.contextmanager
def _hooks(pairs: list[tuple[nn.Module, Any]], with_kwargs: bool = False) -> Iterator[None]:
    handles = [m.register_forward_hook(h, with_kwargs=with_kwargs) for m, h in pairs]
    try:
        yield
    finally:
        for handle in handles:
            handle.remove()


def _run(subject: Subject, prepared: Prepared, pairs: list[tuple[nn.Module, Any]],
         with_kwargs: bool = False) -> None:
    """One forward pass of the input with ``pairs`` of (module, hook) in place."""
    with subject.lock, _hooks(pairs, with_kwargs), evaluating(subject.model), torch.no_grad():
        subject.model(prepared.x)


def feature_maps(subject: Subject, prepared: Prepared, node: str) -> np.ndarray:
    """The output of layer ``node`` for the input, without the batch axis: (C, H, W) maps
    for convolutions, (steps, features) for sequences, (features,) for dense layers."""
    module = subject.module(node)
    seen: list[torch.Tensor] = []

    def keep(_m: nn.Module, _args: Any, out: Any) -> None:
        t = out[0] if isinstance(out, tuple | list) else out
        seen.append(t.detach().float().cpu()[0])

    _run(subject, prepared, [(module, keep)])
    if not seen:
        raise ValueError(f"the layer {node} was not run for this input")
    return seen[0].numpy()


def _weights_hook(store: list[torch.Tensor]):
    def hook(module: nn.MultiheadAttention, args: tuple, kwargs: dict, _out: Any) -> None:
        kw = dict(kwargs)
        kw.update(need_weights=True, average_attn_weights=False)
        with torch.no_grad():  # forward(), not __call__: the hooks do not run again
            _, weights = module.forward(*args, **kw)
        store.append(weights.detach().float().cpu()[0])  # (heads, L, S)

    return hook


def attention_maps(subject: Subject, prepared: Prepared, node: str) -> list[AttentionMap]:
    """Attention weights per head of a MultiHeadAttention, TransformerEncoder or
    CausalDecoder layer (one map per stacked block); [] for other layers."""
    if node not in attention_layers(subject):
        subject.module(node)  # an unknown name says so
        return []
    attns = [m for m in subject.module(node).modules() if isinstance(m, nn.MultiheadAttention)]
    stores: list[list[torch.Tensor]] = [[] for _ in attns]
    _run(subject, prepared, [(m, _weights_hook(s)) for m, s in zip(attns, stores, strict=True)],
         with_kwargs=True)
    maps = []
    for i, store in enumerate(stores):
        if store:
            name = node if len(attns) == 1 else f"{node}, block {i + 1}"
            maps.append(AttentionMap(name, store[0].numpy()))
    return maps
