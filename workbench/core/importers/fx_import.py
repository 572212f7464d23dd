"""PyTorch modules into Workbench models: trace with torch.fx, map each module and function
call to a catalogue kind, and carry the weights over under the catalogue's names.

Shapes come from running the traced graph once (fx's ShapeProp), so views and reshapes are
judged by what they really do (a ``x.view(x.size(0), -1)`` is a Flatten). Anything that has
no catalogue kind is refused with the node that uses it.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F
from torch import fx, nn
from torch.fx.passes.shape_prop import ShapeProp

from workbench.core.importers.builder import GraphBuilder, ImportedModel, compare
from workbench.core.importers.errors import ModelImportError
from workbench.core.importers.mapping import (
    INPUT_KINDS,
    per_sample_dim,
    pool_params,
    square,
)

Mapped = tuple[str, dict[str, Any], dict[str, torch.Tensor] | None]  # kind, params, weights


def import_module(module: nn.Module, input_shape: tuple[int, ...], name: str, source: str,
                  check_batch: int = 2) -> ImportedModel:
    """``module`` (in eval mode) as an ImportedModel whose outputs equal the module's on a
    random batch of ``input_shape`` (per sample); ModelImportError when it cannot be."""
    module = module.eval()
    try:
        gm = fx.symbolic_trace(module)
    except Exception as e:  # fx refuses data-dependent control flow and the like
        raise ModelImportError(f"{source} cannot be traced with torch.fx ({_short(e)}); only "
                               "models whose forward is a fixed graph of layers can be "
                               "imported") from None
    x = torch.randn(check_batch, *input_shape, generator=torch.Generator().manual_seed(0))
    try:
        with torch.no_grad():
            ShapeProp(gm).propagate(x)
            reference = module(x)
    except Exception as e:
        raise ModelImportError(f"{source} does not run on an input of shape "
                               f"{' x '.join(map(str, input_shape))} ({_short(e)}); give the "
                               "input shape it expects") from None
    if not isinstance(reference, torch.Tensor):
        raise ModelImportError(f"{source} returns {type(reference).__name__}, not one tensor")
    b = GraphBuilder(name)
    values: dict[fx.Node, str] = {}
    modules = dict(gm.named_modules())
    out_name = None
    shape_like: set[fx.Node] = set()
    for node in gm.graph.nodes:
        if node.op == "placeholder":
            if values:
                raise ModelImportError(f"{source} takes more than one input ('{node.name}'); "
                                       "a Workbench model has one", node=node.name)
            kind, params = _input_kind(input_shape)
            values[node] = b.add(kind, params, [], "input")
        elif node.op == "output":
            out = node.args[0]
            if not isinstance(out, fx.Node) or out not in values:
                raise ModelImportError(f"{source} must return one tensor")
            out_name = values[out]
        elif node.op == "get_attr":
            if _is_tensor(node):
                _refuse(node, "uses a parameter or buffer directly in its forward")
        else:
            if not _is_tensor(node):
                if _shape_like(node, shape_like):
                    shape_like.add(node)  # sizes: only arguments of what is mapped
                continue
            for a in node.all_input_nodes:
                if not _is_tensor(a) and a not in shape_like and a.op != "get_attr":
                    _refuse(a, "gives something other than a tensor")
            mapped = _map(node, modules)
            tensors = [a for a in _flat(node.args) + _flat(node.kwargs) if isinstance(a, fx.Node)
                       and _is_tensor(a)]
            for a in tensors:
                if a not in values:
                    _refuse(a, "could not be mapped")
            if mapped is None:  # the identity: the node is its input
                values[node] = values[tensors[0]]
                continue
            kind, params, weights = mapped
            values[node] = b.add(kind, params, [values[a] for a in tensors],
                                 _hint(node), weights)
    if out_name is None:
        raise ModelImportError(f"{source} has no output")
    b.make_head(out_name, source)
    imported = b.finish(source)
    imported.max_diff = compare(imported.model, reference, x)
    if imported.max_diff > 1e-3 * max(1.0, float(reference.abs().max())):
        raise ModelImportError(f"the imported model does not compute what {source} computes "
                               f"(outputs differ by {imported.max_diff:.3g})")
    imported.meta |= {"source": "", "name": name, "sample_shape": list(input_shape),
                      "kind": "image" if len(input_shape) == 3 else "features",
                      "task": "classification"}
    return imported


def _input_kind(shape: tuple[int, ...]) -> tuple[str, dict[str, Any]]:
    if len(shape) not in INPUT_KINDS:
        raise ModelImportError(f"an input of {len(shape)} axes per sample has no Workbench "
                               "input layer (1: features, 2: steps x features, 3: an image)")
    kind, names = INPUT_KINDS[len(shape)]
    return kind, dict(zip(names, shape, strict=True))


_SIZE_METHODS = {"size", "dim", "numel"}


def _shape_like(node: fx.Node, known: set[fx.Node]) -> bool:
    """A size, a shape, or arithmetic on them (what a view's arguments are made of)."""
    if node.op == "call_method" and node.target in _SIZE_METHODS:
        return True
    if node.op == "call_function" and node.target is getattr:
        return node.args[1] == "shape"
    return node.op == "call_function" and all(a in known for a in node.all_input_nodes
                                              if not _is_tensor(a)) and not any(
        _is_tensor(a) for a in node.all_input_nodes)


def _is_tensor(node: fx.Node) -> bool:
    meta = node.meta.get("tensor_meta")
    return meta is not None and hasattr(meta, "shape")


def _shape(node: fx.Node) -> tuple[int, ...]:
    return tuple(node.meta["tensor_meta"].shape)


def _flat(obj: Any) -> list[Any]:
    if isinstance(obj, list | tuple):
        return [y for x in obj for y in _flat(x)]
    if isinstance(obj, dict):
        return [y for x in obj.values() for y in _flat(x)]
    return [obj]


def _hint(node: fx.Node) -> str:
    return str(node.target) if node.op == "call_module" else node.name


def _refuse(node: fx.Node, why: str) -> None:
    what = node.target if node.op == "call_module" else getattr(node.target, "__name__",
                                                                str(node.target))
    raise ModelImportError(f"node '{node.name}' ({what}) {why}; it has no Workbench layer",
                           node=node.name)


def _short(e: BaseException) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return text[:200]


# -- modules -------------------------------------------------------------------------------
def _conv(m: nn.Module, node: fx.Node) -> Mapped:
    if m.padding_mode != "zeros":
        _refuse(node, f"pads with '{m.padding_mode}'")
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
        _refuse(node, "is a BatchNorm without affine weights or running statistics")
    return (type(m).__name__, {"num_features": m.num_features, "eps": m.eps,
                               "momentum": m.momentum if m.momentum is not None else 0.1},
            m.state_dict())


def _layer_norm(m: nn.LayerNorm, node: fx.Node) -> Mapped:
    if len(m.normalized_shape) != 1 or not m.elementwise_affine or m.bias is None:
        _refuse(node, "normalizes over more than the last axis, or without weights")
    return "LayerNorm", {"normalized_size": m.normalized_shape[0], "eps": m.eps}, m.state_dict()


def _group_norm(m: nn.GroupNorm, node: fx.Node) -> Mapped:
    if not math.isclose(m.eps, 1e-5):
        _refuse(node, f"uses eps {m.eps} (Workbench's GroupNorm uses 1e-5)")
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
    return _reshape(node)


def _plain(kind: str, **attrs: str) -> Callable[[nn.Module, fx.Node], Mapped]:
    def mapper(m: nn.Module, node: fx.Node) -> Mapped:
        return kind, {p: getattr(m, a) for p, a in attrs.items()}, None
    return mapper


def _softmax_module(kind: str) -> Callable[[nn.Module, fx.Node], Mapped]:
    def mapper(m: nn.Module, node: fx.Node) -> Mapped:
        return kind, {"dim": per_sample_dim(m.dim, len(_shape(node)), node)}, None
    return mapper


def _upsample(m: nn.Upsample, node: fx.Node) -> Mapped:
    if m.size is not None or m.mode not in ("nearest", "bilinear") or m.align_corners:
        _refuse(node, "resizes to a fixed size or with a mode other than nearest/bilinear")
    scale = m.scale_factor if not isinstance(m.scale_factor, tuple) else \
        square(m.scale_factor, "scale", node)
    return "Upsample", {"scale_factor": float(scale), "mode": m.mode}, None


MODULES: dict[type, Callable[[Any, fx.Node], Mapped | None]] = {
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


# -- functions and methods -------------------------------------------------------------------
def _arg(node: fx.Node, index: int, name: str, default: Any = None) -> Any:
    if name in node.kwargs:
        return node.kwargs[name]
    return node.args[index] if len(node.args) > index else default


def _reshape(node: fx.Node) -> Mapped | None:
    """flatten / view / reshape, judged by the shapes: (B, ...) -> (B, N) is a Flatten."""
    src = next(a for a in node.all_input_nodes if _is_tensor(a))
    before, after = _shape(src), _shape(node)
    if after == before:
        return None
    if not after or after[0] != before[0]:
        _refuse(node, f"reshapes {before} into {after}, across the batch axis")
    if len(after) == 2:
        return "Flatten", {}, None
    return "Reshape", {"shape": list(after[1:])}, None


def _mean(node: fx.Node) -> Mapped | None:
    dims = _arg(node, 1, "dim")
    shape = _shape(next(iter(node.all_input_nodes)))
    dims = [dims] if isinstance(dims, int) else list(dims or [])
    if len(shape) == 4 and sorted(d % 4 for d in dims) == [2, 3]:
        if _arg(node, 2, "keepdim", False):
            return "AdaptiveAvgPool2d", {"output_size": 1}, None
        return "GlobalAvgPool", {}, None
    _refuse(node, f"takes a mean over axes {dims} of {shape}")
    return None


def _cat(node: fx.Node) -> Mapped:
    dim = _arg(node, 1, "dim", 0)
    return "Concatenate", {"axis": per_sample_dim(dim, len(_shape(node)), node)}, None


def _merge(kind: str) -> Callable[[fx.Node], Mapped]:
    def mapper(node: fx.Node) -> Mapped:
        if sum(isinstance(a, fx.Node) and _is_tensor(a) for a in node.args) != 2:
            _refuse(node, f"combines a tensor with a constant ({kind} needs two layers' outputs)")
        return kind, {}, None
    return mapper


def _act(kind: str, **params: tuple[int, str, Any]) -> Callable[[fx.Node], Mapped]:
    def mapper(node: fx.Node) -> Mapped:
        return kind, {p: _arg(node, i, n, d) for p, (i, n, d) in params.items()}, None
    return mapper


def _softmax_fn(kind: str) -> Callable[[fx.Node], Mapped]:
    def mapper(node: fx.Node) -> Mapped:
        return kind, {"dim": per_sample_dim(_arg(node, 1, "dim"), len(_shape(node)), node)}, None
    return mapper


def _pool_fn(kind: str) -> Callable[[fx.Node], Mapped]:
    def mapper(node: fx.Node) -> Mapped:
        k = _arg(node, 1, "kernel_size")
        return kind, pool_params(kind, k, _arg(node, 2, "stride") or k, _arg(node, 3, "padding", 0),
                                 _arg(node, 4, "dilation", 1) if "Max" in kind else 1,
                                 _arg(node, 5 if "Max" in kind else 4, "ceil_mode", False),
                                 _arg(node, 5, "count_include_pad", True) if "Avg" in kind
                                 else True, _arg(node, 6, "divisor_override"), node), None
    return mapper


def _adaptive_fn(kind: str) -> Callable[[fx.Node], Mapped]:
    def mapper(node: fx.Node) -> Mapped:
        return kind, {"output_size": square(_arg(node, 1, "output_size"), "output size",
                                            node)}, None
    return mapper


_ADD, _MUL = _merge("Add"), _merge("Multiply")
_RELU = _act("ReLU")
FUNCTIONS: dict[Any, Callable[[fx.Node], Mapped | None]] = {
    operator.add: _ADD, operator.iadd: _ADD, torch.add: _ADD,
    operator.mul: _MUL, operator.imul: _MUL, torch.mul: _MUL,
    torch.flatten: _reshape, torch.reshape: _reshape, torch.cat: _cat, torch.concat: _cat,
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
    "flatten": _reshape, "view": _reshape, "reshape": _reshape, "mean": _mean,
    "contiguous": lambda n: None,
}


def _map(node: fx.Node, modules: dict[str, nn.Module]) -> Mapped | None:
    if node.op == "call_module":
        m = modules[str(node.target)]
        mapper = MODULES.get(type(m))
        if mapper is None:
            _refuse(node, f"is a {type(m).__name__}")
        return mapper(m, node)  # type: ignore[misc]
    if node.op == "call_function":
        fn = FUNCTIONS.get(node.target)
        if fn is None:
            _refuse(node, "is a function call")
        return fn(node)  # type: ignore[misc]
    fn = METHODS.get(str(node.target))
    if fn is None:
        _refuse(node, "is a tensor method")
    return fn(node)  # type: ignore[misc]
