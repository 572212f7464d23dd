"""Round trip of every template, export -> import -> export again, by both routes.

ONNX: the imported model predicts what onnxruntime predicts on the exported file (batch 1 and
3, token ids padded at the end as the loaders pad them) and has the template's parameter
count. PyTorch code: model.py re-imported as ``module:model.py:Class`` with its weights file
is the template again, node for node, and predicts what the template's model predicts."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
import pytest
import torch
from helpers import covering_templates

from workbench.core.export import export_model
from workbench.core.export.codegen import class_name
from workbench.core.graph import analyze, build_model, model_io
from workbench.core.importers import import_model
from workbench.core.templates import list_templates, load_template

# Transformer blocks come back as the layers inside them (LayerNorm, MultiHeadAttention, Add,
# Linear, GELU/ReLU), each attention found from its MatMuls and Softmax (with the padding
# mask of the token ids, when the template masks padding); the exporter stores equal
# weights once (the all-ones norms), so the file holds fewer numbers than the model
DECOMPOSED = {"char_gpt": 4, "vit_tiny": 4, "transformer_encoder": 6,
              "transformer_classifier": 12}  # -> attention layers
TEMPLATES = [t.name for t in list_templates()]
# 43M and 24M parameters; padded LSTM/GRU runs over 64-80 steps (several seconds each)
SLOW = ("transformer_classifier", "transformer_encoder", "lstm_classifier", "gru_text")


def _template_model(name: str):
    spec = load_template(name)
    analysis = analyze(spec, batch=3)
    torch.manual_seed(0)
    return spec, analysis, build_model(spec, analysis).eval()


def _inputs(spec, analysis, batch: int) -> torch.Tensor:
    io = model_io(spec, analysis)
    g = torch.Generator().manual_seed(batch)
    if io.input_kind == "tokens":  # id 0 (<pad>) included, at the end as the loaders pad
        x = torch.randint(1, io.vocab_size, (batch, *io.input_shape), generator=g)
        x[:, -3:] = 0
        return x
    return torch.randn(batch, *io.input_shape, generator=g)


def _onnx_parameters(path) -> int:
    """The file's weights, less BatchNormalization's running statistics (buffers) and
    scalar constants (an exporter's zero for initial states)."""
    import onnx

    graph = onnx.load(str(path)).graph
    stats = {n.input[i] for n in graph.node if n.op_type == "BatchNormalization" for i in (3, 4)}
    return sum(int(np.prod(t.dims)) for t in graph.initializer
               if t.data_type == onnx.TensorProto.FLOAT and t.dims and t.name not in stats)


@pytest.mark.slow
@pytest.mark.parametrize("name", covering_templates(TEMPLATES))
def test_round_trip_through_onnx(name, tmp_path):
    spec, analysis, model = _template_model(name)
    path = tmp_path / f"{name}.onnx"
    export_model("onnx", path, spec=spec, model=model, verify=False)  # checked below
    result = import_model(str(path))
    kinds = [n.kind for n in result.spec.nodes]
    if name in DECOMPOSED:
        assert result.parameters == analysis.total_params
        assert kinds.count("MultiHeadAttention") == DECOMPOSED[name]
        assert kinds[-1] == "ClassificationHead"
    elif name != "gru_text":  # its file holds the GRU's biases twice, once per run
        assert result.parameters == _onnx_parameters(path)
    if name != "resnet_small" and name not in DECOMPOSED:  # resnet: BatchNorms folded
        assert result.parameters == analysis.total_params
        assert kinds == [n.kind for n in spec.nodes if n.kind != "Dropout"]
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    for batch in (1, 3):
        x = _inputs(spec, analysis, batch)
        with torch.no_grad():
            got = result.model(x).numpy()
        assert np.abs(got - session.run(None, {"input": x.numpy()})[0]).max() < 1e-4
    again = export_model("onnx", tmp_path / "again.onnx", spec=result.spec, model=result.model)
    assert again.verified


@pytest.mark.parametrize("name", [pytest.param(t, marks=pytest.mark.slow) if t in SLOW else t
                                  for t in TEMPLATES])
def test_round_trip_through_pytorch_code(name, tmp_path):
    spec, analysis, model = _template_model(name)
    folder = tmp_path / "project"
    export_model("pytorch", folder, spec=spec, model=model, verify=False)  # checked below
    io = model_io(spec, analysis)
    result = import_model(f"module:{folder / 'model.py'}:{class_name(spec.name)}",
                          weights=str(folder / "weights.safetensors"),
                          input_shape=io.input_shape)
    # the template again: its layers under their names, wired alike, with its settings
    assert [(n.kind, n.name) for n in result.spec.nodes] == [(n.kind, n.name)
                                                             for n in spec.nodes]
    assert {(e.src, e.dst, e.dst_port) for e in result.spec.edges} == \
        {(e.src, e.dst, e.dst_port) for e in spec.edges}
    for node in spec.nodes:
        got = result.spec.node(node.name).params
        for key, value in node.params.items():
            if value != 0 and key not in ("loss", "vocab_size"):  # 0: automatic
                assert got[key] == value, (node.name, key)
    assert result.parameters == analysis.total_params
    for batch in (1, 3):
        x = _inputs(spec, analysis, batch)
        with torch.no_grad():
            diff = (result.model(x) - model(x)).abs().max().item()
        assert diff < 1e-4, (batch, diff)
    again = export_model("pytorch", tmp_path / "again", spec=result.spec, model=result.model)
    assert again.verified


def test_the_lists_name_templates():
    assert set(DECOMPOSED) <= set(TEMPLATES) and set(SLOW) <= set(TEMPLATES)
