"""Build a valid spec into a real ``nn.Module``: a torch.fx GraphModule whose ``forward`` is
straight-line code following the graph (it trains, compiles, exports and reads as Python)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

import torch
from torch import fx, nn

from workbench.core.graph.analysis import Analysis, analyze, resolved_params
from workbench.core.graph.problems import ModelInvalidError
from workbench.core.graph.spec import ModelSpec
from workbench.core.graph.structure import by_name
from workbench.core.layers import CATALOGUE, Shape


@dataclass(frozen=True)
class ModelIO:
    """What a model takes and gives, for matching it with data and choosing a loss."""

    input_node: str
    input_kind: Literal["image", "features", "tokens", "sequence"]
    input_shape: Shape  # per sample, as the data must provide it
    input_dtype: torch.dtype
    vocab_size: int | None  # token inputs
    output_node: str
    task: Literal["classification", "regression", "image"]
    outputs: int  # classes, regression outputs, or an image's C*H*W values
    output_shape: Shape  # per sample, e.g. (10,) or (steps, vocab) for next-token models


def model_io(spec: ModelSpec, analysis: Analysis | None = None) -> ModelIO:
    analysis = analysis or analyze(spec)
    if not analysis.ok or analysis.input_node is None or analysis.output_node is None:
        raise ModelInvalidError(analysis.errors)
    in_kind = CATALOGUE[spec.node(analysis.input_node).kind]
    in_params = resolved_params(spec, analysis.input_node)
    out_kind = CATALOGUE[spec.node(analysis.output_node).kind]
    out_params = resolved_params(spec, analysis.output_node)
    return ModelIO(
        analysis.input_node, in_kind.data_kind, in_kind.data_shape(in_params),  # type: ignore[arg-type,misc]
        torch.long if in_kind.data_kind == "tokens" else torch.float32,
        in_params.get("vocab_size"), analysis.output_node, out_kind.task,  # type: ignore[arg-type]
        _outputs(out_kind.task, out_params),
        analysis.nodes[analysis.output_node].out_shape or ())


def _outputs(task: str | None, params: dict) -> int:
    if task == "image":
        return params["channels"] * params["height"] * params["width"]
    return params["classes" if task == "classification" else "outputs"]


def build_model(spec: ModelSpec, analysis: Analysis | None = None) -> fx.GraphModule:
    """The spec as a trainable module (on the CPU, default initialization).

    Raises ModelInvalidError listing every problem when the spec has errors.
    """
    analysis = analysis or analyze(spec)
    if not analysis.ok:
        raise ModelInvalidError(analysis.errors)
    root = nn.Module()
    graph = fx.Graph()
    values: dict[str, fx.Node] = {}
    # looked up once: spec.node / spec.inputs_of scan the lists, quadratic for a long chain
    index = by_name(spec)
    inputs: dict[str, list] = defaultdict(list)
    for e in spec.edges:
        inputs[e.dst].append(e)
    for name in analysis.order:
        node = index[name]
        kind = CATALOGUE[node.kind]
        info = analysis.nodes[name]
        module = kind.build(resolved_params(spec, name, index), list(info.in_shapes))
        root.add_module(name, module)
        if kind.is_input:
            x = graph.placeholder("x")
            values[name] = graph.call_module(name, (x,))
            continue
        edges = sorted(inputs[name], key=lambda e: kind.inputs.index(e.dst_port))
        values[name] = graph.call_module(name, tuple(values[e.src] for e in edges))
    graph.output(values[analysis.output_node])  # type: ignore[index]
    graph.lint()
    model = fx.GraphModule(root, graph, class_name=_class_name(spec.name))
    return model


def _class_name(name: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in name).split()
    cls = "".join(w[:1].upper() + w[1:] for w in words) or "Model"
    return cls if cls[0].isalpha() else "Model" + cls
