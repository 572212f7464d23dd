"""The model graph: validation messages, JSON round trip, migration, hostile input, building."""

from __future__ import annotations

import json
import random

import pytest
import torch

from workbench.core.graph import (
    FORMAT_VERSION,
    Edge,
    ModelInvalidError,
    ModelSpec,
    SpecFormatError,
    analyze,
    build_model,
)
from workbench.core.graph.spec import SINGLE_GRAPH_VERSION
from workbench.core.templates import load_template


def mnist_cnn(fc_in: int = 0) -> ModelSpec:
    s = ModelSpec(name="cnn")
    for name, kind, params in [
        ("input", "ImageInput", {}), ("conv1", "Conv2d", {"out_channels": 32, "padding": 1}),
        ("pool1", "MaxPool2d", {}), ("conv2", "Conv2d", {"out_channels": 64, "padding": 1}),
        ("pool2", "MaxPool2d", {}), ("flatten", "Flatten", {}),
        ("fc1", "Linear", {"out_features": 128, "in_features": fc_in}),
        ("head", "ClassificationHead", {})]:
        s.add_node(kind, name, params)
    names = [n.name for n in s.nodes]
    for a, b in zip(names, names[1:], strict=False):
        s.connect(a, b)
    return s


def test_shape_mismatch_message_names_layers_and_shapes():
    a = analyze(mnist_cnn(fc_in=1024))
    assert [p.message for p in a.errors] == [
        "Linear 'fc1' expects 1024 input features but receives 3136 (64 x 7 x 7) from "
        "Flatten 'flatten'"]
    assert a.errors[0].node == "fc1"
    # downstream of the error is unknown, not a cascade of extra errors
    assert a.nodes["head"].out_shape is None
    assert analyze(mnist_cnn()).ok


def test_every_problem_is_reported_at_once():
    s = mnist_cnn(fc_in=1024)
    s.node("conv2").params["out_channels"] = 0  # out of range
    s.add_node("ReLU", "floating")  # dangling input
    s.connect("pool1", "flatten")  # flatten's input now doubly connected
    s.connect("head", "conv1", "in")  # cycle, and something after the output
    s.edges.append(Edge("ghost", "fc1"))  # refers to nothing
    s.nodes.append(s.nodes[0].__class__("mystery", "NoSuchLayer"))
    msgs = " | ".join(p.message for p in analyze(s).problems)
    assert "out channels must be at least 1" in msgs
    assert "ReLU 'floating' has no input" in msgs
    assert "receives two connections on one input" in msgs
    assert "form a loop" in msgs
    assert "'ghost' that does not exist" in msgs
    assert "unknown layer kind 'NoSuchLayer'" in msgs
    assert "nothing may follow it" in msgs


def test_missing_input_and_output_and_duplicates():
    s = ModelSpec()
    s.add_node("ReLU", "a")
    s.nodes.append(s.nodes[0].__class__("a", "ReLU"))
    msgs = " | ".join(p.message for p in analyze(s).problems)
    assert "no input layer" in msgs and "no output layer" in msgs
    assert "two layers are named 'a'" in msgs


def test_unused_branch_is_a_warning_not_an_error():
    s = mnist_cnn()
    s.add_node("ReLU", "spare")
    s.connect("pool1", "spare")
    a = analyze(s)
    assert a.ok
    assert any(p.severity == "warning" and p.node == "spare" for p in a.problems)
    assert "spare" not in a.order


def test_json_round_trip_and_atomic_save(tmp_path):
    spec = load_template("resnet_small")
    path = tmp_path / "m.json"
    spec.save(path)
    again = ModelSpec.load(path)
    assert again.to_dict() == spec.to_dict()
    # a single graph stays at the version older Workbench reads; only GANs need 3
    assert json.loads(path.read_text())["format_version"] == SINGLE_GRAPH_VERSION < FORMAT_VERSION
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_version_1_files_are_migrated():
    v1 = {"format_version": 1, "name": "old", "nodes": [
        {"name": "x", "kind": "FeatureInput", "params": {"features": 4}},
        {"name": "a", "kind": "Linear", "params": {"out_features": 4}},
        {"name": "b", "kind": "Linear", "params": {"out_features": 4}},
        {"name": "sum", "kind": "Add"},
        {"name": "head", "kind": "ClassificationHead", "params": {"classes": 2}}],
        "edges": [["x", "a"], ["x", "b"], ["a", "sum"], ["b", "sum"], ["sum", "head"]]}
    spec = ModelSpec.from_dict(v1)
    assert Edge("a", "sum", "in1") in spec.edges and Edge("b", "sum", "in2") in spec.edges
    assert analyze(spec).ok


