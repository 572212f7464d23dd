"""The Evaluation tab from an evaluation result (no training): headline, confusion matrix
with counts and colours, clicking a cell filters the gallery, per-class table, text samples."""

from __future__ import annotations

import pytest
import torch
from PySide6.QtCore import Qt

from workbench.core.data import DataSet, Split
from workbench.ui.evaluation import EvaluationPanel

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
    panel.show_results(RESULTS, _images(), run_dir=None)
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
    panel.show_results(RESULTS, _images())
    panel.confusion.cell_clicked.emit(1, 2)
    assert panel.gallery.count() == 2 and panel.filter == (1, 2)
    assert "True dog, predicted bird" in panel.gallery_title.text()
    panel.show_all.click()
    assert panel.gallery.count() == 3 and panel.filter is None


def test_hidden_tab_builds_tables_when_shown(qtbot):
    p = EvaluationPanel()
    qtbot.addWidget(p)
    p.show_results(RESULTS, None)
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
    panel.show_results(results, data)
    assert panel.gallery.item(0).text() == "neg → pos (70 %): bad movie"
    assert panel.text_row.isVisibleTo(panel) and not panel.drop.isVisibleTo(panel)
