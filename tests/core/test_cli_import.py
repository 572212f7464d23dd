"""``workbench import``: an ONNX file becomes a bundle that predicts like onnxruntime, a
torchvision name a .json spec; a failed import leaves nothing behind."""

from __future__ import annotations

import warnings

import numpy as np
import onnxruntime as ort
import torch
from torch import nn

from workbench.cli import run
from workbench.core.export import load_bundle
from workbench.core.graph import ModelSpec, analyze


def _onnx(path) -> None:
    torch.manual_seed(0)
    m = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                      nn.Linear(8 * 13 * 13, 10)).eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(m, torch.randn(1, 1, 28, 28), str(path), opset_version=11,
                          dynamo=False, input_names=["x"], dynamic_axes={"x": {0: "b"}})


def test_onnx_to_bundle(tmp_path, capsys):
    _onnx(tmp_path / "ref.onnx")
    assert run(["import", str(tmp_path / "ref.onnx"), "-o", str(tmp_path / "ref")]) == 0
    out = capsys.readouterr().out
    assert "13,610 parameters" in out and "nothing unmapped" in out
    bundle = load_bundle(tmp_path / "ref.wbbundle")
    x = np.random.default_rng(0).standard_normal((3, 1, 28, 28)).astype(np.float32)
    want = ort.InferenceSession(str(tmp_path / "ref.onnx")).run(None, {"x": x})[0]
    with torch.no_grad():
        got = bundle.model(torch.from_numpy(x)).numpy()
    assert np.abs(got - want).max() < 1e-4
    assert run(["inspect", str(tmp_path / "ref.wbbundle")]) == 0
    assert "13,610" in capsys.readouterr().out


def test_torchvision_spec_only(tmp_path, capsys):
    out = tmp_path / "r18.json"
    assert run(["import", "torchvision:resnet18", "--no-weights", "-o", str(out),
                "--input-shape", "3,64,64"]) == 0
    assert analyze(ModelSpec.load(out)).total_params == 11_689_512
    assert "spec only" in capsys.readouterr().out


def test_failure_leaves_nothing(tmp_path, capsys):
    (tmp_path / "bad.onnx").write_bytes(b"junk")
    assert run(["import", str(tmp_path / "bad.onnx"), "-o", str(tmp_path / "out")]) == 2
    assert "bad.onnx is not an ONNX model" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [tmp_path / "bad.onnx"]