@pytest.mark.parametrize("data,needle", [
    ({"format_version": 99, "nodes": []}, "newer Workbench"),
    ({"format_version": 0}, "never existed"),
    ({"format_version": "2"}, "must be a whole number"),
    ({"nodes": []}, "no 'format_version'"),
    ([1, 2, 3], "not a model spec"),
    ({"format_version": 2, "nodes": {"a": 1}}, "'nodes' must be a list"),
    ({"format_version": 2, "nodes": [{"name": 3, "kind": "ReLU"}]}, "needs a text 'name'"),
    ({"format_version": 2, "nodes": [{"name": "a", "kind": "ReLU", "params": {"x": {"y": 1}}}]},
     "unsupported value"),
    ({"format_version": 2, "edges": [{"src": "a"}]}, "needs text 'src'"),
    ({"format_version": 1, "edges": [["a"]]}, "not a [source, target] pair"),
])
def test_bad_structures_say_why(data, needle):
    with pytest.raises(SpecFormatError, match=None) as err:
        ModelSpec.from_dict(data)
    assert needle in str(err.value)


def test_hostile_bytes_never_traceback(tmp_path):
    cases = [b"\xff\xfe\x00garbage", b"[" * 100_000 + b"]" * 100_000, b"{", b"",
             b'{"format_version": 2, "nodes": [' + b'{"name":"a","kind":"ReLU"},' * 3 + b"1]}"]
    for raw in cases:
        with pytest.raises(SpecFormatError):
            ModelSpec.from_json(raw)
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 10_000_001)
    with pytest.raises(SpecFormatError, match="at most"):
        ModelSpec.load(big)
    with pytest.raises(SpecFormatError, match="cannot read"):
        ModelSpec.load(tmp_path / "missing.json")


def test_huge_numbers_become_range_problems():
    s = mnist_cnn()
    s.node("fc1").params["out_features"] = 10**30
    s.node("conv1").params["kernel_size"] = 1e308
    s.node("pool1").params["kernel_size"] = -5
    msgs = " | ".join(p.message for p in analyze(s).errors)
    assert "at most" in msgs and "whole number" in msgs and "at least" in msgs


HOSTILE = [None, True, -1, 0, 2**63, 1e308, float("nan"), "", "x" * 5000, [], {}, [[[]]],
           {"a": {"b": 1}}, "same", -0.5, "\u202e\u0000", "Conv2d", "head"]


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))


def _mutate(doc, rng: random.Random):
    """Replace one random node of a JSON document (any depth) with something hostile."""
    path = rng.choice(list(_paths(doc))[1:])
    doc = json.loads(json.dumps(doc))
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = rng.choice(HOSTILE)
    return doc


def test_fuzzed_specs_load_or_fail_cleanly_and_analysis_never_raises():
    rng = random.Random(1234)
    base = load_template("resnet_small").to_dict()
    loaded = 0
    for _ in range(400):
        doc = _mutate(base, rng)
        for _ in range(rng.randint(0, 1)):
            doc = _mutate(doc, rng)
        try:
            spec = ModelSpec.from_json(json.dumps(doc))
        except SpecFormatError as e:
            assert str(e) and "\n" not in str(e)
            continue
        loaded += 1
        analysis = analyze(spec)  # must not raise, whatever the values
        for p in analysis.problems:
            assert p.message and "Traceback" not in p.message
        if analysis.ok:
            build_model(spec, analysis)
    assert loaded > 100


def test_build_refuses_invalid_models_with_every_problem():
    with pytest.raises(ModelInvalidError) as err:
        build_model(mnist_cnn(fc_in=7))
    assert "expects 7 input features" in str(err.value)


def test_built_model_follows_graph_trains_and_counts_match():
    spec = load_template("resnet_small")
    a = analyze(spec, batch=4)
    model = build_model(spec, a)
    assert sum(p.numel() for p in model.parameters()) == a.total_params
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = torch.randn(8, 1, 28, 28), torch.randint(0, 10, (8,))
    first = None
    for _ in range(5):
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        first = first if first is not None else loss.item()
    assert loss.item() < first
    assert "b1_add = self.b1_add(b1_bn2, stem_relu)" in model.code


def test_built_model_runs_under_torch_compile():
    spec = load_template("lenet5")
    model = build_model(spec).eval()
    x = torch.randn(2, 1, 28, 28)
    compiled = torch.compile(model, backend="eager")  # the full inductor run is in benchmarks
    torch.testing.assert_close(compiled(x), model(x))
