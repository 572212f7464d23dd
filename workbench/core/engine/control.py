"""What every trainer offers its callers from any thread (pause, resume, stop) and how it
reports: each callback gets each event, and a callback that fails is logged, never fatal."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from workbench.core.engine.events import Callback, Event, dispatch

log = logging.getLogger(__name__)


class RunControls:
    callbacks: Sequence[Callback]
    _stop: threading.Event
    _pause: threading.Event

    def request_stop(self) -> None:
        """Stop after the current batch."""
        self._stop.set()

    def request_pause(self) -> None:
        self._pause.set()

    def request_resume(self) -> None:
        self._pause.clear()

    def _emit(self, event: Event) -> None:
        for cb in self.callbacks:
            try:
                dispatch([cb], event)
            except Exception:  # a broken display must not end the training
                log.exception("callback %r failed on %s", cb, type(event).__name__)
