"""Layers an exporter wrote out as several elementwise nodes, found before the mapping:
GELU before opset 20 has no operator, so it arrives as ``x * 0.5 * (1 + Erf(x / sqrt 2))``
(the order of the Add and the Muls varies by exporter); the last real step of each padded
sequence arrives as a count of the non-<pad> token ids and a GatherND. A candidate is checked
on the real values onnxruntime computed, so a look-alike that computes something else is not
taken."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from workbench.core.importers.onnx_ops import label

_CHAIN = ("Add", "Mul", "Div")


@dataclass
class Fused:
    """``ends``: the last node of a region -> (its data inputs, kind, params, weights);
    ``inside``: the other nodes of the regions, which fall away."""

    ends: dict[str, tuple[list[str], str, dict[str, Any], dict[str, np.ndarray] | None]] = \
        field(default_factory=dict)
    inside: set[str] = field(default_factory=set)


def find(graph: Any, values: dict[str, np.ndarray], data: set[str]) -> Fused:
    """``data``: the names of the values that depend on the input."""
    producer = {o: n for n in graph.node for o in n.output}
    consumers: dict[str, list[Any]] = {}
    for n in graph.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    out = Fused()
    for erf in (n for n in graph.node if n.op_type == "Erf"):
        scale = producer.get(erf.input[0])
        if scale is None or scale.op_type not in ("Div", "Mul"):
            continue
        xs = [i for i in scale.input if i in data]
        if len(xs) != 1:
            continue
        x = xs[0]
        want = torch.nn.functional.gelu(torch.from_numpy(np.asarray(values[x], np.float32)))
        region, node = [scale, erf], erf
        for _ in range(3):  # the Add of 1 and the two Muls, in any order
            users = consumers.get(node.output[0], [])
            if len(users) != 1 or users[0].op_type not in _CHAIN:
                break
            node = users[0]
            region.append(node)
            others = [i for i in node.input if i in data and i != region[-2].output[0]]
            if any(i != x for i in others):
                break
            got = values.get(node.output[0])
            if got is not None and got.shape == tuple(want.shape) and np.allclose(
                    got, want.numpy(), rtol=1e-4, atol=1e-5):
                inner = {o for n in region[:-1] for o in n.output}
                outside = [u for o in inner for u in consumers.get(o, []) if u not in region]
                if not outside:
                    out.ends[label(node)] = ([x], "GELU", {"approximate": "none"}, None)
                    out.inside |= {label(n) for n in region[:-1]}
                break
    return out


def find_last_real_step(graph: Any, values: dict[str, np.ndarray], data: set[str],
                        tokens: str, out: Fused) -> None:
    """A Gather(ND) of one step per sample of a (B, L, D) sequence, at an index computed from
    the token ids alone: the last step that is not <pad> (id 0), as Workbench's recurrent
    layers (the count of real tokens, less one) or its sequence pooling (the last real
    position) read it. The mask's nodes fall away; the layer gets the token ids instead."""
    producer = {o: n for n in graph.node for o in n.output}
    consumers: dict[str, list[Any]] = {}
    for n in graph.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)

    def ancestors(v: str) -> set[str]:
        seen, stack = set(), [v]
        while stack:
            n = producer.get(stack.pop())
            for i in n.input if n is not None else []:
                if i in data and i not in seen:
                    seen.add(i)
                    stack.append(i)
        return seen

    ids = np.asarray(values[tokens])
    keep = ids != 0
    count = np.maximum(keep.sum(1), 1) - 1
    last_real = (np.arange(ids.shape[1]) * keep).max(1)
    for g in (n for n in graph.node if n.op_type in ("GatherND", "Gather")):
        if len(g.input) < 2 or g.input[0] not in data or g.input[1] not in data:
            continue
        seq, index = np.asarray(values[g.input[0]]), g.input[1]
        up = ancestors(index) | {index}
        if seq.ndim != 3 or seq.shape[:2] != ids.shape or tokens not in up \
                or g.input[0] in up or ancestors(g.input[0]) & (up - {tokens}):
            continue
        got = np.asarray(values[g.output[0]])
        rows = np.arange(seq.shape[0])
        mode = next((m for m, at in (("count", count), ("last_real", last_real))
                     if got.shape == seq[rows, at].shape and np.array_equal(got, seq[rows, at])),
                    None)
        mask = [producer[v] for v in up - {tokens} if v in producer]
        if mode is None or any(u not in mask and u is not g and u.op_type not in ("Shape", "Size")
                               for n in mask for o in n.output for u in consumers.get(o, [])):
            continue
        out.ends[label(g)] = ([g.input[0]], "LastRealStep", {"mode": mode}, None)
        out.inside |= {label(n) for n in mask}
