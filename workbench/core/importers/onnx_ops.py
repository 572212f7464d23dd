"""One handler per ONNX operator the catalogue can express. Each reads the node's attributes
and constant inputs and adds the catalogue node (or passes its input through)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from workbench.core.importers.builder import GraphBuilder
from workbench.core.importers.errors import ModelImportError
from workbench.core.importers.mapping import per_sample_dim, pool_params, square


@dataclass
class Context:
    b: GraphBuilder
    inits: dict[str, np.ndarray]
    values: dict[str, np.ndarray]  # every node output, from onnxruntime
    opset: int
    uses: dict[str, int]
    data: dict[str, str] = field(default_factory=dict)  # ONNX value -> Workbench node
    # values that are time-major views of their node around LSTM/GRU (onnx_recurrent)
    views: dict[str, str] = field(default_factory=dict)

    def const(self, node: Any, index: int) -> np.ndarray | None:
        """Input ``index`` as an array (None when absent); refused when it is data."""
        if index >= len(node.input) or not node.input[index]:
            return None
        name = node.input[index]
        if name in self.data:
            raise ModelImportError(f"node '{label(node)}' ({node.op_type}) takes a layer's output "
                                   f"as its input {index + 1}, where Workbench needs a constant",
                                   node=label(node))
        return self.inits[name] if name in self.inits else self.values[name]

    def shape(self, name: str) -> tuple[int, ...]:
        return tuple(np.asarray(self.values[name] if name in self.values else
                                self.inits[name]).shape)

    def add(self, node: Any, kind: str, params: dict[str, Any], inputs: list[str] | None = None,
            weights: dict[str, Any] | None = None) -> str:
        srcs = [self.data[i] for i in (inputs if inputs is not None else [node.input[0]])]
        tensors = {k: torch.from_numpy(np.array(v, dtype=np.float32 if k != "num_batches_tracked"
                                                else np.int64))
                   for k, v in (weights or {}).items()}
        name = self.b.add(kind, params, srcs, label(node), tensors)
        self.data[node.output[0]] = name
        return name

    def alias(self, node: Any) -> None:
        self.data[node.output[0]] = self.data[node.input[0]]


def label(node: Any) -> str:
    return node.name or node.output[0]


def attrs(node: Any) -> dict[str, Any]:
    import onnx

    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def refuse(node: Any, why: str) -> None:
    raise ModelImportError(f"node '{label(node)}' ({node.op_type}) {why}", node=label(node))


def _text(v: Any) -> str:
    return v.decode() if isinstance(v, bytes) else str(v)


# -- convolution and dense -------------------------------------------------------------------
def _padding(node: Any, a: dict[str, Any], dims: int, kernel: int, stride: int) -> int | str:
    auto = _text(a.get("auto_pad", "NOTSET"))
    if auto == "VALID":
        return 0
    if auto in ("SAME_UPPER", "SAME_LOWER"):
        if stride == 1 and kernel % 2:
            return (kernel - 1) // 2
        refuse(node, f"pads {auto} with an even window or a stride; Workbench pads evenly")
    pads = list(a.get("pads", [0] * 2 * dims))
    if pads[:dims] != pads[dims:]:
        refuse(node, f"pads unevenly ({pads}); Workbench pads both sides alike")
    return square(pads[:dims], "padding", label(node))


def conv(ctx: Context, node: Any) -> None:
    a = attrs(node)
    w = ctx.const(node, 1)
    bias = ctx.const(node, 2)
    dims = w.ndim - 2
    transposed = node.op_type == "ConvTranspose"
    if dims not in ((2,) if transposed else (1, 2)):
        refuse(node, f"is a {dims}-D convolution")
    group = int(a.get("group", 1))
    k = square(list(w.shape[2:]), "kernel", label(node))
    stride = square(list(a.get("strides", [1] * dims)), "stride", label(node))
    params: dict[str, Any] = {
        "kernel_size": k, "stride": stride, "padding": _padding(node, a, dims, k, stride),
        "dilation": square(list(a.get("dilations", [1] * dims)), "dilation", label(node)),
        "groups": group, "bias": bias is not None}
    if transposed:
        if "output_shape" in a:
            refuse(node, "sets an output_shape")
        params.update(out_channels=w.shape[1] * group, in_channels=w.shape[0],
                      output_padding=square(list(a.get("output_padding", [0] * dims)),
                                            "output padding", label(node)))
        kind = "ConvTranspose2d"
    else:
        params.update(out_channels=w.shape[0], in_channels=w.shape[1] * group)
        kind = f"Conv{dims}d"
    weights = {"weight": w} | ({"bias": bias} if bias is not None else {})
    ctx.add(node, kind, params, weights=weights)


def gemm(ctx: Context, node: Any) -> None:
    a = attrs(node)
    if a.get("transA", 0):
        refuse(node, "transposes its input")
    w = ctx.const(node, 1)
    w = w if a.get("transB", 0) else w.T
    w = w * a.get("alpha", 1.0)
    c = ctx.const(node, 2)
    weights = {"weight": w}
    if c is not None:
        weights["bias"] = np.broadcast_to(c * a.get("beta", 1.0), (w.shape[0],)).copy()
    ctx.add(node, "Linear", {"out_features": w.shape[0], "in_features": w.shape[1],
                             "bias": c is not None}, weights=weights)


def matmul(ctx: Context, node: Any) -> None:
    w = ctx.const(node, 1)
    if w.ndim != 2:
        refuse(node, "multiplies by more than a matrix")
    ctx.add(node, "Linear", {"out_features": w.shape[1], "in_features": w.shape[0],
                             "bias": False}, weights={"weight": w.T})


def add(ctx: Context, node: Any) -> None:
    data = [i for i in node.input if i in ctx.data]
    if len(data) == 2:
        ctx.add(node, "Add", {}, inputs=data)
        return
    # a constant added to a layer without bias (MatMul + Add, Conv + Add): that bias
    src = data[0]
    other = node.input[1] if node.input[0] == src else node.input[0]
    c = ctx.inits[other] if other in ctx.inits else ctx.values[other]
    name = ctx.data[src]
    spec_node = ctx.b.spec.node(name)
    out = spec_node.params.get("out_features", spec_node.params.get("out_channels"))
    if (spec_node.kind in ("Linear", "Conv1d", "Conv2d") and not spec_node.params["bias"]
            and ctx.uses.get(src, 0) == 1 and out is not None and c.size == out):
        spec_node.params["bias"] = True
        ctx.b.weights[f"{name}.bias"] = torch.from_numpy(
            np.array(c, dtype=np.float32).reshape(out))
        ctx.data[node.output[0]] = name
        return
    from workbench.core.importers import onnx_attention

    if onnx_attention.positions(ctx, node, src, c):
        return
    refuse(node, "adds a constant; Workbench adds only layers' outputs (or a layer's bias)")


def multiply(ctx: Context, node: Any) -> None:
    data = [i for i in node.input if i in ctx.data]
    if len(data) != 2:
        refuse(node, "multiplies by a constant; Workbench's Multiply takes two layers' outputs")
    ctx.add(node, "Multiply", {}, inputs=data)


def concat(ctx: Context, node: Any) -> None:
    from workbench.core.importers import onnx_attention

    if onnx_attention.class_token(ctx, node):
        return
    if any(i not in ctx.data for i in node.input):
        refuse(node, "joins a constant")
    rank = len(ctx.shape(node.output[0]))
    ctx.add(node, "Concatenate", {"axis": per_sample_dim(attrs(node)["axis"], rank, label(node))},
            inputs=list(node.input))


# -- activations -----------------------------------------------------------------------------
def simple(kind: str, **defaults: tuple[str, Any]) -> Callable[[Context, Any], None]:
    def handler(ctx: Context, node: Any) -> None:
        a = attrs(node)
        ctx.add(node, kind, {p: a.get(n, d) for p, (n, d) in defaults.items()})
    return handler


def clip(ctx: Context, node: Any) -> None:
    a = attrs(node)
    lo, hi = a.get("min"), a.get("max")
    if ctx.opset >= 11:
        lo_v, hi_v = ctx.const(node, 1), ctx.const(node, 2)
        lo = float(lo_v) if lo_v is not None else None
        hi = float(hi_v) if hi_v is not None else None
    if lo == 0 and hi == 6:
        ctx.add(node, "ReLU6", {})
    elif lo == 0 and (hi is None or math.isinf(hi) or hi > 3e38):
        ctx.add(node, "ReLU", {})
    else:
        refuse(node, f"clips to [{lo}, {hi}]; Workbench has ReLU (0, inf) and ReLU6 (0, 6)")


def hard_sigmoid(ctx: Context, node: Any) -> None:
    a = attrs(node)
    if not (math.isclose(a.get("alpha", 0.2), 1 / 6, rel_tol=1e-4)
            and math.isclose(a.get("beta", 0.5), 0.5)):
        refuse(node, "uses a slope other than torch's Hardsigmoid (alpha 1/6, beta 0.5)")
    ctx.add(node, "Hardsigmoid", {})


def gelu(ctx: Context, node: Any) -> None:
    ctx.add(node, "GELU", {"approximate": _text(attrs(node).get("approximate", "none"))})


def softmax(ctx: Context, node: Any) -> None:
    rank = len(ctx.shape(node.output[0]))
    axis = attrs(node).get("axis", 1 if ctx.opset < 13 else -1)
    axis = axis if axis >= 0 else axis + rank
    if ctx.opset < 13 and axis != rank - 1:  # older softmax flattens from the axis on
        refuse(node, f"normalizes axes {axis} to {rank - 1} together")
    kind = "Softmax" if node.op_type == "Softmax" else "LogSoftmax"
    ctx.add(node, kind, {"dim": per_sample_dim(axis, rank, label(node))})


# -- pooling, normalization, shapes ------------------------------------------------------------
def pool(ctx: Context, node: Any) -> None:
    a = attrs(node)
    if len(node.output) > 1 and node.output[1] and ctx.uses.get(node.output[1]):
        refuse(node, "returns the positions of the maxima")
    rank = len(ctx.shape(node.input[0]))
    dims = rank - 2
    if dims not in (1, 2) or _text(a.get("auto_pad", "NOTSET")) not in ("NOTSET", "VALID"):
        refuse(node, f"pools over {dims} axes or pads automatically")
    kind = ("MaxPool" if node.op_type == "MaxPool" else "AvgPool") + f"{dims}d"
    k = list(a["kernel_shape"])
    pads = list(a.get("pads", [0] * 2 * dims))
    if pads[:dims] != pads[dims:]:
        refuse(node, f"pads unevenly ({pads})")
    ctx.add(node, kind, pool_params(kind, k, list(a.get("strides", [1] * dims)), pads[:dims],
                                    list(a.get("dilations", [1] * dims)),
                                    bool(a.get("ceil_mode", 0)),
                                    bool(a.get("count_include_pad", 0)), None, label(node)))


def global_pool(ctx: Context, node: Any) -> None:
    if len(ctx.shape(node.input[0])) != 4:
        refuse(node, "pools something other than an image")
    kind = "AdaptiveAvgPool2d" if node.op_type == "GlobalAveragePool" else "AdaptiveMaxPool2d"
    ctx.add(node, kind, {"output_size": 1})


def reduce_mean(ctx: Context, node: Any) -> None:
    """A mean over an image's height and width: the global average pool (newer exporters)."""
    a = attrs(node)
    axes = a.get("axes")
    if axes is None and len(node.input) > 1:
        axes = ctx.const(node, 1)
    rank = len(ctx.shape(node.input[0]))
    axes = sorted(int(x) % rank for x in np.atleast_1d(axes)) if axes is not None else []
    keep = a.get("keepdims", 1)
    if rank >= 3 and axes == list(range(2, rank)) and not keep:
        ctx.add(node, "GlobalAvgPool", {})  # every axis after the channels
    elif rank == 4 and axes == [2, 3] and keep:
        ctx.add(node, "AdaptiveAvgPool2d", {"output_size": 1})
    elif rank == 3 and axes == [1] and not keep:
        ctx.add(node, "SequencePool", {"mode": "mean"})  # the mean over a sequence's steps
    else:
        refuse(node, f"takes a mean over axes {axes} of a {rank}-axis tensor")


