"""Text sampling off the GUI thread: ``TextGeneration`` draws tokens on a QThread and hands
them to the window in chunks (at most ~25 a second), so the window stays responsive while
the text grows."""

from __future__ import annotations

import copy
import threading
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from workbench.ui.threads import describe_error, new_thread

if TYPE_CHECKING:
    from torch import nn

    from workbench.core.data.meta import DataMeta
    from workbench.core.generate.text import Sampling

CHUNK_SECONDS = 0.04


class TextGeneration(QObject):
    """One generation: ``start()``, ``stop()``; signals on the GUI thread: ``chunk(str)``
    with the text drawn since the last one, ``finished(str)`` ("done", "stopped") and
    ``failed(str)`` with one line for a person."""

    chunk = Signal(str)
    finished = Signal(str)
    failed = Signal(str)

    def __init__(self, prompt: str, sampling: Sampling, *, run_dir: str | None = None,
                 model: nn.Module | None = None, meta: DataMeta | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.prompt, self.sampling = prompt, sampling
        self.run_dir, self._model, self._meta = run_dir, model, meta
        self.stop_flag = threading.Event()
        self.thread = new_thread("workbench-generate")
        self._job = _Job(self)
        self._job.moveToThread(self.thread)
        self.thread.started.connect(self._job.run)
        self._job.chunk.connect(self.chunk)
        self._job.ended.connect(self._on_ended)
        self.tokens = 0

    def start(self) -> TextGeneration:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stop_flag.set()

    def is_running(self) -> bool:
        return self.thread.isRunning()

    def wait(self, timeout: float = 30.0) -> bool:
        return self.thread.wait(int(timeout * 1000))

    def load(self) -> tuple[Any, Any]:
        """The model and its DataMeta: its own copy, so the Evaluation tab may go on using
        the one it holds while this thread samples."""
        if self._model is not None and self._meta is not None:
            return copy.deepcopy(self._model), self._meta
        from workbench.core.runs import open_run

        run = open_run(self.run_dir)  # type: ignore[arg-type]
        return run.load_model("best"), run.meta

    @Slot(str, str)
    def _on_ended(self, status: str, message: str) -> None:
        self.thread.quit()
        self.thread.wait(5000)
        if status == "failed":
            self.failed.emit(message)
        else:
            self.finished.emit(status)


class _Job(QObject):
    chunk = Signal(str)
    ended = Signal(str, str)  # status, message

    def __init__(self, task: TextGeneration) -> None:
        super().__init__()
        self.task = task

    @Slot()
    def run(self) -> None:
        from workbench.core.generate.text import sample_tokens, token_separator

        task = self.task
        try:
            model, meta = task.load()
            sep = token_separator(meta)
            tokens = sample_tokens(model, meta, task.prompt, task.sampling)
            pending: list[str] = []
            last = time.monotonic()
            first = not task.prompt
            for token in tokens:
                pending.append(("" if first else sep) + token.text)
                first = False
                task.tokens += 1
                if time.monotonic() - last >= CHUNK_SECONDS:
                    self.chunk.emit("".join(pending))
                    pending, last = [], time.monotonic()
                if task.stop_flag.is_set():
                    break
            if pending:
                self.chunk.emit("".join(pending))
            self.ended.emit("stopped" if task.stop_flag.is_set() else "done", "")
        except Exception as exc:  # noqa: BLE001 - one line for the user
            self.ended.emit("failed", describe_error(exc))
