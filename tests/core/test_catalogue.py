"""Every layer kind in the catalogue builds, infers shapes, writes code and reports errors."""

from __future__ import annotations

import pytest
import torch

from workbench.core.graph import ModelSpec, analyze, build_model
from workbench.core.layers import AUTO, CATALOGUE, GROUPS, get_kind

# a per-sample input that each non-input kind accepts, and the input kind that produces it
VALID_INPUT = {
    "Linear": ("FeatureInput", {"features": 12}),
    "Flatten": ("ImageInput", {"channels": 2, "height": 6, "width": 6}),
    "Reshape": ("FeatureInput", {"features": 784}),
    "Dropout": ("FeatureInput", {"features": 12}),
    "Conv1d": ("SequenceInput", {"length": 4, "features": 16}),  # channels x length = 4 x 16
    "Conv2d": ("ImageInput", {"channels": 3, "height": 12, "width": 12}),
    "MaxPool1d": ("SequenceInput", {"length": 4, "features": 16}),
    "MaxPool2d": ("ImageInput", {"channels": 3, "height": 12, "width": 12}),
    "AvgPool2d": ("ImageInput", {"channels": 3, "height": 12, "width": 12}),
    "AdaptiveAvgPool2d": ("ImageInput", {"channels": 3, "height": 12, "width": 12}),
    "GlobalAvgPool": ("ImageInput", {"channels": 3, "height": 12, "width": 12}),
    "BatchNorm1d": ("FeatureInput", {"features": 12}),
    "BatchNorm2d": ("ImageInput", {"channels": 3, "height": 12, "width": 12}),
    "LayerNorm": ("SequenceInput", {"length": 5, "features": 16}),
    "Embedding": ("TokenInput", {"vocab_size": 50, "length": 7}),
    "RNN": ("SequenceInput", {"length": 5, "features": 16}),
    "LSTM": ("SequenceInput", {"length": 5, "features": 16}),
    "GRU": ("SequenceInput", {"length": 5, "features": 16}),
    "PositionalEncoding": ("SequenceInput", {"length": 5, "features": 16}),
    "PatchEmbedding": ("ImageInput", {"channels": 1, "height": 28, "width": 28}),
    "ClassToken": ("SequenceInput", {"length": 5, "features": 16}),
    "MultiHeadAttention": ("SequenceInput", {"length": 5, "features": 16}),
    "TransformerEncoder": ("SequenceInput", {"length": 5, "features": 16}),
    "CausalDecoder": ("SequenceInput", {"length": 5, "features": 16}),
    "SequencePool": ("SequenceInput", {"length": 5, "features": 16}),
    "Add": ("FeatureInput", {"features": 12}),
    "Concatenate": ("FeatureInput", {"features": 12}),
    "ClassificationHead": ("FeatureInput", {"features": 12}),
    "RegressionHead": ("FeatureInput", {"features": 12}),
}
SMALL = {"TransformerEncoder": {"heads": 4, "ff_dim": 32}, "CausalDecoder": {"heads": 4, "ff_dim": 32},
         "MultiHeadAttention": {"heads": 4}, "Reshape": {"shape": [1, 28, 28]}}
ACTIVATIONS = [k for k, v in CATALOGUE.items() if v.group == "Activation"]


def one_layer_model(kind: str) -> ModelSpec:
    """input -> [kind] -> flatten -> head, so the layer is trained end to end."""
    k = get_kind(kind)
    spec = ModelSpec(name=f"{kind} test")
    if k.is_input:
        spec.add_node(kind, "inp")
        last = "inp"
        if k.data_kind == "tokens":
            spec.add_node("Embedding", "embed", {"embedding_dim": 8})
            spec.connect("inp", "embed")
            last = "embed"
    else:
        in_kind, in_params = VALID_INPUT.get(kind, ("FeatureInput", {"features": 12}))
        spec.add_node(in_kind, "inp", in_params)
        spec.add_node(kind, "layer", SMALL.get(kind, {}))
        if k.required_inputs > 1:
            spec.connect("inp", "layer", "in1")
            spec.connect("inp", "layer", "in2")
        else:
            spec.connect("inp", "layer")
        last = "layer"
    if not k.is_output:
        spec.add_node("Flatten", "flat")
        spec.add_node("ClassificationHead", "head", {"classes": 3})
        spec.connect(last, "flat")
        spec.connect("flat", "head")
    return spec


