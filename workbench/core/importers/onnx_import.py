"""ONNX files into Workbench models, with their weights.

The file is run once in onnxruntime on a random batch with every intermediate value as an
output: that gives each value's real shape and folds whatever does not depend on the input
(Constant nodes, initializers, Shape/Gather/Concat chains computing a Reshape's target) into
plain arrays, whatever opset or exporter made the file. The nodes that do depend on the input
are mapped to catalogue kinds; Identity, Cast and other layout-only nodes fall away; anything
else is refused naming its node. The result is checked against onnxruntime's output.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch

from workbench.core.importers import onnx_attention, onnx_fused, onnx_recurrent
from workbench.core.importers.builder import GraphBuilder, ImportedModel, compare, describe
from workbench.core.importers.errors import ModelImportError
from workbench.core.importers.folds import fold_recurrent
from workbench.core.importers.mapping import INPUT_KINDS
from workbench.core.importers.onnx_ops import OPS, Context, label


def import_onnx(path: str | Path, input_shape: tuple[int, ...] | None = None) -> ImportedModel:
    import onnx

    path = Path(path)
    if not path.is_file():
        raise ModelImportError(f"{path} does not exist")
    try:
        model = onnx.load(str(path))
    except Exception as e:
        raise ModelImportError(f"{path.name} is not an ONNX model ({_short(e)})") from None
    graph = model.graph
    opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 0)
    inits = {i.name: onnx.numpy_helper.to_array(i) for i in graph.initializer}
    inputs = [i for i in graph.input if i.name not in inits]  # old exporters list weights too
    if len(inputs) != 1:
        raise ModelImportError(f"{path.name} has {len(inputs)} inputs "
                               f"({', '.join(i.name for i in inputs)}); a Workbench model has one")
    dims = [d.dim_value if d.HasField("dim_value") else None
            for d in inputs[0].type.tensor_type.shape.dim]
    shape = tuple(input_shape) if input_shape else tuple(dims[1:])
    if not dims or any(s is None or s < 1 for s in shape):
        raise ModelImportError(f"{path.name} does not fix the size of its input "
                               f"{inputs[0].name} ({dims}); give it, e.g. --input-shape 3,224,224")
    if len(shape) not in INPUT_KINDS:
        raise ModelImportError(f"an input of {len(shape)} axes per sample has no Workbench input")
    batch = dims[0] if dims[0] else 2
    tokens = inputs[0].type.tensor_type.elem_type in (onnx.TensorProto.INT64,
                                                       onnx.TensorProto.INT32)
    rng = np.random.default_rng(0)
    if tokens:  # token ids: 0 and 1 are in every vocabulary
        if len(shape) != 1:
            raise ModelImportError(f"{path.name} takes whole numbers of shape {shape}; only a "
                                   "sequence of token ids per sample can be imported")
        x = rng.integers(0, 2, (batch, *shape)).astype(
            np.int64 if inputs[0].type.tensor_type.elem_type == onnx.TensorProto.INT64
            else np.int32)
    else:
        x = rng.standard_normal((batch, *shape)).astype(np.float32)
    values = _run_all(model, inputs[0].name, x, path.name)
    values[inputs[0].name] = x

    b = GraphBuilder(graph.name or path.stem)
    kind, names = INPUT_KINDS[len(shape)]
    params = dict(zip(names, shape, strict=True))
    if tokens:  # the vocabulary size comes from the embedding table (onnx_ops.gather)
        kind, params = "TokenInput", {"length": shape[0], "vocab_size": 2}
    ctx = Context(b, inits, values, opset, _uses(graph))
    ctx.data[inputs[0].name] = b.add(kind, params, [], "input")
    data = _data_values(graph, inputs[0].name)
    fused = onnx_fused.find(graph, values, data)
    if tokens:
        onnx_fused.find_last_real_step(graph, values, data, inputs[0].name, fused)
    onnx_attention.find(graph, values, data, batch, inits, fused,
                        inputs[0].name if tokens else None)
    for node in graph.node:
        if label(node) in fused.inside:
            continue
        if label(node) in fused.ends:
            srcs, kind, params, weights = fused.ends[label(node)]
            if kind == "LastRealStep":
                onnx_recurrent.last_real_step(ctx, node, srcs[0], params["mode"],
                                              inputs[0].name)
            else:
                ctx.add(node, kind, params, inputs=srcs, weights=weights)
            continue
        data_in = [i for i in node.input if i in ctx.data]
        if not data_in or node.op_type in ("Shape", "Size"):
            continue  # a constant: onnxruntime computed it, ``values`` holds it
        if any(i in ctx.views for i in data_in) and node.op_type not in onnx_recurrent.VIEW_OPS:
            raise ModelImportError(f"node '{node.name or node.output[0]}' ({node.op_type}) "
                                   "works on a time-major sequence; Workbench's layers take "
                                   "sequences batch first", node=node.name or node.output[0])
        handler = OPS.get(node.op_type) or (onnx_recurrent.recurrent if node.op_type in
                                            onnx_recurrent.RECURRENT_OPS else None)
        if handler is None:
            raise ModelImportError(f"node '{node.name or node.output[0]}' ({node.op_type}) "
                                   "has no Workbench layer", node=node.name or node.output[0])
        handler(ctx, node)
    out = graph.output[0].name
    if out not in ctx.data:
        raise ModelImportError(f"the output {out} of {path.name} does not depend on its input")
    if len(graph.output) > 1:
        b.notes.append(f"{path.name} has {len(graph.output)} outputs; imported the first, {out}")
    last = ctx.data[out]
    softmax = None
    if b.spec.node(last).kind in ("Softmax", "LogSoftmax"):  # a head gives logits
        softmax = b.spec.node(last).kind
        prev = b.spec.inputs_of(last)[0].src
        b.spec.remove_node(last)
        last = prev
        b.notes.append(f"the final {softmax} is left out: a classification head gives scores "
                       "(logits), and predictions apply the softmax themselves")
    fold_recurrent(b.spec, b.weights)
    b.make_head(last if b.spec.has_node(last) else _end(b), path.name)
    imported = b.finish(path.name)
    reference = torch.from_numpy(np.asarray(values[out]))
    if softmax:
        reference = torch.log(reference.clamp_min(1e-30)) if softmax == "Softmax" else reference
        reference = reference - reference.mean(dim=-1, keepdim=True)
        check = _Centred(imported.model)
    else:
        check = imported.model
    imported.max_diff = compare(check, reference, torch.from_numpy(x).long() if tokens
                                else torch.from_numpy(x))
    if imported.max_diff > 1e-3 * max(1.0, float(reference.abs().max())):
        raise ModelImportError(f"the imported model does not compute what {path.name} computes "
                               f"in onnxruntime (outputs differ by {imported.max_diff:.3g})")
    describe(imported, path.stem, "tokens" if tokens else "image" if len(shape) == 3
             else "features", shape)
    return imported


def _end(b: GraphBuilder) -> str:
    """The one node nothing reads (after folds removed the last one)."""
    return next(n.name for n in reversed(b.spec.nodes) if not b.spec.outputs_of(n.name))


class _Centred(torch.nn.Module):
    """Logits compared with log-probabilities up to a per-sample constant (mean-centred)."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = torch.log_softmax(self.model(x), dim=-1)
        return y - y.mean(dim=-1, keepdim=True)


