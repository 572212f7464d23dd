"""``workbench --screenshot FILE --screenshot-view VIEW``: pictures of the app at work.

``model`` (the default) is the canvas as the app opens (``run_app`` grabs it by itself).
The other views drive the app as a person would, then grab the main window:

- ``data``: the Data tab once the default data set for the model has loaded;
- ``training``: a run with the Training tab's defaults, grabbed mid-training once the
  curves have some points, two validation points and some steps after them (at the end when
  the run is over before that); then the run is stopped;
- ``evaluation``: a short run (``SHORT_EPOCHS``) trained to the end, then the Evaluation tab,
  with a test image predicted in "Try it";
- ``runs``: two such runs with different settings, then the Runs tab comparing them.

Runs made for a picture go to a temporary ``WORKBENCH_HOME`` (the caller sets it up), so the
user's run history is neither shown nor changed. Nothing asks a question: a run that cannot
start or fails is printed and the exit code is 1.
"""

from __future__ import annotations

import math
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from workbench.core.engine.events import EpochEnd, RunStarted, StepMetrics

VIEWS = ("model", "data", "training", "evaluation", "runs")
TRAINING_VIEWS = frozenset({"training", "evaluation", "runs"})
SHORT_EPOCHS = 3  # evaluation / runs: a run that ends in seconds on the built-in digits
TIMEOUT_S = 600.0  # give up (exit code 1) when the picture is not ready by then
# training: grab once this many validation points are drawn (fewer in a shorter run) and
# this share of an epoch after the last of them (at least 5 steps)
VALIDATION_POINTS = 2
AFTER_VALIDATION = 0.5
# ... and once the training curves have this many points (the engine reports a few times a
# second: a fast run may end first, and then its end is shown)
MIN_POINTS = 15
# runs: the Training tab's settings of each run after the first (the panel's attributes)
RUNS_SETTINGS = ({}, {"lr": 3e-3, "schedule": "cosine"})


def save_window(window: Any, path: str) -> bool:
    """Process what is pending, then write a PNG of ``window`` to ``path``."""
    QApplication.processEvents()
    return bool(window.grab().save(str(path)))


