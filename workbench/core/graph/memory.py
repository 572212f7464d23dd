"""What autograd keeps for the backward pass, measured rather than guessed.

Every node is run on the ``meta`` device during shape inference (no memory, no arithmetic);
``saved_tensors_hooks`` sees each tensor the forward saves for backward. Per node we record
which saved storages are its inputs, its output or its own intermediates (a Transformer
block keeps attention maps, pre-norm values, dropout masks...). The model's figure joins the
nodes: a storage saved by a producer and by its consumers (a ReLU's output, the next Linear's
input) counts once, and a view (Flatten, Reshape) shares its source's storage. Parameters
and buffers are not activations (they are counted as weights).

Per-node records are cached with the rest of the node's analysis, so re-checking after an
edit only measures the nodes whose inputs changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class SavedForBackward:
    """What one node's forward saves: bytes of its own intermediates, and whether its inputs
    and its output are among the saved tensors."""

    internal: int = 0  # bytes of saved storages that are neither inputs nor the output
    inputs: tuple[bool, ...] = ()  # input i is saved
    output: bool = False  # the output is saved (by this node)
    output_bytes: int = 0  # the output's storage size
    alias: int | None = None  # the output shares the storage of input ``alias`` (a view)


def _sid(t: torch.Tensor) -> int:
    # the storage's identity: meta tensors all report data_ptr 0, the StorageImpl differs
    return t.untyped_storage()._cdata


class _Recorder:
    def __init__(self) -> None:
        self.saved: dict[int, int] = {}  # storage id -> bytes

    def pack(self, t: torch.Tensor) -> torch.Tensor:
        if isinstance(t, torch.Tensor):
            self.saved[_sid(t)] = t.untyped_storage().nbytes()
        return t


@contextmanager
def recording():
    """``with recording() as rec: y = module(*xs)``; then ``summarize(rec, ...)``."""
    rec = _Recorder()
    with torch.autograd.graph.saved_tensors_hooks(rec.pack, lambda t: t):
        yield rec


def saved_bytes(rec: _Recorder, module: nn.Module) -> int:
    """Bytes of everything ``rec`` saw saved, but ``module``'s parameters and buffers."""
    skip = {_sid(p) for p in module.parameters()} | {_sid(b) for b in module.buffers()}
    return sum(v for k, v in rec.saved.items() if k not in skip)


def summarize(rec: _Recorder, module: nn.Module, xs: Sequence[torch.Tensor],
              y: torch.Tensor, is_input: bool = False) -> SavedForBackward:
    """One node's record from what ``rec`` saw while ``module(*xs)`` gave ``y``."""
    skip = {_sid(p) for p in module.parameters()} | {_sid(b) for b in module.buffers()}
    in_ids = [_sid(x) for x in xs]
    out_id = _sid(y)
    saved = {k: v for k, v in rec.saved.items() if k not in skip}
    internal = sum(v for k, v in saved.items() if k not in in_ids and k != out_id)
    alias = None if is_input or out_id not in in_ids else in_ids.index(out_id)
    return SavedForBackward(internal, tuple(i in saved for i in in_ids), out_id in saved,
                            y.untyped_storage().nbytes(), alias)


def activation_bytes(order: Iterable[str], records: dict[str, SavedForBackward],
                     sources: dict[str, list[str]]) -> int:
    """The model's saved activations: every node's intermediates, plus each distinct tensor
    passed between nodes that some node saves. ``sources[n]`` are n's inputs in port order."""
    storage: dict[str, str] = {}  # node -> the node whose storage its output is
    size: dict[str, int] = {}
    kept: set[str] = set()
    total = 0
    for name in order:
        r = records.get(name)
        if r is None:
            continue
        srcs = sources.get(name, [])
        if r.alias is not None and r.alias < len(srcs) and srcs[r.alias] in storage:
            storage[name] = storage[srcs[r.alias]]
        else:
            storage[name] = name
            size[name] = r.output_bytes
        total += r.internal
        if r.output:
            kept.add(storage[name])
        for src, is_saved in zip(srcs, r.inputs, strict=False):
            if is_saved and src in storage:
                kept.add(storage[src])
    return total + sum(size.get(k, 0) for k in kept)
