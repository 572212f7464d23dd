"""Every layer kind in the catalogue builds, infers shapes, writes code and reports errors."""

from __future__ import annotations

import pytest
import torch
from layer_rows import ROWS, every_row, example_batch, one_layer_model, rows_for

from workbench.core.graph import ModelSpec, analyze, build_model
from workbench.core.layers import AUTO, CATALOGUE, GROUPS, get_kind


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


def test_every_kind_has_a_test_row():
    missing = sorted(set(CATALOGUE) - set(ROWS))
    assert not missing, f"add a row to tests/layer_rows.py for {missing}"
    assert not set(ROWS) - set(CATALOGUE), "rows for kinds the catalogue no longer has"


@pytest.mark.parametrize("kind,row", every_row())
def test_every_kind_builds_infers_trains_and_writes_code(kind, row):
    spec = one_layer_model(kind, rows_for(kind)[row])
    analysis = analyze(spec, batch=3)
    assert analysis.ok, [str(p) for p in analysis.problems]
    model = build_model(spec, analysis)
    # the parameter count inference reported is the built module's
    assert sum(p.numel() for p in model.parameters()) == analysis.total_params
    k = get_kind(kind)
    x = example_batch(spec)
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
    ("GroupNorm", {"num_groups": 4}, ("ImageInput", {"channels": 6}), "4 groups must divide the 6 channels"),
    ("GroupNorm", {"num_groups": 4}, ("ImageInput", {"channels": 6}), "such as 3"),
    ("ConvTranspose2d", {"stride": 2, "output_padding": 2}, ("ImageInput", {}), "output_padding (2) must be smaller than the stride (2)"),
    ("ConvTranspose2d", {"in_channels": 4}, ("ImageInput", {"channels": 3}), "expects 4 input channels but receives 3"),
    ("Upsample", {"mode": "bilinear"}, ("SequenceInput", {}), "bilinear mode expects an image"),
    ("Upsample", {}, ("FeatureInput", {}), "expects a sequence (channels x length) or an image"),
    ("Dropout2d", {}, ("FeatureInput", {}), "expects an image"),
    ("InstanceNorm2d", {}, ("ImageInput", {"height": 1, "width": 1}), "more than one pixel per channel"),
    ("AdaptiveMaxPool2d", {}, ("FeatureInput", {}), "expects an image"),
    ("Embedding", {"padding_idx": 60}, ("TokenInput", {"vocab_size": 60}), "padding_idx 60 is not a token id"),
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


@pytest.mark.parametrize("second,needle", [
    ((4, 1, 1), None),  # squeeze-excitation: a channel gate
    ((1, 5, 6), None),  # a spatial mask
    ((3, 1, 1), "axis 0 has sizes 4 and 3, and sizes must be equal or 1"),
    ((4, 6, 5), "axis 1 has sizes 5 and 6"),
])
def test_multiply_broadcasts_and_explains_what_does_not(second, needle):
    spec = ModelSpec()
    spec.add_node("ImageInput", "inp", {"channels": 4, "height": 5, "width": 6})
    spec.add_node("Flatten", "flat")
    spec.add_node("Linear", "fc", {"out_features": second[0] * second[1] * second[2]})
    spec.add_node("Reshape", "gate", {"shape": list(second)})
    spec.add_node("Multiply", "layer")
    spec.add_node("Flatten", "flat2")
    spec.add_node("ClassificationHead", "head")
    for a, b in (("inp", "flat"), ("flat", "fc"), ("fc", "gate"), ("layer", "flat2"),
                 ("flat2", "head")):
        spec.connect(a, b)
    spec.connect("inp", "layer", "in1")
    spec.connect("gate", "layer", "in2")
    analysis = analyze(spec, batch=2)
    if needle is None:
        assert analysis.ok, _problem_text(spec)
        assert analysis.nodes["layer"].out_shape == (4, 5, 6)
        x = torch.randn(2, 4, 5, 6)
        model = build_model(spec, analysis)
        gate = model.gate(model.fc(model.flat(x)))
        assert torch.equal(model(x), model.head(model.flat2(x * gate)))
    else:
        assert needle in _problem_text(spec)
        assert [p.node for p in analysis.errors] == ["layer"]


def test_multiply_needs_inputs_of_the_same_rank():
    spec = ModelSpec()
    spec.add_node("ImageInput", "inp", {"channels": 4, "height": 5, "width": 6})
    spec.add_node("GlobalAvgPool", "pool")
    spec.add_node("Multiply", "layer")
    spec.add_node("Flatten", "flat")
    spec.add_node("ClassificationHead", "head")
    for a, b in (("inp", "pool"), ("layer", "flat"), ("flat", "head")):
        spec.connect(a, b)
    spec.connect("inp", "layer", "in1")
    spec.connect("pool", "layer", "in2")
    text = _problem_text(spec)
    assert "same number of axes" in text and "4 x 5 x 6" in text and "C x 1 x 1" in text


def test_new_nodes_are_named_from_the_catalogue():
    assert get_kind("Conv2d").name_base == "conv"
    assert get_kind("ClassificationHead").name_base == "head"
    assert get_kind("ConvTranspose2d").name_base == "deconv"
    assert get_kind("ReLU").name_base == "relu"  # a kind without its own base: lower case
    for kind in CATALOGUE.values():
        assert kind.name_base.isidentifier() and kind.name_base == kind.name_base.lower()


def test_code_leaves_out_only_arguments_equal_to_the_constructors_defaults():
    conv = get_kind("Conv2d")
    params = conv.resolve({"padding": 1, "bias": False})
    assert conv.code(params, [(1, 28, 28)]) == "nn.Conv2d(1, 32, 3, padding=1, bias=False)"
    assert get_kind("MaxPool2d").code(get_kind("MaxPool2d").resolve({}), [(3, 8, 8)]) == \
        "nn.MaxPool2d(2)"
    emb = get_kind("Embedding")
    assert emb.code(emb.resolve({"num_embeddings": 9, "embedding_dim": 4}), [(5,)]) == \
        "TokenEmbedding(9, 4)"
    assert emb.code(emb.resolve({"num_embeddings": 9, "embedding_dim": 4, "padding_idx": 0,
                                 "init_std": 0.02}),
                    [(5,)]) == "TokenEmbedding(9, 4, padding_idx=0, init_std=0.02)"
    assert get_kind("Linear").code({"in_features": 0, "out_features": 2, "bias": True},
                                   [(3,)]) == "nn.Linear(3, 2)"


def test_image_output_says_how_many_values_it_needs():
    spec = ModelSpec()
    spec.add_node("NoiseInput", "noise", {"latent": 16})
    spec.add_node("Linear", "fc", {"out_features": 700})
    spec.add_node("ImageOutput", "image", {"channels": 1, "height": 28, "width": 28})
    spec.connect("noise", "fc")
    spec.connect("fc", "image")
    text = _problem_text(spec)
    assert "makes a 1 x 28 x 28 image (784 values) but receives 700 (700 values)" in text
    assert "'image'" in text
    spec.node("fc").params["out_features"] = 784
    analysis = analyze(spec)
    assert analysis.ok and analysis.nodes["image"].out_shape == (1, 28, 28)
    out = build_model(spec, analysis)(torch.randn(2, 16))
    assert out.shape == (2, 1, 28, 28) and 0 <= out.min() and out.max() <= 1
