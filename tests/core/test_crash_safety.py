"""Crash safety: a checkpoint is one atomic unit (a crash mid-write never leaves weights of one
step next to state of another); a resume always finds a consistent checkpoint."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest
import torch
from test_engine_toys import fast, features_data, mlp

from workbench.core.engine import Trainer
from workbench.core.engine import checkpoint as ckpt
from workbench.core.engine.checkpoint import recover_checkpoints


def _trained(tmp_path, epochs=2):
    t = Trainer(mlp(dropout=0), features_data(), fast(epochs=epochs), run_dir=tmp_path)
    assert t.fit().status == "finished"
    return t


def _step(folder):
    return torch.load(folder / ckpt.STATE, weights_only=True)["global_step"]


def test_a_crash_after_the_weights_keeps_the_previous_checkpoint(tmp_path, monkeypatch):
    """torch.save (the state) fails after the new weights are written: the previous
    checkpoint stays whole and a resume from it works."""
    _trained(tmp_path, epochs=1)
    last = tmp_path / "checkpoints" / "last"
    before = _step(last)

    def crash(*a, **k):
        raise OSError("simulated crash while writing state.pt")

    t2 = Trainer(mlp(dropout=0), features_data(), fast(epochs=3), run_dir=tmp_path)
    monkeypatch.setattr("workbench.core.engine.checkpoint.torch.save", crash)
    assert t2.fit(resume=True).status == "failed"
    monkeypatch.undo()
    assert _step(last) == before and ckpt.is_sound(last)
    assert not [p for p in last.parent.iterdir() if p.name.startswith(".")]  # no temp left
    t3 = Trainer(mlp(dropout=0), features_data(), fast(epochs=3), run_dir=tmp_path)
    ended = t3.fit(resume=True)
    assert ended.status == "finished" and ended.steps_done == 3 * t3.steps_per_epoch


def test_a_crash_between_the_renames_is_recovered(tmp_path, monkeypatch):
    """Killed after the old folder was moved aside but before the new one took its place."""
    t = _trained(tmp_path, epochs=1)
    parent = tmp_path / "checkpoints"
    real = os.replace

    def replace(src, dst):
        if str(src).rsplit(os.sep, 1)[-1].startswith(".last.new-"):
            raise KeyboardInterrupt  # as abrupt as it gets inside Python
        return real(src, dst)

    monkeypatch.setattr("workbench.core.engine.checkpoint.os.replace", replace)
    monkeypatch.setattr("workbench.core.engine.checkpoint.shutil.rmtree", lambda *a, **k: None)
    with pytest.raises(KeyboardInterrupt):
        t._save("last")
    monkeypatch.undo()
    assert not (parent / "last").exists()
    recover_checkpoints(parent)
    assert ckpt.is_sound(parent / "last")
    assert sorted(p.name for p in parent.iterdir()) == ["best", "last"]  # temps removed
    ended = Trainer(mlp(dropout=0), features_data(), fast(epochs=2),
                    run_dir=tmp_path).fit(resume=True)
    assert ended.status == "finished"


def test_a_torn_last_checkpoint_resumes_from_best(tmp_path):
    """A pair torn by an older version (weights of one step, state of another): the resume
    continues from best with a warning instead of failing."""
    t = _trained(tmp_path, epochs=2)
    last, best = tmp_path / "checkpoints" / "last", tmp_path / "checkpoints" / "best"
    (last / ckpt.WEIGHTS).write_bytes(ckpt.weights_bytes(t.model, 999))
    t2 = Trainer(mlp(dropout=0), features_data(), fast(epochs=3), run_dir=tmp_path)
    ended = t2.fit(resume=True)
    assert ended.status == "finished"
    assert any("best checkpoint" in w for w in ended.extra["warnings"])
    assert _step(best) >= 1


KILLER = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, {tests!r})
    from test_engine_toys import fast, features_data, mlp
    from workbench.core.engine import Trainer, checkpoint as ckpt
    real = ckpt._write_synced
    def write(path, data):
        real(path, data)
        if path.name == ckpt.STATE and {kill!r}:
            os.kill(os.getpid(), signal.SIGKILL)  # after the new pair, before the swap
        if path.name == ckpt.WEIGHTS and not {kill!r}:
            os.kill(os.getpid(), signal.SIGKILL)  # the new weights written, no state yet
    t = Trainer(mlp(dropout=0), features_data(), fast(epochs=1), run_dir={run!r})
    t.fit()
    ckpt._write_synced = write
    Trainer(mlp(dropout=0), features_data(), fast(epochs=2), run_dir={run!r}).fit(resume=True)
""")


@pytest.mark.slow
@pytest.mark.parametrize("after_state", [False, True])
def test_sigkill_mid_checkpoint_then_resume(tmp_path, after_state):
    run = tmp_path / "run"
    code = KILLER.format(tests=os.path.dirname(__file__), kill=after_state, run=str(run))
    p = subprocess.run([sys.executable, "-c", code], timeout=300,
                       env={**os.environ, "OMP_NUM_THREADS": "1"}, capture_output=True)
    assert p.returncode == -signal.SIGKILL, p.stderr.decode()[-2000:]
    ended = Trainer(mlp(dropout=0), features_data(), fast(epochs=2),
                    run_dir=run).fit(resume=True)
    assert ended.status == "finished"
    assert sorted(p.name for p in (run / "checkpoints").iterdir()) == ["best", "last"]
