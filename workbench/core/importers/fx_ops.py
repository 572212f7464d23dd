"""torch.fx nodes to catalogue kinds: one mapper per nn module type, function and tensor
method, each giving (kind, params, weights) or None for the identity."""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F
from torch import fx, nn

from workbench.core.importers.fx_common import (
    Mapped,
    arg,
    is_tensor,
    refuse,
    reshape,
    shape_of,
)
from workbench.core.importers.fx_helpers import helper_name
from workbench.core.importers.mapping import per_sample_dim, pool_params, square


# -- modules -------------------------------------------------------------------------------
def _conv(m: nn.Module, node: fx.Node) -> Mapped:
    if m.padding_mode != "zeros":
        refuse(node, f"pads with '{m.padding_mode}'")
    padding = m.padding if isinstance(m.padding, str) else square(m.padding, "padding", node)
    params = {"out_channels": m.out_channels, "kernel_size": square(m.kernel_size, "kernel", node),
              "stride": square(m.stride, "stride", node), "padding": padding,
              "dilation": square(m.dilation, "dilation", node), "groups": m.groups,
              "bias": m.bias is not None, "in_channels": m.in_channels}
    if isinstance(m, nn.ConvTranspose2d):
        params["output_padding"] = square(m.output_padding, "output padding", node)
        return "ConvTranspose2d", params, m.state_dict()
    return type(m).__name__, params, m.state_dict()


def _batch_norm(m: nn.Module, node: fx.Node) -> Mapped:
    if not (m.affine and m.track_running_stats):
        refuse(node, "is a BatchNorm without affine weights or running statistics")
    return (type(m).__name__, {"num_features": m.num_features, "eps": m.eps,
                               "momentum": m.momentum if m.momentum is not None else 0.1},
            m.state_dict())


def _layer_norm(m: nn.LayerNorm, node: fx.Node) -> Mapped:
    if len(m.normalized_shape) != 1 or not m.elementwise_affine or m.bias is None:
        refuse(node, "normalizes over more than the last axis, or without weights")
    return "LayerNorm", {"normalized_size": m.normalized_shape[0], "eps": m.eps}, m.state_dict()


def _group_norm(m: nn.GroupNorm, node: fx.Node) -> Mapped:
    if not math.isclose(m.eps, 1e-5):
        refuse(node, f"uses eps {m.eps} (Workbench's GroupNorm uses 1e-5)")
    return ("GroupNorm", {"num_groups": m.num_groups, "affine": m.affine,
                          "num_channels": m.num_channels}, m.state_dict())


def _pool(m: nn.Module, node: fx.Node) -> Mapped:
    kind = type(m).__name__
    return kind, pool_params(kind, m.kernel_size, m.stride, m.padding,
                             getattr(m, "dilation", 1), m.ceil_mode,
                             getattr(m, "count_include_pad", True),
                             getattr(m, "divisor_override", None), node), None


def _adaptive(m: nn.Module, node: fx.Node) -> Mapped:
    return type(m).__name__, {"output_size": square(m.output_size, "output size", node)}, None


def _linear(m: nn.Linear, node: fx.Node) -> Mapped:
    return ("Linear", {"out_features": m.out_features, "in_features": m.in_features,
                       "bias": m.bias is not None}, m.state_dict())


def _flatten_module(m: nn.Flatten, node: fx.Node) -> Mapped | None:
    return reshape(node)


def _plain(kind: str, **attrs: str) -> Callable[[nn.Module, fx.Node], Mapped]:
    def mapper(m: nn.Module, node: fx.Node) -> Mapped:
        return kind, {p: getattr(m, a) for p, a in attrs.items()}, None
    return mapper


def _softmax_module(kind: str) -> Callable[[nn.Module, fx.Node], Mapped]:
    def mapper(m: nn.Module, node: fx.Node) -> Mapped:
        return kind, {"dim": per_sample_dim(m.dim, len(shape_of(node)), node)}, None
    return mapper


def _upsample(m: nn.Upsample, node: fx.Node) -> Mapped:
    if m.size is not None or m.mode not in ("nearest", "bilinear") or m.align_corners:
        refuse(node, "resizes to a fixed size or with a mode other than nearest/bilinear")
    scale = m.scale_factor if not isinstance(m.scale_factor, tuple) else \
        square(m.scale_factor, "scale", node)
    return "Upsample", {"scale_factor": float(scale), "mode": m.mode}, None


