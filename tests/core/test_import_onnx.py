"""ONNX files (made by torch.onnx at opset 11 and the default, and old-style by onnx.helper)
import with their weights and predict what onnxruntime predicts on the original file."""

from __future__ import annotations

import warnings

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch
from onnx import TensorProto, helper, numpy_helper
from torch import nn

from workbench.core.importers import ModelImportError, import_model

TOL = 1e-4


def _ort(path, x: np.ndarray) -> np.ndarray:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {session.get_inputs()[0].name: x})[0]


def _same_as_onnxruntime(path, result, shape, softmax: bool = False) -> None:
    for batch in (1, 3):
        x = np.random.default_rng(batch).standard_normal((batch, *shape)).astype(np.float32)
        with torch.no_grad():
            got = result.model(torch.from_numpy(x))
        if softmax:  # the importer leaves a final softmax out: the head gives logits
            got = torch.softmax(got, dim=-1)
        diff = float(np.abs(got.numpy() - _ort(path, x)).max())
        assert diff < TOL, (batch, diff)


class Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(3, 6, 3, padding=1)
        self.b = nn.Conv2d(3, 6, 1, bias=False)
        self.bn = nn.BatchNorm2d(12)
        self.pool = nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)
        self.c = nn.Conv2d(12, 12, 3, padding=1)
        self.drop = nn.Dropout(0.3)
        self.fc = nn.Linear(12, 5)

    def forward(self, x):
        y = self.bn(torch.cat([torch.relu(self.a(x)), self.b(x)], dim=1))
        y = self.pool(y)
        y = y + torch.nn.functional.hardswish(self.c(y))
        y = torch.flatten(torch.nn.functional.adaptive_avg_pool2d(y, 1), 1)
        return self.fc(self.drop(y))


def _small() -> nn.Module:
    torch.manual_seed(0)
    m = Small()
    with torch.no_grad():
        m.bn.running_mean.uniform_(-1, 1)
        m.bn.running_var.uniform_(0.5, 2)
    return m.eval()


@pytest.mark.parametrize("opset", [11, None])
def test_torch_exported_file(opset, tmp_path):
    path = tmp_path / "m.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if opset:  # the TorchScript-based exporter, as older tools write
            torch.onnx.export(_small(), torch.randn(1, 3, 10, 10), str(path), dynamo=False,
                              opset_version=opset, input_names=["x"],
                              dynamic_axes={"x": {0: "b"}}, do_constant_folding=False)
        else:
            torch.onnx.export(_small(), (torch.randn(2, 3, 10, 10),), str(path), dynamo=True,
                              dynamic_shapes=({0: torch.export.Dim("b")},), verbose=False)
    result = import_model(str(path))
    assert result.spec.node(result.spec.nodes[-1].name).kind == "ClassificationHead"
    assert result.parameters == sum(p.numel() for p in _small().parameters())
    _same_as_onnxruntime(path, result, (3, 10, 10))