def _data_values(graph: Any, input_name: str) -> set[str]:
    """The values that depend on the input (the rest onnxruntime computed as constants)."""
    data = {input_name}
    for node in graph.node:
        if node.op_type not in ("Shape", "Size") and any(i in data for i in node.input):
            data |= {o for o in node.output if o}
    return data


def _uses(graph: Any) -> dict[str, int]:
    uses: dict[str, int] = {}
    for node in graph.node:
        if node.op_type in ("Shape", "Size"):
            continue  # sizes only: not a use of the data
        for i in node.input:
            uses[i] = uses.get(i, 0) + 1
    for o in graph.output:
        uses[o.name] = uses.get(o.name, 0) + 1
    return uses


def _run_all(model: Any, input_name: str, x: np.ndarray, where: str) -> dict[str, np.ndarray]:
    """Every node output's value for input ``x``, from onnxruntime."""
    import onnx
    import onnxruntime as ort

    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    known = {o.name for o in probe.graph.output}
    for node in probe.graph.node:
        for name in node.output:
            if name and name not in known:
                probe.graph.output.append(onnx.ValueInfoProto(name=name))
                known.add(name)
    opts = ort.SessionOptions()
    opts.log_severity_level = 3
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    try:
        session = ort.InferenceSession(probe.SerializeToString(), opts,
                                       providers=["CPUExecutionProvider"])
        names = [o.name for o in session.get_outputs()]
        results = session.run(names, {input_name: x})
    except Exception as e:
        raise ModelImportError(f"onnxruntime cannot run {where} ({_short(e)}); it is not a "
                               "valid ONNX model, or its input is not "
                               f"{' x '.join(map(str, x.shape[1:]))}") from None
    return dict(zip(names, results, strict=True))


def _short(e: BaseException) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return text[:200]


__all__ = ["import_onnx"]
