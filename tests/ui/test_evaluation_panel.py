"""The Evaluation tab from an evaluation result (no training): headline, confusion matrix
with counts and colours, clicking a cell filters the gallery, per-class table, text samples."""

from __future__ import annotations

import pytest
import torch
from PySide6.QtCore import Qt

from workbench.core.data import DataSet, Split
from workbench.core.evaluate import EvaluationResult
from workbench.ui.evaluation import EvaluationPanel


def result(d: dict) -> EvaluationResult:
    """The typed result the panel takes, from what an EvaluationDone event carries."""
    return EvaluationResult.from_dict(d)

RESULTS = {
    "task": "classification", "loss": 0.4321, "accuracy": 0.75, "top_k": {1: 0.75, 5: 1.0},
    "confusion": [[3, 1, 0], [0, 2, 2], [0, 0, 4]],
    "per_class": [{"name": n, "precision": 0.9, "recall": 0.8, "f1": 0.85, "support": 4}
                  for n in ("cat", "dog", "bird")],
    "worst": [{"index": 1, "true": 1, "pred": 2, "confidence": 0.9, "loss": 2.3},
              {"index": 2, "true": 1, "pred": 2, "confidence": 0.8, "loss": 1.6},
              {"index": 0, "true": 0, "pred": 1, "confidence": 0.6, "loss": 0.9}],
    "regression": None, "class_names": ["cat", "dog", "bird"], "size": 12, "split": "test",
}


def _images() -> DataSet:
    x = torch.rand(12, 1, 8, 8)
    y = torch.randint(0, 3, (12,))
    split = Split(x, y)
    return DataSet("toy", "image", (1, 8, 8), "classification", 3, ["cat", "dog", "bird"],
                   split, split, split)


@pytest.fixture
def panel(qtbot):
    p = EvaluationPanel()
    qtbot.addWidget(p)
    p.show()
    return p


def test_results_fill_every_part(qtbot, panel):
    panel.show_results(result(RESULTS), _images(), run_dir=None)
    text = panel.headline.text()
    assert "75.00 %" in text and "top-5 100.00 %" in text and "0.4321" in text and "12" in text
    model = panel.confusion.model()
    assert (model.rowCount(), model.columnCount()) == (3, 3)
    assert model.index(1, 2).data() == "2" and model.index(0, 2).data() == ""
    assert model.headerData(2, Qt.Orientation.Horizontal) == "bird"
    diagonal = model.index(2, 2).data(Qt.ItemDataRole.BackgroundRole).color()
    error = model.index(1, 2).data(Qt.ItemDataRole.BackgroundRole).color()
    assert diagonal.blue() > diagonal.red() and error.red() > error.blue()  # blue right, red wrong
    assert panel.per_class.rowCount() == 3
    assert panel.per_class.item(0, 0).text() == "cat"
    assert panel.gallery.count() == 3
    item = panel.gallery.item(0)
    assert item.text() == "dog → bird (90 %)" and not item.icon().isNull()
    assert not panel.open_button.isEnabled()  # Try it needs a run's model


def test_clicking_a_cell_filters_the_gallery(qtbot, panel):
    panel.show_results(result(RESULTS), _images())
    panel.confusion.cell_clicked.emit(1, 2)
    assert panel.gallery.count() == 2 and panel.filter == (1, 2)
    assert "True dog, predicted bird" in panel.gallery_title.text()
    panel.show_all.click()
    assert panel.gallery.count() == 3 and panel.filter is None


def test_hidden_tab_builds_tables_when_shown(qtbot):
    p = EvaluationPanel()
    qtbot.addWidget(p)
    p.show_results(result(RESULTS), None)
    assert p.confusion.model().rowCount() == 0
    p.show()
    assert p.confusion.model().rowCount() == 3
    assert p.gallery.count() == 3  # without the data set: captions only
    assert p.gallery.item(0).icon().isNull()