def _embedding(m: nn.Embedding, node: fx.Node) -> Mapped:
    if m.max_norm is not None or m.scale_grad_by_freq or m.sparse:
        refuse(node, "renormalizes, scales by frequency or is sparse")
    params = {"embedding_dim": m.embedding_dim, "num_embeddings": m.num_embeddings,
              "padding_idx": -1 if m.padding_idx is None else m.padding_idx}
    if getattr(m, "init_std", 0.0):  # Workbench's TokenEmbedding: where its vectors started
        params["init_std"] = float(m.init_std)
    return "Embedding", params, m.state_dict()


MODULES: dict[type, Callable[[Any, fx.Node], Mapped | None]] = {
    nn.Embedding: _embedding,
    nn.Conv1d: _conv, nn.Conv2d: _conv, nn.ConvTranspose2d: _conv, nn.Linear: _linear,
    nn.BatchNorm1d: _batch_norm, nn.BatchNorm2d: _batch_norm, nn.LayerNorm: _layer_norm,
    nn.GroupNorm: _group_norm,
    nn.MaxPool1d: _pool, nn.MaxPool2d: _pool, nn.AvgPool1d: _pool, nn.AvgPool2d: _pool,
    nn.AdaptiveAvgPool2d: _adaptive, nn.AdaptiveMaxPool2d: _adaptive,
    nn.Dropout: _plain("Dropout", p="p"), nn.Dropout2d: _plain("Dropout2d", p="p"),
    nn.Flatten: _flatten_module, nn.Identity: lambda m, n: None, nn.Upsample: _upsample,
    nn.ReLU: _plain("ReLU"), nn.ReLU6: _plain("ReLU6"), nn.SiLU: _plain("SiLU"),
    nn.Hardswish: _plain("Hardswish"), nn.Hardsigmoid: _plain("Hardsigmoid"),
    nn.Tanh: _plain("Tanh"), nn.Sigmoid: _plain("Sigmoid"),
    nn.LeakyReLU: _plain("LeakyReLU", negative_slope="negative_slope"),
    nn.ELU: _plain("ELU", alpha="alpha"), nn.GELU: _plain("GELU", approximate="approximate"),
    nn.Softmax: _softmax_module("Softmax"), nn.LogSoftmax: _softmax_module("LogSoftmax"),
}


def _mean(node: fx.Node) -> Mapped | None:
    dims = arg(node, 1, "dim")
    shape = shape_of(next(iter(node.all_input_nodes)))
    dims = [dims] if isinstance(dims, int) else list(dims or [])
    if len(shape) == 4 and sorted(d % 4 for d in dims) == [2, 3]:
        if arg(node, 2, "keepdim", False):
            return "AdaptiveAvgPool2d", {"output_size": 1}, None
        return "GlobalAvgPool", {}, None
    if len(shape) == 3 and [d % 3 for d in dims] == [1] and not arg(node, 2, "keepdim", False):
        return "SequencePool", {"mode": "mean"}, None  # the mean over a sequence's steps
    refuse(node, f"takes a mean over axes {dims} of {shape}")
    return None


def _cat(node: fx.Node) -> Mapped:
    dim = arg(node, 1, "dim", 0)
    return "Concatenate", {"axis": per_sample_dim(dim, len(shape_of(node)), node)}, None


def _merge(kind: str) -> Callable[[fx.Node], Mapped]:
    def mapper(node: fx.Node) -> Mapped:
        if sum(isinstance(a, fx.Node) and is_tensor(a) for a in node.args) != 2:
            refuse(node, f"combines a tensor with a constant ({kind} needs two layers' outputs)")
        return kind, {}, None
    return mapper


def _act(kind: str, **params: tuple[int, str, Any]) -> Callable[[fx.Node], Mapped]:
    def mapper(node: fx.Node) -> Mapped:
        return kind, {p: arg(node, i, n, d) for p, (i, n, d) in params.items()}, None
    return mapper


