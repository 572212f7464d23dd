"""Images a person brings to a trained model: a digit written in ink on paper (dark on
light) is inverted for a model trained on MNIST-like white strokes on black, and the
answer says so; the CLI's ``workbench predict`` prints that line too."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from helpers import tiny_mlp_spec
from PIL import Image

from workbench.core.data.meta import DataMeta
from workbench.core.evaluate import predict
from workbench.core.export import save_bundle
from workbench.core.graph import build_model

CLASSES = [str(i) for i in range(10)]


def _digits_meta(mean: float = 0.13) -> DataMeta:
    return DataMeta("digits28", "digits28", "image", (1, 8, 8), "classification", 10,
                    CLASSES, mean=(mean,), std=(0.3,))


def _stroke(white_on_black: bool) -> np.ndarray:
    ink = np.zeros((8, 8), dtype=np.uint8)
    ink[1:7, 3:5] = 255  # a "1"
    return ink if white_on_black else 255 - ink


def _save(path, pixels) -> str:
    Image.fromarray(pixels).save(path)
    return str(path)


def test_ink_on_paper_is_inverted_for_a_white_on_black_model(tmp_path):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(64, 10))
    meta = _digits_meta()
    like_training = predict(model, meta, _save(tmp_path / "w.png", _stroke(True)), top_k=10)
    on_paper = predict(model, meta, _save(tmp_path / "b.png", _stroke(False)), top_k=10)
    assert like_training.notes == []
    assert len(on_paper.notes) == 1 and "Inverted" in on_paper.notes[0]
    assert "dark on a light background" in on_paper.notes[0]
    assert [n for n, _ in on_paper] == [n for n, _ in like_training]  # the same answer
    assert np.allclose([p for _, p in on_paper], [p for _, p in like_training], atol=1e-6)


def test_no_inversion_when_the_grounds_agree_or_cannot_be_told(tmp_path):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(64, 10))
    paper = _save(tmp_path / "b.png", _stroke(False))
    assert predict(model, _digits_meta(mean=0.8), paper).notes == []  # trained dark on light
    assert "light on a dark" in predict(model, _digits_meta(mean=0.8),
                                        _save(tmp_path / "w.png", _stroke(True))).notes[0]
    assert predict(model, _digits_meta(mean=0.5), paper).notes == []  # no clear ground
    colour = DataMeta("pets", "pets", "image", (3, 8, 8), "classification", 10, CLASSES,
                      mean=(0.1, 0.1, 0.1), std=(0.3,) * 3)
    rgb = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(192, 10))
    assert predict(rgb, colour, paper).notes == []  # colour photos are left alone
    assert predict(model, _digits_meta(), torch.ones(1, 8, 8)).notes == []  # tensors as given


def test_the_cli_says_it_inverted_the_image(tmp_path, capsys):
    from workbench.cli import run as main

    spec = tiny_mlp_spec(8)
    bundle = save_bundle(tmp_path / "m.wbbundle", spec, build_model(spec),
                         _digits_meta().to_dict())
    paper = _save(tmp_path / "b.png", _stroke(False))
    assert main(["predict", str(bundle), paper, "--json"]) == 0
    out = capsys.readouterr()
    assert len(json.loads(out.out)) == 5  # stdout stays one JSON document
    assert "Inverted the image" in out.err
    assert main(["predict", str(bundle), _save(tmp_path / "w.png", _stroke(True))]) == 0
    assert "Inverted" not in capsys.readouterr().err


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
