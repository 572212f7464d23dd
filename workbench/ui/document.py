"""The open model as the window sees it: the core's Workspace (the model, its training
settings, the data choice, the analysis) plus what only a desktop document has: the undo
history (a QUndoStack of the workspace's edits, see ``commands.py``), the file it was read
from, and autosave.

The workspace reports through plain listener hooks; ``_Relay`` turns each into a Qt signal
(``changed``, ``loaded``, ``renamed``, ``config_changed``, ``data_changed``) so views can
subscribe the Qt way. None of them keeps its own copy of the model.

Core imports are local to the methods: this module is imported before PyTorch is (the window
opens first, see ``app.py``), so the workspace is made when the first model is loaded.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from workbench.ui.i18n import translator

tr = translator("document")


if TYPE_CHECKING:
    from workbench.core.engine.config import TrainingConfig
    from workbench.core.graph import Analysis, ModelSpec
    from workbench.core.workspace import DataChoice, Workspace

AUTOSAVE_INTERVAL_MS = 60_000  # a safety net; each edit also saves shortly after (below)
AUTOSAVE_DELAY_MS = 1_500  # after the last edit: a crash two seconds later loses nothing
UNTITLED_KEY = "untitled"
DEFAULT_BATCH = 64  # the core's DEFAULT_BATCH, before the core is loaded


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
    config_changed = Signal(object)  # TrainingConfig
    data_changed = Signal(object)  # DataChoice
    weights_changed = Signal()  # start weights attached or detached

    def __init__(self, parent: QObject | None = None,
                 autosave_interval_ms: int = AUTOSAVE_INTERVAL_MS,
                 autosave_delay_ms: int = AUTOSAVE_DELAY_MS) -> None:
        super().__init__(parent)
        self.workspace: Workspace | None = None
        self.path: Path | None = None
        self.template: str | None = None  # the template an untitled model started from
        self.title: str | None = None  # the name of an untitled model (e.g. its bundle's)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(lambda clean: self.modified_changed.emit(not clean))
        self._relay = _Relay(self)
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(autosave_interval_ms)
        self.autosave_timer.timeout.connect(self.autosave_now)
        self.autosave_timer.start()
        self.autosave_soon = QTimer(self)  # restarted by every edit: saves once they pause
        self.autosave_soon.setSingleShot(True)
        self.autosave_soon.setInterval(autosave_delay_ms)
        self.autosave_soon.timeout.connect(self.autosave_now)
        self.undo_stack.indexChanged.connect(lambda _i: self.autosave_soon.start())

    # -- the workspace's state ---------------------------------------------------------------
    @property
    def spec(self) -> ModelSpec | None:
        return self.workspace.spec if self.workspace is not None else None

    @property
    def analysis(self) -> Analysis | None:
        return self.workspace.analysis if self.workspace is not None else None

    @property
    def config(self) -> TrainingConfig | None:
        return self.workspace.config if self.workspace is not None else None

    @property
    def data(self) -> DataChoice | None:
        return self.workspace.data if self.workspace is not None else None

    @property
    def batch_size(self) -> int:
        return self.workspace.config.batch_size if self.workspace is not None else DEFAULT_BATCH

    @batch_size.setter
    def batch_size(self, value: int) -> None:
        self.set_batch_size(value)

    def set_batch_size(self, batch: int) -> None:
        """Batch size the analysis (validity, FLOPs, memory) assumes: the training batch."""
        if self.workspace is not None:
            self.workspace.set_batch_size(batch)

    @property
    def optimizer(self) -> str:
        return self.workspace.config.optimizer if self.workspace is not None else "adam"

    def set_optimizer(self, name: str) -> None:
        """Optimizer the memory estimate assumes ("adam", "sgd", ...)."""
        if self.workspace is not None:
            self.workspace.set_optimizer(name)

    @property
    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def display_name(self) -> str:
        """The file's name; for an untitled model its title, or the name it was given."""
        if self.path is not None:
            return self.path.name
        named = self.workspace is not None and not self.workspace.has_automatic_name \
            and self.spec is not None and self.spec.name
        return self.title or (self.spec.name if named and self.spec else tr("Untitled"))

    # -- loading and saving -----------------------------------------------------------------
    def load_spec(self, spec: ModelSpec, path: str | os.PathLike | None = None, *,
                  modified: bool = False, template: str | None = None,
                  title: str | None = None) -> None:
        """Replace the model (history cleared; settings and data choice kept). ``modified``
        marks it unsaved (a restore); ``title`` names an untitled model (the window title,
        Save As's suggestion); a template's model keeps an automatic name until it has one
        of its own (FileHandling names it after its file when it is first saved)."""
        from workbench.core.workspace import BLANK_NAME, Workspace

        self.path = Path(path) if path is not None else None
        self.template = template
        self.title = title
        self.undo_stack.clear()
        if modified:
            self.undo_stack.resetClean()
        else:
            self.undo_stack.setClean()
        automatic = path is None and (template is not None or spec.name == BLANK_NAME)
        if self.workspace is None:
            self.workspace = Workspace()  # blank: nothing to analyse until the load below
            self.workspace.subscribe(self._relay)
        self.workspace.load(spec, automatic_name=automatic)
        self.modified_changed.emit(self.is_modified)

    def open(self, path: str | os.PathLike) -> None:
        """Load a spec file. Raises SpecFormatError with a readable line."""
        from workbench.core.graph import ModelSpec

        self.load_spec(ModelSpec.load(path), path)

    def new_from_template(self, name: str) -> None:
        from workbench.core.templates import load_template

        self.load_spec(load_template(name), None, template=name)

    def new_blank(self) -> None:
        """An empty model named "Untitled model" (File > New)."""
        from workbench.core.graph import ModelSpec
        from workbench.core.workspace import BLANK_NAME

        self.load_spec(ModelSpec(name=BLANK_NAME))

    def save(self, path: str | os.PathLike | None = None) -> Path:
        """Write the model (with its frozen layers and the origin of its start weights)
        atomically to ``path`` or the current path; marks it clean."""
        if self.spec is None:
            raise RuntimeError("no model is open")
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("the model has no file yet; give a path")
        old_recovery = recovery_file(self.path)
        self.workspace.save(target)  # type: ignore[union-attr]
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

    def reanalyze(self) -> None:
        """Analyse again (after the spec was changed without an edit, e.g. by a test)."""
        if self.workspace is not None:
            self.workspace.reanalyze()

    # -- autosave and recovery ----------------------------------------------------------------
    def recovery_path(self) -> Path:
        return recovery_file(self.path)

    def autosave_now(self) -> Path | None:
        """Write the recovery file if the model has unsaved changes (the timers call this)."""
        if self.spec is None or not self.is_modified:
            return None
        from workbench.core.files import atomic_write_text

        target = self.recovery_path()
        try:
            atomic_write_text(target, self.workspace.to_json())  # type: ignore[union-attr]
        except OSError:
            return None  # autosave must never interrupt the user
        return target

    def stop_autosave(self) -> None:
        self.autosave_timer.stop()
        self.autosave_soon.stop()

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


class _Relay:
    """The document's WorkspaceListener: each hook becomes the document's signal. (A plain
    object, not a subclass: the core class is not importable before PyTorch is.)"""

    def __init__(self, document: ModelDocument) -> None:
        self.document = document

    def on_loaded(self) -> None:
        self.document.loaded.emit()

    def on_model_changed(self, analysis: Analysis) -> None:
        self.document.changed.emit(analysis)

    def on_renamed(self, old: str, new: str) -> None:
        self.document.renamed.emit(old, new)

    def on_config_changed(self, config: TrainingConfig) -> None:
        self.document.config_changed.emit(config)

    def on_data_changed(self, data: DataChoice) -> None:
        self.document.data_changed.emit(data)

    def on_weights_changed(self) -> None:
        # the start weights are saved with the model (where they come from): a saved file no
        # longer says what is open. (Not an undo step; an untitled model stays as it was.)
        doc = self.document
        if doc.path is not None and not doc.is_modified:
            doc.undo_stack.resetClean()  # cleanChanged: modified_changed follows
            doc.autosave_soon.start()
        doc.weights_changed.emit()