def batch_norm(ctx: Context, node: Any) -> None:
    a = attrs(node)
    if not a.get("spatial", 1) or a.get("training_mode", 0):
        refuse(node, "normalizes per position or in training mode")
    if len(node.output) > 1 and any(ctx.uses.get(o) for o in node.output[1:] if o):
        refuse(node, "returns running statistics")
    rank = len(ctx.shape(node.input[0]))
    scale, bias, mean, var = (ctx.const(node, i) for i in range(1, 5))
    kind = "BatchNorm2d" if rank == 4 else "BatchNorm1d"
    if rank not in (2, 3, 4):
        refuse(node, f"normalizes a {rank}-axis tensor")
    ctx.add(node, kind, {"num_features": scale.shape[0], "eps": float(a.get("epsilon", 1e-5))},
            weights={"weight": scale, "bias": bias, "running_mean": mean, "running_var": var,
                     "num_batches_tracked": np.array(0)})


def layer_norm(ctx: Context, node: Any) -> None:
    a = attrs(node)
    rank = len(ctx.shape(node.input[0]))
    if a.get("axis", -1) not in (-1, rank - 1):
        refuse(node, "normalizes over more than the last axis")
    scale = ctx.const(node, 1)
    bias = ctx.const(node, 2)
    if bias is None:
        bias = np.zeros_like(scale)
        ctx.b.notes.append(f"LayerNormalization '{label(node)}' has no bias: imported with "
                           "a zero (learnable) one")
    ctx.add(node, "LayerNorm", {"normalized_size": scale.shape[-1],
                                "eps": float(a.get("epsilon", 1e-5))},
            weights={"weight": scale, "bias": bias})


