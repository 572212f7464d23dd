"""Evaluations of stored runs and bundles: their test samples loaded again (an evaluation
keeps indices, not images), and a run that stopped before its test evaluated on demand.
Both are slow (reading a data set, running the model), so both run on a worker thread."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from workbench.ui.threads import BackgroundTask

if TYPE_CHECKING:
    from workbench.core.data import DataSet
    from workbench.core.evaluate import EvaluationResult


@dataclass(frozen=True)
class DataOrigin:
    """Where a test split comes from: the same source, options and seed give the same split."""

    source: str
    options_json: str
    seed: int

    @classmethod
    def of(cls, source: str, options: dict[str, Any] | None, seed: int | None) -> DataOrigin | None:
        if not source:
            return None
        return cls(source, json.dumps(options or {}, sort_keys=True, default=str), int(seed or 0))

    @property
    def options(self) -> dict[str, Any]:
        return json.loads(self.options_json)


def origin_of_run(run_dir: str) -> DataOrigin | None:
    try:
        from workbench.core.runs import open_run

        run = open_run(run_dir)
    except Exception:  # noqa: BLE001 - a damaged run: its samples are simply not shown
        return None
    return DataOrigin.of(run.data_source, run.data_options, run.config.seed)


class StoredEvaluations(QObject):
    """``load_samples(origin)`` -> the data set at once when the last one loaded was it, else
    None and later ``samples_ready(origin, DataSet)`` or ``samples_failed(origin, text)``.
    ``evaluate(run_dir)`` tests a run's best checkpoint: ``evaluated(run_dir, result, data)``
    or ``evaluation_failed(run_dir, text)``."""

    samples_ready = Signal(object, object)
    samples_failed = Signal(object, str)
    evaluated = Signal(str, object, object)
    evaluation_failed = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._last: tuple[DataOrigin, DataSet] | None = None  # one data set kept, not all
        self.tasks: list[BackgroundTask] = []

    def cached(self, origin: DataOrigin | None) -> DataSet | None:
        return self._last[1] if self._last is not None and self._last[0] == origin else None

    def remember(self, origin: DataOrigin | None, data: DataSet | None) -> None:
        if origin is not None and data is not None:
            self._last = (origin, data)

    def load_samples(self, origin: DataOrigin) -> DataSet | None:
        hit = self.cached(origin)
        if hit is not None:
            return hit

        def job(_progress):
            from workbench.core.data import load_source

            return load_source(origin.source, seed=origin.seed, **origin.options)

        def done(data: DataSet) -> None:
            self.remember(origin, data)
            self.samples_ready.emit(origin, data)

        self._start(job, done, lambda text: self.samples_failed.emit(origin, text))
        return None

    def evaluate(self, run_dir: str) -> None:
        def job(_progress):
            from workbench.core.runs import evaluate_run, load_run_data, open_run

            run = open_run(run_dir)
            origin = DataOrigin.of(run.data_source, run.data_options, run.config.seed)
            data = self.cached(origin) or load_run_data(run)
            return evaluate_run(run, data=data, device="cpu"), data, origin

        def done(out: tuple[EvaluationResult, DataSet, DataOrigin]) -> None:
            result, data, origin = out
            self.remember(origin, data)
            self.evaluated.emit(run_dir, result, data)

        self._start(job, done, lambda text: self.evaluation_failed.emit(run_dir, text))

    def _start(self, job, done, failed) -> None:
        task = BackgroundTask(job, self)
        task.done.connect(done)
        task.failed.connect(failed)
        task.done.connect(lambda _r, t=task: self._forget(t))
        task.failed.connect(lambda _m, t=task: self._forget(t))
        self.tasks.append(task)
        task.start()

    def _forget(self, task: BackgroundTask) -> None:
        self.tasks = [t for t in self.tasks if t is not task]

    def is_busy(self) -> bool:
        return any(t.is_running() for t in self.tasks)

    def wait(self, timeout: float = 60.0) -> bool:
        """Join every running task (tests, shutdown); True when none is left."""
        return all(t.wait(timeout) for t in list(self.tasks))