def _old_style(path, softmax: bool = True) -> None:
    """Opset 8 by hand, as old exporters wrote: initializers listed as graph inputs, a Reshape
    whose shape is a Constant node, Clip with attributes, BatchNormalization's spatial."""
    rng = np.random.default_rng(0)

    def init(name, *shape):
        return numpy_helper.from_array(rng.standard_normal(shape).astype(np.float32) * 0.3, name)

    inits = [init("W", 4, 1, 3, 3), init("B", 4), init("scale", 4), init("bias", 4),
             init("mean", 4), numpy_helper.from_array(rng.uniform(0.5, 2, 4).astype(np.float32),
                                                       "var"),
             init("W2", 3, 4 * 3 * 3), init("B2", 3)]
    nodes = [
        helper.make_node("Conv", ["x", "W", "B"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1],
                         name="conv"),
        helper.make_node("BatchNormalization", ["c", "scale", "bias", "mean", "var"], ["bn"],
                         epsilon=1e-3, spatial=1, name="bn"),
        helper.make_node("Clip", ["bn"], ["r"], min=0.0, max=6.0, name="relu6"),
        helper.make_node("MaxPool", ["r"], ["p"], kernel_shape=[2, 2], strides=[2, 2],
                         name="pool"),
        helper.make_node("Dropout", ["p"], ["d"], ratio=0.25, name="drop"),
        helper.make_node("Constant", [], ["shape"], value=numpy_helper.from_array(
            np.array([-1, 36], dtype=np.int64)), name="shape_const"),
        helper.make_node("Reshape", ["d", "shape"], ["flat"], name="flatten"),
        helper.make_node("Gemm", ["flat", "W2", "B2"], ["logits"], transB=1, name="fc"),
    ]
    out = "logits"
    if softmax:
        nodes.append(helper.make_node("Softmax", ["logits"], ["probs"], axis=1, name="softmax"))
        out = "probs"
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 1, 6, 6])] + [
        helper.make_tensor_value_info(i.name, TensorProto.FLOAT, list(i.dims)) for i in inits]
    graph = helper.make_graph(nodes, "old_style", inputs,
                              [helper.make_tensor_value_info(out, TensorProto.FLOAT, ["N", 3])],
                              initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 8)])
    model.ir_version = 3
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def test_old_opset_with_initializers_as_inputs(tmp_path):
    path = tmp_path / "old.onnx"
    _old_style(path)
    result = import_model(str(path))
    kinds = [n.kind for n in result.spec.nodes]
    assert kinds == ["ImageInput", "Conv2d", "BatchNorm2d", "ReLU6", "MaxPool2d", "Dropout",
                     "Flatten", "ClassificationHead"]
    assert result.spec.node("bn").params["eps"] == pytest.approx(1e-3)
    assert any("Softmax" in n for n in result.notes)
    _same_as_onnxruntime(path, result, (1, 6, 6), softmax=True)


def test_matmul_add_and_layer_norm(tmp_path):
    rng = np.random.default_rng(1)
    arr = {"W1": rng.standard_normal((8, 16)), "b1": rng.standard_normal(16),
           "g": rng.uniform(0.5, 1.5, 16), "beta": rng.standard_normal(16),
           "W2": rng.standard_normal((16, 4)), "b2": rng.standard_normal(4)}
    inits = [numpy_helper.from_array(v.astype(np.float32), k) for k, v in arr.items()]
    nodes = [helper.make_node("MatMul", ["x", "W1"], ["m"], name="fc1"),
             helper.make_node("Add", ["m", "b1"], ["h"], name="fc1_bias"),
             helper.make_node("LayerNormalization", ["h", "g", "beta"], ["n"], epsilon=1e-6,
                              name="norm"),
             helper.make_node("Gelu", ["n"], ["a"], name="gelu"),
             helper.make_node("MatMul", ["a", "W2"], ["m2"], name="fc2"),
             helper.make_node("Add", ["b2", "m2"], ["y"], name="fc2_bias")]
    graph = helper.make_graph(nodes, "mlp", [helper.make_tensor_value_info(
        "x", TensorProto.FLOAT, ["N", 8])], [helper.make_tensor_value_info(
            "y", TensorProto.FLOAT, ["N", 4])], initializer=inits)
    path = tmp_path / "mlp.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)]), str(path))
    result = import_model(str(path))
    assert [n.kind for n in result.spec.nodes] == ["FeatureInput", "Linear", "LayerNorm", "GELU",
                                                   "ClassificationHead"]
    assert result.parameters == 8 * 16 + 16 + 32 + 16 * 4 + 4
    _same_as_onnxruntime(path, result, (8,))


def test_unsupported_operator_is_named(tmp_path):
    graph = helper.make_graph(
        [helper.make_node("Sin", ["x"], ["y"], name="wave")], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 4])])
    path = tmp_path / "sin.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), str(path))
    with pytest.raises(ModelImportError, match=r"node 'wave' \(Sin\) has no Workbench layer"):
        import_model(str(path))
    (tmp_path / "junk.onnx").write_bytes(b"not a model")
    with pytest.raises(ModelImportError, match="junk.onnx is not an ONNX model"):
        import_model(str(tmp_path / "junk.onnx"))


