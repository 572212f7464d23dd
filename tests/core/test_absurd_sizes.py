"""A model whose every parameter is in range but whose size is absurd is refused with the
figure before it is built (train, export), and an allocator failure is a message too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_engine_toys import chain, fast, features_data

from workbench.cli import run
from workbench.core.engine import Trainer, TrainingError


def _huge():
    return chain(("FeatureInput", {"features": 8}), ("Linear", {"out_features": 1_000_000}),
                 ("Linear", {"out_features": 1_000_000}), ("ClassificationHead", {"classes": 3}))


def test_training_an_absurd_model_is_refused_with_the_figure():
    with pytest.raises(TrainingError, match=r"needs about [\d.]+ TB to train .* of memory"):
        Trainer(_huge(), features_data(), fast())


def test_an_allocator_failure_is_a_training_error(monkeypatch):
    def refuse(*a, **k):
        raise RuntimeError("[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: not enough memory")

    monkeypatch.setattr("workbench.core.engine.trainer.build_model", refuse)
    chain_spec = chain(("FeatureInput", {"features": 8}), ("ClassificationHead", {"classes": 3}))
    with pytest.raises(TrainingError, match="cannot be created on .*make it smaller"):
        Trainer(chain_spec, features_data(), fast())


def test_exporting_an_absurd_model_is_one_line(tmp_path: Path, capsys):
    spec = tmp_path / "huge.json"
    spec.write_text(json.dumps({"format_version": 2, "name": "huge", "nodes": [
        {"name": "input", "kind": "FeatureInput", "params": {"features": 1000000}},
        {"name": "fc", "kind": "Linear", "params": {"out_features": 1000000}},
        {"name": "head", "kind": "ClassificationHead", "params": {"classes": 10}}],
        "edges": [{"src": "input", "dst": "fc"}, {"src": "fc", "dst": "head"}]}))
    code = run(["export", str(spec), "--untrained", "-f", "bundle", "-o",
                str(tmp_path / "h.wbbundle")])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "TB for its weights" in err and not (tmp_path / "h.wbbundle").exists()
