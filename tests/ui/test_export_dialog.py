"""File > Export… and opening a Workbench bundle with File > Open…: real exports of small
models through the dialog (paths answered by the fake prompts), their verification, failures
shown as one line, and bundles (good and damaged) opened back into the window."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import torch
from helpers import OpaqueReLU, tiny_mlp_spec

from workbench.core.export import ATOL, FORMATS, load_bundle, save_bundle
from workbench.core.graph import build_model
from workbench.core.templates import load_template
from workbench.ui.export import ExportSource, find_sources
from workbench.ui.export.sources import Loaded


def open_dialog(window):
    window.export_action.trigger()  # what File > Export… and Ctrl+E do
    dialog = window.export_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def export(qtbot, dialog, fmt: str, path: Path | None = None):
    """Export with the dialog's current source; returns the ExportOutcome it reported."""
    dialog.select_format(fmt)
    if path is not None:
        dialog.set_path(path)
    with qtbot.waitSignal(dialog.exported, timeout=120_000) as sig:
        assert dialog.start_export()
        # while the worker thread exports, the dialog says so and takes no second export
        assert dialog.busy.isVisible() and not dialog.export_button.isEnabled()
        assert not dialog.start_export()
    assert not dialog.is_busy() and not dialog.busy.isVisible()
    assert dialog.export_button.isEnabled()
    return sig.args[0]


def test_canvas_model_exports_to_onnx_and_a_bundle_that_reopens(qtbot, make_window, prompts,
                                                                 tmp_path):
    w = make_window("lenet5")
    assert w.export_action.shortcut().toString() == "Ctrl+E"
    assert w.export_action in w.file_menu.actions() and w.export_action.isEnabled()
    dialog = open_dialog(w)

    # no run: the untrained canvas model, and the dialog says so
    assert [s.kind for s in dialog.sources] == ["canvas"]
    assert "untrained" in dialog.source_label.text() and "LeNet-5" in dialog.source_label.text()
    # every format of the core, each with its explanation
    texts = [dialog.format_list.item(i).text() for i in range(dialog.format_list.count())]
    assert len(texts) == len(FORMATS)
    for fmt, text in zip(FORMATS.values(), texts, strict=True):
        assert fmt.title in text and fmt.description in text
    assert dialog.verify_box.isChecked()  # checking is the default

    # ONNX, the path chosen through the (fake) file dialog
    prompts.export_answer = str(tmp_path / "lenet.onnx")
    dialog.select_format("onnx")
    assert dialog.browse()
    assert prompts.asked[-1] == "export:ONNX" and dialog.path_edit.text() == prompts.export_answer
    out = export(qtbot, dialog, "onnx")
    assert out.ok, out.error
    assert (tmp_path / "lenet.onnx").is_file()
    assert out.result.verified and out.result.max_abs_diff <= ATOL
    shown = dialog.result_text.text()
    assert f"Wrote {tmp_path / 'lenet.onnx'}" in shown
    assert "max abs difference" in shown and "onnxruntime" in shown
    assert dialog.result_title.text().startswith("✓")

    # a bundle: choosing the format renames the default file, same folder
    dialog.select_format("bundle")
    suggested = Path(dialog.path_edit.text())
    assert suggested.parent == tmp_path and suggested.name == "lenet-5.wbbundle"
    out = export(qtbot, dialog, "bundle")
    assert out.ok and out.result.verified and suggested.is_file()
    assert "load_bundle" in dialog.result_text.text()
    assert load_bundle(suggested).spec.to_dict() == w.document.spec.to_dict()
    dialog.reject()
    assert not dialog.isVisible()

    # File > Open… on the bundle: the same model on the canvas, a new untitled document
    exported_spec = w.document.spec.to_dict()
    assert w.new_from_template("mlp") and w.document.spec.name != "LeNet-5"
    prompts.open_answer = str(suggested)
    assert w.open_file()
    assert w.document.spec.to_dict() == exported_spec
    assert w.document.path is None and w.document.display_name == "lenet-5"
    assert w.windowTitle().startswith("lenet-5")
    assert w.scene.item_for("conv1") is not None  # drawn on the canvas
    assert prompts.errors == []


