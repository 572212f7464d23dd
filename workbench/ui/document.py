"""The open model: its spec, undo history, file path, latest analysis and autosave.

Every edit goes through a command on ``undo_stack`` (see ``commands.py``); each command calls
``edited()``, which re-runs ``analyze`` (cached, milliseconds) and emits ``changed`` with the
new Analysis. Views redraw from that; none of them keeps its own copy of the model.

Core imports are local to the methods: this module is imported before PyTorch is (the window
opens first, see ``app.py``).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

if TYPE_CHECKING:
    from workbench.core.graph import Analysis, ModelSpec

AUTOSAVE_INTERVAL_MS = 60_000
UNTITLED_KEY = "untitled"


def autosave_dir() -> Path:
    """Where recovery files go: $WORKBENCH_AUTOSAVE_DIR, else the user data folder."""
    env = os.environ.get("WORKBENCH_AUTOSAVE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("workbench")) / "autosave"


def recovery_file(path: str | os.PathLike | None) -> Path:
    """The recovery file of a document: one per saved file, one for untitled models."""
    if path is None:
        return autosave_dir() / f"{UNTITLED_KEY}.json"
    p = Path(path).resolve()
    digest = hashlib.sha1(str(p).encode("utf-8")).hexdigest()[:10]
    return autosave_dir() / f"{p.stem}-{digest}.json"


class ModelDocument(QObject):
    """One model being edited. Signals are the only way views learn about changes."""

    changed = Signal(object)  # Analysis: after every edit, load, or analysis setting change
    loaded = Signal()  # a different model replaced the previous one (new, open, restore)
    saved = Signal(str)  # the path written
    modified_changed = Signal(bool)
    renamed = Signal(str, str)  # old name, new name (views keep their selection)

    def __init__(self, parent: QObject | None = None,
                 autosave_interval_ms: int = AUTOSAVE_INTERVAL_MS) -> None:
        super().__init__(parent)
        self.spec: ModelSpec | None = None
        self.analysis: Analysis | None = None
        self.path: Path | None = None
        self.template: str | None = None  # the template an untitled model started from
        self.title: str | None = None  # the name of an untitled model (e.g. its bundle's)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(lambda clean: self.modified_changed.emit(not clean))
        self._batch = 64
        self._optimizer = "adam"
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(autosave_interval_ms)
        self.autosave_timer.timeout.connect(self.autosave_now)
        self.autosave_timer.start()

    # -- analysis settings (the training panel sets these) --------------------------------
    @property
    def batch_size(self) -> int:
        return self._batch

    @batch_size.setter
    def batch_size(self, value: int) -> None:
        self.set_batch_size(value)

    def set_batch_size(self, batch: int) -> None:
        """Batch size the analysis (FLOPs, memory estimate) assumes."""
        batch = max(1, int(batch))
        if batch != self._batch:
            self._batch = batch
            self.reanalyze()

    @property
    def optimizer(self) -> str:
        return self._optimizer

    def set_optimizer(self, name: str) -> None:
        """Optimizer the memory estimate assumes ("adam", "sgd", ...)."""
        if name != self._optimizer:
            self._optimizer = name
            self.reanalyze()

    # -- state ------------------------------------------------------------------------------
    @property
    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def display_name(self) -> str:
        if self.path is not None:
            return self.path.name
        return self.title or "Untitled"

    # -- loading and saving -----------------------------------------------------------------
    def load_spec(self, spec: ModelSpec, path: str | os.PathLike | None = None, *,
                  modified: bool = False, template: str | None = None,
                  title: str | None = None) -> None:
        """Replace the model (history cleared). ``modified`` marks it unsaved (a restore);
        ``title`` names an untitled model (the window title, Save As's suggestion)."""
        self.spec = spec
        self.path = Path(path) if path is not None else None
        self.template = template
        self.title = title
        self.undo_stack.clear()
        if modified:
            self.undo_stack.resetClean()
        else:
            self.undo_stack.setClean()
        self.analysis = self._analyze()
        self.loaded.emit()
        self.changed.emit(self.analysis)
        self.modified_changed.emit(self.is_modified)

    def open(self, path: str | os.PathLike) -> None:
        """Load a spec file. Raises SpecFormatError with a readable line."""
        from workbench.core.graph import ModelSpec

        self.load_spec(ModelSpec.load(path), path)

    def new_from_template(self, name: str) -> None:
        from workbench.core.templates import load_template

        self.load_spec(load_template(name), None, template=name)

    def save(self, path: str | os.PathLike | None = None) -> Path:
        """Write the spec (atomically) to ``path`` or the current path; marks it clean."""
        if self.spec is None:
            raise RuntimeError("no model is open")
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("the model has no file yet; give a path")
        old_recovery = recovery_file(self.path)
        self.spec.save(target)
        self.path = target
        self.template = self.title = None
        self.undo_stack.setClean()
        old_recovery.unlink(missing_ok=True)
        recovery_file(target).unlink(missing_ok=True)
        self.saved.emit(str(target))
        return target

    # -- edits ------------------------------------------------------------------------------
    def push(self, command: QUndoCommand) -> None:
        self.undo_stack.push(command)

    def edited(self) -> None:
        """Called by every command after it changed the spec."""
        self.reanalyze()

    def reanalyze(self) -> None:
        if self.spec is None:
            return
        self.analysis = self._analyze()
        self.changed.emit(self.analysis)

    def _analyze(self) -> Analysis | None:
        if self.spec is None:
            return None
        from workbench.core.graph import analyze

        return analyze(self.spec, self._batch, self._optimizer)

    # -- autosave and recovery ----------------------------------------------------------------
    def recovery_path(self) -> Path:
        return recovery_file(self.path)

    def autosave_now(self) -> Path | None:
        """Write the recovery file if the model has unsaved changes (the timer calls this)."""
        if self.spec is None or not self.is_modified:
            return None
        from workbench.core.files import atomic_write_text

        target = self.recovery_path()
        try:
            atomic_write_text(target, self.spec.to_json())
        except OSError:
            return None  # autosave must never interrupt the user
        return target

    def discard_recovery(self) -> None:
        self.recovery_path().unlink(missing_ok=True)

    @staticmethod
    def find_recovery(path: str | os.PathLike | None) -> Path | None:
        """A recovery file for ``path`` (None: untitled) newer than its last clean save."""
        rec = recovery_file(path)
        if not rec.is_file():
            return None
        if path is not None:
            try:
                if rec.stat().st_mtime <= Path(path).stat().st_mtime:
                    return None
            except OSError:
                pass  # the file itself is gone: the recovery is all there is
        return rec

    def restore(self, recovery: str | os.PathLike, path: str | os.PathLike | None) -> None:
        """Open a recovery file in place of ``path``'s model, marked as unsaved."""
        from workbench.core.graph import ModelSpec

        self.load_spec(ModelSpec.load(recovery), path, modified=True)
