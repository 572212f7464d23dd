"""A run whose process died shows as interrupted on the Runs tab, which offers Continue; the
resumed run trains to its end in the app."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import tiny_mlp_spec

from workbench.core.engine import TrainingConfig
from workbench.core.runs import RunStore, create_run
from workbench.ui.training import install_training_ui


@pytest.mark.slow
def test_an_interrupted_run_is_resumed_from_the_runs_tab(qtbot, make_window, tmp_path,
                                                          monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    with RunStore() as store:
        trainer, run_dir = create_run(tiny_mlp_spec(), "digits",
                                      TrainingConfig(device="cpu", epochs=2, num_workers=0),
                                      store=store)
        trainer.fit()
        info = json.loads((run_dir / "run.json").read_text())
        store.update(info["id"], status="running")  # as if killed in its second epoch
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    info["owner"]["pid"] = dead.pid
    (run_dir / "run.json").write_text(json.dumps({**info, "status": "running"}))

    w = make_window("mlp")
    install_training_ui(w)
    ui = w.training_ui
    ui.training_panel.show_dialogs = False
    runs = ui.runs_panel
    runs.refresh()
    [record] = runs.records()
    assert record.status == "interrupted"
    assert runs.proxy.index(0, 1).data() == "interrupted"
    runs.select_ids([record.id])
    assert runs.continue_button.isEnabled()
    with qtbot.waitSignal(ui.controller.finished, timeout=60000) as done:
        runs.continue_button.click()  # unfinished: resumes to its plan, no question
    assert done.args[0].status == "finished", done.args[0].reason
    runs.refresh()
    assert runs.records()[0].status == "finished"
    ui.shutdown()
