"""``workbench train | evaluate | predict | devices``, run in-process (and once as a process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import tiny_mlp_file as tiny_spec_file

from workbench.cli import run

JSON_KEYS = {"run_dir", "test_accuracy", "test_loss", "epochs", "seconds", "device", "status"}


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def trained(tmp_path: Path, capsys: pytest.CaptureFixture) -> dict:
    spec = tiny_spec_file(tmp_path)
    code = run(["train", str(spec), "--data", "digits", "--epochs", "2", "--lr", "0.003",
                "--device", "cpu", "--json", "--runs-dir", str(tmp_path / "runs")])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def test_train_json(trained: dict, tmp_path: Path) -> None:
    assert JSON_KEYS <= set(trained)
    assert trained["status"] == "finished" and trained["epochs"] == 2
    assert trained["device"] == "cpu" and 0.5 < trained["test_accuracy"] <= 1
    run_dir = Path(trained["run_dir"])
    assert run_dir.parent == tmp_path / "runs" and (run_dir / "evaluation.json").is_file()


def test_train_prints_epochs_and_evaluation(tmp_path: Path, capsys) -> None:
    code = run(["train", str(tiny_spec_file(tmp_path)), "--data", "digits", "--epochs", "2",
                "--schedule", "cosine", "--optimizer", "adamw", "--weight-decay", "0.01"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "epoch 1/2" in out and "epoch 2/2" in out
    assert "accuracy" in out and "precision" in out and "run folder:" in out
    config = json.loads(next((tmp_path / "home" / "runs").glob("*/config.json")).read_text())
    assert (config["schedule"], config["optimizer"], config["weight_decay"]) == ("cosine", "adamw", 0.01)


def _one_line_error(capsys) -> str:
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    return err


def test_user_errors(tmp_path: Path, capsys) -> None:
    assert run(["train", str(tmp_path / "missing.json"), "--data", "digits"]) == 2
    assert "missing.json" in _one_line_error(capsys)
    assert run(["train", "no_such_template", "--data", "digits"]) == 2
    assert "template" in _one_line_error(capsys)
    spec = tiny_spec_file(tmp_path)
    assert run(["train", str(spec), "--data", "nosuch"]) == 2
    err = _one_line_error(capsys)
    assert "digits28" in err and "idx:PATH" in err and "seq:parity" in err
    assert run(["train", "cnn_mnist", "--data", "digits"]) == 2  # 28x28 model, 8x8 data
    assert "digits28" in _one_line_error(capsys)
    assert run(["train", str(spec), "--data", "digits", "--lr", "-1"]) == 2
    assert "learning rate" in _one_line_error(capsys)
    assert run(["train", str(spec), "--data", "digits", "--device", "warp9"]) == 2
    _one_line_error(capsys)
    assert not (tmp_path / "home" / "runs").exists() or not any((tmp_path / "home" / "runs").iterdir())


def test_invalid_spec_exits_1(tmp_path: Path, capsys) -> None:
    assert run(["train", str(tiny_spec_file(tmp_path, broken=True)), "--data", "digits"]) == 1
    out, err = capsys.readouterr()
    assert "problems" in err and "Traceback" not in err


def test_help_lists_sources(capsys) -> None:
    with pytest.raises(SystemExit):
        run(["train", "--help"])
    out = capsys.readouterr().out
    assert "digits28" in out and "folder:PATH" in out and "--early-stopping" in out


def test_evaluate_predict_devices(trained: dict, tmp_path: Path, capsys) -> None:
    run_dir = trained["run_dir"]
    assert run(["evaluate", run_dir, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["accuracy"] == pytest.approx(trained["test_accuracy"])
    assert result["size"] > 0 and len(result["confusion"]) == 10
    run_id = json.loads((Path(run_dir) / "run.json").read_text())["id"]
    assert run(["evaluate", run_id]) == 0
    assert "precision" in capsys.readouterr().out

    from PIL import Image
    from sklearn.datasets import load_digits

    image = tmp_path / "seven.png"
    pixels = (load_digits().images[7] * 255 / 16).astype("uint8")
    Image.fromarray(pixels).save(image)
    assert run(["predict", run_id, str(image), "--top-k", "3", "--json"]) == 0
    preds = json.loads(capsys.readouterr().out)
    assert len(preds) == 3 and {"label", "probability"} <= set(preds[0])
    assert preds[0]["probability"] >= preds[1]["probability"]
    assert run(["predict", run_id, str(image)]) == 0
    assert "%" in capsys.readouterr().out
    assert run(["predict", run_id, "not an image, just text"]) == 2
    _one_line_error(capsys)
    assert run(["evaluate", "nope"]) == 2
    assert "no run 'nope'" in _one_line_error(capsys)

    assert run(["devices", "--json"]) == 0
    devices = json.loads(capsys.readouterr().out)
    assert devices[-1]["id"] == "cpu" and {"name", "kind", "memory_bytes"} <= set(devices[-1])
    assert run(["devices"]) == 0
    assert "cpu" in capsys.readouterr().out


def test_train_as_a_process(tmp_path: Path) -> None:
    spec = tiny_spec_file(tmp_path)
    env = {**os.environ, "WORKBENCH_HOME": str(tmp_path / "home")}
    proc = subprocess.run([sys.executable, "-m", "workbench", "train", str(spec), "--data",
                           "digits", "--epochs", "1", "--device", "cpu", "--json"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1 and JSON_KEYS <= set(json.loads(lines[0]))
    assert "epoch 1/1" in proc.stderr  # the human output goes to stderr with --json


def test_train_init_from_a_run_with_frozen_layers(trained: dict, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture) -> None:
    spec = tiny_spec_file(tmp_path)
    base = ["train", str(spec), "--data", "digits", "--epochs", "1", "--device", "cpu",
            "--runs-dir", str(tmp_path / "runs"), "--init-from", trained["run_dir"]]
    assert run([*base, "--freeze-until", "fc", "--json"]) == 0
    out, err = capsys.readouterr()
    d = json.loads(out)
    assert d["init_from"] == trained["run_dir"] and d["loaded_layers"] == ["fc", "head"]
    assert d["fresh_layers"] == {} and d["frozen_layers"] == ["fc"]
    assert d["frozen_parameters"] == 64 * 32 + 32
    assert "Frozen: fc" in err and "2 layers loaded" in err
    assert run([*base, "--freeze", "fc,nope"]) == 2
    assert "no layer 'nope'" in capsys.readouterr().err
    assert run(["train", "--resume", d["run_dir"], "--freeze", "fc"]) == 2
    assert "--freeze" in capsys.readouterr().err
