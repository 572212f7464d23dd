"""File > Import…: the import runs on a worker thread, the bundle is written and its model
is on the canvas, laid out in rows, with the original's parameter count in the Summary."""

from __future__ import annotations

import warnings

import torch
from torch import nn

from workbench.ui.dialogs.import_dialog import ImportDialog, import_into


def _onnx(path) -> int:
    torch.manual_seed(0)
    m = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(m.eval(), torch.randn(1, 1, 8, 8), str(path), opset_version=11,
                          dynamo=False, input_names=["x"], dynamic_axes={"x": {0: "b"}})
    return sum(p.numel() for p in m.parameters())


def test_import_onnx_onto_the_canvas(make_window, qtbot, tmp_path):
    window = make_window()
    assert window.import_action in window.file_menu.actions()
    assert window.import_action.isEnabled()
    params = _onnx(tmp_path / "small.onnx")
    task = import_into(window, str(tmp_path / "small.onnx"), str(tmp_path / "small"))
    qtbot.waitUntil(lambda: not task.is_running(), timeout=60_000)
    assert (tmp_path / "small.wbbundle").is_file()
    spec = window.document.spec
    assert [n.kind for n in spec.nodes] == ["ImageInput", "Conv2d", "ReLU", "Flatten",
                                            "ClassificationHead"]
    ys = [n.pos[1] for n in spec.nodes]
    assert ys == sorted(ys) and len(set(ys)) == len(ys)  # one row per layer, top to bottom
    assert window.document.analysis.total_params == params
    assert "Imported" in window.statusBar().currentMessage()


def test_import_failure_is_one_message(make_window, qtbot, tmp_path, prompts):
    window = make_window()
    (tmp_path / "bad.onnx").write_bytes(b"junk")
    task = import_into(window, str(tmp_path / "bad.onnx"), str(tmp_path / "bad.wbbundle"))
    qtbot.waitUntil(lambda: not task.is_running(), timeout=60_000)
    assert not (tmp_path / "bad.wbbundle").exists()
    assert any("not an ONNX model" in str(e) for e in prompts.errors)


def test_dialog_request(qtbot, tmp_path):
    dialog = ImportDialog(folder=str(tmp_path))
    qtbot.addWidget(dialog)
    assert dialog.request()["ref"] == "torchvision:resnet18"
    assert dialog.request()["output"].endswith("resnet18.wbbundle")
    dialog.source.setEditText(str(tmp_path / "net.onnx"))
    assert not dialog.pretrained.isEnabled()
    dialog.shape.setText("3,32,32")
    assert dialog.request() == {"ref": str(tmp_path / "net.onnx"), "input_shape": [3, 32, 32],
                                "random_init": True, "output": str(tmp_path / "net.wbbundle")}
