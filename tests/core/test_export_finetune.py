"""The exported train.py reproduces fine-tuning settings beside freezing: the head's
learning-rate multiplier (a group of its own at lr x multiplier, through the schedule) and
gradual unfreezing (the frozen layers join at the body's rate). train.py's own functions are
imported from the exported folder and driven here, without a training run."""

from __future__ import annotations

import importlib.util
import sys
import uuid

import pytest
from helpers import batchnorm_mlp_spec

from workbench.core.data import load_source
from workbench.core.data.meta import DataMeta
from workbench.core.engine.config import TrainingConfig
from workbench.core.export import export_model
from workbench.core.graph import build_model


def _export(tmp_path, **settings):
    spec = batchnorm_mlp_spec()
    folder = tmp_path / "project"
    frozen = settings.pop("frozen", [])
    config = {**TrainingConfig(epochs=2, lr=1e-3, **settings).to_dict(), "frozen": frozen}
    result = export_model("pytorch", folder, spec=spec, model=build_model(spec),
                          meta=DataMeta.from_dataset(load_source("digits", seed=0), "digits"),
                          config=config)
    return folder, result


def _import_train_py(folder):
    """train.py as a module (its ``from model import ...`` finds the folder's model.py)."""
    sys.path.insert(0, str(folder))
    try:
        sys.modules.pop("model", None)
        name = f"exported_train_{uuid.uuid4().hex}"
        spec = importlib.util.spec_from_file_location(name, folder / "train.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop("model", None)


@pytest.mark.parametrize("schedule", ["none", "cosine", "onecycle"])
def test_the_head_learns_at_its_multiplier_in_train_py(tmp_path, schedule):
    folder, result = _export(tmp_path, head_lr_multiplier=10.0, schedule=schedule)
    assert not any("multiplier" in n for n in result.notes)  # reproduced, not excused
    train = _import_train_py(folder)
    assert train.CONFIG["head_lr_multiplier"] == 10.0 and train.CONFIG["head"] == ["head"]
    model = train.Model()
    opt = train.make_optimizer(train.param_groups(model, train.CONFIG), train.CONFIG)
    sched = train.make_schedule(opt, train.CONFIG, steps_per_epoch=5)
    body, head = opt.param_groups
    assert {id(p) for p in head["params"]} == {id(p) for p in model.head.parameters()}
    assert len(body["params"]) + len(head["params"]) == len(list(model.parameters()))
    for _ in range(3):  # the ratio holds through warm-up and decay
        assert head["lr"] == pytest.approx(10.0 * body["lr"])
        opt.step()
        sched.step()


def test_without_a_multiplier_train_py_has_one_group(tmp_path):
    folder, _ = _export(tmp_path)
    train = _import_train_py(folder)
    assert "head_lr_multiplier" not in train.CONFIG
    model = train.Model()
    opt = train.make_optimizer(train.param_groups(model, train.CONFIG), train.CONFIG)
    assert len(opt.param_groups) == 1


def test_unfreezing_in_train_py_joins_at_the_bodys_rate(tmp_path):
    folder, _ = _export(tmp_path, head_lr_multiplier=4.0, unfreeze_after=1,
                        frozen=["fc", "bn"])
    train = _import_train_py(folder)
    assert train.CONFIG["unfreeze_after"] == 1 and train.CONFIG["frozen"] == ["fc", "bn"]
    model = train.Model()
    frozen = train.frozen_layers(model, train.CONFIG)
    opt = train.make_optimizer(train.param_groups(model, train.CONFIG), train.CONFIG)
    sched = train.make_schedule(opt, train.CONFIG, steps_per_epoch=5)
    trained = {id(p) for g in opt.param_groups for p in g["params"]}
    assert not trained & {id(p) for p in model.fc.parameters()}  # frozen: in no group
    train.unfreeze(frozen, opt, sched)
    assert len(opt.param_groups) == 3
    body, head, joined = opt.param_groups
    assert joined["lr"] == body["lr"] and head["lr"] == pytest.approx(4.0 * body["lr"])
    assert all(p.requires_grad for p in model.parameters())
    opt.step()
    sched.step()
    assert joined["lr"] == body["lr"]
