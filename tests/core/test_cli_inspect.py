"""``workbench inspect`` and ``workbench templates``: tables, JSON, and exit statuses."""

from __future__ import annotations

import json
import subprocess
import sys

from workbench.cli import run
from workbench.core.templates import load_template


def test_inspect_table_and_totals(capsys):
    assert run(["inspect", "mlp", "--batch", "8"]) == 0
    out = capsys.readouterr().out
    assert "fc1" in out and "8 x 1024" in out
    assert "Total parameters:     1,863,690" in out
    assert "Training memory" in out


def test_inspect_json_for_scripts(capsys):
    assert run(["inspect", "cnn_mnist", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total_params"] == 121_930
    assert [r["name"] for r in data["layers"]][:2] == ["input", "conv1"]
    assert data["layers"][1]["output_shape"] == [32, 26, 26]


def test_invalid_spec_prints_every_problem_and_exits_1(tmp_path, capsys):
    spec = load_template("cnn_mnist")
    spec.node("dense").params["in_features"] = 1024
    spec.add_node("ReLU", "loose")
    path = tmp_path / "bad.json"
    spec.save(path)
    assert run(["inspect", str(path)]) == 1
    out = capsys.readouterr().out
    assert "expects 1024 input features but receives 1600 (64 x 5 x 5)" in out
    assert "ReLU 'loose' has no input" in out


def test_not_a_spec_exits_2_with_one_line(tmp_path):
    for name, raw in [("bin.json", b"\x80\x81\x82"), ("x.json", b"[1, 2"), ("y.json", b'{"a": 1}')]:
        path = tmp_path / name
        path.write_bytes(raw)
        result = subprocess.run([sys.executable, "-m", "workbench", "inspect", str(path)],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_template_lists_the_choices(capsys):
    assert run(["inspect", "nope"]) == 2
    assert "cnn_mnist" in capsys.readouterr().err


def test_templates_lists_names_and_descriptions(capsys):
    assert run(["templates"]) == 0
    out = capsys.readouterr().out
    assert "lenet5" in out and "LeNet-5" in out and len(out.splitlines()) >= 12


def test_inspect_checks_at_the_training_batch_by_default(tmp_path, capsys):
    """Linear -> BatchNorm1d is valid when trained in batches, as the app and a run say;
    inspect used to analyse one sample and call it invalid."""
    from helpers import batchnorm_mlp_spec

    path = tmp_path / "bn.json"
    batchnorm_mlp_spec().save(path)
    assert run(["inspect", str(path)]) == 0
    assert "64 x 32" in capsys.readouterr().out
    assert run(["inspect", str(path), "--batch", "1"]) == 1
    assert "batch size of at least 2" in capsys.readouterr().out
