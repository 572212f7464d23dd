"""A run whose owner process died shows as ``interrupted`` in the run history, with the
resume command where it has a checkpoint; a live or unknowable owner stays ``running``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from test_engine_toys import fast, features_data, mlp

from workbench.core.runs import RunStore, create_run
from workbench.core.runs.owner import this_owner


@pytest.fixture
def store(tmp_path: Path) -> RunStore:
    s = RunStore(tmp_path / "runs.sqlite")
    yield s
    s.close()


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def _set_owner(run_dir: Path, **owner) -> None:
    path = run_dir / "run.json"
    info = json.loads(path.read_text())
    info["owner"] = {**info["owner"], **owner}
    path.write_text(json.dumps(info))


def test_a_dead_owner_makes_the_run_interrupted(store: RunStore, tmp_path: Path) -> None:
    trainer, run_dir = create_run(mlp(), "toy", fast(), data=features_data(),
                                  runs_dir=tmp_path / "runs", store=store)
    run_id = json.loads((run_dir / "run.json").read_text())["id"]
    assert json.loads((run_dir / "run.json").read_text())["owner"]["pid"] == os.getpid()
    assert store.get(run_id).status == "running"  # this process is alive

    _set_owner(run_dir, host="elsewhere", pid=_dead_pid())  # cannot be told: left alone
    assert store.get(run_id).status == "running"

    _set_owner(run_dir, host=this_owner()["host"])  # killed before its first checkpoint
    record = store.get(run_id)
    assert record.status == "interrupted" and "no checkpoint" in record.reason
    assert json.loads((run_dir / "run.json").read_text())["status"] == "interrupted"
    assert [r.status for r in store.list_runs()] == ["interrupted"]


def test_a_reused_pid_is_told_apart(store: RunStore, tmp_path: Path) -> None:
    if this_owner()["started"] is None:
        pytest.skip("no process start times on this system")
    trainer, run_dir = create_run(mlp(), "toy", fast(epochs=1), data=features_data(),
                                  runs_dir=tmp_path / "runs", store=store)
    trainer.fit()
    run_id = json.loads((run_dir / "run.json").read_text())["id"]
    store.update(run_id, status="running")  # as if this process had been killed mid-run
    _set_owner(run_dir, started=this_owner()["started"] - 1)  # same pid, another process
    record = store.get(run_id)
    assert record.status == "interrupted"
    assert f"workbench train --resume {run_id}" in record.reason


KILLED = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, {tests!r})
    from test_engine_toys import fast, features_data, mlp
    from workbench.core.engine import Callback
    from workbench.core.runs import RunStore, create_run
    class Kill(Callback):
        def on_epoch_end(self, e):
            os.kill(os.getpid(), signal.SIGKILL)
    create_run(mlp(), "toy", fast(epochs=3), data=features_data(), runs_dir={runs!r},
               store=RunStore({db!r}), callbacks=[Kill()])[0].fit()
""")


@pytest.mark.slow
def test_a_killed_training_process_shows_interrupted(tmp_path: Path) -> None:
    db = tmp_path / "runs.sqlite"
    code = KILLED.format(tests=os.path.dirname(__file__), runs=str(tmp_path / "runs"), db=str(db))
    p = subprocess.run([sys.executable, "-c", code], timeout=300, capture_output=True,
                       env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert p.returncode == -signal.SIGKILL, p.stderr.decode()[-2000:]
    with RunStore(db) as store:
        (record,) = store.list_runs()
        assert record.status == "interrupted" and "--resume" in record.reason
