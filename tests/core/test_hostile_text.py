"""Text from files: lone surrogates and ANSI escapes in names never crash a print nor reach
the terminal, a failed run start leaves no orphan folder, a loop is named by its own layers,
and building a long chain does not scan the spec per layer."""

from __future__ import annotations

import io
import json
import sqlite3
import sys
from pathlib import Path

import pytest
from test_engine_toys import chain, fast, features_data

from workbench.cli import run
from workbench.core.graph import ModelSpec, analyze, build_model
from workbench.core.runs import RunStore, create_run
from workbench.core.text import clean

NAME = "bad\udc80name \x1b[31mRED\x1b[0m \x1b]0;title\x07\x07end"


def _spec_file(tmp_path: Path) -> Path:
    spec = {"format_version": 2, "name": NAME, "description": "line\x1b[2J\n two", "nodes": [
        {"name": "input", "kind": "ImageInput", "params": {"channels": 1, "height": 8, "width": 8}},
        {"name": "flat", "kind": "Flatten", "params": {}},
        {"name": "head", "kind": "ClassificationHead", "params": {"classes": 10}}],
        "edges": [{"src": "input", "dst": "flat"}, {"src": "flat", "dst": "head"}]}
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(spec))  # JSON escapes: the file itself is plain ASCII
    return path


class _StrictTerminal:
    """A UTF-8 stdout that refuses surrogates, as a real terminal's encoding does."""

    def __init__(self, monkeypatch) -> None:
        self.out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
        self.err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
        monkeypatch.setattr(sys, "stdout", self.out)
        monkeypatch.setattr(sys, "stderr", self.err)

    def text(self) -> str:
        for s in (self.out, self.err):
            s.flush()
        return (self.out.buffer.getvalue() + self.err.buffer.getvalue()).decode()


def test_clean_removes_escapes_controls_and_surrogates():
    assert clean(NAME) == "bad\ufffdname RED end"
    assert clean("a\tb\r\nc\x00\x9b31m") == "a\tb\r\nc"


def test_hostile_names_print_cleanly(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    spec = _spec_file(tmp_path)
    term = _StrictTerminal(monkeypatch)
    assert run(["inspect", str(spec)]) == 0
    assert run(["export", str(spec), "--untrained", "-f", "bundle", "-o",
                str(tmp_path / "m.wbbundle")]) == 0
    out = term.text()
    assert "\x1b" not in out and "\x07" not in out and "bad\ufffdname RED" in out
    assert ModelSpec.load(spec).description == "line\n two"


def test_a_run_that_cannot_be_registered_leaves_no_folder(tmp_path, monkeypatch):
    def locked(self, record):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(RunStore, "add", locked)
    with RunStore(tmp_path / "runs.sqlite") as store, \
            pytest.raises(sqlite3.OperationalError):
        create_run(chain(("FeatureInput", {"features": 8}), ("ClassificationHead", {"classes": 3})),
                   "toy", fast(), data=features_data(), runs_dir=tmp_path / "runs", store=store)
    assert list((tmp_path / "runs").iterdir()) == []


def test_a_surrogate_in_a_stored_path_is_written_to_the_history(tmp_path):
    trainer, run_dir = create_run(
        chain(("FeatureInput", {"features": 8}), ("ClassificationHead", {"classes": 3})),
        "folder:/data/\udcff-cats", fast(), data=features_data(), runs_dir=tmp_path / "runs",
        store=RunStore(tmp_path / "runs.sqlite"))
    assert run_dir.is_dir()


def test_a_loop_message_names_the_loop_only():
    """input -> a -> merge(Add) -> b -> c -> back into merge; c -> d -> e -> head: the loop
    is merge, b, c; d, e and the head only follow it."""
    spec = ModelSpec(name="loop")
    spec.add_node("FeatureInput", "input", {"features": 4})
    spec.add_node("Linear", "a", {"out_features": 4})
    spec.add_node("Add", "merge")
    for name in ("b", "c", "d", "e"):
        spec.add_node("ReLU", name)
    spec.add_node("ClassificationHead", "head", {"classes": 2})
    for src, dst, port in [("input", "a", "in"), ("a", "merge", "in1"), ("merge", "b", "in"),
                           ("b", "c", "in"), ("c", "merge", "in2"), ("c", "d", "in"),
                           ("d", "e", "in"), ("e", "head", "in")]:
        spec.connect(src, dst, port)
    loops = [p.message for p in analyze(spec).problems if "loop" in p.message]
    assert loops == ["the connections form a loop through 'merge', 'b', 'c'; a model must "
                     "flow one way from input to output"]


def test_building_does_not_scan_the_spec_per_layer(monkeypatch):
    spec = chain(("FeatureInput", {"features": 4}), *[("ReLU", {})] * 50,
                 ("ClassificationHead", {"classes": 2}))
    analysis = analyze(spec)

    def scan(*a, **k):
        raise AssertionError("a linear scan of the spec per layer (quadratic for long chains)")

    monkeypatch.setattr(ModelSpec, "node", scan)
    monkeypatch.setattr(ModelSpec, "inputs_of", scan)
    build_model(spec, analysis)