class Screenshooter(QObject):
    """Drives the window's training tabs to ``view`` and grabs it; calls ``done(code)``
    once, after the run (if any) has stopped and its thread has been joined."""

    def __init__(self, window: Any, view: str, path: str, done: Callable[[int], None], *,
                 settle_ms: int = 1000, size: tuple[int, int] | None = None) -> None:
        super().__init__(window)
        self.window, self.view, self.path = window, view, str(path)
        self.size = size
        self.settle_ms = settle_ms
        self._done = done
        self._finished = False
        self._grabbed = False
        self._steps_per_epoch = 0
        self._epochs = 0
        self._validation_steps: list[int] = []
        self._runs_started = 0
        self._points = 0
        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.timeout.connect(self._on_timeout)
        self._t0 = time.perf_counter()

    @property
    def ui(self) -> Any:
        return getattr(self.window, "training_ui", None)

    def start(self) -> None:
        ui = self.ui
        if ui is None:
            self._fail("the training tabs are not available")
            return
        self._timeout.start(int(TIMEOUT_S * 1000))
        tp = ui.training_panel
        tp.show_dialogs = False  # errors are printed instead: no modal box in the picture
        ui.ask_before_close = False
        if self.view == "data":
            self._show(ui.data_panel)
            if ui.data_panel.dataset is not None:
                self._settle_then_grab()
            else:
                ui.data_panel.loaded.connect(lambda _d: self._settle_then_grab())
                ui.data_panel.ensure_loaded()
            return
        if self.view not in TRAINING_VIEWS:
            self._fail(f"unknown view {self.view!r}")
            return
        if self.view != "training":
            tp.epochs.setValue(SHORT_EPOCHS)
        self._show(tp)
        ui.controller.events.connect(self._on_events)
        ui.controller.finished.connect(self._on_finished)
        ui.controller.failed.connect(lambda message: self._fail(f"training could not start: "
                                                                f"{message}"))
        self._start_run()

    def _start_run(self) -> None:
        if not self.ui.start_training():
            text = self.ui.training_panel.status_text or "see the Training tab"
            self._fail(f"training could not start: {text}")
        else:
            self._runs_started += 1

    # -- the run ---------------------------------------------------------------------------
    def _on_events(self, events: list) -> None:
        if self.view != "training" or self._grabbed:
            return
        last_step = None
        for e in events:
            if isinstance(e, RunStarted):
                self._steps_per_epoch = max(1, e.steps_per_epoch)
                self._epochs = math.ceil(e.total_steps / self._steps_per_epoch)
            elif isinstance(e, EpochEnd):
                self._validation_steps.append(e.step)
            elif isinstance(e, StepMetrics):
                last_step = e.step
                self._points += 1
        points = max(1, min(VALIDATION_POINTS, self._epochs - 1))
        if (len(self._validation_steps) < points or last_step is None
                or self._points < MIN_POINTS):
            return
        wanted = max(5, math.ceil(self._steps_per_epoch * AFTER_VALIDATION))
        if last_step - self._validation_steps[points - 1] >= wanted:
            # the panel and the plots have drawn this batch already (connected first); stop
            # the run once this signal has returned, not from inside the worker's emission
            self._grab()
            QTimer.singleShot(0, self._stop_and_exit)

    def _on_finished(self, result: Any) -> None:
        status = getattr(result, "status", "")
        if status == "failed":
            self._fail(f"the run failed: {getattr(result, 'reason', '')}")
            return
        if self._grabbed:
            return
        if self.view == "training":  # too short a run to catch it mid-way: show its end
            self._settle_then_grab()
        elif self.view == "evaluation":
            self._show(self.ui.evaluation_panel)
            self._try_a_test_image()
            self._settle_then_grab()
        elif self.view == "runs" and self._runs_started < len(RUNS_SETTINGS):
            # another run with other settings, so that the Runs tab has two to compare
            tp = self.ui.training_panel
            for name, value in RUNS_SETTINGS[self._runs_started].items():
                tp.form.set_value(name, value)
            QTimer.singleShot(0, self._start_run)
        elif self.view == "runs":
            runs = self.ui.runs_panel
            self._show(runs)
            runs.refresh()
            runs.select_ids([r.id for r in runs.records()])
            self._settle_then_grab()

    def _try_a_test_image(self) -> None:
        """Predict a test image with "Try it", as a user who opens an image file would."""
        data = self.ui.run_data
        test = getattr(data, "test", None)
        if getattr(data, "kind", None) != "image" or test is None or not len(test):
            return
        from workbench.ui.widgets.thumbnails import sample_to_qimage

        image = sample_to_qimage(test.x[0])
        path = Path(tempfile.mkdtemp(prefix="workbench-try-")) / "test-sample.png"
        if image is not None and image.save(str(path)):
            self.ui.evaluation_panel.predict_file(str(path))
        shutil.rmtree(path.parent, ignore_errors=True)

    # -- grabbing and leaving ----------------------------------------------------------------
    def _show(self, panel: Any) -> None:
        self.window.tabs.setCurrentWidget(panel)
        if self.size:  # again: with the model's docks up the window could not be that small
            self.window.resize(*self.size)

    def _settle_then_grab(self) -> None:
        QTimer.singleShot(self.settle_ms, self._grab_and_exit)

    def _grab_and_exit(self) -> None:
        if self._finished:
            return
        self._grab()
        self._stop_and_exit()

    def _grab(self) -> None:
        self._grabbed = True
        if self.size and (self.window.width(), self.window.height()) != tuple(self.size):
            QApplication.processEvents()  # the new tab's (smaller) minimum size applies now
            self.window.resize(*self.size)
        if not save_window(self.window, self.path):
            self._fail(f"could not write the screenshot {self.path}")

    def _stop_and_exit(self, code: int = 0) -> None:
        if self._finished:
            return
        self._finished = True
        self._timeout.stop()
        ui = self.ui
        if ui is not None and not ui.controller.shutdown(30.0):
            print("workbench: the training thread did not stop in time", file=sys.stderr)
            code = code or 1
        self._done(code)

    def _fail(self, message: str) -> None:
        if self._finished:
            return
        print(f"workbench: screenshot ({self.view}): {message}", file=sys.stderr)
        self._stop_and_exit(1)

    def _on_timeout(self) -> None:
        self._fail(f"not ready after {time.perf_counter() - self._t0:.0f} s")