def test_token_samples_show_as_text(qtbot, panel):
    vocab = ["<pad>", "<unk>", "good", "bad", "movie"]
    x = torch.tensor([[2, 4, 0, 0], [3, 4, 0, 0], [2, 2, 4, 0]])
    split = Split(x, torch.tensor([0, 1, 0]))
    data = DataSet("reviews", "tokens", (4,), "classification", 2, ["pos", "neg"], split,
                   split, split, vocab=vocab, tokenizer="word")
    results = dict(RESULTS, class_names=["pos", "neg"], confusion=[[1, 1], [0, 1]],
                   worst=[{"index": 1, "true": 1, "pred": 0, "confidence": 0.7, "loss": 1.2}])
    panel.show_results(result(results), data)
    assert panel.gallery.item(0).text() == "neg → pos (70 %): bad movie"
    assert panel.text_row.isVisibleTo(panel) and not panel.drop.isVisibleTo(panel)


class _Fixed(torch.nn.Module):
    """Returns the given outputs, batch by batch (a model whose answers are known)."""

    def __init__(self, outputs: torch.Tensor) -> None:
        super().__init__()
        self.outputs = outputs
        self.at = 0
        self.dummy = torch.nn.Parameter(torch.zeros(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.outputs[self.at:self.at + len(x)]
        self.at += len(x)
        return out


def _regression_data() -> DataSet:
    x = torch.arange(8, dtype=torch.float32).view(4, 2)
    split = Split(x, torch.tensor([1.0, 2.0, 3.0, 4.0]))
    return DataSet("prices", "features", (2,), "regression", 1, ["price"], split, split, split)


def test_regression_shows_mse_mae_r2_and_values_not_classes(qtbot, panel):
    from workbench.core.evaluate import evaluate

    data = _regression_data()
    evaluated = evaluate(_Fixed(torch.tensor([[1.0], [2.0], [3.0], [6.0]])), data, device="cpu")
    panel.show_results(result(evaluated.to_dict()), data)  # what EvaluationDone carries
    text = panel.headline.text()
    # the figures live under "regression" in EvaluationResult: MSE 1, MAE 0.5, R² 1 - 4/5
    assert "MSE <b>1.0000</b>" in text and "MAE 0.5000" in text and "R² 0.2000" in text
    assert "accuracy" not in text.lower() and "loss" not in text  # the loss is the MSE
    assert "on 4 test samples" in text
    # no confusion matrix or per-class table for numbers
    assert not panel.confusion.isVisibleTo(panel) and not panel.per_class.isVisibleTo(panel)
    # the gallery shows target -> prediction as numbers, largest error first
    assert panel.gallery_title.text().startswith("Largest-error test samples")
    first = panel.gallery.item(0).text()
    assert first.startswith("4 → 6") and "price" not in first
    assert panel.text_row.isVisibleTo(panel)  # Try it takes numbers
    # a classification run afterwards brings the class views back
    panel.show_results(result(RESULTS), _images())
    assert panel.confusion.isVisibleTo(panel) and panel.per_class.isVisibleTo(panel)


def test_flat_regression_figures_are_read_too(qtbot, panel):
    panel.show_results(result({"task": "regression", "loss": 2.0, "mse": 2.0, "mae": 1.25,
                               "r2": 0.5, "size": 10}))
    text = panel.headline.text()
    assert "MSE <b>2.0000</b>" in text and "MAE 1.2500" in text and "R² 0.5000" in text


def test_a_cell_shows_all_its_samples_when_the_evaluation_kept_them(qtbot, panel):
    labels = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]
    predicted = [0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 2]
    confidence = [0.9, 0.6, 0.8, 0.7, 0.9, 0.9, 0.95, 0.55, 0.9, 0.5, 0.99, 0.7]
    results = dict(RESULTS, labels=labels, predicted=predicted, confidence=confidence)
    panel.show_results(result(results), _images())
    panel.confusion.cell_clicked.emit(2, 2)  # four correct birds: none among the worst
    assert panel.gallery.count() == 4
    assert "4 correct sample(s)" in panel.gallery_title.text()
    assert "only the worst" not in panel.gallery_title.text()
    # hits least sure first; mistakes most sure first
    assert panel.gallery.item(0).text() == "bird → bird (50 %)"
    panel.confusion.cell_clicked.emit(1, 2)
    assert [panel.gallery.item(i).text() for i in range(2)] == ["dog → bird (95 %)",
                                                                "dog → bird (55 %)"]
    assert panel.gallery.item(0).toolTip().startswith("test sample 6:")


def test_a_cell_beyond_the_worst_says_so(qtbot, panel):
    panel.show_results(result(RESULTS), _images())  # no per-sample predictions recorded
    panel.confusion.cell_clicked.emit(2, 2)
    assert panel.gallery.count() == 0
    assert "only the worst are kept" in panel.gallery_title.text()


def test_dropping_an_image_predicts_it(qtbot, panel, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    from workbench.core.data.meta import DataMeta
    from workbench.ui.widgets.thumbnails import sample_to_qimage

    data = _images()
    panel.show_results(result(RESULTS), data, run_dir=str(tmp_path))
    torch.manual_seed(0)
    panel._model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(64, 3))
    panel._meta, panel._model_dir = DataMeta.from_dataset(data, "toy"), str(tmp_path)
    assert panel.drop.isEnabled() and panel.drop.acceptDrops()
    image = tmp_path / "sample.png"
    assert sample_to_qimage(data.test.x[0]).save(str(image))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(image))])
    enter = QDragEnterEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel.drop, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(panel.drop.dropped) as dropped:
        QApplication.sendEvent(panel.drop, drop)
    assert dropped.args == [str(image)]
    assert [name for name, _ in panel.bars.rows] and len(panel.bars.rows) == 3
    assert {name for name, _ in panel.bars.rows} == {"cat", "dog", "bird"}
    assert abs(sum(p for _, p in panel.bars.rows) - 1) < 1e-4
    assert panel.drop.pixmap() is not None and not panel.drop.pixmap().isNull()
    assert "Prediction" in panel.try_status.text()