def reshape(ctx: Context, node: Any) -> None:
    """Reshape, Flatten, Squeeze, Unsqueeze: judged by the real shapes before and after."""
    from workbench.core.importers import onnx_recurrent

    if onnx_recurrent.reshape(ctx, node):
        return
    before, after = ctx.shape(node.input[0]), ctx.shape(node.output[0])
    if after == before:
        ctx.alias(node)
    elif not after or after[0] != before[0]:
        refuse(node, f"reshapes {before} into {after}, across the batch axis")
    elif len(after) == 2:
        ctx.add(node, "Flatten", {})
    else:
        ctx.add(node, "Reshape", {"shape": list(after[1:])})


def transpose(ctx: Context, node: Any) -> None:
    from workbench.core.importers import onnx_attention, onnx_recurrent

    if onnx_recurrent.transpose(ctx, node) or onnx_attention.patches(ctx, node):
        return
    perm = list(attrs(node).get("perm", []))
    if perm != sorted(perm):
        refuse(node, f"transposes axes {perm}; Workbench's layers keep the axes in order")
    ctx.alias(node)


def dropout(ctx: Context, node: Any) -> None:
    ratio = attrs(node).get("ratio", 0.5)
    if ctx.opset >= 12:
        r = ctx.const(node, 1)
        ratio = float(r) if r is not None else 0.5
    ctx.add(node, "Dropout", {"p": round(float(ratio), 6)})


