"""The engine-side callbacks of a training run in the app: ``EventBuffer`` queues events for
the GUI thread; ``DeferredCallback`` stands in for one that needs the run folder first."""

from __future__ import annotations

from collections import deque
from typing import Any

from workbench.core.engine.events import (
    Callback,
    EpochEnd,
    EvaluationDone,
    RunEnded,
    RunStarted,
    StepMetrics,
)


class EventBuffer(Callback):
    """The engine-side callback: appends events to a deque; ``drain`` empties it.

    ``deque.append`` and ``deque.popleft`` are atomic, so one producer thread and one
    consumer thread need no lock.
    """

    def __init__(self) -> None:
        self._events: deque[Any] = deque()
        self.ended = False  # a RunEnded went through

    def on_run_started(self, event: RunStarted) -> None:
        self._events.append(event)

    def on_step(self, event: StepMetrics) -> None:
        self._events.append(event)

    def on_epoch_end(self, event: EpochEnd) -> None:
        self._events.append(event)

    def on_evaluation(self, event: EvaluationDone) -> None:
        self._events.append(event)

    def on_run_ended(self, event: RunEnded) -> None:
        self.ended = True
        self._events.append(event)

    def push(self, event: Any) -> None:
        self._events.append(event)

    def drain(self) -> list[Any]:
        out = []
        pop = self._events.popleft
        while True:
            try:
                out.append(pop())
            except IndexError:
                return out

    def __len__(self) -> int:
        return len(self._events)


class DeferredCallback(Callback):
    """Stands in for a callback that needs the run folder (e.g. a TensorBoard writer):
    handed to ``create_run`` first, given its ``target`` once the folder exists."""

    def __init__(self) -> None:
        self.target: Callback | None = None

    def on_run_started(self, event: RunStarted) -> None:
        if self.target is not None:
            self.target.on_run_started(event)

    def on_step(self, event: StepMetrics) -> None:
        if self.target is not None:
            self.target.on_step(event)

    def on_epoch_end(self, event: EpochEnd) -> None:
        if self.target is not None:
            self.target.on_epoch_end(event)

    def on_evaluation(self, event: EvaluationDone) -> None:
        if self.target is not None:
            self.target.on_evaluation(event)

    def on_run_ended(self, event: RunEnded) -> None:
        if self.target is not None:
            self.target.on_run_ended(event)
            close = getattr(self.target, "close", None)
            if callable(close):
                close()
