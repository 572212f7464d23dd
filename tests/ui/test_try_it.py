"""Try it on the Evaluation tab: a digit in ink on paper is inverted for a model trained on
white strokes on black, and the panel says so; the image, text and answer of one model are
gone when another model or run is shown."""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from test_evaluation_panel import RESULTS, _images, panel  # noqa: F401 - a fixture

from workbench.core.data.meta import DataMeta


def _drop(p, path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    args = (QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(*args)
    QApplication.sendEvent(p.drop, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(p.drop, QDropEvent(*args))


def _use_model(p, run_dir, data, mean: float = 0.13) -> None:
    p.show_results(RESULTS, data, run_dir=str(run_dir))
    torch.manual_seed(0)
    p._model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(64, 3))
    meta = DataMeta.from_dataset(data, "toy")
    meta.mean = (mean,)  # trained on white strokes on black, as MNIST
    p._meta, p._model_dir = meta, str(run_dir)


def test_ink_on_paper_is_inverted_and_the_panel_says_so(qtbot, panel, tmp_path):  # noqa: F811
    _use_model(panel, tmp_path, _images())
    ink = np.full((8, 8), 255, dtype=np.uint8)
    ink[1:7, 3:5] = 0  # a dark "1" on white paper
    Image.fromarray(ink).save(tmp_path / "paper.png")
    _drop(panel, tmp_path / "paper.png")
    assert panel.bars.rows
    assert "Inverted the image" in panel.try_status.text()
    assert "dark on a light background" in panel.try_status.text()
    Image.fromarray(255 - ink).save(tmp_path / "screen.png")  # as the model was trained
    _drop(panel, tmp_path / "screen.png")
    assert "Prediction" in panel.try_status.text() and "Inverted" not in panel.try_status.text()


def test_another_run_or_model_does_not_keep_the_last_image(qtbot, panel, tmp_path):  # noqa: F811
    data = _images()
    (tmp_path / "a").mkdir()
    _use_model(panel, tmp_path / "a", data)
    Image.fromarray(np.zeros((8, 8), dtype=np.uint8)).save(tmp_path / "x.png")
    _drop(panel, tmp_path / "x.png")
    assert panel.drop.pixmap() is not None and not panel.drop.pixmap().isNull()
    assert panel.bars.rows and "Prediction" in panel.try_status.text()

    panel.show_results(RESULTS, data, run_dir=str(tmp_path / "b"))  # another run ended
    assert panel.drop.pixmap() is None or panel.drop.pixmap().isNull()
    assert "Drop an image" in panel.drop.text()
    assert panel.bars.rows == [] and "Prediction" not in panel.try_status.text()

    _use_model(panel, tmp_path / "b", data)
    _drop(panel, tmp_path / "x.png")
    panel.show_results(RESULTS, data, run_dir=str(tmp_path / "b"))  # the same run again
    assert panel.bars.rows  # kept

    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(64, 3))
    panel.set_model(model, DataMeta.from_dataset(data, "toy"), "a bundle")  # an opened bundle
    assert panel.drop.pixmap() is None or panel.drop.pixmap().isNull()
    assert panel.bars.rows == [] and "Try it uses a bundle" in panel.try_status.text()
    _drop(panel, tmp_path / "x.png")
    assert panel.bars.rows
    panel.set_run(str(tmp_path / "a"))  # the Runs tab picked another run
    assert panel.bars.rows == [] and (panel.drop.pixmap() is None or panel.drop.pixmap().isNull())