def test_failed_export_says_which_layer_and_leaves_no_file(qtbot, make_window, prompts,
                                                         tmp_path, monkeypatch):
    w = make_window("lenet5")

    def patched_load(self: ExportSource) -> Loaded:
        model = build_model(self.spec)
        model.relu1 = OpaqueReLU()  # same outputs, but ONNX cannot hold it
        return Loaded(model)

    monkeypatch.setattr(ExportSource, "load", patched_load)
    dialog = open_dialog(w)
    out = export(qtbot, dialog, "onnx", tmp_path / "m.onnx")
    assert not out.ok and out.node == "relu1"
    text = dialog.result_text.text()
    assert "ONNX cannot hold ReLU 'relu1'" in text and "wbtest.opaque_relu" in text
    assert "Traceback" not in text and len(text.splitlines()) == 1
    assert dialog.result_title.text().startswith("✗")
    assert list(tmp_path.iterdir()) == []  # nothing half-written
    assert dialog.show_node_button.isVisible()
    dialog.show_node_button.click()  # takes the user to the layer
    assert w.scene.selected_names() == ["relu1"]

    # a project cannot go into a folder holding other files: the core's message, no traceback
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "thesis.tex").write_text("mine")
    out = export(qtbot, dialog, "pytorch", taken)
    assert not out.ok and "not empty" in dialog.result_text.text()
    assert not dialog.show_node_button.isVisible()
    assert (taken / "thesis.tex").read_text() == "mine"

    # an existing file is replaced only when the user says so
    existing = tmp_path / "keep.onnx"
    existing.write_text("old")
    prompts.overwrite_answer = False
    dialog.select_format("onnx")
    dialog.set_path(existing)
    assert not dialog.start_export() and not dialog.is_busy()
    assert prompts.asked[-1] == f"overwrite:{existing}" and existing.read_text() == "old"


def test_canvas_model_with_problems_cannot_be_exported(qtbot, make_window):
    w = make_window("lenet5")
    fc1 = w.document.spec.node("fc1")
    fc1.params["in_features"] = 7  # a mismatch the analysis reports
    w.document.reanalyze()
    assert not w.document.analysis.ok
    dialog = open_dialog(w)
    assert "problem" in dialog.source_label.text()
    assert not dialog.export_button.isEnabled() and not dialog.start_export()
    w.document.undo_stack.setClean()


@pytest.fixture
def good_bundle(tmp_path) -> Path:
    spec = load_template("lenet5")
    return save_bundle(tmp_path / "good.wbbundle", spec, build_model(spec), {})


def _tampered(good: Path, out: Path) -> Path:
    """The same zip with one member changed after the manifest was written."""
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "spec.json":
                data = data.replace(b"LeNet-5", b"LeNet-6")
            dst.writestr(info, data)
    return out


@pytest.mark.parametrize("damage, message", [
    ("truncated", "not a Workbench bundle (not a zip file, or it is truncated)"),
    ("tampered", "has been modified"),
    ("not_a_bundle", "is not a Workbench bundle (it has no manifest.json)"),
])
def test_a_damaged_bundle_changes_nothing(qtbot, make_window, prompts, good_bundle, tmp_path,
                                          damage, message):
    w = make_window("mlp")
    before, spec_object = w.document.spec.to_dict(), w.document.spec
    bad = tmp_path / f"{damage}.wbbundle"
    if damage == "truncated":
        bad.write_bytes(good_bundle.read_bytes()[:-300])
    elif damage == "tampered":
        _tampered(good_bundle, bad)
    else:  # some other zip
        with zipfile.ZipFile(bad, "w") as z:
            z.writestr("spec.json", '{"format_version": 2, "nodes": []}')
    assert not w.open_file(bad)
    title, text = prompts.errors[-1]
    assert title == "Cannot open the bundle" and message in text and bad.name in text
    assert "Traceback" not in text
    assert w.document.spec is spec_object and w.document.spec.to_dict() == before
    assert w.document.display_name == "Untitled" and str(bad.resolve()) not in w.recent_files()


