"""The Workspace without Qt: the model rules, undoable edits, the analysis it keeps at the
training batch, the data choice, and runs made from it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import batchnorm_mlp_spec, tiny_mlp_spec

from workbench.core.data import load_source
from workbench.core.engine import TrainingConfig
from workbench.core.graph import Edge, ModelSpec, analyze
from workbench.core.runs import RunStore, open_run
from workbench.core.templates import load_template
from workbench.core.workspace import (
    BLANK_NAME,
    DataChoice,
    EditError,
    Workspace,
    WorkspaceListener,
)


class Recorder(WorkspaceListener):
    def __init__(self) -> None:
        self.seen: list[tuple] = []

    def on_loaded(self) -> None:
        self.seen.append(("loaded",))

    def on_model_changed(self, analysis) -> None:
        self.seen.append(("changed", analysis.batch))

    def on_renamed(self, old: str, new: str) -> None:
        self.seen.append(("renamed", old, new))

    def on_config_changed(self, config) -> None:
        self.seen.append(("config", config.batch_size))

    def on_data_changed(self, data) -> None:
        self.seen.append(("data", data.source))


@pytest.fixture
def ws() -> Workspace:
    return Workspace(load_template("cnn_mnist"))


def test_connect_rules_use_the_graphs_own_checks(ws):
    assert ws.can_connect("input", "pool1") is None
    assert "loop" in ws.can_connect("dense", "conv2")
    assert "itself" in ws.can_connect("conv1", "conv1")
    assert "no input 'nope'" in ws.can_connect("conv1", "relu1", "nope")
    assert "takes no input" in ws.can_connect("conv1", "input")
    assert "nothing may follow" in ws.can_connect("head", "dense")
    assert "no layer 'ghost'" in ws.can_connect("ghost", "dense")
    with pytest.raises(EditError, match="loop"):
        ws.connect("dense", "conv2")
    before = ws.spec.to_dict()
    edit = ws.connect("input", "pool1")  # replaces relu1 -> pool1: a port takes one
    assert Edge("input", "pool1") in ws.spec.edges and Edge("relu1", "pool1") not in ws.spec.edges
    edit.undo()
    assert ws.spec.to_dict() == before


def test_every_edit_undoes_and_redoes_and_the_analysis_follows(ws):
    listener = Recorder()
    ws.subscribe(listener)
    spec = ws.spec
    edits = [
        lambda: ws.add_node(ws.new_node("Dropout", (300, 300)), "relu3"),
        lambda: ws.remove(["relu2", "pool2"]),
        lambda: ws.disconnect([Edge("relu1", "pool1")]),
        lambda: ws.set_param("conv1", "out_channels", 8),
        lambda: ws.set_params("input", {"height": 20, "width": 20}, "Set input to 1 x 20 x 20"),
        lambda: ws.rename("pool1", "downsample"),
        lambda: ws.move({"conv1": (spec.node("conv1").pos, (90.0, 120.0))}),
        lambda: ws.set_properties(name="Mine", description="my own"),
    ]
    for make in edits:
        before = spec.to_dict()
        params = ws.analysis.total_params
        edit = make()
        after = spec.to_dict()
        assert after != before, edit.text
        assert edit.text
        edit.undo()
        assert spec.to_dict() == before and ws.analysis.total_params == params
        edit.redo()
        assert spec.to_dict() == after
        assert ws.analysis.total_params == analyze(spec, ws.config.batch_size).total_params
        edit.undo()
    assert ("renamed", "pool1", "downsample") in listener.seen
    assert ("renamed", "downsample", "pool1") in listener.seen
    assert listener.seen.count(("changed", 64)) == 4 * len(edits)  # do, undo, redo, undo


def test_new_layers_are_named_like_the_templates(ws):
    assert ws.new_node("Conv2d").name == "conv"
    ws.add_node(ws.new_node("Conv2d"))
    assert ws.new_node("Conv2d").name == "conv_1"
    assert ws.new_node("Linear").name == "dense_1"  # cnn_mnist has a "dense"
    assert ws.new_node("BatchNorm2d").name == "bn"
    assert ws.new_node("Conv2d", params={"out_channels": 4}).params["out_channels"] == 4
    assert ws.unique_name("conv", taken=["conv_1"]) == "conv_2"


def test_adding_after_a_middle_layer_splices_it_into_the_chain(ws):
    spec = ws.spec
    before = spec.to_dict()
    below = {n: spec.node(n).pos for n in ("pool1", "conv2", "head")}
    relu1 = spec.node("relu1").pos
    node, edit = ws.add_layer("Dropout", (999.0, 999.0), after="relu1")
    assert Edge("relu1", node.name) in spec.edges and Edge(node.name, "pool1") in spec.edges
    assert Edge("relu1", "pool1") not in spec.edges  # no branch
    assert ws.analysis.ok
    assert node.pos == (relu1[0], relu1[1] + 100.0)
    for name, (x, y) in below.items():  # everything below made room, one row down
        assert spec.node(name).pos == (x, y + 100.0)
    edit.undo()  # one step
    assert spec.to_dict() == before
    edit.redo()
    assert Edge(node.name, "pool1") in spec.edges and spec.node("head").pos[1] > below["head"][1]


def test_adding_after_the_last_layer_or_a_head_branch_does_not_splice(ws):
    spec = ws.spec
    node, _ = ws.add_layer("ReLU", (0, 900), after="head")
    assert Edge("head", node.name) not in spec.edges  # nothing may follow the output
    node, _ = ws.add_layer("ClassificationHead", (200, 500), after="relu3")
    assert Edge("relu3", node.name) in spec.edges and Edge("relu3", "head") in spec.edges
    tail = Workspace(tiny_mlp_spec(broken=True))  # relu is last: plain append
    node, _ = tail.add_layer("Dropout", (0, 400), after="relu")
    assert tail.spec.outputs_of("relu") == [Edge("relu", node.name)]


def test_consecutive_changes_of_one_parameter_merge(ws):
    first = ws.set_param("conv1", "out_channels", 33)
    for v in (34, 35):
        assert first.merge(ws.set_param("conv1", "out_channels", v))
    assert not first.merge(ws.set_param("conv1", "kernel_size", 5))
    first.undo()
    assert ws.spec.node("conv1").params["out_channels"] == 32


def test_rename_is_checked_and_keyed_state_follows(ws):
    assert "already named" in ws.name_problem("conv1", "conv2")
    assert "letters, digits" in ws.name_problem("conv1", "9lives")
    with pytest.raises(EditError):
        ws.rename("conv1", "conv2")
    ws.frozen.add("conv1")
    edit = ws.rename("conv1", "features")
    assert ws.frozen == {"features"} and Edge("features", "relu1") in ws.spec.edges
    edit.undo()
    assert ws.frozen == {"conv1"}


def test_model_properties_and_a_blank_model():
    ws = Workspace()
    assert ws.spec.name == BLANK_NAME and ws.spec.nodes == [] and ws.has_automatic_name
    ws.load(load_template("mlp"), automatic_name=True)
    assert ws.has_automatic_name and ws.automatic_name == ws.spec.name != BLANK_NAME
    edit = ws.set_properties(name="Digits net", description="my first model")
    assert (ws.spec.name, ws.spec.description) == ("Digits net", "my first model")
    assert not ws.has_automatic_name and "properties" in edit.text
    edit.undo()
    assert ws.has_automatic_name
    with pytest.raises(EditError, match="needs a name"):
        ws.set_properties(name="  ")
    ws.new_blank()
    assert ws.spec.name == BLANK_NAME and not ws.spec.nodes


def test_the_analysis_is_at_the_configured_batch_and_optimizer():
    ws = Workspace(batchnorm_mlp_spec())
    listener = Recorder()
    ws.subscribe(listener)
    assert ws.analysis.batch == 64 and ws.analysis.ok  # Linear -> BatchNorm1d trains
    ws.set_batch_size(1)
    assert ws.analysis.batch == 1 and not ws.analysis.ok
    assert "batch size of at least 2" in ws.analysis.errors[0].message
    assert listener.seen[-2:] == [("config", 1), ("changed", 1)]
    ws.set_batch_size(32)
    sgd = ws.analysis.memory.optimizer
    ws.set_optimizer("adam")
    assert ws.analysis.memory.optimizer == sgd  # adam was already the default
    ws.set_optimizer("sgd")
    assert ws.analysis.memory.optimizer == sgd // 2
    ws.set_config(ws.config)  # no change, no news
    assert listener.seen[-1] == ("changed", 32)


def test_data_fit_and_its_fix_are_one_edit():
    ws = Workspace(load_template("mlp"))  # 28 x 28 input
    digits = load_source("digits")
    [mismatch] = ws.check_data(digits)
    assert mismatch.fixable and "8 x 8" in mismatch.message
    edit = ws.apply_fix(mismatch)
    assert ws.check_data(digits) == []
    assert edit.text == mismatch.fix_label
    edit.undo()
    assert ws.check_data(digits) == [mismatch]


def test_a_run_uses_the_workspace_analysis_at_its_batch(tmp_path, monkeypatch):
    """Linear -> BatchNorm1d: valid at batch 16, so it trains (the run used to re-analyse at
    batch 1 and refuse it)."""
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    ws = Workspace(batchnorm_mlp_spec(), TrainingConfig(epochs=1, batch_size=16, device="cpu"),
                   DataChoice("digits"))
    with RunStore() as store:
        trainer, run_dir = ws.create_run(store=store)
        assert trainer.fit().status == "finished"
    assert open_run(run_dir).evaluation["accuracy"] > 0.3


def test_relative_data_paths_are_stored_absolute(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    work = tmp_path / "project"
    work.mkdir()
    rows = "".join(f"{i % 7},{(i * 3) % 5},{i % 2}\n" for i in range(60))
    (work / "table.csv").write_text("a,b,label\n" + rows)
    monkeypatch.chdir(work)
    spec = ModelSpec(name="csv net")
    spec.add_node("FeatureInput", "input", {"features": 2})
    spec.add_node("Linear", "fc", {"out_features": 4})
    spec.add_node("ClassificationHead", "head", {"classes": 2})
    spec.connect("input", "fc")
    spec.connect("fc", "head")
    ws = Workspace(spec, TrainingConfig(epochs=1, batch_size=8, device="cpu"))
    ws.set_data(DataChoice("csv:table.csv"))
    assert ws.data.source == f"csv:{work / 'table.csv'}"
    assert ws.data.display() == "csv:table.csv"
    with RunStore() as store:
        trainer, run_dir = ws.create_run(store=store)
        trainer.fit()
    monkeypatch.chdir(tmp_path)
    run = open_run(run_dir)
    assert run.data_source == f"csv:{work / 'table.csv'}"
    assert run.meta.source == run.data_source
    assert len(load_source(run.data_source, **run.data_options).test) > 0
    assert os.path.isabs(str(run.data_source).partition(":")[2])


def test_relative_paths_are_shown_relative_to_a_folder(tmp_path):
    choice = DataChoice(f"idx:{tmp_path / 'mnist'}")
    assert choice.display(tmp_path) == "idx:mnist"
    assert DataChoice("digits").absolute() == DataChoice("digits")
    assert DataChoice(f"folder:{Path.home() / 'pets'}").display("/nowhere") == "folder:~/pets"
