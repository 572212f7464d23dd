"""Fine-tuning state in the app's files: frozen layers and the start weights' origin are
saved, autosaved and restored (the canvas shows them frozen again, undo works), and a start
that is gone is said on opening, in the Summary, and can be detached."""

from __future__ import annotations

import json

from safetensors.torch import save_file

from workbench.ui.document import recovery_file


def _weights_file(window, tmp_path):
    from workbench.core.graph import build_model

    ws = window.document.workspace
    model = build_model(ws.spec, ws.analysis)
    path = tmp_path / "start.safetensors"
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(path))
    return path


def test_frozen_layers_and_weights_come_back_when_the_file_is_opened(make_window, tmp_path):
    w = make_window("mlp")
    ws = w.document.workspace
    source = _weights_file(w, tmp_path)
    assert not w.detach_weights_action.isEnabled()
    ws.attach_weights(source)
    assert w.detach_weights_action.isEnabled()
    w.freeze_head_action.trigger()
    assert ws.frozen == {"fc1", "fc2"}
    path = tmp_path / "tuned.json"
    assert w.save_as(path)
    assert json.loads(path.read_text())["fine_tuning"]["init_from"] == str(source.resolve())

    other = make_window("mlp")
    other.maybe_save = lambda: True
    assert other.open_file(path)
    again = other.document.workspace
    assert again.frozen == {"fc1", "fc2"}
    assert other.scene.item_for("fc1").frozen and not other.scene.item_for("head").frozen
    assert again.initial_weights is not None and again.missing_weights is None
    assert other.summary.weights_note.isVisibleTo(other.summary)
    assert "fc1" in other.summary.weights_note.text()  # loaded layers are listed
    assert not other.document.is_modified
    other.scene.select_names(["fc2"])
    other.freeze_action.trigger()  # unfreeze fc2, then undo it
    assert again.frozen == {"fc1"} and not other.scene.item_for("fc2").frozen
    other.document.undo_stack.undo()
    assert again.frozen == {"fc1", "fc2"} and other.scene.item_for("fc2").frozen
    assert not other.document.is_modified


def test_autosave_recovery_keeps_frozen_layers_and_weights(make_window, prompts, tmp_path):
    w = make_window("mlp")
    ws = w.document.workspace
    ws.attach_weights(_weights_file(w, tmp_path))
    w.scene.select_names(["fc1"])
    w.freeze_action.trigger()
    rec = w.document.autosave_now()
    assert rec == recovery_file(None)
    assert json.loads(rec.read_text())["fine_tuning"]["frozen"] == ["fc1"]

    other = make_window("mlp")  # after a crash: the next window offers the recovery
    assert other.offer_recovery()
    restored = other.document.workspace
    assert restored.frozen == {"fc1"} and other.scene.item_for("fc1").frozen
    assert restored.initial_weights is not None
    assert other.document.is_modified


def test_a_start_that_is_gone_is_said_and_can_be_detached(make_window, prompts, tmp_path):
    w = make_window("mlp")
    source = _weights_file(w, tmp_path)
    w.document.workspace.attach_weights(source)
    path = tmp_path / "tuned.json"
    assert w.save_as(path)
    source.unlink()

    other = make_window("mlp")
    other.maybe_save = lambda: True
    assert other.open_file(path)
    ws = other.document.workspace
    assert ws.initial_weights is None and ws.missing_weights is not None
    (title, text), = prompts.warnings  # said once, on opening
    assert "cannot be found" in title and str(source.resolve()) in text
    note = other.summary.weights_note
    assert note.isVisibleTo(other.summary) and "fresh weights" in note.text()
    assert not other.document.is_modified
    assert other.detach_weights_action.isEnabled()
    other.detach_weights_action.trigger()
    assert ws.missing_weights is None and not note.isVisibleTo(other.summary)
    assert not other.detach_weights_action.isEnabled()  # nothing left to detach
    assert other.document.is_modified  # the file still names the start
    assert other.save()
    assert "fine_tuning" not in json.loads(path.read_text())


def test_weights_on_a_model_with_errors_are_said_to_be_attached(make_window, tmp_path):
    from workbench.ui.commands import RemoveCommand

    w = make_window("mlp")
    w.document.workspace.attach_weights(_weights_file(w, tmp_path))
    w.document.push(RemoveCommand(w.document, ["flatten"]))  # fc1 loses its input
    assert not w.document.analysis.ok
    note = w.summary.weights_note
    assert note.isVisibleTo(w.summary) and "Start weights attached" in note.text()


def test_the_canvas_exports_its_fine_tuning_set_up(make_window, tmp_path):
    """File > Export of the canvas model: train.py freezes the canvas's frozen layers with
    its settings, and the weights are the start weights (fine-tune with --weights)."""
    from dataclasses import replace

    from safetensors.torch import load_file

    from workbench.core.export import export_model
    from workbench.ui.export.sources import canvas_source

    w = make_window("mlp")
    ws = w.document.workspace
    plain = canvas_source(w.document)
    assert "untrained" in plain.title and "frozen" not in plain.config
    source = _weights_file(w, tmp_path)
    ws.attach_weights(source)
    ws.set_frozen(["fc1"])
    ws.set_config(replace(ws.config, head_lr_multiplier=5.0, unfreeze_after=2))
    export = canvas_source(w.document)
    assert source.name in export.title
    loaded = export.load()
    folder = tmp_path / "project"
    export_model("pytorch", folder, spec=export.spec, model=loaded.model, meta=loaded.meta,
                 config=loaded.config)
    text = (folder / "train.py").read_text()
    assert "'frozen': ['fc1']" in text and "'unfreeze_after': 2" in text
    assert "'head_lr_multiplier': 5.0" in text and "'head': ['head']" in text
    start, exported = load_file(str(source)), load_file(str(folder / "weights.safetensors"))
    assert all(exported[k].equal(v) for k, v in start.items())
