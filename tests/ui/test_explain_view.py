"""The Explain window: Run on a worker with progress, Cancel that leaves no thread behind,
the picture and its colour scale, Save PNG and Copy, text models as coloured tokens, the
Look-inside view, the canvas selection followed, and the Evaluation tab's entries to it."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton
from region_task import attention_spec, region_cnn_spec, region_images, trained_run

from workbench.core.data.meta import DataMeta
from workbench.core.explain import Subject
from workbench.core.graph import build_model
from workbench.ui.evaluation.panel import EvaluationPanel
from workbench.ui.explain import ExplainView, InsideView, open_windows


@pytest.fixture(scope="module")
def region() -> Subject:
    return Subject.open(trained_run("region"))


@pytest.fixture
def view(qtbot, region):
    v = ExplainView()
    qtbot.addWidget(v)
    v.set_subject(region)
    yield v
    v.cancel_and_wait()


def _vertical_bar() -> torch.Tensor:
    return region_images(2, seed=21)[0][1]


def test_run_shows_the_map_with_its_scale_and_saves_it(qtbot, view, tmp_path):
    assert not view.run_button.isEnabled()  # no input yet
    assert view.set_input(_vertical_bar()) and view.input_view.layers
    assert view.current_method() == "gradcam" and view.layer.isEnabled()
    assert [view.layer.itemData(i) for i in range(view.layer.count())] == \
        [None, "conv1", "relu1", "pool1", "conv2", "relu2"]
    seen = []
    view.progress.valueChanged.connect(seen.append)
    with qtbot.waitSignal(view.finished, timeout=60_000) as blocker:
        assert view.run()
        assert view.cancel_button.isEnabled() and not view.run_button.isEnabled()
    e = blocker.args[0]
    assert e is not None and e.layer == "relu2" and e.predicted_name == "vertical"
    assert len(view.heat_view.layers) == 2 and view.scale.isVisibleTo(view)
    assert view.layer_view.isVisibleTo(view) and "relu2: 8 x 8" in view.layer_view.caption
    assert "Grad-CAM for the predicted class vertical" in view.status.text()
    assert view.run_button.isEnabled() and not view.cancel_button.isEnabled()
    out = view.save_png(tmp_path / "heat.png")
    assert out is not None and out.stat().st_size > 1000
    assert view.copy() and not QGuiApplication.clipboard().image().isNull()


def test_cancel_stops_a_slow_method_and_joins_its_thread(qtbot, view):
    view.set_input(_vertical_bar())
    view.method.setCurrentIndex(view.method.findData("shap"))
    assert not view.layer.isEnabled()

    def cancel_at_first_progress(fraction: float, _text: str) -> None:
        if 0 < fraction < 1:
            view.cancel()

    with qtbot.waitSignal(view.finished, timeout=60_000) as blocker:
        view.run()
        view.task.progress.connect(cancel_at_first_progress)
    assert blocker.args[0] is None and view.result is None
    assert view.status.text() == "Cancelled." and view.run_button.isEnabled()
    assert not view.task.thread.isRunning()


def test_a_bad_input_is_one_line_and_nothing_runs(view):
    assert not view.set_input("not a file.png")
    assert "no image file 'not a file.png'" in view.status.text()
    assert not view.run_button.isEnabled() and not view.run()


def test_text_models_show_coloured_tokens(qtbot):
    subject = Subject.open(trained_run("keyword"))
    v = ExplainView()
    qtbot.addWidget(v)
    v.set_subject(subject)
    assert v.current_method() == "integrated-gradients" and v.layer.count() == 0
    assert v.target.itemData(0) is None and v.target.count() == 3
    v.set_input("the plot was good and the actors")
    with qtbot.waitSignal(v.finished, timeout=60_000) as blocker:
        v.run()
    e = blocker.args[0]
    assert e.tokens[int(np.abs(e.attribution).argmax())] == "good"
    assert "background-color" in v.tokens.text() and "good" in v.tokens.text()
    assert v.tokens.isVisibleTo(v) and not v.pictures.isVisibleTo(v)


def test_look_inside_draws_feature_maps_and_attention_heads(qtbot, region):
    inside = InsideView()
    qtbot.addWidget(inside)
    inside.set_subject(region)
    inside.set_input(region.prepare(_vertical_bar()))
    with qtbot.waitSignal(inside.shown, timeout=30_000, check_params_cb=lambda n: n == "conv2"):
        assert inside.show_layer("conv2")  # while the first layer is still running, maybe
    assert inside.maps.shape == (16, 8, 8) and inside.picture_count() == 16
    assert "16 feature maps of 8 x 8" in inside.caption.text()

    spec = attention_spec()
    meta = DataMeta("t", "t", "tokens", (7,), "classification", 3, ["a", "b", "c"],
                    vocab=["<pad>", "<unk>", *"abcdefghijklmnopqr"], tokenizer="char")
    subject = Subject(build_model(spec), meta, spec)
    inside.set_subject(subject)
    inside.set_input(subject.prepare("abcd"))
    with qtbot.waitSignal(inside.shown, timeout=30_000, check_params_cb=lambda n: n == "blocks"):
        inside.show_layer("blocks")
    assert [m.name for m in inside.attention] == ["blocks, block 1", "blocks, block 2"]
    assert inside.picture_count() == 4 and inside.block.count() == 2
    assert "4 heads" in inside.caption.text() and "tokens: a b c d" in inside.caption.text()
    inside.wait()


def test_evaluation_opens_the_window_and_it_follows_the_canvas(qtbot, make_window):
    window = make_window(None)
    window.open_spec(region_cnn_spec())
    panel = EvaluationPanel()
    window.add_tab(panel, "Evaluation")
    assert isinstance(panel.explain_button, QPushButton)
    assert panel.explain(None) is None and "Try an image" in panel.try_status.text()
    assert panel.gallery.actions()[0].text() == "Explain this sample…"
    panel.set_run(str(trained_run("region")))
    win = panel.explain(_vertical_bar())
    assert win is not None and win.isVisible() and win in open_windows()
    assert win.explain_view.prepared is not None and win.tabs.count() == 2
    with qtbot.waitSignal(win.inside_view.shown, timeout=30_000,
                          check_params_cb=lambda n: n == "pool1"):
        window.scene.select_names(["pool1"])
    assert win.explain_view.layer.currentData() == "pool1"
    assert win.inside_view.maps.shape == (8, 8, 8)
    assert panel.explain(_vertical_bar()) is win  # one window per main window
    win.close()
    assert not win.explain_view.is_running()
    # the canvas going away (its window closed: a late selectionChanged from a scene whose
    # C++ side is gone) is no error for the Explain window
    class Gone:
        def selected_names(self):
            raise RuntimeError("Internal C++ object (GraphScene) already deleted.")

    win._scene = Gone()
    win._on_canvas_selection()
    assert win._scene is None
    win.deleteLater()
