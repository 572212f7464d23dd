"""Evaluation figures checked by hand on tiny cases, predictions from files and text, and
DataMeta round trips."""

from __future__ import annotations

import json
import math

import pytest
import torch
from PIL import Image
from torch import nn

from workbench.cli.report import format_evaluation
from workbench.core.data import DataSet, Split
from workbench.core.data.meta import DataMeta
from workbench.core.evaluate import EvaluationResult, PredictionError, evaluate, predict
from workbench.core.evaluate.metrics import confusion_matrix, per_class_table, regression_metrics


class Fixed(nn.Module):
    """Returns preset outputs for inputs that are indices (x[:, 0])."""

    def __init__(self, outputs: torch.Tensor) -> None:
        super().__init__()
        self.outputs = outputs
        self.w = nn.Parameter(torch.zeros(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.outputs[x[:, 0].long()] + self.w * 0


def _data(x: torch.Tensor, y: torch.Tensor, task: str = "classification", classes: int = 3,
          kind: str = "features", names: list[str] | None = None, **kw) -> DataSet:
    s = Split(x, y)
    return DataSet("hand", kind, tuple(x.shape[1:]), task, classes,
                   names or [f"c{i}" for i in range(classes)], s, s, s, **kw)


def test_confusion_and_f1_by_hand():
    true = torch.tensor([0, 0, 0, 1, 1, 2, 2, 2])
    pred = torch.tensor([0, 0, 1, 1, 2, 2, 2, 0])
    cm = confusion_matrix(true, pred, 3)
    assert cm.tolist() == [[2, 1, 0], [0, 1, 1], [1, 0, 2]]
    rows = per_class_table(cm, ["a", "b", "c"])
    # class a: tp 2, predicted 3, support 3 -> p = r = 2/3, f1 2/3
    assert rows[0] == pytest.approx({"name": "a", "precision": 2 / 3, "recall": 2 / 3,
                                     "f1": 2 / 3, "support": 3})
    # class b: tp 1, predicted 2, support 2 -> p 1/2, r 1/2
    assert rows[1]["precision"] == pytest.approx(0.5) and rows[1]["recall"] == pytest.approx(0.5)
    # class c: tp 2, predicted 3, support 3
    assert rows[2]["f1"] == pytest.approx(2 / 3) and rows[2]["support"] == 3
    assert per_class_table(torch.zeros(2, 2, dtype=torch.long), ["x", "y"])[0]["f1"] == 0.0


def test_evaluate_classification_by_hand():
    # 4 samples, 5 classes: outputs chosen so predictions are 0, 1, 3, 3 against 0, 1, 2, 4
    logits = torch.full((4, 5), -5.0)
    logits[0, 0] = logits[1, 1] = 5.0
    logits[2, 3], logits[2, 2] = 5.0, 4.0  # wrong, but class 2 is second: in the top 5
    logits[3, 3] = 5.0
    y = torch.tensor([0, 1, 2, 4])
    x = torch.arange(4, dtype=torch.float32).unsqueeze(1)
    r = evaluate(Fixed(logits), _data(x, y, classes=5), "test", device="cpu", batch_size=3)
    assert r.task == "classification" and r.size == 4
    assert r.accuracy == pytest.approx(0.5) and r.top_k[1] == pytest.approx(0.5)
    assert r.top_k[5] == pytest.approx(1.0)
    assert r.confusion[2][3] == 1 and r.confusion[4][3] == 1 and r.confusion[0][0] == 1
    ce = torch.nn.functional.cross_entropy(logits, y, reduction="none")
    assert r.loss == pytest.approx(float(ce.mean()))
    assert [w["index"] for w in r.worst[:2]] == [int(i) for i in ce.argsort(descending=True)[:2]]
    w = r.worst[0]
    assert (w["true"], w["pred"]) == (4, 3) and 0 < w["confidence"] <= 1
    assert r.per_class[3]["precision"] == 0.0 and r.per_class[3]["support"] == 0
    again = EvaluationResult.from_dict(json.loads(json.dumps(r.to_dict())))
    assert again == r
    # every sample's label and prediction, in split order: what a confusion cell holds
    assert r.labels == y.tolist() and r.predicted == logits.argmax(1).tolist()
    assert len(r.confidence) == 4 and all(0 < c <= 1 for c in r.confidence)
    cell = [i for i in range(4) if (r.labels[i], r.predicted[i]) == (4, 3)]
    assert len(cell) == r.confusion[4][3]


def test_evaluate_regression_and_next_token():
    x = torch.arange(4, dtype=torch.float32).unsqueeze(1)
    y = torch.tensor([1.0, 2.0, 3.0, 4.0])
    preds = torch.tensor([[1.0], [2.0], [3.0], [6.0]])
    r = evaluate(Fixed(preds), _data(x, y, task="regression", classes=1), device="cpu")
    assert r.accuracy is None and r.regression is not None
    assert r.regression["mse"] == pytest.approx(1.0) and r.regression["mae"] == pytest.approx(0.5)
    assert r.regression["r2"] == pytest.approx(1 - 4 / 5)  # ss_tot = 5
    assert r.worst[0]["index"] == 3 and r.worst[0]["pred"] == 6.0
    assert regression_metrics(torch.ones(3, 1), torch.ones(3, 1))["r2"] == 1.0

    # next token: 2 sequences of 3, vocabulary of 4 (0 = <pad>), one padded target
    vocab = ["<pad>", "<unk>", "a", "b"]
    out = torch.full((2, 3, 4), -5.0)
    out[0, 0, 2] = out[0, 1, 3] = out[0, 2, 2] = 5.0  # predicts a b a
    out[1, 0, 3] = out[1, 1, 3] = out[1, 2, 3] = 5.0  # predicts b b b
    targets = torch.tensor([[2, 3, 3], [3, 2, 0]])
    xs = torch.tensor([[0, 2, 3], [1, 3, 2]])
    r = evaluate(Fixed(out), _data(xs, targets, task="next_token", classes=4, kind="tokens",
                                   names=vocab, vocab=vocab, tokenizer="char"), device="cpu")
    assert r.accuracy == pytest.approx(3 / 5)  # padding is not scored
    assert r.per_class == [] and len(r.confusion) == 4
    assert r.worst[0]["true"] in ("abb", "ba") and isinstance(r.worst[0]["pred"], str)
    assert r.perplexity == pytest.approx(math.exp(r.loss))  # exp of the per-token loss
    assert EvaluationResult.from_dict(r.to_dict()).perplexity == pytest.approx(r.perplexity)
    assert r.regression is None and "perplexity" in format_evaluation(r.to_dict())


def test_evaluate_leaves_the_training_mode():
    model = Fixed(torch.eye(3))
    model.train()
    evaluate(model, _data(torch.zeros(3, 1), torch.tensor([0, 1, 2])), device="cpu")
    assert model.training


# -- DataMeta and predict ---------------------------------------------------------------------
def _image_meta(channels: int = 1) -> DataMeta:
    return DataMeta("digits", "digits", "image", (channels, 8, 8), "classification", 3,
                    ["zero", "one", "two"], mean=(0.5,) * channels, std=(0.25,) * channels)


class Brightness(nn.Module):
    """Scores class 2 for bright images, class 0 for dark ones."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        m = x.mean(dim=(1, 2, 3))
        return torch.stack([-m * 4, torch.zeros_like(m), m * 4], 1)


def test_datameta_round_trip_and_normalize():
    meta = _image_meta(3)
    again = DataMeta.from_dict(json.loads(json.dumps(meta.to_dict())))
    assert again == meta
    x = torch.full((1, 3, 2, 2), 0.75)
    assert torch.allclose(meta.normalize(x), torch.ones_like(x))
    with pytest.raises(ValueError, match="not a valid data description"):
        DataMeta.from_dict({"kind": "image"})


def test_datameta_from_a_dataset():
    x, y = torch.rand(6, 1, 8, 8), torch.tensor([0, 1, 2, 0, 1, 2])
    ds = _data(x, y, kind="image", mean=(0.5,), std=(0.25,))
    meta = DataMeta.from_dataset(ds, "folder:/somewhere")
    assert meta.source == "folder:/somewhere" and meta.sample_shape == (1, 8, 8)
    assert torch.allclose(meta.normalize(x), ds.normalize(x))


def test_predict_a_png_in_colour_for_a_grey_model(tmp_path):
    path = tmp_path / "bright.png"
    Image.new("RGB", (20, 30), (250, 250, 250)).save(path)
    preds = predict(Brightness(), _image_meta(), path, top_k=2)
    assert [name for name, _ in preds] == ["two", "one"]
    assert preds[0][1] > preds[1][1] and sum(p for _, p in preds) <= 1.0 + 1e-6
    # a string path works too, and a tensor sample (raw, not normalized)
    assert predict(Brightness(), _image_meta(), str(path))[0][0] == "two"
    assert predict(Brightness(), _image_meta(), torch.zeros(1, 8, 8))[0][0] == "zero"


def test_predict_a_corrupt_png_names_the_file(tmp_path):
    path = tmp_path / "broken.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really a png")
    with pytest.raises(PredictionError) as e:
        predict(Brightness(), _image_meta(), path)
    assert str(path) in str(e.value) and "not a readable image" in str(e.value)
    with pytest.raises(PredictionError, match="no image file"):
        predict(Brightness(), _image_meta(), tmp_path / "missing.png")


def test_predict_next_token_from_text():
    vocab = ["<pad>", "<unk>", "a", "b", "c"]
    meta = DataMeta("text:x", "x", "tokens", (4,), "next_token", 5, vocab, vocab=vocab,
                    tokenizer="char")

    class Next(nn.Module):  # predicts the token after the one at each position (a->b->c)
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            nxt = torch.where(x >= 2, (x - 2 + 1) % 3 + 2, torch.zeros_like(x))
            return torch.nn.functional.one_hot(nxt, 5).float() * 10

    assert predict(Next(), meta, "ab")[0][0] == "c"  # read at the last real token
    assert predict(Next(), meta, "cabca")[0][0] == "b"  # too long: the end is kept
    with pytest.raises(PredictionError, match="empty"):
        predict(Next(), meta, "")
