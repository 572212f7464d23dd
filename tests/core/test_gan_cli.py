"""``workbench train`` on a GAN template, and its generator exported: in-process CLI runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import run


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.mark.slow
def test_train_mlp_gan_then_evaluate_and_export_the_generator(tmp_path, capsys):
    code = run(["train", "mlp_gan", "--data", "digits28", "--epochs", "1", "--batch-size",
                "128", "--no-gan-quality", "--device", "cpu", "--json",
                "--runs-dir", str(tmp_path / "runs")])
    out, err = capsys.readouterr()
    assert code == 0, err
    result = json.loads(out.strip().splitlines()[-1])
    run_dir = Path(result["run_dir"])
    assert result["status"] == "finished" and (run_dir / "samples.png").is_file()
    assert "GAN: D loss" in err
    code = run(["export", str(run_dir), "--format", "bundle", "-o", str(tmp_path / "g.wbbundle")])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Bundle verified" in out and (tmp_path / "g.wbbundle").is_file()


def test_templates_lists_the_gans(capsys):
    assert run(["templates"]) == 0
    out = capsys.readouterr().out
    assert "dcgan_digits" in out and "mlp_gan" in out


def test_a_gan_run_is_refused_where_one_model_is_needed(tmp_path, capsys):
    from workbench.core.runs import RunError

    spec = tmp_path / "spec.json"
    from workbench.core.templates import load_template

    load_template("mlp_gan").save(spec)
    (tmp_path / "r").mkdir()
    for name, text in {"spec.json": spec.read_text(), "run.json": "{}",
                       "config.json": "{}", "data.json": json.dumps(
                           {"source": "digits28", "name": "digits28", "kind": "image",
                            "sample_shape": [1, 28, 28], "task": "classification",
                            "num_classes": 10})}.items():
        (tmp_path / "r" / name).write_text(text)
    from workbench.core.runs import open_run

    with pytest.raises(RunError, match="is a GAN"):
        open_run(tmp_path / "r").load_model()


def test_inspect_prints_both_graphs(capsys):
    assert run(["inspect", "mlp_gan"]) == 0
    out = capsys.readouterr().out
    assert ": generator" in out and ": discriminator" in out
    assert "Total parameters:     550,416" in out  # the generator: 64-256-512-784


def test_flags_a_gan_does_not_use_are_said(capsys):
    from workbench.cli import build_parser
    from workbench.cli.train import _say_unused_flags

    args = build_parser().parse_args(["train", "mlp_gan", "--data", "digits28", "--lr", "0.1",
                                      "--schedule", "cosine", "--g-lr", "0.001"])
    _say_unused_flags(args, gan=True)
    err = capsys.readouterr().err
    assert "--lr, --schedule have no effect on a GAN" in err and "--g-lr" not in err
    args = build_parser().parse_args(["train", "mlp", "--data", "digits", "--g-lr", "0.001"])
    _say_unused_flags(args, gan=False)
    assert "--g-lr has no effect on a model that is not a GAN" in capsys.readouterr().err
    _say_unused_flags(build_parser().parse_args(["train", "mlp", "--data", "digits",
                                                 "--lr", "0.1"]), gan=False)
    assert capsys.readouterr().err == ""
