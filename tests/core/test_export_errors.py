"""When a format cannot hold a model: the error names the layer, nothing half-written is left,
and the other formats still work."""

from __future__ import annotations

import pytest
import torch
from helpers import OpaqueReLU
from torch import nn

from workbench.core.export import ExportError, export_model
from workbench.core.graph import build_model
from workbench.core.templates import load_template


class BranchyReLU(nn.Module):
    """Python control flow on tensor values: torch.export refuses it."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if bool(x.sum() > 0):
            return torch.relu(x)
        return torch.relu(x)


def patched(module: nn.Module) -> tuple:
    """The MLP template with its first ReLU (node 'relu1') swapped for ``module``; the outputs
    are unchanged, so formats that can hold it must still verify."""
    spec = load_template("mlp")
    torch.manual_seed(0)
    model = build_model(spec)
    model.relu1 = module
    return spec, model


def test_onnx_names_the_node_it_cannot_hold(tmp_path) -> None:
    spec, model = patched(OpaqueReLU())
    with pytest.raises(ExportError) as info:
        export_model("onnx", tmp_path / "m.onnx", spec=spec, model=model)
    err = info.value
    assert err.node == "relu1" and err.format == "onnx" and isinstance(err, ValueError)
    assert "ReLU 'relu1'" in str(err) and "wbtest.opaque_relu" in str(err)
    assert list(tmp_path.iterdir()) == []  # no partial file, no temp file
    for fmt, name in (("bundle", "m.wbbundle"), ("pt2", "m.pt2"), ("pytorch", "project")):
        assert export_model(fmt, tmp_path / name, spec=spec, model=model).verified


def test_pt2_names_the_node_and_onnx_falls_back(tmp_path) -> None:
    spec, model = patched(BranchyReLU())
    with pytest.raises(ExportError) as info:
        export_model("pt2", tmp_path / "m.pt2", spec=spec, model=model)
    assert info.value.node == "relu1" and "data-dependent" in str(info.value)
    assert not (tmp_path / "m.pt2").exists()
    result = export_model("onnx", tmp_path / "m.onnx", spec=spec, model=model)
    assert result.verified and "TorchScript-based exporter" in result.notes[0]
    assert export_model("torchscript", tmp_path / "m.ts", spec=spec, model=model).verified


def test_torchscript_says_which_layer_it_traced_around(tmp_path) -> None:
    spec = load_template("resnet_small")
    result = export_model("torchscript", tmp_path / "r.ts", spec=spec, model=build_model(spec))
    assert result.verified and result.checked_with.endswith("(torch.jit.trace)")
    assert "Add (residual) 'b1_add'" in result.notes[0]


def test_export_leaves_the_model_as_it_was(tmp_path) -> None:
    spec = load_template("vit_tiny")
    model = build_model(spec).train()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    export_model("onnx", tmp_path / "v.onnx", spec=spec, model=model)
    assert model.training and all(m.training for m in model.modules())
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


def test_unknown_format_and_occupied_folder(tmp_path) -> None:
    spec = load_template("mlp")
    model = build_model(spec)
    with pytest.raises(ExportError, match="unknown format 'keras'"):
        export_model("keras", tmp_path / "m", spec=spec, model=model)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(ExportError, match="not empty"):
        export_model("pytorch", tmp_path / "mine", spec=spec, model=model)
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"