def gather(ctx: Context, node: Any) -> None:
    """An embedding table looked up by the token ids: an Embedding (the input's vocabulary
    is the table's length)."""
    from workbench.core.importers import onnx_recurrent

    if onnx_recurrent.gather(ctx, node):
        return
    if attrs(node).get("axis", 0) != 0:
        refuse(node, "gathers along an axis other than the table's rows")
    table = ctx.const(node, 0)
    src = ctx.b.spec.node(ctx.data[node.input[1]])
    if table.ndim != 2 or src.kind != "TokenInput":
        refuse(node, "looks up something other than token ids in a table")
    src.params["vocab_size"] = int(table.shape[0])
    pad = not np.any(table[0])  # an all-zero row for <pad> (id 0): torch's padding_idx=0
    ctx.add(node, "Embedding", {"embedding_dim": int(table.shape[1]),
                                "num_embeddings": int(table.shape[0]),
                                "padding_idx": 0 if pad else -1},
            inputs=[node.input[1]], weights={"weight": table})


def identity(ctx: Context, node: Any) -> None:
    ctx.alias(node)


OPS: dict[str, Callable[[Context, Any], None]] = {
    "Conv": conv, "ConvTranspose": conv, "Gemm": gemm, "MatMul": matmul, "Add": add,
    "Sum": add, "Mul": multiply, "Concat": concat,
    "Relu": simple("ReLU"), "Sigmoid": simple("Sigmoid"), "Tanh": simple("Tanh"),
    "LeakyRelu": simple("LeakyReLU", negative_slope=("alpha", 0.01)),
    "Elu": simple("ELU", alpha=("alpha", 1.0)), "HardSwish": simple("Hardswish"),
    "HardSigmoid": hard_sigmoid, "Clip": clip, "Gelu": gelu, "Softmax": softmax,
    "LogSoftmax": softmax, "MaxPool": pool, "AveragePool": pool,
    "GlobalAveragePool": global_pool, "ReduceMean": reduce_mean, "GlobalMaxPool": global_pool,
    "BatchNormalization": batch_norm, "LayerNormalization": layer_norm,
    "Flatten": reshape, "Reshape": reshape, "Squeeze": reshape, "Unsqueeze": reshape,
    "Transpose": transpose, "Gather": gather, "Dropout": dropout, "Identity": identity, "Cast": identity,
}
