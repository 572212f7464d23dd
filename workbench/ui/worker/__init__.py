"""The QThread adapter between the engine and the widgets (``thread``: the worker and its
pump; ``controller``: the TrainingController).

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

from workbench.ui.worker.controller import TrainingController
from workbench.ui.worker.thread import DEFAULT_RATE_HZ, CallbackFactory, TrainingWorker

__all__ = ["DEFAULT_RATE_HZ", "CallbackFactory", "TrainingController", "TrainingWorker"]
