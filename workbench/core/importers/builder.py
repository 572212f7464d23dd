"""What every importer builds with: catalogue nodes with their weights, then one check that
the result is a valid Workbench model whose weights fit it exactly.

An importer adds nodes in the order of the source graph (``add``), names the one output
(``finish``), and gets back an ``ImportedModel``: the spec laid out for the canvas, the
weights keyed by the catalogue's module names, and the built model with them loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

from workbench.core.graph import ModelSpec, analyze, build_model
from workbench.core.graph.layout import wrapped_layout
from workbench.core.importers.errors import ModelImportError
from workbench.core.layers import CATALOGUE

MAX_MERGE = 4  # ports of Add / Multiply / Concatenate; more inputs are chained


@dataclass
class ImportedModel:
    """An imported model: spec, weights (catalogue module names), the built module."""

    spec: ModelSpec
    state_dict: dict[str, torch.Tensor]
    model: nn.Module  # built from ``spec``, weights loaded, eval mode
    source: str  # what was imported, e.g. "torchvision:resnet18" or a file name
    notes: list[str] = field(default_factory=list)
    max_diff: float | None = None  # against the original on a random batch, when checked
    meta: dict[str, Any] = field(default_factory=dict)  # the data description, for a bundle

    @property
    def parameters(self) -> int:
        return sum(p.numel() for p in self.model.parameters())

    @property
    def layers(self) -> int:
        return len(self.spec.nodes)


def node_name(hint: str) -> str:
    """A catalogue-valid node name from a source name: 'layer1.0.conv1' -> 'layer1_0_conv1'."""
    name = re.sub(r"\W+", "_", hint).strip("_")[:60] or "layer"
    return name if name[0].isalpha() else "n_" + name


class GraphBuilder:
    def __init__(self, name: str) -> None:
        self.spec = ModelSpec(name=name[:80] or "imported")
        self.weights: dict[str, torch.Tensor] = {}
        self.notes: list[str] = []
        self.classes = 0  # the head's, once made

    def add(self, kind: str, params: dict[str, Any], inputs: list[str], hint: str,
            weights: dict[str, torch.Tensor] | None = None) -> str:
        """A new node of ``kind`` fed by ``inputs`` (node names, in port order); its weights
        are given under the module's own keys ('weight', 'bias', 'running_mean'...)."""
        k = CATALOGUE[kind]
        if k.required_inputs > 1 and len(inputs) > MAX_MERGE:
            # Add/Multiply/Concatenate of many inputs: chain them (same result)
            first = self.add(kind, params, inputs[:MAX_MERGE], hint)
            return self.add(kind, params, [first, *inputs[MAX_MERGE:]], hint)
        if len(inputs) > len(k.inputs):
            raise ModelImportError(f"{hint}: {kind} takes {len(k.inputs)} input(s), "
                                   f"not {len(inputs)}", node=hint)
        name = self.spec.unique_name(node_name(hint) if hint else k.name_base)
        self.spec.add_node(kind, name, params)
        for port, src in zip(k.inputs, inputs, strict=False):
            self.spec.connect(src, name, port)
        for key, value in (weights or {}).items():
            self.weights[f"{name}.{key}"] = value.detach().to(torch.float32).clone() \
                if value.is_floating_point() else value.detach().clone()
        return name

    def make_head(self, name: str, what: str) -> None:
        """Turn the last node, which must be a Linear with a bias, into the classification
        head (a Workbench model ends in an output head; it is an nn.Linear too), or a
        sigmoid/tanh giving images into the image output."""
        node = self.spec.node(name)
        if node.kind == "ImageOutput" or self._image_output(name):
            return
        if node.kind != "Linear" or not node.params.get("bias", True):
            kind = CATALOGUE[node.kind].title
            raise ModelImportError(
                f"{what} ends in {kind} '{name}'; a Workbench model ends in a classification "
                "head, a Linear layer with a bias: only models whose last layer is such a "
                "Linear can be imported", node=name)
        if self.spec.outputs_of(name):
            raise ModelImportError(f"{what}: the last Linear '{name}' also feeds other layers",
                                   node=name)
        self.classes = int(node.params["out_features"])
        node.kind = "ClassificationHead"
        node.params = {"classes": node.params["out_features"],
                       "in_features": node.params.get("in_features", 0)}

    def _image_output(self, name: str) -> bool:
        """A final Sigmoid or Tanh of C x H x W values (C of 1 to 4): the Image output, which
        also does the reshape to the image before it."""
        node = self.spec.node(name)
        if node.kind not in ("Sigmoid", "Tanh") or self.spec.outputs_of(name):
            return False
        nodes = analyze(self.spec, batch=2).nodes
        shape = nodes[name].out_shape if name in nodes else None
        if not shape or len(shape) != 3 or not 1 <= shape[0] <= 4:
            return False
        activation = "sigmoid" if node.kind == "Sigmoid" else "tanh"
        src = self.spec.inputs_of(name)[0].src
        if self.spec.node(src).kind == "Reshape" and len(self.spec.outputs_of(src)) == 1:
            self.spec.remove_node(name)  # the image output does the reshape itself
            name, node = src, self.spec.node(src)
        node.kind = "ImageOutput"
        node.params = {"channels": shape[0], "height": shape[1], "width": shape[2],
                       "activation": activation, "loss": "mse"}
        self.notes.append(f"the final {activation} of {shape[0]} x {shape[1]} x {shape[2]} "
                          f"values is the Image output '{name}'")
        return True

    def finish(self, source: str) -> ImportedModel:
        """Check the model, lay it out and load the weights; ModelImportError when any of it
        does not hold (a bug or a gap of the mapping, named)."""
        analysis = analyze(self.spec, batch=2)
        if not analysis.ok:
            raise ModelImportError(f"the imported model is not valid: {analysis.errors[0]}",
                                   node=analysis.errors[0].node)
        for n, pos in wrapped_layout(self.spec).items():
            self.spec.node(n).pos = pos
        model = build_model(self.spec, analysis)
        expected = model.state_dict()
        missing = [k for k in expected if k not in self.weights]
        extra = [k for k in self.weights if k not in expected]
        if missing or extra:
            raise ModelImportError(
                "the weights do not fit the imported layers: "
                + (f"none for {', '.join(missing[:3])}" if missing else "")
                + (f"; left over {', '.join(extra[:3])}" if extra else ""))
        for key, want in expected.items():
            if tuple(self.weights[key].shape) != tuple(want.shape):
                raise ModelImportError(
                    f"the weights of '{key.split('.')[0]}' do not fit: '{key}' is "
                    f"{tuple(self.weights[key].shape)} but the layer needs {tuple(want.shape)}",
                    node=key.split(".")[0])
            self.weights[key] = self.weights[key].to(want.dtype)
        model.load_state_dict(self.weights, strict=True)
        return ImportedModel(self.spec, dict(self.weights), model.eval(), source,
                             list(self.notes), meta={"num_classes": self.classes})


