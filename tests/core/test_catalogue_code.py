"""For every kind in the catalogue (not only those the templates use), the exported code
builds the same module as Workbench does, and the model exports to ONNX.

The code half writes model.py with the real code exporter, imports it fresh, loads the built
model's weights strictly and compares outputs; the ONNX half goes through
``workbench.core.export``'s ONNX path, which runs the file in onnxruntime and compares.
Rows come from tests/layer_rows.py: a kind without one fails here.
"""

from __future__ import annotations

import pytest
import torch
from layer_rows import every_row, example_batch, one_layer_model, rows_for

from workbench.core.export import export_model
from workbench.core.export.codegen import class_name, model_source
from workbench.core.export.onnx_export import OPSET
from workbench.core.export.project import import_model_module
from workbench.core.export.verify import ATOL, EXPORT_BATCH, VERIFY_BATCH, max_abs_diff, quiet
from workbench.core.graph import analyze, build_model
from workbench.core.graph.analysis import resolved_params
from workbench.core.layers import CATALOGUE
from workbench.core.templates import list_templates, load_template


def _trained_looking(model: torch.nn.Module) -> torch.nn.Module:
    """Non-default saved buffers (BatchNorm statistics) so that loading them is tested too."""
    g = torch.Generator().manual_seed(7)
    saved = model.state_dict(keep_vars=True)
    with torch.no_grad():
        for name, buf in model.named_buffers():
            if name not in saved:  # recomputed by the module, e.g. sinusoidal positions
                continue
            if buf.is_floating_point():
                buf.copy_(0.5 + torch.rand(buf.shape, generator=g))
            elif name.endswith("num_batches_tracked"):
                buf.fill_(3)
    return model.eval()


@pytest.mark.parametrize("kind,row", every_row())
def test_generated_code_builds_the_same_module(kind, row, tmp_path):
    spec = one_layer_model(kind, rows_for(kind)[row])
    analysis = analyze(spec, batch=3)
    assert analysis.ok, [str(p) for p in analysis.problems]
    torch.manual_seed(0)
    model = _trained_looking(build_model(spec, analysis))
    source = model_source(spec, analysis)
    if not CATALOGUE[kind].is_input:  # the layer's constructor call is in the file as such
        call = CATALOGUE[kind].code(resolved_params(spec, "layer"),
                                    list(analysis.nodes["layer"].in_shapes))
        assert f"self.layer = {call}" in source
    (tmp_path / "model.py").write_text(source)
    module = import_model_module(tmp_path / "model.py")
    torch.manual_seed(1)  # a different initialization: equality must come from the weights
    fresh = getattr(module, class_name(spec.name))()
    fresh.load_state_dict(model.state_dict(), strict=True)
    fresh.eval()
    assert sum(p.numel() for p in fresh.parameters()) == \
        sum(p.numel() for p in model.parameters()) == analysis.total_params
    x = example_batch(spec, batch=3, seed=2)
    with torch.no_grad():
        assert torch.equal(fresh(x), model(x))


def _template_kinds() -> set[str]:
    return {n.kind for t in list_templates() for n in load_template(t.name).nodes}


# kinds some template uses are exported to ONNX by tests/core/test_export_formats.py; the
# others here, each with its last (least default) row
ONNX_KINDS = [kind for kind in sorted(CATALOGUE) if kind not in _template_kinds()]


class _SideBySide(torch.nn.Module):
    """Many one-layer models as one module (input i -> model i -> output i), so that one
    dynamo export covers every kind: each export's fixed cost was most of the time."""

    def __init__(self, models: list[torch.nn.Module]) -> None:
        super().__init__()
        self.models = torch.nn.ModuleList(models)

    def forward(self, *xs: torch.Tensor) -> tuple[torch.Tensor, ...]:
        return tuple(m(x) for m, x in zip(self.models, xs, strict=True))


def _export(module: torch.nn.Module, examples: tuple[torch.Tensor, ...], path) -> None:
    batch = torch.export.Dim("batch", min=1)
    with quiet():
        program = torch.onnx.export(module, examples, dynamo=True, opset_version=OPSET,
                                    dynamic_shapes=(tuple({0: batch} for _ in examples),),
                                    verbose=False)
    program.save(path)


def test_kinds_no_template_uses_export_to_onnx(tmp_path):
    import onnx
    import onnxruntime as ort

    specs = [one_layer_model(kind, rows_for(kind)[-1]) for kind in ONNX_KINDS]
    torch.manual_seed(0)
    models = [_trained_looking(build_model(s, analyze(s, batch=3))) for s in specs]
    path = tmp_path / "kinds.onnx"
    examples = tuple(example_batch(s, batch=EXPORT_BATCH, seed=1) for s in specs)
    try:
        _export(_SideBySide(models), examples, path)
    except Exception:  # name the kind that failed: export them one at a time
        for kind, model, x in zip(ONNX_KINDS, models, examples, strict=True):
            try:
                _export(_SideBySide([model]), (x,), tmp_path / "one.onnx")
            except Exception as e:
                raise AssertionError(f"{kind} does not export to ONNX: {e}") from e
        raise
    onnx.checker.check_model(str(path), full_check=True)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    xs = [example_batch(s, batch=VERIFY_BATCH + 2, seed=2) for s in specs]  # not the export's
    got = session.run(None, {i.name: x.numpy() for i, x in zip(session.get_inputs(), xs,
                                                                   strict=True)})
    assert len(got) == len(ONNX_KINDS) >= 20
    with torch.no_grad():
        for kind, model, x, y in zip(ONNX_KINDS, models, xs, got, strict=True):
            diff = max_abs_diff(model(x), y)
            assert diff < ATOL, (kind, diff)


def test_batchnorm_on_features_exports_to_onnx(tmp_path):
    """Export analyses at the default (training) batch, where BatchNorm1d on plain features
    is valid; at batch 1 it was refused."""
    spec = one_layer_model("BatchNorm1d", rows_for("BatchNorm1d")[0])
    model = build_model(spec, analyze(spec, batch=3)).eval()
    assert export_model("onnx", tmp_path / "m.onnx", spec=spec, model=model).verified
