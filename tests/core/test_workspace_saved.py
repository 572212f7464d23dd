"""The fine-tuning state saved with the model: frozen layers (and "freeze all but the head")
and where the start weights come from, written by the Workspace (format 4), read back when
the file is opened, with renames followed and a start that is gone said in words."""

from __future__ import annotations

import json

import pytest
from helpers import batchnorm_mlp_spec, tiny_mlp_spec
from safetensors.torch import save_file

from workbench.core.graph import ModelSpec, SpecFormatError, analyze, build_model
from workbench.core.graph.spec import FINE_TUNING_VERSION, SINGLE_GRAPH_VERSION
from workbench.core.workspace import Workspace


def _weights_file(tmp_path, spec: ModelSpec):
    """A safetensors file of a freshly built ``spec`` (its own layer names)."""
    model = build_model(spec, analyze(spec))
    path = tmp_path / "start.safetensors"
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(path))
    return path, model.state_dict()


def _reopen(path) -> Workspace:
    return Workspace(ModelSpec.load(path))


def test_frozen_layers_survive_save_and_open_and_undo_still_works(tmp_path):
    ws = Workspace(batchnorm_mlp_spec())
    ws.set_frozen(["fc", "bn"])
    path = tmp_path / "m.json"
    ws.save(path)
    raw = json.loads(path.read_text())
    assert raw["format_version"] == FINE_TUNING_VERSION
    assert raw["fine_tuning"]["frozen"] == ["fc", "bn"]
    again = _reopen(path)
    assert again.frozen == {"fc", "bn"} and again.frozen_layers() == ["fc", "bn"]
    assert again.spec.fine_tuning is None  # the workspace holds it while open
    edit = again.set_frozen(["bn"], False)
    assert again.frozen == {"fc"}
    edit.undo()
    assert again.frozen == {"fc", "bn"}
    # the graph is the same one
    assert [n.name for n in again.spec.nodes] == [n.name for n in ws.spec.nodes]


def test_freeze_all_but_the_head_is_saved_and_a_deleted_layer_is_not(tmp_path):
    ws = Workspace(batchnorm_mlp_spec())
    ws.freeze_all_but_head()
    assert ws.frozen == {"fc", "bn"}
    ws.remove(["bn"])  # its flag stays for undo, but the file has no layer 'bn'
    path = tmp_path / "m.json"
    ws.save(path)
    assert json.loads(path.read_text())["fine_tuning"]["frozen"] == ["fc"]
    assert _reopen(path).frozen == {"fc"}


def test_a_model_without_fine_tuning_is_written_as_before(tmp_path):
    ws = Workspace(tiny_mlp_spec())
    path = tmp_path / "m.json"
    ws.save(path)
    raw = json.loads(path.read_text())
    assert raw["format_version"] == SINGLE_GRAPH_VERSION and "fine_tuning" not in raw
    ws.set_frozen(["fc"])
    ws.set_frozen(["fc"], False)  # unfrozen again: nothing to record
    assert json.loads(ws.to_json())["format_version"] == SINGLE_GRAPH_VERSION


def test_older_formats_still_open_with_nothing_frozen(tmp_path):
    data = tiny_mlp_spec().to_dict()
    for version in (2, 3):
        ws = Workspace(ModelSpec.from_dict({**data, "format_version": version}))
        assert ws.frozen == set() and ws.initial_weights is None
        assert ws.missing_weights is None


@pytest.mark.parametrize("bad, words", [
    ([], "must be an object"),
    ({"frozen": "fc"}, "list of layer names"),
    ({"frozen": [1]}, "list of layer names"),
    ({"init_from": 5}, "path of a run or bundle"),
    ({"init_from": "x", "renamed": {"a": 1}}, "map layer names"),
])
def test_a_damaged_fine_tuning_section_is_refused_in_words(bad, words):
    data = {**tiny_mlp_spec().to_dict(), "format_version": 4, "fine_tuning": bad}
    with pytest.raises(SpecFormatError, match=words):
        ModelSpec.from_dict(data)


def test_start_weights_are_reattached_on_open_with_renames_followed(tmp_path):
    spec = tiny_mlp_spec()
    source, state = _weights_file(tmp_path, spec)
    ws = Workspace(spec)
    ws.attach_weights(source)
    ws.rename("fc", "hidden")
    path = tmp_path / "m.json"
    ws.save(path)
    raw = json.loads(path.read_text())["fine_tuning"]
    assert raw["init_from"] == str(source.resolve())
    assert raw["renamed"] == {"hidden": "fc"}
    again = _reopen(path)
    assert again.missing_weights is None
    assert again.initial_weights is not None
    assert again.initial_weights.origin == str(source.resolve())
    report = again.weights_report()
    assert set(report.loaded) == {"hidden", "head"}  # the renamed layer keeps its weights
    assert again.initial_weights.tensors["hidden"]["weight"].equal(state["fc.weight"])
    # renaming it back needs no entry any more
    again.rename("hidden", "fc")
    assert json.loads(again.to_json())["fine_tuning"].get("renamed", {}) == {}


def test_a_start_that_is_gone_is_said_kept_on_save_and_dropped_by_detach(tmp_path):
    spec = tiny_mlp_spec()
    source, _ = _weights_file(tmp_path, spec)
    ws = Workspace(spec)
    ws.attach_weights(source)
    path = tmp_path / "m.json"
    ws.save(path)
    source.unlink()
    again = _reopen(path)
    assert again.initial_weights is None
    missing = again.missing_weights
    assert missing is not None and missing.origin == str(source.resolve())
    assert str(source.resolve()) in missing.message() and "fresh weights" in missing.message()
    again.save(path)  # the reference is kept: the file may come back
    assert json.loads(path.read_text())["fine_tuning"]["init_from"] == str(source.resolve())
    again.detach_weights()
    again.save(path)
    assert "fine_tuning" not in json.loads(path.read_text())
    assert _reopen(path).missing_weights is None


def test_a_workspace_made_from_the_file_freezes_its_layers(tmp_path):
    """``workbench train model.json`` makes a Workspace of the file: its frozen layers are
    what the run freezes (``frozen_layers``, given to create_run)."""
    ws = Workspace(tiny_mlp_spec())
    ws.set_frozen(["fc"])
    path = tmp_path / "m.json"
    ws.save(path)
    opened = Workspace(ModelSpec.load(path))
    assert opened.frozen_layers() == ["fc"]
    trainable, frozen, _ = opened.freeze_counts()
    assert frozen == opened.analysis.nodes["fc"].trainable > 0


def test_a_run_records_renames_so_every_rank_loads_the_renamed_layer(tmp_path):
    """``--nproc N`` ranks read the start weights again from the run's finetune.json: a layer
    renamed on the canvas must get its weights there too."""
    from workbench.core.data import load_source
    from workbench.core.distributed.worker import _fine_tuning
    from workbench.core.engine import TrainingConfig
    from workbench.core.runs import RunStore

    spec = tiny_mlp_spec()
    source, state = _weights_file(tmp_path, spec)
    ws = Workspace(spec, TrainingConfig(epochs=1))
    ws.attach_weights(source)
    ws.rename("fc", "hidden")
    with RunStore(tmp_path / "runs.sqlite") as store:
        trainer, run_dir = ws.create_run(data=load_source("digits", seed=0),
                                         runs_dir=tmp_path / "runs", store=store)
    assert "hidden" in trainer.load_report.loaded
    initial, _frozen = _fine_tuning(run_dir, resume=False)
    assert initial.tensors["hidden"]["weight"].equal(state["fc.weight"])
    assert "fc" not in initial.tensors
