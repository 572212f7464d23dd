"""``workbench export``: a real run, a bundle and an untrained template, and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from helpers import tiny_mlp_spec as tiny_spec

from workbench.cli import run
from workbench.core.data import load_source
from workbench.core.engine import TrainingConfig
from workbench.core.export import load_bundle
from workbench.core.runs import RunStore, create_run


@pytest.fixture
def trained_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    with RunStore() as store:
        trainer, run_dir = create_run(
            tiny_spec(), "digits", TrainingConfig(epochs=1, lr=3e-3, device="cpu"),
            data=load_source("digits", seed=0), store=store)
        assert trainer.fit().status == "finished"
    return run_dir


def test_export_a_trained_run(trained_run: Path, tmp_path: Path, capsys) -> None:
    bundle = tmp_path / "tiny.wbbundle"
    assert run(["export", str(trained_run), "--format", "bundle", "-o", str(bundle)]) == 0
    out = capsys.readouterr().out
    assert f"Wrote {bundle}" in out and "Bundle verified" in out
    b = load_bundle(bundle)
    assert b.meta["source"] == "digits" and b.meta["mean"] and b.config["epochs"] == 1
    assert b.metrics  # the run's evaluation travels with it
    # the run's weights, not a fresh initialization
    from safetensors.torch import load_file

    best = load_file(str(trained_run / "checkpoints" / "best" / "model.safetensors"))
    assert torch.equal(b.model.state_dict()["fc.weight"], best["fc.weight"])

    # `workbench predict` takes the bundle as it takes the run, with the same answer
    import json

    from PIL import Image

    digit = load_source("digits", seed=0).test.x[0, 0]  # 8x8 in [0, 1]
    png = tmp_path / "digit.png"
    Image.fromarray((digit * 255).round().to(torch.uint8).numpy()).save(png)
    capsys.readouterr()
    assert run(["predict", str(trained_run), str(png), "--json"]) == 0
    from_run = json.loads(capsys.readouterr().out)
    assert run(["predict", str(bundle), str(png), "--json"]) == 0
    from_bundle = json.loads(capsys.readouterr().out)
    assert [p["label"] for p in from_bundle] == [p["label"] for p in from_run]
    assert from_bundle[0]["probability"] == pytest.approx(from_run[0]["probability"], abs=1e-6)
    fake = tmp_path / "broken.wbbundle"
    fake.write_bytes(bundle.read_bytes()[:200])  # truncated
    assert run(["predict", str(fake), str(png)]) == 2
    assert "broken.wbbundle" in capsys.readouterr().err

    project = tmp_path / "project"
    assert run(["export", str(bundle), "--format", "pytorch", "-o", str(project)]) == 0
    train_py = (project / "train.py").read_text()
    assert "'source': 'digits'" in train_py and f"'mean': [{b.meta['mean'][0]!r}]" in train_py
    assert "PyTorch project verified" in capsys.readouterr().out


def test_export_an_untrained_template(tmp_path: Path, capsys) -> None:
    out = tmp_path / "lenet.onnx"
    assert run(["export", "lenet5", "--untrained", "-f", "onnx", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "ONNX verified with onnxruntime" in printed and "max abs diff" in printed
    assert out.is_file()


def test_export_errors(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    assert run(["export", "no_such_run", "-f", "onnx"]) == 2
    assert "add --untrained" in capsys.readouterr().err
    assert run(["export", "no_such_template", "--untrained", "-f", "onnx"]) == 2
    assert "no template" in capsys.readouterr().err
    fake = tmp_path / "fake.wbbundle"
    fake.write_bytes(b"PK\x03\x04 not really")
    assert run(["export", str(fake), "-f", "onnx"]) == 2  # not a bundle, nor a run
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "thesis.tex").write_text("mine")
    code = run(["export", "mlp", "--untrained", "-f", "pytorch", "-o", str(tmp_path / "taken")])
    assert code == 1 and "not empty" in capsys.readouterr().err
