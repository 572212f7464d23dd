"""A stand-in for tests of the training UI (importable as ``scripted``): a scripted trainer
that emits engine events (and honours stop/pause/resume) without any model or data."""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from workbench.core.engine.events import (
    EpochEnd,
    EvaluationDone,
    RunEnded,
    RunStarted,
    StepMetrics,
    dispatch,
)


class ScriptedTrainer:
    """Emits ``epochs * steps_per_epoch`` StepMetrics (``step_seconds`` apart), an EpochEnd
    per epoch, an evaluation and the RunEnded; honours stop/pause/resume like the engine."""

    def __init__(self, callbacks, *, epochs: int = 2, steps_per_epoch: int = 50,
                 step_seconds: float = 0.001, nan_at: int | None = None) -> None:
        self.callbacks = list(callbacks)
        self.epochs, self.steps_per_epoch = epochs, steps_per_epoch
        self.step_seconds, self.nan_at = step_seconds, nan_at
        self._stop = threading.Event()
        self._running = threading.Event()
        self._running.set()
        self.paused_seen = False

    def request_stop(self) -> None:
        self._stop.set()
        self._running.set()

    def request_pause(self) -> None:
        self._running.clear()

    def request_resume(self) -> None:
        self._running.set()

    def fit(self, resume: bool = False) -> RunEnded:
        total = self.epochs * self.steps_per_epoch
        t0 = time.perf_counter()
        dispatch(self.callbacks, RunStarted({"epochs": self.epochs}, "cpu", 100, 20, 20, 1234,
                                            self.steps_per_epoch, total, "fp32"))
        step = 0
        for epoch in range(self.epochs):
            for i in range(self.steps_per_epoch):
                if not self._running.is_set():
                    self.paused_seen = True
                    self._running.wait()
                if self._stop.is_set():
                    end = RunEnded("stopped", "Stopped by the user.", epoch, step,
                                   time.perf_counter() - t0)
                    dispatch(self.callbacks, end)
                    return end
                step += 1
                loss = float("nan") if self.nan_at is not None and step >= self.nan_at else 2.3 / step ** 0.3
                if loss != loss:
                    end = RunEnded("failed", f"The loss became NaN at step {step}: lower the "
                                   "learning rate.", epoch, step, time.perf_counter() - t0)
                    dispatch(self.callbacks, end)
                    return end
                dispatch(self.callbacks, StepMetrics(step, epoch, (i + 1) / self.steps_per_epoch,
                                                     loss, min(1.0, 0.1 + step / total), 1e-3,
                                                     5000.0, 1.0))
                time.sleep(self.step_seconds)
            dispatch(self.callbacks, EpochEnd(epoch, step, 1.0, 0.5, 1.1 - epoch * 0.1,
                                              0.6 + epoch * 0.1, 0.1, True))
        dispatch(self.callbacks, EvaluationDone({
            "task": "classification", "loss": 0.5, "accuracy": 0.8, "class_names": ["a", "b"],
            "confusion": [[8, 2], [2, 8]],
            "per_class": [{"name": "a", "precision": 0.8, "recall": 0.8, "f1": 0.8, "support": 10},
                          {"name": "b", "precision": 0.8, "recall": 0.8, "f1": 0.8, "support": 10}],
            "worst": [{"index": 0, "true": 0, "pred": 1, "confidence": 0.9, "loss": 2.3}]}))
        end = RunEnded("finished", "", self.epochs, step, time.perf_counter() - t0, 0.7, 0.9)
        dispatch(self.callbacks, end)
        return end


def scripted_create_run(**trainer_options: Any):
    """A ``create_run`` stand-in returning a ScriptedTrainer (``.last`` is the latest)."""

    def create_run(spec, source, config, *, data=None, callbacks=(), data_options=None,
                   runs_dir=None, **_: Any):
        if source == "broken":
            from workbench.core.data import DataSourceError

            raise DataSourceError("The folder /nowhere does not exist: choose a folder.")
        trainer = ScriptedTrainer(callbacks, **trainer_options)
        create_run.last = trainer
        run_dir = Path(runs_dir or tempfile.mkdtemp()) / "scripted-run"
        run_dir.mkdir(parents=True, exist_ok=True)
        return trainer, run_dir

    create_run.last = None
    return create_run