@pytest.mark.slow
def test_resnet18_through_onnx(tmp_path):
    import torchvision

    torch.manual_seed(0)
    model = torchvision.models.resnet18().eval()
    path = tmp_path / "r18.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, torch.randn(1, 3, 64, 64), str(path), dynamo=False,
                          opset_version=11, input_names=["x"], dynamic_axes={"x": {0: "b"}})
    result = import_model(str(path))
    _same_as_onnxruntime(path, result, (3, 64, 64))


class Recurrent(nn.Module):
    def __init__(self, cell):
        super().__init__()
        self.rnn = getattr(nn, cell)(4, 6, batch_first=True, bidirectional=cell == "LSTM")
        self.fc = nn.Linear(12 if cell == "LSTM" else 6, 3)

    def forward(self, x):
        return self.fc(self.rnn(x)[0][:, -1])


@pytest.mark.slow  # the dynamo exporter takes a minute per recurrent model here
@pytest.mark.parametrize("cell", ["LSTM", "GRU"])
def test_batch_first_recurrent_layer(cell, tmp_path):
    """The exporter's time-major Transposes around LSTM/GRU are followed as views; the layer
    imports as a Workbench LSTM/GRU with torch's gate order, the last step taken inside it."""
    torch.manual_seed(0)
    model = Recurrent(cell).eval()
    path = tmp_path / "rnn.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (torch.randn(2, 5, 4),), str(path), dynamo=True,
                          dynamic_shapes=({0: torch.export.Dim("b")},), verbose=False)
    result = import_model(str(path))
    kinds = [n.kind for n in result.spec.nodes]
    assert kinds == ["SequenceInput", cell, "ClassificationHead"]
    assert result.spec.nodes[1].params["output"] == "last"
    assert result.parameters == sum(p.numel() for p in model.parameters())
    _same_as_onnxruntime(path, result, (5, 4))


def test_image_rows_and_image_output(tmp_path):
    """The input image transposed and reshaped into rows is the Image-as-rows input; a final
    Tanh of C x H x W values (after a Reshape) is the Image output."""
    rng = np.random.default_rng(2)
    inits = [numpy_helper.from_array(rng.standard_normal((24, 24)).astype(np.float32), "W"),
             numpy_helper.from_array(rng.standard_normal(24).astype(np.float32), "B"),
             numpy_helper.from_array(np.array([0, 3, 8], np.int64), "rows_shape"),
             numpy_helper.from_array(np.array([0, 2, 3, 4], np.int64), "image_shape")]
    nodes = [helper.make_node("Transpose", ["x"], ["t"], perm=[0, 2, 1, 3], name="permute"),
             helper.make_node("Reshape", ["t", "rows_shape"], ["rows"], name="view"),
             helper.make_node("Flatten", ["rows"], ["flat"], axis=1, name="flatten"),
             helper.make_node("Gemm", ["flat", "W", "B"], ["y"], transB=1, name="fc"),
             helper.make_node("Reshape", ["y", "image_shape"], ["img"], name="to_image"),
             helper.make_node("Tanh", ["img"], ["out"], name="tanh")]
    graph = helper.make_graph(nodes, "rows", [helper.make_tensor_value_info(
        "x", TensorProto.FLOAT, ["N", 2, 3, 4])], [helper.make_tensor_value_info(
            "out", TensorProto.FLOAT, ["N", 2, 3, 4])], initializer=inits)
    path = tmp_path / "rows.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), str(path))
    result = import_model(str(path))
    assert [n.kind for n in result.spec.nodes] == ["ImageRows", "Flatten", "Linear",
                                                   "ImageOutput"]
    out = result.spec.nodes[-1].params
    assert (out["channels"], out["height"], out["width"], out["activation"]) == (2, 3, 4, "tanh")
    assert "num_classes" not in result.meta
    _same_as_onnxruntime(path, result, (2, 3, 4))


class GeluMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(6, 16)
        self.fc2 = nn.Linear(16, 3)

    def forward(self, x):
        return self.fc2(nn.functional.gelu(self.fc1(x)))


