"""``workbench runs`` lists the run history; ``workbench runs compare`` shows what differs,
with the rows the Runs tab compares (core/runs/compare.py)."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.cli import run
from workbench.core.engine.config import TrainingConfig
from workbench.core.runs import RunRecord, RunStore, default_runs_dir
from workbench.core.runs.compare import cell_text, compare_configs, compare_results


def _history() -> list[RunRecord]:
    base = TrainingConfig().to_dict()
    records = []
    with RunStore() as store:
        for i, (config, acc) in enumerate([(base, 0.9), ({**base, "lr": 0.01}, 0.8)]):
            folder = default_runs_dir() / f"r{i}"
            folder.mkdir(parents=True)
            (folder / "run.json").write_text(json.dumps({"id": f"2026020{i}-000000-000{i}"}))
            rec = RunRecord(id=f"2026020{i}-000000-000{i}", run_dir=folder, status="finished",
                            created=f"2026-02-0{i + 1}T10:00:00+00:00", spec_name="mlp",
                            data_source="digits", config=config, test_accuracy=acc,
                            seconds=65.0, device="cpu")
            store.add(rec)
            records.append(rec)
    return records


def test_runs_lists_the_history_newest_first(capsys) -> None:
    assert run(["runs"]) == 0
    assert "no runs yet" in capsys.readouterr().out
    _history()
    assert run(["runs"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["run", "status"]
    assert lines[1].startswith("20260201-000000-0001") and "80.00 %" in lines[1]
    assert "1:05" in lines[2]
    assert run(["runs", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == ["20260201-000000-0001", "20260200-000000-0000"]
    assert rows[0]["config"]["lr"] == 0.01


def test_runs_compare_shows_settings_and_results_that_differ(capsys) -> None:
    a, b = _history()
    assert run(["runs", "compare", a.id, b.id[:10]]) == 0  # the first part of an id will do
    out = capsys.readouterr().out
    assert out.startswith("1 setting(s) differ between the 2 runs")
    assert "* Learning rate  0.001" in out and "* Test acc" in out and "  Epochs  " not in out
    assert run(["runs", "compare", a.id, b.id, "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert [s["key"] for s in d["settings"]] == ["lr"]
    assert {r["key"]: r["differs"] for r in d["results"]}["test_accuracy"] is True
    assert run(["runs", "compare", a.id, "nope"]) == 2
    assert "no run 'nope'" in capsys.readouterr().err


def test_the_comparison_rows_are_the_runs_tabs(tmp_path: Path) -> None:
    a = RunRecord("a", tmp_path, spec_name="m", data_source="d", config={"lr": 1, "x": 2},
                  test_accuracy=0.5)
    b = RunRecord("b", tmp_path, spec_name="m", data_source="e", config={"lr": 1})
    rows = {k: (v, d) for k, v, d in compare_configs([a, b])}
    assert rows["lr"] == ([1, 1], False) and rows["data"] == (["d", "e"], True)
    results = {k: (v, d) for k, v, d in compare_results([a, b])}
    assert results["test_accuracy"] == ([0.5, None], True)
    assert cell_text("test_accuracy", 0.5) == "50.00 %" and cell_text("schedule", "onecycle") \
        == "One-cycle" and cell_text("seconds", 3725) == "1:02:05"