class _BagOfWords(torch.nn.Module):
    def __init__(self, vocab: int, classes: int) -> None:
        super().__init__()
        self.embed = torch.nn.Embedding(vocab, 8)
        self.out = torch.nn.Linear(8, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(self.embed(x).mean(1))


def test_typing_text_predicts_for_a_text_model(qtbot, panel, tmp_path):
    from workbench.core.data.meta import DataMeta

    vocab = ["<pad>", "<unk>", "good", "bad", "movie"]
    split = Split(torch.tensor([[2, 4, 0, 0], [3, 4, 0, 0]]), torch.tensor([0, 1]))
    data = DataSet("reviews", "tokens", (4,), "classification", 2, ["pos", "neg"], split,
                   split, split, vocab=vocab, tokenizer="word")
    panel.show_results(result(dict(RESULTS, class_names=["pos", "neg"],
                                   confusion=[[1, 0], [0, 1]])), data, run_dir=str(tmp_path))
    torch.manual_seed(0)
    panel._model, panel._meta = _BagOfWords(5, 2), DataMeta.from_dataset(data, "reviews")
    panel._model_dir = str(tmp_path)
    assert panel.text_row.isVisibleTo(panel) and panel.text_input.isEnabled()
    qtbot.keyClicks(panel.text_input, "good movie")
    qtbot.keyClick(panel.text_input, Qt.Key.Key_Return)
    rows = panel.bars.rows
    assert {name for name, _ in rows} == {"pos", "neg"} and rows[0][1] >= rows[1][1]
    assert abs(sum(p for _, p in rows) - 1) < 1e-4
    assert f"<b>{rows[0][0]}</b>" in panel.try_status.text()
    panel.text_input.clear()
    assert panel.predict_text("   ") == []  # nothing typed: nothing predicted
