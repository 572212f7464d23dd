"""Validation and shape inference: every node's output shape, parameters and FLOPs, every
problem at once, and an estimate of training memory.

Shapes come from torch itself: each node is built on the ``meta`` device and a meta tensor is
pushed through it (no hand-written shape formulas); FLOPs come from ``FlopCounterMode`` and
the activations kept for backward from autograd's own saved tensors (see ``memory``).
Results are cached per (kind, parameters, input shapes, batch), so re-checking after one edit
only recomputes the nodes whose inputs changed.

The batch matters beyond FLOPs: some layers cannot train on a batch of one (BatchNorm needs
two values per channel), so the app, the CLI and a run all analyse at the training batch
size, and ``DEFAULT_BATCH`` (the TrainingConfig default) where none is given.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import torch
from torch.utils.flop_counter import FlopCounterMode

from workbench.core.graph.memory import SavedForBackward, activation_bytes, recording, summarize
from workbench.core.graph.problems import Problem
from workbench.core.graph.spec import Edge, ModelSpec, Node
from workbench.core.graph.structure import ancestors, by_name, check_structure, label
from workbench.core.layers import AUTO, CATALOGUE, CheckContext, LayerKind, Shape, fmt_shape

# bytes of optimizer state per parameter byte, by optimizer
OPTIMIZER_STATE = {"sgd": 1.0, "adam": 2.0, "adamw": 2.0, "rmsprop": 1.0, "none": 0.0}
DEFAULT_BATCH = 64  # TrainingConfig's default batch size: what is analysed when none is said


@dataclass(frozen=True)
class NodeInfo:
    name: str
    kind: str
    in_shapes: tuple[Shape, ...]
    out_shape: Shape | None  # None when it could not be inferred
    params: int = 0
    trainable: int = 0
    flops: int = 0  # forward FLOPs for the analysed batch
    ok: bool = False
    tokens: bool = False  # the output holds integer token ids, not real values
    grad: bool = False  # the output requires grad in training (it depends on parameters)
    saved: SavedForBackward | None = None  # what its forward keeps for backward


@dataclass(frozen=True)
class MemoryEstimate:
    weights: int
    gradients: int
    optimizer: int
    activations: int

    largest_layer: int = 0  # bytes of the largest layer's weights (FSDP gathers one at a time)

    @property
    def total(self) -> int:
        return self.weights + self.gradients + self.optimizer + self.activations

    def per_device(self, devices: int, sharded: bool = False) -> MemoryEstimate:
        """One device's share when ``devices`` train data-parallel with this (global) batch:
        each holds 1/N of the activations; the weights, gradients and optimizer state
        whole (DDP) or, ``sharded`` (FSDP), 1/N of each plus the largest layer's weights
        and gradients gathered while that layer runs."""
        n = max(1, int(devices))
        acts = -(-self.activations // n)
        if not sharded or n == 1:
            return MemoryEstimate(self.weights, self.gradients, self.optimizer, acts,
                                  self.largest_layer)
        share = lambda b: -(-b // n)  # noqa: E731
        gathered = self.largest_layer
        return MemoryEstimate(share(self.weights) + gathered,
                              share(self.gradients) + gathered * (self.gradients > 0),
                              share(self.optimizer), acts, self.largest_layer)


@dataclass
class Analysis:
    batch: int
    problems: list[Problem]
    nodes: dict[str, NodeInfo]
    order: list[str]  # topological order of the nodes that feed the output
    input_node: str | None = None
    output_node: str | None = None
    memory: MemoryEstimate = field(default_factory=lambda: MemoryEstimate(0, 0, 0, 0))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total_params(self) -> int:
        return sum(self.nodes[n].params for n in self.order if n in self.nodes)

    @property
    def trainable_params(self) -> int:
        return sum(self.nodes[n].trainable for n in self.order if n in self.nodes)

    @property
    def total_flops(self) -> int:
        return sum(self.nodes[n].flops for n in self.order if n in self.nodes)

    def problems_for(self, node: str) -> list[Problem]:
        return [p for p in self.problems if p.node == node]

    def rows(self) -> list[dict[str, Any]]:
        """Per-layer summary rows (plain types) in model order."""
        return [{"name": n, "kind": i.kind, "output_shape": list(i.out_shape or []),
                 "params": i.params, "flops": i.flops}
                for n in self.order if (i := self.nodes.get(n))]


@dataclass(frozen=True)
class _Result:
    out_shape: Shape | None
    params: int
    trainable: int
    flops: int
    error: str | None
    tokens: bool = False
    grad: bool = False
    saved: SavedForBackward | None = None


_CACHE: OrderedDict[str, _Result] = OrderedDict()
_CACHE_SIZE = 4096


def resolved_params(spec: ModelSpec, name: str, index: dict[str, Node] | None = None
                    ) -> dict[str, Any]:
    """A node's parameters with defaults filled in and graph-level ``auto`` values resolved
    (an Embedding's vocabulary comes from the token input)."""
    node = index[name] if index is not None else spec.node(name)
    kind = CATALOGUE[node.kind]
    params = kind.resolve(node.params)
    if node.kind == "Embedding" and params["num_embeddings"] == AUTO:
        for n in spec.nodes:
            if n.kind == "TokenInput":
                params["num_embeddings"] = CATALOGUE["TokenInput"].resolve(n.params)["vocab_size"]
    return params


def analyze(spec: ModelSpec, batch: int = DEFAULT_BATCH, optimizer: str = "adam",
            bytes_per_value: int = 4) -> Analysis:
    """Check the whole model and infer every shape. Never raises for a bad model.

    For a GAN document, the problems of both graphs and the joint ones (``analyze_gan``
    holds each graph's own analysis)."""
    if spec.parts:
        from workbench.core.graph.gan import analyze_gan

        return Analysis(batch, analyze_gan(spec, batch, optimizer).problems, {}, [])
    problems, order = check_structure(spec)
    index = by_name(spec)
    bad_nodes = {p.node for p in problems if p.severity == "error" and p.node}
    nodes: dict[str, NodeInfo] = {}
    inputs = sorted((e for e in spec.edges if e.src in index),
                    key=lambda e: _port_index(index, e))
    into: dict[str, list[Edge]] = {}
    for e in inputs:  # each node's input edges, in port order
        into.setdefault(e.dst, []).append(e)
    for name in order:
        node = index[name]
        kind = CATALOGUE.get(node.kind)
        if kind is None:
            continue
        in_edges = into.get(name, [])
        upstream = [nodes.get(e.src) for e in in_edges]
        if name in bad_nodes or any(u is None or u.out_shape is None for u in upstream):
            nodes[name] = NodeInfo(name, node.kind, (), None)
            continue
        shapes = [u.out_shape for u in upstream]  # type: ignore[union-attr]
        tokens = [u.tokens for u in upstream]  # type: ignore[union-attr]
        grads = [u.grad for u in upstream]  # type: ignore[union-attr]
        params = resolved_params(spec, name, index)
        ctx = CheckContext(shapes, [f"from {label(spec, e.src, index)}" for e in in_edges],
                           [_detail(index, nodes, e.src) for e in in_edges])
        result = _infer(kind, params, ctx, tokens, grads, batch)
        if result.error:
            problems.append(Problem(f"{label(spec, name, index)} {result.error}", name))
        nodes[name] = NodeInfo(name, node.kind, tuple(shapes), result.out_shape, result.params,
                               result.trainable, result.flops, result.error is None,
                               result.tokens, result.grad, result.saved)

    ins = [n.name for n in spec.nodes if CATALOGUE.get(n.kind) and CATALOGUE[n.kind].is_input]
    outs = [n.name for n in spec.nodes if CATALOGUE.get(n.kind) and CATALOGUE[n.kind].is_output]
    out_node = outs[0] if len(outs) == 1 else None
    needed = ancestors(spec, out_node) if out_node else set(order)
    analysis = Analysis(batch, problems, nodes, [n for n in order if n in needed],
                        ins[0] if len(ins) == 1 else None, out_node)
    sources = {n: [e.src for e in into.get(n, [])] for n in analysis.order}
    analysis.memory = _memory(analysis, sources, optimizer, bytes_per_value)
    return analysis


def analysis_at(spec: ModelSpec, batch: int, optimizer: str = "adam",
                analysis: Analysis | None = None) -> Analysis:
    """``analysis`` when it was made at ``batch`` (a workspace's), else a fresh one: a model
    is valid or not at the batch it trains with (BatchNorm cannot train on one sample)."""
    if analysis is not None and analysis.batch == batch:
        return analysis
    return analyze(spec, batch, optimizer)


def _port_index(index: dict[str, Node], edge: Edge) -> int:
    node = index.get(edge.dst)
    kind = CATALOGUE.get(node.kind) if node is not None else None
    return kind.inputs.index(edge.dst_port) if kind and edge.dst_port in kind.inputs else 99


def _detail(index: dict[str, Node], nodes: dict[str, NodeInfo], src: str) -> str:
    """" (64 x 7 x 7)" when ``src`` flattened or reshaped a bigger shape: helps explain sizes."""
    info = nodes.get(src)
    if info and index[src].kind in ("Flatten", "Reshape") and info.in_shapes:
        return f" ({fmt_shape(info.in_shapes[0])})"
    return ""


def _infer(kind: LayerKind, params: dict[str, Any], ctx: CheckContext, tokens: list[bool],
           grads: list[bool], batch: int) -> _Result:
    key = json.dumps([kind.kind, params, ctx.shapes, tokens, grads, batch], sort_keys=True,
                     default=str)
    hit = _CACHE.get(key)
    if hit is not None:
        _CACHE.move_to_end(key)
        # the message may name other layers, so only reuse successes verbatim
        if hit.error is None:
            return hit
    result = _run(kind, params, ctx, tokens, grads, batch)
    _CACHE[key] = result
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return result


def _run(kind: LayerKind, params: dict[str, Any], ctx: CheckContext, tokens: list[bool],
         grads: list[bool], batch: int) -> _Result:
    # token ids are whole numbers: only an Embedding can use them (meta tensors do not check
    # dtypes, so this is said here rather than left to torch)
    # a layer that skips padding takes the token ids themselves on its second port
    ids_port = bool(kind.inputs) and kind.inputs[-1] == "tokens" and len(tokens) == len(kind.inputs)
    if ids_port and not tokens[-1]:
        return _Result(None, 0, 0, 0, f"takes token ids on its 'tokens' input but receives "
                       f"real values {ctx.src(len(tokens) - 1)}; connect the token sequence input")
    values = tokens[:-1] if ids_port else tokens
    if kind.kind != "Embedding" and any(values):
        return _Result(None, 0, 0, 0, f"receives token ids {ctx.src(values.index(True))}, not "
                       "vectors; add an Embedding layer after the token input")
    if kind.kind == "Embedding" and tokens and not tokens[0]:
        return _Result(None, 0, 0, 0, f"expects a sequence of token ids but receives real "
                       f"values {ctx.src()}; connect it to a token sequence input")
    if kind.check is not None:
        try:
            why = kind.check(params, ctx)
        except Exception as e:  # a checker bug must not hide the model
            why = f"could not be checked ({type(e).__name__}: {e})"
        if why:
            return _Result(None, 0, 0, 0, why)
    try:
        with torch.device("meta"):
            module = kind.build(params, ctx.shapes)
        if kind.is_input:
            shape = kind.data_shape(params)  # type: ignore[misc]
            dtype = torch.long if kind.data_kind == "tokens" else torch.float32
            x = [torch.empty((batch, *shape), dtype=dtype, device="meta")]
        else:
            # an input that depends on parameters requires grad, as it will in training:
            # that decides what the forward saves (a ReLU after the data input saves nothing)
            x = [torch.empty((batch, *s), device="meta",
                             dtype=torch.long if is_tok else torch.float32
                             ).requires_grad_(grad and not is_tok)
                 for s, is_tok, grad in zip(ctx.shapes, tokens, grads, strict=True)]
        counter = FlopCounterMode(display=False)
        with counter, recording() as rec:
            y = module(*x)
        saved = summarize(rec, module, x, y, kind.is_input)
        n_params = sum(p.numel() for p in module.parameters())
        n_train = sum(p.numel() for p in module.parameters() if p.requires_grad)
        return _Result(tuple(y.shape[1:]), n_params, n_train, int(counter.get_total_flops()),
                       None, not y.dtype.is_floating_point, bool(y.requires_grad), saved)
    except Exception as e:
        return _Result(None, 0, 0, 0, _explain(e, ctx, batch))


def _explain(e: Exception, ctx: CheckContext, batch: int) -> str:
    """Turn torch's message into words, keeping the shapes involved."""
    msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    got = " and ".join(f"{fmt_shape(s)} {src}" for s, src in zip(ctx.shapes, ctx.sources,
                                                                  strict=False))
    if "more than 1 value per channel" in msg:
        return (f"needs more than one value per channel to train, but a batch of {batch} "
                f"gives it {got or 'one'}: use a batch size of at least 2"
                + (" or normalize over more positions" if batch > 1 else ""))
    if re.search(r"output size is too small|kernel size can't be greater", msg, re.I):
        return (f"receives {got}, which is smaller than its window; remove a pooling layer, "
                "add padding or use a smaller kernel")
    if "out of memory" in msg.lower():
        return "is too large to create; reduce its size"
    return f"cannot process its input ({got or 'none'}): {msg[:300]}"


def _memory(a: Analysis, sources: dict[str, list[str]], optimizer: str,
            nbytes: int) -> MemoryEstimate:
    weights = a.total_params * nbytes
    grads = a.trainable_params * nbytes
    opt = int(a.trainable_params * nbytes * OPTIMIZER_STATE.get(optimizer.lower(), 2.0))
    # activations: what autograd saves for backward, measured in fp32 on the meta device
    records = {n: i.saved for n in a.order if (i := a.nodes.get(n)) and i.saved is not None}
    acts = activation_bytes(a.order, records, sources) * nbytes // 4
    largest = max((i.params for n in a.order if (i := a.nodes.get(n))), default=0) * nbytes
    return MemoryEstimate(weights, grads, opt, acts, largest)