# -- a trained run: the dialog picks it, the bundle carries it, Try it uses it --------------
@pytest.fixture
def trained(make_window, tmp_path, monkeypatch):
    """A window with the training tabs and one finished tiny run (8x8 digits, 1 epoch)."""
    from workbench.core.data import load_source
    from workbench.core.engine import TrainingConfig
    from workbench.core.runs import RunStore, create_run
    from workbench.ui.training import install_training_ui

    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    store = RunStore()
    data = load_source("digits", seed=0)
    trainer, run_dir = create_run(tiny_mlp_spec(), "digits",
                                  TrainingConfig(epochs=1, lr=3e-3, device="cpu"),
                                  data=data, store=store)
    assert trainer.fit().status == "finished"
    w = make_window("lenet5")
    install_training_ui(w, store=store)
    yield w, run_dir, data
    w.training_ui.shutdown()
    store.close()


def test_a_trained_run_exports_with_its_data_and_reopens_for_try_it(qtbot, trained, prompts,
                                                                    tmp_path):
    from workbench.ui.widgets.thumbnails import sample_to_qimage

    w, run_dir, data = trained
    ui = w.training_ui
    assert [s.kind for s in find_sources(w)[0]] == ["canvas"]  # nothing selected, nothing run
    ui.run_dir = str(run_dir)  # as after training in this session: the last run comes first
    assert [s.kind for s in find_sources(w)[0]] == ["run", "canvas"]
    ui.run_dir = None
    panel = ui.runs_panel
    panel.refresh()
    panel.select_ids([panel.records()[0].id])  # selected on the Runs tab
    dialog = open_dialog(w)
    assert [s.kind for s in dialog.sources] == ["run", "canvas"]
    label = dialog.source_label.text()
    assert "Run 'Tiny MLP'" in label and "best weights" in label and "test acc" in label
    assert str(run_dir) in label
    bundle = tmp_path / "tiny.wbbundle"
    out = export(qtbot, dialog, "bundle", bundle)
    assert out.ok and out.result.verified
    b = load_bundle(bundle)
    assert b.spec.name == "Tiny MLP" and b.meta["source"] == "digits"
    assert b.config["epochs"] == 1 and b.metrics["accuracy"] is not None
    from safetensors.torch import load_file

    best = load_file(str(run_dir / "checkpoints" / "best" / "model.safetensors"))
    assert torch.equal(b.model.state_dict()["fc.weight"], best["fc.weight"])  # trained weights
    dialog.reject()

    # opening the bundle: its model on the canvas, its weights in Try it
    ev = ui.evaluation_panel
    assert not ev.predict_button.isEnabled()
    assert w.open_file(bundle)
    assert w.document.spec.to_dict() == b.spec.to_dict()
    assert ev.open_button.isEnabled() and "Test accuracy" in ev.headline.text()
    image = tmp_path / "digit.png"
    assert sample_to_qimage(data.test.x[0]).save(str(image))
    rows = ev.predict_file(str(image))
    assert len(rows) == 5 and abs(sum(p for _, p in rows) - 1) < 0.5
    assert "Prediction" in ev.try_status.text()
    # its evaluation's worst samples are drawn: the test split is loaded again from the
    # source the bundle names (an evaluation keeps indices, not images)
    w.tabs.setCurrentWidget(ev)
    assert ev.gallery.count() > 0
    qtbot.waitUntil(lambda: not ev.gallery.item(0).icon().isNull(), timeout=60000)
    assert ev.shutdown()


def test_the_export_runs_off_the_gui_thread(qtbot, make_window, tmp_path, monkeypatch):
    """The slow part (building/loading and writing) never runs on the GUI thread."""
    import threading

    threads = []
    real_load = ExportSource.load

    def spy(self):
        threads.append(threading.current_thread())
        return real_load(self)

    monkeypatch.setattr(ExportSource, "load", spy)
    w = make_window("lenet5")
    dialog = open_dialog(w)
    out = export(qtbot, dialog, "torchscript", tmp_path / "m.ts")
    assert out.ok and threads and threads[0] is not threading.main_thread()
