"""The worker-thread side of a run: ``TrainingWorker`` runs ``create_run(...)`` and
``trainer.fit()`` on a QThread, buffering the engine's events; its ``_Pump`` on the GUI
thread drains them at most ``rate_hz`` times a second (see the package's docstring)."""

from __future__ import annotations

import os
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from workbench.core.engine.events import Callback, RunEnded
from workbench.ui.event_buffer import DeferredCallback, EventBuffer
from workbench.ui.threads import describe_error, lower_thread_priority

if TYPE_CHECKING:
    from workbench.core.data import DataSet
    from workbench.core.engine import Trainer
    from workbench.core.engine.config import TrainingConfig
    from workbench.core.graph import Analysis, ModelSpec

CallbackFactory = Callable[[Any, "Trainer"], Callback]
"""(run folder, trainer) -> a callback that needs them, e.g. a TensorBoard logger."""

DEFAULT_RATE_HZ = 20.0

def _default_create_run(*args: Any, **kwargs: Any):
    from workbench.core.runs import create_run

    return create_run(*args, **kwargs)


class TrainingWorker(QObject):
    """Runs one training run; lives on a QThread, reports on the GUI thread.

    Signals (all emitted on the GUI thread):
      events(list): engine events in order, batched, at most ``rate_hz`` per second,
          always one final batch at the end (which holds the RunEnded when training ran);
      preparing(float, str): progress of loading the data before training starts;
      started(str): the run folder, once the run exists and training begins;
      finished(object): the RunEnded (also for stopped, failed and early-stopped runs);
      failed(str): the run could not start; a readable message, never a traceback.
    Create it on the GUI thread, then ``moveToThread``; ``run`` is the thread's job.
    """

    events = Signal(list)
    preparing = Signal(float, str)
    started = Signal(str)
    finished = Signal(object)
    failed = Signal(str)
    _done = Signal()  # worker thread -> pump (GUI thread): the job returned
    _progress = Signal(float, str)
    _started = Signal(str)

    def __init__(self, spec: ModelSpec, source: str, config: TrainingConfig, *,
                 data_options: dict[str, Any] | None = None, data: DataSet | None = None,
                 runs_dir: str | os.PathLike | None = None, callbacks: Sequence[Callback] = (),
                 callback_factories: Sequence[CallbackFactory] = (),
                 rate_hz: float = DEFAULT_RATE_HZ,
                 create_run: Callable[..., Any] | None = None,
                 analysis: Analysis | None = None, initial: Any = None,
                 frozen: Sequence[str] = (), resume_dir: str | os.PathLike | None = None,
                 epochs: int | None = None) -> None:
        super().__init__()
        self.spec = spec
        self.initial, self.frozen = initial, list(frozen)  # fine-tuning
        # continue this run from its checkpoint instead (to ``epochs`` in all, when given)
        self.resume_dir, self.epochs = resume_dir, epochs
        self.analysis = analysis
        self.source = source
        self.config = config
        self.data_options = dict(data_options or {})
        self.data = data
        self.runs_dir = runs_dir
        self.extra_callbacks = list(callbacks)
        self.factories = [(f, DeferredCallback()) for f in callback_factories]
        self.warnings: list[str] = []
        self.buffer = EventBuffer()
        self.run_dir: str | None = None
        self.result: RunEnded | None = None
        self.error: str | None = None
        self.emitted_batches = 0
        self._create_run = create_run or _default_create_run
        self._lock = threading.Lock()
        self._trainer: Trainer | None = None
        self._stop = False
        self._paused = False
        self._reported = False
        # The pump stays on the GUI thread (no QObject parent: moveToThread would take it)
        # and drives every emission from there.
        self._pump = _Pump(self, rate_hz)

    # -- GUI thread ------------------------------------------------------------------
    def start_pump(self) -> None:
        self._pump.timer.start()

    def flush(self, final: bool = False) -> None:
        """Emit everything buffered as one batch (GUI thread). ``final`` emits even when empty."""
        batch = self.buffer.drain()
        if batch or final:
            self.emitted_batches += 1
            self.events.emit(batch)

    def report_now(self) -> None:
        """Deliver the outcome synchronously (used after joining the thread on shutdown)."""
        self._report()

    def _report(self) -> None:
        if self._reported or (self.result is None and self.error is None):
            return
        self._reported = True
        self._pump.timer.stop()
        if self.error is not None:
            self.flush()
            self.failed.emit(self.error)
        else:
            self.flush(final=True)
            self.finished.emit(self.result)

    @property
    def reported(self) -> bool:
        return self._reported

    # -- any thread -----------------------------------------------------------------
    def stop(self) -> None:
        with self._lock:
            self._stop = True
            trainer = self._trainer
        if trainer is not None:
            trainer.request_stop()
            if self._paused:
                trainer.request_resume()  # a paused loop must wake up to see the stop

    def pause(self) -> None:
        with self._lock:
            self._paused = True
            trainer = self._trainer
        if trainer is not None:
            trainer.request_pause()

    def resume(self) -> None:
        with self._lock:
            self._paused = False
            trainer = self._trainer
        if trainer is not None:
            trainer.request_resume()

    @property
    def stop_requested(self) -> bool:
        return self._stop

    # -- worker thread ----------------------------------------------------------------
    @Slot()
    def run(self) -> None:
        lower_thread_priority()
        try:
            self._run()
        except BaseException as exc:  # noqa: BLE001 - everything must reach the user
            if self.result is None and self.error is None:
                self.error = describe_error(exc)
                self.traceback = traceback.format_exc()
        finally:
            self._done.emit()

    def _run(self) -> None:
        def progress(fraction: float, text: str) -> None:
            self._progress.emit(float(fraction), str(text))

        options = dict(self.data_options)
        deferred = [d for _, d in self.factories]
        kwargs: dict[str, Any] = {"data": self.data,
                                  "callbacks": [self.buffer, *self.extra_callbacks, *deferred]}
        if self.runs_dir is not None:
            kwargs["runs_dir"] = self.runs_dir
        if self.data is None:
            options.setdefault("progress", progress)
        if options:
            kwargs["data_options"] = options
        if self.analysis is not None:
            kwargs["analysis"] = self.analysis
        if self.initial is not None:
            kwargs["initial"] = self.initial
        if self.frozen:
            kwargs["frozen"] = self.frozen
        if self._stop:
            self.result = RunEnded("stopped", "Stopped before training started.", 0, 0, 0.0)
            return
        progress(0.0, "Preparing the run")
        try:
            if self.resume_dir is not None:
                from workbench.core.runs import resume_run

                trainer, run_dir = resume_run(self.resume_dir, callbacks=kwargs["callbacks"],
                                              data=self.data, epochs=self.epochs)
            else:
                trainer, run_dir = self._create_run(self.spec, self.source, self.config,
                                                    **kwargs)
        except Exception as exc:  # noqa: BLE001 - data/model mismatch, bad path, bad config
            self.error = describe_error(exc)
            self.traceback = traceback.format_exc()
            return
        self.run_dir = str(run_dir)
        self.data = getattr(trainer, "data", None) or self.data
        nproc = getattr(trainer, "config", self.config).nproc
        if nproc > 1:
            # the same run on N processes (torch.distributed); rank 0's events come back here
            from workbench.core.distributed import DistributedRun

            recorders = [c for c in getattr(trainer, "callbacks", []) if hasattr(c, "store")]
            store = recorders[0].store if recorders else None
            trainer = DistributedRun(run_dir, nproc, callbacks=kwargs["callbacks"],
                                     store_path=getattr(store, "path", None))
        for factory, slot in self.factories:
            try:
                slot.target = factory(run_dir, trainer)
            except Exception as exc:  # noqa: BLE001 - an optional extra must not stop training
                self.warnings.append(describe_error(exc))
        with self._lock:
            self._trainer = trainer
            stop, paused = self._stop, self._paused
        if stop:
            trainer.request_stop()
        elif paused:
            trainer.request_pause()
        self._started.emit(self.run_dir)
        try:
            result = trainer.fit(resume=self.resume_dir is not None)
        except Exception as exc:  # noqa: BLE001 - the engine should not raise; never crash
            self.traceback = traceback.format_exc()
            result = RunEnded("failed", describe_error(exc), 0, 0, 0.0)
        if not self.buffer.ended:
            self.buffer.push(result)
        self.result = result


class _Pump(QObject):
    """GUI-thread side of a worker: a timer that flushes its buffer, and the end report."""

    def __init__(self, worker: TrainingWorker, rate_hz: float) -> None:
        super().__init__()
        self.worker = worker
        self.timer = QTimer(self)
        self.timer.setInterval(max(1, round(1000.0 / rate_hz)))
        self.timer.timeout.connect(self._tick)
        worker._done.connect(self._done)  # emitted on the worker thread: queued to this one
        worker._progress.connect(self._progress)
        worker._started.connect(self._started)

    @Slot()
    def _tick(self) -> None:
        self.worker.flush()

    @Slot()
    def _done(self) -> None:
        self.worker._report()

    @Slot(float, str)
    def _progress(self, fraction: float, text: str) -> None:
        self.worker.preparing.emit(fraction, text)

    @Slot(str)
    def _started(self, run_dir: str) -> None:
        self.worker.started.emit(run_dir)
