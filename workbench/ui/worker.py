"""The QThread adapter between the engine and the widgets.

The engine reports through plain callbacks on its own thread; widgets may only be touched on
the GUI thread. ``TrainingWorker`` runs ``create_run(...)`` and ``trainer.fit()`` on a
``QThread``; its callback only appends events to a deque (cheap, lock-free for one writer
and one reader). A timer in the GUI thread drains that deque at most ``rate_hz`` times a
second and emits everything as ONE ``events(list)`` signal; when the run is over a final
batch is always emitted, then ``finished(RunEnded)`` (or ``failed(str)`` when the run could
not start: bad data, a model that does not match it...). Since every emission happens on the
GUI thread, events arrive in order and receivers run directly, never queued behind paints.

``TrainingController`` owns the thread and the worker for the lifetime of one run at a time
and is what panels talk to. Other slow calls run as ``threads.BackgroundTask``.
"""

from __future__ import annotations

import os
import threading
import traceback
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from workbench.core.engine.events import Callback, RunEnded
from workbench.ui.event_buffer import DeferredCallback, EventBuffer
from workbench.ui.threads import describe_error, lower_thread_priority, new_thread

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
                 analysis: Analysis | None = None) -> None:
        super().__init__()
        self.spec = spec
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
        if self._stop:
            self.result = RunEnded("stopped", "Stopped before training started.", 0, 0, 0.0)
            return
        progress(0.0, "Preparing the run")
        try:
            trainer, run_dir = self._create_run(self.spec, self.source, self.config, **kwargs)
        except Exception as exc:  # noqa: BLE001 - data/model mismatch, bad path, bad config
            self.error = describe_error(exc)
            self.traceback = traceback.format_exc()
            return
        self.run_dir = str(run_dir)
        self.data = getattr(trainer, "data", None) or self.data
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
            result = trainer.fit()
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
              analysis: Analysis | None = None) -> TrainingWorker:
        """Start a run on a new thread. ``callback_factories(run_dir, trainer)`` make callbacks
        that need the run folder or the model, e.g. a TensorBoard logger; ``analysis`` is the
        workspace's (at the run's batch size), so the run need not analyse again."""
        if self.is_running:
            raise RuntimeError("a run is already in progress")
        worker = TrainingWorker(spec, source, config, data_options=data_options, data=data,
                                runs_dir=self.runs_dir, callbacks=list(callbacks),
                                callback_factories=list(callback_factories),
                                rate_hz=self.rate_hz, create_run=self.create_run,
                                analysis=analysis)
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
