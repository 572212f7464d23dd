"""``workbench generate`` and ``workbench train`` on a text file, in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import tiny_gpt_spec, tiny_mlp_file

from workbench.cli import run

TEXT = "the cat sat on the mat. the dog sat on the log.\n" * 12


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def text_run(tmp_path: Path, capsys) -> tuple[Path, str]:
    """A tiny GPT whose vocabulary (5) is too small for the text: train fits it first."""
    spec = tmp_path / "gpt.json"
    tiny_gpt_spec(vocab=5).save(spec)
    (tmp_path / "t.txt").write_text(TEXT)
    code = run(["train", str(spec), "--data", f"text:{tmp_path / 't.txt'}", "--epochs", "1",
                "--device", "cpu", "--json", "--data-option", "seq_len=16"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return Path(json.loads(out.strip().splitlines()[-1])["run_dir"]), err


def test_train_fits_the_vocabulary_and_head_and_says_so_in_one_line(text_run):
    run_dir, err = text_run
    said = [line for line in err.splitlines() if "fitted the model" in line]
    assert len(said) == 1, err
    assert "vocabulary size to 17" in said[0] and "classes to 17" in said[0]
    spec = json.loads((run_dir / "spec.json").read_text())
    params = {n["name"]: n["params"] for n in spec["nodes"]}
    assert params["input"]["vocab_size"] == 17 and params["head"]["classes"] == 17


def test_training_on_text_shows_and_keeps_a_sample_every_epoch(tmp_path, capsys):
    (tmp_path / "t.txt").write_text(TEXT)
    spec = tmp_path / "gpt.json"
    tiny_gpt_spec(vocab=17).save(spec)
    assert run(["train", str(spec), "--data", f"text:{tmp_path / 't.txt'}", "--epochs", "2",
                "--device", "cpu", "--data-option", "seq_len=16"]) == 0
    out = capsys.readouterr().out
    assert "sample after epoch 1:" in out and "sample after epoch 2:" in out
    samples = next((tmp_path / "home" / "runs").glob("*/samples.txt")).read_text()
    assert samples.count("--- after epoch") == 2


def test_generate_prints_the_prompt_and_its_continuation_the_same_for_a_seed(text_run, capsys):
    run_dir, _ = text_run
    args = ["generate", str(run_dir), "--prompt", "the ", "--length", "30", "--seed", "7"]
    assert run(args) == 0
    first = capsys.readouterr().out
    assert run(args) == 0
    assert capsys.readouterr().out == first
    assert first.startswith("the ") and len(first.rstrip("\n")) == 34
    assert run([*args[:-1], "8"]) == 0
    assert capsys.readouterr().out != first
    assert run([*args, "--top-k", "1"]) == 0  # top-k 1 is the greedy text
    greedy = capsys.readouterr().out
    assert run([*args, "--temperature", "0"]) == 0
    assert capsys.readouterr().out == greedy


def test_generate_refuses_bad_settings_and_non_text_runs(text_run, tmp_path, capsys):
    run_dir, _ = text_run
    assert run(["generate", str(run_dir), "--temperature", "-1"]) == 2
    assert "temperature" in capsys.readouterr().err
    code = run(["train", str(tiny_mlp_file(tmp_path)), "--data", "digits", "--epochs", "1",
                "--device", "cpu", "--json"])
    image_run = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["run_dir"]
    assert code == 0
    assert run(["generate", image_run, "--prompt", "x"]) == 2
    err = capsys.readouterr().err
    assert "not a text model" in err and len(err.strip().splitlines()) == 1