def test_gelu_written_out_with_erf(tmp_path):
    """Before opset 20 GELU has no operator: the exporter writes x * 0.5 * (1 + Erf(x /
    sqrt 2)); the importer takes those nodes together as one GELU."""
    torch.manual_seed(0)
    path = tmp_path / "gelu.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(GeluMLP().eval(), torch.randn(1, 6), str(path), opset_version=17,
                          dynamo=False, input_names=["x"], dynamic_axes={"x": {0: "b"}})
    assert "Erf" in {n.op_type for n in onnx.load(str(path)).graph.node}
    result = import_model(str(path))
    assert [n.kind for n in result.spec.nodes] == ["FeatureInput", "Linear", "GELU",
                                                   "ClassificationHead"]
    _same_as_onnxruntime(path, result, (6,))


class AttentionBlock(nn.Module):
    """A class token, learned positions, a pre-norm attention layer with a residual."""

    def __init__(self, causal: bool):
        super().__init__()
        self.cls = nn.Parameter(torch.randn(1, 1, 16))
        self.pos = nn.Parameter(torch.randn(1, 7, 16))
        self.norm = nn.LayerNorm(16)
        self.attn = nn.MultiheadAttention(16, 4, batch_first=True)
        self.fc = nn.Linear(16, 3)
        self.causal = causal

    def forward(self, x):
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1) + self.pos
        mask = nn.Transformer.generate_square_subsequent_mask(7) if self.causal else None
        h = self.norm(x)
        x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        return self.fc(x[:, 0])


@pytest.mark.parametrize("causal", [False, True])
def test_attention_written_out_as_matmuls(causal, tmp_path):
    """ONNX has no attention operator: the projections, head reshapes, Softmax and output
    projection come back as one MultiHeadAttention (causal when the scores are masked so),
    the Concat of a constant row as a class token, the added table as learned positions."""
    torch.manual_seed(0)
    model = AttentionBlock(causal).eval()
    path = tmp_path / "attention.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, torch.randn(2, 6, 16), str(path), opset_version=17,
                          dynamo=False, input_names=["x"], dynamic_axes={"x": {0: "b"}})
    result = import_model(str(path))
    assert [n.kind for n in result.spec.nodes] == [
        "SequenceInput", "ClassToken", "PositionalEncoding", "LayerNorm", "MultiHeadAttention",
        "Add", "SequencePool", "ClassificationHead"]
    attention = result.spec.nodes[4].params
    assert (attention["heads"], attention["mask"]) == (4, "causal" if causal else "none")
    assert result.parameters == sum(p.numel() for p in model.parameters())
    _same_as_onnxruntime(path, result, (6, 16))


class HandWrittenAttention(nn.Module):
    """Attention as a paper's code writes it: separate query/key/value projections, a
    softmax of the scaled scores, an output projection; then the mean over the steps."""

    def __init__(self):
        super().__init__()
        self.q, self.k, self.v, self.o = (nn.Linear(16, 16) for _ in range(4))
        self.fc = nn.Linear(16, 3)

    def forward(self, x):
        b, steps, d = x.shape
        q, k, v = (f(x).view(b, steps, 4, 4).transpose(1, 2) for f in (self.q, self.k, self.v))
        weights = torch.softmax(q @ k.transpose(-2, -1) / 2.0, dim=-1)
        y = (weights @ v).transpose(1, 2).reshape(b, steps, d)
        return self.fc(self.o(y).mean(dim=1))


def test_hand_written_attention(tmp_path):
    torch.manual_seed(0)
    model = HandWrittenAttention().eval()
    path = tmp_path / "attention.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, torch.randn(2, 6, 16), str(path), opset_version=17,
                          dynamo=False, input_names=["x"], dynamic_axes={"x": {0: "b"}})
    result = import_model(str(path))
    assert [n.kind for n in result.spec.nodes] == ["SequenceInput", "MultiHeadAttention",
                                                   "SequencePool", "ClassificationHead"]
    assert result.parameters == sum(p.numel() for p in model.parameters())
    _same_as_onnxruntime(path, result, (6, 16))