def describe(imported: ImportedModel, name: str, kind: str, shape: tuple[int, ...]) -> None:
    """The data description a bundle of the import carries: what goes in, the task."""
    out = imported.spec.node(next(n.name for n in reversed(imported.spec.nodes)
                                  if not imported.spec.outputs_of(n.name)))
    per_step = out.kind == "ClassificationHead" and kind == "tokens" and \
        len(imported.spec.nodes) > 1 and _per_step(imported, out.name)
    imported.meta |= {"source": "", "name": name, "kind": kind, "sample_shape": list(shape),
                      "task": "next_token" if per_step else "classification"}
    if out.kind == "ImageOutput":
        imported.meta.pop("num_classes", None)


def _per_step(imported: ImportedModel, head: str) -> bool:
    return len(analyze(imported.spec, batch=1).nodes[head].out_shape or ()) == 2


def compare(imported: nn.Module, reference: torch.Tensor, x: torch.Tensor) -> float:
    """Max abs difference of ``imported(x)`` from the reference output."""
    with torch.no_grad():
        got = imported(x)
    if tuple(got.shape) != tuple(reference.shape):
        raise ModelImportError(f"the imported model gives {tuple(got.shape)} where the original "
                               f"gives {tuple(reference.shape)}")
    return float((got - reference).abs().max()) if got.numel() else 0.0
