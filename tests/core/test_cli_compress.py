"""``workbench compress`` from a user's side: the table as the last JSON line, each row a run
with lineage, and bad input in one line with exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import tiny_mlp_spec

from workbench.cli import run
from workbench.core.data import load_source
from workbench.core.engine import TrainingConfig
from workbench.core.runs import RunStore, create_run
from workbench.core.runs.lineage import read_lineage

KEYS = {"method", "params", "bytes", "original_bytes", "size_ratio", "accuracy",
        "original_accuracy", "latency_ms"}


@pytest.fixture
def run_dir() -> Path:
    with RunStore() as store:
        trainer, folder = create_run(tiny_mlp_spec(hidden=64), "digits",
                                     TrainingConfig(epochs=1, device="cpu"),
                                     data=load_source("digits", seed=0), store=store)
        trainer.fit()
    return folder


def test_structured_prune_json_table(run_dir, capsys) -> None:
    argv = ["compress", str(run_dir), "--method", "prune", "--amount", "0.5", "--structured",
            "--json"]
    assert run(argv) == 0
    out = capsys.readouterr().out.strip().splitlines()
    table = json.loads(out[-1])
    rows = table["rows"]
    assert [r["method"] for r in rows] == ["original", "prune-structured"]
    assert all(KEYS <= set(r) for r in rows)
    assert rows[1]["params"] < rows[0]["params"] and rows[1]["size_ratio"] > 1.5
    assert rows[1]["original_accuracy"] == rows[0]["accuracy"]
    assert read_lineage(rows[1]["run_dir"])["relation"] == "prune"


@pytest.mark.parametrize("argv, message", [
    (["--method", "prune", "--amount", "2"], "--amount"),
    (["--method", "distill", "--epochs", "0"], "--epochs"),
])
def test_bad_input_is_one_line(run_dir, argv, message, capsys) -> None:
    assert run(["compress", str(run_dir), *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_an_unknown_run_is_one_line(capsys) -> None:
    assert run(["compress", "no-such-run", "--method", "int8"]) == 2
    assert "no run" in capsys.readouterr().err
