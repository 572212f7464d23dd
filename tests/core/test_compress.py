"""Compression on tiny trained runs (built-in 8x8 digits): pruning masks survive fine-tuning,
structured pruning gives a valid narrower spec equal to the masked model, int8 ONNX agrees
with the float model, distillation leaves the teacher untouched, every model is a run with
lineage."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import torch
from helpers import tiny_mlp_spec
from torch import nn

from workbench.core.compress import CompressError, CompressOptions, compress_run
from workbench.core.compress.channels import prune_structured
from workbench.core.compress.distill import narrower
from workbench.core.compress.prune import prunable
from workbench.core.data import load_source
from workbench.core.engine import Teacher, Trainer, TrainingConfig
from workbench.core.graph import ModelSpec, analyze, build_model
from workbench.core.runs import RunStore, create_run, open_run
from workbench.core.runs.lineage import read_lineage

CONFIG = TrainingConfig(epochs=2, batch_size=64, lr=3e-3, device="cpu")


def small_cnn_spec() -> ModelSpec:
    """1x8x8 -> conv(8)+BN+ReLU -> pool -> conv(8)+ReLU -> Flatten -> Linear(16) -> head."""
    spec = ModelSpec(name="Small CNN")
    spec.add_node("ImageInput", "input", {"channels": 1, "height": 8, "width": 8})
    spec.add_node("Conv2d", "conv1", {"out_channels": 8, "kernel_size": 3, "padding": 1})
    spec.add_node("BatchNorm2d", "bn1")
    spec.add_node("ReLU", "relu1")
    spec.add_node("MaxPool2d", "pool", {"kernel_size": 2})
    spec.add_node("Conv2d", "conv2", {"out_channels": 8, "kernel_size": 3, "padding": 1})
    spec.add_node("ReLU", "relu2")
    spec.add_node("Flatten", "flat")
    spec.add_node("Linear", "fc", {"out_features": 16})
    spec.add_node("ReLU", "relu3")
    spec.add_node("ClassificationHead", "head", {"classes": 10})
    names = [n.name for n in spec.nodes]
    for a, b in zip(names, names[1:], strict=False):
        spec.connect(a, b)
    return spec


@pytest.fixture(scope="module")
def digits():
    return load_source("digits", seed=0)


def trained(spec: ModelSpec, digits, store: RunStore) -> Path:
    trainer, run_dir = create_run(spec, "digits", CONFIG, data=digits, store=store)
    assert trainer.fit().status == "finished"
    return run_dir


def test_unstructured_masks_survive_fine_tuning(digits) -> None:
    with RunStore() as store:
        parent = trained(tiny_mlp_spec(hidden=32), digits, store)
        before = open_run(parent, store).load_model()
        report = compress_run(parent, CompressOptions("prune", amount=0.6, finetune_epochs=2),
                              store=store, data=digits)
        row = report.rows[-1]
        run = open_run(row.run_dir, store)
        model = run.load_model()  # plain weights: the run loads like any other
        for (m0, _), (m1, _) in zip(prunable(before), prunable(model), strict=True):
            zero = m1.weight == 0
            # fine-tuning moved the weights that stayed, never one that was pruned
            assert not torch.equal(m1.weight[~zero], m0.weight[~zero])
        zeros = sum(int((m.weight == 0).sum()) for m, _ in prunable(model))
        total = sum(m.weight.numel() for m, _ in prunable(model))
        assert zeros / total == pytest.approx(0.6, abs=0.01)
        assert row.params < report.rows[0].params and row.accuracy is not None
        assert read_lineage(run.run_dir)["parent"] == open_run(parent, store).info["id"]
        assert read_lineage(run.run_dir)["relation"] == "prune"
        assert store.find(run.info["id"]).test_accuracy == pytest.approx(row.accuracy)


def test_structured_pruning_gives_a_narrower_spec_equal_to_the_masked_model() -> None:
    spec = small_cnn_spec()
    torch.manual_seed(0)
    model = build_model(spec).eval()
    bn = model.get_submodule("bn1")  # trained-looking statistics and shift
    bn.running_mean.normal_()
    bn.running_var.uniform_(0.5, 2.0)
    bn.bias.data.normal_()
    result = prune_structured(spec, model, 0.5)
    assert {c.layer for c in result.chains} == {"conv1", "conv2", "fc"}
    assert result.spec.node("conv1").params["out_channels"] == 4
    assert result.spec.node("fc").params["out_features"] == 8
    before, after = analyze(spec), analyze(result.spec)
    assert after.ok and after.total_params < before.total_params / 2
    assert after.total_flops < before.total_flops / 2
    x = torch.randn(16, 1, 8, 8)
    with torch.no_grad():
        torch.testing.assert_close(result.model(x), result.masked(x), atol=1e-5, rtol=1e-5)
        assert not torch.allclose(result.model(x), model(x), atol=1e-3)  # it did prune


def test_structured_pruning_leaves_a_sigmoid_path_whole() -> None:
    spec = tiny_mlp_spec(hidden=16)
    spec.node("relu").kind = "Sigmoid"  # sigmoid(0) = 0.5: a masked neuron is not silent
    with pytest.raises(ValueError, match="no layer"):
        prune_structured(spec, build_model(spec), 0.5)


def test_structured_run_through_cli_options(digits) -> None:
    with RunStore() as store:
        parent = trained(small_cnn_spec(), digits, store)
        report = compress_run(parent, CompressOptions("prune", amount=0.5, structured=True,
                                                      finetune_epochs=1),
                              store=store, data=digits)
        row = report.rows[-1]
        run = open_run(row.run_dir, store)
        assert run.spec.node("conv2").params["out_channels"] == 4
        assert row.params == sum(p.numel() for p in run.load_model().parameters())
        assert row.bytes < row.original_bytes and row.size_ratio > 1.5
        assert row.details["masked_max_diff"] < 1e-4
        assert row.details["flops"] < row.details["original_flops"]


@pytest.mark.slow
def test_int8_onnx_agrees_with_the_float_model(digits) -> None:
    with RunStore() as store:
        parent = trained(small_cnn_spec(), digits, store)
        report = compress_run(parent, CompressOptions("int8", half="fp16"), store=store,
                              data=digits)
        methods = [r.method for r in report.rows]
        assert methods == ["original", "fp16", "int8-torch", "int8-onnx"]
        onnx_row = report.rows[-1]
        assert onnx_row.details["mode"] == "static"
        assert onnx_row.details["top1_agreement"] >= 0.95
        # int8 rounding moves the logits a little, against their scale
        assert onnx_row.details["max_abs_diff"] < 0.15 * onnx_row.details["output_scale"]
        assert abs(onnx_row.accuracy - onnx_row.original_accuracy) <= 0.05
        assert onnx_row.latency_onnx_ms and report.rows[0].latency_onnx_ms
        assert Path(onnx_row.file).name == "model.int8.onnx" and Path(onnx_row.file).is_file()
        assert 1.7 < report.rows[1].size_ratio <= 2.0  # half the bytes, less the header
        assert read_lineage(onnx_row.run_dir)["relation"] == "int8"


def test_dynamic_int8_of_an_mlp_is_about_four_times_smaller(digits) -> None:
    with RunStore() as store:
        parent = trained(tiny_mlp_spec(hidden=1024), digits, store)
        rows = compress_run(parent, CompressOptions("int8"), store=store, data=digits).rows
        assert rows[-1].details["mode"] == "dynamic" and rows[-1].size_ratio > 3.5
        assert rows[-2].method == "int8-torch" and rows[-2].size_ratio > 3.5


def test_distillation_never_touches_the_teacher(digits) -> None:
    torch.manual_seed(0)
    teacher = build_model(tiny_mlp_spec(hidden=32))
    teacher.train()  # the trainer must put it in eval mode itself
    saved = {k: v.clone() for k, v in teacher.state_dict().items()}
    modes: list[bool] = []
    teacher.register_forward_hook(lambda m, i, o: modes.append(m.training or o.requires_grad))
    parts = []

    class Parts:
        def on_run_started(self, e): ...
        def on_epoch_end(self, e): ...
        def on_evaluation(self, e): ...
        def on_run_ended(self, e): ...
        def on_step(self, e):
            parts.append(e.parts)

    student = narrower(tiny_mlp_spec(hidden=32), 0.5)
    assert student.node("fc").params["out_features"] == 16
    trainer = Trainer(student, digits, dataclasses.replace(CONFIG, epochs=1),
                      callbacks=[Parts()], teacher=Teacher(teacher, 3.0, 0.5))
    assert trainer.fit().status == "finished"
    assert modes and not any(modes)  # eval mode, no graph
    assert all(p.grad is None and not p.requires_grad for p in teacher.parameters())
    for k, v in teacher.state_dict().items():
        assert torch.equal(v, saved[k])
    assert parts and all(set(p) == {"task_loss", "kd_loss"} for p in parts if p)


def test_distill_run_and_baseline(digits) -> None:
    with RunStore() as store:
        parent = trained(tiny_mlp_spec(hidden=32), digits, store)
        rows = compress_run(parent, CompressOptions("distill", width=0.5, epochs=1,
                                                    baseline=True),
                            store=store, data=digits).rows
        assert [r.method for r in rows] == ["original", "distill", "student-alone"]
        assert rows[1].params < rows[0].params and rows[1].params == rows[2].params
        assert set(rows[1].details["losses"]) == {"task_loss", "kd_loss"}
        assert read_lineage(rows[1].run_dir)["relation"] == "distill"


def test_bad_requests_are_one_line(digits) -> None:
    with RunStore() as store:
        with pytest.raises(CompressError, match="amount"):
            compress_run("nowhere", CompressOptions("prune", amount=1.5), store=store)
        with pytest.raises(CompressError, match="no run"):
            compress_run("nowhere", CompressOptions("int8"), store=store)
        parent = trained(tiny_mlp_spec(hidden=16), digits, store)
        with pytest.raises(CompressError, match="student"):
            compress_run(parent, CompressOptions("distill", student="missing.json"),
                         store=store, data=digits)


def test_sequence_models_quantize_dynamically() -> None:
    lstm = nn.Sequential()
    from workbench.core.compress.quantize import dynamic_int8

    with pytest.raises(ValueError, match="Linear"):
        dynamic_int8(lstm)
    model = nn.LSTM(8, 16)
    q = dynamic_int8(nn.Sequential(model))
    assert "Quantized" in type(q[0]).__module__ or "quantized" in type(q[0]).__module__


def test_a_fine_tuned_pruned_run_keeps_its_checkpoints_consistent(digits) -> None:
    from safetensors import safe_open

    from workbench.core.engine.checkpoint import check_pair, load_state

    with RunStore() as store:
        parent = trained(tiny_mlp_spec(hidden=32), digits, store)
        row = compress_run(parent, CompressOptions("prune", amount=0.5, finetune_epochs=1),
                           store=store, data=digits).rows[-1]
        for which in ("best", "last"):
            folder = Path(row.run_dir) / "checkpoints" / which
            with safe_open(str(folder / "model.safetensors"), framework="pt") as f:
                assert not [k for k in f.keys() if k.endswith(("_orig", "_mask"))]
            check_pair(folder, load_state(folder))  # weights and state from the same step
