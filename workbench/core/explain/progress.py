"""Progress and cancellation for attribution methods that call the model many times.

Captum has no progress or cancel hook, but every method calls the function it is given to
run the model; ``Watch`` wraps that function, counts the calls (a method's number of calls
follows from its settings), reports the share done and raises ``Cancelled`` at the next call
once the user has cancelled. Nothing of the model is changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workbench.core.explain.errors import Cancelled

Progress = Callable[[float, str], None]  # (fraction done, what is being done)


class Watch:
    def __init__(self, progress: Progress | None = None,
                 cancelled: Callable[[], bool] | None = None) -> None:
        self.progress = progress
        self.cancelled = cancelled
        self.calls = 0
        self.expected = 1
        self.what = ""

    def start(self, what: str, expected_calls: int) -> None:
        self.what, self.expected, self.calls = what, max(1, int(expected_calls)), 0
        self.check()
        self._report(0.0)

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise Cancelled("cancelled")

    def wrap(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def watched(*args: Any, **kwargs: Any) -> Any:
            self.check()
            out = fn(*args, **kwargs)
            self.calls += 1
            # a method may call once or twice more than planned: stay below 1 until the end
            self._report(min(0.99, self.calls / self.expected))
            return out

        return watched

    def done(self) -> None:
        self._report(1.0)

    def _report(self, fraction: float) -> None:
        if self.progress is not None:
            self.progress(fraction, self.what)
