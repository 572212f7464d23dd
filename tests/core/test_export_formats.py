"""Every template in every format, read back by its real consumer (onnxruntime,
torch.export.load, torch.jit.load, a fresh import of model.py, load_bundle) and compared with
the PyTorch model on a batch size it was not exported with."""

from __future__ import annotations

import functools

import pytest
import torch
from helpers import SAME_KINDS_AS, covering_templates
from safetensors.torch import load_file
from torch import nn

from workbench.core.export import ATOL, FORMATS, export_model, load_bundle
from workbench.core.export.codegen import class_name
from workbench.core.export.project import import_model_module
from workbench.core.export.verify import example_input
from workbench.core.graph import build_model, model_io
from workbench.core.templates import list_templates, load_template

TEMPLATES = [t.name for t in list_templates()]
HEAVY_FORMATS = covering_templates(TEMPLATES)  # ONNX and torch.export: seconds each
META = {"source": "digits28", "class_names": [str(i) for i in range(10)],
        "mean": [0.2], "std": [0.3], "kind": "image"}


@functools.cache
def trained_like(name: str) -> tuple:
    """The template at a seeded initialization with non-trivial BatchNorm statistics, so
    buffers have to survive the export as well as parameters."""
    spec = load_template(name)
    torch.manual_seed(0)
    model = build_model(spec)
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
    return spec, model.eval()


@functools.cache
def reference(name: str) -> tuple[torch.Tensor, torch.Tensor]:
    """A batch of one (not the export batch of 2; the size exporters like to specialize on),
    with other values than the export's own check."""
    spec, model = trained_like(name)
    x = example_input(spec, batch=1, seed=7)
    with torch.no_grad():
        return x, model(x)


def close(a, b) -> float:
    diff = float((torch.as_tensor(a).double() - torch.as_tensor(b).double()).abs().max())
    assert diff < ATOL, diff
    return diff


def test_the_fast_suite_still_covers_every_template_kind() -> None:
    """What the default suite leaves to `-m exhaustive` uses no kind the rest do not."""
    def kinds(name: str) -> set[str]:
        return {n.kind for n in load_template(name).nodes}
    for name, same in SAME_KINDS_AS.items():
        assert same not in SAME_KINDS_AS and kinds(name) <= kinds(same), name


def test_formats_registry() -> None:
    assert list(FORMATS) == ["bundle", "onnx", "pt2", "torchscript", "pytorch"]
    assert FORMATS["pytorch"].is_folder and FORMATS["onnx"].suffix == ".onnx"


@pytest.mark.parametrize("name", HEAVY_FORMATS)
def test_onnx_runs_in_onnxruntime(name: str, tmp_path) -> None:
    import onnx
    import onnxruntime as ort

    spec, model = trained_like(name)
    path = tmp_path / "model.onnx"
    result = export_model("onnx", path, spec=spec, model=model, meta=META)
    assert result.verified and result.checked_with.startswith("onnxruntime")
    assert not result.notes  # the dynamo exporter handled it: no fallback
    proto = onnx.load(str(path))
    onnx.checker.check_model(proto)
    assert max(o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")) >= 18
    inp = proto.graph.input[0]
    assert inp.type.tensor_type.shape.dim[0].dim_param  # the batch axis is symbolic
    tokens = model_io(spec).input_kind == "tokens"
    assert inp.type.tensor_type.elem_type == (onnx.TensorProto.INT64 if tokens
                                              else onnx.TensorProto.FLOAT)
    assert "workbench.preprocessing" in {p.key for p in proto.metadata_props}
    x, want = reference(name)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    close(want, session.run(None, {"input": x.numpy()})[0])


@pytest.mark.parametrize("name", HEAVY_FORMATS)
def test_pt2_reloads_with_torch_export(name: str, tmp_path) -> None:
    spec, model = trained_like(name)
    path = tmp_path / "model.pt2"
    assert export_model("pt2", path, spec=spec, model=model).verified
    x, want = reference(name)
    with torch.no_grad():
        close(want, torch.export.load(path).module()(x))


@pytest.mark.parametrize("name", TEMPLATES)
def test_torchscript_reloads(name: str, tmp_path) -> None:
    spec, model = trained_like(name)
    path = tmp_path / "model.ts"
    result = export_model("torchscript", path, spec=spec, model=model)
    assert result.verified
    x, want = reference(name)
    with torch.no_grad(), torch.jit.optimized_execution(False):
        close(want, torch.jit.load(str(path))(x))


@pytest.mark.parametrize("name", TEMPLATES)
def test_bundle_round_trip(name: str, tmp_path) -> None:
    spec, model = trained_like(name)
    path = tmp_path / "model.wbbundle"
    config, metrics = {"lr": 0.01, "epochs": 3}, {"test_accuracy": 0.9}
    export_model("bundle", path, spec=spec, model=model, meta=META, config=config,
                 metrics=metrics)
    bundle = load_bundle(path)
    assert bundle.spec.to_dict() == spec.to_dict()
    assert (bundle.meta, bundle.config, bundle.metrics) == (META, config, metrics)
    assert bundle.load_model() is bundle.model and not bundle.model.training
    x, want = reference(name)
    with torch.no_grad():
        close(want, bundle.model(x))


@pytest.mark.parametrize("name", TEMPLATES)
def test_pytorch_project_model_py(name: str, tmp_path) -> None:
    spec, model = trained_like(name)
    folder = tmp_path / "project"
    result = export_model("pytorch", folder, spec=spec, model=model)
    assert result.verified
    assert {p.name for p in folder.iterdir()} >= {"model.py", "train.py", "requirements.txt",
                                                   "weights.safetensors"}
    source = (folder / "model.py").read_text()
    assert "fx" not in source and "pickle" not in source and "workbench" not in source
    module = import_model_module(folder / "model.py")  # a fresh module, not the fx model
    fresh = getattr(module, class_name(spec.name))()
    assert sorted(fresh.state_dict()) == sorted(model.state_dict())
    fresh.load_state_dict(load_file(str(folder / "weights.safetensors")))
    x, want = reference(name)
    with torch.no_grad():
        close(want, fresh.eval()(x))
