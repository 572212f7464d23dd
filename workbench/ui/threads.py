"""Threads the UI starts, and slow calls run off the GUI thread.

Every thread is made by ``new_thread`` so that ``running_threads()`` can find the ones still
running (the tests fail one that leaves a thread behind). ``BackgroundTask`` runs one slow
call (loading a data set, a download, an export) with progress; training has its own
adapter in ``worker``.
"""

from __future__ import annotations

import sys
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

TRAINING_NICENESS = 10  # the training thread yields the CPU to the window (Linux)
_THREADS: weakref.WeakSet[QThread] = weakref.WeakSet()  # every thread this module starts


def new_thread(name: str) -> QThread:
    """A QThread that ``running_threads()`` can find: the window waits for them when it
    closes and the tests fail one that leaves a thread running."""
    thread = QThread()
    thread.setObjectName(name)
    _THREADS.add(thread)
    return thread


def running_threads() -> list[QThread]:
    alive = []
    for t in list(_THREADS):
        try:
            if t.isRunning():
                alive.append(t)
        except RuntimeError:  # the C++ object is gone: not running
            pass
    return alive


def lower_thread_priority(niceness: int | None = None) -> bool:
    """Give the calling thread (and the threads it starts) a lower CPU priority, so that on a
    busy machine the GUI thread gets the CPU first. Linux only: there, a thread id is a valid
    target of setpriority and only that thread changes. ``WORKBENCH_TRAINING_NICENESS``
    overrides the amount (0: leave it)."""
    import os

    if not sys.platform.startswith("linux"):
        return False
    if niceness is None:
        try:
            niceness = int(os.environ.get("WORKBENCH_TRAINING_NICENESS", TRAINING_NICENESS))
        except ValueError:
            niceness = TRAINING_NICENESS
    if niceness <= 0:
        return False
    try:
        tid = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, tid)
        os.setpriority(os.PRIO_PROCESS, tid, min(19, current + niceness))
        return True
    except (OSError, AttributeError):
        return False


def describe_error(exc: BaseException) -> str:
    """One readable line for a person (no traceback): the message, else the exception's kind."""
    text = str(exc).strip()
    if isinstance(exc, MemoryError):
        return "Out of memory: try a smaller batch size or a smaller model."
    if not text:
        return type(exc).__name__
    if "out of memory" in text.lower():
        return "Out of memory: try a smaller batch size or a smaller model. " + text.splitlines()[0]
    return text


class BackgroundTask(QObject):
    """Run ``fn(progress)`` on a QThread: ``progress(fraction, text)`` may be called from it.

    Signals (GUI thread): progress(float, str), done(object result), failed(str message).
    Keep a reference until ``done``/``failed``; ``wait()`` joins the thread.
    """

    progress = Signal(float, str)
    done = Signal(object)
    failed = Signal(str)
    _finished = Signal()

    def __init__(self, fn: Callable[[Callable[[float, str], None]], Any],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self._result: Any = None
        self._error: str | None = None
        self.thread = new_thread("workbench-task")
        self._job = _Job(self)
        self._job.moveToThread(self.thread)
        self.thread.started.connect(self._job.run)
        self._finished.connect(self._deliver)  # emitted on the task's thread: queued here
        self._delivered = False
        self.started_at = 0.0

    def start(self) -> BackgroundTask:
        self.started_at = time.perf_counter()
        self.thread.start()
        return self

    def is_running(self) -> bool:
        return not self._delivered

    def wait(self, timeout: float = 30.0) -> bool:
        ok = self.thread.wait(int(timeout * 1000))
        if ok:
            self._deliver()
        return ok

    @Slot()
    def _deliver(self) -> None:
        if self._delivered or self.thread.isRunning() and not self._job.returned:
            return
        self._delivered = True
        self.thread.quit()
        self.thread.wait(5000)
        if self._error is not None:
            self.failed.emit(self._error)
        else:
            self.done.emit(self._result)


class _Job(QObject):
    def __init__(self, task: BackgroundTask) -> None:
        super().__init__()
        self.task = task
        self.returned = False

    @Slot()
    def run(self) -> None:
        task = self.task

        def progress(fraction: float, text: str = "") -> None:
            task.progress.emit(float(fraction), str(text))

        try:
            task._result = task._fn(progress)
        except BaseException as exc:  # noqa: BLE001 - shown to the user as one line
            task._error = describe_error(exc)
        finally:
            self.returned = True
            task._finished.emit()
            task.thread.quit()  # end the thread's event loop now: wait() must not need the GUI
