"""The TrainingController: one run at a time, its thread and worker owned from start to
join; the panels talk to it (start, stop, pause, resume, shutdown) and hear its signals."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, Signal

from workbench.core.engine.events import Callback, RunEnded
from workbench.ui.threads import new_thread
from workbench.ui.worker.thread import DEFAULT_RATE_HZ, CallbackFactory, TrainingWorker

if TYPE_CHECKING:
    from workbench.core.data import DataSet
    from workbench.core.engine.config import TrainingConfig
    from workbench.core.graph import Analysis, ModelSpec


class TrainingController(QObject):
    """Owns the thread and worker of the current run; what the panels talk to.

    Forwards the worker's signals (``events``, ``preparing``, ``finished``, ``failed``) and
    adds ``running_changed(bool)`` and ``paused_changed(bool)``.
    """

    events = Signal(list)
    preparing = Signal(float, str)
    started = Signal(str)
    finished = Signal(object)
    failed = Signal(str)
    running_changed = Signal(bool)
    paused_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, *,
                 runs_dir: str | os.PathLike | None = None,
                 rate_hz: float = DEFAULT_RATE_HZ,
                 create_run: Callable[..., Any] | None = None) -> None:
        super().__init__(parent)
        self.runs_dir = runs_dir
        self.rate_hz = rate_hz
        self.create_run = create_run
        self.worker: TrainingWorker | None = None
        self.thread: QThread | None = None
        self.last_run_dir: str | None = None
        self._paused = False
        self._old: list[tuple[QThread, TrainingWorker]] = []

    @property
    def is_running(self) -> bool:
        return self.worker is not None

    @property
    def is_paused(self) -> bool:
        return self._paused

    def start(self, spec: ModelSpec, source: str, config: TrainingConfig,
              data_options: dict[str, Any] | None = None, *, data: DataSet | None = None,
              callbacks: Iterable[Callback] = (),
              callback_factories: Iterable[CallbackFactory] = (),
              analysis: Analysis | None = None, initial: Any = None,
              frozen: Sequence[str] = (), resume_dir: str | os.PathLike | None = None,
              epochs: int | None = None) -> TrainingWorker:
        """Start a run on a new thread. ``callback_factories(run_dir, trainer)`` make callbacks
        that need the run folder or the model, e.g. a TensorBoard logger; ``analysis`` is the
        workspace's (at the run's batch size), so the run need not analyse again.
        Fine-tuning: ``initial`` weights, ``frozen`` layers. ``resume_dir``: continue that run
        folder exactly from its last checkpoint (to ``epochs`` in all), like ``--resume``."""
        if self.is_running:
            raise RuntimeError("a run is already in progress")
        worker = TrainingWorker(spec, source, config, data_options=data_options, data=data,
                                runs_dir=self.runs_dir, callbacks=list(callbacks),
                                callback_factories=list(callback_factories),
                                rate_hz=self.rate_hz, create_run=self.create_run,
                                analysis=analysis, initial=initial, frozen=frozen,
                                resume_dir=resume_dir, epochs=epochs)
        thread = new_thread("workbench-training")
        worker.moveToThread(thread)
        worker.events.connect(self.events)
        worker.preparing.connect(self.preparing)
        worker.started.connect(self._on_started)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        thread.started.connect(worker.run)
        self.worker, self.thread = worker, thread
        self._paused = False
        worker.start_pump()
        thread.start()
        self.running_changed.emit(True)
        return worker

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            if self._paused:
                self._paused = False
                self.paused_changed.emit(False)

    def pause(self) -> None:
        if self.worker is not None and not self._paused:
            self.worker.pause()
            self._paused = True
            self.paused_changed.emit(True)

    def resume(self) -> None:
        if self.worker is not None and self._paused:
            self.worker.resume()
            self._paused = False
            self.paused_changed.emit(False)

    def shutdown(self, timeout: float = 10.0) -> bool:
        """Stop the run and join its thread (e.g. when the window closes).

        Returns True when no thread is left running. The final events and ``finished`` are
        still delivered, synchronously, before this returns.
        """
        if self.worker is not None and self.thread is not None:
            worker, thread = self.worker, self.thread
            worker.stop()
            thread.quit()
            if not thread.wait(max(0, int(timeout * 1000))):
                return False
            worker.report_now()
        self._join_old(timeout)
        return self.worker is None and not self._old

    # -- internals ----------------------------------------------------------------------
    def _on_started(self, run_dir: str) -> None:
        self.last_run_dir = run_dir
        self.started.emit(run_dir)

    def _on_finished(self, result: RunEnded) -> None:
        self._end()
        self.finished.emit(result)

    def _on_failed(self, message: str) -> None:
        self._end()
        self.failed.emit(message)

    def _end(self) -> None:
        worker, thread = self.worker, self.thread
        self.worker, self.thread = None, None
        if self._paused:
            self._paused = False
            self.paused_changed.emit(False)
        if thread is not None and worker is not None:
            if worker.run_dir:
                self.last_run_dir = worker.run_dir
            thread.quit()  # run() has returned; the thread only has its event loop left
            thread.wait(5000)
            self._old.append((thread, worker))
            self._join_old(0)
        self.running_changed.emit(False)

    def _join_old(self, timeout: float) -> None:
        keep = []
        for thread, worker in self._old:
            if thread.isRunning() and not thread.wait(max(0, int(timeout * 1000))):
                keep.append((thread, worker))
        self._old = keep
