"""The Training tab's GAN view: curves of both networks, D(x) and D(G(z)), and a sample grid
redrawn at most a few times a second however fast grids arrive."""

from __future__ import annotations

import numpy as np

from workbench.core.engine.events import GanMetrics, SampleGrid
from workbench.ui.plots import gan_view
from workbench.ui.plots.gan_view import GanView


def _metrics(step: int, warning: str = "") -> GanMetrics:
    return GanMetrics(step, 0, step / 100, 1.2, 0.8, 0.7, 0.3, warning)


def _grid(step: int) -> SampleGrid:
    return SampleGrid(step, 0, np.full((30, 30), step % 256, dtype=np.uint8), "Samples")


def test_gan_view_plots_and_throttles_the_grid(qtbot, monkeypatch):
    view = GanView()
    qtbot.addWidget(view)
    view.resize(800, 500)
    view.show()
    clock = [100.0]
    monkeypatch.setattr(gan_view.time, "monotonic", lambda: clock[0])
    view.add_events([_metrics(1), _metrics(2), _grid(1), _grid(2)])
    assert view.frames == 1 and "step 2" in view.caption.text()  # the newest of the batch
    assert view.d_loss.has_data and view.d_fake.has_data
    for step in range(3, 20):  # a burst within one throttle period: no redraw
        view.add_events([_grid(step)])
    assert view.frames == 1
    clock[0] += 1 / gan_view.GRID_FPS
    view.add_events([_metrics(20)])  # the held-back grid is drawn at the next batch
    assert view.frames == 2 and "step 19" in view.caption.text()
    assert not view.grid.pixmap().isNull()
    view.add_events([_metrics(21, "The generated images all look alike")])
    assert view.warning.isVisible() and "look alike" in view.warning.text()


def test_rgb_grids_become_pixmaps(qtbot):
    pix = gan_view.grid_pixmap(np.zeros((10, 20, 3), dtype=np.uint8), 200)
    assert pix.width() == 200 and pix.height() == 100


def test_evaluation_tab_shows_a_gans_pictures_and_figure(qtbot, tmp_path):
    from workbench.core.generate.grid import save_png
    from workbench.ui.evaluation.panel import EvaluationPanel

    for name in ("samples.png", "interpolation.png"):
        save_png(np.zeros((20, 20), dtype=np.uint8), tmp_path / name)
    panel = EvaluationPanel()
    qtbot.addWidget(panel)
    results = {"task": "gan", "samples": "samples.png", "interpolation": "interpolation.png",
               "d_real": 0.6, "d_fake": 0.4,
               "quality": {"confident_share": 0.5, "classes_present": 9, "classes": 10,
                           "real_confident_share": 0.85}}
    assert panel.show_pictures(results, str(tmp_path)) == 2
    assert "9 of 10 classes" in panel.pictures.text.text()
    panel.clear()  # the next classifier's evaluation gets its usual views back
    assert panel.pictures.isHidden() and not panel._class_views.isHidden()


def test_grid_only_for_an_autoencoder(qtbot):
    view = GanView()
    qtbot.addWidget(view)
    view.show()
    view.set_grid_only(True, "Originals and reconstructions appear here")
    assert view.losses.isHidden() and view.scores.isHidden()
    view.add_events([_grid(5)])
    assert view.frames == 1