def _softmax_fn(kind: str) -> Callable[[fx.Node], Mapped]:
    def mapper(node: fx.Node) -> Mapped:
        return kind, {"dim": per_sample_dim(arg(node, 1, "dim"), len(shape_of(node)), node)}, None
    return mapper


def _pool_fn(kind: str) -> Callable[[fx.Node], Mapped]:
    def mapper(node: fx.Node) -> Mapped:
        k = arg(node, 1, "kernel_size")
        return kind, pool_params(kind, k, arg(node, 2, "stride") or k, arg(node, 3, "padding", 0),
                                 arg(node, 4, "dilation", 1) if "Max" in kind else 1,
                                 arg(node, 5 if "Max" in kind else 4, "ceil_mode", False),
                                 arg(node, 5, "count_include_pad", True) if "Avg" in kind
                                 else True, arg(node, 6, "divisor_override"), node), None
    return mapper


def _adaptive_fn(kind: str) -> Callable[[fx.Node], Mapped]:
    def mapper(node: fx.Node) -> Mapped:
        return kind, {"output_size": square(arg(node, 1, "output_size"), "output size",
                                            node)}, None
    return mapper


_ADD, _MUL = _merge("Add"), _merge("Multiply")
_RELU = _act("ReLU")
FUNCTIONS: dict[Any, Callable[[fx.Node], Mapped | None]] = {
    operator.add: _ADD, operator.iadd: _ADD, torch.add: _ADD,
    operator.mul: _MUL, operator.imul: _MUL, torch.mul: _MUL,
    torch.flatten: reshape, torch.reshape: reshape, torch.cat: _cat, torch.concat: _cat,
    torch.mean: _mean,
    F.relu: _RELU, torch.relu: _RELU, F.relu6: _act("ReLU6"), F.silu: _act("SiLU"),
    F.hardswish: _act("Hardswish"), F.hardsigmoid: _act("Hardsigmoid"),
    torch.sigmoid: _act("Sigmoid"), F.sigmoid: _act("Sigmoid"), torch.tanh: _act("Tanh"),
    F.tanh: _act("Tanh"), F.gelu: _act("GELU", approximate=(1, "approximate", "none")),
    F.leaky_relu: _act("LeakyReLU", negative_slope=(1, "negative_slope", 0.01)),
    F.elu: _act("ELU", alpha=(1, "alpha", 1.0)),
    F.softmax: _softmax_fn("Softmax"), torch.softmax: _softmax_fn("Softmax"),
    F.log_softmax: _softmax_fn("LogSoftmax"),
    F.dropout: _act("Dropout", p=(1, "p", 0.5)), F.dropout2d: _act("Dropout2d", p=(1, "p", 0.5)),
    F.max_pool2d: _pool_fn("MaxPool2d"), F.avg_pool2d: _pool_fn("AvgPool2d"),
    F.adaptive_avg_pool2d: _adaptive_fn("AdaptiveAvgPool2d"),
    F.adaptive_max_pool2d: _adaptive_fn("AdaptiveMaxPool2d"),
}
METHODS: dict[str, Callable[[fx.Node], Mapped | None]] = {
    "add": _ADD, "add_": _ADD, "mul": _MUL, "mul_": _MUL, "relu": _RELU, "relu_": _RELU,
    "sigmoid": _act("Sigmoid"), "tanh": _act("Tanh"), "softmax": _softmax_fn("Softmax"),
    "flatten": reshape, "view": reshape, "reshape": reshape, "mean": _mean,
    "contiguous": lambda n: None,
}


def map_node(node: fx.Node, modules: dict[str, nn.Module]) -> Mapped | None:
    if node.op == "call_module":
        m = modules[str(node.target)]
        mapper = MODULES.get(nn.Embedding if helper_name(type(m)) == "TokenEmbedding"
                             else type(m))
        if mapper is None:
            refuse(node, f"is a {type(m).__name__}")
        return mapper(m, node)  # type: ignore[misc]
    if node.op == "call_function":
        fn = FUNCTIONS.get(node.target)
        if fn is None:
            refuse(node, "is a function call")
        return fn(node)  # type: ignore[misc]
    fn = METHODS.get(str(node.target))
    if fn is None:
        refuse(node, "is a tensor method")
    return fn(node)  # type: ignore[misc]
