"""A truncated ``model.safetensors``: evaluate, predict, export and train --resume fall back
to the other checkpoint where it is sound, and say one clear line (exit 2) where none is."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from helpers import tiny_mlp_file
from PIL import Image

from workbench.cli import run


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def _one_line(capsys) -> str:
    out, err = capsys.readouterr()
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err


@pytest.mark.slow
def test_truncated_weights_fall_back_then_fail_cleanly(tmp_path: Path, capsys) -> None:
    assert run(["train", str(tiny_mlp_file(tmp_path)), "--data", "digits", "--epochs", "1",
                "--device", "cpu", "--json", "--runs-dir", str(tmp_path / "runs")]) == 0
    run_dir = json.loads(capsys.readouterr().out)["run_dir"]
    ck = Path(run_dir) / "checkpoints"
    image = tmp_path / "x.png"
    Image.fromarray(np.zeros((8, 8), np.uint8)).save(image)

    with open(ck / "best" / "model.safetensors", "r+b") as f:
        f.truncate(100)
    assert run(["evaluate", run_dir, "--json"]) == 0  # best is damaged: last is used
    out, err = capsys.readouterr()
    assert "damaged" in err and "using the last checkpoint instead" in err
    assert json.loads(out)["size"] > 0
    assert run(["predict", run_dir, str(image), "--json"]) == 0
    assert "using the last checkpoint" in capsys.readouterr().err

    with open(ck / "last" / "model.safetensors", "r+b") as f:
        f.truncate(100)
    for argv in (["evaluate", run_dir], ["predict", run_dir, str(image)],
                 ["export", run_dir, "-f", "bundle", "-o", str(tmp_path / "m.wbbundle")]):
        assert run(argv) == 2, argv
        err = _one_line(capsys)
        assert "damaged" in err and "model.safetensors" in err
    assert run(["train", "--resume", run_dir, "--epochs", "2"]) == 2
    err = _one_line(capsys)
    assert "damaged" in err
