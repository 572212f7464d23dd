"""The Runs tab over a run history filled by hand (no training): listing, formatting,
selection, config comparison, overlay requests, deletion."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.runs import RunRecord, RunStore
from workbench.ui.runs import RunsPanel, compare_configs


@pytest.fixture
def store(tmp_path):
    s = RunStore(tmp_path / "runs.sqlite")
    for i, (lr, status, acc) in enumerate([(1e-3, "finished", 0.91), (3e-3, "failed", None),
                                           (1e-3, "stopped", 0.5)]):
        run_dir = tmp_path / f"run{i}"
        run_dir.mkdir()
        (run_dir / "run.json").write_text("{}")
        s.add(RunRecord(id=f"2026010{i}-000000-000{i}", run_dir=run_dir, status=status,
                        created=f"2026-01-0{i + 1}T10:00:00+00:00", spec_name="mlp",
                        data_source="digits", config={"lr": lr, "epochs": 2, "optimizer": "adam"},
                        device="cpu", seconds=65.0 * (i + 1), best_val_accuracy=acc,
                        test_accuracy=acc, reason="NaN loss" if status == "failed" else ""))
        s.add_steps(f"2026010{i}-000000-000{i}",
                    [{"step": k, "epoch": 0, "loss": 1 / k, "accuracy": 0.5, "lr": lr,
                      "samples_per_sec": 100.0} for k in range(1, 21)])
    yield s
    s.close()


@pytest.fixture
def panel(qtbot, store):
    p = RunsPanel(store)
    qtbot.addWidget(p)
    p.refresh()
    return p


def test_lists_runs_newest_first_with_readable_cells(panel):
    records = panel.records()
    assert len(records) == 3
    rows = [[panel.proxy.index(r, c).data() for c in range(9)] for r in range(3)]
    assert rows[0][:2] == ["0002", "stopped"] and rows[2][1] == "finished"  # newest first
    assert rows[2][5] == "91.00 %" and rows[2][7] == "1:05" and rows[1][5] == ""
    assert "NaN loss" in panel.proxy.index(1, 1).data(3)  # the tooltip says why it failed


def test_selecting_runs_compares_configs_and_requests_overlays(qtbot, panel):
    overlays = []
    panel.overlay_requested.connect(overlays.append)
    ids = [r.id for r in panel.records()]
    panel.select_ids(ids[:2])
    assert panel.compare.columnCount() == 2
    keys = [panel.compare.verticalHeaderItem(i).text() for i in range(panel.compare.rowCount())]
    assert keys == ["Learning rate"]  # only what differs, named for people...
    panel.all_keys.setChecked(True)
    keys = [panel.compare.verticalHeaderItem(i).text() for i in range(panel.compare.rowCount())]
    assert {"Model", "Data", "Learning rate", "Epochs", "Optimizer"} <= set(keys)  # ...or all
    lr_row = keys.index("Learning rate")
    assert panel.compare.item(lr_row, 0).font().bold()
    assert not panel.compare.item(keys.index("Epochs"), 0).font().bold()
    assert [r.id for r in overlays[-1]] == sorted(ids[:2], key=ids.index)
    panel.overlay.setChecked(False)
    assert overlays[-1] == []
    assert panel.delete_button.isEnabled() and not panel.open_button.isEnabled()


def test_compare_configs_marks_differences():
    a = RunRecord("a", Path("."), spec_name="m", data_source="d", config={"lr": 1, "x": 2})
    b = RunRecord("b", Path("."), spec_name="m", data_source="e", config={"lr": 1})
    rows = {k: (v, d) for k, v, d in compare_configs([a, b])}
    assert rows["lr"] == ([1, 1], False)
    assert rows["data"] == (["d", "e"], True)
    assert rows["x"] == ([2, None], True)


def test_delete_removes_runs_but_not_a_running_one(qtbot, panel, store):
    records = panel.records()
    panel.busy_run_dirs = {str(records[0].run_dir)}
    assert panel.delete_runs([records[0].id, records[1].id]) == 1
    assert [r.id for r in panel.records()] == [records[0].id, records[2].id]
    assert not records[1].run_dir.exists() and records[0].run_dir.exists()
    assert len(store.list_runs()) == 2


def test_start_times_show_in_the_local_time_zone(panel, monkeypatch):
    import time

    monkeypatch.setenv("TZ", "Asia/Kolkata")  # UTC+5:30, no daylight saving
    time.tzset()
    try:
        panel.refresh()
        oldest = panel.proxy.index(2, 2).data()  # created 2026-01-01T10:00:00+00:00
        assert oldest == "2026-01-01 15:30"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_the_comparison_names_every_setting_by_its_declared_label(qtbot, tmp_path):
    from workbench.core.engine.config import TrainingConfig

    store = RunStore(tmp_path / "all.sqlite")
    base = TrainingConfig().to_dict()
    for i, config in enumerate([base, {**base, "schedule": "onecycle", "augment": True}]):
        (tmp_path / f"r{i}").mkdir()
        store.add(RunRecord(id=f"2026020{i}-000000-000{i}", run_dir=tmp_path / f"r{i}",
                            status="finished", created=f"2026-02-0{i + 1}T10:00:00+00:00",
                            spec_name="mlp", data_source="digits", config=config))
    panel = RunsPanel(store)
    qtbot.addWidget(panel)
    panel.refresh()
    panel.all_keys.setChecked(True)
    panel.select_ids([r.id for r in panel.records()])
    keys = [panel.compare.verticalHeaderItem(i).text() for i in range(panel.compare.rowCount())]
    assert keys == ["Model", "Data"] + [s.label for s in TrainingConfig.settings()]
    row = keys.index("Schedule")
    cells = {panel.compare.item(row, c).text() for c in range(2)}
    assert cells == {"Constant", "One-cycle"}  # values by their titles too
    assert panel.compare.item(keys.index("Augment images"), 0).text() in ("on", "off")
    store.close()
