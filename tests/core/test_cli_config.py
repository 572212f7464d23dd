"""``workbench train``'s setting flags come from TrainingConfig's declarations: one per field,
the old names kept, and every refused value one line with exit status 2 (no traceback),
in-process and as a real process."""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli import build_parser, run
from workbench.cli.train import CLI_DEFAULTS, make_config
from workbench.core.engine.config import TrainingConfig


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def _train_parser() -> argparse.ArgumentParser:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices["train"]


def _parse(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["train", "mlp", "--data", "digits", *argv])


def test_every_setting_has_a_flag():
    dests = {a.dest: a for a in _train_parser()._actions}
    for f in dataclasses.fields(TrainingConfig):
        assert f.name in dests, f.name
        assert dests[f.name].help, f.name
    # the names people (and scripts) already use still work
    for flag in ("--epochs", "--batch-size", "--lr", "--optimizer", "--schedule", "--warmup",
                 "--precision", "--device", "--seed", "--compile", "--augment",
                 "--early-stopping", "--patience", "--weight-decay", "--label-smoothing",
                 "--grad-clip", "--val-fraction", "--test-fraction"):
        assert flag in _train_parser()._option_string_actions, flag


def test_flags_make_the_config():
    config = make_config(_parse(
        "--warmup", "0.5", "--compile", "--no-channels-last", "--optimizer", "sgd",
        "--momentum", "0.8", "--nesterov", "--schedule", "step", "--step-size", "3",
        "--gamma", "0.5", "--monitor", "val_accuracy", "--augment", "--augment-rotation", "5",
        "--augment-scale", "0.2", "--augment-shift", "1", "--augment-hflip", "--loss",
        "cross_entropy", "--label-smoothing", "0.1", "--grad-clip", "1.5", "--num-workers", "0"))
    expected = TrainingConfig(
        epochs=CLI_DEFAULTS["epochs"], warmup_epochs=0.5, compile=True, channels_last=False,
        optimizer="sgd", momentum=0.8, nesterov=True, schedule="step", step_size=3, gamma=0.5,
        monitor="val_accuracy", augment=True, rotation=5.0, scale=0.2, crop_padding=1,
        hflip=True, loss="cross_entropy", label_smoothing=0.1, grad_clip=1.5, num_workers=0)
    assert config == expected
    assert make_config(_parse("--warmup-epochs", "2")).warmup_epochs == 2.0
    plain = make_config(_parse())
    assert (plain.epochs, plain.schedule) == (10, "onecycle")  # the command line's defaults
    assert dataclasses.replace(plain, epochs=5, schedule="none") == TrainingConfig()


def test_a_flag_without_effect_is_noted(capsys):
    make_config(_parse("--momentum", "0.5", "--patience", "4"))
    err = capsys.readouterr().err
    assert "--momentum has no effect unless --optimizer is sgd or rmsprop" in err
    assert "--patience has no effect without --early-stopping" in err
    make_config(_parse("--momentum", "0.5", "--optimizer", "rmsprop"))
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(("argv", "message"), [
    (["--warmup", "-5"], "--warmup -5: warm-up (epochs) must be at least 0"),
    (["--grad-clip", "-1"], "--grad-clip -1: gradient clipping (norm) must be at least 0"),
    (["--patience", "-1"], "--patience -1: patience (epochs) must be at least 1"),
    (["--seed", "-1"], "--seed -1: seed must be between 0 and 2^64 - 1"),
    (["--seed", str(2**70)], f"--seed {2**70}: seed must be between 0 and 2^64 - 1"),
    (["--weight-decay", "nan"], "--weight-decay nan: weight decay must be a finite number"),
    (["--lr", "inf"], "--lr inf: learning rate must be a finite number"),
    (["--augment-scale", "1"], "--augment-scale 1: augment: scale (+-) must be at least 0 and "
                               "less than 1"),
])
def test_a_refused_value_is_one_line_with_exit_status_2(argv, message, capsys, home):
    assert run(["train", "mlp", "--data", "digits", *argv]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == f"workbench train: {message}\n"
    assert not (home / "runs").exists()  # refused before any run folder is made


def test_several_refused_values_are_one_line(capsys):
    assert run(["train", "mlp", "--data", "digits", "--warmup", "-5", "--seed", "-1"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "--seed -1" in err and "--warmup -5" in err


def test_resume_takes_only_epochs(capsys):
    assert run(["train", "--resume", "nope", "--lr", "0.1"]) == 2
    assert "only --epochs and --nproc may be given, not --lr" in capsys.readouterr().err
    assert run(["train", "--resume", "nope", "--epochs", "0"]) == 2  # checked before the run
    assert "--epochs 0: epochs must be at least 1" in capsys.readouterr().err


def test_refused_values_from_a_real_process(tmp_path):
    env = {**os.environ, "WORKBENCH_HOME": str(tmp_path / "home")}
    for argv, words in ((["--seed", str(2**64)], "seed must be between 0 and 2^64 - 1"),
                        (["--weight-decay", "nan"], "must be a finite number"),
                        (["--warmup", "-5"], "must be at least 0")):
        proc = subprocess.run([sys.executable, "-m", "workbench", "train", "mlp", "--data",
                               "digits", *argv], capture_output=True, text=True, env=env,
                              timeout=300)
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
        assert words in proc.stderr and proc.stdout == ""