def test_catalogue_covers_the_issue_and_groups_are_known():
    wanted = {"ImageInput", "FeatureInput", "TokenInput", "SequenceInput", "ImageRows",
              "ImagePatches", "Linear", "Flatten", "Reshape", "Dropout", "ReLU", "LeakyReLU",
              "GELU", "SiLU", "Tanh", "Sigmoid", "Softmax", "LogSoftmax", "Conv1d", "Conv2d",
              "MaxPool1d", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "GlobalAvgPool",
              "BatchNorm1d", "BatchNorm2d", "LayerNorm", "Embedding", "RNN", "LSTM", "GRU",
              "PositionalEncoding", "PatchEmbedding", "ClassToken", "MultiHeadAttention",
              "TransformerEncoder", "CausalDecoder", "SequencePool", "Add", "Concatenate",
              "ClassificationHead", "RegressionHead"}
    assert wanted <= set(CATALOGUE)
    for kind in CATALOGUE.values():
        assert kind.group in GROUPS
        assert kind.help and kind.title
        for p in kind.params:
            assert p.help, (kind.kind, p.name)
            assert p.check(p.default) is None, (kind.kind, p.name)


@pytest.mark.parametrize("kind", sorted(CATALOGUE))
def test_every_kind_builds_infers_trains_and_writes_code(kind):
    spec = one_layer_model(kind)
    analysis = analyze(spec, batch=3)
    assert analysis.ok, [str(p) for p in analysis.problems]
    model = build_model(spec, analysis)
    # the parameter count inference reported is the built module's
    assert sum(p.numel() for p in model.parameters()) == analysis.total_params
    k = get_kind(kind)
    inp = spec.node("inp")
    in_kind = get_kind(inp.kind)
    shape = in_kind.data_shape(in_kind.resolve(inp.params))
    x = (torch.randint(0, 50, (3, *shape)) if in_kind.data_kind == "tokens"
         else torch.randn(3, *shape))
    y = model(x)
    assert tuple(y.shape[1:]) == analysis.nodes[analysis.output_node].out_shape
    y.float().sum().backward()
    if not k.is_input:
        info = analysis.nodes["layer"]
        code = k.code(k.resolve(spec.node("layer").params), list(info.in_shapes))
        assert code.endswith(")") and "(" in code


def _problem_text(spec: ModelSpec) -> str:
    return " | ".join(p.message for p in analyze(spec).problems)


@pytest.mark.parametrize("kind,params,source,needle", [
    ("Conv2d", {}, ("FeatureInput", {"features": 10}), "expects an image"),
    ("Conv2d", {"in_channels": 5}, ("ImageInput", {"channels": 3}), "expects 5 input channels but receives 3"),
    ("Conv2d", {"padding": "same", "stride": 2}, ("ImageInput", {}), "padding 'same' needs stride 1"),
    ("Conv2d", {"groups": 2}, ("ImageInput", {"channels": 3}), "groups=2 must divide"),
    ("Conv2d", {"kernel_size": 9}, ("ImageInput", {"height": 4, "width": 4}), "smaller than its window"),
    ("Linear", {"in_features": 7}, ("FeatureInput", {"features": 12}), "expects 7 input features but receives 12"),
    ("Reshape", {"shape": [5, 5]}, ("FeatureInput", {"features": 12}), "cannot arrange 12 values"),
    ("LSTM", {}, ("ImageInput", {}), "expects a sequence (steps x features)"),
    ("LSTM", {}, ("TokenInput", {}), "add an Embedding layer"),
    ("Embedding", {}, ("ImageInput", {}), "expects a sequence of token ids"),
    ("Embedding", {"num_embeddings": 9}, ("FeatureInput", {}), "expects a sequence of token ids but receives real values"),
    ("Linear", {}, ("TokenInput", {}), "add an Embedding layer"),
    ("TransformerEncoder", {"heads": 5}, ("SequenceInput", {"features": 16}), "5 heads must divide the model width 16"),
    ("PatchEmbedding", {"patch": 5}, ("ImageInput", {}), "does not divide"),
    ("BatchNorm2d", {}, ("FeatureInput", {}), "expects an image"),
    ("PositionalEncoding", {"max_len": 3}, ("SequenceInput", {"length": 8, "features": 4}), "max_len 3 is shorter"),
])
def test_kinds_report_readable_errors(kind, params, source, needle):
    spec = ModelSpec()
    spec.add_node(source[0], "inp", source[1])
    spec.add_node(kind, "layer", params)
    spec.add_node("Flatten", "flat")
    spec.add_node("ClassificationHead", "head")
    spec.connect("inp", "layer")
    spec.connect("layer", "flat")
    spec.connect("flat", "head")
    text = _problem_text(spec)
    assert needle in text
    assert "'layer'" in text  # tied to the node by name
    assert [p.node for p in analyze(spec).errors] == ["layer"]


def test_parameter_range_and_type_errors():
    k = get_kind("Conv2d")
    assert "at least 1" in k.param("out_channels").check(0)
    assert "whole number" in k.param("out_channels").check(2.5)
    assert k.param("in_channels").check(AUTO) is None
    assert k.param("padding").check("same") is None
    assert "one of" in get_kind("GELU").param("approximate").check("fast")
    assert "finite" in get_kind("Dropout").param("p").check(float("nan"))
    assert "at most" in get_kind("Linear").param("out_features").check(10**12)
