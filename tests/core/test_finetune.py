"""Fine-tuning: start weights by layer name and shape, frozen layers, lineage, gradual
unfreezing with exact resume (tiny models on the built-in 8x8 digits)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from helpers import batchnorm_mlp_spec, tiny_mlp_spec
from safetensors.torch import load_file

from workbench.core.data import load_source
from workbench.core.engine import Callback, EpochEnd, TrainingConfig, TrainingError
from workbench.core.export.bundle import save_bundle
from workbench.core.finetune import (
    FineTuneError,
    freeze,
    load_into,
    read_weights,
    resolve_frozen,
)
from workbench.core.graph import build_model
from workbench.core.runs import RunStore, create_run, resume_run
from workbench.core.runs.folders import read_finetune
from workbench.core.runs.lineage import read_lineage, record_lineage
from workbench.core.workspace import Workspace

CONFIG = TrainingConfig(epochs=1, batch_size=64, lr=3e-3, device="cpu")


@pytest.fixture(scope="module")
def digits():
    return load_source("digits", seed=0)


@pytest.fixture
def pretrained(digits) -> Path:
    """A finished 1-epoch run of the tiny MLP (hidden 16, 10 classes)."""
    with RunStore() as store:
        trainer, run_dir = create_run(tiny_mlp_spec(hidden=16), "digits", CONFIG, data=digits,
                                      store=store)
        assert trainer.fit().status == "finished"
    return run_dir


def _checkpoint(run_dir: Path, which: str = "best") -> dict[str, torch.Tensor]:
    return load_file(str(run_dir / "checkpoints" / which / "model.safetensors"))


def test_a_changed_head_loads_the_body_by_name_and_shape(pretrained: Path) -> None:
    spec = tiny_mlp_spec(hidden=16)
    spec.node("head").params["classes"] = 3  # a new task with 3 classes
    spec.add_node("Linear", "extra", {"out_features": 16})  # and a new layer before the head
    spec.edges[:] = [e for e in spec.edges if e.dst != "head"]
    spec.connect("relu", "extra")
    spec.connect("extra", "head")
    model = build_model(spec)
    report = load_into(model, read_weights(pretrained))
    assert report.loaded == ["fc"]
    assert set(report.fresh) == {"head", "extra"}
    assert "shape changed" in report.fresh["head"] and "10 x 16" in report.fresh["head"] \
        and "3 x 16" in report.fresh["head"]
    assert "new layer" in report.fresh["extra"]
    assert torch.equal(model.fc.weight, _checkpoint(pretrained)["fc.weight"])
    assert any("head starts fresh" in line for line in report.lines())


def test_a_bundle_is_a_start_and_one_that_does_not_fit_is_refused(tmp_path: Path,
                                                                  pretrained: Path) -> None:
    from workbench.core.runs import open_run

    run = open_run(pretrained)
    bundle = save_bundle(tmp_path / "m.wbbundle", run.spec, run.load_model(), run.meta.to_dict())
    ws = Workspace()
    ws.start_from(bundle)  # its model on the canvas, its weights attached
    assert ws.spec.has_node("fc") and ws.initial_weights is not None
    assert ws.weights_report().loaded == ["fc", "head"]
    other = tiny_mlp_spec(hidden=24)  # every layer with weights has another shape
    with pytest.raises(FineTuneError, match="layer 'fc'.*16 x 64.*24 x 64"):
        load_into(build_model(other), read_weights(bundle))
    ws = Workspace(other)
    ws.attach_weights(bundle)
    with pytest.raises(TrainingError, match="layer 'fc'"):
        ws.create_run(data=load_source("digits", seed=0))


def test_frozen_parameters_do_not_change_and_are_not_optimized(pretrained: Path,
                                                               digits) -> None:
    start = _checkpoint(pretrained)
    ws = Workspace(tiny_mlp_spec(hidden=16), CONFIG)
    ws.attach_weights(str(pretrained))
    ws.set_frozen(["fc"])
    with RunStore() as store:
        trainer, run_dir = ws.create_run(data=digits, store=store)
        optimized = {id(p) for g in trainer.optimizer.param_groups for p in g["params"]}
        assert not {id(p) for p in trainer.model.fc.parameters()} & optimized
        assert all(not p.requires_grad for p in trainer.model.fc.parameters())
        assert trainer.frozen_parameters == 16 * 64 + 16
        assert trainer.fit().status == "finished"
    after = _checkpoint(run_dir, "last")
    for key in ("fc.weight", "fc.bias"):
        assert torch.equal(after[key], start[key])  # bit-identical
    assert not torch.equal(after["head.weight"], start["head.weight"])
    assert not any(len(s) for p, s in trainer.optimizer.state.items()
                   if any(p is q for q in trainer.model.fc.parameters()))


def test_frozen_batchnorm_keeps_its_statistics(digits) -> None:
    torch.manual_seed(0)
    source = build_model(batchnorm_mlp_spec())
    source.bn.running_mean.fill_(0.5)
    source.bn.running_var.fill_(2.0)
    from workbench.core.finetune import InitialWeights
    from workbench.core.finetune.weights import by_layer

    start = InitialWeights(by_layer(source.state_dict()), "a test model")
    with RunStore() as store:
        trainer, _ = create_run(batchnorm_mlp_spec(), "digits", CONFIG, data=digits,
                                store=store, initial=start, frozen=["fc", "bn"])
        trainer.model.train()
        assert trainer.fit().status == "finished"
        bn = trainer.model.bn
        assert torch.equal(bn.running_mean, torch.full_like(bn.running_mean, 0.5))
        assert torch.equal(bn.running_var, torch.full_like(bn.running_var, 2.0))
        assert int(bn.num_batches_tracked) == 0
        trainer.model.train()
        trainer.model(torch.zeros(4, 1, 8, 8))
        assert not bn.training  # eval mode even inside model.train()
        # unfrozen, the same layer's statistics move
        trainer, _ = create_run(batchnorm_mlp_spec(), "digits", CONFIG, data=digits,
                                store=store, initial=start, frozen=["fc"])
        trainer.fit()
        assert not torch.equal(trainer.model.bn.running_mean,
                               torch.full_like(bn.running_mean, 0.5))


def test_lineage_and_the_fine_tuning_record(pretrained: Path, digits) -> None:
    assert read_lineage(pretrained) is None  # trained from scratch
    assert read_finetune(pretrained) is None
    with RunStore() as store:
        trainer, run_dir = create_run(tiny_mlp_spec(hidden=16), "digits", CONFIG, data=digits,
                                      store=store, initial=read_weights(pretrained),
                                      frozen=["fc"])
    lineage = read_lineage(run_dir)
    assert lineage["parent"] == str(pretrained) and lineage["relation"] == "fine-tuned"
    record = read_finetune(run_dir)
    assert record["init_from"] == str(pretrained)
    assert record["loaded_layers"] == ["fc", "head"] and record["fresh_layers"] == {}
    assert record["frozen_layers"] == ["fc"] and record["frozen_parameters"] == 16 * 64 + 16
    record_lineage(run_dir, "elsewhere.wbbundle", "pruned")  # the same API for compression
    assert read_lineage(run_dir)["relation"] == "pruned"
    (run_dir / "lineage.json").write_text("{damaged")
    assert read_lineage(run_dir) is None


def test_freeze_until_follows_model_order_and_names_unknown_layers() -> None:
    order = ["input", "conv1", "relu1", "pool1", "conv2", "head"]
    assert resolve_frozen(order, until="pool1") == ["input", "conv1", "relu1", "pool1"]
    assert resolve_frozen(order, ["head", "conv1"]) == ["conv1", "head"]
    with pytest.raises(FineTuneError, match="no layer 'conv9'"):
        resolve_frozen(order, ["conv9"])
    model = build_model(tiny_mlp_spec())
    handle = freeze(model, ["input", "flatten", "fc"])
    assert handle.layers == ["fc"]  # layers without weights have nothing to freeze
    released = handle.release()
    assert all(p.requires_grad for p in released) and len(released) == 2


def test_workspace_freeze_edits_undo_and_follow_renames() -> None:
    ws = Workspace(tiny_mlp_spec())
    edit = ws.freeze_all_but_head()
    assert ws.frozen == {"fc"}
    trainable, frozen, saved = ws.freeze_counts()
    assert frozen == 8 * 8 * 16 + 16 and trainable == 16 * 10 + 10
    assert saved == frozen * 4 * 3  # Adam: no gradient and no two moments per parameter
    edit.undo()
    assert ws.frozen == set()
    edit.redo()
    ws.rename("fc", "body")
    assert ws.frozen_layers() == ["body"]
    ws.set_frozen(["body"], False)
    assert ws.frozen == set()


class _StopAfterEpoch(Callback):
    trainer = None

    def __init__(self, epoch: int) -> None:
        self.epoch = epoch

    def on_epoch_end(self, event: EpochEnd) -> None:
        if event.epoch == self.epoch:
            self.trainer.request_stop()


@pytest.mark.slow
@pytest.mark.parametrize("stop_after", [0, 1])  # before the unfreezing, and after it
def test_gradual_unfreezing_resumes_exactly(pretrained: Path, digits, stop_after: int) -> None:
    """Frozen for one epoch, then trained at the body's rate with a 10x head; a run stopped
    and resumed ends with the same weights as one that ran through."""
    config = TrainingConfig(epochs=3, batch_size=64, lr=3e-3, device="cpu", schedule="cosine",
                            unfreeze_after=1, head_lr_multiplier=10.0)
    start = read_weights(pretrained)
    with RunStore() as store:
        whole, whole_dir = create_run(tiny_mlp_spec(hidden=16), "digits", config, data=digits,
                                      store=store, initial=start, frozen=["fc"])
        lrs = [g["lr"] for g in whole.optimizer.param_groups]
        assert lrs[1] == pytest.approx(10 * lrs[0])
        assert whole.fit().status == "finished"
        assert len(whole.optimizer.param_groups) == 3 and whole.frozen_layers == []
        stopper = _StopAfterEpoch(stop_after)
        part, part_dir = create_run(tiny_mlp_spec(hidden=16), "digits", config, data=digits,
                                    store=store, initial=start, frozen=["fc"],
                                    callbacks=[stopper])
        stopper.trainer = part
        assert part.fit().status == "stopped"
        frozen_so_far = torch.equal(_checkpoint(part_dir, "last")["fc.weight"],
                                    _checkpoint(pretrained)["fc.weight"])
        assert frozen_so_far == (stop_after == 0)
        resumed, _ = resume_run(part_dir, store=store)
        assert resumed.fit(resume=True).status == "finished"
    a, b = _checkpoint(whole_dir, "last"), _checkpoint(part_dir, "last")
    assert not torch.equal(a["fc.weight"], _checkpoint(pretrained)["fc.weight"])  # it trained
    for key in a:
        assert torch.equal(a[key], b[key]), key
    rows = json.loads((part_dir / "finetune.json").read_text())
    assert rows["unfreeze_after"] == 1


def test_freezing_everything_is_refused(digits) -> None:
    with RunStore() as store, pytest.raises(TrainingError, match="Every layer with weights"):
        create_run(tiny_mlp_spec(), "digits", CONFIG, data=digits, store=store,
                   frozen=["fc", "head"])


def test_a_run_id_and_a_safetensors_file_are_starts_too(pretrained: Path) -> None:
    run_id = json.loads((pretrained / "run.json").read_text())["id"]
    ws = Workspace()
    ws.start_from(run_id)  # by id: the run's model, its weights attached
    assert ws.spec.has_node("fc") and ws.initial_weights.origin == str(pretrained)
    assert "best checkpoint" in ws.initial_weights.notes[0]
    weights = pretrained / "checkpoints" / "best" / "model.safetensors"
    report = load_into(build_model(tiny_mlp_spec(hidden=16)), read_weights(weights))
    assert report.loaded == ["fc", "head"]
    with pytest.raises(FineTuneError, match="no run 'nope'"):
        read_weights("nope")
    with pytest.raises(FineTuneError, match="weights only"):
        ws.start_from(weights)
