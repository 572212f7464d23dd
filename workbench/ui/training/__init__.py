"""Training in the desktop app: the Data, Training (with live plots), Evaluation and Runs tabs.

``install_training_ui(window)`` mounts them on a MainWindow through its public API
(``add_tab``, ``document``) and installs the close hook: closing during training asks, then
stops the run and waits for its thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QWidget

    from workbench.core.runs import RunStore
    from workbench.ui.document import ModelDocument


class Host(Protocol):
    """What the tabs need of the window (MainWindow is one; this package sits below it)."""

    document: ModelDocument

    def add_tab(self, widget: QWidget, title: str) -> int: ...

    def installEventFilter(self, watcher: QObject) -> None: ...  # noqa: N802 - Qt's


def install_training_ui(window: Host, *, runs_dir: str | Path | None = None,
                        store: RunStore | None = None) -> None:
    """Add the Data, Training, Evaluation and Runs tabs to ``window`` (a MainWindow with
    ``add_tab(widget, title)`` and ``document``). The TrainingUI is kept as
    ``window.training_ui``; its ``confirm_close()`` runs on the window's close event."""
    from workbench.ui.i18n import translator
    from workbench.ui.training.session import TrainingUI

    tr = translator("training")
    ui = TrainingUI(window, window.document, runs_dir=runs_dir, store=store)  # type: ignore[arg-type]
    window.add_tab(ui.data_panel, tr("Data"))
    window.add_tab(ui.training_panel, tr("Training"))
    window.add_tab(ui.evaluation_panel, tr("Evaluation"))
    window.add_tab(ui.runs_panel, tr("Runs"))
    window.add_tab(ui.sweep_view, tr("Sweep"))
    window.installEventFilter(ui)
    window.training_ui = ui


def __getattr__(name: str) -> Any:  # the panels import lazily: they import each other's parts
    if name == "TrainingUI":
        from workbench.ui.training.session import TrainingUI

        return TrainingUI
    if name == "TrainingPanel":
        from workbench.ui.training.panel import TrainingPanel

        return TrainingPanel
    raise AttributeError(name)


__all__ = ["TrainingPanel", "TrainingUI", "install_training_ui"]
